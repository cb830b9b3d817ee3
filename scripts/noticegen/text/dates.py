"""Dates as a visitor reads them: written in the page's language (CLDR, through Babel), ISO for machines.

A date shown on a page is `long_date(day, lang)` wrapped in `<time datetime="YYYY-MM-DD">` (`time_element`),
so what a person reads is in their language and what a program reads stays ISO 8601. JSON, feed timestamps
and version ids (which are identifiers, not prose) stay ISO.
"""

from __future__ import annotations

import datetime
import functools
import html
from collections.abc import Callable

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

# The digit zero of each decimal numbering system CLDR names as some locale's default (CLDR's
# numberingSystems.xml); the other nine follow it in Unicode. Babel writes dates with ASCII digits
# whatever the locale's numbering system, where CLDR (and ICU, and so browsers) use the locale's default:
# `ar` writes 2025 (CLDR's default for `ar` is `latn`), `ar-EG` writes ٢٠٢٥, `fa` writes ۲۰۲۵.
NUMBERING_SYSTEM_ZERO = {
    "latn": "0",
    "arab": "\u0660",  # ARABIC-INDIC DIGIT ZERO
    "arabext": "\u06f0",  # EXTENDED ARABIC-INDIC DIGIT ZERO
    "beng": "\u09e6",  # BENGALI DIGIT ZERO
    "deva": "\u0966",  # DEVANAGARI DIGIT ZERO
    "mymr": "\u1040",  # MYANMAR DIGIT ZERO
    "tibt": "\u0f20",  # TIBETAN DIGIT ZERO
    "olck": "\u1c50",  # OL CHIKI DIGIT ZERO
    "nkoo": "\u07c0",  # NKO DIGIT ZERO
    "mtei": "\uabf0",  # MEETEI MAYEK DIGIT ZERO
    "cakm": "\U00011136",  # CHAKMA DIGIT ZERO
    "adlm": "\U0001e950",  # ADLAM DIGIT ZERO
    "hmnp": "\U0001e140",  # NYIAKENG PUACHUE HMONG DIGIT ZERO
}


@functools.lru_cache(maxsize=64)
def cldr_locale(lang: str) -> Locale | None:
    """The CLDR locale for a BCP 47 tag (`zh-Hans`, `pt-BR`), else for its primary language subtag
    (`de-CH-1996` → `de`), else None: CLDR does not know the language."""
    primary = lang.split("-")[0]
    if primary.lower() == "und":  # "undetermined": Babel would guess English from its likely subtags
        return None
    for tag in dict.fromkeys((lang, primary)):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return None


def _digits_table(locale: Locale) -> dict[int, str] | None:
    zero = NUMBERING_SYSTEM_ZERO.get(locale.default_numbering_system)
    if zero is None or zero == "0":
        return None
    return {ord("0") + digit: chr(ord(zero) + digit) for digit in range(10)}


@functools.lru_cache(maxsize=1024)
def long_date(day: datetime.date, lang: str) -> str:
    """`day` as the language writes it in running text (CLDR's `long` format): `September 23, 2025` (en),
    `2025年9月23日` (zh-Hans, ja), `23 septembre 2025` (fr), `23. September 2025` (de). For a language CLDR
    does not know, or a numbering system not in NUMBERING_SYSTEM_ZERO, the ISO date (`2025-09-23`) or the
    CLDR text with ASCII digits: never a guess at another language's format."""
    locale = cldr_locale(lang)
    if locale is None:
        return day.isoformat()
    text = format_date(day, "long", locale=locale)
    table = _digits_table(locale)
    return text.translate(table) if table else text


def time_element(day: datetime.date, lang: str, escape: Callable[[str], str] = html.escape) -> str:
    """`<time datetime="2025-09-23">September 23, 2025</time>`: the date in the page's language, with its
    ISO form for machines. `escape` makes the text safe where it goes (HTML by default; pass a Markdown
    escape for a Markdown line, where the element's content is read as Markdown)."""
    return f'<time datetime="{day.isoformat()}">{escape(long_date(day, lang))}</time>'
