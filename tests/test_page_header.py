"""The header under a notice page's title (render/page_header.py): the dates once, the links onward (what changed,
every version, the same page in the other languages), the contents behind one button, the JSON link at the end,
and the record a printed copy carries (publisher, version, effective date, digest)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from conftest import BOTPRESS, copy_site_project, site_on
from noticegen.model.site import Site
from noticegen.render.contact_box import rights_section
from noticegen.render.description import shortened
from noticegen.render.page_header import HeaderLink, page_header
from noticegen.render.pages import main_page, version_page

SITE_URL = "https://example.github.io/privacy/"
OLD, NEW = "2025-09-23", "2025-12-01"
FIRST_DIGEST_EN = "f72fddc550d1fd0cf3c9765eb02c756dcf0a88c42aee0312b8df25d6d73a0058"


@pytest.fixture(scope="module")
def site(released_twice: Path) -> Site:
    """Both versions past: the first archived, the second in force."""
    return site_on(released_twice, "2026-01-15")


def header_of(page: str) -> str:
    return page.split('<div class="notice-header" data-search-exclude markdown>\n')[1].split("\n</div>")[0]


def links_of(page: str) -> list[str]:
    return [line for line in header_of(page).split("\n") if line.startswith("- ")]


def test_the_main_page_says_since_when_and_leads_to_the_changes_the_versions_and_the_other_language(
    site: Site,
) -> None:
    page = main_page(site, "en", SITE_URL)
    assert (
        '<p class="notice-header__dates">In force since <time datetime="2025-12-01">December 1, 2025</time>.</p>'
    ) in header_of(page)
    assert links_of(page) == [
        f"- [See what changes](versions/{NEW}/changes/index.md)",
        "- [Versions](versions/index.md)",
        '- [简体中文](https://example.github.io/privacy/zh/){: hreflang="zh-Hans" lang="zh-Hans" }',
    ]
    assert '<nav class="notice-header__links" aria-label="About this version" markdown>' in page


def test_the_header_is_in_the_page_s_language(site: Site) -> None:
    page = main_page(site, "zh", SITE_URL)
    assert '<p class="notice-header__dates">自<time datetime="2025-12-01">2025年12月1日</time>起生效。</p>' in page
    assert links_of(page) == [
        f"- [查看变更内容](versions/{NEW}/changes/index.md)",
        "- [所有版本](versions/index.md)",
        '- [English](https://example.github.io/privacy/){: hreflang="en" lang="en" }',
    ]
    assert 'aria-label="关于此版本"' in page


def test_the_first_version_has_no_link_to_what_changed(tmp_path: Path) -> None:
    site = site_on(copy_site_project(BOTPRESS, tmp_path / "project"), "2026-01-15")
    assert not [link for link in links_of(main_page(site, "en", SITE_URL)) if "changes" in link]
    assert not [link for link in links_of(version_page(site, site.version(OLD), "en", SITE_URL)) if "changes" in link]


def test_a_version_page_states_its_dates_once_in_its_banner_and_leads_on_from_its_header(site: Site) -> None:
    page = version_page(site, site.version(OLD), "en", SITE_URL)
    assert "notice-header__dates" not in page and "notice-effective" not in page
    assert page.count("September 23, 2025") == 2  # the banner's period in force, and the printed record
    assert links_of(page) == [
        "- [Versions](../../versions/index.md)",
        f'- [简体中文](https://example.github.io/privacy/zh/versions/{OLD}/){{: hreflang="zh-Hans" lang="zh-Hans" }}',
    ]
    newer = version_page(site, site.version(NEW), "en", SITE_URL)
    assert links_of(newer) == [
        f"- [See what changes](../../versions/{NEW}/changes/index.md)",
        "- [Previous version \\(2025\\-09\\-23\\)](../2025-09-23/index.md)",
        "- [Versions](../../versions/index.md)",
        f'- [简体中文](https://example.github.io/privacy/zh/versions/{NEW}/){{: hreflang="zh-Hans" lang="zh-Hans" }}',
    ]
    assert newer.count("See what changes") == 1


def test_the_json_link_is_at_the_end_of_the_page_not_before_the_text(site: Site) -> None:
    page = main_page(site, "en", SITE_URL)
    assert page.index('<p class="notice-json">') > page.rindex("\n## ")


def test_the_contents_are_collapsed_behind_one_button(site: Site) -> None:
    page = main_page(site, "en", SITE_URL)
    assert (
        '<details class="notice-contents__details" markdown>\n'
        '<summary class="notice-contents__title" id="notice-contents-title">Contents</summary>\n'
    ) in page


def test_a_printed_copy_carries_the_publisher_the_version_its_date_and_its_digest(site: Site) -> None:
    page = version_page(site, site.version(OLD), "zh", SITE_URL)
    record = re.search(r'<div class="notice-print-record" data-search-exclude>.*?</div>', page)
    assert record is not None
    digest = site.version(OLD).digests["zh"]
    assert record.group(0) == (
        '<div class="notice-print-record" data-search-exclude><p>发布者：Botpress Inc.</p>'
        "<p>https://botpress.com</p><p>版本：2025-09-23</p>"
        '<p>生效日期：<time datetime="2025-09-23">2025年9月23日</time></p>'
        f"<p>内容摘要（SHA-256）：<code>{digest}</code></p></div>"
    )


def test_an_older_version_s_printed_record_names_its_own_publisher_not_today_s(site: Site) -> None:
    renamed = {**site.working.controller, "name": "NewCo Holdings plc"}
    later = dataclasses.replace(site, working=dataclasses.replace(site.working, controller=renamed))
    page = version_page(later, later.version(OLD), "en", SITE_URL)
    record = page.split('<div class="notice-print-record" data-search-exclude>', 1)[1].split("</div>", 1)[0]
    assert record.startswith("<p>Published by: Botpress Inc.</p>")


def test_a_header_link_is_one_item_so_a_new_format_is_one_more_line() -> None:
    header = page_header(
        None,
        [HeaderLink("All versions", "versions/index.md"), HeaderLink("PDF", "en.pdf", media_type="application/pdf")],
        "About this version",
    )
    assert "- [All versions](versions/index.md)\n" in header  # a page: MkDocs checks the link
    # a download beside the page, which MkDocs does not build: HTML, left alone by its link validation
    assert '- <a href="en.pdf" type="application/pdf">PDF</a>\n' in header
    assert page_header(None, [], "About") == ""


def test_the_built_pages_carry_the_header_and_keep_it_out_of_search(built_site: Path) -> None:
    en = (built_site / "site/index.html").read_text(encoding="utf-8")
    assert (
        '<li><a href="https://example.github.io/privacy/zh/" hreflang="zh-Hans" lang="zh-Hans">简体中文</a></li>'
    ) in en
    assert '<div class="notice-print-record" data-search-exclude>' in en
    assert f"<code>{FIRST_DIGEST_EN}</code>" in en
    assert en.index("notice-header") < en.index("notice-contents") < en.index("notice-json")


def test_each_page_has_a_meta_description_from_the_notice_in_its_language(built_site: Path) -> None:
    site = built_site / "site"

    def described(path: str) -> str:
        found = re.findall(r'<meta name="description" content="([^"]*)">', (site / path).read_text(encoding="utf-8"))
        assert len(found) == 1, path
        return found[0]

    opening = (
        "At Botpress, we value privacy. That is why we have developed and implemented policies and practices "
        "regarding personal data."
    )
    assert described("index.html") == opening
    assert described(f"versions/{OLD}/index.html") == f"Version of {OLD}: {opening}"
    assert described("zh/index.html") == "在 Botpress,我们重视隐私。因此,我们制定并实施了关于个人数据的政策和实践。"
    assert described("versions/index.html") == "Versions: Privacy Statement"
    assert described("zh/changelog/index.html") == "变更日志：隐私声明"
    assert described(f"versions/{OLD}/changes/index.html").startswith(f"What changed in the version of {OLD}: ")


def test_a_long_opening_is_cut_after_a_whole_sentence_or_at_a_word() -> None:
    sentence = "A sentence of exactly forty characters. "
    assert shortened(sentence * 5) == (sentence * 3).strip()
    long_words = "word " * 60
    cut = shortened(long_words)
    assert cut.endswith("word…") and len(cut) <= 151
    assert shortened("个人数据" * 40) == "个人数据" * 20 + "…"
    assert shortened("Short & <plain>.") == "Short & <plain>."  # escaped by the template, not here


def contact_box_of(page: str) -> str:
    found = re.search(r'<details class="notice-contact" data-search-exclude>.*?</details>', page, re.DOTALL)
    assert found is not None
    return found.group(0)


def test_the_contact_box_says_honestly_what_is_not_published_and_links_the_rights_section(site: Site) -> None:
    box = contact_box_of(main_page(site, "en", SITE_URL))
    assert box.startswith(
        '<details class="notice-contact" data-search-exclude><summary>Your rights and how to reach us'
    )
    assert '<a href="#rights">How to exercise your rights</a>' in box
    assert (
        "<p><strong>Controller</strong><br>Botpress Inc.</p><p>Postal address not published.</p>"
        '<p>E-mail address not published: see the website <a href="https://botpress.com">https://botpress.com</a></p>'
    ) in box
    assert "<p><strong>Data protection officer</strong></p><p>Postal address not published.</p>" in box
    # The representative is reached by phone and form: no "not published" line stands in for its e-mail.
    assert (
        "<p><strong>Representative</strong><br>VeraSafe Netherlands BV</p><address>VeraSafe Netherlands BV<br>\n"
        "Keizersgracht 555<br>\n1017 DR Amsterdam<br>\nNetherlands</address>"
        '<p><a href="tel:+420228881031">+420 228 881 031</a></p>'
        '<p><a href="https://verasafe.com/public-resources/contact-data-protection-representative">Contact form</a></p>'
    ) in box


def test_the_contact_box_is_in_the_page_s_language(site: Site) -> None:
    box = contact_box_of(version_page(site, site.version(OLD), "zh", SITE_URL))
    assert "<summary>您的权利与联系方式</summary>" in box
    assert "<p>未公布邮寄地址。</p>" in box and "荷兰</address>" in box


def test_the_rights_section_is_found_by_its_terms_not_its_id(site: Site) -> None:
    notice = site.working
    renamed = dataclasses.replace(
        notice,
        sections=tuple(
            dataclasses.replace(section, id="x-" + section.id, parent=section.parent and "x-" + section.parent)
            for section in notice.sections
        ),
    )
    assert rights_section(notice) == "rights"
    assert rights_section(renamed) == "x-rights"
    no_terms = dataclasses.replace(notice, sections=tuple(dataclasses.replace(s, dpv=()) for s in notice.sections))
    assert rights_section(no_terms) is None


def test_the_changelog_offers_what_changed_only_where_there_was_a_version_before(site: Site) -> None:
    from noticegen.render.pages import changelog_page

    lines = changelog_page(site, "en", SITE_URL).splitlines()
    both = rf"[Version of 2025\-12\-01](../versions/{NEW}/index.md) · [See what changes](../versions/{NEW}/changes/"
    assert both + "index.md)" in lines
    assert rf"[Version of 2025\-09\-23](../versions/{OLD}/index.md)" in lines  # the first: nothing to compare
