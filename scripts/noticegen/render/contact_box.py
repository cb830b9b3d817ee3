"""The "your rights / contact" box under a page's header: how to reach the controller, its data protection officer
and its representatives, from the notice's structured data (notice.yaml's controller, notice/data), and a link to
the section about the reader's rights.

What the data does not give is said plainly ("not published"), never guessed: the reader gets the controller's
website instead.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from noticegen.model.notice import Notice
from noticegen.render.address_block import address_html
from noticegen.source.parties import CONTROLLER_ID, REPRESENTATIVE_ID, parties

# The GDPR articles on the data subject's rights (DPV's legal terms): the section about the reader's rights is the
# one whose subsections carry them (or the section itself, when it carries one and has no parent).
RIGHTS_TERM = re.compile(r"gdpr#A(1[5-9]|2[0-2])\b")
DPO_ID = "dpo"


def rights_section(notice: Notice) -> str | None:
    """The id of the section about the reader's rights, found by its DPV terms, never by its id."""
    by_id = {section.id: section for section in notice.sections}
    for section in notice.sections:
        if any(RIGHTS_TERM.search(term) for term in section.dpv):
            while section.parent is not None:
                section = by_id[section.parent]
            return section.id
    return None


def _link(url: str, text: str | None = None) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(text or url)}</a>'


def _party(
    title: str, value: Mapping[str, Any], website: str | None, locale: str, lang: str, ui: Mapping[str, str]
) -> str:
    """One party: what names it, then each way to reach it, a missing postal address or e-mail said so."""
    name = value.get("name")
    out = [f"<p><strong>{html.escape(title)}</strong>" + (f"<br>{html.escape(str(name))}" if name else "") + "</p>"]
    address = value.get("address")
    if isinstance(address, Mapping):
        out.append(address_html(address, locale, lang))
    else:
        out.append(f"<p>{html.escape(ui['contact_no_address'])}</p>")
    reach = []
    email = value.get("email")
    if email:
        reach.append(_link(f"mailto:{email}", str(email)))
    elif not (value.get("phone") or value.get("contact_form")):  # no way to write to them: the website instead
        missing = html.escape(ui["contact_no_email"])
        reach.append(f"{missing} {_link(website)}" if website else missing)
    if value.get("phone"):
        reach.append(_link("tel:" + re.sub(r"[^0-9+]", "", str(value["phone"])), str(value["phone"])))
    if value.get("contact_form"):
        reach.append(_link(str(value["contact_form"]), ui["contact_form"]))
    if value.get("website") and value.get("website") != website:
        reach.append(_link(str(value["website"])))
    out += [f"<p>{item}</p>" for item in reach]
    return "".join(out)


def contact_box(notice: Notice, locale: str) -> str:
    """The box as one HTML block: collapsed (a <details>), its summary naming what it holds."""
    ui = notice.ui[locale]
    lang = next((entry.lang for entry in notice.locales if entry.code == locale), locale)
    website = notice.controller.get("website")
    blocks = []
    for party in parties(notice.controller, notice.data):
        if party.id == CONTROLLER_ID:
            blocks.append(_party(ui["contact_controller"], party.value, website, locale, lang, ui))
        elif party.id == DPO_ID:
            blocks.append(_party(ui["contact_dpo"], party.value, website, locale, lang, ui))
        elif party.id == REPRESENTATIVE_ID or party.file.endswith("representatives.yaml"):
            blocks.append(_party(ui["contact_representative"], party.value, website, locale, lang, ui))
    rights = rights_section(notice)
    if rights is not None:
        blocks.insert(0, f"<p>{_link('#' + rights, ui['contact_rights_link'])}</p>")
    items = "".join(f'<div class="notice-contact__party">{block}</div>' for block in blocks)
    return (
        f'<details class="notice-contact" data-search-exclude><summary>{html.escape(ui["contact_box"])}</summary>'
        f"{items}</details>"
    )
