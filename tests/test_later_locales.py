"""`mkdocs serve` after a save: the other locales built in a thread after the first is served, stopped by the next
save, and the browsers reloaded once they are built (later_locales.py); the server's watch of docs_dir ignores
the plugin's own pages (own_writes.py). The same behaviour end to end: tests/test_serve.py."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileDeletedEvent, FileModifiedEvent, FileMovedEvent

from noticegen.core.writer import sync_folder
from noticegen.mkdocs_plugin.later_locales import STOP, LaterLocales, SupersededError, count_no_requests
from noticegen.mkdocs_plugin.own_writes import OwnWrites, watch_except_own_writes


class FakeServer:
    """The parts of mkdocs.livereload.LiveReloadServer the preview uses."""

    def __init__(self) -> None:
        self.builds = 0
        self.builder = self.build
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False
        self._wanted_epoch = self._visible_epoch = 1000
        self._epoch_cond = threading.Condition()
        self._watched_paths: dict[str, int] = {}
        self._watch_refs: dict[str, object] = {}
        self.observer = FakeObserver()
        self.root, self.mount_path = "/nonexistent-site", "/privacy/"
        self.application = self.answer

    def answer(self, environ: dict[str, str], start_response: object) -> str:
        return f"served {environ['PATH_INFO']}"

    def get_app(self) -> object:
        return self.application

    def set_app(self, application: object) -> None:
        self.application = application

    def build(self) -> None:
        self.builds += 1

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        return LiveReloadServer._inject_js_into_html(self, content, epoch)  # MkDocs' own

    def unwatch(self, path: str) -> None:
        self._watched_paths.pop(path)
        self.observer.unschedule(self._watch_refs.pop(path))


class FakeObserver:
    def __init__(self) -> None:
        self.handlers: dict[str, object] = {}

    def schedule(self, handler: object, path: str, recursive: bool) -> str:
        self.handlers[path] = handler
        return path

    def unschedule(self, reference: str) -> None:
        self.handlers.pop(reference)


MakeLater = Callable[[FakeServer], LaterLocales]


@pytest.fixture
def later_for() -> Iterator[MakeLater]:
    """A session's LaterLocales for a server, closed (MkDocs' cleaning put back) after the test."""
    made: list[LaterLocales] = []

    def make(server: FakeServer) -> LaterLocales:
        later = LaterLocales()
        assert later.attach(server)
        made.append(later)
        return later

    yield make
    for later in made:
        later.close()


def test_the_next_save_stops_the_locales_still_being_built_at_their_next_page_before_its_own_build(
    later_for: MakeLater,
) -> None:
    server = FakeServer()
    later = later_for(server)
    pages, started, outcome = [], threading.Event(), []

    def locales() -> None:
        started.set()
        deadline = time.monotonic() + 10  # a thread that never stops ends here, and the test fails
        try:
            while time.monotonic() < deadline:
                later.check()  # what every page of a locale's build calls (ParallelI18n.stop_if_superseded)
                pages.append("page")
                time.sleep(0.001)
        except SupersededError:
            outcome.append("stopped")
            raise

    later.start(locales, ["fr"])

    later.build_returned()  # what the server's builder says once the build returned
    assert started.wait(10)
    server.builder()  # the server's build for the next save
    assert outcome == ["stopped"]
    assert server.builds == 1
    assert later.thread is None
    assert (server._wanted_epoch, server._visible_epoch) == (1000, 1000)  # no reload for what was stopped


def test_the_browsers_reload_once_the_other_locales_are_built(later_for: MakeLater) -> None:
    server = FakeServer()
    later = later_for(server)
    later.start(lambda: None, ["fr"])
    later.build_returned()  # what the server's builder says once the build returned
    assert later.thread is not None
    later.thread.join(10)
    assert server._visible_epoch == server._wanted_epoch > 1000


@pytest.mark.parametrize("newer", ["a save waits", "a build started"])
def test_no_reload_from_the_thread_once_a_newer_build_is_waiting_or_running(newer: str, later_for: MakeLater) -> None:
    server = FakeServer()
    later = later_for(server)

    def locales() -> None:
        with server._rebuild_cond:
            if newer == "a save waits":
                server._want_rebuild = True
            else:
                server._wanted_epoch = 2000
                server._visible_epoch = 1000

    later.start(locales, ["fr"])

    later.build_returned()  # what the server's builder says once the build returned
    assert later.thread is not None
    later.thread.join(10)
    assert server._visible_epoch == 1000  # that build's end reloads them, with what it built


def test_the_locales_wait_until_the_build_that_handed_them_over_has_returned(later_for: MakeLater) -> None:
    """Until then a warning of theirs would count in that build's strict check."""
    later = later_for(FakeServer())
    built: list[str] = []
    later.start(lambda: built.append("zh"), ["zh"])
    time.sleep(0.3)
    assert built == []
    later.build_returned()
    later.finish()
    assert built == ["zh"]


