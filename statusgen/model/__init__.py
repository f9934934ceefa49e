"""The domain, as operations teams name it. Imports nothing else from statusgen but errors.Source.

Enum values are the Statuspage API v2 wire values, so the API renderer is a mapping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from statusgen.errors import Source


class ComponentStatus(StrEnum):
    OPERATIONAL = "operational"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"
    UNDER_MAINTENANCE = "under_maintenance"

    @property
    def rank(self) -> int:
        """Badness order used when several incidents touch one component: the worst wins.

        Maintenance ranks just above operational: an outage during a maintenance window
        is still an outage to customers.
        """
        return _STATUS_RANK[self]

    @property
    def label(self) -> str:
        return _STATUS_LABEL[self]


_STATUS_RANK = {
    ComponentStatus.OPERATIONAL: 0,
    ComponentStatus.UNDER_MAINTENANCE: 1,
    ComponentStatus.DEGRADED_PERFORMANCE: 2,
    ComponentStatus.PARTIAL_OUTAGE: 3,
    ComponentStatus.MAJOR_OUTAGE: 4,
}
_STATUS_LABEL = {
    ComponentStatus.OPERATIONAL: "Operational",
    ComponentStatus.UNDER_MAINTENANCE: "Under maintenance",
    ComponentStatus.DEGRADED_PERFORMANCE: "Degraded performance",
    ComponentStatus.PARTIAL_OUTAGE: "Partial outage",
    ComponentStatus.MAJOR_OUTAGE: "Major outage",
}


def worst(statuses: list[ComponentStatus] | tuple[ComponentStatus, ...]) -> ComponentStatus:
    """The worst of several statuses; operational when there are none."""
    return max(statuses, key=lambda s: s.rank, default=ComponentStatus.OPERATIONAL)


class Severity(StrEnum):
    """An incident's impact, named as Statuspage names it."""

    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class IncidentStatus(StrEnum):
    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"
    POSTMORTEM = "postmortem"


# What an author may write in an update; `postmortem` is derived from postmortem.md.
UPDATE_STATUSES = (
    IncidentStatus.INVESTIGATING,
    IncidentStatus.IDENTIFIED,
    IncidentStatus.MONITORING,
    IncidentStatus.RESOLVED,
)


class IncidentKind(StrEnum):
    INCIDENT = "incident"
    SECURITY = "security"


class DetectedBy(StrEnum):
    MONITORING = "monitoring"
    CUSTOMER = "customer"
    STAFF = "staff"
    THIRD_PARTY = "third-party"


