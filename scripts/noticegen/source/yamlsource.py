"""Read YAML files into plain Python values that remember where each value was written.

PyYAML silently keeps the last of two equal keys, which would lose a legal editor's text, so the
document is composed into nodes and converted here: duplicate keys, anchors and non-text keys are
reported instead of being resolved quietly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from noticegen.core.diagnostics import Location, Report

try:  # the C parser is several times faster; the pure-Python one gives the same nodes
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True)
class Pos:
    """Where a value starts; `style` is YAML's: "|" and ">" blocks start their text a line below."""

    line: int
    col: int
    style: str | None = None

    @property
    def literal(self) -> bool:
        """A `|` block: line N of the value is line N below the indicator, as written."""
        return self.style == "|"


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


# A value that was reported as wrong and must not be reported again by later stages.
INVALID: Any = _Invalid()


class YMap(dict):
    """A mapping with the position of itself, of each key and of each value."""

    pos: Pos
    key_pos: dict[str, Pos]
    value_pos: dict[str, Pos]
    invalid: frozenset[str] = frozenset()  # keys whose values were reported as wrong and dropped


class YList(list):
    """A sequence with the position of itself and of each item."""

    pos: Pos
    item_pos: list[Pos]


@dataclass
class SourceFile:
    """One YAML file: its path as shown in messages, its lines, and its parsed content."""

    path: str
    lines: list[str]
    data: Any

    def at(self, pos: Pos | None) -> Location:
        if pos is None:
            return Location(self.path, 1, 1)
        return Location(self.path, pos.line, pos.col)


_SCALAR = yaml.constructor.SafeConstructor()


def _position(node: yaml.Node) -> Pos:
    style = getattr(node, "style", None)
    return Pos(node.start_mark.line + 1, node.start_mark.column + 1, style)


def _convert(node: yaml.Node, path: str, report: Report, seen: set[int]) -> Any:
    if id(node) in seen:
        report.error(
            Location(path, node.start_mark.line + 1, node.start_mark.column + 1),
            "YAML anchors and aliases are not supported",
            "write the value out in full where it is needed",
        )
        return INVALID
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        result = YMap()
        result.pos, result.key_pos, result.value_pos = _position(node), {}, {}
        for key_node, value_node in node.value:
            key_pos = _position(key_node)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                report.error(
                    Location(path, key_pos.line, key_pos.col),
                    "a key must be plain text",
                    "write `name: value`; merge keys (`<<`) and complex keys are not supported",
                )
                continue
            # Keys stay text as written: `no:` is a locale code, not the boolean false.
            key = str(key_node.value)
            if key in result:
                first = result.key_pos[key]
                report.error(
                    Location(path, key_pos.line, key_pos.col),
                    f"duplicate key '{key}' (first written on line {first.line})",
                    "YAML keeps only one of them: merge the two into one entry",
                )
                continue
            result[key] = _convert(value_node, path, report, seen)
            result.key_pos[key] = key_pos
            result.value_pos[key] = _position(value_node)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = YList()
        items.pos, items.item_pos = _position(node), []
        for item in node.value:
            items.append(_convert(item, path, report, seen))
            items.item_pos.append(_position(item))
        return items
    try:
        value = _SCALAR.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        # e.g. `date: 2025-02-30` resolves as a timestamp but is no real date
        report.error(
            Location(path, node.start_mark.line + 1, node.start_mark.column + 1),
            f"this value cannot be read: {exc}",
            "put it in quotes if it is meant as text",
        )
        return INVALID
    return value


def parse_yaml(text: str, path: str, report: Report) -> Any:
    """Parse one YAML document; syntax errors go to `report` with their position."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        context = f" {exc.context}" if exc.context and exc.problem else ""
        report.error(
            Location(path, line, col),
            f"YAML syntax error: {problem}{context}",
            "check the indentation and quoting on this line and the one above",
        )
        return None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        line, col = 1, 1
        if isinstance(exc, yaml.reader.ReaderError):
            line, col = _line_col(text, exc.position)
        report.error(
            Location(path, line, col),
            "YAML cannot read this character",
            "remove control characters; save the file as UTF-8 text",
        )
        return None
    if node is None:
        return None
    return _convert(node, path, report, set())


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def load_yaml_file(file: Path, shown_as: str, report: Report) -> SourceFile | None:
    """Read and parse a file; `None` (with the reason reported) if it cannot be read at all."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        report.error(Location(shown_as), f"cannot read the file: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", "replace")
        line, col = _line_col(before, len(before))
        report.error(Location(shown_as, line, col), "the file is not UTF-8 text", "save it as UTF-8")
        return None
    text = text.removeprefix("\ufeff")
    errors_before = len(report.errors)
    data = parse_yaml(text, shown_as, report)
    if data is None and len(report.errors) > errors_before:
        return None
    return SourceFile(shown_as, text.splitlines(), data)
