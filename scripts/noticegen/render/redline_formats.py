"""A redline outside the site (`notice diff`): for a terminal or a log, for a pull request's summary in
Markdown, and as a standalone HTML page. Pure functions of a Redline (render.redline): the same runs of
inserted and deleted text as the site's "what changed" pages, only drawn differently.

Only what changed is shown: the sections unchanged are counted, not printed; of a changed section, the
paragraphs that changed (a paragraph left as it was stands as "…").
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from noticegen.model.notice import Locale
from noticegen.render.redline import (
    PARAGRAPH,
    Change,
    Mark,
    Redline,
    Run,
    SectionChange,
    TableChange,
    inline_diff,
    spaced,
    title_diff_html,
    word_diff,
)
from noticegen.render.redline import table_diff_html as site_table_diff

ELIDED = "…"
# What a terminal must not receive as it is (an escape sequence in the text would drive the terminal).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Marks:
    """How one format draws a run of text: as it stands, deleted, inserted; and a section's heading."""

    same: Callable[[str], str]
    deleted: Callable[[str], str]
    inserted: Callable[[str], str]
    heading: Callable[[str], str]

    def run(self, run: Run) -> str:
        if run.mark is Mark.DELETED:
            return self.deleted(run.text)
        return self.inserted(run.text) if run.mark is Mark.INSERTED else self.same(run.text)


def _terminal_safe(text: str) -> str:
    return _CONTROL.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)


def _around_words(mark: Callable[[str], str], escape: Callable[[str], str]) -> Callable[[str], str]:
    """A mark around the words of a run, the spaces at its ends left outside: `as {+strictly+} necessary`
    reads better than `as{+ strictly+} necessary`, and `** word**` would not even be bold in Markdown."""

    def marked(text: str) -> str:
        start, words, end = spaced(text)
        return f"{start}{mark(escape(words))}{end}" if words else escape(text)

    return marked


PLAIN = Marks(
    same=_terminal_safe,
    deleted=_around_words(lambda words: f"[-{words}-]", _terminal_safe),
    inserted=_around_words(lambda words: f"{{+{words}+}}", _terminal_safe),
    heading=lambda text: f"## {_terminal_safe(text)}",
)
# Red and struck through, green and underlined: the site's redline, and readable without colour vision.
COLOURED = Marks(
    same=_terminal_safe,
    deleted=_around_words(lambda words: f"\x1b[31;9m{words}\x1b[0m", _terminal_safe),
    inserted=_around_words(lambda words: f"\x1b[32;4m{words}\x1b[0m", _terminal_safe),
    heading=lambda text: f"\x1b[1m## {_terminal_safe(text)}\x1b[0m",
)

# Characters Markdown may read as markup anywhere in a line (`$` is GitHub's maths, `&` starts an entity).
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>#|~&$!])")
# ... and at the start of a line only: a list item, a numbered item, a heading underline.
_MARKDOWN_LINE_START = re.compile(r"^(\s*(?:\d+)?)([-+=.)])")


def markdown_escape(text: str) -> str:
    """Text shown as it is in Markdown (GitHub's): every character that could be read as markup escaped."""
    return _MARKDOWN_INLINE.sub(r"\\\1", text)


# <del> and <ins>, not ~~ and **: Markdown's emphasis depends on the characters around it (an inserted "“" next
# to a word would make the unchanged word bold), HTML tags do not.
MARKDOWN = Marks(
    same=markdown_escape,
    deleted=_around_words(lambda words: f"<del>{words}</del>", markdown_escape),
    inserted=_around_words(lambda words: f"<ins>{words}</ins>", markdown_escape),
    heading=lambda text: f"#### {text}",
)


def _lines(runs: tuple[Run, ...]) -> list[list[Run]]:
    """The runs cut into paragraphs (the newer text's, and the older one's where text was deleted). A paragraph
    break inserted or deleted on its own (a paragraph split in two, or two joined) is shown as a marked ¶:
    otherwise nothing would show that change."""
    lines: list[list[Run]] = [[]]
    for run in runs:
        break_only = run.mark is not Mark.SAME and not run.text.replace("\n", "").strip()
        for index, part in enumerate(run.text.split("\n")):
            if index:
                if break_only:
                    lines[-1].append(Run(run.mark, PARAGRAPH))
                lines.append([])
            if part:
                lines[-1].append(Run(run.mark, part))
    return lines


def _changed(line: list[Run]) -> bool:
    return any(run.mark is not Mark.SAME for run in line)


def _paragraphs(lines: list[list[Run]], marks: Marks, *, whole: bool) -> list[str]:
    """The changed paragraphs (every one, when `whole`), each run of untouched ones shown as "…"."""
    out: list[str] = []
    for line in lines:
        if whole or _changed(line):
            out.append("".join(marks.run(run) for run in line))
        elif not out or out[-1] != ELIDED:
            out.append(ELIDED)
    return out


MARKUP_ONLY = "(the wording is unchanged; links or formatting changed, so the Markdown source is compared)"


def _kinds(change: SectionChange) -> str:
    return ", ".join(kind.value for kind in change.changes)


def _section_lines(change: SectionChange, locale: str, marks: Marks) -> list[str]:
    """A changed section's title (when it changed) and the paragraphs that changed. An added or removed
    section is shown whole (its title is the heading)."""
    body = _lines(word_diff(change.old_text, change.new_text, locale))
    if change.changes in ((Change.ADDED,), (Change.REMOVED,)):
        return _paragraphs(body, marks, whole=True)
    out = [MARKUP_ONLY] if change.markup_only else []
    if change.title_changed:
        title = word_diff(change.old_title or "", change.title, locale)
        out.append("title: " + "".join(marks.run(run) for run in title))
    if any(_changed(line) for line in body):
        out += _paragraphs(body, marks, whole=False)
    elif Change.MOVED in change.changes and not (change.table and change.table.changed) and not out:
        out.append("(moved; its text is unchanged)")
    return out


def _cell(pair: tuple[str, str], locale: str, marks: Marks) -> str:
    """A table cell's change on one line: its paragraphs (a list's items) separated by " / "."""
    lines = _lines(word_diff(pair[0], pair[1], locale))
    return " / ".join("".join(marks.run(run) for run in line) for line in lines if line)


def _table_items(table: TableChange, locale: str, marks: Marks) -> list[str]:
    """The table cell by cell: a changed caption and headers, then each row that changed, with the cells that
    changed (every cell of a row added or removed), each named by its column."""
    out = []
    if table.caption[0] != table.caption[1]:
        out.append(f"caption: {_cell(table.caption, locale, marks)}")
    for old, new in table.headers:
        if old != new:
            out.append(f"column: {_cell((old, new), locale, marks)}")
    for number, row in enumerate(table.rows, start=1):
        if row.change is Change.UNCHANGED:
            continue
        name = f"row {row.id}" if row.id else f"row {number}"
        cells = []
        for (old_header, new_header), pair in zip(table.headers, row.cells, strict=True):
            if pair[0] != pair[1] or row.change is not Change.CHANGED:
                cells.append(f"{marks.same(new_header or old_header)}: {_cell(pair, locale, marks)}")
        out.append(f"{marks.same(name)} ({row.change.value}): " + "; ".join(cells))
    return out


@dataclass(frozen=True)
class Block:
    """One changed section as a format draws it: its heading, the paragraphs that changed, and the items of
    a list (its table's changed rows, or the service providers)."""

    heading: str
    paragraphs: list[str]
    items: list[str]


def _blocks(redline: Redline, marks: Marks, code: Callable[[str], str]) -> list[Block]:
    blocks = []
    if redline.summary_changed:  # the notice's summary, released text shown above the sections: first
        old, new = redline.summary
        kind = "added" if not old else "removed" if not new else "changed"
        lines = _lines(word_diff(old, new, redline.locale))
        blocks.append(Block(marks.heading(f"{code('summary')} ({kind})"), _paragraphs(lines, marks, whole=True), []))
    for change in redline.sections:
        if change.id in redline.pending:
            heading = marks.heading(f"{code(change.id)}: {marks.same(change.title)} (translation not updated)")
            note = marks.same(
                f"The source text ({redline.source}) changed and this translation has not followed yet. "
                f"The change in {redline.source}:"
            )
            source_change = redline.pending[change.id]
            blocks.append(Block(heading, [note, *_section_lines(source_change, redline.source, marks)], []))
            continue
        if change.changes == (Change.UNCHANGED,):
            continue
        heading = marks.heading(f"{code(change.id)}: {marks.same(change.title)} ({_kinds(change)})")
        items = []
        if change.table is not None and change.table.changed:
            items = _table_items(change.table, redline.locale, marks)
        blocks.append(Block(heading, _section_lines(change, redline.locale, marks), items))
    if redline.providers:
        providers = [f"{marks.same(name)} ({marks.same(channel)}): {kind}" for channel, name, kind in redline.providers]
        blocks.append(Block(marks.heading("service providers"), [], providers))
    return blocks


def _count_line(redline: Redline) -> str:
    unchanged = len(redline.unchanged)
    return f"{unchanged} section{'s' if unchanged != 1 else ''} unchanged."


def redline_text(redline: Redline, header: str, *, colour: bool) -> str:
    """For a terminal (coloured) or a log (plain, wdiff's markers: [-deleted-]{+inserted+})."""
    marks = COLOURED if colour else PLAIN
    out = [_terminal_safe(header), ""]
    if not redline.differs:
        return "\n".join([*out, "no differences", ""])
    for block in _blocks(redline, marks, str):
        out += [block.heading, *block.paragraphs, *(f"  {item}" for item in block.items), ""]
    out.append(_count_line(redline))
    return "\n".join(out) + "\n"


