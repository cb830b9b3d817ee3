"""`mkdocs serve`: each build's default locale served as soon as it is built, the other locales after it.

static-i18n builds the default locale, then every other locale in that build's on_post_build, and MkDocs'
server serves and reloads the browsers only once the whole build has returned: on a notice of 10 locales and 20
versions, an edit reached the page after 9 s, the first page after 15 s. Now, in the preview, a build ends
with the default locale: the server serves it (and reloads the browsers), while a thread of ours builds the
other locales, as static-i18n's serial loop would, into the same site folder, and then reloads the browsers
again. The server's builder is wrapped: a save that comes meanwhile stops that thread at its next event
(`SupersededError`), and its own build starts only once the thread has ended, so two builds never run at once.
The first build of a session hands its locales over too, before the server exists (`attach` comes after).

The second reload touches the server's epochs (`_rebuild_cond`, `_wanted_epoch`, `_visible_epoch`,
`_epoch_cond` of mkdocs.livereload.LiveReloadServer, MkDocs 1.6, pinned), and each served page gets its digest
(`_inject_js_into_html`) so that a page the second build left as it was is not reloaded: with a server without
them, the first build's thread is left to finish and every later build builds every locale before serving, as
before.
Decision record 0012.
"""

from __future__ import annotations

import hashlib
import logging
import os
import posixpath
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs import utils

from noticegen.core.writer import write_atomically

log = logging.getLogger("mkdocs.plugins.notice")

_SERVER_PARTS = (
    "builder",
    "_rebuild_cond",
    "_want_rebuild",
    "_wanted_epoch",
    "_visible_epoch",
    "_epoch_cond",
    "get_app",
    "set_app",
    "root",
    "mount_path",
    "_inject_js_into_html",
)


# What a stopped build says (MkDocs logs it after the page it stopped at).
STOP = "stopped for a newer save"
# How long the thread waits for the build that handed the locales over to return, when nothing says so
# (`mkdocs serve --no-livereload`, whose server is never attached).
OUTER_BUILD_WAIT = 2.0
# How long a request for a page not there yet waits for the thread (then the server answers as it would).
MISSING_PAGE_WAIT = 60.0


def _site_file(root: str, mount_path: str, path: str) -> str:
    """The file of the site folder a request's path names, as MkDocs' server finds it (a folder: its index)."""
    path = path.encode("latin-1", "ignore").decode("utf-8", "ignore")
    relative = path[len(mount_path) :] if (path + "/").startswith(mount_path) else path
    if path.endswith("/"):
        relative += "index.html"
    return os.path.join(root, posixpath.normpath("/" + relative).lstrip("/"))


def marked_with_its_digest(inject: Callable[[bytes, int], bytes]) -> Callable[[bytes, int], bytes]:
    """MkDocs' injection of its reload script into a served page, which also writes in the page's head the
    digest of the page as the build wrote it (`<meta name="notice-preview-page">`). The reload script
    (notice-livereload.js) compares the digest of the page it shows with the server's copy's: the second reload,
    after the other locales, leaves the default locale's pages as they are, and the page it shows may have been
    served after that reload already, so the epoch in the page cannot tell."""

    def inject_and_mark(content: bytes, epoch: int) -> bytes:
        page = inject(content, epoch)
        head_end = page.find(b"</head>")
        if head_end < 0:
            return page
        digest = hashlib.sha256(content).hexdigest()[:32].encode()
        return b'%b<meta name="notice-preview-page" content="%b">%b' % (page[:head_end], digest, page[head_end:])

    return inject_and_mark


def _keep_the_site(folder: str) -> None:
    """MkDocs' clean_directory while the session runs: the site folder is left as the last build made it."""


def _write_whole(content: bytes, output_path: str) -> None:
    """MkDocs' write_file while the session runs: the server serves the pages the thread is writing, and a
    page written in place could be sent half written; replaced whole, it is sent as it was or as it is."""
    write_atomically(Path(output_path), content)


def _not_a_request(record: logging.LogRecord) -> bool:
    return record.name != "mkdocs.livereload"


def count_no_requests() -> None:
    """The server logs a request it cannot answer (a 404) as a warning, which a strict build running meanwhile
    counted as its own and stopped on: a page of a locale not built yet, asked for while the thread builds it,
    stopped the thread. A build's warnings are its own; the server's requests are not counted (the terminal
    still shows them). Called at every build's start, once MkDocs has set up its counter."""
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, utils.CountHandler):
            handler.addFilter(_not_a_request)


class SupersededError(Exception):
    """A newer save is waiting to be built: the locales still being built from the older one stop."""


