"""A notice page converted with its raw HTML blocks stood in (mkdocs_plugin/raw_blocks.py) is the page MkDocs
converts: the same HTML, table of contents, title, anchors and links, on every page of the bundled site and
for any section text the renderer turns into HTML. Where a block cannot be delimited for certain, it is left
to Python-Markdown."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files, get_files
from mkdocs.structure.pages import Page

from noticegen.checks.markdown_scan import scan_body
from noticegen.checks.sections import unpublishable
from noticegen.mkdocs_plugin import raw_blocks
from noticegen.text.markup import markdown_to_html, raw_html_in

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def conversions(page_of: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """What MkDocs' conversion and the stand-in conversion leave on two fresh pages made by `page_of`."""
    results = []
    for convert in (lambda page, config, files: page.render(config, files), raw_blocks.convert):
        page, config, files = page_of()
        convert(page, config, files)
        results.append(
            (
                page.content,
                str(page.toc),
                page._title_from_render,
                page.present_anchor_ids,
                {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()},
            )
        )
    return results[0], results[1]


@pytest.fixture(scope="module")
def site_config(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The smallest configuration with the notice's Markdown extensions and one page."""
    root = tmp_path_factory.mktemp("raw-blocks")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: t\nsite_url: https://example.com/\nmarkdown_extensions:\n"
        "  - attr_list\n  - md_in_html\n  - tables\n  - toc:\n      permalink: true\n",
        encoding="utf-8",
    )
    return load_config(str(root / "mkdocs.yml"))


def page_from(config: Any, markdown: str) -> Any:
    def make() -> tuple[Page, Any, Files]:
        files = get_files(config)
        page = Page(None, files.get_file_from_path("index.md"), config)
        page.markdown, page.meta = markdown, {}
        return page, config, files

    return make


def test_every_page_of_the_bundled_site_converts_to_the_same_html_toc_and_anchors(built_site: Path) -> None:
    config = load_config(str(built_site / "mkdocs.yml"))
    files = get_files(config)
    pages = list(files.documentation_pages())
    stood_in = 0
    for file in pages:

        def make(file: File = file) -> tuple[Page, Any, Files]:
            page = Page(None, file, config)
            page.read_source(config)
            return page, config, files

        plain, fast = conversions(make)
        assert fast == plain, file.src_uri
        stood_in += len(raw_blocks.stood_in(make()[0].markdown)[1])
    assert len(pages) >= 8 and stood_in > 10 * len(pages), stood_in  # sections and redlines, not converted


def test_the_anchors_inside_a_stood_in_block_are_the_page_s_anchors(site_config: Any) -> None:
    markdown = '# T\n\n<div class="notice-body">\n<p id="clause-1">One.</p>\n\n<p><a name="n">x</a></p>\n</div>\n'
    page, config, files = page_from(site_config, markdown)()
    raw_blocks.convert(page, config, files)
    assert {"clause-1", "n", "t"} <= page.present_anchor_ids
    assert '<div class="notice-body">\n<p id="clause-1">One.</p>\n\n<p><a name="n">x</a></p>\n</div>' in page.content


@pytest.mark.parametrize(
    ("markdown", "blocks"),
    [
        ('<div class="a">\n<p>x</p>\n</div>\n\n<p class="b">y</p>', 2),
        ('<div class="a">\n<p>x</p>\n\n<p>z</p>\n</div>', 1),  # a blank line inside the block
        ("<div markdown>\n\n*x*\n\n</div>", 0),  # Markdown inside: Python-Markdown's
        ('<nav markdown>\n\n<div class="a">x</div>\n\n</nav>', 0),  # inside another HTML block
        ("<div>\n<pre>a\n\n<div></pre>\n</div>", 0),  # raw text the tag count cannot read
        ("<div>x<!-- </div> --></div>", 0),  # a comment
        ("<div>unclosed\n\n<p>a</p>", 0),  # no end: nothing after it either
        ('<div data-notice-raw="0"></div>\n\n<p>a</p>', 0),  # a stand-in's own text
        ("<hr>\n\n<p>a</p>", 1),  # a void element is its own paragraph
        ("text <div>a</div>\n\n    <div>code</div>", 0),  # not at the start of a paragraph
        # What Python-Markdown changes before reading: a line of spaces, a tab, a carriage return.
        ("<div>\n  <p>a</p>\n  \n  <p>b</p>\n</div>", 0),
        ('<div>\n\t<p id="a\tb">x</p>\n</div>', 0),
        ("<div>\r\n<p>x</p>\r\n</div>", 0),
        ('<div\nclass="a">x</div>\n\n<p>y</p>', 0),  # a tag name Python-Markdown reads up to a space or '>'
        ("## H {#h}\n<div markdown>\n\n<p id='a'>x &amp; y</p>\n\n</div>", 0),  # a block not starting a paragraph
        ('<div title="<div>">a</div>\n\n*em*\n\n</div>', 0),  # a '<' inside a tag
        ("<div><p><div></p></div>\n\n*x*\n\n</div>", 0),  # tags not closed in order
        ("<div>a</div>  \n\n<p>b</p>", 1),  # trailing spaces after the end tag
        ("<div>a</div>\n", 1),  # the file's last newline stays outside
        # After a '<' that opens no whole tag, nothing more is stood in; in a script, MkDocs finds no anchor.
        ('<!--\n\n<div id="z">x</div>\n\n-->', 0),
        ('x `<!--`\n\n<div id="z">x</div>\n\n`-->`', 0),
        ('x <script>\n\n<div id="a">y</div>\n\n</script>', 1),
        ('x <span title="\n\n<div id="z">x</div>\n\n">', 0),
    ],
)
def test_only_blocks_delimited_for_certain_are_stood_in(site_config: Any, markdown: str, blocks: int) -> None:
    assert len(raw_blocks.stood_in(markdown)[1]) == blocks
    plain, fast = conversions(page_from(site_config, markdown))
    assert fast == plain


def test_a_stand_in_not_found_once_in_the_html_is_no_conversion() -> None:
    assert raw_blocks.put_back('<div data-notice-raw="0"></div>', ["<p>a</p>"]) == "<p>a</p>"
    assert raw_blocks.put_back("", ["<p>a</p>"]) is None
    assert raw_blocks.put_back('<div data-notice-raw="0"></div>' * 2, ["<p>a</p>"]) is None


TEXT = st.lists(
    st.one_of(
        st.sampled_from(["*", "_", "[a](#b)", "<", ">", "&", "&amp;", '"', "'", "\n", "\n\n", "- ", "1. ", "| a |"]),
        st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<div/>", "<p/>", "<details>", "</details>", "<hr>"]),
        st.sampled_from(["<!--", "`", "    ", "{#x}", "{: .c }", "\\", "中"]),
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),  # the checker refuses control characters
    ),
    max_size=20,
).map("".join)


@settings(deadline=None)
@given(body=TEXT, other=TEXT, between=TEXT)
def test_any_section_text_the_renderer_writes_converts_the_same(
    site_config: Any, body: str, other: str, between: str
) -> None:
    """Section bodies as the checker lets them through (no raw HTML), between Markdown of any kind."""
    for text in (body, other):
        assume(not (scan_body(text).html or raw_html_in(text) or unpublishable(text)))
    markdown = (
        f'# Title {{#notice-title}}\n\n## One {{#one}}\n\n<div class="notice-body">\n{markdown_to_html(body)}</div>\n\n'
        f'{between}\n\n## Two {{#two}}\n\n<div class="notice-body">\n{markdown_to_html(other)}</div>\n'
    )
    plain, fast = conversions(page_from(site_config, markdown))
    assert fast == plain
