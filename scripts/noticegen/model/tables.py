"""A section's table and its clauses as plain, immutable data."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from noticegen.core.hashing import table_content
from noticegen.source.tables import section_clauses, table_parts
from noticegen.text.clauses import Clause


@dataclass(frozen=True)
class Column:
    id: str  # the same in every locale
    header: str  # plain text, in this locale


@dataclass(frozen=True)
class Row:
    id: str | None  # its permanent anchor, a clause id
    cells: tuple[str, ...]  # Markdown with references, in column order


@dataclass(frozen=True)
class Table:
    caption: str | None
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    @functools.cached_property  # asked for every translation state and hash; the table never changes
    def content(self) -> str:
        """The table as a section's hash counts it (core.hashing.table_content)."""
        return table_content(
            self.caption,
            [(column.id, column.header) for column in self.columns],
            [(row.id, row.cells) for row in self.rows],
        )


def build_table(raw: Mapping[str, Any] | None) -> Table | None:
    """The table of a checked section's `table:` mapping, or None."""
    parts = table_parts(raw)
    if parts is None:
        return None
    caption, columns, rows = parts
    return Table(
        caption,
        tuple(Column(column_id, header) for column_id, header in columns),
        tuple(Row(row_id, tuple(cells)) for row_id, cells in rows),
    )


def table_clauses(body: str, table: Table | None) -> tuple[Clause, ...]:
    """The clauses of a section with this body and table, in reading order (source.tables.section_clauses)."""
    return section_clauses(body, [row.id for row in table.rows] if table else [])
