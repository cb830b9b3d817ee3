"""The outline: sections as a tree, and everything that can be wrong with its shape."""

from __future__ import annotations

from dataclasses import dataclass

from noticegen.core.diagnostics import Report, shown
from noticegen.source.load import Loaded
from noticegen.source.schema import did_you_mean
from noticegen.source.yamlsource import Pos, YList

# The notice title is the page's <h1>; sections use <h2> to <h6>.
MAX_DEPTH = 5


@dataclass(frozen=True)
class OutlineEntry:
    id: str
    parent: str | None
    level: int  # 1 for a top-level section
    order: int  # 1-based position among its siblings
    children: tuple[str, ...]
    dpv: tuple[str, ...] = ()  # W3C DPV terms the section is about (a GDPR right, for example)


def read_outline(notice: Loaded, report: Report) -> tuple[OutlineEntry, ...]:
    """The sections in reading order (depth first). Broken entries are reported and left out."""
    entries = notice.get("outline")
    if not isinstance(entries, YList):
        return ()
    first_seen: dict[str, int] = {}
    parents: dict[str, str | None] = {}
    where: dict[str, Pos] = {}
    codes: dict[str, tuple[str, ...]] = {}
    for entry, pos in zip(entries, entries.item_pos, strict=True):
        section_id = entry.get("id")
        if section_id is None:
            continue
        if section_id in first_seen:
            report.error(
                notice.file.at(entry.value_pos["id"]),
                f"section id '{shown(section_id)}' is used twice (first on line {first_seen[section_id]})",
                "every section needs its own id",
            )
            continue
        first_seen[section_id] = pos.line
        parents[section_id] = entry.get("parent")
        codes[section_id] = tuple(entry.get("dpv", ()))
        where[section_id] = entry.value_pos.get("parent", pos)
    for section_id, parent in list(parents.items()):
        if parent is not None and parent not in parents:
            report.error(
                notice.file.at(where[section_id]),
                f"section '{shown(section_id)}' has parent '{shown(parent)}', which is not in the outline",
                did_you_mean(parent, tuple(parents)) or "add the parent section or remove `parent`",
            )
            parents[section_id] = None
    for section_id in _in_cycles(parents):
        report.error(
            notice.file.at(where[section_id]),
            f"section '{shown(section_id)}' is its own ancestor: the outline has a cycle",
            "follow the `parent` links from this section and break the loop",
        )
        # Reported once; the section is then read as top-level so that nothing else cascades.
        parents[section_id] = None
    children: dict[str | None, list[str]] = {}
    for section_id, parent in parents.items():
        children.setdefault(parent, []).append(section_id)
    ordered: list[OutlineEntry] = []

    def visit(parent: str | None, level: int) -> None:
        for order, section_id in enumerate(children.get(parent, []), start=1):
            if level > MAX_DEPTH:
                report.error(
                    notice.file.at(where[section_id]),
                    f"section '{shown(section_id)}' is nested {level} levels deep; at most {MAX_DEPTH} are possible",
                    "give it a parent higher up in the outline",
                )
            entry = OutlineEntry(
                section_id, parent, level, order, tuple(children.get(section_id, ())), codes[section_id]
            )
            ordered.append(entry)
            visit(section_id, level + 1)

    visit(None, 1)
    return tuple(ordered)


def _in_cycles(parents: dict[str, str | None]) -> list[str]:
    """Ids whose chain of parents comes back to themselves, in outline order."""
    result = []
    for start in parents:
        seen = {start}
        current = parents[start]
        while current is not None and current in parents:
            if current == start:
                result.append(start)
                break
            if current in seen:
                break
            seen.add(current)
            current = parents[current]
    return result
