"""The built site, read as HTML: anchors, languages, no third-party resources, printable structure."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import BOTPRESS, MINIMAL, PROJECT, copy_site_project, mkdocs, started
from noticegen.checks.notice import check_notice
from noticegen.core.writer import sync_folder
from noticegen.model.notice import build_notice
from test_build_cache import entry_kind

SITE_URL = "https://example.github.io/privacy/"
PAGES = {"en": "site/index.html", "zh": "site/zh/index.html"}
RTL = MINIMAL.parent / "rtl"  # the minimal notice with an Arabic locale instead of French


class Page(HTMLParser):
    """The parts of a page the tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.html_attrs: dict[str, str | None] = {}
        self.alternates: list[tuple[str | None, str | None]] = []
        self.links: list[tuple[str, str | None]] = []  # (tag, href) of <a>
        self.resources: list[tuple[str, str]] = []  # (tag, url) of what the page loads
        self.headings: list[int] = []
        self.in_article = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "html":
            self.html_attrs = found
        if tag == "link" and found.get("rel") == "alternate" and found.get("hreflang"):
            self.alternates.append((found["hreflang"], found["href"]))
        if tag == "a":
            self.links.append((tag, found.get("href")))
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and found.get("src"):
            self.resources.append((tag, str(found["src"])))
        if tag == "link" and found.get("rel") in ("stylesheet", "icon", "preload", "modulepreload", "manifest"):
            self.resources.append((tag, str(found.get("href"))))
        if tag == "article":
            self.in_article = True
        if self.in_article and re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article = False


@pytest.fixture(scope="module")
def notice():
    return build_notice(check_notice(BOTPRESS))


def page(built_site: Path, locale: str) -> Page:
    return Page((built_site / PAGES[locale]).read_text(encoding="utf-8"))


@pytest.mark.parametrize("locale", PAGES)
def test_every_section_id_is_an_element_id(built_site: Path, notice, locale: str) -> None:
    ids = page(built_site, locale).ids
    assert [section.id for section in notice.sections if section.id not in ids] == []


@pytest.mark.parametrize("locale", PAGES)
def test_every_in_page_link_resolves(built_site: Path, locale: str) -> None:
    parsed = page(built_site, locale)
    targets = [href[1:] for _, href in parsed.links if href and href.startswith("#") and len(href) > 1]
    assert len(targets) > 2 * 52  # the contents, Material's table of contents and the permalinks
    assert sorted({target for target in targets if target not in parsed.ids}) == []


@pytest.mark.parametrize(("locale", "lang"), [("en", "en"), ("zh", "zh-Hans")])
def test_html_lang_and_direction_are_the_locale_s(built_site: Path, locale: str, lang: str) -> None:
    attrs = page(built_site, locale).html_attrs
    assert (attrs["lang"], attrs["dir"]) == (lang, "ltr")


@pytest.mark.parametrize("locale", PAGES)
def test_hreflang_alternates_are_absolute_with_x_default(built_site: Path, locale: str) -> None:
    assert page(built_site, locale).alternates == [
        ("en", SITE_URL),
        ("zh-Hans", SITE_URL + "zh/"),
        ("x-default", SITE_URL),
    ]


@pytest.mark.parametrize("locale", PAGES)
def test_headings_never_skip_a_level(built_site: Path, locale: str) -> None:
    levels = page(built_site, locale).headings
    assert levels[0] == 1
    assert [(a, b) for a, b in pairwise(levels) if b > a + 1] == []


def test_each_page_is_in_its_own_language_only(built_site: Path, notice) -> None:
    en = (built_site / PAGES["en"]).read_text(encoding="utf-8")
    zh = (built_site / PAGES["zh"]).read_text(encoding="utf-8")
    for section_id in ("retention", "cookies", "subprocessors"):
        assert notice.texts["en"].sections[section_id].title in en
        assert notice.texts["zh"].sections[section_id].title in zh
        assert notice.texts["zh"].sections[section_id].title not in en
    assert "Switch to dark mode" not in zh and "切换到深色模式" in zh
    assert "<title>隐私声明 - Botpress Inc.</title>" in zh


def test_structured_data_renders_in_the_page_language(built_site: Path) -> None:
    zh = (built_site / PAGES["zh"]).read_text(encoding="utf-8")
    en = (built_site / PAGES["en"]).read_text(encoding="utf-8")
    assert '<th scope="col" role="columnheader">服务提供商</th>' in zh
    assert '<th scope="col" role="columnheader">Service provider</th>' in en
    assert "<caption>Service providers: data collected through the website</caption>" in en
    assert zh.count('<td role="cell" data-label="服务提供商">Hotjar</td>') == 2
    assert "<address>VeraSafe Netherlands BV<br>\nKeizersgracht 555<br>\n1017 DR Amsterdam<br>\n荷兰</address>" in zh
    assert '<a href="tel:+420228881031">+420 228 881 031</a>' in en
    assert "<em>电子邮件地址不可用</em>" in zh and "<em>e-mail address not available</em>" in en


