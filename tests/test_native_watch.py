"""`mkdocs serve` hears a save from the operating system as it happens, and MkDocs' polling, kept for where the
operating system says nothing, does not report it a second time (native_watch.py). End to end, with MkDocs'
server: tests/test_serve.py (each save is built once)."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from noticegen.mkdocs_plugin.native_watch import ListeningObserver, listen_for_changes

POLL = 0.05  # the tests' polling interval: a few polls pass in the waits below


class Changes(FileSystemEventHandler):
    """The file events a watch reports, each with the observer thread that reported it."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, threading.Thread]] = []

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self.seen.append((event.event_type, str(event.src_path), threading.current_thread()))

    def by(self, observer: threading.Thread) -> list[str]:
        return [kind for kind, _, thread in self.seen if thread is observer]


def wait_until(condition: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def polls() -> None:
    time.sleep(10 * POLL)


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[Callable[..., tuple[ListeningObserver, Changes]]]:
    started: list[ListeningObserver] = []

    def watch(folder: Path = tmp_path, poll: float = POLL, **kwargs: object) -> tuple[ListeningObserver, Changes]:
        observer, changes = ListeningObserver(poll, **kwargs), Changes()  # type: ignore[arg-type]
        observer.schedule(changes, str(folder), recursive=True)
        observer.start()
        started.append(observer)
        return observer, changes

    yield watch
    for observer in started:
        observer.stop()
        observer.join()


needs_notices = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="inotify, as on CI's Linux; other systems' notices differ in kind"
)


@needs_notices
def test_a_save_is_heard_before_the_next_poll(tmp_path: Path, watching) -> None:
    (tmp_path / "notice.yaml").write_text("title: Privacy\n", encoding="utf-8")
    observer, changes = watching(poll=600)  # the polling would find it in 10 minutes
    assert observer.listening
    (tmp_path / "notice.yaml").write_text("title: Our privacy notice\n", encoding="utf-8")
    assert wait_until(lambda: "modified" in changes.by(observer.listener))


@needs_notices
def test_a_save_is_reported_once_by_the_notices_or_the_polling_never_by_both(tmp_path: Path, watching) -> None:
    """Whichever finds it first (the notices, unless a poll comes within the moment they take), the other one
    does not report it again: that built the save twice."""
    (tmp_path / "notice.yaml").write_text("title: Privacy\n", encoding="utf-8")
    _, changes = watching()
    (tmp_path / "notice.yaml").write_text("title: Our privacy notice\n", encoding="utf-8")
    assert wait_until(lambda: changes.seen != [])
    polls()
    assert len({thread for _, _, thread in changes.seen}) == 1, changes.seen


@needs_notices
def test_a_file_moved_out_of_the_folder_and_written_anew_is_reported_once(tmp_path: Path, watching) -> None:
    """So saves an editor that keeps its backups in another folder. The polling finds the change first
    (watchdog holds the notice of a move out for 0.5 s, waiting for a move in to pair it with); the notices
    that come after it are not reported again, which built the save a second time."""
    (tmp_path / "locales").mkdir()
    (tmp_path / "backups").mkdir()
    page = tmp_path / "locales" / "notice.yaml"
    page.write_text("title: Privacy\n", encoding="utf-8")
    _, changes = watching(tmp_path / "locales")
    os.replace(page, tmp_path / "backups" / "notice.yaml~")
    page.write_text("title: Our privacy notice\n", encoding="utf-8")
    assert wait_until(lambda: changes.seen != [])
    time.sleep(1.0)  # past watchdog's hold of the move out
    assert len({thread for _, _, thread in changes.seen}) == 1, changes.seen


@needs_notices
def test_two_watches_of_the_same_folder_each_get_the_change(tmp_path: Path, watching) -> None:
    """The server watches docs_dir with the plugin's handler (own_writes.py) and may watch it again for a path
    of mkdocs.yml's `watch:`: what one watch reported is not withheld from the other."""
    observer, first = watching()
    second = Changes()
    observer.schedule(second, str(tmp_path), recursive=True)
    (tmp_path / "notice.yaml").write_text("title: Privacy\n", encoding="utf-8")
    assert wait_until(lambda: first.seen != [] and second.seen != [])


