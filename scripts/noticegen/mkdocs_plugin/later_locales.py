"""`mkdocs serve`, after a save: the default locale served as soon as it is built, the other locales after it.

static-i18n builds the default locale, then every other locale in that build's on_post_build. Once the preview's
server runs, the locales are built one after the other in its process (a fork beside its threads is not safe:
forks.threads_running), so an edit reached the page only after every locale was built: 9 s for a notice of 10
locales and 20 versions. Now the build that follows a save ends with the default locale: the server serves it
and reloads the browsers, while a thread of ours builds the other locales, as the serial loop would, into the
same site folder, and then reloads the browsers again. A save that comes meanwhile stops that thread at its next
page (`SupersededError`), and its own build starts only once the thread has ended: two builds never run at once.

The second reload touches the server's epochs (`_rebuild_cond`, `_wanted_epoch`, `_visible_epoch`,
`_epoch_cond` of mkdocs.livereload.LiveReloadServer, MkDocs 1.6, pinned): a server without them builds every
locale before serving, as before (`LaterLocales.usable`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from importlib import import_module
from typing import Any

from mkdocs import utils

log = logging.getLogger("mkdocs.plugins.notice")

_SERVER_PARTS = ("builder", "_rebuild_cond", "_want_rebuild", "_wanted_epoch", "_visible_epoch", "_epoch_cond")


# What a stopped build says (MkDocs logs it after the page it stopped at).
STOP = "stopped for a newer save"


def _keep_the_site(folder: str) -> None:
    """MkDocs' clean_directory while the session runs: the site folder is left as the last build made it."""


class SupersededError(Exception):
    """A newer save is waiting to be built: the locales still being built from the older one stop."""


class LaterLocales:
    """The locale builds left after the default locale's, run in a thread while the server serves."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.thread: threading.Thread | None = None
        self.stopping = threading.Event()
        self.started_epoch: int | None = None
        self.clean_directory: Callable[[str], Any] | None = None

    @staticmethod
    def usable(server: Any) -> bool:
        return all(hasattr(server, part) for part in _SERVER_PARTS)

    def wrap_builder(self) -> None:
        """Every build the server starts first ends the thread of the build before it."""
        build = self.server.builder

        def builder(*args: Any, **kwargs: Any) -> Any:
            self.stop()
            return build(*args, **kwargs)

        self.server.builder = builder
        logging.getLogger("mkdocs.commands.build").addFilter(self)
        # A build empties the site folder first: the other locales' pages would be missing (404, and a warning
        # that stops a strict build in the thread) until the thread has made them again. Every build of the
        # session writes every page again instead, over the last ones.
        self.clean_directory = utils.clean_directory
        utils.clean_directory = _keep_the_site

    def close(self) -> None:
        """The end of the session: the thread ended, MkDocs' cleaning back."""
        self.stop()
        if self.clean_directory is not None:
            utils.clean_directory, self.clean_directory = self.clean_directory, None
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
        # The epoch of the build that hands the locales over: a build started after it changes it.
        self.started_epoch = self.server._wanted_epoch
        self.thread = threading.Thread(target=self._run, args=(work, locales), name="notice-later-locales", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop the thread at its next page, and wait until it has ended."""
        thread = self.thread
        if thread is None:
            return
        self.stopping.set()
        thread.join()
        self.thread = None

    def check(self) -> None:
        """Called at each page of every build: in the thread, stop once a newer save is waiting."""
        if self.stopping.is_set() and threading.current_thread() is self.thread:
            raise SupersededError(STOP)

    def _run(self, work: Callable[[], None], locales: list[str]) -> None:
        started = time.monotonic()
        try:
            work()
        except SupersededError:
            log.info(f"notice: a newer save came; building {', '.join(locales)} stopped")
            return
        except Exception:
            log.exception(f"notice: building {', '.join(locales)} after the first locale failed")
            return
        log.info(f"notice: built {', '.join(locales)} in {time.monotonic() - started:.1f} s after the first locale")
        self._reload_browsers()

    def _reload_browsers(self) -> None:
        """A new visible epoch, unless a newer build has started or is waiting: its own end reloads them."""
        server = self.server
        with server._rebuild_cond:
            if self.stopping.is_set() or server._want_rebuild or server._wanted_epoch != self.started_epoch:
                return
            with server._epoch_cond:
                epoch = max(round(time.monotonic() * 1000), server._wanted_epoch + 1)
                server._wanted_epoch = server._visible_epoch = epoch
                server._epoch_cond.notify_all()
        self.started_epoch = None


def warm_up_jieba() -> threading.Thread:
    """Load jieba's dictionary in a thread of its own while the server waits for the first save. The first build
    indexed the Chinese pages in forked processes, so this process has not loaded it; otherwise the thread above
    would, at its first Chinese page, for most of a second that no newer save can cut short."""

    def initialize() -> None:
        import_module("jieba").initialize()  # under jieba's own lock: a page that needs it meanwhile waits

    thread = threading.Thread(target=initialize, name="notice-jieba", daemon=True)
    thread.start()
    return thread