def test_the_effective_date_is_written_in_the_page_language(built_site: Path) -> None:
    zh = (built_site / PAGES["zh"]).read_text(encoding="utf-8")
    en = (built_site / PAGES["en"]).read_text(encoding="utf-8")
    # Under the title, in the header (render/page_header.py); the printed copy's record gives it with its label.
    assert '<p class="notice-header__dates">自<time datetime="2025-09-23">2025年9月23日</time>起生效。</p>' in zh
    assert (
        '<p class="notice-header__dates">In force since <time datetime="2025-09-23">September 23, 2025</time>.</p>'
    ) in en
    assert '<p>生效日期：<time datetime="2025-09-23">2025年9月23日</time></p>' in zh
    assert '<p>Effective date: <time datetime="2025-09-23">September 23, 2025</time></p>' in en
    for page_html in (zh, en):
        assert "2025-09-23</time>" not in page_html


def test_lost_lists_are_marked_where_they_were_lost(built_site: Path) -> None:
    zh = (built_site / PAGES["zh"]).read_text(encoding="utf-8")
    note = '<p class="notice-gap" role="note">此处原有的列表在已发布的原文中缺失，本页不予补写。</p>'
    assert zh.count(note) == 7
    assert "我们使用浏览器Cookie及其他追踪技术以:</p>\n" + note in zh
    assert zh.count('<p class="notice-gap" role="note">此列表仅根据本声明的早期版本部分恢复。</p>') == 1


def is_third_party(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in ("", "data")


def test_nothing_loads_from_another_host(built_site: Path) -> None:
    site = built_site / "site"
    loaded = []
    for html_file in site.rglob("*.html"):
        parsed = Page(html_file.read_text(encoding="utf-8"))
        loaded += [(html_file.name, tag, url) for tag, url in parsed.resources if is_third_party(url)]
    for css_file in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css_file.read_text(encoding="utf-8")):
            if is_third_party(url):
                loaded.append((css_file.name, "url()", url))
    assert loaded == []
    assert "fonts.googleapis.com" not in (site / "index.html").read_text(encoding="utf-8")


HAN = re.compile(r"[\u4e00-\u9fff]")


def search_index(site: Path, locale_root: str = "") -> dict:
    return json.loads((site / locale_root / "search/search_index.json").read_text(encoding="utf-8"))


def index_words(index: dict, location: str) -> set[str]:
    """The words Material's search makes of an indexed section: its text split with the index's separator."""
    doc = next(doc for doc in index["docs"] if doc["location"] == location)
    text = re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"])
    return set(re.split(index["config"]["separator"], text))


def test_each_locale_has_a_search_index_of_its_own_pages(built_site: Path) -> None:
    """English pages load site/search/search_index.json, Chinese ones site/zh/search/search_index.json
    (their page configuration's base is the locale's folder); each holds only its own locale's pages."""
    en, zh = search_index(built_site / "site"), search_index(built_site / "site", "zh")
    locations = [doc["location"] for doc in en["docs"]]
    # The same sections in both, each once: the notice, the versions list and the changelog (an archived
    # version is excluded from search), with locations relative to the locale's root.
    assert sorted(locations) == sorted(doc["location"] for doc in zh["docs"])
    assert len(locations) == len(set(locations)) == 56
    outline = yaml.safe_load((BOTPRESS / "notice/notice.yaml").read_text(encoding="utf-8"))["outline"]
    assert {f"#{section['id']}" for section in outline} < set(locations)
    assert {"", "versions/", "changelog/"} < set(locations)
    assert not [location for location in locations if location.startswith(("zh/", "/", "http"))]
    # Only English text in the English index, only Chinese in the Chinese one.
    assert not [doc for doc in en["docs"] if HAN.search(doc["title"] + doc["text"])]
    assert all(HAN.search(doc["title"]) for doc in zh["docs"] if doc["location"].startswith("#"))
    zh_page = (built_site / PAGES["zh"]).read_text(encoding="utf-8")
    en_page = (built_site / PAGES["en"]).read_text(encoding="utf-8")
    assert re.search(r'<script id="__config" type="application/json">\{[^<]*"base": "\.\./zh/"', zh_page)
    assert re.search(r'<script id="__config" type="application/json">\{[^<]*"base": "\."', en_page)


def test_each_locale_is_searched_with_its_language_s_settings(built_site: Path) -> None:
    en, zh = search_index(built_site / "site"), search_index(built_site / "site", "zh")
    assert en["config"]["lang"] == ["en"]
    # Not stemmed: Material's queries are prefixes, which lunr does not stem (see noticegen.text.search).
    assert en["config"]["pipeline"] == ["stopWordFilter"]
    assert zh["config"]["lang"] == ["zh"]
    assert "stopWordFilter" not in zh["config"]["pipeline"]
    assert (
        en["config"]["fields"]
        == zh["config"]["fields"]
        == {
            "title": {"boost": 1000.0},
            "text": {"boost": 1.0},
            "tags": {"boost": 1000000.0},
        }
    )


