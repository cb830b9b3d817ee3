"""Every word in the page's language, over the whole built bundled site (all locales, all page types): no
positional `#_1` anchor, one language tag per locale everywhere, navigation and 404 pages in the page's
language; and the punctuation lint of site strings (text/punctuation.py)."""

from __future__ import annotations

import gzip
import html
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT
from noticegen.text.punctuation import ascii_punctuation_in_cjk, uses_full_width

SITE_PATH = "/privacy/"
# The bundled notice's language tags, by locale folder (notice.yaml): zh is zh-Hans everywhere.
TAGS = {"en": "en", "zh": "zh-Hans"}


def pages(built_site: Path) -> dict[str, str]:
    """Every HTML page of the built site, by its path in it."""
    site = built_site / "site"
    return {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8") for path in site.rglob("*.html")}


def visible_text(page: str) -> str:
    """The words a reader sees or hears: text outside scripts and styles, titles and accessible names."""
    page = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.DOTALL)
    names = " ".join(re.findall(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + names)


def test_no_page_of_any_locale_has_a_positional_anchor(built_site: Path) -> None:
    found = {
        path: sorted(set(re.findall(r'(?:id="|href="[^"#]*#)(_\d+)"', page)))
        for path, page in pages(built_site).items()
    }
    assert {path: ids for path, ids in found.items() if ids} == {}
    assert len(found) >= 12  # both locales: main, versions, changelog, a version, its redline, 404


@pytest.mark.parametrize("path", ["versions/index.html", "changelog/index.html"])
@pytest.mark.parametrize("locale", TAGS)
def test_list_page_titles_have_the_same_anchor_in_every_language(built_site: Path, locale: str, path: str) -> None:
    folder = "" if locale == "en" else f"{locale}/"
    page = (built_site / "site" / folder / path).read_text(encoding="utf-8")
    anchor = path.split("/")[0]
    assert re.search(rf'<h1 id="{anchor}">', page)
    assert f'<a href="#{anchor}" class="md-skip">' in page


def test_every_language_tag_in_pages_is_the_locale_s(built_site: Path) -> None:
    allowed = set(TAGS.values()) | {"x-default"}
    for path, page in pages(built_site).items():
        locale = "zh" if path.startswith("zh/") else "en"
        assert re.search(r'<html lang="([^"]*)"', page)[1] == TAGS[locale], path  # type: ignore[index]
        tags = set(re.findall(r'\b(?:hreflang|lang)="([^"]*)"', page))
        assert tags <= allowed, (path, tags - allowed)


def test_one_sitemap_at_the_root_lists_every_locales_pages(built_site: Path) -> None:
    """Search engines read the root's sitemap, which names each page with its alternates in every locale; a
    copy of it in each locale folder would only make the site bigger."""
    site = built_site / "site"
    listed = re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert "https://example.github.io/privacy/" in listed and "https://example.github.io/privacy/zh/" in listed
    assert "https://example.github.io/privacy/zh/changelog/" in listed
    assert sorted(path.relative_to(site).as_posix() for path in site.rglob("sitemap.xml*")) == [
        "sitemap.xml",
        "sitemap.xml.gz",
    ]


@pytest.mark.parametrize("sitemap", ["sitemap.xml", "sitemap.xml.gz"])
def test_the_sitemap_names_each_locale_by_its_language_tag(built_site: Path, sitemap: str) -> None:
    data = (built_site / "site" / sitemap).read_bytes()
    text = (gzip.decompress(data) if sitemap.endswith(".gz") else data).decode()
    hreflangs = re.findall(r'hreflang="([^"]*)"', text)
    assert hreflangs and set(hreflangs) == set(TAGS.values())


def test_feeds_and_json_use_the_same_tags(built_site: Path) -> None:
    site = built_site / "site"
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-Hans">' in (site / "zh/feed.xml").read_text()
    index = yaml.safe_load((site / "api/notice.json").read_text(encoding="utf-8"))
    assert {entry["code"]: entry["lang"] for entry in index["locales"]["available"]} == TAGS


def test_zh_pages_have_no_english_interface_words(built_site: Path) -> None:
    zh = {path: visible_text(page) for path, page in pages(built_site).items() if path.startswith("zh/")}
    assert {"zh/index.html", "zh/404.html", "zh/versions/index.html", "zh/changelog/index.html"} <= set(zh)
    words = ("Changelog", "Versions", "Not found", "404 -")
    assert {path: [w for w in words if w in text] for path, text in zh.items() if any(w in text for w in words)} == {}


def test_a_folder_with_one_page_is_that_page_in_the_navigation(built_site: Path) -> None:
    zh = (built_site / "site/zh/index.html").read_text(encoding="utf-8")
    assert "md-nav__item--nested" not in zh
    for href, label in (("changelog/", "变更日志"), ("versions/", "所有版本")):
        assert re.search(
            rf'<a href="{href}" class="md-nav__link">\s*<span class="md-ellipsis">\s*{label}\s*</span>', zh
        )


@pytest.mark.parametrize(
    ("path", "lang", "title", "first"),
    [
        ("404.html", "en", "Page not found", SITE_PATH),
        ("zh/404.html", "zh-Hans", "未找到此页面", SITE_PATH + "zh/"),
    ],
)
def test_each_locale_has_a_404_page_in_its_language(
    built_site: Path, path: str, lang: str, title: str, first: str
) -> None:
    page = (built_site / "site" / path).read_text(encoding="utf-8")
    assert f'<html lang="{lang}" dir="ltr"' in page
    assert f"<title>{title} - Botpress Inc.</title>" in page and f'<h1 id="not-found">{title}</h1>' in page
    links = re.findall(r'<li><a href="([^"]*)" hreflang="([^"]*)" lang="\2"', page)
    assert links[0][0] == first and sorted(links) == [(SITE_PATH, "en"), (SITE_PATH + "zh/", "zh-Hans")]
    # The language switch leads to each language's main page, not to the last page built.
    switch = re.findall(r'<a href="([^"]*)" hreflang="([^"]*)" class="md-select__link"', page)
    assert sorted(switch) == [(SITE_PATH, "en"), (SITE_PATH + "zh/", "zh-Hans")]
    # Every address is absolute, so that the page works at any depth.
    assert re.findall(r'(?:href|src)="(?!/|https?:|#)([^"]*)"', page) == []


@pytest.mark.parametrize(
    ("text", "corrected"),
    [
        ("删除: ", "删除："),
        ("生效日期: ", "生效日期："),
        ("关注变更(Atom 订阅源)", "关注变更（Atom 订阅源）"),
        ("未变更的章节({count})", "未变更的章节（{count}）"),
        ("{title}:变更", "{title}：变更"),
        ("缺失,本页不予补写。", "缺失，本页不予补写。"),
        ("下划线;删除", "下划线；删除"),
        ("本当ですか?はい!", "本当ですか？はい！"),
    ],
)
def test_ascii_marks_touching_cjk_text_are_corrected(text: str, corrected: str) -> None:
    slip = ascii_punctuation_in_cjk(text)
    assert slip is not None and slip.corrected == corrected


@pytest.mark.parametrize(
    "text", ["Version of {version}", "关注变更（Atom 订阅源）", "{version} 版", "JSON (Atom), 1.5", "2025-09-23 版"]
)
def test_text_without_such_marks_is_left_alone(text: str) -> None:
    assert ascii_punctuation_in_cjk(text) is None


def test_only_chinese_and_japanese_are_held_to_full_width_marks() -> None:
    assert [tag for tag in ("zh", "zh-Hans", "zh-Hant-TW", "ja", "JA-jp") if not uses_full_width(tag)] == []
    assert [tag for tag in ("en", "fr", "ko", "ar", "de-CH") if uses_full_width(tag)] == []


def test_every_chinese_and_japanese_site_string_in_the_repository_uses_full_width_marks() -> None:
    files = subprocess.run(
        ["git", "ls-files", "*site.yaml"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout.split()
    checked = [path for path in files if Path(path).parent.name in ("zh", "ja")]
    assert len(checked) >= 3
    slips = {
        f"{path}: {key}": value
        for path in checked
        for key, value in yaml.safe_load((PROJECT / path).read_text(encoding="utf-8")).items()
        if isinstance(value, str) and ascii_punctuation_in_cjk(value)
    }
    assert slips == {}
