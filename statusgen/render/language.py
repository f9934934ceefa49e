"""The reader's language: interface words from message catalogues, dates, numbers and
durations from the Unicode CLDR, both through Babel.

Every word statusgen or its theme writes on a page, in a feed or a calendar goes through a
`Language`: `gettext` for sentences (catalogues in statusgen/locale, compiled by
`scripts/catalogues`), and the formatting methods for what CLDR knows better than any
catalogue (month names, the order of day and month, decimal commas, "2 h et 5 min"). The
API's machine vocabulary (`major_outage`, `investigating`) never passes through here.
"""

from __future__ import annotations

import gettext as gettext_module
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime, format_interval, match_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from babel.support import Translations
from babel.units import format_unit

CATALOGUES = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "statusgen"
SOURCE_LANGUAGE = "en"
# Languages with a complete catalogue (tests/test_catalogues.py holds each to that).
SHIPPED = ("en", "fr", "de", "es", "nl", "ja", "ar")
# A bare "en" is written for readers everywhere: CLDR's international English (day before
# month, 24-hour clock), not the United States' conventions that Babel's "en" carries.
_LOCALE_FOR_TAG = {"en": "en_001"}


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where it is shown."""
    return message


def _locale(tag: str) -> Locale:
    """The CLDR locale for a BCP 47 tag; an unknown region falls back to its language, an
    unknown language to international English (the build warns about it, see `is_shipped`)."""
    name = _LOCALE_FOR_TAG.get(tag, tag.replace("-", "_"))
    for candidate in (name, name.split("_")[0], "en_001"):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("CLDR data for English is missing")  # Babel ships it


def _translations(tag: str) -> gettext_module.NullTranslations:
    parts = tag.replace("-", "_").split("_")
    names = ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]
    return Translations.load(str(CATALOGUES), names, DOMAIN)


def is_shipped(tag: str) -> bool:
    """Whether the interface exists in this language (or in its base language: fr-CA → fr)."""
    return tag.split("-")[0].lower() in SHIPPED


def _pattern(locale: Locale, skeleton: str) -> str:
    skeletons = locale.datetime_skeletons
    return str(skeletons[match_skeleton(skeleton, skeletons)])


def _pair_pattern(locale: Locale) -> str:
    """How CLDR joins two units of one measure ("2 h 5 min", "2 h et 5 min", "2時間5分")."""
    for style in ("unit-narrow", "unit-short", "unit", "standard"):
        try:
            return str(locale.list_patterns[style]["2"])
        except KeyError:
            continue
    return "{0} {1}"


@dataclass(frozen=True, eq=False)
class Language:
    """One language of the site: its catalogue and CLDR's conventions, with their patterns
    resolved once (a page shows dozens of times and durations)."""

    tag: str  # as site.yml writes it: it goes into lang="…" and URLs
    locale: Locale
    translations: gettext_module.NullTranslations
    _date: str = field(init=False)
    _month: str = field(init=False)
    _clock: str = field(init=False)
    _date_time: str = field(init=False)
    _pair: str = field(init=False)
    # Memos: a site shows the same few durations, days and clock times again and again.
    _units: dict[tuple[int, str], str] = field(init=False, repr=False)
    _dates: dict[date, str] = field(init=False, repr=False)
    _clocks: dict[tuple[int, int], str] = field(init=False, repr=False)

    @property
    def fingerprint(self) -> str:
        """The language and the version of its catalogue: templates compiled with one
        catalogue are never reused with another (see html.TranslatedConstants)."""
        path = CATALOGUES / self.tag / "LC_MESSAGES" / f"{DOMAIN}.mo"
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        except OSError:
            digest = "source"
        return f"{self.tag}-{digest}"

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # a frozen dataclass fills its derived fields once, here
        set_(self, "_units", {})
        set_(self, "_dates", {})
        set_(self, "_clocks", {})
        set_(self, "_date", _pattern(self.locale, "yMMMd"))
        set_(self, "_month", _pattern(self.locale, "yMMMM"))
        set_(self, "_clock", _pattern(self.locale, "Hm"))
        set_(self, "_date_time", str(self.locale.datetime_formats["medium"]))
        set_(self, "_pair", _pair_pattern(self.locale))

    # ---- words -----------------------------------------------------------------------------

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    @property
    def direction(self) -> str:
        """'rtl' for Arabic, Hebrew, Persian…: the <html dir> and the layout's mirror."""
        return "rtl" if self.locale.text_direction == "rtl" else "ltr"

    # ---- dates and times -------------------------------------------------------------------

    def date_text(self, day: date) -> str:
        """'23 Nov 2026', '23 nov. 2026', '2026年11月23日'."""
        text = self._dates.get(day)
        if text is None:
            noon = datetime(day.year, day.month, day.day, 12)
            text = self._dates[day] = format_datetime(noon, self._date, locale=self.locale)
        return text

    def clock_text(self, moment: datetime) -> str:
        """'14:30 CET': the zone's abbreviation tells the reader which clock it is."""
        key = (moment.hour, moment.minute)
        clock = self._clocks.get(key)
        if clock is None:
            naive = moment.replace(tzinfo=None)  # the pattern has no zone: ours follows
            clock = self._clocks[key] = format_datetime(naive, self._clock, locale=self.locale)
        return f"{clock} {moment.tzname()}"

    def time_text(self, moment: datetime, zone: ZoneInfo) -> str:
        """'23 Nov 2026, 14:30 CET' in the site's zone, in this language's order."""
        there = moment.astimezone(zone)
        return self._date_time.format(self.clock_text(there), self.date_text(there.date()))

    def month_text(self, year: int, month: int) -> str:
        """'November 2026', 'novembre 2026'."""
        return format_datetime(datetime(year, month, 1, 12), self._month, locale=self.locale)

    def day_range_text(self, first: date, last: date) -> str:
        """'3 Sep 2026', or a range as this language writes it: '26 Aug – 2 Sep 2026'."""
        if first == last:
            return self.date_text(first)
        return format_interval(first, last, "yMMMd", locale=self.locale)

    def weekday_names(self) -> tuple[str, ...]:
        """Abbreviated weekday names, Monday first (as datetime.weekday() counts)."""
        names = self.locale.days["format"]["abbreviated"]
        return tuple(str(names[day]) for day in range(7))

    # ---- durations -------------------------------------------------------------------------

    def _unit(self, value: int, unit: str) -> str:
        text = self._units.get((value, unit))
        if text is None:
            text = str(format_unit(value, f"duration-{unit}", length="short", locale=self.locale))
            self._units[(value, unit)] = text
        return text

    def duration(self, span: timedelta) -> str:
        """'2 hr, 5 min', '2 h 5 min', '3 days, 4 hr'; under a minute '< 1 min'.

        Truncated to the minute, never rounded up: an outage of 59 s is not "1 min".
        """
        minutes = int(span.total_seconds()) // 60
        if minutes < 1:
            return f"< {self._unit(1, 'minute')}"
        days, rest = divmod(minutes, 1440)
        hours, mins = divmod(rest, 60)
        if days:
            return (
                self._pair.format(self._unit(days, "day"), self._unit(hours, "hour"))
                if hours
                else self._unit(days, "day")
            )
        if hours:
            return (
                self._pair.format(self._unit(hours, "hour"), self._unit(mins, "minute"))
                if mins
                else self._unit(hours, "hour")
            )
        return self._unit(mins, "minute")

    def short_duration(self, span: timedelta) -> str:
        """Recovery objectives in their natural unit: '0 s', '30 s', '1 min', '4 hr', '1 day'."""
        seconds = int(span.total_seconds())
        for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
            if seconds and seconds % size == 0:
                return self._unit(seconds // size, unit)
        if seconds >= 60:
            return self.duration(span)
        return self._unit(seconds, "second")

    def seconds_text(self, seconds: float) -> str:
        """A downtime: the duration from a minute up, seconds below it."""
        if seconds >= 60:
            return self.duration(timedelta(seconds=seconds))
        return self._unit(int(seconds), "second")

    # ---- numbers and lists -----------------------------------------------------------------

    def percent(self, number: str) -> str:
        """'99.96' → '99.96%', '99,96 %', '٪99.96' as the language writes it.

        The number comes as text with the decimals it must keep (uptime is truncated, never
        rounded up, in derive): the pattern gets exactly that many.
        """
        decimals = len(number.partition(".")[2])
        pattern = self.locale.percent_formats[None].pattern.split(";")[0]
        if decimals:
            last = pattern.rindex("0")
            pattern = f"{pattern[: last + 1]}.{'0' * decimals}{pattern[last + 1 :]}"
        return str(format_percent(Decimal(number) / 100, format=pattern, locale=self.locale))

    def number(self, value: int) -> str:
        return str(format_decimal(value, locale=self.locale))

    def list_text(self, items: list[str]) -> str:
        """'a, b and c', 'a, b et c'."""
        return str(format_list(items, locale=self.locale))


@cache
def language(tag: str) -> Language:
    """The Language for a tag, made once per process: catalogues and patterns never change."""
    translations: gettext_module.NullTranslations
    if tag.split("-")[0].lower() == SOURCE_LANGUAGE:
        translations = gettext_module.NullTranslations()
    else:
        translations = _translations(tag)
    return Language(tag, _locale(tag), translations)


def language_name(tag: str) -> str:
    """The language's name for itself, as a language switch shows it: 'français', '日本語'."""
    return str(_locale(tag).get_language_name() or tag)
