"""`mkdocs serve`: a save heard at once from the operating system, MkDocs' polling kept for where that fails.

MkDocs 1.6 polls the files it watches every 0.5 s (watchdog's PollingObserver; it chose polling because the
operating system's notices are missed on some file systems: network shares, Windows drives under WSL). A save
then waited 0.25 s on average, and up to 0.5 s, before its build started: a quarter of the 2 s in which an edit
of a big notice is to be served (issue 16). `ListeningObserver` polls as MkDocs' observer does, and also
listens to the operating system's notices (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on
Windows) for the same paths and handlers. A change one of them reported is not reported again by the other,
which would build the same save twice: each skips a change when every file it names is in the state (size,
modification time, inode) recorded when it was last reported. Where the notices fail, the polling reports
every change, as before.

The server's observer (`observer`, and `_watched_paths` to watch again what it watched) is of
mkdocs.livereload.LiveReloadServer (MkDocs 1.6, pinned); a server without them keeps its own.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.plugins.notice")

# The notices asked for: those that say a file changed. The others (a file opened or closed, as every build
# reads the sources, the theme and the pages) say nothing about its text, and each notice is read by a thread
# of the server's Python: asked for too (inotify's full mask), they made a save of a big notice's build 1.4 s
# slower.
_CHANGES = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]
# What the polling compares a file by (watchdog's DirectorySnapshot): None for a file that is not there.
FileState = tuple[int, int, int] | None
# How many files' states are kept: every page the plugin writes passes through a temporary file of a new name,
# so a long session would keep more and more. Forgetting them all costs at most one save built twice.
REPORTED_KEPT = 20_000


def _state(path: str) -> FileState:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns, status.st_ino)


def _paths(event: FileSystemEvent) -> list[str]:
    return [os.fsdecode(path) for path in (event.src_path, getattr(event, "dest_path", "")) if path]


class _Reported(FileSystemEventHandler):
    """A watch's events, from the operating system's notices or from the polling, except a change the other
    reported already: one whose files are all in the state recorded when it was reported. Either may come
    first: the polling finds a file moved out of the folder before its notice arrives (watchdog holds a
    notice of a move out for 0.5 s, waiting for the move in that would pair with it, and the notices after it
    wait too)."""

    def __init__(self, handler: FileSystemEventHandler, reported: dict[str, FileState]) -> None:
        self.handler, self.reported = handler, reported

    def dispatch(self, event: FileSystemEvent) -> None:
        states = {path: _state(path) for path in _paths(event)}
        if all(path in self.reported and self.reported[path] == state for path, state in states.items()):
            return
        if len(self.reported) >= REPORTED_KEPT:
            self.reported.clear()
        self.reported.update(states)
        self.handler.dispatch(event)


class ListeningObserver(PollingObserver):
    """A PollingObserver that also listens to the operating system's notices, when it has them."""

    def __init__(self, timeout: float, listener: BaseObserver | None = None) -> None:
        super().__init__(timeout=timeout)
        self.listener = listener if listener is not None else Observer()
        self.listening = not isinstance(self.listener, PollingObserver)  # no notices: polling once is enough
        # For each watch, the state of each file when one of its two sources reported it last.
        self.reported: dict[ObservedWatch, dict[str, FileState]] = {}
        self.listened: dict[ObservedWatch, ObservedWatch] = {}

    def schedule(self, event_handler: FileSystemEventHandler, path: str, *, recursive: bool = False, **kw: Any):
        reported: dict[str, FileState] = {}
        watch = super().schedule(_Reported(event_handler, reported), path, recursive=recursive, **kw)
        self.reported[watch] = reported
        if self.listening:
            try:
                self.listened[watch] = self.listener.schedule(
                    _Reported(event_handler, reported), path, recursive=recursive, event_filter=_CHANGES
                )
            except OSError as refused:  # e.g. the limit of inotify watches reached: polled only
                log.info(f"notice: changes under {path} are found by polling only ({refused})")
        return watch

    def unschedule(self, watch: ObservedWatch) -> None:
        super().unschedule(watch)
        self.reported.pop(watch, None)
        listened = self.listened.pop(watch, None)
        if listened is not None:
            self.listener.unschedule(listened)

    def start(self) -> None:
        super().start()
        if self.listening:
            try:
                self.listener.start()
            except OSError as refused:  # e.g. a watched folder gone since: none of it listened to
                log.info(f"notice: changes are found by polling only ({refused})")
                self.listening = False
                self.listener.stop()  # the watches it had started

    def stop(self) -> None:
        super().stop()
        if self.listening:
            self.listener.stop()

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if self.listener.is_alive():
            self.listener.join(timeout)


def listen_for_changes(server: Any) -> bool:
    """Give the server an observer that listens as well as polls, watching what its own watched. False, and
    the server left as it was, for a server without the parts this uses or an observer already running."""
    observer = getattr(server, "observer", None)
    watched = getattr(server, "_watched_paths", None)
    if type(observer) is not PollingObserver or not isinstance(watched, dict) or observer.is_alive():
        return False
    watches = dict(watched)
    for path, count in watches.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = ListeningObserver(observer.timeout)
    for path, count in watches.items():
        for _ in range(count):
            server.watch(path)
    return True
