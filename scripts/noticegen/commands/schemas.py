"""`notice schemas`: write the editors' JSON Schemas into schemas/, or say whether they are up to date.

The schemas are made from the checker's own (source/editor_schemas.py); `--check` is for CI and tests: the
committed files must be exactly what this noticegen makes, so that an editor never checks against a schema
that says something else than `notice check`.
"""

from __future__ import annotations

from pathlib import Path

from noticegen.core.writer import write_if_changed
from noticegen.source.editor_schemas import SUFFIX, rendered


def outdated_schemas(folder: Path) -> list[str]:
    """What in `folder` differs from the schemas this noticegen makes: one line per file, empty when none."""
    problems = []
    for name, text in rendered().items():
        path = folder / name
        try:
            current = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(f"{path}: missing")
            continue
        except (OSError, UnicodeDecodeError) as failure:
            problems.append(f"{path}: cannot be read ({failure})")
            continue
        if current != text:
            problems.append(f"{path}: differs from what this noticegen makes")
    expected = set(rendered())
    for path in sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []:
        if path.name not in expected:
            problems.append(f"{path}: no longer made by this noticegen (delete it, and the header lines naming it)")
    return problems


def write_schemas(folder: Path) -> list[str]:
    """Write every schema into `folder` (each file whole, and only when it changed); returns the names written."""
    return [name for name, text in rendered().items() if write_if_changed(folder / name, text)]
