"""A generated page converted without Python-Markdown reading the HTML blocks it passes through unchanged.

The generator writes a notice's sections, redlines and tables as HTML blocks (render/): a top-level HTML
block without a `markdown` attribute is a raw block, which Python-Markdown copies into the page as it is,
but only after its md_in_html parser has read every tag of it to find where it ends: most of the time a
version's page or a redline takes to convert. `convert` stands each such block in by an empty element,
converts the rest, and puts the blocks back where their stand-ins are. MkDocs' own reading of the raw HTML
(the anchors other pages may link to) still reads the blocks, as it would have. The page gets the same HTML,
table of contents, title and anchors (tests/test_raw_blocks.py compares both conversions on every page of
the bundled notice, of the hostile fixtures and of the benchmark notice).

Only blocks this module can delimit for certain are stood in: one that starts a paragraph of the Markdown
(after a blank line, in its first column) with a tag of BLOCK_TAGS and ends, a paragraph later or more, with
that tag's end, its nesting balanced, outside any other HTML block (the contents of a `markdown` block are
Markdown, left to Python-Markdown), and holding nothing Python-Markdown or MkDocs could read differently:
no `markdown` attribute, no preformatted or script element, no comment, none of Python-Markdown's placeholder
characters. Anything else is converted as MkDocs converts it.
"""

from __future__ import annotations

import re
import sys
from typing import Any

# Block elements the generator writes whole: a section's body, a redline's paragraphs and tables, the
# versions table, the lists of unchanged sections.
BLOCK_TAGS = frozenset({"div", "p", "details", "table", "ul", "ol", "section", "aside", "figure"})
# Elements with no end tag: an HTML block opened by one is that paragraph alone.
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
# What a stood-in block may not hold: a `markdown` attribute (md_in_html would read the block as Markdown),
# elements whose text Python-Markdown or an HTML parser reads as raw text, comments and declarations (whose
# ends the tag count below cannot see), and Python-Markdown's placeholder characters.
UNSAFE = re.compile(r"markdown|<(?:pre|script|style|textarea|!)|[\x02\x03]", re.IGNORECASE)
FIRST_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)[\s/>]")
STAND_IN = '<div data-notice-raw="{}"></div>'
STAND_INS = re.compile(r'<div data-notice-raw="(\d+)"></div>')


def _open_at_end(text: str, tag: str) -> int | None:
    """How many elements `tag` are open at the end of `text`, its tags taken in order; None when they all
    close before its end (an HTML parser would end the block there, before the rest of the text), or when one
    of them is written `<tag/>`."""
    depth = 0
    for match in re.finditer(rf"<(/?){tag}(?:[\s/>])", text, re.IGNORECASE):
        if not match.group(1) and text[: text.find(">", match.start()) + 1].endswith("/>"):
            return None  # written as if it closed itself, which an HTML parser reads its own way
        depth += -1 if match.group(1) else 1
        if depth <= 0 and match.end() < len(text.rstrip()):
            return None
    return depth


def stood_in(markdown: str) -> tuple[str, list[str]]:
    """The Markdown with each raw block this module can delimit replaced by a stand-in, and the blocks in
    order (none when the page holds a stand-in's text already)."""
    if "data-notice-raw" in markdown:
        return markdown, []
    paragraphs = markdown.split("\n\n")
    kept: list[str] = []
    out: list[str] = []
    index = 0
    while index < len(paragraphs):
        first = FIRST_TAG.match(paragraphs[index])
        if first is None:
            out.append(paragraphs[index])
            index += 1
            continue
        tag = first.group(1).lower()
        if tag in VOID_TAGS:
            out.append(paragraphs[index])
            index += 1
            continue
        end, block = index, paragraphs[index]
        while (open_elements := _open_at_end(block, tag)) and end + 1 < len(paragraphs):
            end += 1
            block += "\n\n" + paragraphs[end]
        if open_elements != 0:  # an HTML block this module cannot delimit: the rest is left as it is
            out.extend(paragraphs[index:])
            break
        if tag in BLOCK_TAGS and re.search(rf"</{tag}\s*>\Z", block, re.IGNORECASE) and not UNSAFE.search(block):
            out.append(STAND_IN.format(len(kept)))
            kept.append(block)
        else:  # converted by Python-Markdown, with whatever it holds
            out.extend(paragraphs[index : end + 1])
        index = end + 1
    return "\n\n".join(out), kept


def put_back(html: str, blocks: list[str]) -> str | None:
    """The converted page with every stand-in replaced by its block; None unless each is there exactly once."""
    seen: list[int] = []

    def block(match: re.Match[str]) -> str:
        number = int(match.group(1))
        seen.append(number)
        return blocks[number] if number < len(blocks) else match.group(0)

    restored = STAND_INS.sub(block, html)
    return restored if sorted(seen) == list(range(len(blocks))) else None


def _anchor_reader(page: Any) -> Any:
    """The HTML reader MkDocs collects a page's anchors from its raw HTML with (the page's own module's: the
    engine that built it, MkDocs or a fork), or None when that engine has none by that name."""
    return getattr(sys.modules.get(type(page).__module__), "_HTMLHandler", None)


def convert(page: Any, config: Any, files: Any) -> None:
    """The page's own `render`, with its raw blocks stood in while Python-Markdown converts the rest."""
    render = type(page).render
    markdown = page.markdown
    reader = _anchor_reader(page)
    text, blocks = stood_in(markdown) if isinstance(markdown, str) and reader is not None else (markdown, [])
    if blocks:
        page.markdown = text
        try:
            render(page, config, files)
        finally:
            page.markdown = markdown
        content = put_back(page.content or "", blocks)
        if content is not None:
            page.content = content
            # What MkDocs' reading of the raw HTML would have found in the blocks: the anchors they hold.
            anchors = reader()
            anchors.feed("\n".join(blocks))
            anchors.close()
            page.present_anchor_ids = (page.present_anchor_ids or set()) | anchors.present_anchor_ids
            return
    render(page, config, files)
