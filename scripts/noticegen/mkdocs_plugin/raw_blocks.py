"""A generated page converted without Python-Markdown reading the HTML blocks it passes through unchanged.

The generator writes a notice's sections, redlines and tables as HTML blocks (render/): a top-level HTML
block without a `markdown` attribute is a raw block, which Python-Markdown copies into the page as it is,
but only after its md_in_html parser has read every tag of it to find where it ends: most of the time a
version's page or a redline takes to convert. `convert` stands each such block in by an empty element,
converts the rest, and puts the blocks back where their stand-ins are. The anchors MkDocs finds in a page's
raw HTML (which other pages may link to) are read in the whole page, as MkDocs reads them. The page gets the
same HTML, table of contents, title, anchors and links (tests/test_raw_blocks.py compares both conversions on
every page of the bundled site, on the cases below, and on pages made of any text the checker accepts).

Only blocks this module can delimit for certain are stood in: one that starts a paragraph of the Markdown
(after a blank line, in its first column) with a tag of BLOCK_TAGS and ends, a paragraph later or more, with
the end tag that closes it, every tag in it closed in order, and that holds nothing Python-Markdown could
read or change otherwise: no `markdown` attribute, no `<` but those of tags, no `<tag/>`, no raw-text element
(`pre`, `script`...), no comment, declaration or processing instruction, none of Python-Markdown's placeholder
characters, no tab, carriage return, line of spaces or trailing space. A paragraph with a tag at the start of
a line that is no such block, or with a '<' that opens no whole tag, leaves the rest of the page as it is; so
does a block whose end cannot be found.
Anything not stood in is converted as MkDocs converts it.
"""

from __future__ import annotations

import re
import sys
from typing import Any

# Block elements the generator writes whole: a section's body, a redline's paragraphs and tables, the
# versions table, the lists of unchanged sections.
BLOCK_TAGS = frozenset({"div", "p", "details", "table", "ul", "ol", "section", "aside", "figure"})
# Elements with no end tag.
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
# What a stood-in block may not hold: a `markdown` attribute (md_in_html would read the block as Markdown),
# elements whose text an HTML parser reads as raw text, comments, declarations and processing instructions
# (whose ends the tag reading below cannot see), Python-Markdown's placeholder characters, and what
# Python-Markdown changes before it reads a page (tabs, carriage returns, lines of spaces only).
UNSAFE = re.compile(
    r"markdown|<(?:pre|script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext|[!?])|[\x02\x03\t\r]"
    r"|(?m:^ +$)",
    re.IGNORECASE,
)
# A paragraph that starts with an HTML block, read as Python-Markdown reads a block's tag name (up to a
# space or '>'), and any tag in the text.
FIRST_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)[ >]")
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>")
# A line that starts with a tag or an end tag, which may open an HTML block of its own.
LINE_WITH_TAG = re.compile(r"(?m)^ {0,3}</?[a-zA-Z]")
# What an HTML parser reads as the start of markup, not as text.
OPENING = re.compile(r"<[a-zA-Z/!?]")
STAND_IN = '<div data-notice-raw="{}"></div>'
STAND_INS = re.compile(r'<div data-notice-raw="(\d+)"></div>')


def _open_at_end(text: str) -> int | None:
    """How many elements are open at the end of `text`, an HTML block read from its first tag; None when it
    cannot be read for certain as one block: a `<` that starts no tag, or one inside a tag, an element written
    `<tag/>`, a tag not closed in order (an HTML parser would close elements on its own), or the first element
    closed before the text ends (the block would end there)."""
    if "<" in TAG.sub("", text):
        return None
    stack: list[str] = []
    trimmed = len(text.rstrip())
    for match in TAG.finditer(text):
        closing, name, rest = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if not stack or stack[-1] != name:
                return None
            stack.pop()
            if not stack and match.end() < trimmed:
                return None
        elif name in VOID_TAGS:
            if not stack:
                return None
        elif rest.endswith("/"):
            return None
        else:
            stack.append(name)
    return len(stack)


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
        paragraph = paragraphs[index]
        first = FIRST_TAG.match(paragraph)
        if first is not None and first.group(1).lower() in VOID_TAGS and paragraph.rstrip() == first.group(0):
            out.append(paragraph)  # a lone void element (a rule): an HTML block of its own
            index += 1
            continue
        if first is None:
            # HTML this module does not delimit (a tag that starts a line, a '<' that opens no whole tag, which
            # an HTML parser may read on into the next paragraphs): the rest of the page as it is.
            if LINE_WITH_TAG.search(paragraph) or OPENING.search(TAG.sub("", paragraph)):
                out.extend(paragraphs[index:])
                break
            out.append(paragraph)
            index += 1
            continue
        end, block = index, paragraph
        while (open_elements := _open_at_end(block)) and end + 1 < len(paragraphs):
            end += 1
            block += "\n\n" + paragraphs[end]
        if open_elements != 0:  # an HTML block this module cannot delimit: the rest is left as it is
            out.extend(paragraphs[index:])
            break
        core = block.rstrip("\n")  # the page's last block ends with the file's newline, which stays outside
        if first.group(1).lower() in BLOCK_TAGS and not UNSAFE.search(block) and core == core.rstrip():
            out.append(STAND_IN.format(len(kept)) + block[len(core) :])
            kept.append(core)
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


def _anchors(reader: Any, markdown: str) -> set[str]:
    """What MkDocs' reading of a page's raw HTML finds in `markdown`: it reads the page's lines after
    Python-Markdown's first step (NormalizeWhitespace: placeholder characters out, line ends made \\n, tabs
    expanded, lines of spaces emptied)."""
    text = markdown.replace("\x02", "").replace("\x03", "").replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
    text = re.sub(r"(?<=\n) +\n", "\n", text.expandtabs(4))
    handler = reader()
    handler.feed(text)
    handler.close()
    return set(handler.present_anchor_ids)


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
        # The anchors MkDocs reads in the raw HTML of the whole page, as it would have: read in the blocks alone,
        # a comment or an open tag before one would be missed. Unless the stand-ins showed the reader an anchor
        # the page does not have, they are the page's anchors with the converted elements'.
        anchors = _anchors(reader, markdown) if content is not None else set()
        if content is not None and _anchors(reader, text) <= anchors:
            page.content = content
            page.present_anchor_ids = (page.present_anchor_ids or set()) | anchors
            return
    render(page, config, files)
