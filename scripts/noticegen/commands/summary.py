"""What a change touches, for a pull request's summary: versions released and sections edited."""

from __future__ import annotations

from pathlib import Path

from noticegen.checks.notice import check_notice
from noticegen.core.hashing import section_hash
from noticegen.source.tables import section_content
from noticegen.source.versions import snapshot_ids


def section_hashes(root: Path) -> dict[str, dict[str, str]]:
    """section id -> locale -> hash of its title, body and table, for the notice under `root`."""
    checked = check_notice(root)
    hashes: dict[str, dict[str, str]] = {}
    for code, loaded in checked.sources.texts.items():
        for section_id, text in (loaded.get("sections") or {}).items():
            if isinstance(text, dict) and "title" in text:
                hashes.setdefault(section_id, {})[code] = section_hash(*section_content(text))
    return hashes


def change_summary(base: Path, head: Path) -> str:
    """Markdown: the versions and the sections (with their locales) that differ from `base` to `head`."""
    released = [v for v in snapshot_ids(head) if v not in snapshot_ids(base)]
    withdrawn = [v for v in snapshot_ids(base) if v not in snapshot_ids(head)]
    before, after = section_hashes(base), section_hashes(head)
    lines = ["### What this change touches", ""]
    lines.append(f"- Versions released: {', '.join(released) if released else 'none'}")
    if withdrawn:
        lines.append(f"- Versions removed (a released version must never be removed): {', '.join(withdrawn)}")
    added = [s for s in after if s not in before]
    removed = [s for s in before if s not in after]
    edited = []
    for section_id in after:
        if section_id in before:
            locales = sorted(c for c in after[section_id].keys() | before[section_id].keys()
                             if after[section_id].get(c) != before[section_id].get(c))  # fmt: skip
            if locales:
                edited.append(f"`{section_id}` ({', '.join(locales)})")
    lines.append(f"- Sections edited: {', '.join(edited) if edited else 'none'}")
    if added:
        lines.append(f"- Sections added: {', '.join(f'`{s}`' for s in added)}")
    if removed:
        lines.append(f"- Sections removed: {', '.join(f'`{s}`' for s in removed)}")
    return "\n".join(lines) + "\n"
