"""Data tables: each one a company declares is shown somewhere in the text."""

from __future__ import annotations

from noticegen.checks.context import CheckContext
from noticegen.core.diagnostics import Location
from noticegen.source.datatables import tables_in


def check_tables_used(ctx: CheckContext) -> None:
    """A table no section shows is published in the JSON only: most likely its reference was forgotten."""
    for name, table in tables_in(ctx.data).items():
        if table.built_in or name in ctx.used_tables:
            continue
        loaded = ctx.sources.data[name]
        ctx.report.warning(
            loaded.file.at(loaded.data.key_pos.get("schema"))
            if hasattr(loaded.data, "key_pos")
            else Location(loaded.file.path),
            f"table '{name}' is never shown in the text",
            f"write {{{{table:{name}}}}} on a paragraph of its own where it belongs, or delete the file",
        )
