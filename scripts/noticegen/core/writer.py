"""The one place that writes files: whole files, atomically, so no half-written file is ever left."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if isinstance(text, bytes):
            with os.fdopen(descriptor, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        # mkstemp creates the file 0600; the result must be readable as any other file the user writes
        # (a web server running as another user serves the site).
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~current_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def current_umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_if_changed(path: Path, text: str | bytes) -> bool:
    """Write only when the content differs, so file watchers (mkdocs serve) see no change otherwise."""
    try:
        if (path.read_bytes() if isinstance(text, bytes) else path.read_text(encoding="utf-8")) == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    write_atomically(path, text)
    return True


# The list of files sync_folder wrote into a folder: the only files it will ever change or delete there.
MANIFEST = ".noticegen-manifest"


class ForeignFileError(Exception):
    """A file that this tool did not write stands where it would write one."""


def sync_folder(folder: Path, files: dict[str, str]) -> list[str]:
    """Make `folder` hold `files` (relative path -> text) beside whatever else is in it; returns the paths written.

    Only files listed in the folder's manifest, which this function writes, are ever replaced or removed:
    a page a person put beside the generated ones is never touched, and a path that would overwrite one
    (or lead through a symbolic link) is refused before anything is written. Unchanged files are left
    alone, so `mkdocs serve` does not rebuild in a loop; files no longer generated are removed, so a
    withdrawn page never lingers in the site.
    """
    manifest = folder / MANIFEST
    owned = set(manifest.read_text(encoding="utf-8").splitlines()) if manifest.is_file() else set()
    refused = [relative for relative, text in sorted(files.items()) if _foreign(folder, relative, text, owned)]
    if refused:
        shown = ", ".join(str(folder / relative) for relative in refused[:5])
        more = f" and {len(refused) - 5} more" if len(refused) > 5 else ""
        raise ForeignFileError(
            f"{shown}{more} would be overwritten, but this tool did not write it (it is not in {manifest}): "
            "move it away, or choose another folder for the notice's pages"
        )
    written = [relative for relative, text in sorted(files.items()) if write_if_changed(folder / relative, text)]
    for relative in sorted(owned - files.keys(), reverse=True):
        path = folder / relative
        if _inside_without_links(folder, relative) and path.is_file():
            path.unlink()
            _remove_empty_parents(folder, path.parent)
    if files or owned:
        write_if_changed(manifest, manifest_text(files))
    return written


def manifest_text(files: dict[str, str]) -> str:
    """The manifest sync_folder writes for `files`."""
    return "".join(f"{relative}\n" for relative in sorted(files))


def _foreign(folder: Path, relative: str, text: str, owned: set[str]) -> bool:
    if not _inside_without_links(folder, relative):
        return True
    path = folder / relative
    if relative in owned or not path.exists():
        return False
    try:  # the same page written by an earlier version of this tool, before it kept a manifest
        return not path.is_file() or path.read_text(encoding="utf-8") != text
    except (OSError, UnicodeDecodeError):
        return True


def _inside_without_links(folder: Path, relative: str) -> bool:
    """Whether `relative` stays inside `folder` with no symbolic link on the way (never followed)."""
    if relative.startswith("/") or ".." in relative.split("/"):
        return False
    path = folder
    for part in relative.split("/"):
        path = path / part
        if path.is_symlink():
            return False
    return True


def _remove_empty_parents(folder: Path, directory: Path) -> None:
    while directory != folder and not directory.is_symlink() and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent
