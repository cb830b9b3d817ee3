"""Read a section body the way a Markdown renderer will, and list what the checks need to see.

markdown-it gives tokens with line numbers, so a problem is reported on the line of the YAML file
where the editor wrote it. Its CommonMark rules differ from Python-Markdown's (which MkDocs uses)
in one place that matters here: a list must follow a blank line, or Python-Markdown keeps it as
plain text. The scan notes such lists so the checker can ask for the blank line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from noticegen.source.references import ANY_REFERENCE

_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
# See every link as written, including those markdown-it would refuse to render (javascript: ...).
_PARSER.validateLink = lambda url: True  # type: ignore[method-assign]

# Python-Markdown's attr_list pattern: any {...} after an element may set attributes on it.
ATTR_LIST = re.compile(r"\{\:?[ ]*[^\}\n ][^\}\n]*[ ]*\}")
# Python-Markdown reads these anywhere in the page, even mid-paragraph: [label]: url, and [TOC].
LINK_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]]+\]:")
TOC_MARKER = re.compile(r"^\s*\[TOC\]\s*$")
LEAD_IN_END = (":", "：")


@dataclass(frozen=True)
class Found:
    line: int  # 0-based line within the body
    text: str  # what to point at, searched for on that line to find the column


@dataclass(frozen=True)
class Paragraph:
    line: int
    end_line: int  # the line after the paragraph
    content: str
    top_level: bool
    next_block: str  # "list", "table", "paragraph", "end" or another token type
    next_content: str = ""


@dataclass
class BodyScan:
    html: list[Found] = field(default_factory=list)
    links: list[tuple[Found, str, str]] = field(default_factory=list)  # (where, href, link text)
    images: list[Found] = field(default_factory=list)
    headings: list[Found] = field(default_factory=list)
    attr_lists: list[Found] = field(default_factory=list)
    lists_without_blank_line: list[Found] = field(default_factory=list)  # lists and tables
    shallow_nested_lists: list[Found] = field(default_factory=list)
    link_definitions: list[Found] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)


def _line(token: Token, fallback: int) -> int:
    return token.map[0] if token.map else fallback


def scan_body(body: str) -> BodyScan:
    scan = BodyScan()
    tokens = _PARSER.parse(body)
    lines = body.split("\n")
    current_line = 0
    depth = 0  # nesting in lists, tables and quotes: paragraphs at 0 are top-level
    for index, token in enumerate(tokens):
        current_line = _line(token, current_line)
        if token.type == "html_block":
            scan.html.append(Found(current_line, token.content.strip().split("\n")[0]))
        elif token.type == "heading_open":
            scan.headings.append(Found(current_line, token.markup))
        elif token.type in ("bullet_list_open", "ordered_list_open") and depth > 0 and token.map:
            # Python-Markdown nests a list only when it is indented by four spaces.
            text = lines[token.map[0]]
            parent_item = next((t for t in reversed(tokens[:index]) if t.type == "list_item_open"), None)
            parent_indent = 0
            if parent_item is not None and parent_item.map:
                parent_line = lines[parent_item.map[0]]
                parent_indent = len(parent_line) - len(parent_line.lstrip())
            if len(text) - len(text.lstrip()) - parent_indent < 4:
                scan.shallow_nested_lists.append(Found(token.map[0], text.strip()))
        if token.type in ("bullet_list_open", "ordered_list_open", "table_open") and depth == 0 and index > 0:
            before = _previous_paragraph(tokens, index)
            if (
                tokens[index - 1].type == "paragraph_close"
                and before is not None
                and before.map
                and token.map
                and before.map[1] == token.map[0]
            ):
                scan.lists_without_blank_line.append(Found(current_line, lines[current_line].strip()))
        elif token.type == "inline":
            _scan_inline(token, current_line, scan)
        if token.type == "paragraph_open":
            inline = tokens[index + 1]
            end_line = token.map[1] if token.map else current_line + 1
            scan.paragraphs.append(
                Paragraph(current_line, end_line, inline.content, depth == 0, *_next_block(tokens, index + 3))
            )
        if token.nesting == 1 and token.type not in ("paragraph_open", "heading_open"):
            depth += 1
        elif token.nesting == -1 and token.type not in ("paragraph_close", "heading_close"):
            depth -= 1
    for number, line in enumerate(lines):
        if LINK_DEFINITION.match(line) or TOC_MARKER.match(line):
            scan.link_definitions.append(Found(number, line.strip()))
    return scan


def _previous_paragraph(tokens: list[Token], index: int) -> Token | None:
    for token in reversed(tokens[:index]):
        if token.type == "paragraph_open":
            return token
    return None


def _next_block(tokens: list[Token], index: int) -> tuple[str, str]:
    if index >= len(tokens):
        return "end", ""
    token = tokens[index]
    kind = token.type.removesuffix("_open")
    if kind in ("bullet_list", "ordered_list"):
        return "list", ""
    if kind == "paragraph" and index + 1 < len(tokens):
        return "paragraph", tokens[index + 1].content
    return kind, ""


def _scan_inline(token: Token, line: int, scan: BodyScan) -> None:
    children = token.children or []
    # Inline children carry no line numbers: count the soft breaks instead.
    offset = 0
    for position, child in enumerate(children):
        here = line + offset
        if child.type in ("softbreak", "hardbreak"):
            offset += 1
        elif child.type == "html_inline":
            scan.html.append(Found(here, child.content))
        elif child.type == "image":
            scan.images.append(Found(here, "!["))
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            text = _link_text(children, position)
            shown = "<" if child.markup == "autolink" else f"[{text}]"
            scan.links.append((Found(here, shown), href, text))
        elif child.type == "text":
            for match in ATTR_LIST.finditer(ANY_REFERENCE.sub(lambda m: " " * len(m.group(0)), child.content)):
                scan.attr_lists.append(Found(here, match.group(0)))


def _link_text(children: list[Token], start: int) -> str:
    parts = []
    for child in children[start + 1 :]:
        if child.type == "link_close":
            break
        parts.append(child.content)
    return "".join(parts)


def lead_ins_without_list(
    scan: BodyScan, has_subsections: bool, is_block_reference: Callable[[str], bool]
) -> list[Paragraph]:
    """Top-level paragraphs that end with a colon and introduce nothing: where a list was lost.

    A lead-in is answered by a list, a table or a block reference (an address, a list of service
    providers); at the end of a section that has subsections, the subsections answer it.
    """
    found = []
    for paragraph in scan.paragraphs:
        content = paragraph.content.strip()
        if not paragraph.top_level or not content.endswith(LEAD_IN_END):
            continue
        answered = paragraph.next_block in ("list", "table") or (
            paragraph.next_block == "paragraph" and is_block_reference(paragraph.next_content)
        )
        if not answered and not (paragraph.next_block == "end" and has_subsections):
            found.append(paragraph)
    return found
