"""A postal address as the page shows it: an <address> block, its country named in the page's language."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from noticegen.source.parties import address_lines
from noticegen.text.cldr import country_codes, country_name


def address_html(address: Mapping[str, Any], locale: str, lang: str) -> str:
    """Each line of the address, then its country, one line each (one HTML block for Markdown)."""
    lines, code, written_names = address_lines(address)
    if code in country_codes():
        lines.append(country_name(code, lang))
    elif written_names:  # an older address whose code CLDR does not know: its names as written
        lines.append(written_names[locale])
    return "<address>" + "<br>\n".join(html.escape(line) for line in lines) + "</address>"
