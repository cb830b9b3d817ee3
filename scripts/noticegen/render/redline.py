"""What changed between two versions, section by section: pure functions of two notices.

Text is compared as readers see it (references expanded, Markdown rendered to plain text), in
words for languages written with spaces and in characters for Chinese and Japanese.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

# difflib's SequenceMatcher, compiled: the same matches, found an order of magnitude faster (tests/test_redline_pages.py
# compares the two).
from cydifflib import SequenceMatcher

from noticegen.model.notice import Notice
from noticegen.model.tables import Table
from noticegen.render.notice_page import expand_body
from noticegen.source.datatables import BUILT_IN_PART_COLUMN, SUBPROCESSORS, DataTable, tables_in
from noticegen.text.clauses import markdown_with_clauses
from noticegen.text.markup import RENDERED_TEXTS, html_to_text, markdown_to_html
from noticegen.text.punctuation import FULL_WIDTH

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
CHARACTER_TOKENS = re.compile(rf"[{CJK}]|[^\W\d_]+|\d+|\s+|.", re.UNICODE)
WORD_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
CHARACTER_LANGUAGES = ("zh", "ja")


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RowChange:
    id: str | None  # the row's id in the newer version (the older one's for a removed row)
    change: Change  # ADDED, REMOVED, CHANGED or UNCHANGED
    cells: tuple[tuple[str, str], ...]  # (older text, newer text) of each cell, in the columns' order


@dataclass(frozen=True)
class TableChange:
    """A section's table compared cell by cell: rows matched by id (rows without one, by their place)."""

    caption: tuple[str, str]  # (older, newer)
    headers: tuple[tuple[str, str], ...]  # the newer table's columns, then those only the older one had
    rows: tuple[RowChange, ...]

    @property
    def changed(self) -> bool:
        return (
            self.caption[0] != self.caption[1]
            or any(old != new for old, new in self.headers)
            or any(row.change is not Change.UNCHANGED for row in self.rows)
        )


@dataclass(frozen=True)
class SectionChange:
    id: str
    title: str  # in the newer version, or the older one for a removed section
    changes: tuple[Change, ...]  # CHANGED and MOVED may come together
    old_text: str  # its body as plain text (the table apart); the title is compared on its own (old_title)
    new_text: str
    table: TableChange | None = None  # when either version of the section has a table
    # The wording is the same but a link's target or the formatting changed: old_text and new_text are then
    # the Markdown source, so that the change is seen (a redline of the words alone would show nothing).
    markup_only: bool = False
    old_title: str | None = None  # the older version's title, when it differs from `title`

    @property
    def title_changed(self) -> bool:
        return self.old_title is not None and self.old_title != self.title


def tokens(text: str, locale: str) -> list[str]:
    pattern = CHARACTER_TOKENS if locale.split("-")[0].lower() in CHARACTER_LANGUAGES else WORD_TOKENS
    return pattern.findall(text)


def section_text(notice: Notice, locale: str, section_id: str) -> str:
    """The body as readers see it, without its table (compared on its own) and without clause markers."""
    text = notice.texts[locale].sections[section_id]
    return html_to_text(markdown_with_clauses(expand_body(notice, locale, text.body))[0]) if text.body else ""


def section_source(notice: Notice, locale: str, section_id: str) -> str:
    """The body as written (references expanded), links, formatting and clause markers included."""
    text = notice.texts[locale].sections[section_id]
    return expand_body(notice, locale, text.body) if text.body else ""


def _cell_text(notice: Notice, locale: str, cell: str) -> str:
    return html_to_text(markdown_to_html(expand_body(notice, locale, cell)))


def table_change(old: Notice, new: Notice, locale: str, section_id: str) -> TableChange | None:
    """The section's table in two versions (either may have none), cell by cell; None if neither has one."""
    before = old.texts[locale].sections[section_id].table if section_id in old.texts[locale].sections else None
    after = new.texts[locale].sections[section_id].table if section_id in new.texts[locale].sections else None
    if before is None and after is None:
        return None
    old_columns = [column.id for column in before.columns] if before else []
    new_columns = [column.id for column in after.columns] if after else []
    columns = new_columns + [column for column in old_columns if column not in new_columns]

    def texts(notice: Notice, table: Table | None) -> tuple[dict[str, str], list[tuple[str | None, dict[str, str]]]]:
        if table is None:
            return {}, []
        headers = {column.id: column.header for column in table.columns}
        rows = [
            (row.id, {c.id: _cell_text(notice, locale, cell) for c, cell in zip(table.columns, row.cells, strict=True)})
            for row in table.rows
        ]
        return headers, rows

    old_headers, old_rows = texts(old, before)
    new_headers, new_rows = texts(new, after)
    rows = []
    for was, now in _paired(old_rows, new_rows, columns):
        cells = tuple((was[1].get(c, "") if was else "", now[1].get(c, "") if now else "") for c in columns)
        if was is None:
            kind = Change.ADDED
        elif now is None:
            kind = Change.REMOVED
        else:
            kind = Change.UNCHANGED if all(a == b for a, b in cells) else Change.CHANGED
        rows.append(RowChange(now[0] if now else was[0] if was else None, kind, cells))
    return TableChange(
        ((before.caption or "") if before else "", (after.caption or "") if after else ""),
        tuple((old_headers.get(c, ""), new_headers.get(c, "")) for c in columns),
        tuple(rows),
    )


_Row = tuple[str | None, dict[str, str]]