class MaintenanceStatus(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    VERIFYING = "verifying"
    COMPLETED = "completed"
    # Called off: the window did not take place. Kept on the page, in history and in
    # calendars (STATUS:CANCELLED) so that nobody keeps waiting for it.
    CANCELLED = "cancelled"

    @property
    def rank(self) -> int:
        return list(MaintenanceStatus).index(self)

    @property
    def final(self) -> bool:
        """Completed or cancelled: nothing may be posted after it."""
        return self in (MaintenanceStatus.COMPLETED, MaintenanceStatus.CANCELLED)


class Failover(StrEnum):
    AUTOMATIC = "automatic"
    MANUAL = "manual"
    NONE = "none"


def _aware(value: datetime | None, what: str) -> None:
    if value is not None and value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {value!r}")


@dataclass(frozen=True, slots=True)
class Recovery:
    """What happens when the component's server or site fails, stated for customers."""

    failover: Failover | None
    rto: timedelta | None
    rpo: timedelta | None


@dataclass(frozen=True, slots=True)
class Component:
    id: str
    name: str
    description: str | None
    group: str | None
    sla: float | None
    redundancy: int | None
    recovery: Recovery | None
    since: date | None
    source: Source
    # Deleted or renamed: still named by old updates (so valid there, with its history and
    # page), but off the home page, the overall status and the lists of current components.
    retired: bool = False


@dataclass(frozen=True, slots=True)
class SupportWindow:
    """One line of support hours, e.g. Mon-Fri 09:00-18:00, in the site timezone."""

    weekdays: tuple[int, ...]  # 0 = Monday, as datetime.weekday()
    opens: int  # minutes after local midnight
    closes: int  # minutes after local midnight; 1440 = midnight at the end of the day
    text: str


@dataclass(frozen=True, slots=True)
class Support:
    hours: tuple[SupportWindow, ...]
    contacts: tuple[tuple[str, str], ...]
    escalation: str | None


@dataclass(frozen=True, slots=True)
class Security:
    contact: str
    policy: str | None


# Statuspage's and Instatus's documented rule, so figures compare with theirs.
DEFAULT_UPTIME_WEIGHTS = (
    (ComponentStatus.MAJOR_OUTAGE, 1.0),
    (ComponentStatus.PARTIAL_OUTAGE, 0.3),
    (ComponentStatus.DEGRADED_PERFORMANCE, 0.0),
)


@dataclass(frozen=True, slots=True)
class UptimePolicy:
    """How time in each status counts against availability."""

    weights: tuple[tuple[ComponentStatus, float], ...] = DEFAULT_UPTIME_WEIGHTS
    # Planned work is not a breach: time under maintenance leaves both downtime and counted time.
    exclude_maintenance: bool = True

    def weight(self, status: ComponentStatus) -> float:
        return dict(self.weights).get(status, 0.0)


@dataclass(frozen=True, slots=True)
class SeverityLevel:
    """What a severity means on this site, and the name the team uses for it (P1…)."""

    severity: Severity
    name: str
    meaning: str


DEFAULT_SEVERITY_LEVELS = (
    SeverityLevel(Severity.NONE, "No impact", "Informational: no customer-visible impact."),
    SeverityLevel(
        Severity.MINOR, "Minor", "Degraded service or a small share of customers affected."
    ),
    SeverityLevel(Severity.MAJOR, "Major", "A service is disrupted for many customers."),
    SeverityLevel(
        Severity.CRITICAL, "Critical", "A core service is unavailable; updates every 15 minutes."
    ),
)


@dataclass(frozen=True, slots=True)
class SiteRecovery:
    """Site-wide disaster recovery facts, for the reliability page."""

    backups: tuple[str, ...]
    disaster_recovery: str | None  # Markdown
    last_tested: date | None


@dataclass(frozen=True, slots=True)
class BrandFile:
    """A file of the site's branding, read when the content is loaded: render reads no files."""

    name: str  # as site.yml names it, relative to the content folder: 'branding/logo.svg'
    data: bytes


@dataclass(frozen=True, slots=True)
class BrandLink:
    label: str
    url: str  # absolute http(s)


@dataclass(frozen=True, slots=True)
class Branding:
    """site.yml's `branding:`: the owner's look on the default theme, every part optional."""

    logo: BrandFile | None = None
    favicon: BrandFile | None = None
    color: str | None = None  # '#rrggbb', lower case
    stylesheet: BrandFile | None = None
    links: tuple[BrandLink, ...] = ()
    footer_links: tuple[BrandLink, ...] = ()


class ChannelType(StrEnum):
    """Where `statusgen notify` tells people (site.yml's `notify:`)."""

    SLACK = "slack"
    TEAMS = "teams"
    DISCORD = "discord"
    WEBHOOK = "webhook"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class NotifyChannel:
    """One entry of site.yml's `notify:`. Secrets are never here: only the names of the
    environment variables holding them (site.yml is published with the content)."""

    type: ChannelType
    name: str  # how reports, the exit status and the delivery journal name it
    source: Source
    url_env: str | None = None  # slack, teams, discord, webhook: the variable holding the URL
    secret_env: str | None = None  # webhook: the variable holding the HMAC key
    to: tuple[str, ...] = ()  # email
    sender: str | None = None  # email: site.yml's `from:`
    smtp_env: str | None = None  # email: the variable holding smtp(s)://user:pass@host:port
    components: tuple[str, ...] = ()  # only events touching one of these (empty: all)
    severities: tuple[Severity, ...] = ()  # only incidents of these (maintenance passes)
    timeout: timedelta = timedelta(seconds=10)  # per attempt: connecting, then each read
    retries: int = 3  # further attempts after a 429, a 5xx or no answer


@dataclass(frozen=True, slots=True)
class Site:
    name: str
    url: str  # absolute, without a trailing slash
    timezone: ZoneInfo
    language: str
    description: str | None
    theme: str | None
    components: tuple[Component, ...]
    support: Support | None
    security: Security | None
    update_cadence: tuple[tuple[Severity, timedelta], ...]
    source: Source
    uptime: UptimePolicy = field(default=UptimePolicy())
    severity_levels: tuple[SeverityLevel, ...] = DEFAULT_SEVERITY_LEVELS
    recovery: SiteRecovery | None = None
    branding: Branding | None = None
    # Every language the site is built in, `language` (the original text's) first; left empty
    # by a constructor that predates it, it becomes (language,).
    languages: tuple[str, ...] = ()
    notify: tuple[NotifyChannel, ...] = ()  # where `statusgen notify` tells people

    def __post_init__(self) -> None:
        if not self.languages:
            object.__setattr__(self, "languages", (self.language,))

    def level(self, severity: Severity) -> SeverityLevel:
        return next(level for level in self.severity_levels if level.severity is severity)

    def component(self, component_id: str) -> Component:
        for component in self.components:
            if component.id == component_id:
                return component
        raise KeyError(component_id)

    def cadence_for(self, severity: Severity) -> timedelta | None:
        return dict(self.update_cadence).get(severity)


@dataclass(frozen=True, slots=True)
class Translation:
    """One language's text of an update, incident, post-mortem or maintenance (`NAME.fr.md`
    beside `NAME.md`). Only text is translated: times, statuses and components are the
    original's. `title` and `customer_actions` are None where the translation keeps the
    original's (and always for updates and post-mortems, which have neither)."""

    language: str  # as the site's `languages` spells it
    body: str  # Markdown; may be empty only where the original's is
    title: str | None
    customer_actions: tuple[str, ...] | None
    source: Source


class Translatable(Protocol):
    """Anything that may carry translations: the renderer asks `translated` for its text."""

    @property
    def translations(self) -> tuple[Translation, ...]: ...


def translated(entity: Translatable, language: str) -> Translation | None:
    """The text of `entity` in `language`, or None when it has none (show the original, marked
    with the original's language). Tags compare without case, as BCP 47 says they do."""
    wanted = language.casefold()
    return next((t for t in entity.translations if t.language.casefold() == wanted), None)


@dataclass(frozen=True, slots=True)
class IncidentUpdate:
    """One message to customers; `components` is each named component's status from `at` on."""

    id: str  # file name without .md: stable within its incident
    at: datetime
    status: IncidentStatus
    components: tuple[tuple[str, ComponentStatus], ...]
    next_update: datetime | None
    body: str
    source: Source
    translations: tuple[Translation, ...] = ()

    def __post_init__(self) -> None:
        _aware(self.at, "IncidentUpdate.at")
        _aware(self.next_update, "IncidentUpdate.next_update")


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class FollowUpAction:
    """A change promised in a post-incident review, with who owns it and where it stands."""

    action: str
    owner: str | None
    status: ActionStatus
    due: date | None


@dataclass(frozen=True, slots=True)
class Postmortem:
    published: datetime
    body: str
    source: Source
    follow_up: tuple[FollowUpAction, ...] = ()
    translations: tuple[Translation, ...] = ()

    def __post_init__(self) -> None:
        _aware(self.published, "Postmortem.published")


@dataclass(frozen=True, slots=True)
class Incident:
    slug: str
    title: str
    severity: Severity
    kind: IncidentKind
    components: tuple[str, ...]  # declared in incident.md
    detected_by: DetectedBy | None
    customer_actions: tuple[str, ...]
    started_at: datetime | None  # impact began (may precede the first update)
    summary: str
    updates: tuple[IncidentUpdate, ...]  # ordered by (at, file name)
    postmortem: Postmortem | None
    source: Source
    translations: tuple[Translation, ...] = ()  # of incident.md: title, actions, summary

    def __post_init__(self) -> None:
        _aware(self.started_at, "Incident.started_at")
        if not self.updates:
            raise ValueError(f"incident {self.slug} has no update")


@dataclass(frozen=True, slots=True)
class MaintenanceUpdate:
    id: str
    at: datetime
    status: MaintenanceStatus
    body: str
    source: Source
    translations: tuple[Translation, ...] = ()

    def __post_init__(self) -> None:
        _aware(self.at, "MaintenanceUpdate.at")


@dataclass(frozen=True, slots=True)
class Maintenance:
    slug: str
    title: str
    scheduled_for: datetime
    scheduled_until: datetime
    components: tuple[str, ...]
    impact: ComponentStatus
    body: str
    updates: tuple[MaintenanceUpdate, ...] = field(default=())
    source: Source = field(default=Source("?"))
    announced_at: datetime | None = None  # when customers were first told
    translations: tuple[Translation, ...] = ()  # of maintenance.md: title and body

    def __post_init__(self) -> None:
        _aware(self.scheduled_for, "Maintenance.scheduled_for")
        _aware(self.scheduled_until, "Maintenance.scheduled_until")


@dataclass(frozen=True, slots=True)
class ComponentChange:
    """A component's status set directly, outside any incident or maintenance (Statuspage
    lets an operator do so): it holds from `at` until the next change of that component, and
    counts in its status and uptime like an incident's status would."""

    component_id: str
    at: datetime
    status: ComponentStatus
    body: str  # a note for the history; may be empty
    source: Source

    def __post_init__(self) -> None:
        _aware(self.at, "ComponentChange.at")


@dataclass(frozen=True, slots=True)
class Redirect:
    """One rule of the content folder's `_redirects` (old addresses kept alive, e.g. by an
    import): published before statusgen's own rules, in Netlify's format."""

    old: str  # a path on this site: /incidents/abc123
    new: str  # a path on this site or an https:// address
    status: int  # 301, 302, 307, 308 or 410
    source: Source


@dataclass(frozen=True, slots=True)
class Content:
    """Everything a build reads, validated."""

    site: Site
    incidents: tuple[Incident, ...]
    maintenances: tuple[Maintenance, ...]
    redirects: tuple[Redirect, ...] = ()
    component_changes: tuple[ComponentChange, ...] = ()  # by component, then time
