"""Search in each language of a notice with a Japanese locale (tests/fixtures/japanese: en source, ja, fr).

Japanese is split into words in the browser by lunr's TinySegmenter (Material's `ja` support): the indexed
text by Material, the reader's query by the notice's search worker. Never by jieba, which splits Chinese when
the site is built and would cut Japanese words apart: "製品" (product) into "製" and "品", "東京都" (Tokyo)
into "東" and "京都" (Kyoto). The first tests read the built site and need no browser.
"""

from __future__ import annotations

import contextlib
import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from browser.conftest import ServedSite, search

LOCALES = {"en": "", "ja": "ja/", "fr": "fr/"}
SECTIONS = {"#intro", "#collection", "#retention", "#rights", "#rights-access", "#contact"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
WORKERS = "assets/javascripts/workers/"


def search_index(site: ServedSite, prefix: str) -> dict:
    return json.loads((site.site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))


def page_config(site: ServedSite, prefix: str) -> dict:
    page = (site.site / prefix / "index.html").read_text(encoding="utf-8")
    return json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', page).group(1))


def locale_of(site: ServedSite, url: str) -> str:
    """The locale folder a result links into ("" for the default locale)."""
    return next((prefix for prefix in LOCALES.values() if prefix and url.startswith(site.url + prefix)), "")


def test_the_japanese_index_is_searched_with_lunr_s_japanese_support(japanese_site: ServedSite) -> None:
    ja = search_index(japanese_site, "ja/")
    assert ja["config"]["lang"] == ["ja"]  # Material's worker then loads lunr.ja and TinySegmenter
    assert "stopWordFilter" not in ja["config"]["pipeline"]
    # Sentences are cut at Japanese punctuation first; TinySegmenter splits what is between.
    pieces = re.split(ja["config"]["separator"], "個人情報、保存期間。製品（端末）")
    assert pieces == ["個人情報", "保存期間", "製品", "端末", ""]
    assert (japanese_site.site / "assets/javascripts/lunr/tinyseg.js").is_file()
    assert (japanese_site.site / "assets/javascripts/lunr/min/lunr.ja.min.js").is_file()


def test_the_japanese_index_holds_the_text_as_written_never_cut_by_jieba(japanese_site: ServedSite) -> None:
    docs = {doc["location"]: doc for doc in search_index(japanese_site, "ja/")["docs"]}
    assert set(docs) >= SECTIONS
    # jieba joins the words it makes with U+200B: "当社 | を | 信 | じ | て", "東 | 京都".
    assert [location for location, doc in docs.items() if "\u200b" in doc["title"] + doc["text"]] == []
    assert "当社を信じてサービス" in docs["#intro"]["text"]
    assert "東京都千代田区" in docs["#contact"]["text"]
    assert docs["#retention"]["title"] == "保存期間"


def test_each_locale_s_index_holds_its_own_pages_only(japanese_site: ServedSite) -> None:
    indexes = {code: search_index(japanese_site, prefix) for code, prefix in LOCALES.items()}
    for index in indexes.values():
        locations = [doc["location"] for doc in index["docs"]]
        assert set(locations) >= SECTIONS
        assert not [location for location in locations if location.startswith(("ja/", "fr/", "/", "http"))]
    assert all(JAPANESE.search(doc["title"]) for doc in indexes["ja"]["docs"] if doc["location"] in SECTIONS)
    assert not [doc for code in ("en", "fr") for doc in indexes[code]["docs"] if JAPANESE.search(doc["text"])]
    assert {code: index["config"]["lang"] for code, index in indexes.items()} == {
        "en": ["en"],
        "ja": ["ja"],
        "fr": ["fr"],
    }


def test_japanese_pages_search_in_the_worker_that_segments_queries(japanese_site: ServedSite) -> None:
    """The Japanese page's search worker is the notice's, which loads Material's from the same folder; the
    other languages use Material's worker as it is."""
    worker, _, theme_worker = page_config(japanese_site, "ja/")["search"].partition("?worker=")
    assert worker == f"../{WORKERS}notice-search.js"
    assert re.fullmatch(r"search\.[0-9a-f]+\.min\.js", theme_worker)
    assert (japanese_site.site / WORKERS / "notice-search.js").is_file()
    assert (japanese_site.site / WORKERS / theme_worker).is_file()
    assert page_config(japanese_site, "")["search"] == f"{WORKERS}{theme_worker}"
    assert page_config(japanese_site, "fr/")["search"] == f"../{WORKERS}{theme_worker}"


@pytest.mark.parametrize(
    ("prefix", "query", "section"),
    [
        ("ja/", "製品", "#collection"),
        ("ja/", "保存期間", "#retention"),
        # TinySegmenter splits "信じて" into "信じ" + "て", in the text and, in the notice's worker, in the query.
        ("ja/", "信じて", "#intro"),
        ("ja/", "当社を信じて", "#intro"),
        ("ja/", "個人情報の写し", "#rights-access"),
        ("ja/", "東京都", "#contact"),
        ("", "retention", "#retention"),
        ("", "product", "#collection"),  # query words are prefixes: "products"
        ("fr/", "conservation", "#retention"),
        ("fr/", "appareils", "#collection"),
    ],
)
def test_search_finds_the_section_in_each_language(
    page, japanese_site: ServedSite, prefix: str, query: str, section: str
) -> None:
    page.goto(japanese_site.url + prefix)
    found = search(page, query)
    assert japanese_site.url + prefix + section in found
    assert [url for url in found if locale_of(japanese_site, url) != prefix] == []


@pytest.mark.parametrize("prefix", LOCALES.values())
def test_search_finds_only_the_pages_in_the_reader_s_language(page, japanese_site: ServedSite, prefix: str) -> None:
    """The privacy address is written in the contact section of every locale: each reader finds it in the
    language being read, never in another."""
    page.goto(japanese_site.url + prefix)
    found = search(page, "privacy")
    assert japanese_site.url + prefix + "#contact" in found
    assert {locale_of(japanese_site, url) for url in found} == {prefix}


def test_a_japanese_word_inside_another_word_is_not_found(page, japanese_site: ServedSite) -> None:
    """ "京都" (Kyoto) is written inside "東京都千代田区" (Chiyoda, Tokyo), which TinySegmenter splits as "東京"
    + "都" + …: Kyoto is no word of the notice. (jieba's "東" + "京都" would make it one.)"""
    page.goto(japanese_site.url + "ja/")
    assert japanese_site.url + "ja/#contact" in search(page, "東京")  # the index is loaded, Tokyo is found
    nothing = page.evaluate("JSON.parse(document.getElementById('__config').textContent).translations")[
        "search.result.none"
    ]
    page.fill("input.md-search__input", "京都")
    page.press("input.md-search__input", "End")
    # Material answers every query: its "nothing found" message shows once it has answered this one.
    with contextlib.suppress(PlaywrightTimeoutError):  # it found something: the assertion names it
        page.wait_for_function(
            "text => document.querySelector('.md-search-result__meta').textContent.trim() === text",
            arg=nothing,
            timeout=10_000,
        )
    assert page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.href)") == []


def test_japanese_search_loads_everything_from_the_site_itself(page, japanese_site: ServedSite) -> None:
    """Its worker, TinySegmenter and lunr's Japanese support come from the site, under its Content Security
    Policy."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.add_init_script(
        """window.__violations = [];
        document.addEventListener("securitypolicyviolation",
            event => window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`));"""
    )
    page.goto(japanese_site.url + "ja/")
    assert search(page, "製品")
    assert page.evaluate("window.__violations") == []
    origin = urlsplit(japanese_site.url).netloc
    assert [url for url in requested if urlsplit(url).netloc != origin and not url.startswith("data:")] == []
    loaded = {urlsplit(url).path.removeprefix(urlsplit(japanese_site.url).path) for url in requested}
    assert {
        "assets/javascripts/lunr/tinyseg.js",
        "assets/javascripts/lunr/min/lunr.ja.min.js",
        f"{WORKERS}notice-search.js",
        "ja/search/search_index.json",
    } <= loaded
