"""Facts about one maintenance at "now": its status follows updates, else the clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from statusgen.derive.transitions import PerUpdate, maintenance_transitions
from statusgen.model import Maintenance, MaintenanceStatus, MaintenanceUpdate


@dataclass(frozen=True, slots=True)
class MaintenanceFacts:
    maintenance: Maintenance
    status: MaintenanceStatus
    started_at: datetime | None  # when work began (in_progress), if it has
    completed_at: datetime | None
    announced_at: datetime  # see `announcement`: the API's created_at, the feeds' published
    changed_at: datetime | None  # the last posted update or work start/end readers have seen
    posted: tuple[MaintenanceUpdate, ...]  # the updates dated up to now: the others are unseen
    update_transitions: PerUpdate  # what each posted update did to the components
    cancelled_at: datetime | None = None  # when it was called off; then it never started

    @property
    def updated_at(self) -> datetime:
        """Its last change, or its announcement: it cannot have changed before it was known."""
        return (
            self.announced_at
            if self.changed_at is None
            else max(self.announced_at, self.changed_at)
        )

    @property
    def ended_at(self) -> datetime | None:
        """When it ended: completed, or called off."""
        return self.completed_at or self.cancelled_at

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


def auto_completes(maintenance: Maintenance, posted: Sequence[MaintenanceUpdate]) -> bool:
    """Whether the clock ends the work at `scheduled_until`, as Statuspage does: the latest
    update says the work is under way (in_progress, verifying) and was posted before the
    window's end. An update posted after the end saying it is still under way (an overrun)
    keeps it open until another update says otherwise."""
    if not posted:
        return False
    latest = posted[-1]
    return (
        latest.status in (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING)
        and latest.at < maintenance.scheduled_until
    )


def announcement(maintenance: Maintenance, now: datetime) -> datetime:
    """When customers were told: `announced_at`, else its first update or its window's start,
    whichever is earlier (work is known by the time it begins); updates after now are unseen.

    Feeds date a maintenance's entry here: work announced today for next week is news today.
    """
    if maintenance.announced_at is not None:
        return maintenance.announced_at
    posted = [u.at for u in maintenance.updates if u.at <= now]
    return min([*posted[:1], maintenance.scheduled_for])


def maintenance_facts(maintenance: Maintenance, now: datetime) -> MaintenanceFacts:
    """An explicit in_progress, verifying, completed or cancelled update wins over the clock.

    A `scheduled` update is only an announcement: the window still opens and closes by
    the clock, so a static site built during the window shows the work as in progress.
    Work said to be in progress (or verifying) before the window's end is completed by the
    clock at the end, as Statuspage completes it (`auto_completes`): otherwise a window with
    nobody left to post "completed" would say "in progress" for ever.
    A cancelled maintenance never started: it sets no component status and counts in no
    uptime, even if the clock had opened its window before someone called it off.
    """
    posted = tuple(u for u in maintenance.updates if u.at <= now)
    announced = announcement(maintenance, now)
    transitions = maintenance_transitions(maintenance, posted)
    cancelled = next((u.at for u in posted if u.status is MaintenanceStatus.CANCELLED), None)
    if cancelled is not None:
        return MaintenanceFacts(
            maintenance=maintenance,
            status=MaintenanceStatus.CANCELLED,
            started_at=None,
            completed_at=None,
            announced_at=announced,
            changed_at=max(u.at for u in posted),
            posted=posted,
            update_transitions=transitions,
            cancelled_at=cancelled,
        )
    latest = posted[-1].status if posted else MaintenanceStatus.SCHEDULED
    status = latest if latest is not MaintenanceStatus.SCHEDULED else clock_status(maintenance, now)
    if auto_completes(maintenance, posted) and now >= maintenance.scheduled_until:
        status = MaintenanceStatus.COMPLETED
    in_progress = next((u.at for u in posted if u.status is MaintenanceStatus.IN_PROGRESS), None)
    if in_progress is None and status is not MaintenanceStatus.SCHEDULED:
        in_progress = maintenance.scheduled_for
    completed = next((u.at for u in posted if u.status is MaintenanceStatus.COMPLETED), None)
    if completed is None and status is MaintenanceStatus.COMPLETED:
        completed = maintenance.scheduled_until
    # Last change visible to readers: the latest posted update or clock transition. Never
    # "now": a feed's dates must not move on every build.
    changes = [u.at for u in posted] + [
        t for t in (in_progress, completed) if t is not None and t <= now
    ]
    return MaintenanceFacts(
        maintenance=maintenance,
        status=status,
        started_at=in_progress,
        completed_at=completed,
        announced_at=announced,
        changed_at=max(changes, default=None),
        posted=posted,
        update_transitions=transitions,
    )