def test_a_page_not_there_yet_waits_for_the_thread_and_the_reload_s_own_requests_never_do(
    tmp_path: Path, later_for: MakeLater
) -> None:
    """The first build's thread makes the pages of the locales after the first: asked for meanwhile, such a page
    is served once it is there, not answered with a 404 page that would stay on screen."""
    server = FakeServer()
    server.root = str(tmp_path)
    (tmp_path / "index.html").write_text("<p>en</p>", encoding="utf-8")
    later = later_for(server)
    go_on, answers = threading.Event(), []

    def zh_locale() -> None:
        go_on.wait(10)
        (tmp_path / "zh").mkdir()
        (tmp_path / "zh" / "index.html").write_text("<p>zh</p>", encoding="utf-8")

    later.start(zh_locale, ["zh"])
    later.build_returned()
    assert server.application({"PATH_INFO": "/privacy/"}, None) == "served /privacy/"  # there: not held
    assert server.application({"PATH_INFO": "/livereload/1/2"}, None) == "served /livereload/1/2"

    def ask() -> None:
        answer = server.application({"PATH_INFO": "/privacy/zh/"}, None)
        answers.append((answer, (tmp_path / "zh").is_dir()))

    asking = threading.Thread(target=ask)
    asking.start()
    time.sleep(0.2)
    assert answers == []  # held while the thread makes it
    go_on.set()
    asking.join(10)
    assert answers == [("served /privacy/zh/", True)]


def test_a_stop_is_only_for_the_thread_a_build_in_the_server_s_own_thread_goes_on(later_for: MakeLater) -> None:
    later = later_for(FakeServer())
    later.stopping.set()
    later.check()  # no SupersededError outside the thread


def test_the_page_at_which_the_thread_stopped_is_not_logged_as_an_error(later_for: MakeLater) -> None:
    later = later_for(FakeServer())
    logger = logging.getLogger("mkdocs.commands.build")
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    keep = Keep()
    logger.addHandler(keep)
    try:

        def locales() -> None:
            later.stopping.set()
            logger.error(f"Error reading page 'fr/index.md': {STOP}")
            logger.error(f"Error building page 'fr/index.md': {STOP}")
            logger.error("Error reading page 'fr/index.md': a real problem")

        later.start(locales, ["fr"])

        later.build_returned()  # what the server's builder says once the build returned
        assert later.thread is not None
        later.thread.join(10)
        logger.error(f"Error reading page 'index.md': {STOP}")  # the server's own build: not ours to hide
    finally:
        logger.removeHandler(keep)
    assert seen == [
        "Error reading page 'fr/index.md': a real problem",
        f"Error reading page 'index.md': {STOP}",
    ]


