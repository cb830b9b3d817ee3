"""The first line of a source file that names its JSON Schema for editors: it must name the file's own schema.

A wrong or missing schema is silent in an editor (no completion, no hover, no error): this says so.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from noticegen.core.diagnostics import InputError, Location, Report, shown
from noticegen.source.editor_schemas import HEADER, SCHEMAS_DIR, header_line, schema_name
from noticegen.source.load import Sources
from noticegen.source.versions import CHANGELOG_FILE
from noticegen.source.yamlsource import read_source_bytes


def check_schema_lines(root: Path, sources: Sources, report: Report) -> None:
    """Each working source file whose first line names a schema names its own, and that schema exists."""
    first_lines = {
        loaded.file.path: (loaded.file.lines or [""])[0]
        for loaded in (sources.notice, *sources.texts.values(), *sources.ui.values(), *sources.data.values())
        if loaded is not None
    }
    try:
        changelog = (
            read_source_bytes(root / CHANGELOG_FILE, CHANGELOG_FILE, root) if (root / CHANGELOG_FILE).exists() else b""
        )
        first_lines[CHANGELOG_FILE] = changelog.decode("utf-8", "replace").partition("\n")[0]
    except InputError:
        pass  # the changelog's own check says why it cannot be read
    for relative, first in sorted(first_lines.items()):
        named = HEADER.match(first.rstrip("\r"))
        own = schema_name(relative)
        if named is None or own is None or "://" in named["path"]:  # a schema on the web is the editor's to find
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(relative), named["path"]))
        at = Location(relative, 1, first.index("$schema=") + len("$schema=") + 1)
        if posixpath.basename(target) != own:
            report.warning(
                at,
                f"the first line names the schema {shown(named['path'])}, which is not the one of this kind of file",
                f"write `{header_line(relative)}`",
            )
        elif not (root / target).is_file():
            report.warning(
                at,
                f"the first line names the schema {shown(target)}, which does not exist",
                f"run `notice schemas` to write {SCHEMAS_DIR}/{own}, or correct the path",
            )
