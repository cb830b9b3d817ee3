"""Data tables: a company's own tables of facts in notice/data (cookies, retention periods, affiliates…).

A table is a file that starts with its schema, then its rows:

    schema:
      caption: {en: Cookies we use, fr: Les cookies que nous utilisons}
      columns:
        name: {type: text, required: true, header: {en: Name, fr: Nom}}
        duration: {type: duration, header: {en: Kept for, fr: Conservé}}
    rows:
      - name: _ga
        duration: P13M

The text shows it as `{{table:cookies}}` on a paragraph of its own. The service providers
(subprocessors.yaml) are a table too, whose schema is built in (BUILT_IN) and whose rows are written in
parts by where the data is collected (`website:`, `service:`), as released versions wrote them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from noticegen.core.diagnostics import shown
from noticegen.source.coded_kinds import Country, Duration
from noticegen.source.json_schema import nullable, with_doc
from noticegen.source.schema import (
    DATA_KEY,
    INVALID,
    SECTION_ID,
    Boolean,
    Date,
    DictOf,
    Email,
    Field,
    Kind,
    ListOf,
    Localized,
    Pattern,
    Record,
    Text,
    Url,
    Where,
    did_you_mean,
)
from noticegen.source.yamlsource import YList, YMap

# A table's name is its file's name, and the text names it in {{table:NAME}}.
TABLE_NAME = SECTION_ID
# Every type a column may have, with what a cell of it holds.
COLUMN_TYPES: dict[str, str] = {
    "text": "one line of text, the same in every language",
    "localized-text": "one line of text per locale: {en: …, fr: …}",
    "url": "a web address, shown as a link",
    "email": "an e-mail address, shown as a link",
    "date": "a date (YYYY-MM-DD), written out in the page's language",
    "country": "an ISO 3166-1 code (NL, GB, US), named in the page's language",
    "duration": "an ISO 8601 length of time (P13M, P2Y, P30D), written out in the page's language",
}
# Spellings an editor may write for a type, and the type they mean.
TYPE_SPELLINGS = {"localised-text": "localized-text"}


def cell_kind(column_type: str) -> Kind:
    """The kind of value a cell of `column_type` holds."""
    kinds: dict[str, Kind] = {
        "text": Text(single_line=True),
        "localized-text": Localized(),
        "url": Url(),
        "email": Email(),
        "date": Date(),
        "country": Country(),
        "duration": Duration(),
    }
    return kinds[column_type]


@dataclass(frozen=True)
class Column:
    id: str
    type: str
    required: bool
    header: Mapping[str, str]  # per locale; empty for a built-in table, whose headers are site strings
    header_string: str | None = None  # the site string (ui_strings) that heads it, for a built-in table
    doc: str = ""  # what a cell holds, for an editor's hover (a built-in table's columns)


@dataclass(frozen=True)
class DataTable:
    id: str  # the file's name: notice/data/<id>.yaml
    columns: tuple[Column, ...]
    rows: tuple[Mapping[str, Any], ...]
    caption: Mapping[str, str]  # per locale; empty for a built-in table (caption_string then names it)
    caption_string: str | None = None  # a site string with {part}, for a built-in table
    part_column: str | None = None  # a table written in parts: the column that says which part a row is in
    parts: tuple[str, ...] = ()
    built_in: bool = False

    def column(self, column_id: str) -> Column:
        return next(column for column in self.columns if column.id == column_id)


@dataclass(frozen=True)
class TableView:
    """What a reference shows: a table, or one part of it (without the column that names the part)."""

    table: DataTable
    part: str | None

    @property
    def rows(self) -> tuple[Mapping[str, Any], ...]:
        if self.part is None:
            return self.table.rows
        return tuple(row for row in self.table.rows if row.get(self.table.part_column) == self.part)

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns shown: a column no row fills tells a reader nothing, and a part's own column neither."""
        rows = self.rows
        return tuple(
            column
            for column in self.table.columns
            if column.id != self.table.part_column or self.part is None
            if column.required or any(row.get(column.id) is not None for row in rows)
        )


