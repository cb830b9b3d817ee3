"""Record, in a translation, which source text each of its sections was translated from.

The file is edited round-trip with ruamel.yaml, so its comments, key order, quoting and block or flow styles
stay as the editor wrote them. What would be written is read back first, with the same reader `notice check`
uses, and must hold exactly the old data plus the new `source_hash` values; otherwise nothing is written.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from noticegen.core.diagnostics import Report
from noticegen.source.schema import shown
from noticegen.source.yamlsource import parse_yaml


class StampError(Exception):
    """The file cannot be stamped as asked; the message names the file and the section."""


def stamped_text(text: str, path: str, hashes: dict[str, str]) -> str:
    """`text` (the file at `path`) with `source_hash` set, always as a quoted string, for each section in `hashes`."""
    names = section_list(hashes)
    try:
        _, indent, sequence_indent = load_yaml_guess_indent(text)
        yaml = _round_trip(indent, sequence_indent)
        document = yaml.load(text)
    except Exception as failure:  # ruamel.yaml raises many kinds; each becomes the same message
        problem = _first_line(failure)
        raise StampError(f"{path}: {names}: the file cannot be edited ({problem}): run `notice check`") from failure
    sections = document.get("sections") if isinstance(document, CommentedMap) else None
    for section_id, new_hash in hashes.items():
        section = sections.get(section_id) if isinstance(sections, CommentedMap) else None
        if not isinstance(section, CommentedMap):
            raise StampError(f"{path}: section '{shown(section_id)}' is not a mapping of title and body")
        quoted = DoubleQuotedScalarString(new_hash)  # "123456789012" must stay text, never become a number
        if "source_hash" in section:
            section["source_hash"] = quoted
        else:
            section.insert(0, "source_hash", quoted)
    try:
        new_text = _dump(yaml, document)
    except Exception as failure:
        raise StampError(f"{path}: {names}: the file cannot be written back ({_first_line(failure)})") from failure
    _verify(text, new_text, path, hashes)
    return new_text


def _round_trip(indent: int | None, sequence_indent: int | None) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 20  # never fold a long title or a flow mapping onto new lines
    mapping = indent or 2
    yaml.indent(mapping=mapping, sequence=mapping, offset=sequence_indent or 0)
    return yaml


def _dump(yaml: YAML, document: Any) -> str:
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()


def _verify(old_text: str, new_text: str, path: str, hashes: dict[str, str]) -> None:
    """Refuse unless `new_text` reads as `old_text` with exactly the new hashes, in the same order and types."""
    old_report, new_report = Report(), Report()
    old = parse_yaml(old_text, path, old_report)
    new = parse_yaml(new_text, path, new_report)
    if len(new_report.errors) > len(old_report.errors):
        raise StampError(
            f"{path}: {section_list(hashes)}: what stamp would write does not read back "
            f"({new_report.errors[0].message})"
        )
    expected = _with_hashes(old, hashes)
    difference = _first_difference(_plain(expected), _plain(new), [])
    if difference is not None:
        where = ".".join(difference) or "the document"
        section = difference[1] if len(difference) > 1 and difference[0] == "sections" else None
        which = f"section '{shown(section)}'" if section is not None else section_list(hashes)
        raise StampError(
            f"{path}: {which}: what stamp would write reads back differently at {shown(where)}: "
            "please report this, with the file"
        )


def _with_hashes(data: Any, hashes: dict[str, str]) -> Any:
    sections = dict(data["sections"])
    for section_id, new_hash in hashes.items():
        section = sections[section_id]
        sections[section_id] = (
            {**section, "source_hash": new_hash} if "source_hash" in section else {"source_hash": new_hash, **section}
        )
    return {**data, "sections": sections}


def _plain(value: Any) -> Any:
    """Data with its types and key order made comparable: 1, 1.0, True and "1" all differ."""
    if isinstance(value, dict):
        return ("map", [(str(key), _plain(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [_plain(item) for item in value])
    return (type(value).__name__, value)


def _first_difference(expected: Any, actual: Any, at: list[str]) -> list[str] | None:
    if expected[0] != actual[0]:
        return at
    if expected[0] == "map":
        expected_keys = [key for key, _ in expected[1]]
        actual_keys = [key for key, _ in actual[1]]
        if expected_keys != actual_keys:
            missing = [key for key in expected_keys if key not in actual_keys]
            added = [key for key in actual_keys if key not in expected_keys]
            return [*at, (missing or added or expected_keys)[0]]
        for (key, item), (_, other) in zip(expected[1], actual[1], strict=True):
            found = _first_difference(item, other, [*at, key])
            if found is not None:
                return found
        return None
    if expected[0] == "list":
        if len(expected[1]) != len(actual[1]):
            return at
        for index, (item, other) in enumerate(zip(expected[1], actual[1], strict=True)):
            found = _first_difference(item, other, [*at, str(index)])
            if found is not None:
                return found
        return None
    return None if expected[1] == actual[1] else at


def section_list(hashes: dict[str, str]) -> str:
    """The sections as messages name them: `section 'intro'`, `sections 'intro', 'rights'`."""
    ids = [f"'{shown(section)}'" for section in hashes]
    return ("section " if len(ids) == 1 else "sections ") + ", ".join(ids)


def _first_line(failure: Exception) -> str:
    return shown(str(failure).strip().splitlines()[0] if str(failure).strip() else type(failure).__name__, 120)
