"""The one place that writes files: whole files, atomically, so no half-written file is ever left."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, text: str) -> bool:
    """Write only when the content differs, so file watchers (mkdocs serve) see no change otherwise."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    write_atomically(path, text)
    return True


def sync_folder(folder: Path, files: dict[str, str]) -> list[str]:
    """Make `folder` hold exactly `files` (relative path -> text); returns the paths written.

    Unchanged files are left alone, so `mkdocs serve` does not rebuild in a loop; files that are
    no longer generated are removed, so a deleted page never lingers in the site.
    """
    written = [relative for relative, text in sorted(files.items()) if write_if_changed(folder / relative, text)]
    if folder.is_dir():
        for path in sorted(folder.rglob("*"), reverse=True):
            relative = path.relative_to(folder).as_posix()
            if path.name.startswith("."):
                continue  # the folder's own .gitignore, never a page
            if path.is_file() and relative not in files:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written