def test_from_the_first_hand_over_on_the_builds_leave_the_site_folder_as_the_last_build_made_it(
    tmp_path: Path, later_for: MakeLater
) -> None:
    """Each build writes every page again; emptying the folder first left the other locales missing (404)
    until the thread had built them. After the session, MkDocs empties it again."""
    from mkdocs import utils

    (tmp_path / "zh").mkdir()
    (tmp_path / "zh" / "index.html").write_text("<p>zh</p>", encoding="utf-8")
    later = later_for(FakeServer())
    try:
        later.start(lambda: None, ["zh"])
        later.build_returned()  # what the server's builder says once the build returned
        later.finish()
        utils.clean_directory(str(tmp_path))
        assert (tmp_path / "zh" / "index.html").is_file()
    finally:
        later.close()
    utils.clean_directory(str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_while_the_session_runs_a_page_is_replaced_whole_never_written_in_place(
    tmp_path: Path, later_for: MakeLater
) -> None:
    """The server serves the pages the thread is writing: a request during a write gets the page as it was or
    as it is, never half of it. After the session, MkDocs writes as it does."""
    from mkdocs import utils

    page = tmp_path / "zh" / "index.html"
    page.parent.mkdir()
    page.write_bytes(b"<p>before</p>")
    later = later_for(FakeServer())
    try:
        later.start(lambda: None, ["zh"])
        later.build_returned()
        later.finish()
        with page.open("rb") as served_meanwhile:
            utils.write_file(b"<p>after</p>", str(page))
            assert served_meanwhile.read() == b"<p>before</p>"  # in place, it would read "" or "<p>after</p>"
        assert page.read_bytes() == b"<p>after</p>"
        assert sorted(path.name for path in page.parent.iterdir()) == ["index.html"]
    finally:
        later.close()
    with page.open("rb") as served_meanwhile:
        utils.write_file(b"<p>later</p>", str(page))
        assert served_meanwhile.read() == b"<p>later</p>"  # MkDocs' own write, in place


def test_the_first_build_s_locales_reload_the_browsers_once_the_server_serves(later_for: MakeLater) -> None:
    """`mkdocs serve` hands the first build's other locales over before its server exists."""
    later = LaterLocales()
    try:
        go_on = threading.Event()
        later.start(lambda: go_on.wait(10) and None, ["zh"])  # the first build: no server yet
        later.build_returned()  # what the server's builder says once the build returned
        server = FakeServer()
        assert later.attach(server)
        go_on.set()
        later.finish()
    finally:
        later.close()
    assert server._visible_epoch == server._wanted_epoch > 1000


def test_a_served_page_carries_the_digest_of_the_page_as_built_whatever_the_build_that_serves_it(
    later_for: MakeLater,
) -> None:
    """The page's reload script reloads only when the digest of the server's copy differs from its own."""
    server = FakeServer()
    later_for(server)
    page = b"<html><head><title>Notice</title></head><body><h1>Notice</h1></body></html>"
    first, second = server._inject_js_into_html(page, 1001), server._inject_js_into_html(page, 1002)
    digest = re.compile(rb'<title>Notice</title><meta name="notice-preview-page" content="([0-9a-f]{32})"></head>')
    assert b"livereload(1001, " in first and b"livereload(1002, " in second  # MkDocs' reload call is kept
    assert digest.search(first)[1] == digest.search(second)[1]
    edited = server._inject_js_into_html(page.replace(b"<h1>Notice", b"<h1>Our notice"), 1003)
    assert digest.search(edited)[1] != digest.search(first)[1]
    assert b"notice-preview-page" not in server._inject_js_into_html(b"plain text", 1004)


def test_a_server_without_the_expected_parts_keeps_building_every_locale_before_it_serves() -> None:
    """The first build's thread is left to finish, not stopped halfway, and the session ends there."""
    later = LaterLocales()
    built: list[str] = []
    later.start(lambda: time.sleep(0.2) or built.append("zh"), ["zh"])
    later.build_returned()  # what the server's builder says once the build returned
    assert LaterLocales.usable(FakeServer())
    assert not later.attach(object())
    assert built == ["zh"]
    assert later.thread is None and later.clean_directory is None


# own_writes.py


def watched(folder: Path) -> tuple[FakeServer, OwnWrites, object]:
    server = FakeServer()
    server._watched_paths[str(folder)] = 1
    server._watch_refs[str(folder)] = server.observer.schedule(object(), str(folder), True)
    own = OwnWrites()
    assert watch_except_own_writes(server, str(folder), own)
    return server, own, server.observer.handlers[str(folder)]


def test_the_plugin_s_own_pages_written_as_recorded_do_not_rebuild(tmp_path: Path) -> None:
    server, own, handler = watched(tmp_path)
    pages = {"index.md": "# Notice\n", "zh/index.md": "# 通知\n"}
    own.record(tmp_path, pages)
    sync_folder(tmp_path, pages)
    for relative in pages:
        handler.on_any_event(FileModifiedEvent(str(tmp_path / relative)))
    handler.on_any_event(FileMovedEvent(str(tmp_path / ".index.md.x1y2.tmp"), str(tmp_path / "index.md")))
    handler.on_any_event(FileModifiedEvent(str(tmp_path / ".noticegen-manifest")))
    assert server._want_rebuild is False


def test_a_page_withdrawn_by_the_plugin_does_not_rebuild_and_any_other_change_does(tmp_path: Path) -> None:
    server, own, handler = watched(tmp_path)
    own.record(tmp_path, {"index.md": "# Notice\n", "old.md": "# Old\n"})
    own.record(tmp_path, {"index.md": "# Notice\n"})
    handler.on_any_event(FileDeletedEvent(str(tmp_path / "old.md")))
    assert server._want_rebuild is False
    (tmp_path / "index.md").write_text("# Notice, edited by hand\n", encoding="utf-8")
    handler.on_any_event(FileModifiedEvent(str(tmp_path / "index.md")))
    assert server._want_rebuild is True


def test_a_page_a_person_put_beside_the_generated_ones_rebuilds(tmp_path: Path) -> None:
    server, own, handler = watched(tmp_path)
    own.record(tmp_path, {"index.md": "# Notice\n"})
    (tmp_path / "about.md").write_text("# About\n", encoding="utf-8")
    handler.on_any_event(FileModifiedEvent(str(tmp_path / "about.md")))
    assert server._want_rebuild is True


def test_a_folder_the_server_does_not_watch_once_is_left_to_the_server(tmp_path: Path) -> None:
    server = FakeServer()
    assert not watch_except_own_writes(server, str(tmp_path), OwnWrites())
    assert server.observer.handlers == {}


def test_a_request_the_server_cannot_answer_is_not_a_warning_of_the_build_running_meanwhile() -> None:
    """A page of a locale the thread has not built yet is a 404, which the server logs as a warning: a strict
    build counted it as its own and stopped. The build's own warnings still count."""
    from mkdocs import utils

    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(counter)
    try:
        count_no_requests()
        logging.getLogger("mkdocs.livereload").warning('"GET /privacy/zh/ HTTP/1.1" code 404')
        assert counter.get_counts() == []
        logging.getLogger("mkdocs.plugins.notice").warning("a warning of the build")
        assert counter.get_counts() == [("WARNING", 1)]
    finally:
        mkdocs_logger.removeHandler(counter)
