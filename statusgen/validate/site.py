"""site.yml → Site: the site, its components, support, security and update promises."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from statusgen.content.files import RefusedFile, read_confined
from statusgen.content.loader import Document
from statusgen.content.yamlsource import LineMap
from statusgen.errors import ContentError, Source
from statusgen.model import (
    DEFAULT_SEVERITY_LEVELS,
    DEFAULT_UPTIME_WEIGHTS,
    BrandFile,
    Branding,
    BrandLink,
    Component,
    ComponentStatus,
    Failover,
    Recovery,
    Security,
    Severity,
    SeverityLevel,
    Site,
    SiteRecovery,
    Support,
    SupportWindow,
    UptimePolicy,
)
from statusgen.text import slugify
from statusgen.validate import fields as f
from statusgen.validate.fields import MISSING, FieldReader, Invalid, is_ok
from statusgen.validate.notify import notify_channels

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(
    r"(?P<days>[A-Za-z,\- ]+?)\s+(?P<open>\d{1,2}:\d{2})\s*-\s*(?P<close>\d{1,2}:\d{2})"
)


# Names the time zone database holds that are not a place: the machine's own zone (so a build
# would depend on where it runs), a placeholder, and a file of rules for POSIX strings.
NOT_A_PLACE = {"localtime", "Factory", "posixrules"}
# Longer than any IANA name (the longest is about 30 characters); also keeps file names sane.
MAX_ZONE_NAME = 64
# The shape of a region/city name (Europe/Paris, America/Argentina/Buenos_Aires): no dots, so
# nothing outside the zone database, and a slash, so never a region folder alone.
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+){1,2}")


def timezone(value: Any) -> ZoneInfo:
    """An IANA region/city name. Checked against the list of names first: ZoneInfo itself
    would open `Europe` (a folder) or a 300-character name as a file and fail with an OSError."""
    name = f.text(value)
    shown = name if len(name) <= 40 else name[:40] + "…"
    hint = "use an IANA name such as Europe/Paris or America/New_York"
    if name in NOT_A_PLACE or name.startswith(("posix/", "right/")):
        raise Invalid(f"'{shown}' is not a region/city time zone name", hint)
    if _ZONE_NAME.fullmatch(name):
        # The usual case, a region/city name of the database, is read at once: listing every
        # zone (below, to explain a mistake) takes a fifth of a small site's validation.
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    known = available_timezones() - NOT_A_PLACE if len(name) <= MAX_ZONE_NAME else set()
    cities = _cities(name, known)
    if name not in known and cities:
        raise Invalid(
            f"'{name}' is a region, not a time zone",
            f"add the city: {', '.join(cities[:4])}, … (an IANA name such as Europe/Paris)",
        )
    if name not in known:
        raise Invalid(f"unknown timezone '{shown}'", hint + _zone_suggestion(name, known))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # listed but unreadable: a broken install
        raise Invalid(f"timezone '{name}' cannot be read on this machine", hint) from None


def language_tag(value: Any) -> str:
    """A BCP 47 tag such as en, fr-CA or zh-Hant: it goes into every page's lang attribute,
    the feeds and security.txt, so nothing else (a line break, markup) may come along."""
    tag = f.text(value)
    if not re.fullmatch(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*", tag):
        raise Invalid(
            f"'{tag}' is not a language tag", "write a BCP 47 tag such as en, fr or pt-BR"
        )
    return tag


def _language_list(reader: FieldReader) -> tuple[str, ...] | None:
    """`languages: [en, fr]`, each a language tag, listed once (tags compare without case);
    None when absent or wrong (each wrong entry is an error of its own)."""
    reader.seen.add("languages")
    raw = reader.mapping.get("languages")
    if raw is None:
        return None
    example = "write 'languages: [en, fr]' (the first is the language of the original text)"
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list):
        reader.error("languages", "expected a list of language tags", example)
        return None
    if not items:
        reader.error("languages", "the list of languages is empty", example)
        return None
    tags: list[str] = []
    ok = True
    for index, item in enumerate(items):
        try:
            tag = language_tag(item)
        except Invalid as problem:
            reader.error("languages", f"languages[{index + 1}]: {problem.message}", problem.hint)
            ok = False
            continue
        twin = next((t for t in tags if t.casefold() == tag.casefold()), None)
        if twin is not None:
            reader.error(
                "languages",
                f"'{tag}' is listed twice (as '{twin}' before)",
                "list each language once",
            )
            ok = False
            continue
        tags.append(tag)
    return tuple(tags) if ok else None


def _languages(reader: FieldReader) -> tuple[str, tuple[str, ...]] | None:
    """The site's language and all its languages, from `language:` and/or `languages:`;
    None after an error. `language` alone is a one-language site; `languages` alone makes its
    first the site's language; both must agree on it; neither is English."""
    had_errors = len(reader.errors)
    language = reader.optional("language", language_tag, None)
    languages = _language_list(reader)
    if len(reader.errors) > had_errors:
        return None
    if languages is None:
        return (language or "en"), ((language or "en"),)
    if language is not None and language.casefold() != languages[0].casefold():
        listed = any(t.casefold() == language.casefold() for t in languages)
        reader.error(
            "language",
            f"language '{language}' is not the first of languages ({', '.join(languages)})",
            f"{'put' if listed else 'add'} {language} first in languages, or remove "
            "'language:' (the first of languages is the site's language)",
        )
        return None
    return languages[0], languages


