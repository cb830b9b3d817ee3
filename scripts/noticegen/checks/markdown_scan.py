"""Read a section body the way a Markdown renderer will, and list what the checks need to see.

markdown-it gives tokens with line numbers, so a problem is reported on the line of the YAML file
where the editor wrote it. Its CommonMark rules differ from Python-Markdown's (which MkDocs uses)
in places that matter here: a list must follow a blank line, or Python-Markdown keeps it as plain
text, and Python-Markdown numbers only `1.` lists, never `1)`. The scan notes such lists so the
checker can ask for the blank line or the dot. It also notes the slips real notices contain (see
`Slips`): list markers without their space, stray backslashes, invisible line breaks, bold lines
meant as headings, and lines that will run together.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from noticegen.source.references import ANY_REFERENCE

# A paragraph that is one `{{kind:argument}}` alone: a block (an address, a table, a contact) of its own.
LONE_REFERENCE = re.compile(r"\{\{[^{}]*\}\}")

_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
# See every link as written, including those markdown-it would refuse to render (javascript: ...).
_PARSER.validateLink = lambda url: True  # type: ignore[method-assign]

# Python-Markdown's attr_list pattern: any {...} after an element may set attributes on it. Read from a `{` up to
# the next `{` at most (so a line of thousands of `{` is read once, not once per brace): of `{ a {: .x}` it
# finds `{: .x}`, the list Python-Markdown applies.
ATTR_LIST = re.compile(r"\{\:?[ ]*[^\}\n ][^\{\}\n]*[ ]*\}")
# Python-Markdown reads these anywhere in the page, even mid-paragraph: [label]: url, and [TOC].
LINK_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]]+\]:")
TOC_MARKER = re.compile(r"^\s*\[TOC\]\s*$")
LEAD_IN_END = (":", "：")
# A line of a paragraph that starts like a list item but lacks the space after the marker: `1.Text`,
# `2)Text`, `-Text`, `*Text`. Not `1.5` or `-3` (numbers), `--`, `**` or `->` (other markup, an arrow), or `+44`
# (a phone).
NUMBERED_WITHOUT_SPACE = re.compile(r"\d{1,9}[.)](?=[^\s\d.)])")
BULLET_WITHOUT_SPACE = re.compile(r"[-*](?=[^\s\d*\->])")
# A line that ends with an odd number of backslashes (an even number is escaped backslashes: text), and
# what follows them: nothing (a line break, or a stray backslash at a paragraph's end) or spaces.
BACKSLASH_AT_END = re.compile(r"(?<!\\)(?:\\\\)*(\\)([ \t]*)$")
SPACES_AT_END = re.compile(r"[ \t]{2,}$")
# A backslash followed by a space inside a line: text to both renderers. A folded body (`body: >`) makes one of
# a backslash that ended a line.
BACKSLASH_BEFORE_SPACE = re.compile(r"(?<!\\)(?:\\\\)*(\\)[ \t]+(?=\S)")


@dataclass(frozen=True)
class Found:
    line: int  # 0-based line within the body
    text: str  # what to point at, searched for on that line to find the column
    column: int | None = None  # 0-based column within the body's line, when `text` could be found elsewhere


@dataclass(frozen=True)
class Paragraph:
    line: int
    end_line: int  # the line after the paragraph
    content: str
    top_level: bool
    next_block: str  # "list", "table", "paragraph", "end" or another token type
    next_content: str = ""
    soft_breaks: tuple[int, ...] = ()  # lines that end with a soft break: the next is joined onto them


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
    slips: Slips = field(default_factory=lambda: Slips())


@dataclass
class Slips:
    """What real notices get wrong without any parser complaining: each is published other than meant."""

    numbered_without_space: list[Found] = field(default_factory=list)  # `1.Text`: one run-on paragraph
    bullet_without_space: list[Found] = field(default_factory=list)  # `-Text`, `*Text`: idem
    parenthesis_lists: list[Found] = field(default_factory=list)  # `1) Text`: not a list to Python-Markdown
    stray_backslashes: list[Found] = field(default_factory=list)  # published as a backslash
    space_line_breaks: list[Found] = field(default_factory=list)  # two trailing spaces: an invisible break
    bold_headings: list[Found] = field(default_factory=list)  # `**Bold**` alone, where a heading was meant
    joined_after_colon: list[Found] = field(default_factory=list)  # lines after `…at:` that run together


def _line(token: Token, fallback: int) -> int:
    return token.map[0] if token.map else fallback


# How many distinct bodies the scan keeps: every section of a big notice in every locale, across its versions
# (most recur unchanged from one version to the next).
SCANNED_BODIES = 32768


@functools.lru_cache(maxsize=SCANNED_BODIES)
def scan_body(body: str) -> BodyScan:
    """What the checks need to see in `body`. Cached: a released section recurs in every later version, so
    the result is shared and must be read, never changed."""
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
        if token.type == "ordered_list_open" and token.markup == ")" and token.map:
            text = lines[token.map[0]]
            scan.slips.parenthesis_lists.append(Found(token.map[0], text.strip(), len(text) - len(text.lstrip())))
        if token.type == "paragraph_open":
            inline = tokens[index + 1]
            end_line = token.map[1] if token.map else current_line + 1
            soft_breaks = _scan_paragraph_lines(token, inline, lines, depth == 0, scan.slips)
            scan.paragraphs.append(
                Paragraph(
                    current_line, end_line, inline.content, depth == 0, *_next_block(tokens, index + 3), soft_breaks
                )
            )
        if token.nesting == 1 and token.type not in ("paragraph_open", "heading_open"):
            depth += 1
        elif token.nesting == -1 and token.type not in ("paragraph_close", "heading_close"):
            depth -= 1
    for number, line in enumerate(lines):
        if LINK_DEFINITION.match(line) or TOC_MARKER.match(line):
            scan.link_definitions.append(Found(number, line.strip()))
    _lines_after_lead_ins(scan, lines)
    return scan


def _lines_after_lead_ins(scan: BodyScan, lines: list[str]) -> None:
    """A lead-in (`…or by mail at:`) followed by a paragraph of lines without line breaks: the lines (an
    address, typed as lines) are published run together as one."""
    top_level = [paragraph for paragraph in scan.paragraphs if paragraph.top_level]
    for lead_in, following in itertools.pairwise(top_level):
        if (
            lead_in.next_block == "paragraph"
            and lead_in.content.rstrip().endswith(LEAD_IN_END)
            and following.soft_breaks
        ):
            number = following.soft_breaks[0] + 1
            indent = len(lines[number]) - len(lines[number].lstrip())
            scan.slips.joined_after_colon.append(Found(number, lines[number].strip(), indent))


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


def _line_starts(children: list[Token]) -> list[Token | None]:
    """The first token of each line of an inline run (None for a line that starts with nothing)."""
    starts: list[Token | None] = []
    at_start = True
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            if at_start:
                starts.append(None)
            at_start = True
        elif at_start and not (child.type == "text" and child.content == ""):
            starts.append(child)
            at_start = False
    if at_start:
        starts.append(None)
    return starts


def _scan_paragraph_lines(
    paragraph: Token, inline: Token, lines: list[str], top_level: bool, slips: Slips
) -> tuple[int, ...]:
    """Slips on the lines of one paragraph (in a list item or a quote too), and the lines that end with a soft
    break. Line starts are read in the paragraph's content (markers and indentation removed), line ends in the
    body's own lines."""
    if not paragraph.map:
        return ()
    first, end = paragraph.map
    content_lines = inline.content.split("\n")
    children = inline.children or []
    breaks = [child.type for child in children if child.type in ("softbreak", "hardbreak")]
    # A code span across lines holds its line break inside it: then the tokens no longer follow the lines.
    aligned = len(breaks) == len(content_lines) - 1
    starts = _line_starts(children) if aligned else []
    count = min(len(content_lines), end - first)
    soft_breaks = tuple(first + offset for offset, kind in enumerate(breaks) if kind == "softbreak") if aligned else ()
    for offset in range(count):
        number = first + offset
        source, content = lines[number], content_lines[offset]
        column = max(source.find(content), 0)
        last = offset == count - 1
        if NUMBERED_WITHOUT_SPACE.match(content):
            slips.numbered_without_space.append(Found(number, content, column))
        elif BULLET_WITHOUT_SPACE.match(content):
            # `*Text*` at a line's start is emphasis, not a slip: the line must start with the text itself.
            start = starts[offset] if aligned else _line_starts(_PARSER.parseInline(content)[0].children or [])[0]
            if content.startswith("-") or (start is not None and start.type == "text"):
                slips.bullet_without_space.append(Found(number, content, column))
        backslash = BACKSLASH_AT_END.search(source)
        if backslash and (last or backslash.group(2)):
            slips.stray_backslashes.append(Found(number, "\\" + backslash.group(2), backslash.start(1)))
        elif not last and not backslash and (spaces := SPACES_AT_END.search(source)):
            slips.space_line_breaks.append(Found(number, spaces.group(0), spaces.start()))
        if "`" not in source:  # in code, a backslash is text as it should be
            for inside in BACKSLASH_BEFORE_SPACE.finditer(source):
                slips.stray_backslashes.append(Found(number, "\\ ", inside.start(1)))
        if aligned and not last and breaks[offset] == "softbreak" and content.rstrip().endswith(LEAD_IN_END):
            following = lines[number + 1]
            indent = len(following) - len(following.lstrip())
            slips.joined_after_colon.append(Found(number + 1, following.strip(), indent))
    if top_level and aligned and _is_bold_only(children, content_lines):
        slips.bold_headings.append(Found(first, content_lines[0], max(lines[first].find(content_lines[0]), 0)))
    return soft_breaks