def test_the_search_index_splits_chinese_into_words(built_site: Path) -> None:
    """Material's search splits index text with the configured separator; jieba joined words with U+200B."""
    en, zh = search_index(built_site / "site"), search_index(built_site / "site", "zh")
    assert "保留" in index_words(zh, "#retention")
    assert {"个人", "数据"} <= index_words(zh, "#definitions")
    assert "retain" in index_words(en, "#retention")
    assert not [doc for doc in en["docs"] if "\u200b" in doc["text"]]


def test_a_right_to_left_locale_renders_rtl(tmp_path: Path) -> None:
    root = copy_site_project(RTL, tmp_path / "rtl", mkdocs_yml=RTL / "mkdocs.yml")
    mkdocs(root, "build", "--strict")
    attrs = Page((root / "site/ar/index.html").read_text(encoding="utf-8")).html_attrs
    assert (attrs["lang"], attrs["dir"]) == ("ar", "rtl")
    assert Page((root / "site/index.html").read_text(encoding="utf-8")).html_attrs["dir"] == "ltr"


def test_a_checker_error_aborts_the_build_with_the_checker_s_message(tmp_path: Path) -> None:
    root = copy_site_project(RTL, tmp_path / "broken", mkdocs_yml=RTL / "mkdocs.yml")
    text = root / "locales/en/notice.yaml"
    text.write_text(text.read_text(encoding="utf-8").replace("[](#rights)", "[](#right)"), encoding="utf-8")
    result = mkdocs(root, "build", "--strict", check=False)
    assert result.returncode == 1
    assert (
        "locales/en/notice.yaml:6:39: error: link to '#right', which is not a section or a clause "
        "(did you mean 'rights'?)" in result.stderr
    )
    assert not (root / "site").exists()


def test_the_site_languages_must_be_the_notice_s_locales(tmp_path: Path) -> None:
    root = copy_site_project(MINIMAL, tmp_path / "mismatch", mkdocs_yml=RTL / "mkdocs.yml")
    result = mkdocs(root, "build", "--strict", check=False)
    assert result.returncode == 1
    assert "mkdocs.yml's i18n languages must be the notice's locales" in result.stderr


def test_generated_pages_are_rewritten_only_when_they_change(tmp_path: Path) -> None:
    folder = tmp_path / "generated"
    folder.mkdir()
    (folder / ".gitignore").write_text("*\n")
    assert sync_folder(folder, {"en/index.md": "a", "zh/index.md": "b"}) == ["en/index.md", "zh/index.md"]
    assert sync_folder(folder, {"en/index.md": "a", "zh/index.md": "b"}) == []
    assert sync_folder(folder, {"en/index.md": "a2"}) == ["en/index.md"]
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == [
        ".gitignore",
        ".noticegen-manifest",
        "en",
        "en/index.md",
    ]


def test_the_notice_is_checked_once_per_build_although_each_locale_is_built(tmp_path: Path, monkeypatch) -> None:
    """mkdocs-static-i18n runs every plugin event once per locale; the generated pages are cached, and what
    every locale shares (the Atom feeds, the JSON) is made and written once per build."""
    from mkdocs.commands.build import build

    from noticegen.export import documents
    from noticegen.mkdocs_plugin import plugin as mkdocs_plugin

    calls = []
    real_load = mkdocs_plugin.load_site
    monkeypatch.setattr(
        mkdocs_plugin,
        "load_site",
        lambda root, on, **options: calls.append(root) or real_load(root, on, **options),
    )
    feeds_made, serialized, written = [], [], []
    real_feeds, real_serialize, real_write = (
        mkdocs_plugin.feeds,
        documents.serialize,
        mkdocs_plugin.write_if_changed,
    )
    monkeypatch.setattr(mkdocs_plugin, "feeds", lambda *args: feeds_made.append(1) or real_feeds(*args))
    monkeypatch.setattr(documents, "serialize", lambda document: serialized.append(1) or real_serialize(document))
    monkeypatch.setattr(
        mkdocs_plugin, "write_if_changed", lambda path, text: written.append(path) or real_write(path, text)
    )
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("NOTICEGEN_JOBS", "1")  # every locale built in this process, where the calls are counted
    build(started(root / "mkdocs.yml"))
    assert len(calls) == 1
    assert len(feeds_made) == 1
    api = sorted(path for path in (root / "site" / "api").rglob("*") if path.is_file())
    latest = [path for path in api if path.parent.name == "latest"]  # copies: the same text, made once
    # The released documents, kept for the next build (beside the released pages' HTML, which is no document).
    entries = (root / ".cache" / "noticegen" / "released").rglob("*.txt")
    cached = [path for path in entries if entry_kind(path.read_bytes()) == "document"]
    assert len(serialized) == len(api) - len(latest) + len(cached)
    shared = [path for path in written if "api" in path.parts or path.name == "feed.xml"]
    assert sorted(shared) == sorted([*api, root / "site/feed.xml", root / "site/zh/feed.xml"])
    assert (root / "site/zh/index.html").is_file()
    assert (root / "generated/zh/index.md").is_file() and (root / "generated/en/index.md").is_file()


def test_the_sites_languages_come_from_the_notice_alone() -> None:
    """notice/notice.yaml is the one list of locales: mkdocs.yml names none (the plugin sets up static-i18n)."""
    assert "locale:" not in (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