def _cities(region: str, known: set[str]) -> list[str]:
    """The zones of a region (`Europe` → Europe/Amsterdam, …), for a name that stops short."""
    prefix = region.strip("/").lower() + "/"
    return (
        sorted(zone for zone in known if zone.lower().startswith(prefix)) if prefix != "/" else []
    )


def _zone_suggestion(name: str, known: set[str]) -> str:
    """A close name for a typo (`Europe/Pariss`)."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.7)
    return f" — did you mean '{close[0]}'?" if close else ""


def _minutes(clock: str) -> int:
    hours, minutes = (int(part) for part in clock.split(":"))
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
        raise Invalid(
            f"'{clock}' is not a time of day", "write hours as HH:MM between 00:00 and 24:00"
        )
    return hours * 60 + minutes


def _weekdays(spec: str) -> tuple[int, ...]:
    days: list[int] = []
    for part in spec.lower().replace(" ", "").split(","):
        if part in ("daily", "everyday"):
            days.extend(range(7))
            continue
        ends = [end[:3] for end in part.split("-")]
        if len(ends) > 2 or any(end not in WEEKDAYS for end in ends):
            raise Invalid(
                f"'{spec}' is not a list of weekdays", "write days like Mon-Fri, Sat,Sun or Daily"
            )
        first, last = WEEKDAYS.index(ends[0]), WEEKDAYS.index(ends[-1])
        days.extend(
            range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
        )
    return tuple(sorted(set(days)))


def support_window(value: Any) -> SupportWindow:
    raw = f.text(value)
    match = _HOURS.fullmatch(raw.strip())
    if not match:
        raise Invalid(f"'{raw}' is not a support window", "write it like 'Mon-Fri 09:00-18:00'")
    opens, closes = _minutes(match["open"]), _minutes(match["close"])
    if closes <= opens:
        raise Invalid(
            f"'{raw}' closes before it opens", "write the opening time first, e.g. 09:00-18:00"
        )
    return SupportWindow(_weekdays(match["days"]), opens, closes, raw)


def _support(reader: FieldReader) -> Support:
    hours_raw: list[Any] = reader.optional("hours", lambda v: v if isinstance(v, list) else [v], [])
    hours = []
    for index, item in enumerate(hours_raw):
        try:
            hours.append(support_window(item))
        except Invalid as problem:
            reader.error("hours", f"hours[{index + 1}]: {problem.message}", problem.hint)
    contacts: list[tuple[str, str]] = []
    contact_reader = reader.nested("contacts")
    if contact_reader is not None:
        for key in contact_reader.mapping:
            value = contact_reader.optional(key, f.text, "")
            if value:
                contacts.append((key, value))
    escalation = reader.optional("escalation", f.text, None)
    reader.reject_unknown()
    return Support(tuple(hours), tuple(contacts), escalation)


def _security(reader: FieldReader) -> Security | None:
    def contact(value: Any) -> str:
        raw = f.text(value)
        # Also refuse whitespace: a line break would add lines of its own to security.txt.
        if not raw.startswith(("mailto:", "https://", "tel:")) or re.search(r"\s", raw):
            raise Invalid(
                f"'{raw}' is not a contact URI",
                "write mailto:security@example.com or an https:// URL",
            )
        return raw

    value = reader.required("contact", contact, "mailto:security@example.com")
    policy = reader.optional("policy", f.url, None)
    reader.reject_unknown()
    return Security(value, policy) if is_ok(value) else None


def _recovery(reader: FieldReader) -> Recovery:
    failover = reader.optional("failover", f.enum(Failover), None)
    rto = reader.optional("rto", f.duration, None)
    rpo = reader.optional("rpo", f.duration, None)
    reader.reject_unknown()
    return Recovery(failover, rto, rpo)


# Ids that name site-wide outputs: /badges/status.svg is the whole page's badge.
RESERVED_COMPONENT_IDS = {"status"}


def component_slug(value: Any) -> str:
    component_id = f.slug(value)
    if component_id in RESERVED_COMPONENT_IDS:
        raise Invalid(
            f"'{component_id}' is reserved (/badges/{component_id}.svg is the whole page's badge)",
            f"use another id, e.g. '{component_id}-page'",
        )
    return component_id


def _component(item: Any, index: int, site: FieldReader) -> Component | None:
    if not isinstance(item, LineMap):
        site.error(
            "components",
            f"component {index + 1} is not a mapping",
            "write '- id: api' then 'name: …' indented under it",
        )
        return None
    reader = FieldReader(item, site.path, site.errors, f"components[{index + 1}].")
    component_id = reader.required("id", component_slug, "api")
    name = reader.required("name", f.text, "Public API")
    description = reader.optional("description", f.text, None)
    group = reader.optional("group", f.text, None)
    sla = reader.optional("sla", f.number(0.0, 100.0), None)
    redundancy = reader.optional("redundancy", f.positive_int, None)
    recovery_reader = reader.nested("recovery")
    recovery = _recovery(recovery_reader) if recovery_reader else None
    since = reader.optional("since", f.day, None)
    retired = reader.optional("retired", boolean, False)
    reader.reject_unknown()
    if not is_ok(component_id, name):
        return None
    return Component(
        component_id,
        name,
        description,
        group,
        sla,
        redundancy,
        recovery,
        since,
        Source(site.path, item.line),
        retired,
    )


def _components(reader: FieldReader) -> tuple[Component, ...]:
    raw = reader.required("components", lambda v: v, "")
    if raw is MISSING:
        return ()
    if not isinstance(raw, list) or not raw:
        reader.error(
            "components",
            "expected a non-empty list of components",
            "write '- id: api' and 'name: Public API' under 'components:'",
        )
        return ()
    components: list[Component] = []
    seen: dict[str, Component] = {}
    items: dict[str, LineMap] = {}
    for index, item in enumerate(raw):
        component = _component(item, index, reader)
        if component is None:
            continue
        if component.id in seen:
            reader.errors.append(
                ContentError(
                    Source(reader.path, item.line_of("id")),
                    f"components[{index + 1}].id",
                    f"duplicate component id '{component.id}' (first on line {seen[component.id].source.line})",
                    "component ids are URLs and API ids: give each component its own",
                )
            )
            continue
        seen[component.id] = component
        items[component.id] = item
        components.append(component)
    for component in components:
        if component.group and group_id(component.group) in seen:
            reader.errors.append(
                ContentError(
                    Source(reader.path, items[component.id].line_of("group")),
                    f"components[{components.index(component) + 1}].group",
                    f"group '{component.group}' has the same id as component '{group_id(component.group)}'",
                    "rename the group or the component: both get a URL and an API id",
                )
            )
    return tuple(components)


def group_id(name: str) -> str:
    """The stable id of a component group, derived from its name."""
    return slugify(name) or "group"


WEIGHTED_STATUSES = (
    ComponentStatus.MAJOR_OUTAGE,
    ComponentStatus.PARTIAL_OUTAGE,
    ComponentStatus.DEGRADED_PERFORMANCE,
)


def _uptime(reader: FieldReader) -> UptimePolicy:
    weights = dict(DEFAULT_UPTIME_WEIGHTS)
    weights_reader = reader.nested("weights")
    if weights_reader is not None:
        for key in weights_reader.mapping:
            if key not in [s.value for s in WEIGHTED_STATUSES]:
                weights_reader.seen.add(key)
                weights_reader.error(
                    key,
                    f"no weight for '{key}'",
                    f.did_you_mean(key, [s.value for s in WEIGHTED_STATUSES]),
                )
                continue
            weights[ComponentStatus(key)] = weights_reader.optional(
                key, f.number(0.0, 1.0), weights[ComponentStatus(key)]
            )
    exclude = reader.optional("exclude_maintenance", boolean, True)
    reader.reject_unknown()
    return UptimePolicy(tuple(weights.items()), exclude)


def _severity_keys(reader: FieldReader) -> Iterator[tuple[str, Severity]]:
    """The keys of a mapping keyed by severity; an unknown one is an error with a suggestion."""
    known = [s.value for s in Severity]
    for key in reader.mapping:
        reader.seen.add(key)
        if key in known:
            yield key, Severity(key)
        else:
            reader.error(key, f"unknown severity '{key}'", f.did_you_mean(key, known))


def _severity_levels(reader: FieldReader | None) -> tuple[SeverityLevel, ...]:
    """`severity_levels: {critical: {name: P1, meaning: …}}`: the team's names and meanings."""
    levels = {level.severity: level for level in DEFAULT_SEVERITY_LEVELS}
    if reader is None:
        return tuple(levels.values())
    names: dict[str, str] = {}
    for key, severity in _severity_keys(reader):
        level_reader = reader.nested(key)
        if level_reader is None:
            continue
        name = level_reader.optional("name", f.text, levels[severity].name)
        meaning = level_reader.optional("meaning", f.text, levels[severity].meaning)
        level_reader.reject_unknown()
        if name.lower() in names and names[name.lower()] != key:
            level_reader.error(
                "name",
                f"name '{name}' is also used for {names[name.lower()]}",
                "give each severity its own name",
            )
        names[name.lower()] = key
        levels[severity] = SeverityLevel(severity, name, meaning)
    return tuple(levels.values())


