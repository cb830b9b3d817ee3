"""Record, in a translation, which source text each of its sections was translated from.

The file is edited round-trip (commands/yaml_edit.py): its comments, key order, quoting and styles stay as the
editor wrote them, and what would be written must read back as the old data plus the new `source_hash` values.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from noticegen.checks.translations import SUMMARY
from noticegen.commands.yaml_edit import DifferenceError, EditError, edited_text
from noticegen.source.schema import shown


class StampError(Exception):
    """The file cannot be stamped as asked; the message names the file and the section."""


def stamped_text(text: str, path: str, hashes: dict[str, str]) -> str:
    """`text` (the file at `path`) with `source_hash` set, always as a quoted string, for each section in `hashes`."""

    def stamp(document: Any) -> None:
        sections = document.get("sections") if isinstance(document, CommentedMap) else None
        for section_id, new_hash in hashes.items():
            if section_id == SUMMARY:
                _stamp_summary(document, path, new_hash)
                continue
            section = sections.get(section_id) if isinstance(sections, CommentedMap) else None
            if not isinstance(section, CommentedMap):
                raise StampError(f"{path}: section '{shown(section_id)}' is not a mapping of title and body")
            quoted = DoubleQuotedScalarString(new_hash)  # "123456789012" must stay text, never become a number
            if "source_hash" in section:
                section["source_hash"] = quoted
            else:
                section.insert(0, "source_hash", quoted)

    try:
        return edited_text(text, path, section_list(hashes), stamp, lambda old: _with_hashes(old, hashes), by="stamp")
    except DifferenceError as failure:
        difference = failure.difference
        section = difference[1] if len(difference) > 1 and difference[0] == "sections" else None
        if section is None:
            raise StampError(str(failure)) from failure
        where = ".".join(difference)
        raise StampError(
            f"{path}: section '{shown(section)}': what stamp would write reads back differently at {shown(where)}: "
            "please report this, with the file"
        ) from failure
    except EditError as failure:
        raise StampError(str(failure)) from failure


def _stamp_summary(document: Any, path: str, new_hash: str) -> None:
    """`summary_source_hash` set, right after the summary it stamps."""
    if not isinstance(document, CommentedMap) or not isinstance(document.get("summary"), str):
        raise StampError(f"{path}: the summary is not a text")
    quoted = DoubleQuotedScalarString(new_hash)
    if "summary_source_hash" in document:
        document["summary_source_hash"] = quoted
    else:
        document.insert(list(document).index("summary") + 1, "summary_source_hash", quoted)


def _with_hashes(data: Any, hashes: dict[str, str]) -> Any:
    if SUMMARY in hashes:  # in place, or right after the summary: key order is compared too
        if "summary_source_hash" in data:
            data = {**data, "summary_source_hash": hashes[SUMMARY]}
        else:
            items = []
            for key, value in data.items():
                items.append((key, value))
                if key == "summary":
                    items.append(("summary_source_hash", hashes[SUMMARY]))
            data = dict(items)
    sections = dict(data["sections"])
    for section_id, new_hash in hashes.items():
        if section_id == SUMMARY:
            continue
        section = sections[section_id]
        sections[section_id] = (
            {**section, "source_hash": new_hash} if "source_hash" in section else {"source_hash": new_hash, **section}
        )
    return {**data, "sections": sections}


def section_list(hashes: dict[str, str]) -> str:
    """The sections as messages name them: `section 'intro'`, `sections 'intro', 'rights'`."""
    ids = [f"'{shown(section)}'" for section in hashes if section != SUMMARY]
    named = ("section " if len(ids) == 1 else "sections ") + ", ".join(ids) if ids else ""
    if SUMMARY in hashes:
        return f"{named} and the summary" if named else "the summary"
    return named
