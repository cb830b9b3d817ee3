"""How each locale's text is searched: one search index per locale, with that language's settings.

The MkDocs adapter collects the theme's index entries of each locale's pages and writes them with these
settings beside that locale's pages (`<locale>/search/search_index.json`), so that a reader searches only
the pages in the language being read. The settings are what the site's search (lunr.js, through Material
for MkDocs) understands: `lang` names lunr's language support, `separator` splits words, `pipeline` keeps
these of lunr's steps (trimmer, stop words, stemmer), `jieba` says whether Chinese text is split into
words with jieba when the site is built, and `segment_queries` whether the reader's query is split into words
in the browser by the segmenter that split the text (lunr's TinySegmenter, for Japanese).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Words are split at white space, hyphens and punctuation; the theme's default joins "data," to the comma.
SEPARATOR = r"[\s\-,:;()]+"
# Chinese is segmented with jieba at build time (its words joined by U+200B): split on it and on CJK
# punctuation too.
CHINESE_SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；：,:;()（）「」『』]+"
# Japanese is segmented in the browser by lunr's TinySegmenter (Material's `ja` support); split sentences at
# white space and Japanese punctuation first.
JAPANESE_SEPARATOR = r"[\s\u3000\-、。，．？！；：,:;()（）「」『』・]+"


@dataclass(frozen=True)
class SearchSettings:
    lang: tuple[str, ...]
    separator: str
    pipeline: tuple[str, ...]
    jieba: bool = False
    # Material splits the indexed text with lunr's segmenter, but looks a query up as it was typed: "信じて"
    # is one query word, while the index holds "信じ" and "て". The site's search worker then splits each
    # query word with the same segmenter first (the `notice` plugin's workers/notice-search.js).
    segment_queries: bool = False


def search_settings(lang: str, lunr_languages: Iterable[str]) -> SearchSettings:
    """The search settings for a locale whose BCP 47 tag is `lang`; `lunr_languages` are the languages the
    site's lunr.js has support for (stemmer, stop words)."""
    primary = lang.split("-")[0].lower()
    if primary == "zh":
        # lunr's zh support brings a trimmer for Han characters and no stemmer; jieba has made the words.
        return SearchSettings(("zh",), CHINESE_SEPARATOR, ("trimmer", "stemmer"), jieba=True)
    if primary == "ja":
        # lunr's ja support loads TinySegmenter, which splits Japanese into words; never jieba, whose
        # Chinese dictionary cuts Japanese words apart ("製品" into "製" and "品", "東京都" into "東" and
        # "京都", which a search for Kyoto would then find). The query is split by TinySegmenter too.
        return SearchSettings(("ja",), JAPANESE_SEPARATOR, ("trimmer", "stemmer"), segment_queries=True)
    if primary == "en" or primary in set(lunr_languages):
        # No stemmer: Material's search makes every query word a prefix ("processing*"), and lunr.js does not
        # stem those, so a stemmed index ("process") would no longer match "processing" or "cookies".
        # Prefixes match the longer forms instead: "retain" finds "retained" and "retaining".
        return SearchSettings((primary,), SEPARATOR, ("stopWordFilter",))
    # A language lunr does not know: its words as written, without English stop words.
    return SearchSettings(("en",), SEPARATOR, ())


def locale_search_index(
    entries: Iterable[Mapping[str, Any]], prefix: str, settings: SearchSettings, fields: Mapping[str, Any]
) -> str:
    """The search index of one locale, as the theme's search reads it: `entries` are the theme's entries for
    that locale's pages, their locations relative to the site's root; in the index they are relative to the
    locale's root (`prefix`, such as "zh/", or "" for the default locale), where its pages load it from."""
    docs = []
    for entry in entries:
        location = str(entry["location"])
        if not location.startswith(prefix):
            raise ValueError(f"the search entry {location!r} is not under its locale's folder {prefix!r}")
        docs.append({**entry, "location": location.removeprefix(prefix)})
    config = {
        "lang": list(settings.lang),
        "separator": settings.separator,
        "pipeline": list(settings.pipeline),
        "fields": dict(fields),
    }
    return json.dumps({"config": config, "docs": docs}, separators=(",", ":"), ensure_ascii=True, default=str)