def _site_recovery(reader: FieldReader) -> SiteRecovery:
    backups = reader.optional("backups", f.text_list, ())
    plan = reader.optional("disaster_recovery", f.text, None)
    tested = reader.optional("last_tested", f.day, None)
    reader.reject_unknown()
    return SiteRecovery(backups, plan, tested)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        # YAML 1.2: yes/no/on/off are text, only true and false are booleans.
        raise Invalid(f"expected true or false, got {value!r}", "write true or false")
    return value


def _cadence(reader: FieldReader | None) -> tuple[tuple[Severity, Any], ...]:
    if reader is None:
        return ()
    result = []
    for key, severity in _severity_keys(reader):
        value = reader.optional(key, f.duration, None)
        if value is not None:
            result.append((severity, value))
    return tuple(sorted(result, key=lambda pair: pair[0].rank))


_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def color(value: Any) -> str:
    """A CSS hex colour, `#rgb` or `#rrggbb`, as '#rrggbb' in lower case."""
    raw = f.text(value)
    if not _COLOR.fullmatch(raw):
        raise Invalid(
            f"'{raw}' is not a colour", 'write it as #rgb or #rrggbb in quotes, e.g. "#0b5cad"'
        )
    digits = raw[1:].lower()
    return "#" + (digits if len(digits) == 6 else "".join(d * 2 for d in digits))


