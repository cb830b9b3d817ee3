"""The locales of a site built side by side, in forked processes, with the same files as one after the other.

mkdocs-static-i18n builds the default locale, then, in that build's on_post_build, every other locale in turn
(a nested `mkdocs.commands.build.build` each, into the same site folder). `ParallelI18n` starts those nested
builds in forked copies of the process instead, `jobs` at a time (each as the first locale's build left
things, as the serial loop starts the first of them), and then does here what the serial loop's state would
have done: it replays each locale's log in locale order, raises the first locale's error, gathers the search
entries, and writes the one sitemap, which lists every locale's pages, once every locale is built.

What the locale builds write in common at the site's root (the theme's files, the default 404 page) is the
same in every one of them; what differs (the sitemap, the combined search index) is written again here once
they are done, as the last locale's build and static-i18n's end of build would. tests/test_locale_builds.py
builds sites serially and side by side and compares every byte.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mkdocs_static_i18n
from mkdocs import plugins, utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs_static_i18n.plugin import I18n
from mkdocs_static_i18n.utils import I18nLoggingFilter

from noticegen.mkdocs_plugin.forks import can_fork, run_forked, threads_running
from noticegen.mkdocs_plugin.later_locales import LaterLocales

log = logging.getLogger("mkdocs.plugins.notice")

# The sitemap template static-i18n installs (one <url> per page of every locale, with its alternates):
# the only one whose input this module knows how to bring back from the locale builds.
I18N_SITEMAP = Path(mkdocs_static_i18n.__file__).parent / "custom_i18n_sitemap"


@dataclass
class SitemapPage:
    """What static-i18n's sitemap template reads of a page."""

    is_link: bool
    canonical_url: str | None
    abs_url: str | None
    update_date: str | None


@dataclass
class SitemapFile:
    """What static-i18n's sitemap template reads of a file: its URL, its page and its alternates."""

    url: str
    page: SitemapPage | None
    alternates: dict[str, SitemapFile] = field(default_factory=dict)

    @classmethod
    def of(cls, file: Any, alternates: bool = True) -> SitemapFile:
        page = file.page
        seen = (
            SitemapPage(
                bool(getattr(page, "is_link", False)),
                getattr(page, "canonical_url", None),
                getattr(page, "abs_url", None),
                getattr(page, "update_date", None),
            )
            if page is not None
            else None
        )
        others = {code: cls.of(other, False) for code, other in file.alternates.items()} if alternates else {}
        return cls(file.url, seen, others)


@dataclass
class LocaleBuilt:
    """What a locale's build leaves that the build which waits for it needs."""

    search_entries: list[Any]
    sitemap_files: list[SitemapFile]