class _Row(Kind):
    """One row of a table: a value for each column, every required column given."""

    expected = "a row (column: value, …)"

    def __init__(self, columns: Sequence[Column], broken: frozenset[str] = frozenset()) -> None:
        self.columns = {column.id: column for column in columns}
        self.broken = broken  # columns declared with an error (reported there): their cells are not read

    def validate(self, value: Any, where: Where) -> Any:
        if not isinstance(value, YMap):
            where.error(
                f"{where.name} should be a row (column: value, …), not {_describe(value)}",
                "start the row with `- ` and give each column as `column: value`",
            )
            return INVALID
        for column in self.columns.values():
            if column.required and value.get(column.id) is None and column.id not in value.invalid:
                where.error(
                    f"{where.name} has no '{column.id}', a required column",
                    f"add `{column.id}: …`, or mark the column `required: false` in the schema",
                )
        result = YMap()
        result.pos, result.key_pos, result.value_pos = value.pos, dict(value.key_pos), dict(value.value_pos)
        invalid = set()
        for key, raw in value.items():
            column = self.columns.get(key)
            if key in self.broken:
                invalid.add(key)
                continue
            if column is None:
                hint = did_you_mean(key, tuple(self.columns))
                where.child(key, value.key_pos[key]).error(
                    f"unknown column '{shown(key)}' in {where.name}",
                    hint if hint.startswith("did") else f"declare it under schema.columns; {hint}",
                )
                invalid.add(key)
                continue
            if raw is None:
                continue  # an empty cell; a required one is reported above
            cell_where = where.child(key, value.value_pos[key])
            cleaned = INVALID if raw is INVALID else cell_kind(column.type).validate(raw, cell_where)
            if cleaned is INVALID:
                invalid.add(key)
            else:
                result[key] = cleaned
        result.invalid = frozenset(invalid)
        return result

    def json_schema(self) -> dict[str, Any]:
        """A row of a table whose columns are known (a built-in table): a cell of each, empty where optional."""
        cells = {
            column.id: cell_kind(column.type).json_schema()
            if column.required
            else nullable(cell_kind(column.type).json_schema())
            for column in self.columns.values()
        }
        return {
            "type": "object",
            "properties": {
                key: with_doc(cell, self.columns[key].doc or COLUMN_TYPES[self.columns[key].type])
                for key, cell in cells.items()
            },
            "required": [column.id for column in self.columns.values() if column.required],
            "additionalProperties": False,
        }


def _describe(value: Any) -> str:
    from noticegen.source.schema import describe

    return describe(value)


class _ColumnType(Kind):
    expected = "a column type"

    def validate(self, value: Any, where: Where) -> Any:
        if not isinstance(value, str):
            return self.wrong_type(value, where)
        if value not in COLUMN_TYPES and value not in TYPE_SPELLINGS:
            close = did_you_mean(value, tuple(COLUMN_TYPES))
            where.error(
                f"{where.name} '{shown(value)}' is not a column type",
                (close + "; " if close.startswith("did") else "") + "the types are " + ", ".join(COLUMN_TYPES),
            )
            return INVALID
        return TYPE_SPELLINGS.get(value, value)

    def json_schema(self) -> dict[str, Any]:
        spellings = {**COLUMN_TYPES, **{spelling: COLUMN_TYPES[meant] for spelling, meant in TYPE_SPELLINGS.items()}}
        return {"type": "string", "enum": list(spellings), "enumDescriptions": list(spellings.values())}


_COLUMN_ID = Pattern(DATA_KEY, "a column id", "lowercase letters, digits, hyphens and underscores", None)
TABLE_SCHEMA = Record(
    {
        "caption": Field(Localized(), doc="what the table shows, in every locale (read out before the table)"),
        "columns": Field(
            DictOf(
                _COLUMN_ID,
                Record(
                    {
                        "type": Field(
                            _ColumnType(),
                            doc="what a cell holds: text, localized-text, url, email, date, country or duration",
                        ),
                        "header": Field(Localized(), doc="the column's heading, in every locale"),
                        "required": Field(Boolean(), required=False, doc="true: every row must give it"),
                    }
                ),
            ),
            doc="each column: its id, then its type and heading",
        ),
    }
)


class TableFile(Kind):
    """A file of notice/data that declares a table: `schema:` and `rows:`."""

    expected = "a table (schema: and rows:)"

    def validate(self, value: Any, where: Where) -> Any:
        if not isinstance(value, YMap):
            return self.wrong_type(value, where)
        for key in value:
            if key not in ("schema", "rows"):
                hint = did_you_mean(key, ("schema", "rows"))
                where.child(key, value.key_pos[key]).error(f"unknown key '{shown(key)}'", hint)
        for key, doc in (("schema", "the caption and the columns"), ("rows", "the rows, one `- ` each")):
            if key not in value:
                where.error(f"the table has no '{key}'", f"add `{key}:` with {doc}")
        if "schema" not in value or "rows" not in value:
            return INVALID
        schema = TABLE_SCHEMA.validate(value["schema"], where.child("schema", value.value_pos["schema"]))
        if schema is INVALID or "columns" not in schema or "caption" not in schema:
            return INVALID  # the rows cannot be read without their columns
        columns = _declared_columns(schema)
        broken = frozenset(schema["columns"]) - {column.id for column in columns} | schema["columns"].invalid
        rows = ListOf(_Row(columns, broken)).validate(value["rows"], where.child("rows", value.value_pos["rows"]))
        if rows is INVALID:
            return INVALID
        result = YMap({"schema": schema, "rows": rows})
        result.pos, result.key_pos, result.value_pos = value.pos, dict(value.key_pos), dict(value.value_pos)
        return result

    def json_schema(self) -> dict[str, Any]:
        # A row's columns are those its own file declares, which a static schema cannot follow: a cell may be
        # any value a column type takes, and `notice check` matches it with its column.
        cells = [cell_kind(column_type).json_schema() for column_type in COLUMN_TYPES]
        row = {
            "type": "object",
            "propertyNames": {k: v for k, v in _COLUMN_ID.json_schema().items() if k != "type"},
            "additionalProperties": {"anyOf": [*_unique(cells), {"type": "null"}]},
        }
        return {
            "type": "object",
            "properties": {
                "schema": with_doc(TABLE_SCHEMA.json_schema(), "the table's caption and its columns, in order"),
                "rows": with_doc(
                    {"type": "array", "items": row},
                    "the rows, one `- ` each: a value per column id (a column that is not required may be left out)",
                ),
            },
            "required": ["schema", "rows"],
            "additionalProperties": False,
        }


