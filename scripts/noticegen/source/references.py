"""References from the text to data: `{{contact:ID}}` and `{{data:FILE.path}}`; and `{{table}}`, where a
section's own table stands in its body."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from noticegen.core.diagnostics import shown
from noticegen.source import formats
from noticegen.source.schema import INVALID, DictOf, Kind, Nullable, Record, did_you_mean

# Anything between double braces is meant as a reference; a malformed one is an error, never text.
ANY_REFERENCE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
REFERENCE = re.compile(r"^\s*(?P<kind>[a-z]+)\s*:\s*(?P<target>[^\s{}]+)\s*$")
KINDS = ("contact", "data")
TABLE = "table"  # `{{table}}`: the section's table (formats.TABLE_PLACEHOLDER), a kind without a target
BLOCK_REFS = ("address", "subprocessors")


@dataclass(frozen=True)
class Reference:
    kind: str  # "contact", "data" or "table"; "" when malformed
    target: str
    start: int  # offset in the text
    end: int

    @property
    def text(self) -> str:
        return f"{{{{{self.kind}}}}}" if self.kind == TABLE else f"{{{{{self.kind}:{self.target}}}}}"


def find_references(text: str) -> Iterator[Reference]:
    for match in ANY_REFERENCE.finditer(text):
        parsed = REFERENCE.match(match.group(1))
        if match.group(1).strip() == TABLE:
            yield Reference(TABLE, "", match.start(), match.end())
        elif parsed and parsed["kind"] in KINDS:
            yield Reference(parsed["kind"], parsed["target"], match.start(), match.end())
        else:
            yield Reference("", match.group(1), match.start(), match.end())


def unclosed_braces(text: str) -> list[int]:
    """Offsets of `{{` that no `}}` closes."""
    stripped = ANY_REFERENCE.sub(lambda m: " " * len(m.group(0)), text)
    return [m.start() for m in re.finditer(r"\{\{", stripped)]


@dataclass(frozen=True)
class Resolved:
    kind: Kind
    value: Any

    @property
    def ref(self) -> str | None:
        return self.kind.ref

    @property
    def is_block(self) -> bool:
        return self.kind.ref in BLOCK_REFS


def resolve_data(path: str, data: Mapping[str, Any]) -> Resolved | str:
    """The kind and value a `{{data:...}}` path names, or a message saying why it names nothing ("" when
    the value is there but wrong: its own error says so)."""
    parts = path.split(".")
    name = parts[0]
    kind: Kind | None = formats.DATA_FILES.get(name)
    if kind is None:
        return f"no data file '{shown(name)}'" + _suggest(name, formats.DATA_FILES)
    if name not in data:
        return f"notice/data/{name}.yaml does not exist or cannot be read"
    value: Any = data[name]
    walked = name
    for part in parts[1:]:
        while isinstance(kind, Nullable):
            kind = kind.inner
        if isinstance(kind, Record):
            choices: Mapping[str, Any] = kind.fields
            next_kind = kind.fields[part].kind if part in kind.fields else None
        elif isinstance(kind, DictOf):
            choices = value if isinstance(value, Mapping) else {}
            next_kind = kind.value if part in choices else None
        else:
            return f"'{shown(walked)}' has no parts"
        if part in getattr(value, "invalid", ()):
            return ""  # the value is wrong, and reported where it is written
        if next_kind is None or not isinstance(value, Mapping) or part not in value:
            if next_kind is not None:
                return f"'{walked}.{part}' is not given in notice/data/{name}.yaml"
            return f"'{shown(walked)}' has no '{shown(part)}'" + _suggest(part, choices)
        kind, value = next_kind, value[part]
        walked = f"{walked}.{part}"
    while isinstance(kind, Nullable):
        kind = kind.inner
    if value is None:
        return f"'{shown(path)}' is empty (null) in notice/data/{name}.yaml"
    if value is INVALID or kind.ref is None:
        return f"'{shown(path)}' cannot be shown in the text (it is not a single value, an address or a list)"
    return Resolved(kind, value)


def _suggest(word: str, choices: Mapping[str, Any]) -> str:
    hint = did_you_mean(word, tuple(choices))
    return f" ({hint})" if hint else ""


def is_block_reference(content: str, data: Mapping[str, Any]) -> bool:
    """Whether a paragraph is exactly one reference to a block (an address, a list of providers, the
    section's table)."""
    refs = list(find_references(content))
    if len(refs) == 1 and refs[0].kind == TABLE and content.strip() == content[refs[0].start : refs[0].end]:
        return True
    if len(refs) != 1 or refs[0].kind != "data" or content.strip() != content[refs[0].start : refs[0].end]:
        return False
    resolved = resolve_data(refs[0].target, data)
    return isinstance(resolved, Resolved) and resolved.is_block
