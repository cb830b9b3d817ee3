"""`mkdocs serve` rebuilds on a change to the files it watches, docs_dir among them: the plugin's own pages.

The plugin writes the Markdown pages into docs_dir at the start of the build that reads them; MkDocs' file
watcher then saw them change and built the whole site a second time, for nothing, after every save (and the
next save waited for it). `OwnWrites` keeps what the plugin last wrote there, and `watch_except_own_writes`
replaces the server's watch of docs_dir with one that ignores a change when the file now holds what the plugin
wrote (or was removed by it, or is one of its temporary files). Any other change, a page a person put beside
the generated ones included, rebuilds as before.

The watch uses `_watched_paths`, `_watch_refs`, `observer`, `_rebuild_cond` and `_want_rebuild` of
mkdocs.livereload.LiveReloadServer (MkDocs 1.6, pinned); a server without them keeps its own watch.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from noticegen.core.writer import MANIFEST, manifest_text

_SERVER_PARTS = ("_watched_paths", "_watch_refs", "observer", "_rebuild_cond", "_want_rebuild")
# core.writer's temporary files: `.<name>.<random>.tmp` beside the file they become.
_TEMPORARY = re.compile(r"^\..+\.tmp$")


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


class OwnWrites:
    """The files the plugin last wrote into docs_dir, with their text, and those it removed."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.removed: frozenset[str] = frozenset()

    def record(self, folder: Path, files: dict[str, str]) -> None:
        """`files` (path relative to `folder` -> text) are the pages sync_folder is to keep in `folder`, beside
        its manifest."""
        kept = {**files, MANIFEST: manifest_text(files)}
        texts = {os.path.abspath(folder / relative): text for relative, text in kept.items()}
        # Replaced whole, never changed in place: the watcher's thread reads them meanwhile.
        self.removed = frozenset((self.removed | self.texts.keys()) - texts.keys())
        self.texts = texts

    def wrote(self, path: str) -> bool:
        """Whether `path` is as the plugin left it."""
        if path in self.texts:
            return _read(path) == self.texts[path]
        if path in self.removed:
            return not os.path.lexists(path)
        return _TEMPORARY.match(os.path.basename(path)) is not None

    def wrote_all(self, event: FileSystemEvent) -> bool:
        paths = [event.src_path, getattr(event, "dest_path", "")]
        return all(self.wrote(os.fsdecode(path)) for path in paths if path)


def watch_except_own_writes(server: Any, folder: str, own: OwnWrites) -> bool:
    """Watch `folder` (which the server watches once) for changes that are not the plugin's own writes."""
    folder = os.path.abspath(folder)
    if not all(hasattr(server, part) for part in _SERVER_PARTS) or server._watched_paths.get(folder) != 1:
        return False
    server.unwatch(folder)

    def changed(event: FileSystemEvent) -> None:
        if event.is_directory or own.wrote_all(event):
            return
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    handler = FileSystemEventHandler()
    handler.on_any_event = changed  # type: ignore[method-assign]
    server._watched_paths[folder] = 1
    server._watch_refs[folder] = server.observer.schedule(handler, folder, recursive=True)
    return True