def _paired(old: list[_Row], new: list[_Row], columns: list[str]) -> list[tuple[_Row | None, _Row | None]]:
    """The rows of two tables side by side: the same id is the same row; rows without ids are matched by their
    text, and where the text changed, by their place."""

    def key(row: _Row) -> tuple[str, ...]:
        return ("id", row[0]) if row[0] else ("text", *(row[1].get(c, "") for c in columns))

    pairs: list[tuple[_Row | None, _Row | None]] = []
    matcher = SequenceMatcher(None, [key(r) for r in old], [key(r) for r in new], autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        was, now = old[a1:a2], new[b1:b2]
        if operation == "equal":
            pairs += list(zip(was, now, strict=True))
            continue
        removed, added = list(was), list(now)
        if operation == "replace":
            # Rows in the same place whose ids do not say they differ: the same row, changed.
            while removed and added and not (removed[0][0] and added[0][0] and removed[0][0] != added[0][0]):
                pairs.append((removed.pop(0), added.pop(0)))
        pairs += [(row, None) for row in removed]
        pairs += [(None, row) for row in added]
    return pairs


def _positions(notice: Notice) -> dict[str, tuple[str | None, int]]:
    return {section.id: (section.parent, index) for index, section in enumerate(notice.sections)}


def compare(old: Notice, new: Notice, locale: str) -> list[SectionChange]:
    """Every section of both versions: new ones in the newer reading order, removed ones after them."""
    old_ids = [section.id for section in old.sections]
    new_ids = [section.id for section in new.sections]
    common = [section_id for section_id in new_ids if section_id in old_ids]
    # A section moved when its parent changed or it left the longest run kept in order.
    kept = SequenceMatcher(None, [i for i in old_ids if i in common], common, autojunk=False)
    in_order = {common[block.b + k] for block in kept.get_matching_blocks() for k in range(block.size)}
    old_parents, new_parents = _positions(old), _positions(new)
    result = []
    for section_id in new_ids:
        title = new.texts[locale].sections[section_id].title
        new_text = section_text(new, locale, section_id)
        if section_id not in old_ids:
            result.append(
                SectionChange(
                    section_id, title, (Change.ADDED,), "", new_text, table_change(old, new, locale, section_id)
                )
            )
            continue
        old_title = old.texts[locale].sections[section_id].title
        old_text = section_text(old, locale, section_id)
        changes = []
        table = table_change(old, new, locale, section_id)
        markup_only = False
        if (old_title, old_text) != (title, new_text) or (table is not None and table.changed):
            changes.append(Change.CHANGED)
        else:
            old_source, new_source = section_source(old, locale, section_id), section_source(new, locale, section_id)
            if old_source != new_source:
                changes.append(Change.CHANGED)
                old_text, new_text, markup_only = old_source, new_source, True
        if old_parents[section_id][0] != new_parents[section_id][0] or section_id not in in_order:
            changes.append(Change.MOVED)
        result.append(
            SectionChange(
                section_id,
                title,
                tuple(changes) or (Change.UNCHANGED,),
                old_text,
                new_text,
                table,
                markup_only,
                old_title if old_title != title else None,
            )
        )
    for section_id in old_ids:
        if section_id not in new_ids:
            title = old.texts[locale].sections[section_id].title
            text = section_text(old, locale, section_id)
            table = table_change(old, new, locale, section_id)
            result.append(SectionChange(section_id, title, (Change.REMOVED,), text, "", table))
    return result


@dataclass(frozen=True)
class Redline:
    """What changed from one text of the notice to another, in one locale: what a redline shows."""

    locale: str
    source: str  # the source locale, whose text binds
    sections: tuple[SectionChange, ...]  # every section of both texts (compare)
    # Sections whose binding text changed while this locale's did not, with that change in the source
    # locale: a translation that did not follow is still a change for its reader.
    pending: Mapping[str, SectionChange]
    providers: tuple[tuple[str, str, str], ...]  # provider_changes
    # The notice's summary as plain text in this locale, (older, newer): "" where a version has none.
    summary: tuple[str, str] = ("", "")

    @property
    def unchanged(self) -> tuple[SectionChange, ...]:
        return tuple(s for s in self.sections if s.changes == (Change.UNCHANGED,) and s.id not in self.pending)

    @property
    def summary_changed(self) -> bool:
        return self.summary[0] != self.summary[1]

    @property
    def differs(self) -> bool:
        return len(self.unchanged) < len(self.sections) or bool(self.providers) or self.summary_changed


def redline(old: Notice, new: Notice, locale: str) -> Redline:
    """The redline from `old` to `new` in `locale`: the one computation behind every redline shown."""
    sections = compare(old, new, locale)
    source = new.source_locale
    pending = {}
    if locale != source:
        binding = {
            change.id: change
            for change in compare(old, new, source)
            if Change.CHANGED in change.changes or Change.ADDED in change.changes
        }
        pending = {c.id: binding[c.id] for c in sections if c.changes == (Change.UNCHANGED,) and c.id in binding}
    summary = (summary_text(old, locale), summary_text(new, locale))
    return Redline(
        locale, source, tuple(sections), MappingProxyType(pending), tuple(provider_changes(old, new)), summary
    )


def summary_text(notice: Notice, locale: str) -> str:
    """The notice's summary in `locale` as readers see it, plain text ("" when it has none there)."""
    text = notice.texts.get(locale)
    if text is None or not text.summary.strip():
        return ""
    return html_to_text(markdown_to_html(expand_body(notice, locale, text.summary)))


class Mark(StrEnum):
    SAME = "same"
    DELETED = "deleted"
    INSERTED = "inserted"


@dataclass(frozen=True)
class Run:
    """A stretch of text that is in both versions, or only in the older one, or only in the newer one."""

    mark: Mark
    text: str


@functools.lru_cache(maxsize=RENDERED_TEXTS)
def word_diff(old: str, new: str, locale: str) -> tuple[Run, ...]:
    """What became of `old` in `new`, as runs of text in reading order: words compared for languages written
    with spaces, characters for Chinese and Japanese. Where a stretch was replaced, its deletion comes first.
    Every redline (the site's pages, `notice diff`) is drawn from these runs."""
    before, after = tokens(old, locale), tokens(new, locale)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    runs = []
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            runs.append(Run(Mark.SAME, "".join(before[a1:a2])))
            continue
        if operation in ("delete", "replace"):
            runs.append(Run(Mark.DELETED, "".join(before[a1:a2])))
        if operation in ("insert", "replace"):
            runs.append(Run(Mark.INSERTED, "".join(after[b1:b2])))
    return tuple(runs)


# Shown where a paragraph break alone was inserted or deleted: a line of its own would hide the change.
PARAGRAPH = "¶"


def spaced(text: str) -> tuple[str, str, str]:
    """`text` as (the white space before it, its words, the white space after it): a mark goes around the
    words only, so that no redline underlines or strikes through a space."""
    words = text.strip()
    if not words:
        return text, "", ""
    return text[: len(text) - len(text.lstrip())], words, text[len(text.rstrip()) :]


def read_out(word: str) -> str:
    """The visually hidden word before a change, as the site string writes it with its punctuation
    ("inserted:", "插入："), and a space after it unless it ends with a full-width mark."""
    return html.escape(word) + ("" if word.endswith(tuple(FULL_WIDTH.values())) else " ")


def inline_diff(old: str, new: str, locale: str, inserted: str, deleted: str) -> str:
    """HTML of `new` with what was inserted in <ins> and what was deleted in <del>.

    Each mark starts with a visually hidden word ("inserted", "deleted") for screen readers, which
    do not announce <ins> and <del> by themselves. The white space at either end of a changed run stays
    outside its mark; a paragraph break inserted or deleted on its own is marked as a ¶; any other change of
    white space alone is not marked (inserted spaces are shown, deleted ones are not).
    """
    out = []

    def text(part: str) -> str:
        return html.escape(part).replace("\n", "<br>")

    for run in word_diff(old, new, locale):
        if run.mark is Mark.SAME:
            out.append(text(run.text))
            continue
        tag, label = ("del", deleted) if run.mark is Mark.DELETED else ("ins", inserted)
        before, words, after = spaced(run.text)
        if not words:
            if "\n" in run.text:  # a paragraph split in two, or two joined
                mark = f'<{tag}><span class="notice-sr">{read_out(label)}</span>{PARAGRAPH}</{tag}>'
                out.append(mark + (text(run.text) if run.mark is Mark.INSERTED else ""))
            elif run.mark is Mark.INSERTED:
                out.append(text(run.text))
            continue
        mark = f'<{tag}><span class="notice-sr">{read_out(label)}</span>{text(words)}</{tag}>'
        out.append(text(before) + mark + text(after))
    return "".join(out)


def title_diff_html(change: SectionChange, locale: str, inserted: str, deleted: str) -> str:
    """A paragraph showing how the section's title changed, or "" when it did not: the heading gives the
    newer title, so an unchanged title is not repeated in the changed text."""
    if not change.title_changed:
        return ""
    diff = inline_diff(change.old_title or "", change.title, locale, inserted, deleted)
    return f'<p class="notice-redline-title"><strong>{diff}</strong></p>'


def table_diff_html(change: TableChange, locale: str, inserted: str, deleted: str, label: str) -> str:
    """The table as it changed, cell by cell: every row, each cell with what was inserted and deleted marked
    (inline_diff); rows added or removed as a whole are marked in every cell, and by their class. Laid out
    like the notice's tables (render.tables), narrow screens too."""

    def diff(pair: tuple[str, str]) -> str:
        return inline_diff(pair[0], pair[1], locale, inserted, deleted)

    def labelled(index: int) -> str:
        return f' data-label="{html.escape(change.headers[index][1] or change.headers[index][0])}"'

    out = [
        f'<div class="notice-table" role="region" aria-label="{html.escape(label)}" tabindex="0">',
        '<table class="notice-table__table" role="table">',
    ]
    if any(change.caption):
        out.append(f"<caption>{diff(change.caption)}</caption>")
    headers = "".join(f'<th scope="col" role="columnheader">{diff(pair)}</th>' for pair in change.headers)
    out.append(f'<thead role="rowgroup"><tr role="row">{headers}</tr></thead>')
    out.append('<tbody role="rowgroup">')
    for row in change.rows:
        cells = "".join(
            f'<th scope="row" role="rowheader"{labelled(0)}>{diff(pair)}</th>'
            if index == 0
            else f'<td role="cell"{labelled(index)}>{diff(pair)}</td>'
            for index, pair in enumerate(row.cells)
        )
        out.append(f'<tr role="row" class="notice-row-{row.change.value}">{cells}</tr>')
    out += ["</tbody>", "</table>", "</div>"]
    return "\n".join(out)


def provider_changes(old: Notice, new: Notice) -> list[tuple[str, str, str]]:
    """(where the data is collected, provider name, "added" or "removed"), in schedule order."""
    changes = []
    old_table, new_table = _providers(old), _providers(new)
    channels = {row[BUILT_IN_PART_COLUMN] for table in (old_table, new_table) if table for row in table.rows}
    for channel in sorted(channels):
        before = [row["name"] for row in (old_table.rows if old_table else ()) if row[BUILT_IN_PART_COLUMN] == channel]
        after = [row["name"] for row in (new_table.rows if new_table else ()) if row[BUILT_IN_PART_COLUMN] == channel]
        changes += [(channel, name, "added") for name in after if name not in before]
        changes += [(channel, name, "removed") for name in before if name not in after]
    return changes


def _providers(notice: Notice) -> DataTable | None:
    """The service providers' table with its built-in schema (a `subprocessors.yaml` declaring its own schema
    is a table like any other: its changes show in the sections that show it)."""
    table = tables_in(notice.data).get(SUBPROCESSORS)
    return table if table is not None and table.built_in else None
