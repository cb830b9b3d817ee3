"""A section's table: every row has a cell in every column, each cell is Markdown like a body, and the table
has the same columns, rows and row ids in every locale as in the source locale."""

from __future__ import annotations

from collections.abc import Callable

from noticegen.checks.clauses import record_row_id
from noticegen.checks.context import CheckContext
from noticegen.core.diagnostics import Location, shown
from noticegen.source.formats import ROW_ID
from noticegen.source.schema import did_you_mean
from noticegen.source.yamlsource import Pos, SourceFile, YList, YMap


def row_name(number: int, row: YMap) -> str:
    """A row as messages name it: by its id, else by its place (1-based)."""
    row_id = row.get(ROW_ID)
    return f"row '{row_id}'" if isinstance(row_id, str) else f"row {number}"


def check_table(
    ctx: CheckContext,
    code: str,
    section_id: str,
    file: SourceFile,
    table: YMap,
    check_cell: Callable[[Pos, str], None],
) -> None:
    """One locale's table; `check_cell` checks a cell's Markdown as a body's (checks/sections.py)."""
    where = f"the table of section '{shown(section_id)}'"
    columns = table.get("columns")
    column_ids = [key for key in columns if key != ROW_ID] if isinstance(columns, YMap) else None
    if isinstance(columns, YMap):
        if not columns:
            ctx.report.error(
                file.at(table.value_pos["columns"]),
                f"{where} has no columns",
                "list each column as `id: Heading`, in the order they are shown",
            )
        if ROW_ID in columns:
            ctx.report.error(
                file.at(columns.key_pos[ROW_ID]),
                f"{where} has a column named '{ROW_ID}'",
                f"`{ROW_ID}:` gives a row its permanent anchor: name the column otherwise",
            )
    rows = table.get("rows")
    if not isinstance(rows, YList):
        return
    for number, (row, pos) in enumerate(zip(rows, rows.item_pos, strict=True), start=1):
        name = row_name(number, row)
        if ROW_ID in row:
            record_row_id(ctx, code, section_id, row, file.at(row.value_pos[ROW_ID]))
        for key, cell in row.items():
            if key == ROW_ID:
                continue
            if column_ids and key not in column_ids:
                ctx.report.error(
                    file.at(row.key_pos[key]),
                    f"{name} of {where} has a cell '{shown(key)}', which is not one of its columns",
                    did_you_mean(key, column_ids) or "its columns are: " + ", ".join(column_ids),
                )
            check_cell(row.value_pos[key], cell)
        for column_id in column_ids or ():
            if column_id not in row and column_id not in row.invalid:
                ctx.report.error(
                    file.at(pos),
                    f"{name} of {where} has no cell '{column_id}'",
                    f"every row has a cell in every column: add `{column_id}:`, with “—” if there is nothing to say",
                )


def check_tables_match(ctx: CheckContext) -> None:
    """Every locale's table of a section has the source locale's caption (or none), columns and rows: a row or a
    table missing in one locale is an error like a missing section."""
    source = ctx.source_locale
    source_text = ctx.sources.texts.get(source or "")
    source_sections = source_text.get("sections") if source_text is not None else None
    if not isinstance(source_sections, YMap):
        return
    for code, loaded in ctx.sources.texts.items():
        sections = loaded.get("sections")
        if code == source or not isinstance(sections, YMap):
            continue
        for section_id, text in sections.items():
            original = source_sections.get(section_id)
            if section_id not in ctx.outline or not isinstance(original, YMap) or not isinstance(text, YMap):
                continue
            if "table" in original.invalid or "table" in text.invalid:
                continue  # reported where it is malformed
            expected, table = original.get("table"), text.get("table")
            at = loaded.file.at
            if isinstance(expected, YMap) and table is None:
                ctx.report.error(
                    at(sections.key_pos[section_id]),
                    f"section '{shown(section_id)}' of locale '{code}' has no table, but the source locale "
                    f"'{source}' has one",
                    "add its `table:` with the same columns and rows: every locale has every table",
                )
            elif expected is None and isinstance(table, YMap):
                ctx.report.error(
                    at(text.key_pos["table"]),
                    f"section '{shown(section_id)}' of locale '{code}' has a table, but the source locale "
                    f"'{source}' has none",
                    f"tables are the same in every locale: add it to '{source}' too, or remove it here",
                )
            elif isinstance(expected, YMap) and isinstance(table, YMap):
                what = f"the table of section '{shown(section_id)}' in locale '{code}'"
                _match(ctx, loaded.file, what, source or "", expected, table, text.value_pos["table"])


