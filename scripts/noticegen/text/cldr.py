"""Facts written once as codes and shown in the reader's language, from CLDR (Babel): country names, lengths
of time, dates. The notice's data keeps the code (ISO 3166-1 `NL`, ISO 8601 `P13M`, `2025-09-23`), which the
JSON export publishes as it is; only the page shows the words, so no editor translates a country name."""

from __future__ import annotations

import functools
import re

from babel import Locale
from babel.lists import format_list
from babel.units import format_unit

from noticegen.text.dates import cldr_locale

# ISO 8601 durations as data tables use them: years, months, weeks, days, then hours, minutes, seconds.
DURATION = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)
_DURATION_UNITS = ("years", "months", "weeks", "days", "hours", "minutes", "seconds")
# Codes CLDR names that are no country or territory a notice would mean (unknown region, pseudo-locales,
# the eurozone, the United Nations, "outlying Oceania"). `EU` stays: "the European Union" is a place data goes.
_NOT_A_COUNTRY = frozenset({"ZZ", "XA", "XB", "EZ", "UN", "QO"})


def babel_locale(tag: str) -> Locale:
    """The CLDR locale for a page's language tag (text.dates.cldr_locale), or English for a language CLDR does
    not know (a notice may publish one: `notice locale add --name`)."""
    return cldr_locale(tag) or Locale.parse("en")


@functools.cache
def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code CLDR names (and `EU`)."""
    names = Locale.parse("en").territories
    return frozenset(code for code in names if re.fullmatch(r"[A-Z]{2}", code) and code not in _NOT_A_COUNTRY)


def country_name(code: str, tag: str) -> str:
    """The country's name in the page's language (`NL` is "Netherlands" in English, "荷兰" in Chinese)."""
    return babel_locale(tag).territories.get(code) or babel_locale("en").territories.get(code) or code


def is_duration(value: str) -> bool:
    return DURATION.match(value) is not None


def duration_text(value: str, tag: str) -> str:
    """An ISO 8601 duration in words in the page's language: `P13M` is "13 months", `P1Y2D` "1 year and 2 days"."""
    match = DURATION.match(value)
    if match is None:
        return value
    locale = babel_locale(tag)
    parts = [
        format_unit(int(match[unit]), f"duration-{unit[:-1]}", length="long", locale=locale)
        for unit in _DURATION_UNITS
        if match[unit] is not None
    ]
    return format_list(parts, locale=locale)


def names_list(names: list[str] | tuple[str, ...], tag: str) -> str:
    """Names joined as the page's language joins them ("A, B and C"; "A、B和C")."""
    return format_list(list(names), locale=babel_locale(tag))
