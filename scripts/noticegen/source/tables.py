"""A section's table as read from a locale's text: its parts in order, and what a content hash counts of it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from noticegen.core.hashing import SectionContent, table_content
from noticegen.source.formats import ROW_ID
from noticegen.source.references import ANY_REFERENCE, TABLE, find_references
from noticegen.text.clauses import MARKER, TABLE_ROW, Clause, clauses_in

Columns = list[tuple[str, str]]  # (column id, heading), in order
Rows = list[tuple[str | None, list[str]]]  # (row id or None, its cells in column order), in order


def table_parts(table: Any) -> tuple[str | None, Columns, Rows] | None:
    """The caption, columns and rows of a (validated) `table:` mapping; None when there is none. What is
    malformed is left out: its own error says so."""
    if not isinstance(table, Mapping):
        return None
    columns_map = table.get("columns")
    columns = (
        [(str(key), str(header)) for key, header in columns_map.items()] if isinstance(columns_map, Mapping) else []
    )
    rows = []
    for row in table.get("rows") or ():
        if not isinstance(row, Mapping):
            continue
        row_id = row.get(ROW_ID)
        rows.append((row_id if isinstance(row_id, str) else None, [str(row.get(key, "")) for key, _ in columns]))
    caption = table.get("caption")
    return (caption if isinstance(caption, str) else None), columns, rows


def section_content(section: Mapping[str, Any]) -> SectionContent:
    """(title, body, table) of a section mapping as its hash and translation state count them: the table part
    only when it has a table, so that a section without one hashes as before tables existed."""
    title, body = str(section.get("title", "")), str(section.get("body", ""))
    parts = table_parts(section.get("table"))
    return (title, body) if parts is None else (title, body, table_content(*parts))


def section_clauses(body: str, row_ids: list[str | None]) -> tuple[Clause, ...]:
    """Every clause of a section in reading order: those its body marks (as the site publishes them), with its
    table's rows where the body places the table (`{{table}}`), else after the body."""
    rows = [Clause(row_id, TABLE_ROW) for row_id in row_ids if row_id]
    place = next((ref for ref in find_references(body) if ref.kind == TABLE), None)
    if place is None:
        return (*_marked(body), *rows)
    return (*_marked(body[: place.start]), *rows, *_marked(body[place.end :]))


def _marked(markdown: str) -> list[Clause]:
    # References stand for what they render; as text of the same length they cannot be read as markup.
    if MARKER not in markdown:  # no clause: no need to parse it
        return []
    return clauses_in(ANY_REFERENCE.sub(lambda match: "x" * len(match.group(0)), markdown))