def _is_bold_only(children: list[Token], content_lines: list[str]) -> bool:
    """Whether a paragraph's first line is bold text alone, and not a lead-in (`**Contact:**`)."""
    line = []
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            break
        if not (child.type == "text" and child.content.strip() == ""):
            line.append(child)
    if len(line) < 3 or line[0].type != "strong_open" or line[-1].type != "strong_close":
        return False
    depth = 0
    for child in line[:-1]:  # one bold span from the first token to the last: not `**a** and **b**`
        depth += {"strong_open": 1, "strong_close": -1}.get(child.type, 0)
        if depth == 0:
            return False
    return not content_lines[0].rstrip().rstrip("*_").rstrip().endswith(LEAD_IN_END)


def _link_text(children: list[Token], start: int) -> str:
    parts = []
    for child in children[start + 1 :]:
        if child.type == "link_close":
            break
        parts.append(child.content)
    return "".join(parts)


def lead_ins_without_list(
    scan: BodyScan, has_subsections: bool, is_block_reference: Callable[[str], bool] | None = None
) -> list[Paragraph]:
    """Top-level paragraphs that end with a colon and introduce nothing: where a list was lost.

    A lead-in is answered by a list, a table, a paragraph that is one reference alone (`{{contact:dpo}}`,
    `{{data:representative.address}}`: whatever it names, it stands as a block of its own; `is_block_reference`
    may accept more) or a paragraph of several lines (an address written line by line; `Slips.joined_after_colon`
    notes it when its lines are not broken, which would publish them as one). At the end of a section that has
    subsections, the subsections answer it. A colon followed by a paragraph of prose is not answered.
    """
    found = []
    for paragraph in scan.paragraphs:
        content = paragraph.content.strip()
        if not paragraph.top_level or not content.endswith(LEAD_IN_END):
            continue
        following = paragraph.next_content.strip()
        answered = paragraph.next_block in ("list", "table") or (
            paragraph.next_block == "paragraph"
            and (
                LONE_REFERENCE.fullmatch(following) is not None
                or "\n" in following
                or (is_block_reference is not None and is_block_reference(paragraph.next_content))
            )
        )
        if not answered and not (paragraph.next_block == "end" and has_subsections):
            found.append(paragraph)
    return found
