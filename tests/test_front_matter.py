"""A page's front matter reads back as written whatever the notice's text holds: MkDocs drops a front matter it
cannot parse, with no error, and shows it as text at the top of the page."""

from __future__ import annotations

import pytest
from mkdocs.utils.meta import get_data

from conftest import BOTPRESS, site_on
from noticegen.render.front_matter import yaml_entry
from noticegen.render.notice_page import render_page

TEXTS = [
    "We care about your privacy 🍪 at 𠮷野家.",  # beyond the BMP: a surrogate pair in JSON, which YAML refuses
    'Quotes " and \\ and: a colon, # not a comment',
    "---\nnot: a key\n...",
    "tab\tbell\x07 DEL\x7f next line\x85 C1\x9b nonchar\ufffe line\u2028paragraph\u2029",
    "简体中文：隐私声明（2025年）",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_description_reads_back_as_written(text: str) -> None:
    page = (
        f"---\n{yaml_entry('description', text)}\n{yaml_entry('notice_json', 'https://x.example/a.json')}\n---\n\n# T\n"
    )
    body, meta = get_data(page)
    assert meta == {"description": text, "notice_json": "https://x.example/a.json"}
    assert body.startswith("# T")


def test_a_lone_surrogate_becomes_the_replacement_character() -> None:
    entry = yaml_entry("description", "a\ud800b")
    _body, meta = get_data(f"---\n{entry}\n---\n\n# T\n")
    assert meta == {"description": "a\ufffdb"}


def test_a_notice_page_with_an_emoji_in_its_description_keeps_its_front_matter() -> None:
    site = site_on(BOTPRESS, "2026-01-01")
    page = render_page(site.working, "en", json_url="https://x.example/en.json", description="privacy 🍪 at 𠮷野家")
    body, meta = get_data(page)
    assert meta == {"notice_json": "https://x.example/en.json", "description": "privacy 🍪 at 𠮷野家"}
    assert body.startswith("# ")
