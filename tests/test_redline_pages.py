"""Version pages and redline pages as Markdown (pure functions of the site model, no build): the banner of each
status with its dates and its link onward, the redline's marks and links, the first version's page, and the
redline's colours computed from the stylesheet in both colour schemes."""

from __future__ import annotations

import difflib
import random
import re
from pathlib import Path

import pytest
from cydifflib import SequenceMatcher

from conftest import PROJECT, SECOND_VERSION, site_on
from noticegen.model.site import Site
from noticegen.render.pages import changes_page, version_banner, versions_page
from noticegen.render.redline import Change, SectionChange, inline_diff, title_diff_html, tokens
from noticegen.render.redline_formats import PAGE_STYLE

OLD, NEW = "2025-09-23", SECOND_VERSION
STYLESHEET = PROJECT / "scripts/noticegen/mkdocs_plugin/overrides/assets/stylesheets/notice.css"
INS = '<ins><span class="notice-sr">inserted: </span>'


@pytest.fixture(scope="module")
def site(released_twice: Path) -> Site:
    """A day both versions are past: the first archived, the second in force."""
    return site_on(released_twice, "2026-01-15")


def test_an_archived_version_says_when_it_was_in_force_and_links_to_the_version_in_force(site: Site) -> None:
    banner = version_banner(site, site.version(OLD), "en")
    assert banner.startswith('<div class="notice-banner notice-banner--archived" role="note" markdown>\n')
    assert (
        "<strong>This version is no longer in force\\.</strong> It was in force from "
        '<time datetime="2025-09-23">September 23, 2025</time> to '
        '<time datetime="2025-11-30">November 30, 2025</time>\\.'
    ) in banner
    assert "[Read the version in force](../../index.md){: .notice-banner__link }" in banner


def test_the_period_is_written_in_the_page_s_language_without_a_space_after_a_full_width_stop(site: Site) -> None:
    banner = version_banner(site, site.version(OLD), "zh")
    assert (
        "<strong>此版本已不再有效。</strong>其有效期为"
        '<time datetime="2025-09-23">2025年9月23日</time>至<time datetime="2025-11-30">2025年11月30日</time>。'
    ) in banner
    assert "[阅读现行版本](../../index.md)" in banner


def test_the_version_in_force_says_since_when(site: Site) -> None:
    banner = version_banner(site, site.version(NEW), "en")
    assert 'notice-banner--current"' in banner
    assert 'In force since <time datetime="2025-12-01">December 1, 2025</time>\\.' in banner
    # What changed is linked once, from the page's header (tests/test_page_header.py), not from the banner too.
    assert "See what changes" not in banner


def test_an_upcoming_version_says_when_it_takes_effect(released_twice: Path) -> None:
    upcoming = site_on(released_twice, "2025-11-01")
    banner = version_banner(upcoming, upcoming.version(NEW), "en")
    assert 'notice-banner--upcoming"' in banner
    assert 'This version takes effect on <time datetime="2025-12-01">December 1, 2025</time>\\.' in banner


def test_a_redline_links_the_previous_version_the_version_and_its_changelog_entry(site: Site) -> None:
    page = changes_page(site, site.version(NEW), "en")
    links = page.split('<div class="notice-version-links" markdown>\n')[1].split("\n</div>")[0]
    assert links == (
        f"[Previous version ({OLD})](../../{OLD}/index.md) · [Version of 2025\\-12\\-01](../index.md) · "
        f"[Summary of this change](../../../changelog/index.md#v{NEW})"
    )
    assert page.index("notice-version-links") < page.index("## ")  # at the top, before the first change


def test_the_first_version_s_redline_says_there_is_nothing_to_compare_and_links_the_version(site: Site) -> None:
    page = changes_page(site, site.version(OLD), "en")
    assert (
        '<div class="notice-banner notice-banner--first" role="note" markdown>\n'
        "This is the first version: there is no earlier version to compare it with\\. "
        "[Version of 2025\\-09\\-23](../index.md)\n</div>"
    ) in page
    assert "Previous version" not in page and "## " not in page


def test_an_unchanged_title_is_not_repeated_in_the_changed_text(site: Site) -> None:
    page = changes_page(site, site.version(NEW), "en")
    redline = page.split('<p class="notice-redline">')[1].split("</p>")[0]
    assert redline.startswith("We retain your personal data")
    assert "How long do we retain" not in redline and "notice-redline-title" not in page


def test_a_changed_title_is_shown_once_with_its_change_marked() -> None:
    change = SectionChange("retention", "How long we keep data", (Change.CHANGED,), "a", "a", old_title="Retention")
    shown = title_diff_html(change, "en", "inserted:", "deleted:")
    assert shown == (
        '<p class="notice-redline-title"><strong><del><span class="notice-sr">deleted: </span>Retention</del>'
        f"{INS}How long we keep data</ins></strong></p>"
    )