def _brand_links(reader: FieldReader, key: str) -> tuple[BrandLink, ...]:
    raw = reader.optional(key, lambda v: v, None)
    if raw is None:
        return ()
    example = f"write '- {{label: Main site, url: https://example.com}}' under '{key}:'"
    if not isinstance(raw, list):
        reader.error(key, "expected a list of links", example)
        return ()
    links = []
    for index, item in enumerate(raw):
        if not isinstance(item, LineMap):
            reader.error(key, f"{key}[{index + 1}] is not a mapping", example)
            continue
        link = FieldReader(item, reader.path, reader.errors, f"{reader.prefix}{key}[{index + 1}].")
        label = link.required("label", f.text, "Main site")
        url = link.required("url", f.url, "https://example.com")
        link.reject_unknown()
        if is_ok(label, url):
            links.append(BrandLink(label, url))
    return tuple(links)


def _brand_file(reader: FieldReader, key: str, root: Path | None) -> BrandFile | None:
    """The named file, read now (render never reads files); an error names site.yml's line."""
    name = reader.optional(key, f.text, None)
    if name is None:
        return None
    if root is None:
        reader.error(key, f"file '{name}' cannot be read without a content folder")
        return None
    try:
        return BrandFile(name, read_confined(root, name))
    except RefusedFile as refused:
        reader.error(key, refused.message, refused.hint)
        return None


