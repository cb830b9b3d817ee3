"""Read YAML files into plain Python values that remember where each value was written.

PyYAML silently keeps the last of two equal keys, which would lose a legal editor's text, so the
document is composed into nodes and converted here: duplicate keys, anchors and non-text keys are
reported instead of being resolved quietly.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from noticegen.core.diagnostics import InputError, Location, Report, shown

# Stated limits: no notice comes near them, and past them a file is a mistake or an attack.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32  # mappings and lists inside each other

_SPECIAL = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def file_problem(file: Path, root: Path | None = None) -> str | None:
    """Why `file` may not be read as a source file, or None. Looks with stat only: never opens it, so a
    named pipe cannot make the tool wait forever, and a link out of the project is never followed."""
    try:
        if root is not None:
            target = file.resolve()  # the file may be a link, or in a folder that is one
            if not target.is_relative_to(root.resolve()):
                link = "is a symbolic link to" if file.is_symlink() else "is reached through a linked folder, at"
                return f"{link} {target}, outside the project: it is not read"
        info = file.stat()
    except FileNotFoundError:
        return "does not exist (or is a broken symbolic link)"
    except RuntimeError:  # a loop of symbolic links
        return "is a loop of symbolic links"
    except OSError as exc:
        return f"cannot be read: {(exc.strerror or str(exc)).lower()}"
    kind = stat.S_IFMT(info.st_mode)
    if kind != stat.S_IFREG:
        return f"is {_SPECIAL.get(kind, 'not a regular file')}, not a file"
    if info.st_size > MAX_FILE_BYTES:
        return f"is {info.st_size} bytes, more than the limit of {MAX_FILE_BYTES} bytes (2 MiB) for a source file"
    if not os.access(file, os.R_OK):
        return "cannot be read: permission denied"
    return None


def files_within(folder: Path, root: Path) -> list[Path]:
    """Every file under `folder`, those in linked folders too (the checker reads through a link that stays in
    the project `root`, e.g. locales/fr to translations/fr), each real folder once, so that a loop of links
    ends. A folder linked out of the project is not walked: the checker reads nothing there, and a link to /
    would walk the whole disk."""
    files, seen, project = [], set(), root.resolve()
    for top, folders, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen or not Path(real).is_relative_to(project):
            folders.clear()
            continue
        seen.add(real)
        files += [Path(top, name) for name in names]
    return sorted(files)


def read_source_bytes(file: Path, shown_as: str, root: Path | None = None) -> bytes:
    """The bytes of a source file that is safe to read; InputError (path and reason) otherwise."""
    problem = file_problem(file, root)
    if problem is None:
        try:
            return file.read_bytes()
        except OSError as exc:
            problem = f"cannot be read: {(exc.strerror or str(exc)).lower()}"
    raise InputError(f"{shown_as}: {file.name} {problem}")


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


def _convert(node: yaml.Node, path: str, report: Report, seen: set[int], depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        report.error(
            Location(path, node.start_mark.line + 1, node.start_mark.column + 1),
            f"the values are nested more than {MAX_DEPTH} levels deep",
            "no notice file needs that many levels: check the indentation and the brackets",
        )
        return INVALID
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
                    f"duplicate key '{shown(key)}' (first written on line {first.line})",
                    "YAML keeps only one of them: merge the two into one entry",
                )
                continue
            result[key] = _convert(value_node, path, report, seen, depth + 1)
            result.key_pos[key] = key_pos
            result.value_pos[key] = _position(value_node)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = YList()
        items.pos, items.item_pos = _position(node), []
        for item in node.value:
            items.append(_convert(item, path, report, seen, depth + 1))
            items.item_pos.append(_position(item))
        return items
    try:
        value = _SCALAR.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        # e.g. `date: 2025-02-30` resolves as a timestamp but is no real date
        dated = isinstance(node.value, str) and re.match(r"\d{4}-\d{1,2}-\d{1,2}", node.value)
        report.error(
            Location(path, node.start_mark.line + 1, node.start_mark.column + 1),
            f"this value cannot be read: {exc}",
            "it is written as a date, YYYY-MM-DD, and there is no such day: correct it"
            if dated
            else "put it in quotes if it is meant as text",
        )
        return INVALID
    return value


# PyYAML's words for a syntax error, in an editor's terms: (words in its message, what is wrong, what to do,
# whether the error is where the scanner started: an unclosed quote's opening, a key's line).
_SYNTAX = (
    ("mapping values are not allowed", "': ' inside text that is not in quotes starts a new key",
     "put the text in quotes", False),
    ("found unexpected end of stream", "the quote opened here is never closed",
     "end the text with the same quote mark", True),
    ("could not find expected ':'", "this line is neither `key: value` nor a line of the text above it",
     "indent it like the lines of the text above, or write it as `key: value`", True),
    ("did not find expected key", "this line is not indented like the lines around it",
     "indent each line of a text like its first line, and each key like the keys beside it", False),
    ("tab character", "a tab is used to indent", "indent with spaces, not tabs", False),
    ("cannot start any token", "this character cannot start a value", "put the text in quotes", False),
    ("did not find expected", "this line does not fit the structure around it",
     "check the indentation and quoting on this line and the one above", False),
)  # fmt: skip


def load_data(text: str) -> Any:
    """A YAML document read for its data only, where no line is reported (a released snapshot or changelog,
    which the checker reads with positions elsewhere): the C loader, several times faster."""
    return yaml.load(text, Loader=_Loader)  # a safe loader: CSafeLoader, or SafeLoader without libyaml


def parse_yaml(text: str, path: str, report: Report) -> Any:
    """Parse one YAML document; syntax errors go to `report` with their position."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "invalid YAML"
        what, hint, at_start = next(
            ((w, h, s) for words, w, h, s in _SYNTAX if words in problem),
            (
                f"YAML syntax error: {problem}" + (f" {exc.context}" if exc.context and exc.problem else ""),
                "check the indentation and quoting on this line and the one above",
                False,
            ),
        )
        mark = (exc.context_mark if at_start else exc.problem_mark) or exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "cannot start any token" in problem and _indented_with_a_tab(text, line):  # the C reader names no character
            what, hint = "a tab is used to indent", "indent with spaces, not tabs"
        report.error(Location(path, line, col), what, hint)
        return None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        line, col, what = 1, 1, "YAML cannot read this character"
        if isinstance(exc, yaml.reader.ReaderError):
            offset = exc.position
            if _Loader is not yaml.SafeLoader:  # the C reader counts bytes of UTF-8, messages count characters
                offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
            line, col = _line_col(text, offset)
            if isinstance(exc.character, (int, str)):
                code = exc.character if isinstance(exc.character, int) else ord(exc.character)
                what = f"YAML cannot read the control character U+{code:04X}"
        report.error(
            Location(path, line, col),
            what,
            "remove control characters; save the file as UTF-8 text",
        )
        return None
    except RecursionError:
        report.error(
            Location(path),
            f"the values are nested more than {MAX_DEPTH} levels deep",
            "no notice file needs that many levels: check the indentation and the brackets",
        )
        return None
    if node is None:
        return None
    try:
        return _convert(node, path, report, set())
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops long before
        report.error(Location(path), f"the values are nested more than {MAX_DEPTH} levels deep")
        return None


def _indented_with_a_tab(text: str, line: int) -> bool:
    lines = text.split("\n")
    written = lines[line - 1] if 0 < line <= len(lines) else ""
    return "\t" in written[: len(written) - len(written.lstrip(" \t"))]


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def load_yaml_file(file: Path, shown_as: str, report: Report, root: Path | None = None) -> SourceFile | None:
    """Read and parse a file; `None` (with the reason reported) if it cannot be read at all.

    `root` is the project: a symbolic link that leads out of it is refused (by default, the folder that
    holds `shown_as`'s first part)."""
    if root is None:
        depth = len(Path(shown_as).parts)
        root = file.parents[depth - 1] if 0 < depth <= len(file.parents) else None
    try:
        raw = read_source_bytes(file, shown_as, root)
    except InputError as refusal:
        report.cannot_read(Location(shown_as), str(refusal).removeprefix(f"{shown_as}: "), "fix or remove it")
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
