"""Each locale's search settings (noticegen.text.search), and the index written for one locale."""

from __future__ import annotations

import json
from pathlib import Path

import material
import pytest
from mkdocs.exceptions import PluginError

from noticegen.mkdocs_plugin.plugin import OVERRIDES, QUERY_SEGMENTING_WORKER, with_query_segmenting_worker
from noticegen.text.search import locale_search_index, search_settings

LUNR = {"ar", "de", "fr", "ja", "zh"}


def test_chinese_is_segmented_with_jieba_and_japanese_never() -> None:
    assert search_settings("zh-Hans", LUNR).jieba and search_settings("zh-Hant-TW", LUNR).jieba
    japanese = search_settings("ja", LUNR)
    assert (japanese.lang, japanese.jieba) == (("ja",), False)  # Material loads TinySegmenter for `ja`
    assert not search_settings("en", LUNR).jieba


def test_only_japanese_queries_are_split_into_words_in_the_browser() -> None:
    """Material splits Japanese text with TinySegmenter but not the query: the notice's worker splits it."""
    assert search_settings("ja", LUNR).segment_queries and search_settings("ja-JP", LUNR).segment_queries
    assert not [lang for lang in ("zh-Hans", "en", "de", "fr", "pl") if search_settings(lang, LUNR).segment_queries]


def test_each_language_uses_its_own_lunr_support() -> None:
    assert search_settings("de-CH", LUNR).lang == ("de",)
    assert search_settings("en-GB", LUNR).pipeline == ("stopWordFilter",)
    unknown = search_settings("pl", LUNR)  # no lunr support: words as written, no English stop words
    assert (unknown.lang, unknown.pipeline) == (("en",), ())


def test_a_locale_index_holds_its_entries_relative_to_the_locale_root() -> None:
    entries = [
        {"location": "ja/", "title": "通知", "text": ""},
        {"location": "ja/#intro", "title": "はじめに", "text": ""},
    ]
    index = json.loads(locale_search_index(entries, "ja/", search_settings("ja", LUNR), {"title": {"boost": 1}}))
    assert [doc["location"] for doc in index["docs"]] == ["", "#intro"]
    assert index["config"]["lang"] == ["ja"]
    with pytest.raises(ValueError, match="not under its locale's folder"):
        locale_search_index([{"location": "zh/#intro"}], "ja/", search_settings("ja", LUNR), {})


WORKERS = Path("assets/javascripts/workers")


def page_with(search: str) -> str:
    config = {"base": "../ja/", "search": search, "tags": None}
    return f'<head></head><script id="__config" type="application/json">{json.dumps(config)}</script>'


def search_worker(page: str) -> str:
    return json.loads(page.split('type="application/json">')[1].removesuffix("</script>"))["search"]


def test_a_japanese_page_searches_in_the_notice_s_worker_which_loads_the_theme_s() -> None:
    page = with_query_segmenting_worker(page_with("../assets/javascripts/workers/search.a7633da7.min.js"))
    assert search_worker(page) == "../assets/javascripts/workers/notice-search.js?worker=search.a7633da7.min.js"
    assert page.startswith("<head></head>") and '"base": "../ja/"' in page
    # The default locale's pages name the worker without "../".
    page = with_query_segmenting_worker(page_with("assets/javascripts/workers/search.a7633da7.min.js"))
    assert search_worker(page) == "assets/javascripts/workers/notice-search.js?worker=search.a7633da7.min.js"


def test_a_page_configuration_without_a_search_worker_stops_the_build() -> None:
    with pytest.raises(PluginError, match="names no search worker"):
        with_query_segmenting_worker(page_with(""))


def test_the_notice_s_search_worker_is_installed_beside_the_theme_s() -> None:
    """importScripts and Material's own `../lunr` paths resolve from the worker's folder: it must be the same."""
    theme_workers = Path(material.__file__).parent / "templates" / WORKERS
    assert list(theme_workers.glob("search.*.min.js"))
    script = (OVERRIDES / WORKERS / QUERY_SEGMENTING_WORKER).read_text(encoding="utf-8")
    assert "importScripts(worker)" in script and "segmenter.segment(term)" in script