class LaterLocales:
    """The locale builds left after the default locale's, run in a thread while the server serves.

    Made when `mkdocs serve` starts (the first build hands its other locales over too, so the first page is
    served before they are built), then attached to the server once it exists (`attach`)."""

    def __init__(self) -> None:
        self.server: Any = None
        self.thread: threading.Thread | None = None
        self.stopping = threading.Event()
        self.started_epoch: int | None = None
        # MkDocs' own, while the session has replaced them (from the first hand-over on).
        self.clean_directory: Callable[[str], Any] | None = None
        self.write_file: Callable[[bytes, str], Any] | None = None
        # Set once the build that handed the locales over has returned (`build_returned`).
        self.handed_over_by_a_finished_build = threading.Event()
        self.stopped_because = "a newer save came"

    @staticmethod
    def usable(server: Any) -> bool:
        return all(hasattr(server, part) for part in _SERVER_PARTS)

    def attach(self, server: Any) -> bool:
        """Every build the server starts first ends the thread of the build before it; the thread reloads the
        browsers when it is done. False, and the session ended here, for a server without the parts it uses."""
        if not self.usable(server):
            self.finish()
            self.close()
            return False
        build = server.builder

        def builder(*args: Any, **kwargs: Any) -> Any:
            self.stop()
            try:
                return build(*args, **kwargs)
            finally:
                self.build_returned()

        server.builder = builder
        server.set_app(self.waiting_for_missing_pages(server.get_app(), server.root, server.mount_path))
        server._inject_js_into_html = marked_with_its_digest(server._inject_js_into_html)
        # The first build's thread may still run: its end reloads the browsers unless a build came meanwhile.
        self.started_epoch = server._wanted_epoch
        self.server = server  # last: the thread reads the epoch above once it sees a server
        self.build_returned()  # the first build, which MkDocs ran before making the server
        return True

    def waiting_for_missing_pages(self, app: Callable[..., Any], root: str, mount_path: str) -> Callable[..., Any]:
        """The server's WSGI application, except that a request for a page the site folder does not have while
        the thread runs waits for the thread first: the pages of the locales after the first are not there
        until the first build's thread has made them, and a 404 then (its page has no reload, and sends a reader
        under /zh/ to zh/404.html) would stay on screen."""

        def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            thread, path = self.thread, environ.get("PATH_INFO", "")
            # The reload's own requests (/livereload/…) are never held: they say when a build is done.
            held = thread is not None and not path.startswith("/livereload/")
            if held and not os.path.exists(_site_file(root, mount_path, path)):
                thread.join(MISSING_PAGE_WAIT)
            return app(environ, start_response)

        return serve

    def keeps_site(self) -> bool:
        """Whether the builds leave the site folder as the last one made it (from the first hand-over on)."""
        return self.clean_directory is not None

    def build_returned(self) -> None:
        """The build that handed the locales over has returned: the thread may start them."""
        self.handed_over_by_a_finished_build.set()

    def close(self) -> None:
        """The end of the session: the thread stopped, MkDocs' cleaning back."""
        self.stopped_because = "the server stops"
        self.stop()
        if self.clean_directory is not None and self.write_file is not None:
            utils.clean_directory, utils.write_file = self.clean_directory, self.write_file
            self.clean_directory = self.write_file = None
        logging.getLogger("mkdocs.commands.build").removeFilter(self)

    def filter(self, record: logging.LogRecord) -> bool:
        """MkDocs logs the page at which the thread stopped as an error ("Error reading page …:"): a stop is
        not one, and must not count as one in a strict build."""
        thread = self.thread
        if thread is None or record.thread != thread.ident:
            return True
        message = record.getMessage()
        return not (message.startswith(("Error reading page", "Error building page")) and message.endswith(STOP))

    def start(self, work: Callable[[], None], locales: list[str]) -> None:
        """Run `work` (the builds of `locales`) in a thread, and reload the browsers once it is done."""
        self.stop()
        self.stopping.clear()
        self.handed_over_by_a_finished_build.clear()
        logging.getLogger("mkdocs.commands.build").addFilter(self)  # once: a logger keeps a filter once
        if self.clean_directory is None:
            # A build empties the site folder first: the other locales' pages would be missing (404, and a
            # warning that stops a strict build in the thread) until the thread has made them again. From the
            # first hand-over on, every build writes every page again instead, over the last ones, each whole.
            self.clean_directory, self.write_file = utils.clean_directory, utils.write_file
            utils.clean_directory, utils.write_file = _keep_the_site, _write_whole
        # The epoch of the build that hands the locales over: a build started after it changes it.
        self.started_epoch = self.server._wanted_epoch if self.server is not None else None
        self.thread = threading.Thread(target=self._run, args=(work, locales), name="notice-later-locales", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop the thread at its next page, and wait until it has ended."""
        self.stopping.set()
        self.finish()

    def finish(self) -> None:
        """Wait until the thread has ended."""
        thread = self.thread
        if thread is not None:
            thread.join()
        self.thread = None

    def check(self) -> None:
        """Called at each page of every build: in the thread, stop once a newer save is waiting."""
        if self.stopping.is_set() and threading.current_thread() is self.thread:
            raise SupersededError(STOP)

    def _run(self, work: Callable[[], None], locales: list[str]) -> None:
        started = time.monotonic()
        try:
            self._wait_for_the_build_that_handed_over()
            work()
        except SupersededError:
            log.info(f"notice: {self.stopped_because}; building {', '.join(locales)} stopped")
            return
        except Exception:
            log.exception(f"notice: building {', '.join(locales)} after the first locale failed")
            return
        log.info(f"notice: built {', '.join(locales)} in {time.monotonic() - started:.1f} s after the first locale")
        self._reload_browsers()

    def _wait_for_the_build_that_handed_over(self) -> None:
        """The locale builds start once the build that handed them over has returned (its strict check done):
        until then, a warning of theirs would count as that build's, and the log filter static-i18n's loop puts
        on MkDocs' build logger would hide its "Documentation built in" line."""
        deadline = time.monotonic() + OUTER_BUILD_WAIT
        while not self.handed_over_by_a_finished_build.wait(0.02):
            self.check()
            if time.monotonic() > deadline:
                return

    def _reload_browsers(self) -> None:
        """A new visible epoch, unless a newer build has started or is waiting: its own end reloads them."""
        server = self.server
        if server is None:  # not serving yet: the first page asked for will be the one built
            return
        with server._rebuild_cond:
            if self.stopping.is_set() or server._want_rebuild or server._wanted_epoch != self.started_epoch:
                return
            with server._epoch_cond:
                epoch = max(round(time.monotonic() * 1000), server._wanted_epoch + 1)
                server._wanted_epoch = server._visible_epoch = epoch
                server._epoch_cond.notify_all()