def _unique(schemas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    unique: list[dict[str, Any]] = []
    for schema in schemas:
        if schema not in unique:
            unique.append(schema)
    return unique


def _declared_columns(schema: Mapping[str, Any]) -> list[Column]:
    return [
        Column(
            column_id,
            spec["type"],
            spec.get("required") is True,
            spec["header"],
        )
        for column_id, spec in schema["columns"].items()
        if "type" in spec and "header" in spec
    ]


# The service providers: a table with a built-in schema, its rows in parts by where data is collected.
SUBPROCESSORS = "subprocessors"
_PROVIDER_COLUMNS = (
    Column("name", "text", True, {}, "subprocessor_name", "the provider's name, as the schedule shows it"),
    Column("since", "date", False, {}, "subprocessor_since", "since when the provider is used (YYYY-MM-DD)"),
    Column("until", "date", False, {}, "subprocessor_until", "until when the provider is used (YYYY-MM-DD)"),
)
_PROVIDER_PARTS = ("website", "service")
BUILT_IN_PART_COLUMN = "collected_through"
_PART_DOCS = {
    "website": "the service providers for data collected through the website ({{table:subprocessors.website}})",
    "service": "the service providers for data collected through the service ({{table:subprocessors.service}})",
}
SUBPROCESSORS_FILE = Record(
    {part: Field(ListOf(_Row(_PROVIDER_COLUMNS)), required=False, doc=_PART_DOCS[part]) for part in _PROVIDER_PARTS}
)


def is_table_file(raw: Any) -> bool:
    """Whether a data file declares a table of its own (it has `schema:`)."""
    return isinstance(raw, Mapping) and "schema" in raw


def tables_in(data: Mapping[str, Any]) -> dict[str, DataTable]:
    """Every readable table among a notice's data files (validated), by name."""
    tables = {}
    for name, value in data.items():
        if not isinstance(value, Mapping):
            continue
        if "schema" in value and "rows" in value:
            schema = value["schema"]
            tables[name] = DataTable(name, tuple(_declared_columns(schema)), tuple(value["rows"]), schema["caption"])
        elif name == SUBPROCESSORS:
            part_column = Column(BUILT_IN_PART_COLUMN, "text", True, {})
            rows = tuple({**row, BUILT_IN_PART_COLUMN: part} for part, part_rows in value.items() for row in part_rows)
            tables[name] = DataTable(
                name,
                (_PROVIDER_COLUMNS[0], part_column, *_PROVIDER_COLUMNS[1:]),
                rows,
                {},
                "subprocessors_{part}",
                BUILT_IN_PART_COLUMN,
                _PROVIDER_PARTS,
                built_in=True,
            )
    return tables


def resolve_table(target: str, data: Mapping[str, Any]) -> TableView | str:
    """The table (or part) `{{table:NAME}}` or `{{table:NAME.PART}}` names, or why it names none ("" when
    the file is there but wrong: its own errors say so)."""
    name, _, part = target.partition(".")
    tables = tables_in(data)
    table = tables.get(name)
    if table is None:
        if name in data and data[name] is INVALID:
            return ""
        if name in data:
            return f"notice/data/{shown(name)}.yaml is not a table (a table starts with `schema:`)"
        hint = did_you_mean(name, tuple(tables))
        if not hint.startswith("did"):
            hint = f"declare it in notice/data/{shown(name)}.yaml with `schema:` and `rows:`"
        return f"no table '{shown(name)}' ({hint})"
    if table.part_column is None:
        if part:
            return f"table '{shown(name)}' has no parts: write {{{{table:{name}}}}}"
        return TableView(table, None)
    if not part:
        choices = " or ".join(f"{{{{table:{name}.{p}}}}}" for p in table.parts)
        return f"table '{shown(name)}' is written in parts: name one, {choices}"
    if part not in table.parts:
        return f"table '{shown(name)}' has no part '{shown(part)}' ({did_you_mean(part, table.parts)})"
    return TableView(table, part)


def export_rows(view: TableView | DataTable) -> list[dict[str, Any]]:
    """Every row with every column (null where a cell is empty), values as written: codes, ISO dates."""
    table = view if isinstance(view, DataTable) else view.table
    return [{column.id: _plain(row.get(column.id)) for column in table.columns} for row in table.rows]


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, YList)):
        return [_plain(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
