"""A section's table as HTML: a real table with a caption, column headers and a row header per row.

On the page, each row with an id is a clause anchor with a ¶ permalink, and every cell names its column in
`data-label`: on a narrow screen the stylesheet (notice.css) shows each row as a block of labelled cells, so
nothing is cut off or needs sideways scrolling; explicit ARIA roles keep it a table for screen readers
whatever its layout. Pure functions: the cells come rendered (`cell_html`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence

from noticegen.model.tables import Table
from noticegen.text.clauses import ALIAS_CLASS, CLAUSE_CLASS, PERMALINK_CLASS

_BLANK_LINES = re.compile(r"\n\s*\n")


def table_html(
    table: Table,
    cell_html: Callable[[str], str],
    *,
    label: str,
    page: bool,
    permalink_title: str | None = None,
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The table as one block of HTML without blank lines (so that it stays one raw block inside Markdown).
    `label` names the scrollable region on the page (the caption, or the section's title); `page` adds the
    page's layout, the row anchors' permalinks and the retired ids (`aliases`: clause id -> retired ids)."""

    def role(name: str) -> str:
        return f' role="{name}"' if page else ""

    def labelled(column: int) -> str:
        return f' data-label="{html.escape(table.columns[column].header)}"' if page else ""

    out = []
    if page:
        out.append(f'<div class="notice-table" role="region" aria-label="{html.escape(label)}" tabindex="0">')
    out.append(f'<table class="notice-table__table"{role("table")}>')
    if table.caption:
        out.append(f"<caption>{html.escape(table.caption)}</caption>")
    headers = "".join(
        f'<th scope="col"{role("columnheader")}>{html.escape(column.header)}</th>' for column in table.columns
    )
    out.append(f"<thead{role('rowgroup')}><tr{role('row')}>{headers}</tr></thead>")
    out.append(f"<tbody{role('rowgroup')}>")
    for row in table.rows:
        anchor = f' id="{row.id}" class="{CLAUSE_CLASS}"' if row.id else ""
        cells = []
        for index, cell in enumerate(row.cells):
            content = cell_html(cell)
            if index == 0 and row.id and page:
                content = _with_row_marks(content, row.id, (aliases or {}).get(row.id, ()), permalink_title)
            tag, attributes = ("th", f' scope="row"{role("rowheader")}') if index == 0 else ("td", role("cell"))
            cells.append(f"<{tag}{attributes}{labelled(index)}>{content}</{tag}>")
        out.append(f"<tr{role('row')}{anchor}>{''.join(cells)}</tr>")
    out.append("</tbody>")
    out.append("</table>")
    if page:
        out.append("</div>")
    return _BLANK_LINES.sub("\n", "\n".join(out))


def _with_row_marks(content: str, row_id: str, retired: Sequence[str], permalink_title: str | None) -> str:
    """The row header's content with the row's retired ids at its start and its ¶ permalink at its end."""
    spans = "".join(f'<span class="{ALIAS_CLASS}" id="{old}"></span>' for old in retired)
    link = (
        f'<a class="{PERMALINK_CLASS}" href="#{row_id}" title="{html.escape(permalink_title)}" '
        f'aria-label="{html.escape(permalink_title)}"></a>'
        if permalink_title is not None
        else ""
    )
    if content.endswith("</p>"):
        content = content[: -len("</p>")] + link + "</p>"
    else:
        content += link
    return spans + content
