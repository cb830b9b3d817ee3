"""Dates in the page's language (CLDR through Babel), ISO for machines: the formatting function, the <time>
element and the page allowlist's rule for it. Built pages are tested in test_site.py, test_versions.py and
test_localised_dates.py."""

from __future__ import annotations

import datetime
import unicodedata

import pytest
from babel import Locale, localedata

from noticegen.render.notice_page import escape
from noticegen.text.dates import NUMBERING_SYSTEM_ZERO, cldr_locale, long_date, time_element
from noticegen.text.markup import markdown_to_html, page_policy_problems

DAY = datetime.date(2025, 9, 23)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "September 23, 2025"),
        ("zh-Hans", "2025年9月23日"),
        ("fr", "23 septembre 2025"),
        ("de", "23. September 2025"),
        ("ja", "2025年9月23日"),
        # CLDR's default numbering system for `ar` is Latin digits; for `ar-EG` it is Arabic-Indic digits,
        # and for Persian extended Arabic-Indic ones: the digits follow CLDR, as browsers (ICU) write them.
        ("ar", "23 سبتمبر 2025"),
        ("ar-EG", "٢٣ سبتمبر ٢٠٢٥"),
        ("fa", "۲۳ سپتامبر ۲۰۲۵"),
        ("en-GB", "23 September 2025"),
        ("pt-BR", "23 de setembro de 2025"),
    ],
)
def test_a_date_is_written_as_the_language_writes_it(lang: str, expected: str) -> None:
    assert long_date(DAY, lang) == expected


@pytest.mark.parametrize("lang", ["tlh", "i-klingon", "und", "x-private", ""])
def test_a_language_cldr_does_not_know_gets_the_iso_date(lang: str) -> None:
    assert cldr_locale(lang) is None
    assert long_date(DAY, lang) == "2025-09-23"


@pytest.mark.parametrize(("lang", "primary"), [("fr-x-legal", "fr"), ("de-CH-1996", "de"), ("zh-cmn-Hans", "zh")])
def test_a_tag_babel_cannot_parse_falls_back_to_its_primary_language(lang: str, primary: str) -> None:
    locale = cldr_locale(lang)
    assert locale is not None and locale.language == primary


def test_every_default_numbering_system_of_cldr_has_its_digits() -> None:
    # A newer CLDR that makes a new numbering system some locale's default fails here, rather than
    # silently writing that locale's dates with ASCII digits.
    systems = {Locale.parse(name).default_numbering_system for name in localedata.locale_identifiers()}
    assert systems <= set(NUMBERING_SYSTEM_ZERO)
    for system, zero in NUMBERING_SYSTEM_ZERO.items():
        digits = [chr(ord(zero) + value) for value in range(10)]
        assert [unicodedata.digit(digit) for digit in digits] == list(range(10)), system


def test_the_time_element_has_the_iso_date_for_machines_and_the_language_s_for_people() -> None:
    assert time_element(DAY, "fr") == '<time datetime="2025-09-23">23 septembre 2025</time>'
    assert time_element(DAY, "tlh") == '<time datetime="2025-09-23">2025-09-23</time>'


def test_a_date_in_a_markdown_line_is_published_as_written() -> None:
    # "23. September" at the start of a line would be an ordered list, and a cell's text is Markdown.
    html = markdown_to_html(f"| a |\n| --- |\n| {time_element(DAY, 'de', escape)} |")
    assert '<td><time datetime="2025-09-23">23. September 2025</time></td>' in html
    assert markdown_to_html(time_element(DAY, "de", escape)) == (
        '<p><time datetime="2025-09-23">23. September 2025</time></p>'
    )


@pytest.mark.parametrize(
    "value", ["2025-09-23", "2025-09-23T10:00", "2025-09-23T10:00:00Z", "2025-09-23 00:00:00", "2025-09-23T10:00+02:00"]
)
def test_the_page_allowlist_takes_a_time_element_with_an_iso_date(value: str) -> None:
    assert page_policy_problems(f'<time datetime="{value}">x</time>') == []


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        (
            '<time datetime="javascript:alert(1)">x</time>',
            "datetime 'javascript:alert(1)' on <time> is not an ISO 8601 date",
        ),
        (
            '<time datetime="23 September 2025">x</time>',
            "datetime '23 September 2025' on <time> is not an ISO 8601 date",
        ),
        ('<time datetime="2025-09-23\n">x</time>', "datetime '2025-09-23<U+000A>' on <time> is not an ISO 8601 date"),
        (
            '<time datetime="2025-09-23" onclick="x()">x</time>',
            "attribute 'onclick' on <time> is not allowed on a page",
        ),
        (
            '<time datetime="2025-09-23" style="color:red">x</time>',
            "attribute 'style' on <time> is not allowed on a page",
        ),
    ],
)
def test_the_page_allowlist_refuses_any_other_time_element(html: str, problem: str) -> None:
    assert [found for _, found in page_policy_problems(html)] == [problem]
