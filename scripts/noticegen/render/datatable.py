"""A data table as the page shows it: an HTML table with its caption and column headings, every cell in
the page's language (dates, countries and lengths of time written out by CLDR). Pure functions."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from noticegen.source.datatables import Column, TableView
from noticegen.text.cldr import country_name, duration_text
from noticegen.text.dates import time_element


def data_table_html(view: TableView, locale: str, lang: str, ui: Mapping[str, str]) -> str:
    """The table in one locale (`locale` its code, `lang` its language tag). One line per element, and no
    empty line: Markdown keeps it as one HTML block, and the plain text (search, redlines) reads a row per
    line with its cells apart."""
    table = view.table
    if table.caption_string is not None:
        caption = ui[table.caption_string.format(part=view.part)]
    else:
        caption = table.caption[locale]
    columns = view.columns
    headers = [html.escape(_header(column, locale, ui)) for column in columns]
    # The page's table layout (render/tables.py, notice.css): a labelled region a keyboard can scroll, and on a
    # narrow screen a block of labelled cells per row; the roles keep it a table whatever the layout.
    out = [
        f'<div class="notice-table" role="region" aria-label="{html.escape(caption)}" tabindex="0">',
        '<table class="notice-table__table" role="table">',
        f"<caption>{html.escape(caption)}</caption>",
        '<thead role="rowgroup">',
        '<tr role="row">',
    ]
    out += [f'<th scope="col" role="columnheader">{header}</th>' for header in headers]
    out += ["</tr>", "</thead>", '<tbody role="rowgroup">']
    for row in view.rows:
        out.append('<tr role="row">')
        out += [
            f'<td role="cell" data-label="{header}">{cell_html(column, row.get(column.id), locale, lang)}</td>'
            for column, header in zip(columns, headers, strict=True)
        ]
        out.append("</tr>")
    out += ["</tbody>", "</table>", "</div>"]
    return "\n".join(out)


def _header(column: Column, locale: str, ui: Mapping[str, str]) -> str:
    return ui[column.header_string] if column.header_string else column.header[locale]


def cell_html(column: Column, value: Any, locale: str, lang: str) -> str:
    """One cell's content as HTML; empty for an empty cell."""
    if value is None:
        return ""
    if column.type == "localized-text":
        return html.escape(value[locale])
    if column.type == "url":
        return f'<a href="{html.escape(value)}">{html.escape(value)}</a>'
    if column.type == "email":
        return f'<a href="mailto:{html.escape(value)}">{html.escape(value)}</a>'
    if column.type == "date":
        return time_element(value, lang)
    if column.type == "country":
        return html.escape(country_name(value, lang))
    if column.type == "duration":
        return html.escape(duration_text(value, lang))
    return html.escape(str(value))