def test_spaces_stay_outside_the_marks() -> None:
    assert inline_diff("as long as necessary", "as long as strictly necessary", "en", "inserted:", "deleted:") == (
        f"as long as {INS}strictly</ins> necessary"
    )
    removed = inline_diff("as long as strictly necessary", "as long as necessary", "en", "inserted:", "deleted:")
    assert removed == 'as long as <del><span class="notice-sr">deleted: </span>strictly</del> necessary'


def test_one_inserted_chinese_character_is_marked_on_its_own() -> None:
    diff = inline_diff("所需的时间", "所必需的时间", "zh", "插入：", "删除：")
    assert diff == '所<ins><span class="notice-sr">插入：</span>必</ins>需的时间'


def test_a_paragraph_break_alone_is_marked_and_a_space_alone_is_not() -> None:
    split = inline_diff("One. Two.", "One.\nTwo.", "en", "inserted:", "deleted:")
    assert split == f"One.{INS}¶</ins><br>Two."  # the space it replaced is not marked
    assert inline_diff("a,b", "a, b", "en", "inserted:", "deleted:") == "a, b"


def test_the_versions_table_names_each_cell_s_column_and_each_version_s_status(site: Site) -> None:
    page = versions_page(site, "en")
    rows = re.findall(r'<tr role="row" class="notice-version-(\w+)" markdown="1">(.*?)</tr>', page)
    assert [status for status, _ in rows] == ["current", "archived"]
    for _, row in rows:
        labels = re.findall(r'data-label="([^"]*)"', row)
        assert labels == ["Version", "In force from", "In force until", "Change", "Status"]
    assert '<span class="notice-status notice-status--archived">Archived</span>' in rows[1][1]
    assert '<th scope="col" role="columnheader">Status</th>' in page


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def scheme_colours(css: str, selector: str) -> dict[str, str]:
    block = re.search(re.escape(selector) + r" \{(.*?)\}", css, re.S)
    assert block is not None, selector
    return dict(re.findall(r"--notice-([\w-]+)-color: (#[0-9a-f]{6});", block.group(1)))


@pytest.mark.parametrize("scheme", ['[data-md-color-scheme="default"]', '[data-md-color-scheme="slate"]'])
def test_the_redline_and_banner_colours_pass_wcag_aa_in_each_colour_scheme(scheme: str) -> None:
    colours = scheme_colours(STYLESHEET.read_text(encoding="utf-8"), scheme)
    pairs = [
        ("ins-fg", "ins-bg"),
        ("del-fg", "del-bg"),
        ("note-fg", "note-bg"),
        ("note-link", "note-bg"),
        ("warning-fg", "warning-bg"),
        ("warning-link", "warning-bg"),
    ]
    ratios = {f"{text} on {background}": contrast(colours[text], colours[background]) for text, background in pairs}
    assert {pair: ratio for pair, ratio in ratios.items() if ratio < 4.5} == {}
    # The icon and the border are not text: 3:1 against the banner's background (WCAG 1.4.11).
    assert contrast(colours["note-accent"], colours["note-bg"]) >= 3
    assert contrast(colours["warning-accent"], colours["warning-bg"]) >= 3


def test_notice_diff_s_html_page_draws_ins_and_del_in_the_site_s_colours() -> None:
    colours = scheme_colours(STYLESHEET.read_text(encoding="utf-8"), '[data-md-color-scheme="default"]')
    for mark in ("ins", "del"):
        assert f"{mark}{{background:{colours[mark + '-bg']};color:{colours[mark + '-fg']};" in PAGE_STYLE


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_the_compiled_matcher_finds_what_difflib_finds(locale: str) -> None:
    """Redlines use cydifflib's SequenceMatcher for speed: its matches must be difflib's, so that a redline reads
    the same whichever computed it (texts with repeated words and characters, where matches are ambiguous)."""
    rnd = random.Random(locale)
    vocabulary = ["the", "data", "we", "of", "and", "数据", "保留", "。", "，", "a", "b", "\n\n"]
    for _ in range(300):
        old = [rnd.choice(vocabulary) for _ in range(rnd.randint(0, 60))]
        new = [word for word in old if rnd.random() > 0.2] + [rnd.choice(vocabulary) for _ in range(rnd.randint(0, 5))]
        rnd.shuffle(new[: len(new) // 3])
        before, after = tokens(" ".join(old), locale), tokens(" ".join(new), locale)
        expected = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
        assert list(map(tuple, SequenceMatcher(None, before, after, autojunk=False).get_opcodes())) == expected
