"""Clause anchors (`[§id]` opening a paragraph or a list item, `id:` on a table row): each well-formed and
where it anchors something, unique in the notice and apart from the section ids, the same in every locale."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt

from noticegen.checks.context import CheckContext, ClauseSite
from noticegen.checks.settings import RESERVED_IDS
from noticegen.core.diagnostics import Location, shown
from noticegen.source.formats import ROW_ID
from noticegen.source.load import Loaded
from noticegen.source.references import ANY_REFERENCE
from noticegen.source.tables import section_clauses
from noticegen.source.yamlsource import YList, YMap
from noticegen.text.clauses import ANY_MARKER, CLAUSE_ID, LIST_ITEM, MARKER, PARAGRAPH, TABLE_ROW, clauses_in

_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
SYNTAX_HINT = "write [§id] at the start of a paragraph or list item; a table row takes `id:`"


@dataclass(frozen=True)
class Marker:
    """A clause marker as the checker reads it (markdown-it, for line numbers)."""

    id: str  # as written
    closed: bool  # ends with `]`
    kind: str | None  # PARAGRAPH or LIST_ITEM when it opens one; None where it anchors nothing
    in_table: bool  # in a cell of a Markdown table
    empty: bool  # nothing follows it
    line: int  # 0-based, within the text
    text: str  # as written, to find its column

    @property
    def well_formed(self) -> bool:
        return self.closed and CLAUSE_ID.match(self.id) is not None


def markers_in(markdown: str) -> list[Marker]:
    """Every clause marker written in a Markdown text, where it stands."""
    markers: list[Marker] = []
    if MARKER not in markdown:  # most texts mark no clause: no need to parse them again
        return markers
    tokens = _PARSER.parse(markdown)
    line = 0
    for index, token in enumerate(tokens):
        line = token.map[0] if token.map else line
        if token.type != "inline":
            continue
        opener = tokens[index - 1].type if index else ""
        opens: str | None = None
        if opener == "paragraph_open":
            opens = LIST_ITEM if index >= 2 and tokens[index - 2].type == "list_item_open" else PARAGRAPH
        for match in ANY_MARKER.finditer(token.content):
            markers.append(
                Marker(
                    id=match["id"],
                    closed=match["end"] is not None,
                    kind=opens if match.start() == 0 else None,
                    in_table=opener in ("th_open", "td_open"),
                    empty=not token.content[match.end() :].strip(),
                    line=line + token.content.count("\n", 0, match.start()),
                    text=match.group(0),
                )
            )
    return markers


def check_clause_markers(
    ctx: CheckContext, code: str, section_id: str, markdown: str, at: Callable[[int, str], Location], *, in_cell: bool
) -> None:
    """The markers of one text (a body, or a cell of a section's table): `at(line, text)` is where a line's
    text stands in the file."""
    anchored = []
    for marker in markers_in(markdown):
        where = at(marker.line, marker.text)
        if not marker.closed:
            ctx.report.error(
                where,
                f"clause marker '{shown(marker.text)}' is not closed",
                "write the id right after § and end it with ], as in [§retention-periods]",
            )
        elif not marker.well_formed:
            ctx.report.error(
                where,
                f"'{shown(marker.text)}' is not a valid clause id",
                "use lowercase ASCII letters, digits and single hyphens, starting with a letter: [§retention-periods]",
            )
        elif in_cell or marker.in_table:
            ctx.report.error(
                where,
                f"clause id '{shown(marker.id)}' cannot mark a table cell",
                "give the row an anchor with `id:` in the section's `table:` instead"
                if in_cell
                else "write the table as the section's `table:`, whose rows take an anchor with `id:`",
            )
        elif marker.kind is None:
            ctx.report.error(
                where,
                f"clause id '{shown(marker.id)}' must open its paragraph or list item",
                "start the paragraph or list item with it, or write \\[§ to show the characters themselves",
            )
        elif marker.empty:
            ctx.report.error(
                where, f"clause id '{shown(marker.id)}' marks nothing", "write the paragraph's text after it"
            )
        else:
            anchored.append((marker, where))
            ctx.clauses.setdefault(code, []).append(ClauseSite(marker.id, section_id, marker.kind, where))
    if in_cell or not anchored:
        return
    # The safety net: every marker the checker accepts must be an anchor in what the site publishes.
    published = clauses_in(ANY_REFERENCE.sub(lambda match: "x" * len(match.group(0)), markdown))
    for marker, where in anchored:
        if (marker.id, marker.kind) not in {(clause.id, clause.kind) for clause in published}:
            ctx.report.error(
                where,
                f"clause id '{shown(marker.id)}' would not be published as the anchor of its "
                f"{marker.kind.replace('-', ' ')}",
                "put an empty line before the paragraph or list it opens",
            )


def record_row_id(ctx: CheckContext, code: str, section_id: str, row: YMap, location: Location) -> None:
    """A table row's `id:`, a clause anchor like a marked paragraph."""
    row_id = row.get(ROW_ID)
    if isinstance(row_id, str):
        ctx.clauses.setdefault(code, []).append(ClauseSite(row_id, section_id, TABLE_ROW, location))


def source_clause_ids(source: Loaded | None) -> dict[str, str]:
    """clause id -> section id, for every clause the source locale's text anchors: links and aliases may lead
    there. Read before the texts are checked (their own errors come with them)."""
    sections = source.get("sections") if source is not None else None
    found: dict[str, str] = {}
    for section_id, text in sections.items() if isinstance(sections, YMap) else ():
        if not isinstance(text, dict):
            continue
        table = text.get("table")
        rows = table.get("rows") if isinstance(table, dict) else None
        row_ids = [row.get(ROW_ID) for row in rows if isinstance(row, dict)] if isinstance(rows, YList) else []
        body = text.get("body")
        for clause in section_clauses(body if isinstance(body, str) else "", row_ids):
            found.setdefault(clause.id, section_id)
    return found


def check_clauses(ctx: CheckContext) -> None:
    """Across the notice, once every text was read: each clause id used once per locale, apart from the ids of
    sections, retired ids and the templates' ids; each locale with the clauses of the source locale."""
    aliases = ctx.notice.get("aliases")
    retired = set(aliases) if isinstance(aliases, dict) else set()
    for code, sites in ctx.clauses.items():
        first: dict[str, ClauseSite] = {}
        for site in sites:
            if site.id in first:
                earlier = first[site.id]
                ctx.report.error(
                    site.location,
                    f"clause id '{site.id}' is used twice in locale '{code}' (first on line {earlier.location.line})",
                    "an anchor leads to one place: give this clause another id",
                )
                continue
            first[site.id] = site
            if site.id in ctx.outline:
                ctx.report.error(
                    site.location,
                    f"clause id '{site.id}' is also the id of a section",
                    "choose another id: sections and clauses share the page's anchors",
                )
            elif site.id in retired:
                ctx.report.error(
                    site.location,
                    f"clause id '{site.id}' is a retired id (an alias in notice/notice.yaml)",
                    "choose another id: a retired id keeps leading where its alias says",
                )
            elif site.id in RESERVED_IDS:
                ctx.report.error(
                    site.location,
                    f"clause id '{site.id}' is reserved: the site's templates use it",
                    "choose another id; reserved ids: " + ", ".join(RESERVED_IDS),
                )
    check_same_clauses_in_every_locale(ctx)


def check_same_clauses_in_every_locale(ctx: CheckContext) -> None:
    """The paragraphs and list items anchored in the source locale are anchored in every locale, in the same
    sections (rows are compared with their tables: checks/tables.py)."""
    source = ctx.source_locale
    if source is None or source not in ctx.sources.texts:
        return
    expected = _marked_by_section(ctx.clauses.get(source, []))
    for code, loaded in ctx.sources.texts.items():
        sections = loaded.get("sections")
        if code == source or not isinstance(sections, YMap):
            continue
        found = _marked_by_section(ctx.clauses.get(code, []))
        for section_id, ids in expected.items():
            if section_id not in sections:
                continue  # a missing section is an error of its own
            for clause_id in ids:
                if clause_id not in found.get(section_id, {}):
                    ctx.report.error(
                        loaded.file.at(sections.key_pos[section_id]),
                        f"locale '{code}' is missing clause '{clause_id}' of section '{section_id}'",
                        f"mark the same paragraph or list item with [§{clause_id}]: clause ids are the same in "
                        "every locale",
                    )
        for section_id, ids in found.items():
            for clause_id, site in ids.items():
                if clause_id not in expected.get(section_id, {}):
                    ctx.report.error(
                        site.location,
                        f"clause '{clause_id}' of section '{section_id}' in locale '{code}' is not in the source "
                        f"locale '{source}'",
                        f"clause ids are the same in every locale: mark it in '{source}' too, or remove it here",
                    )


def _marked_by_section(sites: list[ClauseSite]) -> dict[str, dict[str, ClauseSite]]:
    result: dict[str, dict[str, ClauseSite]] = {}
    for site in sites:
        if site.kind != TABLE_ROW:
            result.setdefault(site.section, {}).setdefault(site.id, site)
    return result
