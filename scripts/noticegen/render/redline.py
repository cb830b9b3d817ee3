"""What changed between two versions, section by section: pure functions of two notices.

Text is compared as readers see it (references expanded, Markdown rendered to plain text), in
words for languages written with spaces and in characters for Chinese and Japanese.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from enum import StrEnum

from noticegen.model.notice import Notice
from noticegen.render.notice_page import expand_body
from noticegen.source.datatables import BUILT_IN_PART_COLUMN, SUBPROCESSORS, DataTable, tables_in
from noticegen.text.markup import html_to_text, markdown_to_html

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
class SectionChange:
    id: str
    title: str  # in the newer version, or the older one for a removed section
    changes: tuple[Change, ...]  # CHANGED and MOVED may come together
    old_text: str
    new_text: str


def tokens(text: str, locale: str) -> list[str]:
    pattern = CHARACTER_TOKENS if locale.split("-")[0].lower() in CHARACTER_LANGUAGES else WORD_TOKENS
    return pattern.findall(text)


def section_text(notice: Notice, locale: str, section_id: str) -> str:
    text = notice.texts[locale].sections[section_id]
    return html_to_text(markdown_to_html(expand_body(notice, locale, text.body))) if text.body else ""


def _positions(notice: Notice) -> dict[str, tuple[str | None, int]]:
    return {section.id: (section.parent, index) for index, section in enumerate(notice.sections)}


def compare(old: Notice, new: Notice, locale: str) -> list[SectionChange]:
    """Every section of both versions: new ones in the newer reading order, removed ones after them."""
    old_ids = [section.id for section in old.sections]
    new_ids = [section.id for section in new.sections]
    common = [section_id for section_id in new_ids if section_id in old_ids]
    # A section moved when its parent changed or it left the longest run kept in order.
    kept = difflib.SequenceMatcher(None, [i for i in old_ids if i in common], common, autojunk=False)
    in_order = {common[block.b + k] for block in kept.get_matching_blocks() for k in range(block.size)}
    old_parents, new_parents = _positions(old), _positions(new)
    result = []
    for section_id in new_ids:
        title = new.texts[locale].sections[section_id].title
        new_text = section_text(new, locale, section_id)
        if section_id not in old_ids:
            result.append(SectionChange(section_id, title, (Change.ADDED,), "", new_text))
            continue
        old_title = old.texts[locale].sections[section_id].title
        old_text = section_text(old, locale, section_id)
        changes = []
        if (old_title, old_text) != (title, new_text):
            changes.append(Change.CHANGED)
        if old_parents[section_id][0] != new_parents[section_id][0] or section_id not in in_order:
            changes.append(Change.MOVED)
        result.append(
            SectionChange(
                section_id,
                title,
                tuple(changes) or (Change.UNCHANGED,),
                f"{old_title}\n{old_text}",
                f"{title}\n{new_text}",
            )
        )
    for section_id in old_ids:
        if section_id not in new_ids:
            title = old.texts[locale].sections[section_id].title
            result.append(
                SectionChange(section_id, title, (Change.REMOVED,), section_text(old, locale, section_id), "")
            )
    return result


def inline_diff(old: str, new: str, locale: str, inserted: str, deleted: str) -> str:
    """HTML of `new` with what was inserted in <ins> and what was deleted in <del>.

    Each mark starts with a visually hidden word ("inserted", "deleted") for screen readers, which
    do not announce <ins> and <del> by themselves.
    """
    before, after = tokens(old, locale), tokens(new, locale)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    out = []

    def text(parts: list[str]) -> str:
        return html.escape("".join(parts)).replace("\n", "<br>")

    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            out.append(text(before[a1:a2]))
            continue
        if operation in ("delete", "replace"):
            out.append(f'<del><span class="notice-sr">{html.escape(deleted)}: </span>{text(before[a1:a2])}</del>')
        if operation in ("insert", "replace"):
            out.append(f'<ins><span class="notice-sr">{html.escape(inserted)}: </span>{text(after[b1:b2])}</ins>')
    return "".join(out)


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
