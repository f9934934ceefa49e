"""Facts about one maintenance at "now": its status follows updates, else the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from statusgen.model import Maintenance, MaintenanceStatus


@dataclass(frozen=True, slots=True)
class MaintenanceFacts:
    maintenance: Maintenance
    status: MaintenanceStatus
    started_at: datetime | None  # when work began (in_progress), if it has
    completed_at: datetime | None
    updated_at: datetime
    cancelled_at: datetime | None = None  # when it was called off; then it never started
    announced_at: datetime | None = None  # see `announcement`; None only when built by hand

    @property
    def active(self) -> bool:
        return self.status in (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING)

    @property
    def upcoming(self) -> bool:
        return self.status is MaintenanceStatus.SCHEDULED

    @property
    def cancelled(self) -> bool:
        return self.status is MaintenanceStatus.CANCELLED


def clock_status(maintenance: Maintenance, now: datetime) -> MaintenanceStatus:
    if now < maintenance.scheduled_for:
        return MaintenanceStatus.SCHEDULED
    if now < maintenance.scheduled_until:
        return MaintenanceStatus.IN_PROGRESS
    return MaintenanceStatus.COMPLETED


def announcement(maintenance: Maintenance) -> datetime:
    """When customers were told: `announced_at`, else the first update, else the window's start.

    Feeds date a maintenance's entry here: work announced today for next week is news today.
    """
    if maintenance.announced_at is not None:
        return maintenance.announced_at
    return maintenance.updates[0].at if maintenance.updates else maintenance.scheduled_for


def maintenance_facts(maintenance: Maintenance, now: datetime) -> MaintenanceFacts:
    """An explicit in_progress, verifying, completed or cancelled update wins over the clock.

    A `scheduled` update is only an announcement: the window still opens and closes by
    the clock, so a static site built during the window shows the work as in progress.
    A cancelled maintenance never started: it sets no component status and counts in no
    uptime, even if the clock had opened its window before someone called it off.
    """
    posted = [u for u in maintenance.updates if u.at <= now]
    announced = announcement(maintenance)
    cancelled = next((u.at for u in posted if u.status is MaintenanceStatus.CANCELLED), None)
    if cancelled is not None:
        updated = max([u.at for u in posted], default=announced)
        return MaintenanceFacts(
            maintenance, MaintenanceStatus.CANCELLED, None, None, updated, cancelled, announced
        )
    latest = posted[-1].status if posted else MaintenanceStatus.SCHEDULED
    status = latest if latest is not MaintenanceStatus.SCHEDULED else clock_status(maintenance, now)
    in_progress = next((u.at for u in posted if u.status is MaintenanceStatus.IN_PROGRESS), None)
    if in_progress is None and status is not MaintenanceStatus.SCHEDULED:
        in_progress = maintenance.scheduled_for
    completed = next((u.at for u in posted if u.status is MaintenanceStatus.COMPLETED), None)
    if completed is None and status is MaintenanceStatus.COMPLETED:
        completed = maintenance.scheduled_until
    # Last change visible to readers: the latest posted update or clock transition; before
    # any, the announcement. Never "now": a feed's dates must not move on every build.
    changes = [u.at for u in posted] + [
        t for t in (in_progress, completed) if t is not None and t <= now
    ]
    updated = max(changes, default=announced)
    return MaintenanceFacts(maintenance, status, in_progress, completed, updated, None, announced)