@needs_notices
def test_reading_a_file_is_not_a_change(tmp_path: Path, watching) -> None:
    (tmp_path / "notice.yaml").write_text("title: Privacy\n", encoding="utf-8")
    _, changes = watching()
    assert (tmp_path / "notice.yaml").read_text(encoding="utf-8") == "title: Privacy\n"  # as every build does
    polls()
    assert changes.seen == []


@needs_notices
def test_a_change_the_operating_system_missed_is_found_by_the_polling(tmp_path: Path, watching) -> None:
    page = tmp_path / "notice.yaml"
    page.write_text("title: Privacy\n", encoding="utf-8")
    observer, changes = watching()
    page.write_text("title: Our privacy notice\n", encoding="utf-8")
    assert wait_until(lambda: changes.seen != [])
    observer.listener.stop()  # from here on the operating system says nothing, as on a network share
    observer.listener.join()
    polled = len(changes.by(observer))
    page.write_text("title: Our notice\n", encoding="utf-8")
    assert wait_until(lambda: len(changes.by(observer)) > polled)


class RefusingObserver(Observer):
    """The operating system's notices, refused (e.g. the limit of inotify watches reached)."""

    def start(self) -> None:
        raise OSError(28, "inotify watch limit reached")


@pytest.mark.parametrize("listener", [RefusingObserver, PollingObserver], ids=["refused", "no-notices"])
def test_without_the_operating_system_s_notices_the_polling_reports_every_change(
    listener: type[Observer], tmp_path: Path, watching
) -> None:
    observer, changes = watching(listener=listener())
    assert not observer.listening
    assert not observer.listener.emitters  # a refused listener's watches are stopped
    (tmp_path / "notice.yaml").write_text("title: Privacy\n", encoding="utf-8")
    assert wait_until(lambda: "created" in changes.by(observer))


def test_the_server_watches_what_it_watched_with_an_observer_that_listens(tmp_path: Path) -> None:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Privacy\n", encoding="utf-8")
    server.watch(str(tmp_path / "docs"))
    server.watch(str(tmp_path / "docs"))
    server.watch(str(tmp_path / "mkdocs.yml"), recursive=False)
    watched = dict(server._watched_paths)
    assert listen_for_changes(server)
    assert isinstance(server.observer, ListeningObserver)
    assert server._watched_paths == watched
    assert set(server._watch_refs) == set(watched)
    assert set(server.observer.listened) == set(server._watch_refs.values())  # each heard as well as polled
    server.server_close()


def test_a_running_observer_or_another_kind_is_left_as_it_is(tmp_path: Path) -> None:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    observer = server.observer = ListeningObserver(POLL)
    assert not listen_for_changes(server)
    assert server.observer is observer
    server.observer = PollingObserver(timeout=POLL)
    server.observer.start()
    try:
        assert not listen_for_changes(server)
    finally:
        server.observer.stop()
        server.observer.join()
    server.server_close()


@needs_notices
def test_the_states_reported_are_kept_within_bounds(tmp_path: Path, watching, monkeypatch) -> None:
    """Each page the plugin writes passes through a temporary file of a new name: a long session must not keep
    every one of them."""
    monkeypatch.setattr("noticegen.mkdocs_plugin.native_watch.REPORTED_KEPT", 5)
    observer, changes = watching(poll=600)  # the notices alone report them
    for number in range(12):
        (tmp_path / f".page.{number}.tmp").write_text("<p>page</p>", encoding="utf-8")
    assert wait_until(lambda: sum(kind == "created" for kind in changes.by(observer.listener)) == 12)
    assert [len(states) <= 5 for states in observer.reported.values()] == [True]
