"""Small pure parsers for field values, and a reader that ties them to file, line and field.

A parser takes the raw YAML value and returns the typed value or raises `Invalid` with a
message and a fix. `FieldReader` turns that into a `ContentError` naming the file, line and
field, so no parser needs to know where its value came from.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from statusgen.content.yamlsource import LineMap
from statusgen.errors import ContentError, Source
from statusgen.text import slugify

T = TypeVar("T")
D = TypeVar("D")  # a default, which may be of another type than what the field parses to
E = TypeVar("E", bound=StrEnum)

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DURATION = re.compile(r"(\d+)\s*(s|m|h|d|w)")
MAX_DURATION_SECONDS = 366 * 86400
# Times outside this range are typos (0001, 9999) that would make history pages run for ages.
EARLIEST_YEAR, LATEST_YEAR = 1990, 2199
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class Invalid(Exception):
    """A value we cannot accept; `hint` says how to fix it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Unknowable(Exception):
    """A value that cannot be checked because of a mistake reported elsewhere (a time without
    offset when site.yml has no valid timezone): no error of its own, which would only bury
    the real one, and no value."""


class _Missing:
    pass


MISSING: Any = _Missing()


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """ "known: a, b — did you mean 'a'?" for closed vocabularies."""
    known = list(known)
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    text = "known: " + ", ".join(known) if known else "none are defined"
    return text + (f" — did you mean '{close[0]}'?" if close else "")