class ParallelI18n(I18n):
    """mkdocs-static-i18n, its other locales built `jobs` at a time (the notice plugin sets `jobs`)."""

    jobs = 1
    # Whether a locale build that fails leaves the site folder as the build found it after cleaning it
    # (empty), rather than with the locales built so far: not in `mkdocs serve`, which shows its errors.
    clean_on_failure = True
    # Whether the locales are built one after the other while the process runs other threads (mkdocs serve's
    # server, once it serves: forks.threads_running).
    only_without_threads = False
    # In `mkdocs serve`: the other locales built in a thread once the first is built (None: built here).
    later: LaterLocales | None = None
    # What the end of the build that hands the other locales over did after static-i18n's loop, done again
    # after the thread's loop (the notice plugin's default search index, which static-i18n's loop replaces).
    after_later_locales: Callable[[], None] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The first locale's build's theme environment, files and navigation, to write the sitemap with.
        self.outer_env: Any = None
        self.outer_files: Any = None
        self.outer_nav: Any = None
        # The other locales' builds, kept for `_hand_over` (later_locales' thread).
        self.handed_over: tuple[Callable[[], None], list[str]] | None = None

    def stop_if_superseded(self) -> None:
        """In later_locales' thread, once a newer save waits: stop at the next event of a locale's build."""
        if self.later is not None:
            self.later.check()

    @plugins.event_priority(-100)  # as static-i18n's own
    def on_config(self, config: MkDocsConfig) -> Any:
        self.stop_if_superseded()
        return super().on_config(config)

    @plugins.event_priority(-100)
    def on_nav(self, nav: Any, config: MkDocsConfig, files: Any) -> Any:
        self.stop_if_superseded()
        nav = super().on_nav(nav, config, files)
        if not self.building:
            self.outer_nav = nav
        return nav

    def on_env(self, env: Any, config: MkDocsConfig, files: Any) -> Any:
        self.stop_if_superseded()
        if not self.building:
            self.outer_env, self.outer_files = env, files
        return super().on_env(env, config, files)

    def reconfigure_files_alternates(
        self,
        i18n_src_uris: dict[str, Any],
        i18n_alternate_src_uris: dict[str, list[Any]],
        mkdocs_config: MkDocsConfig,
        create_i18n_file: Callable[..., Any],
    ) -> None:
        """static-i18n's own, with the same alternates, in the same order, made the same way: it makes every
        candidate file anew for every language until one is in that language (cubic in the languages, once
        per locale build). A file's locale depends on its path only, so each candidate's is found once."""
        languages = (self.default_language, self.all_languages, mkdocs_config)
        located: dict[str, list[tuple[Any, str]]] = {}

        def candidates(src_uri: str) -> list[tuple[Any, str]]:
            if src_uri not in located:
                files = i18n_alternate_src_uris.get(src_uri, [])
                made = [create_i18n_file(file, self.default_language, *languages) for file in files]
                located[src_uri] = [(file, alternate.locale) for file, alternate in zip(files, made, strict=True)]
            return located[src_uri]

        for build_lang in sorted(self.build_languages):
            for src_uri, i18n_file in i18n_src_uris.items():
                if build_lang in i18n_file.alternates:
                    continue
                found = next((file for file, locale in candidates(src_uri) if locale == build_lang), None)
                if found is not None:
                    i18n_file.alternates[build_lang] = create_i18n_file(found, build_lang, *languages)
                elif self.config.fallback_to_default is True:
                    default = next(
                        (file for file, locale in candidates(src_uri) if locale == self.default_language), None
                    )
                    alternate = create_i18n_file(default if default is not None else i18n_file, build_lang, *languages)
                    if alternate.locale == self.default_language:
                        i18n_file.alternates[build_lang] = alternate

    def side_by_side(self, config: MkDocsConfig, others: list[str]) -> bool:
        """Whether the other locales can be built in forked processes with the serial loop's result."""
        if self.building or self.jobs < 2 or not others or not can_fork() or self.outer_env is None:
            return False
        if self.only_without_threads and threads_running():
            return False
        if config.plugins.get("with-pdf") is not None:  # static-i18n drives it between its locale builds
            return False
        try:
            sitemap = Path(self.outer_env.get_template("sitemap.xml").filename or "")
        except Exception:  # no sitemap template, or another one: the serial loop writes it
            return False
        return sitemap.parent == I18N_SITEMAP

    @plugins.event_priority(-100)
    def _other_locales(self, config: MkDocsConfig) -> None:
        others = [locale for locale in self.build_languages if locale != self.current_language]
        if self.building:  # a locale build's own end: static-i18n keeps its search entries
            return super().on_post_build(config)
        clean_directory = utils.clean_directory
        if self.later is not None and others:
            self.handed_over = (functools.partial(self.build_serially, config), others)
            return None
        try:
            if self.side_by_side(config, others):
                log.info(f"notice: building {', '.join(others)} side by side, {self.jobs} at a time")
                self.build_side_by_side(config, others)
            else:
                super().on_post_build(config)
        except BaseException:
            self.restore_after_failure(clean_directory)
            if self.clean_on_failure:
                # No partial site: a site with some locales is not one to publish (the first build emptied
                # the folder as MkDocs does, and nothing in it is older than this build).
                clean_directory(config.site_dir)
            raise

    @plugins.event_priority(-1000)
    def _hand_over(self, config: MkDocsConfig) -> None:
        """The other locales handed to later_locales' thread once every other end-of-build event has run: they
        read and change what the thread's locale builds change too (static-i18n's current language, the notice
        plugin's search entries)."""
        if self.building or self.handed_over is None:
            return
        (work, others), self.handed_over = self.handed_over, None
        assert self.later is not None
        self.later.start(work, others)

    on_post_build = plugins.CombinedEvent(_other_locales, _hand_over)

    def build_serially(self, config: MkDocsConfig) -> None:
        """static-i18n's loop over the other locales (in later_locales' thread), then what came after it in the
        build that handed them over (`after_later_locales`)."""
        clean_directory = utils.clean_directory
        try:
            super().on_post_build(config)
        except BaseException:
            self.restore_after_failure(clean_directory)
            raise
        if self.after_later_locales is not None:
            self.after_later_locales()

    def restore_after_failure(self, clean_directory: Callable[[str], Any]) -> None:
        """static-i18n's loop, stopped by an error, leaves MkDocs' cleaning switched off, its log filter on the
        build's logger and itself building."""
        utils.clean_directory, self.building = clean_directory, False
        build_logger = logging.getLogger("mkdocs.commands.build")
        for stale in [each for each in build_logger.filters if isinstance(each, I18nLoggingFilter)]:
            build_logger.removeFilter(stale)

    @plugins.event_priority(-100)  # as static-i18n's own
    def on_files(self, files: Any, config: MkDocsConfig) -> Any:
        self.stop_if_superseded()
        return super().on_files(files, config)

    def on_pre_page(self, page: Any, config: MkDocsConfig, files: Any) -> Any:
        self.stop_if_superseded()
        return page

    @plugins.event_priority(50)  # as static-i18n's own
    def on_page_context(self, context: Any, page: Any, config: MkDocsConfig, nav: Any) -> Any:
        self.stop_if_superseded()
        return super().on_page_context(context, page, config, nav)

    def build_side_by_side(self, config: MkDocsConfig, others: list[str]) -> None:
        self.extend_search_entries(config)
        self.building = True
        # As static-i18n does: no "Documentation built in" line per locale, and the site folder (made
        # empty by the first build) is not emptied by the others.
        build_logger = logging.getLogger("mkdocs.commands.build")
        i18n_filter = I18nLoggingFilter()
        i18n_filter.filtered_prefixes.add("Documentation built in")
        i18n_filter.filtered_prefixes.add("Building documentation to directory")
        build_logger.addFilter(i18n_filter)
        clean_directory = utils.clean_directory
        utils.clean_directory = lambda folder: folder
        try:
            tasks = [functools.partial(self.build_locale, config, locale) for locale in others]
            for locale, outcome in zip(others, run_forked(tasks, self.jobs), strict=True):
                if outcome is None:  # not started: an earlier locale failed
                    break
                outcome.replay()
                if outcome.error is not None:
                    raise outcome.error
                built: LocaleBuilt = outcome.value
                self.search_entries.extend(built.search_entries)
                self.i18n_files_per_language[locale] = built.sitemap_files
                self.current_language = locale
            self.write_sitemap(config)
            self.reconfigure_search_index(config)
        finally:
            utils.clean_directory = clean_directory
            build_logger.removeFilter(i18n_filter)
            self.building = False

    def build_locale(self, config: MkDocsConfig, locale: str) -> LocaleBuilt:
        """In a forked process: one locale's build, as the serial loop runs it."""
        before = len(self.search_entries)
        self.current_language = locale
        dirty = "--dirty" in sys.argv or "--dirtyreload" in sys.argv
        mkdocs_build.build(config, dirty=dirty)
        files = [SitemapFile.of(file) for file in self.i18n_files_per_language.get(locale, [])]
        return LocaleBuilt(list(self.search_entries[before:]), files)

    def write_sitemap(self, config: MkDocsConfig) -> None:
        """The sitemap of every locale's pages (the serial loop's last build writes it): each locale's build
        wrote one of its own pages and the first locale's only, in the same file."""
        mkdocs_build._build_theme_template("sitemap.xml", self.outer_env, self.outer_files, config, self.outer_nav)