def _match(
    ctx: CheckContext, file: SourceFile, what: str, source: str, expected: YMap, table: YMap, table_pos: Pos
) -> None:
    at = file.at
    if ("caption" in expected) != ("caption" in table) and "caption" not in table.invalid:
        has = "has no caption" if "caption" in expected else "has a caption"
        ctx.report.error(
            at(table.key_pos["caption"] if "caption" in table else table_pos),
            f"{what} {has}, unlike the source locale '{source}'",
            "a caption is given in every locale or in none",
        )
    want, have = expected.get("columns"), table.get("columns")
    if isinstance(want, YMap) and isinstance(have, YMap):
        _match_columns(ctx, at, what, source, list(want), have, table.value_pos["columns"])
    want_rows, have_rows = expected.get("rows"), table.get("rows")
    if isinstance(want_rows, YList) and isinstance(have_rows, YList):
        _match_rows(ctx, file, what, source, want_rows, have_rows, table.key_pos["rows"])


def _match_columns(
    ctx: CheckContext, at: Callable[[Pos], Location], what: str, source: str, want: list[str], have: YMap, pos: Pos
) -> None:
    order = ", ".join(want)
    missing = [column for column in want if column not in have]
    extra = [column for column in have if column not in want]
    for column in missing:
        ctx.report.error(
            at(pos),
            f"{what} has no column '{column}'",
            f"add `{column}:` with its heading; the columns are those of the source locale '{source}': {order}",
        )
    for column in extra:
        ctx.report.error(
            at(have.key_pos[column]),
            f"{what} has a column '{shown(column)}' that the source locale '{source}' does not have",
            _suggest(column, missing) or f"the columns are those of the source locale: {order}",
        )
    if not missing and not extra and list(have) != want:
        ctx.report.error(
            at(pos),
            f"{what} has its columns in another order than the source locale '{source}'",
            f"put them in the source locale's order: {order}",
        )


def _match_rows(
    ctx: CheckContext, file: SourceFile, what: str, source: str, want: YList, have: YList, pos: Pos
) -> None:
    want_ids = [row.get(ROW_ID) for row in want]
    have_ids = [row.get(ROW_ID) for row in have]
    reported = False
    for number, row_id in enumerate(want_ids, start=1):
        if row_id is not None and row_id not in have_ids:
            reported = True
            ctx.report.error(
                file.at(pos),
                f"{what} is missing row '{row_id}' (row {number} in the source locale '{source}')",
                f"add the row, with `{ROW_ID}: {row_id}`, in its place: every locale has every row",
            )
    for row, row_id in zip(have, have_ids, strict=True):
        if row_id is not None and row_id not in want_ids:
            reported = True
            ctx.report.error(
                file.at(row.value_pos[ROW_ID]),
                f"{what} has a row '{shown(row_id)}' that the source locale '{source}' does not have",
                _suggest(row_id, [i for i in want_ids if i is not None and i not in have_ids])
                or "rows and their ids are those of the source locale: add it there too, or remove it here",
            )
    if reported:
        return
    if len(have) != len(want):
        ctx.report.error(
            file.at(pos),
            f"{what} has {_rows(len(have))}, but the source locale '{source}' has {len(want)}",
            "every locale has every row, in the same order",
        )
    elif have_ids != want_ids:
        ctx.report.error(
            file.at(pos),
            f"{what} has its rows in another order than the source locale '{source}'",
            "put the rows in the source locale's order: a row's id and place are the same in every locale",
        )


def _suggest(word: str, candidates: list[str]) -> str:
    """A "did you mean" among the candidates, or nothing (never "nothing is expected" when there are none)."""
    return did_you_mean(word, candidates) if candidates else ""


def _rows(count: int) -> str:
    return "1 row" if count == 1 else f"{count} rows"