def _branding(reader: FieldReader, root: Path | None) -> Branding:
    logo = _brand_file(reader, "logo", root)
    favicon = _brand_file(reader, "favicon", root)
    brand_color = reader.optional("color", color, None)
    stylesheet = _brand_file(reader, "stylesheet", root)
    links = _brand_links(reader, "links")
    footer_links = _brand_links(reader, "footer_links")
    reader.reject_unknown()
    return Branding(logo, favicon, brand_color, stylesheet, links, footer_links)


@dataclass(frozen=True, slots=True)
class SiteResult:
    """The site when valid, and what incident validation can still use when it is not."""

    site: Site | None
    components: tuple[Component, ...]
    timezone: ZoneInfo | None
    severity_levels: tuple[SeverityLevel, ...] = DEFAULT_SEVERITY_LEVELS
    # None when site.yml's languages cannot be read: then a translation's language is not
    # checked against them (reporting each one would bury the real error).
    languages: tuple[str, ...] | None = None


def validate_site(
    document: Document, errors: list[ContentError], root: Path | None = None
) -> SiteResult:
    """Read site.yml; `site` is None (with errors) when the site cannot be built.
    `root` is the content folder, which the branding's files are read from."""
    reader = FieldReader(document.meta, document.path, errors)
    name = reader.required("name", f.text, "Acme Cloud")
    site_url = reader.required("url", f.page_url, "https://status.example.com")
    zone = reader.required("timezone", timezone, "Europe/Paris")
    languages = _languages(reader)
    description = reader.optional("description", f.text, None)
    theme = reader.optional("theme", f.text, None)
    components = _components(reader)
    support_reader = reader.nested("support")
    support = _support(support_reader) if support_reader else None
    security_reader = reader.nested("security")
    security = _security(security_reader) if security_reader else None
    cadence = _cadence(reader.nested("update_cadence"))
    uptime_reader = reader.nested("uptime")
    uptime = _uptime(uptime_reader) if uptime_reader else UptimePolicy()
    levels = _severity_levels(reader.nested("severity_levels"))
    recovery_reader = reader.nested("recovery")
    site_recovery = _site_recovery(recovery_reader) if recovery_reader else None
    branding_reader = reader.nested("branding")
    branding = _branding(branding_reader, root) if branding_reader else None
    channels = notify_channels(reader, components)
    reader.reject_unknown()
    valid_zone = zone if is_ok(zone) else None
    if not is_ok(name, site_url, zone) or not components or languages is None:
        known = languages[1] if languages else None
        return SiteResult(None, components, valid_zone, levels, known)
    site = Site(
        name=name,
        url=site_url.rstrip("/"),
        timezone=zone,
        language=languages[0],
        languages=languages[1],
        description=description,
        theme=theme,
        components=components,
        support=support,
        security=security,
        update_cadence=cadence,
        uptime=uptime,
        severity_levels=levels,
        recovery=site_recovery,
        branding=branding,
        notify=channels,
        source=Source(document.path, 1),
    )
    return SiteResult(site, components, valid_zone, levels, languages[1])
