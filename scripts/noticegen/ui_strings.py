"""The strings our templates add to a page. Every locale's `site.yaml` must give each of them."""

from __future__ import annotations

REQUIRED: dict[str, str] = {
    "effective_date": "label before the date the notice takes effect",
    "contents": "heading of the table of contents",
    "permalink": "title of the link icon next to each heading",
    "contact_address_missing": "shown where a contact's e-mail address is not known",
    "known_gap_missing_list": "shown where a list was lost from the source text",
    "known_gap_partial_list": "shown under a list that was recovered only in part",
    "known_gap_missing_link": "shown where link targets were lost from the source text",
    "subprocessor_name": "column heading of the service provider tables",
    "translation_outdated": "notice on a section whose translation is behind the source text",
    "switch_to_dark": "label of the button that switches to the dark colour scheme",
    "switch_to_light": "label of the button that switches to the light colour scheme",
}