def redline_markdown(redline: Redline, header: str) -> str:
    """For a pull request's summary: deleted text in <del>, inserted text in <ins>, the text escaped."""
    out = [f"### {markdown_escape(header)}", ""]
    if not redline.differs:
        return "\n".join([*out, "No differences.", ""])
    for block in _blocks(redline, MARKDOWN, lambda section_id: f"`{section_id}`"):
        out += [block.heading, ""]
        for paragraph in block.paragraphs:  # a paragraph of its own, even one that starts like a list item
            out += [_MARKDOWN_LINE_START.sub(r"\1\\\2", paragraph, count=1), ""]
        if block.items:
            out += [*(f"- {item}" for item in block.items), ""]
    out.append(f"_{_count_line(redline)}_")
    return "\n".join(out) + "\n"


# The site's redline colours (notice.css, light scheme): a one-character insertion is seen by its background.
PAGE_STYLE = """body{font-family:system-ui,sans-serif;line-height:1.5;max-width:52rem;margin:2rem auto;padding:0 1rem}
ins,del{padding:0 .1em;border-radius:.1rem;text-decoration-thickness:.15em}
ins{background:#c8ebd1;color:#0b3d17;text-decoration-line:underline}
del{background:#f9d2ce;color:#5c0b0b;text-decoration-line:line-through}
.notice-sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
table{border-collapse:collapse}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:start;vertical-align:top}"""


def redline_html(redline: Redline, header: str, ui: Mapping[str, str], language: Locale, source: Locale) -> str:
    """A page of its own (no site around it), in `language`, with the site's redline markup: <ins> and <del>,
    each with its word for screen readers, and the tables as the site's "what changed" pages draw them. A
    translation that did not follow its source shows the source's change, marked as in that language."""
    inserted, deleted = ui["inserted"], ui["deleted"]
    body = [
        f'<h1 lang="en" dir="ltr">{html.escape(header)}</h1>',
        f'<p class="notice-legend">{html.escape(ui["redline_legend"])}</p>',
    ]
    if not redline.differs:
        body.append('<p lang="en" dir="ltr">No differences.</p>')
    if redline.summary_changed:
        diff = inline_diff(*redline.summary, redline.locale, inserted, deleted)
        body += [
            '<section id="notice-summary">',
            f"<h2>{html.escape(ui['notice_summary'])}</h2>",
            f'<div class="notice-redline"><p>{diff}</p></div>',
            "</section>",
        ]
    for change in redline.sections:
        shown, locale, marked = change, redline.locale, ""
        if change.id in redline.pending:
            shown, locale = redline.pending[change.id], redline.source
            marked = f' lang="{html.escape(source.lang)}" dir="{html.escape(source.dir)}"'
            label = html.escape(ui["translation_pending"].replace("{language}", source.name))
        elif change.changes == (Change.UNCHANGED,):
            continue
        else:
            label = f"<strong>{html.escape(', '.join(ui[f'section_{kind.value}'] for kind in change.changes))}</strong>"
        if shown.markup_only:
            label += f' <span class="notice-markup-changed">{html.escape(ui["markup_changed"])}</span>'
        diff = inline_diff(shown.old_text, shown.new_text, locale, inserted, deleted)
        body += [
            f'<section id="{html.escape(change.id)}">',
            f"<h2>{html.escape(change.title)}</h2>",
            f'<p class="notice-change-kind">{label}</p>',
            f'<div class="notice-redline"{marked}>{title_diff_html(shown, locale, inserted, deleted)}<p>{diff}</p>',
        ]
        if shown.table is not None and shown.table.changed:
            caption = shown.table.caption[1] or shown.table.caption[0] or change.title
            body.append(site_table_diff(shown.table, locale, inserted, deleted, caption))
        body.append("</div>")
        body.append("</section>")
    if redline.providers:
        items = "".join(
            f"<li>{html.escape(name)} ({html.escape(channel)}): {html.escape(ui['provider_' + kind])}</li>"
            for channel, name, kind in redline.providers
        )
        body.append(f"<h2>{html.escape(ui['providers_changed'])}</h2><ul>{items}</ul>")
    unchanged = redline.unchanged
    if unchanged and redline.differs:
        items = "".join(f"<li>{html.escape(change.title)}</li>" for change in unchanged)
        summary = html.escape(ui["unchanged_sections"].replace("{count}", str(len(unchanged))))
        body.append(f"<details><summary>{summary}</summary><ul>{items}</ul></details>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{html.escape(language.lang)}" dir="{html.escape(language.dir)}">',
            f'<head><meta charset="utf-8"><title>{html.escape(header)}</title><style>{PAGE_STYLE}</style></head>',
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )
