"""A cState site (github.com/cstate/cstate, a Hugo theme) read into an ImportedSite.

What cState holds, and what it becomes:

- The Hugo config (`hugo.toml`, `hugo.yaml`/`.yml`, `hugo.json`, then the same `config.*`, in
  Hugo's order): `title` → name, `baseURL` → url, `params.description` → description, and the
  site's zone from Hugo's `timeZone`. Without one, times without an offset are UTC, as Hugo
  reads them (cState asks for UTC times in its frontmatter for the same reason).
- `params.categories` (`name`, `description`, `closed`, `untitled`) and `params.systems`
  (`name`, `displayName`, `description`, `category`): one component per system, in category
  order and then in the order of `systems` (as cState's home page lists them). The id is the
  slug of the system's name (`-2`, `-3` … when two names give one slug, `system-N` when a
  name gives none); the group is the category's name, none for an `untitled` category or a
  system without a category. A system whose category is not declared keeps the category's
  name as its group. A name in `affected` that is no system becomes a retired component:
  valid in the history, kept off the page.
- `content/issues/*.md` (and `content/issues/NAME/index.md`): one incident each, its source
  id the file's stem. Drafts, `_index.md` and pages whose `section` is not `issue` are left
  out, as Hugo and cState leave them out.

An issue's body is prose: one update per paragraph that starts with a phase marker
(`*Investigating* - text`) or carries a `{{< track "time" >}}` shortcode, newest first as
cState's documentation writes them (oldest first when the tracked times say so). Untimed,
unmarked paragraphs belong to the update above them (the one below, for text on top). Each
update's body is the text as written without the marker and the shortcode. Times: the
shortcode's; an update without one takes the time of the update before it, the oldest the
issue's `date`, and a resolving one on top `resolvedWhen`.

Statuses come from the marker's word (`_INCIDENT_WORDS`); a word not listed, or no marker,
is `investigating` for the oldest update and `identified` for the others. Only the newest
update of a resolved issue (`resolved: true`) may be `resolved`: a resolving word elsewhere,
or in an issue cState still shows as ongoing, is `monitoring`. A resolved issue whose newest
update does not resolve it gets a final `resolved` update at `resolvedWhen` (or at its newest
update, when `resolvedWhen` is missing or earlier), saying so in one sentence.

Severities: `down`, `disrupted`, `notice` (the default, as in cState) → critical, major,
minor. Every update but the resolving one sets the affected components to major_outage,
partial_outage or degraded_performance, and the resolving one sets them back to operational:
cState shows a system as impacted for as long as an issue naming it is unresolved.

Informational posts (`informational: true`, or a notice that names no system) carry no
impact. One marked `informational: true` with a window (`resolvedWhen` after `date`; for a
notice those are when the trouble began and ended) is a maintenance over that window,
for the systems it names (none: a notice only); its markers read as maintenance statuses
(`_MAINTENANCE_WORDS`, an unknown word keeps the status before it), and text above the first
update is its description. Any other is an incident of severity `none`, setting no
component, closed unless it says `resolved: false`: its updates without a phase word are
`identified`, but the newest of a closed one, which is `resolved` (a notice has no fix to
announce, so no resolving sentence is added unless its newest word says otherwise).

`old_paths`: the issue's address on the cState site, `/issues/<slug or stem>/` (or its
`url`), lowercased as Hugo does, and its `aliases`; paths are from the site's root, without
the path of `baseURL`.
"""

from __future__ import annotations

import email.utils
import itertools
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from statusgen.content.yamlsource import YamlProblem, parse_yaml
from statusgen.importers import (
    ImportedComponent,
    ImportedIncident,
    ImportedMaintenance,
    ImportedSite,
    ImportedUpdate,
    ImportFailed,
)
from statusgen.text import normalise_newlines, slugify

# Hugo's order: the first of these found is the site's configuration.
CONFIG_NAMES = (
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
)

SEVERITIES = {"down": "critical", "disrupted": "major", "notice": "minor"}
IMPACTS = {"down": "major_outage", "disrupted": "partial_outage", "notice": "degraded_performance"}

# Phase words cState sites write (lowercase, without punctuation) and statusgen's status.
_INCIDENT_WORDS = {
    "investigating": "investigating",
    "investigation": "investigating",
    "detected": "investigating",
    "identified": "identified",
    "identifying": "identified",
    "update": "identified",
    "updated": "identified",
    "in progress": "identified",
    "fixing": "identified",
    "monitoring": "monitoring",
    "recovering": "monitoring",
    "mitigated": "monitoring",
    "fix deployed": "monitoring",
    "resolved": "resolved",
    "fixed": "resolved",
    "restored": "resolved",
    "closed": "resolved",
    "completed": "resolved",
    "done": "resolved",
}
_MAINTENANCE_WORDS = {
    "scheduled": "scheduled",
    "planned": "scheduled",
    "upcoming": "scheduled",
    "announcement": "scheduled",
    "in progress": "in_progress",
    "just began": "in_progress",
    "began": "in_progress",
    "started": "in_progress",
    "underway": "in_progress",
    "ongoing": "in_progress",
    "verifying": "verifying",
    "monitoring": "verifying",
    "completed": "completed",
    "complete": "completed",
    "resolved": "completed",
    "finished": "completed",
    "done": "completed",
    "cancelled": "cancelled",
    "canceled": "cancelled",
}
RESOLVED_BODY = "This incident has been resolved."

# `{{< track "2018-06-13 16:35:00" >}}`, also with `{{% %}}`, single or back quotes, or none.
_TRACK = re.compile(r"\{\{[<%]\s*track\s+[\"'`]?([^\"'`<>%}]*?)[\"'`]?\s*/?\s*[>%]\}\}")
# `*Resolved* - `, `**Identified**: ` at the start of a line (the text may follow on the next).
_MARKER = re.compile(
    r"^\*{1,2}(?=\S)([^*\n]{1,60}?)(?<=\S)\*{1,2}[ \t]*[-–—:][ \t]*\n?", re.MULTILINE
)
_RULE = re.compile(r"\A(?:[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*(?:\n|\Z)|\s)+")
_RULE_END = re.compile(r"(?:\n[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*|\s)+\Z")


@dataclass(frozen=True, slots=True)
class Paragraphs:
    """One update as the issue's body writes it: marker word, tracked time, text."""

    word: str | None
    at: datetime | None
    body: str


@dataclass(frozen=True, slots=True)
class Issue:
    """One issue file, read: what the mapping needs, times already in the site's zone."""

    stem: str
    path: Path
    title: str
    date: datetime
    resolved: bool | None
    resolved_when: datetime | None
    severity: str
    affected: tuple[str, ...]
    informational: bool  # no impact: `informational: true`, or a notice naming no system
    announced: bool  # `informational: true` itself
    pieces: tuple[Paragraphs, ...]  # oldest first
    description: str  # untimed, unmarked text on top of the updates
    old_paths: tuple[str, ...]


# --- reading files ---------------------------------------------------------------------------


