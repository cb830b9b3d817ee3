"""References from the text to data: `{{contact:ID}}`, `{{data:FILE.path}}`, `{{table:NAME}}` (a data table)
and `{{address:PARTY}}`; and `{{table}}`, where a section's own table stands in its body. A table and an
address are blocks: each stands on a paragraph of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from noticegen.core.diagnostics import shown
from noticegen.source import formats
from noticegen.source.datatables import TableView, resolve_table, tables_in
from noticegen.source.parties import CONTROLLER, CONTROLLER_ID, Address, find_party, parties
from noticegen.source.schema import INVALID, DictOf, Kind, Nullable, Record, did_you_mean

# Anything between double braces is meant as a reference; a malformed one is an error, never text. A reference
# never holds another's opening `{{`: each `{{` is then read up to the next one at most, not to the end of the
# text (thousands of unclosed `{{` took minutes).
ANY_REFERENCE = re.compile(r"\{\{((?:(?!\{\{|\}\}).)*)\}\}", re.DOTALL)
REFERENCE = re.compile(r"^\s*(?P<kind>[a-z]+)\s*:\s*(?P<target>[^\s{}]+)\s*$")
KINDS = ("contact", "data", "table", "address")
# `{{table}}`: the section's own table (formats.TABLE_PLACEHOLDER), a reference without a target. Its kind is
# not "table", which is a data table's (`{{table:NAME}}`).
TABLE = "section-table"
BLOCK_REFS = ("address", "table")


@dataclass(frozen=True)
class Reference:
    kind: str  # one of KINDS, or TABLE; "" when malformed
    target: str
    start: int  # offset in the text
    end: int

    @property
    def text(self) -> str:
        return "{{table}}" if self.kind == TABLE else f"{{{{{self.kind}:{self.target}}}}}"


def find_references(text: str) -> Iterator[Reference]:
    for match in ANY_REFERENCE.finditer(text):
        parsed = REFERENCE.match(match.group(1))
        if match.group(1).strip() == "table":
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


def resolve_data(path: str, data: Mapping[str, Any], controller: Any = None) -> Resolved | str:
    """The kind and value a `{{data:...}}` path names, or a message saying why it names nothing ("" when
    the value is there but wrong: its own error says so). `controller.…` names the controller's facts in
    notice/notice.yaml (`{{data:controller.phone}}`), when `controller` is given."""
    parts = path.split(".")
    name = parts[0]
    if name in tables_in(data):  # `{{data:subprocessors.website}}`, as released versions wrote it
        return _table(path, data)
    kind: Kind | None = formats.DATA_FILES.get(name)
    written_in = f"notice/data/{name}.yaml"
    if name == CONTROLLER_ID and isinstance(controller, Mapping):
        kind, written_in, data = CONTROLLER, "notice/notice.yaml (controller)", {name: controller}
    if kind is None:
        return f"no data file '{shown(name)}'" + _suggest(name, formats.DATA_FILES)
    if name not in data:
        return f"{written_in} does not exist or cannot be read"
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
                return f"'{walked}.{part}' is not given in {written_in}"
            return f"'{shown(walked)}' has no '{shown(part)}'" + _suggest(part, choices)
        kind, value = next_kind, value[part]
        walked = f"{walked}.{part}"
    while isinstance(kind, Nullable):
        kind = kind.inner
    if value is None:
        return f"'{shown(path)}' is empty (null) in {written_in}"
    if value is INVALID or kind.ref is None:
        return f"'{shown(path)}' cannot be shown in the text (it is not a single value, an address or a list)"
    return Resolved(kind, value)


class _Block(Kind):
    """What a table reference resolves to: rendered as a table."""

    ref = "table"


def _table(target: str, data: Mapping[str, Any]) -> Resolved | str:
    view = resolve_table(target, data)
    return Resolved(_Block(), view) if isinstance(view, TableView) else view


def resolve(ref: Reference, data: Mapping[str, Any], controller: Any) -> Resolved | str:
    """What a `{{data:…}}`, `{{table:…}}` or `{{address:…}}` reference shows, or why it shows nothing ("" when
    the value is there but wrong: its own error says so)."""
    if ref.kind == "table":
        return _table(ref.target, data)
    if ref.kind == "address":
        return resolve_address(ref.target, data, controller)
    return resolve_data(ref.target, data, controller)


def resolve_address(party_id: str, data: Mapping[str, Any], controller: Any) -> Resolved | str:
    party = find_party(party_id, controller, data)
    if party is None:
        known = tuple(p.id for p in parties(controller, data))
        hint = did_you_mean(party_id, known) or "give it an address in notice/data (contacts, representatives, …)"
        return f"no party '{shown(party_id)}' ({hint})"
    if "address" in getattr(party.value, "invalid", ()):
        return ""
    if party.value.get("address") is None:
        return f"'{shown(party_id)}' has no address: add `address:` (lines and country) to it in {party.file}"
    return Resolved(Address(), party.value["address"])


def _suggest(word: str, choices: Mapping[str, Any]) -> str:
    hint = did_you_mean(word, tuple(choices))
    return f" ({hint})" if hint else ""


def is_block_reference(content: str, data: Mapping[str, Any]) -> bool:
    """Whether a paragraph is exactly one reference to a block (an address, a list of providers, the
    section's table)."""
    refs = list(find_references(content))
    if len(refs) == 1 and refs[0].kind == TABLE and content.strip() == content[refs[0].start : refs[0].end]:
        return True
    if len(refs) != 1 or content.strip() != content[refs[0].start : refs[0].end]:
        return False
    if refs[0].kind in BLOCK_REFS or (refs[0].kind, refs[0].target) == ("data", f"{CONTROLLER_ID}.address"):
        return True
    resolved = resolve_data(refs[0].target, data) if refs[0].kind == "data" else None
    return isinstance(resolved, Resolved) and resolved.is_block
