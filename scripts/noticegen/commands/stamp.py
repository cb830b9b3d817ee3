"""Record, in a translation, which source text each of its sections was translated from."""

from __future__ import annotations

import re

from noticegen.source.yamlsource import SourceFile, YMap


def stamped_text(file: SourceFile, sections: YMap, hashes: dict[str, str]) -> str:
    """The file's text with `source_hash` set for each section in `hashes`; comments and layout kept."""
    lines = list(file.lines)
    edits: list[tuple[int, str | None, str]] = []  # (0-based line, replacement or None to insert, text)
    for section_id, new_hash in hashes.items():
        text = sections[section_id]
        if "source_hash" in text or "source_hash" in text.invalid:
            line = text.value_pos["source_hash"].line - 1
            replaced = re.sub(r"(source_hash:\s*).*$", rf"\g<1>{new_hash}", lines[line], count=1)
            edits.append((line, replaced, ""))
        else:
            # Before the title: a title may span lines, the key line of a section's first field may not.
            first_key = min(text.key_pos.values(), key=lambda pos: (pos.line, pos.col))
            if first_key.line == sections.key_pos[section_id].line:
                raise ValueError(
                    f"{file.path}:{first_key.line}: section '{section_id}' is written on one line; "
                    "write its title and body on lines of their own first"
                )
            indent = " " * (first_key.col - 1)
            edits.append((first_key.line - 1, None, f"{indent}source_hash: {new_hash}"))
    for line, replacement, inserted in sorted(edits, reverse=True):
        if replacement is not None:
            lines[line] = replacement
        else:
            lines.insert(line, inserted)
    return "\n".join(lines) + "\n"