def text(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # YAML reads `010` as 10 and `1.10` as 1.1: turned back into text, the number would
        # not be what was written, so it is refused rather than silently converted.
        raise Invalid(
            f"expected text, got the number {value!r}",
            'put the value in quotes to keep it exactly as written, e.g. "010" or "1.10"',
        )
    if not isinstance(value, str):
        raise Invalid(f"expected text, got {_describe(value)}", "write the value as plain text")
    result = value.strip()
    if not result:
        raise Invalid("must not be empty")
    return result


def slug(value: Any) -> str:
    result = text(value)
    if not SLUG_PATTERN.fullmatch(result):
        raise Invalid(
            f"'{result}' is not a valid id: use lowercase letters, digits and single hyphens",
            f"for example '{slugify(result) or 'api'}'",
        )
    return result


def enum(kind: type[E]) -> Callable[[Any], E]:
    def parse(value: Any) -> E:
        raw = text(value)
        try:
            return kind(raw)
        except ValueError:
            raise Invalid(
                f"unknown value '{raw}'", did_you_mean(raw, [m.value for m in kind])
            ) from None

    return parse


def one_of(kind: type[E], allowed: Iterable[E], why: str) -> Callable[[Any], E]:
    allowed = tuple(allowed)

    def parse(value: Any) -> E:
        raw = text(value)
        if raw not in [a.value for a in allowed]:
            raise Invalid(
                f"unknown value '{raw}'{why}", did_you_mean(raw, [a.value for a in allowed])
            )
        return kind(raw)

    return parse


def number(low: float, high: float) -> Callable[[Any], float]:
    def parse(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid(
                f"expected a number, got {_describe(value)}",
                f"write a number between {low} and {high}",
            )
        if not low <= value <= high:
            raise Invalid(f"{value} is out of range", f"write a number between {low} and {high}")
        return float(value)

    return parse


def positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Invalid(f"expected a whole number of at least 1, got {_describe(value)}")
    return value


def duration(value: Any) -> timedelta:
    """30s, 15m, 4h, 1d, or combinations such as 1h30m."""
    written = text(value)
    raw = written.replace(" ", "")
    if not raw or _DURATION.sub("", raw) or not _DURATION.findall(raw):
        raise Invalid(
            f"'{written}' is not a duration",
            "write a number and a unit: 30s, 15m, 4h, 1d (or 1h30m)",
        )
    seconds = sum(int(n) * _DURATION_UNITS[unit] for n, unit in _DURATION.findall(raw))
    if seconds > MAX_DURATION_SECONDS:
        raise Invalid(f"'{written}' is longer than a year", "write a shorter duration")
    return timedelta(seconds=seconds)


def day(value: Any) -> date:
    raw = text(value)
    try:
        parsed = date.fromisoformat(raw)
    except ValueError:
        raise Invalid(f"'{raw}' is not a date", "write it as YYYY-MM-DD, e.g. 2026-01-31") from None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise Invalid(f"'{raw}' is outside {EARLIEST_YEAR}–{LATEST_YEAR}", "check the year")
    return parsed


# Characters that end an attribute or a link wherever a URL is written into a page or feed.
_URL_BREAKERS = re.compile(r"[\"'<>`\\{}|^]")


def url(value: Any) -> str:
    """An absolute http(s) URL with a host, parsed rather than pattern-matched."""
    raw = text(value)
    example = "write it like https://status.example.com"
    if re.search(r"\s", raw):
        raise Invalid(f"'{raw}' is not a URL: it holds a space or line break", example)
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number 0–65535
    except ValueError as error:  # an unclosed IPv6 bracket, a bad port
        raise Invalid(f"'{raw}' is not a URL ({error})", example) from None
    if parts.scheme not in ("http", "https") or not raw.startswith(f"{parts.scheme}://"):
        raise Invalid(f"'{raw}' is not an absolute http(s) URL", example)
    if not parts.hostname:
        raise Invalid(f"'{raw}' has no host name", example)
    if parts.username is not None or parts.password is not None:
        raise Invalid(f"'{raw}' holds a user name or password", "remove the part before '@'")
    return raw


def page_url(value: Any) -> str:
    """A URL that others are joined to (the site's `url:`): no query or fragment, which would
    end up inside every canonical, feed and API link."""
    raw = url(value)
    if _URL_BREAKERS.search(raw):
        raise Invalid(
            f"'{raw}' holds quotes, angle brackets or backslashes",
            "write it like https://status.example.com (percent-encode such characters in a path)",
        )
    parts = urlsplit(raw)
    if parts.query or parts.fragment or raw.endswith(("?", "#")):
        base = parts._replace(query="", fragment="").geturl()
        raise Invalid(
            f"'{raw}' has a query or fragment ('?…' or '#…')", f"write the address alone: {base}"
        )
    return raw


def text_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise Invalid(f"expected a list, got {_describe(value)}", "write one '- item' per line")
    return tuple(text(item) for item in value)


def moment(zone: ZoneInfo | None) -> Callable[[Any], datetime]:
    """An ISO 8601 time; without an offset it is read in the site timezone."""

    def parse(value: Any) -> datetime:
        raw = text(value)
        try:
            parsed = datetime.fromisoformat(raw.replace(" ", "T", 1) if "T" not in raw else raw)
        except ValueError:
            raise Invalid(
                f"'{raw}' is not a time",
                "write ISO 8601 like 2026-11-20T14:02:00+01:00 (or without the offset for site time)",
            ) from None
        if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
            raise Invalid(f"'{raw}' is outside {EARLIEST_YEAR}–{LATEST_YEAR}", "check the year")
        offset = parsed.utcoffset()
        if offset is not None:
            if abs(offset) > MAX_OFFSET:
                raise Invalid(
                    f"'{raw}' has the offset {_offset(offset)}; no place on Earth is more than 14 hours from UTC",
                    "check the offset, e.g. +01:00 for Paris in winter, -05:00 for New York",
                )
            return parsed
        if zone is None:
            raise Unknowable  # site.yml's timezone is wrong: that error says it all
        return _local(parsed, raw, zone)

    return parse


# UTC+14:00 (Kiribati) and UTC-12:00 are the extremes in use; ISO 8601 allows up to ±23:59.
MAX_OFFSET = timedelta(hours=14)


def _offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _local(parsed: datetime, raw: str, zone: ZoneInfo) -> datetime:
    """A time without offset read in the site's timezone, refused when a DST change makes it
    happen twice (when clocks go back) or never (when they jump forward): guessing would move
    the update by an hour."""
    first, second = parsed.replace(tzinfo=zone), parsed.replace(tzinfo=zone, fold=1)
    before, after = first.utcoffset(), second.utcoffset()
    if before is None or after is None or before == after:
        return first
    written = parsed.isoformat(timespec="seconds")
    round_trip = first.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if round_trip.replace(tzinfo=None) == parsed:  # it exists: twice
        raise Invalid(
            f"'{raw}' happens twice in {zone.key} (clocks go back then)",
            f"add the offset: {written}{_offset(before)} (the first time) "
            f"or {written}{_offset(after)} (the second)",
        )
    raise Invalid(
        f"'{raw}' does not exist in {zone.key} (clocks jump forward then)",
        f"add the offset explicitly, {written}{_offset(before)} or {written}{_offset(after)}, "
        "or pick a time outside the skipped hour",
    )


# Python-Markdown is quadratic on inputs far below the 512 KB file limit: each '[' starts a scan
# for its end, each match of '*', '_', '`' or '\' copies the rest of its paragraph, each line
# that splits a block (a rule, a heading) copies the rest of the block, and each '<' that opens
# an HTML tag scans for its '>' across the whole text. So the cost is (costly characters) ×
# (length of the block around them): the bounds below cap both, per message and per block.
# They are far beyond any message a person writes (GitHub caps an issue at 65,536 characters);
# benchmarks/bench_markdown_limits.py measures the worst message allowed (target: under 1 s).
# (Deep nesting, which exhausts the stack, is bounded by the renderer: render/markdown.py.)
MAX_MESSAGE_CHARACTERS = 131_072
MAX_MESSAGE_LINES = 3_000
MAX_MARKUP_CHARACTERS = 200  # '[' and '<', each
MAX_INLINE_CHARACTERS = 2_000  # '*', '_', '`' and '\', each
# A block is a run of lines without a blank line between them, outside fenced code (which is
# not parsed as Markdown, so long logs belong there). A real paragraph, list or table is far
# shorter; a tab counts as the 4 spaces Markdown makes of it.
MAX_BLOCK_CHARACTERS = 8_000
# Σ over blocks of ('[' in the block × its length), and the same for '<': 100 '[' in a block of
# 3,000 characters, or 200 in blocks of 1,500. Links in ordinary paragraphs stay far below.
MAX_MARKUP_COST = 300_000
# Σ over the '<' that open a tag (a letter, '/', '!' or '?' after it) of how far Markdown's
# HTML reader may scan for its end: to the next '>', or to the end of the text when a quote
# comes first (a quoted value may hold '>') or for '<!' (a comment ends only at '-->').
MAX_TAG_SCAN = 2_000_000
_LIMIT_HINT = (
    "this limit protects the build from pathological Markdown; shorten or split the message, "
    "or put logs in a fenced code block (a line ``` before and after it)"
)
_BLOCK_HINT = (
    "split long paragraphs with blank lines, or put logs and other machine output in a fenced "
    "code block (a line ``` before and after it)"
)
_TAG_START = re.compile(r"<[A-Za-z/?!]")
_TAG_END = re.compile(r"[^>'\"]*>")
_SPACES_ONLY = re.compile(r"(?<=\n) +\n")


# The opening line of Python-Markdown's fenced_code pattern (FencedBlockPreprocessor.
# FENCED_BLOCK_RE up to the code, verbose, as Python-Markdown 3 writes it), and the closing line:
# fenced here when fenced there (an unclosed fence is not fenced: its lines count). Held here,
# not read from the library, so that checking a text never imports Python-Markdown (about 70 ms
# of every on-call command on a site with one fenced block in its history);
# tests/test_markdown_limits.py fails the day the installed library's pattern differs.
FENCE_OPENING = re.compile(
    r"""
(?P<fence>^(?:~{3,}|`{3,}))[ ]*                          # opening fence
((\{(?P<attrs>[^\n]*)\})|                                # (optional {attrs} or
(\.?(?P<lang>[\w#.+-]*)[ ]*)?                            # optional (.)lang
(hl_lines=(?P<quot>"|')(?P<hl_lines>.*?)(?P=quot)[ ]*)?) # optional hl_lines)
\n                                                       # newline (end of opening fence)
""",
    re.MULTILINE | re.DOTALL | re.VERBOSE,
)
_FENCE_CLOSING = re.compile(r"(~{3,}|`{3,}) *")
# Σ over unclosed fence openings of the characters after them, × (fenced blocks + 1): this
# much takes Python-Markdown about 0.2 s (2,000 unclosed openings in 10,000 characters: 0.4 s).
MAX_FENCE_SCAN = 5_000_000
_FENCE_PLACEHOLDER = "\x02wzxhzdk:0\x03"  # what the renderer puts in its place


class MarkdownLimit(Invalid):
    """A Markdown text over one of the bounds; `line` is the line of the text (1 = its first)
    where the offending block or tag starts, so the error can point at it."""

    def __init__(self, message: str, hint: str, line: int = 1) -> None:
        super().__init__(message, hint)
        self.line = line


@dataclass(frozen=True, slots=True)
class _Block:
    line: int  # of the text, 1 = its first
    text: str


@dataclass(frozen=True, slots=True)
class _Fences:
    """Where fenced code is, and how much scanning its unclosed openings cost the renderer."""

    spans: tuple[tuple[int, int], ...]  # first and last line index of each fenced block
    unclosed_scan: int  # Σ (characters after each unclosed opening) × (fenced blocks + 1)
    unclosed_line: int  # index of the first unclosed opening


def _fences(lines: list[str]) -> _Fences:
    """Python-Markdown's fenced_code, line by line: an opening line (its own pattern) starts a
    fence that the first later line holding exactly the same fence closes. Its search restarts
    from the top after each fence and scans past every unclosed opening to the end of the text:
    that cost is what `unclosed_scan` bounds."""
    if not any("```" in content or "~~~" in content for content in lines):
        # Every fence is three backticks or tildes: most messages have none, and their
        # check then costs no pattern match per line.
        return _Fences((), 0, 0)
    closings: dict[str, list[int]] = {}
    for index, content in enumerate(lines):
        closing = _FENCE_CLOSING.fullmatch(content)
        if closing:
            closings.setdefault(closing.group(1), []).append(index)
    spans: list[tuple[int, int]] = []
    unclosed: list[int] = []
    total = sum(len(content) + 1 for content in lines)
    offsets: list[int] = []
    offset = 0
    for content in lines:
        offsets.append(offset)
        offset += len(content) + 1
    index = 0
    while index < len(lines):
        opening = FENCE_OPENING.match(lines[index] + "\n")
        if opening:
            candidates = closings.get(opening.group("fence"), [])
            end = bisect.bisect_right(candidates, index)
            if end < len(candidates):
                spans.append((index, candidates[end]))
                index = candidates[end] + 1
                continue
            unclosed.append(index)
        index += 1
    scan = sum(total - offsets[line] for line in unclosed) * (len(spans) + 1)
    return _Fences(tuple(spans), scan, unclosed[0] if unclosed else 0)


def _outside_fences(text: str) -> tuple[str, list[_Block], _Fences]:
    """The text as Python-Markdown's block parser sees it (line ends, tabs and space-only lines
    normalised, each fenced code block reduced to its one-line placeholder, line numbers kept),
    its blocks and its fences."""
    source = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    source = _SPACES_ONLY.sub("\n", source + "\n")[:-1]
    fences = _fences(source.split("\n"))
    lines: list[str | None] = list(source.split("\n"))
    for first, last in fences.spans:
        # The placeholder is not set off by blank lines: text around the fence stays one block.
        lines[first : last + 1] = [_FENCE_PLACEHOLDER] + [None] * (last - first)
    blocks: list[_Block] = []
    start: int | None = None
    for number, content in enumerate([*lines, ""], start=1):
        if content and start is None:
            start = number
        elif content == "" and start is not None:
            kept = [line for line in lines[start - 1 : number - 1] if line is not None]
            blocks.append(_Block(start, "\n".join(kept)))
            start = None
    return "\n".join(content or "" for content in lines), blocks, fences


def _tag_scan(text: str) -> tuple[int, int]:
    """How far Markdown's HTML reader may scan for the ends of tags in `text` (a bound), and the
    line of the '<' that scans farthest."""
    total, worst, worst_at = 0, -1, 0
    for opening in _TAG_START.finditer(text):
        start = opening.start()
        end = None if opening.group() == "<!" else _TAG_END.match(text, start + 1)
        scan = (end.end() if end else len(text)) - start
        total += scan
        if scan > worst:
            worst, worst_at = scan, start
    return total, text.count("\n", 0, worst_at) + 1


def markdown_text(text: str) -> MarkdownLimit | None:
    """A reason to refuse a Markdown text that would make the build crawl, or None."""
    if len(text) > MAX_MESSAGE_CHARACTERS:
        return MarkdownLimit(
            f"message has {len(text):,} characters; at most {MAX_MESSAGE_CHARACTERS:,} are allowed",
            "split it into several updates, or link to a longer document",
        )
    lines = text.count("\n") + 1
    if lines > MAX_MESSAGE_LINES:
        return MarkdownLimit(
            f"message has {lines:,} lines; at most {MAX_MESSAGE_LINES:,} are allowed",
            "split it into several updates, or link to a longer document",
        )
    # Fenced code is set aside before any other parsing: what it holds costs nothing.
    outside, blocks, fences = _outside_fences(text)
    if fences.unclosed_scan > MAX_FENCE_SCAN:
        return MarkdownLimit(
            "this line opens a fenced code block that is never closed, like others after it",
            "close each fenced code block with a line holding exactly the same fence (``` or ~~~)",
            fences.unclosed_line + 1,
        )
    for characters, limit in (("[<", MAX_MARKUP_CHARACTERS), ("*_`\\", MAX_INLINE_CHARACTERS)):
        for character in characters:
            count = outside.count(character)
            if count > limit:
                return MarkdownLimit(
                    f"message has {count:,} '{character}' characters outside fenced code; "
                    f"at most {limit:,} are allowed",
                    _LIMIT_HINT,
                )
    return _block_problem(outside, blocks)


def _block_problem(outside: str, blocks: list[_Block]) -> MarkdownLimit | None:
    """The bounds that depend on where the costly characters are: per block and per tag."""
    for block in blocks:
        if len(block.text) > MAX_BLOCK_CHARACTERS:
            return MarkdownLimit(
                f"this paragraph has {len(block.text):,} characters; at most "
                f"{MAX_BLOCK_CHARACTERS:,} are allowed between two blank lines",
                _BLOCK_HINT,
                block.line,
            )
    for character in "[<":
        costs = [(block.text.count(character) * len(block.text), block) for block in blocks]
        if sum(cost for cost, _ in costs) > MAX_MARKUP_COST:
            _, block = max(costs, key=lambda pair: pair[0])
            return MarkdownLimit(
                f"too many '{character}' in long paragraphs: this one has "
                f"{block.text.count(character):,} in {len(block.text):,} characters "
                f"(Markdown reads the rest of the paragraph for each; at most "
                f"{MAX_MARKUP_COST:,} '{character}' × paragraph length in one message)",
                _BLOCK_HINT,
                block.line,
            )
    scan, line = _tag_scan(outside)
    if scan > MAX_TAG_SCAN:
        return MarkdownLimit(
            f"this '<' opens an HTML tag that Markdown reads far ahead to close: with the "
            f"other tags, {scan:,} characters to read; at most {MAX_TAG_SCAN:,} are allowed",
            "close each tag with '>' soon after it, write '&lt;' or a space after a '<' that "
            "is not a tag, or put logs in a fenced code block (a line ``` before and after it)",
            line,
        )
    return None


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a true/false value)"
    return f"'{value}'"


@dataclass
class FieldReader:
    """Reads the fields of one mapping, collecting an error for each bad or unknown field."""

    mapping: LineMap
    path: str
    errors: list[ContentError]
    prefix: str = ""
    seen: set[str] = field(default_factory=set)

    def source(self, key: str | None = None) -> Source:
        return Source(self.path, self.mapping.line_of(key) if key else self.mapping.line)

    def error(self, key: str | None, message: str, hint: str | None = None) -> None:
        name = f"{self.prefix}{key}" if key else (self.prefix.rstrip(".") or None)
        self.errors.append(ContentError(self.source(key), name, message, hint))

    def required(self, key: str, parse: Callable[[Any], T], example: str = "") -> T | Any:
        self.seen.add(key)
        if key not in self.mapping or self.mapping[key] is None:
            hint = f"add '{key}: {example}'" if example else f"add '{key}:'"
            self.error(key, "required field is missing", hint)
            return MISSING
        return self._parse(key, parse)

    def optional(self, key: str, parse: Callable[[Any], T], default: D) -> T | D:
        self.seen.add(key)
        if key not in self.mapping or self.mapping[key] is None:
            return default
        value = self._parse(key, parse)
        return default if value is MISSING else value

    def nested(self, key: str) -> FieldReader | None:
        """A reader for a mapping-valued field, or None when absent or not a mapping."""
        self.seen.add(key)
        value = self.mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, LineMap):
            self.error(
                key,
                f"expected fields under '{key}:', got {_describe(value)}",
                "indent 'name: value' lines under it",
            )
            return None
        return FieldReader(value, self.path, self.errors, f"{self.prefix}{key}.")

    def _parse(self, key: str, parse: Callable[[Any], T]) -> T | Any:
        try:
            return parse(self.mapping[key])
        except Invalid as problem:
            self.error(key, problem.message, problem.hint)
            return MISSING
        except Unknowable:
            return MISSING

    def reject_unknown(self, extra_known: Iterable[str] = ()) -> None:
        """Every field the reader did not ask for is a typo or a misplaced field."""
        known = self.seen | set(extra_known)
        for key in self.mapping:
            if key not in known:
                self.error(key, f"unknown field '{key}'", did_you_mean(key, sorted(known)))


def is_ok(*values: Any) -> bool:
    return all(value is not MISSING for value in values)