def _read(path: Path) -> str:
    try:
        return normalise_newlines(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ImportFailed(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    except OSError as error:
        raise ImportFailed(f"{path}: cannot be read ({error.strerror or error})") from None


def _parse(text: str, path: Path, kind: str, first_line: int = 1) -> dict[str, Any]:
    """A mapping from YAML, TOML or JSON text, or ImportFailed naming the file and line."""
    try:
        if kind == "toml":
            data: Any = tomllib.loads(text)
        elif kind == "json":
            data = json.loads(text)
        else:
            data = parse_yaml(text) if text.strip() else {}
    except YamlProblem as problem:
        where = f", line {problem.line + first_line - 1}" if problem.line else ""
        raise ImportFailed(f"{path}{where}: {problem.message}") from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise ImportFailed(f"{path}: invalid {kind.upper()}: {error}") from None
    if not isinstance(data, dict):
        raise ImportFailed(f"{path}: expected a mapping of settings, found {type(data).__name__}")
    return data


def _lower_keys(value: Any) -> Any:
    """Hugo reads configuration keys without case (`baseURL`, `baseurl`): so do we."""
    if isinstance(value, Mapping):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


def find_config(site_dir: Path) -> Path:
    for name in CONFIG_NAMES:
        if (site_dir / name).is_file():
            return site_dir / name
    raise ImportFailed(
        f"{site_dir}: no Hugo configuration ({', '.join(CONFIG_NAMES)}): "
        "give the folder of the cState site, the one holding config.yml and content/"
    )


def read_config(path: Path) -> dict[str, Any]:
    kind = {".toml": "toml", ".json": "json"}.get(path.suffix, "yaml")
    data: dict[str, Any] = _lower_keys(_parse(_read(path), path, kind))
    return data


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """Hugo front matter: YAML between `---` lines or TOML between `+++` lines, then the body."""
    lines = text.split("\n")
    fence = lines[0].strip() if lines else ""
    if fence not in ("---", "+++"):
        raise ImportFailed(f"{path}: no front matter: the file must start with a '---' line")
    for index in range(1, len(lines)):
        if lines[index].strip() == fence:
            break
    else:
        raise ImportFailed(f"{path}: the front matter is not closed by a '{fence}' line")
    meta = _parse("\n".join(lines[1:index]), path, "toml" if fence == "+++" else "yaml", 2)
    return _lower_keys(meta), "\n".join(lines[index + 1 :])


# --- values ----------------------------------------------------------------------------------


def parse_time(value: object, zone: tzinfo, path: Path, field: str) -> datetime:
    """A Hugo date: ISO 8601 with or without an offset (then in `zone`), or RFC 822/1123."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            try:
                moment = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                raise ImportFailed(
                    f"{path}: {field} '{text}' is not a date and time "
                    "(write it as 2018-06-13 16:35:00 or 2018-06-13T16:35:00Z)"
                ) from None
    else:
        raise ImportFailed(f"{path}: {field} is missing or not a date and time")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def _text(meta: Mapping[str, Any], key: str, path: Path) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ImportFailed(f"{path}: {key} should be text, found {type(value).__name__}")
    return str(value).strip() or None


def _flag(meta: Mapping[str, Any], key: str, path: Path) -> bool | None:
    value = meta.get(key)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"  # Hugo's frontmatter widgets sometimes quote
    raise ImportFailed(f"{path}: {key} should be true or false, found '{value}'")


def _names(meta: Mapping[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = meta.get(key)
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str | int | float) for i in items):
        raise ImportFailed(f"{path}: {key} should be a list of names")
    return tuple(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))


def _zone(config: Mapping[str, Any], path: Path) -> tuple[str, tzinfo]:
    name = config.get("timezone")
    if name is None or (isinstance(name, str) and not name.strip()):
        return "UTC", UTC
    if not isinstance(name, str):
        raise ImportFailed(f"{path}: timeZone should be a zone name such as Europe/Paris")
    try:
        return name.strip(), ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ImportFailed(
            f"{path}: timeZone '{name}' is not a known time zone (e.g. Europe/Paris, UTC)"
        ) from None


# --- components ------------------------------------------------------------------------------


def _entries(params: Mapping[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    value = params.get(key) or []
    if not isinstance(value, list):
        raise ImportFailed(f"{path}: params.{key} should be a list")
    entries = []
    for given in value:
        # a bare name, as the oldest cState configs list systems
        item = {"name": given} if isinstance(given, str) else given
        if not isinstance(item, dict) or not _text(item, "name", path):
            raise ImportFailed(f"{path}: every entry of params.{key} needs a name")
        entries.append(item)
    return entries


def _unique_id(name: str, number: int, taken: set[str]) -> str:
    base = slugify(name) or f"system-{number}"
    unique, suffix = base, 2
    while unique in taken:
        unique, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(unique)
    return unique


def site_components(config: Mapping[str, Any], path: Path) -> tuple[ImportedComponent, ...]:
    """Systems in the order cState shows them: by category, then as `systems` lists them."""
    params = config.get("params") or {}
    if not isinstance(params, dict):
        raise ImportFailed(f"{path}: params should be a mapping")
    categories = _entries(params, "categories", path)
    systems = _entries(params, "systems", path)
    untitled = {str(c["name"]).strip() for c in categories if _flag(c, "untitled", path)}
    order = {str(c["name"]).strip(): n for n, c in enumerate(categories)}

    def rank(system: dict[str, Any]) -> int:
        category = _text(system, "category", path)
        return order.get(category, len(order)) if category else len(order)

    taken: set[str] = set()
    components = []
    for number, system in enumerate(sorted(systems, key=rank), start=1):
        name = str(_text(system, "name", path))
        category = _text(system, "category", path)
        components.append(
            ImportedComponent(
                id=_unique_id(name, number, taken),
                name=_text(system, "displayname", path) or name,
                source_id=name,
                description=_text(system, "description", path),
                group=category if category and category not in untitled else None,
            )
        )
    return tuple(components)


def with_retired(
    components: tuple[ImportedComponent, ...], issues: Iterable[Issue]
) -> tuple[ImportedComponent, ...]:
    """The site's components, then one retired component per unknown `affected` name."""
    known = {c.source_id for c in components} | {slugify(c.source_id) for c in components}
    taken = {c.id for c in components}
    extra: list[ImportedComponent] = []
    for issue in issues:
        for name in issue.affected:
            if name in known or slugify(name) in known:
                continue
            known |= {name, slugify(name)}
            number = len(components) + len(extra) + 1
            extra.append(
                ImportedComponent(
                    id=_unique_id(name, number, taken), name=name, source_id=name, retired=True
                )
            )
    return components + tuple(extra)


def affected_ids(names: Iterable[str], components: Sequence[ImportedComponent]) -> tuple[str, ...]:
    """Component ids of `affected` names, in site order: by name, else as Hugo's URL matches."""
    by_name = {c.source_id: c.id for c in components}
    by_slug: dict[str, str] = {}
    for component in components:
        by_slug.setdefault(slugify(component.source_id), component.id)
    wanted = {by_name.get(name) or by_slug.get(slugify(name)) for name in names}
    return tuple(c.id for c in components if c.id in wanted)


# --- issue bodies ----------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Text without the horizontal rules and blank lines that separate updates."""
    return _RULE_END.sub("", _RULE.sub("", text))


def split_updates(body: str, zone: tzinfo, path: Path) -> tuple[str, list[Paragraphs]]:
    """The untimed, unmarked text on top, and the updates in the order the body writes them."""
    cuts = {0, len(body)}
    cuts |= {m.start() for m in _MARKER.finditer(body)}
    cuts |= {m.end() for m in _TRACK.finditer(body)}
    bounds = sorted(cuts)
    pieces: list[Paragraphs] = []
    top = ""
    for start, end in itertools.pairwise(bounds):
        chunk = body[start:end]
        marker = _MARKER.match(chunk)
        word = marker.group(1).strip() if marker else None
        text = chunk[marker.end() :] if marker else chunk
        track = _TRACK.search(text)
        at = parse_time(track.group(1), zone, path, "a track shortcode's time") if track else None
        text = _clean(_TRACK.sub("", text))
        if word is None and at is None:
            if not text:
                continue
            if pieces:  # more paragraphs of the update above
                last = pieces[-1]
                pieces[-1] = replace(last, body=f"{last.body}\n\n{text}" if last.body else text)
            else:
                top = f"{top}\n\n{text}" if top else text
            continue
        pieces.append(Paragraphs(word, at, text))
    return top, pieces


def oldest_first(pieces: list[Paragraphs]) -> list[Paragraphs]:
    """cState writes the newest update on top; a body whose tracked times rise is read down."""
    times = [p.at for p in pieces if p.at is not None]
    rising = len(times) >= 2 and times[0] < times[-1]
    return list(pieces) if rising else list(reversed(pieces))


def _phase(word: str | None) -> str | None:
    return re.sub(r"[^\w ]+", "", word).strip().lower() if word else None


# --- issues ----------------------------------------------------------------------------------


def _old_paths(
    meta: Mapping[str, Any], stem: str, config: Mapping[str, Any], path: Path
) -> tuple[str, ...]:
    lower = not config.get("disablepathtolower")
    url = _text(meta, "url", path)
    if url:
        paths = ["/" + url.strip("/") + ("/" if not url.endswith(".html") else "")]
    else:
        name = (_text(meta, "slug", path) or stem).replace(" ", "-")
        ugly = bool(config.get("uglyurls"))
        paths = [f"/issues/{name}.html" if ugly else f"/issues/{name}/"]
    for alias in _names(meta, "aliases", path):
        paths.append(alias if alias.startswith("/") else f"/issues/{alias}")
    cleaned = [p.lower() if lower else p for p in paths]
    return tuple(dict.fromkeys(p.replace("//", "/") for p in cleaned))


def issue_files(site_dir: Path) -> list[tuple[str, Path]]:
    folder = site_dir / "content" / "issues"
    if not folder.is_dir():
        return []
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_file() and entry.suffix == ".md":
            found.append((entry.stem, entry))
        elif entry.is_dir() and (entry / "index.md").is_file():
            found.append((entry.name, entry / "index.md"))
    return found


def read_issue(stem: str, path: Path, zone: tzinfo, config: Mapping[str, Any]) -> Issue | None:
    """One issue file, or None for a page cState does not show (a draft, another section)."""
    meta, body = split_front_matter(_read(path), path)
    if _flag(meta, "draft", path):
        return None
    section = _text(meta, "section", path)
    if section is not None and section != "issue":
        return None
    title = _text(meta, "title", path)
    if not title:
        raise ImportFailed(f"{path}: the issue has no title")
    severity = (_text(meta, "severity", path) or "notice").lower()
    affected = _names(meta, "affected", path)
    top, pieces = split_updates(body, zone, path)
    resolved_when = meta.get("resolvedwhen")
    return Issue(
        stem=stem,
        path=path,
        title=title,
        date=parse_time(meta.get("date"), zone, path, "date"),
        resolved=_flag(meta, "resolved", path),
        resolved_when=parse_time(resolved_when, zone, path, "resolvedWhen")
        if resolved_when not in (None, "")
        else None,
        severity=severity if severity in SEVERITIES else "notice",
        affected=affected,
        informational=bool(_flag(meta, "informational", path))
        or (severity not in ("down", "disrupted") and not affected),
        announced=bool(_flag(meta, "informational", path)),
        pieces=tuple(oldest_first(pieces)),
        description=top,
        old_paths=_old_paths(meta, stem, config, path),
    )


def _timed(issue: Issue) -> list[tuple[Paragraphs, datetime]]:
    """Each update with a time: its own, else the one before it's, the oldest's the issue's."""
    timed: list[tuple[Paragraphs, datetime]] = []
    for piece in issue.pieces:
        at = piece.at or (timed[-1][1] if timed else issue.date)
        timed.append((piece, at))
    return timed


def _source_id(index: int, at: datetime) -> str:
    return f"{index:02d}-{at.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def incident_updates(issue: Issue, components: tuple[str, ...]) -> tuple[ImportedUpdate, ...]:
    """The prose updates with statusgen statuses, and a resolving one when the issue needs it."""
    pieces = list(issue.pieces)
    if issue.description and not pieces:  # prose alone: the one update; else the summary
        pieces = [Paragraphs(None, None, issue.description)]
    timed = _timed(replace(issue, pieces=tuple(pieces)))
    closed = issue.resolved is True or (issue.informational and issue.resolved is not False)
    impact = "operational" if issue.informational else IMPACTS[issue.severity]
    updates: list[ImportedUpdate] = []
    for index, (piece, told) in enumerate(timed):
        at = told
        newest = index == len(timed) - 1
        status = _INCIDENT_WORDS.get(_phase(piece.word) or "")
        if status is None:
            default = "investigating" if index == 0 and not issue.informational else "identified"
            status = "resolved" if issue.informational and closed and newest else default
        if status == "resolved" and not (newest and closed):
            status = "monitoring"
        if status == "resolved" and piece.at is None and issue.resolved_when is not None:
            at = max(issue.resolved_when, updates[-1].at if updates else told)
        sets = () if issue.informational else tuple((c, impact) for c in components)
        if status == "resolved" and sets:
            sets = tuple((c, "operational") for c in components)
        updates.append(ImportedUpdate(_source_id(index, at), at, status, piece.body, sets))
    if closed and (not updates or updates[-1].status != "resolved"):
        at = max(issue.resolved_when or issue.date, updates[-1].at if updates else issue.date)
        sets = () if issue.informational else tuple((c, "operational") for c in components)
        updates.append(
            ImportedUpdate(
                f"resolved-{at.astimezone(UTC):%Y%m%dT%H%M%SZ}", at, "resolved", RESOLVED_BODY, sets
            )
        )
    return tuple(updates)


def to_incident(issue: Issue, components: Sequence[ImportedComponent]) -> ImportedIncident:
    ids = affected_ids(issue.affected, components)
    updates = incident_updates(issue, ids)
    first = min((u.at for u in updates), default=issue.date)
    return ImportedIncident(
        source_id=issue.stem,
        title=issue.title,
        severity="none" if issue.informational else SEVERITIES[issue.severity],
        created_at=issue.date,
        updates=updates,
        components=ids,
        started_at=issue.date if issue.date < first else None,
        old_paths=issue.old_paths,
        summary=issue.description if issue.pieces else "",
    )


def has_window(issue: Issue) -> bool:
    """Only a post marked informational announces a window: a notice's `date` to
    `resolvedWhen` is how long the trouble lasted."""
    return issue.announced and issue.resolved_when is not None and issue.resolved_when > issue.date


def to_maintenance(issue: Issue, components: Sequence[ImportedComponent]) -> ImportedMaintenance:
    """An informational post with a window: a maintenance over it, its markers as statuses."""
    assert issue.resolved_when is not None
    updates: list[ImportedUpdate] = []
    for index, (piece, at) in enumerate(_timed(issue)):
        status = _MAINTENANCE_WORDS.get(_phase(piece.word) or "")
        if status is None:
            status = updates[-1].status if updates else "scheduled"
        updates.append(ImportedUpdate(_source_id(index, at), at, status, piece.body))
    first = min((u.at for u in updates), default=issue.date)
    return ImportedMaintenance(
        source_id=issue.stem,
        title=issue.title,
        created_at=min(first, issue.date),
        scheduled_for=issue.date,
        scheduled_until=issue.resolved_when,
        updates=tuple(updates),
        components=affected_ids(issue.affected, components),
        body=issue.description,
        old_paths=issue.old_paths,
    )


def cstate_site(site_dir: Path) -> ImportedSite:
    """The cState site in `site_dir` (the folder holding its config and `content/`)."""
    if not site_dir.is_dir():
        raise ImportFailed(f"{site_dir}: not a folder")
    config_path = find_config(site_dir)
    config = read_config(config_path)
    zone_name, zone = _zone(config, config_path)
    title = _text(config, "title", config_path)
    if not title:
        raise ImportFailed(f"{config_path}: the site has no title (statusgen needs its name)")
    files = issue_files(site_dir)
    issues = [i for stem, path in files if (i := read_issue(stem, path, zone, config))]
    components = with_retired(site_components(config, config_path), issues)
    params = config.get("params") if isinstance(config.get("params"), dict) else {}
    return ImportedSite(
        source="cstate",
        name=title,
        url=_text(config, "baseurl", config_path) or "",
        timezone=zone_name,
        components=components,
        incidents=tuple(to_incident(i, components) for i in issues if not has_window(i)),
        maintenances=tuple(to_maintenance(i, components) for i in issues if has_window(i)),
        description=_text(params or {}, "description", config_path),
    )
