"""Edit a source YAML file the way its editor would: comments, key order, quoting and styles kept.

The file is edited round-trip with ruamel.yaml. What would be written is read back first, with the same
reader `notice check` uses, and must hold exactly the data the edit promises; otherwise nothing is written.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.util import load_yaml_guess_indent

from noticegen.core.diagnostics import Report
from noticegen.source.schema import shown
from noticegen.source.yamlsource import YList, YMap, parse_yaml


class EditError(Exception):
    """The file cannot be edited as asked; the message names the file and what was asked."""


def edited_text(
    text: str,
    path: str,
    what: str,
    edit: Callable[[Any], None],
    expected: Callable[[Any], Any],
    by: str = "notice",
) -> str:
    """`text` (the file at `path`) after `edit` changed its round-trip document in place. `expected` gives,
    from the data `text` holds as `notice check` reads it, the data the new text must hold; `what` names
    the edit in messages, and `by` the command that makes it."""
    try:
        _, indent, sequence_indent = load_yaml_guess_indent(text)
        measured = _sequence_offset(text)
        sequence_indent = sequence_indent if measured is None else measured
        yaml = _round_trip(text, indent, sequence_indent)
        document = yaml.load(text)
    except Exception as failure:  # ruamel.yaml raises many kinds; each becomes the same message
        problem = first_line(failure)
        raise EditError(f"{path}: {what}: the file cannot be edited ({problem}): run `notice check`") from failure
    edit(document)
    try:
        new_text = dump_text(yaml, document)
    except Exception as failure:
        raise EditError(f"{path}: {what}: the file cannot be written back ({first_line(failure)})") from failure
    old_report, new_report = Report(), Report()
    old = parse_yaml(text, path, old_report)
    new = parse_yaml(new_text, path, new_report)
    if len(new_report.errors) > len(old_report.errors):
        raise EditError(f"{path}: {what}: what would be written does not read back ({new_report.errors[0].message})")
    difference = first_difference(comparable(expected(old)), comparable(new), [])
    if difference is not None:
        raise DifferenceError(path, what, by, difference)
    return new_text


def append_key(mapping: CommentedMap, key: str, value: Any) -> None:
    """Add `key` at the end of `mapping`. ruamel.yaml keeps the comment lines that follow a mapping with its
    last value (often the heading of what comes next in the file): they move to the end of the new entry, so
    they still stand above what they describe."""
    holder = _last_holder(mapping)
    mapping[key] = value
    if holder is None:
        return
    node, last = holder
    comments = node.ca.items.get(last)
    if not comments or len(comments) < 3 or comments[2] is None:
        return
    token = comments[2]
    comments[2] = None
    new_node, new_last = _last_holder(mapping) or (mapping, key)
    entry = new_node.ca.items.setdefault(new_last, [None, None, None, None])
    entry[2] = token


def remove_key(mapping: CommentedMap, key: str, within: CommentedMap | None = None) -> None:
    """Delete `key` from `mapping`; the comment lines that followed it (see append_key) stay where they were,
    now after what precedes it. `within` is the outer mapping whose end `mapping` may be."""
    comments = mapping.ca.items.get(key)
    token = comments[2] if comments and len(comments) > 2 else None
    del mapping[key]
    if token is None:
        return
    holder = _last_holder(within if within is not None else mapping)
    if holder is not None:
        node, last = holder
        node.ca.items.setdefault(last, [None, None, None, None])[2] = token


def _last_holder(node: Any) -> tuple[CommentedMap, Any] | None:
    """The mapping and key of the last scalar a block mapping ends with, which holds what follows it."""
    holder = None
    while isinstance(node, CommentedMap) and len(node):
        last = list(node)[-1]
        holder = (node, last)
        node = node[last]
    return holder


def dump_text(yaml: YAML, document: Any) -> str:
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()


class DifferenceError(EditError):
    """What would be written reads back differently from what the edit promised, at `difference`."""

    def __init__(self, path: str, what: str, by: str, difference: list[str]) -> None:
        self.difference = difference
        where = ".".join(difference) or "the document"
        super().__init__(f"{path}: {what}: what {by} would write reads back differently at {shown(where)}: "
                         "please report this, with the file")  # fmt: skip


def _round_trip(text: str, indent: int | None, sequence_indent: int | None) -> YAML:
    """A round-trip YAML that writes blocks indented as `text` is: ruamel's guess (`indent`, the dash's
    offset `sequence_indent`) comes from the first sequence when there is one, so mappings are measured here."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 20  # never fold a long title or a flow mapping onto new lines
    mapping = _mapping_indent(text) or indent or 2
    offset = sequence_indent or 0
    sequence = max(indent or mapping, offset + 2) if sequence_indent is not None else mapping
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    # An explicit null stays written as `null` (ruamel.yaml would leave the value empty).
    yaml.representer.add_representer(
        type(None), lambda representer, _: representer.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return yaml


def _mapping_indent(text: str) -> int | None:
    """How far a block mapping nested in another is indented: the first `key:` line with nothing after it,
    and the next line, when that next line is a key too."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for line, following in itertools.pairwise(lines):
        stripped = line.strip()
        nested = following.lstrip(" ")
        if stripped.endswith(":") and not stripped.startswith("-") and not nested.startswith("-"):
            depth = (len(following) - len(nested)) - (len(line) - len(line.lstrip(" ")))
            if depth > 0:
                return depth
    return None


def _sequence_offset(text: str) -> int | None:
    """How far the dash of a block sequence stands from the key it belongs to, measured on the first one
    (ruamel.yaml guesses it from the text, and is misled by a list inside a `|` text: a table's rows in a
    locale's text follow a body's Markdown list)."""
    data = parse_yaml(text, "", Report())
    lines = text.splitlines()

    def first(value: Any) -> int | None:
        if isinstance(value, YMap):
            for key, item in value.items():
                at = value.value_pos[key]
                line = lines[at.line - 1] if 0 < at.line <= len(lines) else ""
                if isinstance(item, YList) and item and line[at.col - 1 : at.col] == "-":
                    return at.col - value.key_pos[key].col
                found = first(item)
                if found is not None:
                    return found
        elif isinstance(value, YList):
            for item in value:
                found = first(item)
                if found is not None:
                    return found
        return None

    return first(data)


def comparable(value: Any) -> Any:
    """Data with its types and key order made comparable: 1, 1.0, True and "1" all differ."""
    if isinstance(value, dict):
        return ("map", [(str(key), comparable(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [comparable(item) for item in value])
    return (type(value).__name__, value)


def first_difference(expected: Any, actual: Any, at: list[str]) -> list[str] | None:
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
            found = first_difference(item, other, [*at, key])
            if found is not None:
                return found
        return None
    if expected[0] == "list":
        if len(expected[1]) != len(actual[1]):
            return at
        for index, (item, other) in enumerate(zip(expected[1], actual[1], strict=True)):
            found = first_difference(item, other, [*at, str(index)])
            if found is not None:
                return found
        return None
    return None if expected[1] == actual[1] else at


def first_line(failure: Exception) -> str:
    return shown(str(failure).strip().splitlines()[0] if str(failure).strip() else type(failure).__name__, 120)
