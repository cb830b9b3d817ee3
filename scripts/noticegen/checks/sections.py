"""Every section of every locale: present, titled, and a body that publishes exactly what it says."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable
from typing import Any

from noticegen.checks.clauses import check_clause_markers, markers_in
from noticegen.checks.context import CheckContext, LeadIn
from noticegen.checks.links import check_link, check_references
from noticegen.checks.markdown_scan import (
    SCANNED_BODIES,
    BodyScan,
    Found,
    Slips,
    lead_ins_without_list,
    scan_body,
)
from noticegen.checks.tables import check_table
from noticegen.core.diagnostics import Location, shown
from noticegen.source.load import Loaded
from noticegen.source.references import ANY_REFERENCE, is_block_reference
from noticegen.source.schema import did_you_mean
from noticegen.source.yamlsource import Pos, SourceFile, YMap
from noticegen.text.markup import link_problem, markdown_to_html, policy_problems, raw_html_in


def check_sections(ctx: CheckContext, code: str, loaded: Loaded) -> None:
    sections = loaded.get("sections")
    if not isinstance(sections, YMap):
        return
    file = loaded.file
    if isinstance(loaded.data, YMap) and isinstance(loaded.data.get("title"), str):
        # The notice's title is also the page's <title>, where the theme undoes the escaping.
        check_title(ctx, file, loaded.data.value_pos["title"], loaded.data["title"])
    if isinstance(loaded.data, YMap) and isinstance(loaded.data.get("summary"), str):
        # The notice's summary: a text like a body, shown in the page's header (no section of its own).
        check_body(ctx, code, None, file, loaded.data.value_pos["summary"], loaded.data["summary"])
    if isinstance(loaded.data, YMap) and "summary_source_hash" in loaded.data and code == ctx.source_locale:
        ctx.report.warning(
            file.at(loaded.data.value_pos["summary_source_hash"]),
            f"'{shown(code)}' is the source locale: its summary records no summary_source_hash",
            "remove the line",
        )
    anchor = file.at(loaded.data.key_pos.get("sections")) if isinstance(loaded.data, YMap) else file.at(None)
    for section_id in ctx.outline:
        if section_id not in sections:
            ctx.report.error(
                anchor,
                f"locale '{shown(code)}' is missing section '{shown(section_id)}'",
                f"add `{section_id}:` with its title and body under `sections:`; "
                "every locale has every section of the outline",
            )
    for section_id, text in sections.items():
        key_at = file.at(sections.key_pos[section_id])
        entry = ctx.outline.get(section_id)
        if entry is None:
            ctx.report.error(
                key_at,
                f"section '{shown(section_id)}' of locale '{shown(code)}' is not in the outline",
                did_you_mean(section_id, tuple(ctx.outline))
                or "add it to the outline in notice/notice.yaml, or delete it here",
            )
            continue
        if "title" in text:
            check_title(ctx, file, text.value_pos["title"], text["title"])
        has_table = "table" in text or "table" in text.invalid
        if "body" in text:
            check_body(ctx, code, section_id, file, text.value_pos["body"], text["body"], has_table=has_table)
        elif not entry.children and not has_table and "body" not in text.invalid and not ctx.outline_broken:
            ctx.report.error(
                key_at,
                f"section '{shown(section_id)}' of locale '{shown(code)}' has no body",
                "write its text under `body: |`; only a section with subsections or a table may go without",
            )
        if "table" in text:

            def check_cell(pos: Pos, cell: str, section_id: str = section_id) -> None:
                check_body(ctx, code, section_id, file, pos, cell, in_cell=True)

            check_table(ctx, code, section_id, file, text["table"], check_cell)
        if "source_hash" in text and code == ctx.source_locale:
            ctx.report.warning(
                file.at(text.value_pos["source_hash"]),
                f"'{shown(code)}' is the source locale: its sections record no source_hash",
                "remove the line",
            )


def check_title(ctx: CheckContext, file: SourceFile, pos: Pos, title: str) -> None:
    # The theme writes a title into <title> and the navigation unescaped (Jinja's striptags): no markup at all.
    if re.search(r"[<>]", title):
        ctx.report.error(file.at(pos), "raw HTML is not allowed in a title", "write plain text, without < or >")
    if "{" in title or "}" in title:
        ctx.report.error(
            file.at(pos),
            "braces are not allowed in a title",
            "a title is plain text: references and attribute lists belong nowhere in it",
        )


def check_summaries(ctx: CheckContext) -> None:
    """A summary in one locale is in every locale, like a section: a reader of any language is told as much.
    Translations are made from the source locale, so a summary starts there."""
    texts = {code: loaded for code, loaded in ctx.sources.texts.items() if isinstance(loaded.data, YMap)}
    source = texts.get(ctx.source_locale or "")
    if source is None:
        return
    has_summary = {code: "summary" in loaded.data or "summary" in loaded.data.invalid for code, loaded in texts.items()}
    source_code = ctx.source_locale
    for code, loaded in texts.items():
        if code == source_code or has_summary[code] == has_summary[source_code]:
            continue
        if has_summary[source_code]:
            title_at = loaded.data.key_pos.get("title") or loaded.data.key_pos.get("sections")
            ctx.report.error(
                loaded.file.at(title_at),
                f"locale '{shown(code)}' is missing the summary of locale '{shown(source_code)}'",
                "add `summary: |` under `title:`, translated from the source locale's; every locale has the "
                "summary, or none does",
            )
        else:
            ctx.report.error(
                loaded.file.at(loaded.data.key_pos["summary"]),
                f"locale '{shown(code)}' has a summary, but the source locale '{shown(source_code)}' has none",
                f"write the summary in locales/{source_code}/notice.yaml first, since translations are made from it, "
                "or remove this one",
            )


def check_body(
    ctx: CheckContext,
    code: str,
    section_id: str | None,
    file: SourceFile,
    pos: Pos,
    body: str,
    *,
    has_table: bool = False,
    in_cell: bool = False,
) -> None:
    """A section's body, or (`in_cell`) a cell of its table, or (`section_id` None) the notice's summary: Markdown
    that publishes exactly what it says."""
    start_line, start_col = _body_start(file, pos)

    def at(found: Found) -> Location:
        if not pos.literal:  # folded or quoted text: lines in the value are not lines in the file
            return Location(file.path, start_line, start_col)
        line = start_line + found.line
        text = file.lines[line - 1] if 0 < line <= len(file.lines) else ""
        if found.column is not None:  # the body's line is the file's line without the block's indentation
            body_line = lines[found.line] if found.line < len(lines) else ""
            return Location(file.path, line, len(text) - len(body_line) + found.column + 1)
        column = text.find(found.text) if found.text else -1
        return Location(file.path, line, column + 1 if column >= 0 else start_col)

    def at_offset(offset: int) -> Location:
        line = body.count("\n", 0, offset)
        return at(Found(line, body[offset : offset + 12].split("\n")[0]))

    lines = body.split("\n")
    slow = slow_block(body)
    if slow is not None:  # rendered, it would hold the check (and the build) for minutes: read no further
        ctx.report.error(
            at(Found(slow, lines[slow].strip()[:12])),
            "this paragraph has brackets '[' or link addresses '](' that never close, which the site's Markdown "
            "renderer reads to the paragraph's end, each of them: it would take minutes",
            "close each '[' with ']' and each '](' with ')', or write \\[ for a bracket that is text",
        )
        return
    tag = slow_tags(body)
    if tag is not None:
        ctx.report.error(
            at_offset(tag),
            "this text has '<' that no '>' closes, which the site's Markdown renderer reads to the text's end, "
            "each of them: it would take minutes",
            "write &lt; for a '<' that is text",
        )
        return
    scan = scan_body(body)
    for found in scan.html:
        ctx.report.error(
            at(found),
            f"raw HTML is not allowed in the text: {found.text[:40]}",
            "write Markdown instead; HTML would be published as it is",
        )
    # The renderer's own answer, where the two readings of the text differ: the HTML Python-Markdown would
    # publish as it is (markdown-it's HTML is reported above; the allowlist's net, check_published_html, names
    # what is off it). A backslash before it is an escape to markdown-it only: that is said, always.
    neutral = _neutral(body)
    named = bool(scan.html) or bool(unpublishable(body))
    searched = 0
    for raw in raw_html_in(neutral):
        first_line = raw.strip().split("\n")[0]
        offset = neutral.find(first_line, searched) if first_line else -1
        if offset >= 0:
            searched = offset + len(first_line)
        if offset > 0 and _escaped(neutral, offset):
            ctx.report.error(
                at_offset(offset - 1),
                f"raw HTML is not allowed in the text: \\{first_line[:40]}",
                "a backslash does not keep '<' from starting HTML here: write &lt; for the character '<'",
            )
        elif not named:
            ctx.report.error(
                at_offset(offset) if offset >= 0 else Location(file.path, start_line, start_col),
                f"raw HTML is not allowed in the text: {first_line[:40] or 'an element with a markdown attribute'}",
                "write Markdown instead: the site's renderer reads this as HTML, and publishes it as it is; in a "
                "list item, a line indented four spaces more than the item's text is still text, not code",
            )
    for found in scan.images:
        ctx.report.error(at(found), "images are not allowed in the notice text", "describe it in words")
    for found in scan.headings:
        ctx.report.error(
            at(found),
            "a heading inside a section body",
            "make it a subsection in the outline; headings carry the permanent anchors",
        )
    for found in scan.attr_lists:
        ctx.report.error(
            at(found),
            f"attribute list '{shown(found.text)}' is not allowed",
            "remove it: the generator sets ids and attributes; to give a paragraph or list item a permanent "
            "anchor, start it with [§id]",
        )
    for found in scan.lists_without_blank_line:
        ctx.report.error(
            at(found),
            "a list or table must follow an empty line",
            "insert an empty line before it, or it is published as plain text",
        )
    for found in scan.shallow_nested_lists:
        ctx.report.error(
            at(found),
            "a nested list must be indented by four spaces",
            "indent it four spaces more than its parent item, or it is published as a sibling",
        )
    for found in scan.link_definitions:
        ctx.report.error(
            at(found),
            f"'{shown(found.text, 40)}' would be read as a link definition or a marker and disappear",
            "write links inline as [text](https://…); do not start a line with [label]:",
        )
    for found, href, text in scan.links:
        check_link(ctx, at(found), href, text)
    check_slips(ctx, scan.slips, at)
    errors_before = len(ctx.report.errors)
    check_references(ctx, body, at_offset, table=None if in_cell else has_table, blocks=section_id is not None)
    if section_id is None:
        for marker in markers_in(body):
            ctx.report.error(
                at(Found(marker.line, marker.text)),
                f"clause marker '{shown(marker.text)}' in the summary",
                "clause anchors mark a section's paragraphs; the summary has none: remove it",
            )
    else:
        check_clause_markers(ctx, code, section_id, body, lambda line, text: at(Found(line, text)), in_cell=in_cell)
    if len(ctx.report.errors) == errors_before and not _found_anything(scan):
        check_published_html(ctx, body, at_offset)
    if in_cell or section_id is None:  # a lost list is declared as a gap of a body, where its note is shown
        return
    has_subsections = bool(ctx.outline[section_id].children)
    for paragraph in lead_ins_without_list(
        scan, has_subsections, lambda content: is_block_reference(content, ctx.data)
    ):
        content = paragraph.content.strip()
        ctx.lead_ins.append(LeadIn(section_id, at(Found(paragraph.line, content[:16]))))


def check_slips(ctx: CheckContext, slips: Slips, at: Callable[[Found], Location]) -> None:
    """The slips real notices contain. Warnings: no word is lost, but the text is not published as it was
    meant (a list run into one paragraph, a stray backslash, a heading that is not one). `--strict` (CI)
    refuses them; as warnings they never stop a released version, which cannot be edited, from building."""
    for found in slips.numbered_without_space:
        marker = re.match(r"\d+[.)]", found.text)
        assert marker is not None
        number, rest = marker.group(0), found.text[marker.end() :]
        ctx.report.warning(
            at(found),
            f"'{shown(found.text, 20)}' is not a numbered list item: a space must follow '{number}'",
            f"for a list, write '{shown(number)} {shown(rest, 12)}' and put an empty line before the list; for "
            f"text, write '{shown(number[:-1])}\\{number[-1]}{shown(rest, 12)}'; as it is, the lines run on as one "
            "paragraph",
        )
    for found in slips.bullet_without_space:
        marker, rest = found.text[0], found.text[1:]
        ctx.report.warning(
            at(found),
            f"'{shown(found.text, 20)}' is not a list item: a space must follow '{marker}'",
            f"for a list, write '{marker} {shown(rest, 12)}' and put an empty line before the list; for text, write "
            f"'\\{marker}{shown(rest, 12)}'; as it is, the lines run on as one paragraph",
        )
    for found in slips.parenthesis_lists:
        ctx.report.warning(
            at(found),
            f"'{shown(found.text, 20)}' is not a numbered list on the site: it numbers only '1.' lists",
            "write '1.', '2.', … instead of '1)', '2)', …; as it is, the items run on as one paragraph",
        )
    for found in slips.stray_backslashes:
        if found.text != "\\":  # spaces after it: invisible, and the reason it breaks nothing
            ctx.report.warning(
                at(found),
                "a backslash followed by a space is published as a backslash",
                "to break the line, end the line with the backslash and nothing after it, in a `body: |` block, "
                "since `body: >` joins the lines; otherwise remove it",
            )
        else:
            ctx.report.warning(
                at(found),
                "a backslash at the end of a paragraph is published as a backslash",
                "remove it: a backslash at the end of a line breaks the line only where the paragraph goes on after it",
            )
    for found in slips.space_line_breaks:
        ctx.report.warning(
            at(found),
            "spaces at the end of a line make an invisible line break",
            "end the line with a backslash instead, the one way to break a line, or remove the spaces",
        )
    for found in slips.bold_headings:
        ctx.report.warning(
            at(found),
            f"'{shown(found.text, 30)}' is a line of bold text alone: it looks like a heading but is not one",
            "make it a subsection in the outline, which gives it a heading and a permanent anchor, or part of a "
            "sentence",
        )
    for found in slips.joined_after_colon:
        ctx.report.warning(
            at(found),
            "the lines after a colon run on as one line",
            "to keep the lines, as in an address, end each line but the last with a backslash; for a list, put an "
            "empty line before it and '- ' before each item",
        )


def check_published_html(ctx: CheckContext, body: str, at_offset: Any) -> None:
    """The safety net: render the body as the site does and allow only what is on the allowlist."""
    for offset, problem in unpublishable(body):
        ctx.report.error(
            at_offset(offset),
            problem,
            "write plain Markdown: paragraphs, emphasis, lists, tables and https, mailto or tel links",
        )


# How much the renderer's link pattern may read in one paragraph (about 0.4 s of Python-Markdown's time), or, in
# a long one, per character of it. A link reads only its own text, so a notice's paragraph reads about once per
# character: a long paragraph of half-open intervals ("[0, 10)") reads a few hundred thousand.
MOST_READS = 2_000_000
READS_PER_CHARACTER = 50
BLOCK_START = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]|^[ \t]*$")
FENCE = re.compile(r"^[ \t]*(```|~~~)")


def slow_block(body: str) -> int | None:
    """The body's line where a paragraph or list item starts that Python-Markdown would take minutes to render,
    or None. Its link pattern reads from each '[' to the ']' that closes it, or, when none does, to the end of
    the paragraph: each unclosed '[' costs a reading of the rest, and thousands cost minutes. Fenced code is
    not read by it."""
    lines = body.split("\n")
    fenced, in_fence = set(), False
    for index, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
            fenced.add(index)
        elif in_fence:
            fenced.add(index)
    starts = [index for index, line in enumerate(lines) if index == 0 or BLOCK_START.match(line)] + [len(lines)]
    for start, end in itertools.pairwise(starts):
        block = "\n".join(line for index, line in enumerate(lines[start:end], start) if index not in fenced)
        if block.count("[") > 1 and _too_many(_reads(block), block):
            return next(index for index in range(start, end) if lines[index].strip())
    return None


def _too_many(reads: int, text: str) -> bool:
    return reads > max(MOST_READS, READS_PER_CHARACTER * len(text))


def _reads(block: str) -> int:
    """How many characters the link pattern reads in `block`, counted in one pass: from each '[' to the ']'
    that closes it, and from each '](' to the ')' that closes it, parentheses nesting (or to the end)."""
    brackets: list[int] = []
    parentheses: list[tuple[int, bool]] = []  # where each '(' is, and whether it opens a link's address
    reads, index = 0, 0
    while index < len(block):
        character = block[index]
        if character == "\\":
            index += 2  # an escaped character is text
            continue
        if character == "[":
            brackets.append(index)
        elif character == "]" and brackets:
            reads += index - brackets.pop()
        elif character == "(":
            parentheses.append((index, index > 0 and block[index - 1] == "]"))
        elif character == ")" and parentheses:
            start, address = parentheses.pop()
            reads += index - start if address else 0
        index += 1
    unclosed = brackets + [start for start, address in parentheses if address]
    return reads + sum(len(block) - start for start in unclosed)


# A '<' that may start a tag (a letter, '/', '!' or '?' after it).
TAG_START = re.compile(r"<[A-Za-z/!?]")


def slow_tags(body: str) -> int | None:
    """The offset of the first '<' of a body that Python-Markdown's HTML reader would take minutes over, or None.
    It reads the whole body (not a paragraph) from each '<' that may start a tag to the next '>', or to the end
    when none comes: thousands of '<' without '>' (`<http://a` …) cost minutes."""
    starts = [match.start() for match in TAG_START.finditer(body)]
    if len(starts) < 2:
        return None
    closings = [index for index, character in enumerate(body) if character == ">"]
    reads = 0
    for start in starts:  # from each '<' to the next '>' after it
        at = bisect.bisect_right(closings, start)
        reads += (closings[at] if at < len(closings) else len(body)) - start
    return starts[0] if _too_many(reads, body) else None


def _neutral(body: str) -> str:
    """The body as the renderer sees it for the checks: each reference replaced by as many letters."""
    return ANY_REFERENCE.sub(lambda m: "x" * len(m.group(0)), body)


def _escaped(text: str, offset: int) -> bool:
    """Whether the character at `offset` follows a backslash that is no escaped backslash itself: an odd run."""
    run = offset - len(text[:offset].rstrip("\\"))
    return run % 2 == 1


@functools.lru_cache(maxsize=SCANNED_BODIES)
def unpublishable(body: str) -> tuple[tuple[int, str], ...]:
    """(offset in the body, what is wrong) for what the body's rendering would publish off the allowlist; a pure
    function of the text, asked of the same section in every released version."""
    neutral = _neutral(body)
    problems = []
    for written, problem in policy_problems(markdown_to_html(neutral)):
        offset = neutral.find(written)
        if offset < 0:
            offset = neutral.find(written.split()[0].rstrip(">")) if written.split() else -1
        problems.append((max(offset, 0), f"{problem}: {written[:60]}"))
    return tuple(problems)


def _body_start(file: SourceFile, pos: Pos) -> tuple[int, int]:
    """Line and column where a `|` body's text starts in its file (its value's position otherwise)."""
    if not pos.literal:
        return pos.line, pos.col
    line = pos.line + 1  # a `|` block keeps its leading empty lines: line 0 of the body is here
    first_text = next((t for t in file.lines[pos.line :] if t.strip()), "")
    return line, len(first_text) - len(first_text.lstrip()) + 1


def _found_anything(scan: BodyScan) -> bool:
    return bool(
        scan.html
        or scan.images
        or scan.headings
        or scan.attr_lists
        or scan.lists_without_blank_line
        or scan.shallow_nested_lists
        or scan.link_definitions
        or any(link_problem(href) for _, href, _ in scan.links)
    )
