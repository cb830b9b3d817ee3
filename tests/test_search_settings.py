"""Each locale's search settings (noticegen.text.search), and the index written for one locale."""

from __future__ import annotations

import json

import pytest

from noticegen.text.search import locale_search_index, search_settings

LUNR = {"ar", "de", "fr", "ja", "zh"}


def test_chinese_is_segmented_with_jieba_and_japanese_never() -> None:
    assert search_settings("zh-Hans", LUNR).jieba and search_settings("zh-Hant-TW", LUNR).jieba
    japanese = search_settings("ja", LUNR)
    assert (japanese.lang, japanese.jieba) == (("ja",), False)  # Material loads TinySegmenter for `ja`
    assert not search_settings("en", LUNR).jieba


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
