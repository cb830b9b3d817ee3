"""The MkDocs adapter: `plugins: [notice]` turns the checked notice into pages before MkDocs looks.

Everything the site shows is decided by the modules it calls (check, model, pages); this file only
moves their results into MkDocs' events. mkdocs-static-i18n runs every event but on_startup once per
locale, so the generated pages are cached by a fingerprint of the source files.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import html
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import material
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from noticegen.core.build_cache import BuildCache, cache_folder
from noticegen.core.diagnostics import InputError, Report, Severity, shown
from noticegen.core.writer import ForeignFileError, sync_folder, write_if_changed
from noticegen.export.documents import Texts, api_files, digest_problems
from noticegen.export.pdf import ForeignResourceError, PdfUnavailableError, UncoveredTextError, pdf_files
from noticegen.export.pdf import cache_folder as pdf_cache_folder
from noticegen.mkdocs_plugin import preview as previewing
from noticegen.mkdocs_plugin import raw_blocks
from noticegen.mkdocs_plugin.compiled_templates import COMPILED_TEMPLATES
from noticegen.mkdocs_plugin.forks import Forked, can_fork, run_forked, threads_running
from noticegen.mkdocs_plugin.later_locales import LaterLocales, count_no_requests
from noticegen.mkdocs_plugin.locale_builds import ParallelI18n
from noticegen.mkdocs_plugin.native_watch import listen_for_changes
from noticegen.mkdocs_plugin.own_writes import OwnWrites, watch_except_own_writes
from noticegen.mkdocs_plugin.page_policy import page_problems, with_content_security_policy
from noticegen.mkdocs_plugin.page_renders import PageRenders, StoredReleasedPages, render_settings
from noticegen.model.notice import Notice
from noticegen.model.site import (
    Site,
    SiteError,
    is_checked,
    load_site,
    released_notice,
    released_notices,
    remember_released,
)
from noticegen.model.stored_notices import StoredNotices
from noticegen.render.pages import (
    WORKING_CHANGES,
    ReleasedPages,
    feeds,
    locale_url,
    not_found_links,
    page_locales,
    released_page_paths,
    site_pages,
)
from noticegen.render.problems import problem_banner, problem_page
from noticegen.source.branding import BRANDING, BrandImage, brand_images
from noticegen.source.versions import build_date, recorded_parts, site_locales
from noticegen.source.yamlsource import file_problem, files_within
from noticegen.text.search import SearchSettings, locale_search_index, search_settings

log = logging.getLogger("mkdocs.plugins.notice")

SOURCE_FOLDERS = ("notice", "locales")
# Material template overrides (banners, hreflang links, stylesheet and script), shipped inside the package.
OVERRIDES = Path(__file__).parent / "overrides"


class NoticePluginConfig(base.Config):
    # The folder that holds notice/ and locales/, relative to mkdocs.yml; by default mkdocs.yml's own.
    project = c.Optional(c.Type(str))
    # Where under docs_dir the notice's pages go. Empty: the notice is the whole site (docs_dir holds
    # nothing else). A folder such as "privacy": the notice is one part of an existing site, whose own
    # pages are never touched.
    folder = c.Type(str, default="")
    # A PDF of every released version in each locale (export.pdf); off for big sites or builds that need none.
    pdf = c.Type(bool, default=True)
    # Keep what the build makes of released versions (they never change) in .cache/noticegen/released
    # (or NOTICEGEN_BUILD_CACHE), for the next build to reuse; false: make everything anew every time.
    cache = c.Type(bool, default=True)
    # How many locales `mkdocs build` builds at once, each in a process of its own (locale_builds.py); the
    # same files as one after the other. Default: NOTICEGEN_JOBS, else as many as there are cores and locales.
    # 1: one after the other, in this process.
    jobs = c.Optional(c.Type(int))


# Set to "off", the build writes no PDF and links none, whatever mkdocs.yml says (see writes_pdfs).
PDF_SWITCH = "NOTICEGEN_PDF"

# What the generated pages need from Python-Markdown: `{#id}` anchors, Markdown inside HTML blocks, tables.
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "tables")


MATERIAL_LANGUAGES = Path(material.__file__).parent / "templates" / "partials" / "languages"
# The languages Material's search (lunr.js) has stemmers and stop words for: its lunr.<code>.min.js files.
LUNR_LANGUAGES = frozenset(
    path.name.split(".")[1]
    for path in (Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "lunr" / "min").glob(
        "lunr.*.min.js"
    )
)


def theme_language(code: str) -> str:
    """The language Material labels its interface in for a locale: the locale itself when Material knows
    it, else its primary language (en-GB: en), else English. The page's own `lang` stays the notice's."""
    for candidate in (code, code.split("-")[0]):
        if (MATERIAL_LANGUAGES / f"{candidate}.html").is_file():
            return candidate
    return "en"


def source_fingerprints(root: Path) -> tuple[str, str]:
    """A digest of every source file, and one of every source file but the working texts
    (locales/<code>/notice.yaml), which released versions' pages are not made of."""
    digest, released = hashlib.sha256(), hashlib.sha256()
    for folder in SOURCE_FOLDERS:
        for path in files_within(root / folder, root):
            if path.is_file() and file_problem(path, root) is None:  # the checker reports the others
                relative = path.relative_to(root)
                entry = relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0"
                digest.update(entry)
                if not (relative.parts[0] == "locales" and len(relative.parts) == 3 and path.name == "notice.yaml"):
                    released.update(entry)
    return digest.hexdigest(), released.hexdigest()


JOBS_ENVIRONMENT = "NOTICEGEN_JOBS"


def locale_jobs(configured: int | None, locales: int) -> int:
    """How many locales to build at once: the plugin's `jobs`, else NOTICEGEN_JOBS, else one per core
    (those this process may run on) up to one per locale."""
    if configured is not None:
        if configured < 1:
            raise PluginError(f"notice plugin: jobs is {configured}; it must be 1 (one locale at a time) or more")
        return configured
    value = os.environ.get(JOBS_ENVIRONMENT, "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise PluginError(
                f"{JOBS_ENVIRONMENT}='{shown(value)}': give the number of locales to build at once, 1 or more"
            )
        return int(value)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, locales))


# The JSON export's files by their path in the site, and the released documents that do not reproduce.
Exported = tuple[dict[str, str], list[str]]


def exported(site: Site, base_url: str, cache: BuildCache | None, root: Path) -> Exported:
    """The JSON export's files (their text by their path in the site), and what is wrong with the released
    documents: those whose digest, recomputed, is not the one their changelog entry recorded."""
    texts = Texts()  # each document made into text once, for the index's digests and the files
    api = api_files(site, base_url, cache, texts)
    problems = digest_problems(site, api, recorded_parts(root))
    return {f"api/{path}": text for path, text in texts.files(api).items()}, problems


@dataclass
class PendingExport:
    """The JSON export on_pre_build started, until on_env receives it."""

    alongside: Forked | None  # the forked process making it, or None: made here when received
    export: Callable[[], Exported]
    base_url: str
    # The preview only: keeps what the forked process made for the next saves.
    keep: Callable[[Exported], None] | None = None

    def end(self) -> None:
        """A build that stops before receiving it: its process is ended, not left behind."""
        if self.alongside is not None:
            self.alongside.outcome()


def checked_apart(
    jobs: int, root: Path, version_ids: Sequence[str], stored: StoredNotices | None = None
) -> dict[str, Notice]:
    """released_notices, those in the `stored` cache taken from it, the versions this process has not checked
    yet shared among `jobs` forked processes (the notices come back pickled and are kept here, and in
    `stored`): the same notices, and the same error, the earliest version's, as checking them one after the
    other."""
    if stored is not None:
        stored.recall(version_ids)
    try:
        return _checked_apart(jobs, root, version_ids, stored)
    finally:
        if stored is not None:
            stored.keep()


def _checked_apart(
    jobs: int, root: Path, version_ids: Sequence[str], stored: StoredNotices | None
) -> dict[str, Notice]:
    pending = [version_id for version_id in version_ids if not is_checked(root, version_id)]
    if jobs > 1 and len(pending) > 1:
        groups = [pending[start::jobs] for start in range(jobs) if pending[start::jobs]]
        outcomes = run_forked([functools.partial(_checked_group, root, group, stored) for group in groups], jobs)
        failures = []
        for outcome in outcomes:
            assert outcome is not None  # a group that fails returns its failure: every group is run
            outcome.replay()
            if outcome.error is not None:
                raise outcome.error
            notices, failure = outcome.value
            for version_id, notice in notices.items():
                remember_released(root, version_id, notice)
            if stored is not None:
                stored.kept_elsewhere(notices)
            if failure is not None:
                failures.append(failure)
        if failures:
            raise min(failures, key=lambda failure: version_ids.index(failure[0]))[1]
    return released_notices(root, version_ids)


def _checked_group(
    root: Path, version_ids: Sequence[str], stored: StoredNotices | None = None
) -> tuple[dict[str, Notice], tuple[str, Exception] | None]:
    """The notices of these versions, checked in order up to the first that fails, and that failure; those
    checked written to `stored` here, side by side with the other groups."""
    notices: dict[str, Notice] = {}
    try:
        for version_id in version_ids:
            try:
                notices[version_id] = released_notice(root, version_id)
            except (SiteError, InputError) as failure:
                return notices, (version_id, failure)
        return notices, None
    finally:
        if stored is not None:
            stored.keep(version_ids)


def clean_folder(value: str) -> str:
    folder = value.strip().strip("/")
    parts = folder.split("/") if folder else []
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts) or "\\" in folder:
        raise PluginError(
            f"notice plugin: folder '{shown(value)}' must be a plain relative path inside docs_dir, such as 'privacy'"
        )
    return "/".join(parts)


class NoticePlugin(BasePlugin[NoticePluginConfig]):
    def __init__(self) -> None:
        self.site: Site | None = None
        self.key: tuple[str, str, bool, str, str, str] | None = None
        # The PDFs of the site in self.key, made once for all locales.
        self.pdfs: tuple[object, dict[str, bytes]] | None = None
        # The preview only: released versions' pages, by what they are made of (on_pre_build).
        self.released_pages: tuple[object, ReleasedPages] | None = None
        # The preview only: the JSON export and its problems, by what released pages are made of (on_pre_build).
        self.released_export: tuple[object, Exported] | None = None
        self.pending_export: PendingExport | None = None
        # The feeds and JSON documents by their path under the notice's root, the same for every locale.
        self.published: dict[str, str] = {}
        self.preview = False
        self.folder = ""
        # The preview only: the problems of the last check (a banner on every page), and, while the source
        # has errors, that failed check (every page shows it in place of the notice).
        self.report = Report()
        self.failure: Report | None = None
        self.known_locales: tuple[list[tuple[str, str]], str] | None = None
        # With i18n: the search entries of the locales being built (static-i18n nests their builds).
        self.search_entries: list[tuple[str, list[dict[str, Any]]]] = []
        # The default locale's 404 page, which the other locales' builds must not replace at the root.
        self.default_not_found: str | None = None
        # The publisher's logo and favicon (notice/data/branding.yaml), checked, to serve under assets/brand/.
        self.brand: tuple[BrandImage, ...] = ()
        # The released versions' pages (their paths under docs_dir), converted to HTML once and kept in the
        # build cache (page_renders.py); None with `cache: false`.
        self.released_paths: set[str] = set()
        self.page_renders: PageRenders | None = None
        # `mkdocs serve`: the locales after the default one, built in a thread while the server serves.
        self.later: LaterLocales | None = None
        # What the plugin last wrote into docs_dir: `mkdocs serve` does not rebuild for its own writes.
        self.own_writes = OwnWrites()
        # What _publish wrote in this preview session, by path: the text it wrote there.
        self.published_written: dict[Path, str] = {}
        # The default locale's search index as this build wrote it (its path and text).
        self.default_search_index: tuple[Path, str] | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Also makes MkDocs keep this plugin, and its cache, across `mkdocs serve` rebuilds."""
        # Material's search segments Chinese with jieba, which reports its dictionary loading on stderr.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        # `mkdocs serve` previews the working text; a build publishes the released versions.
        self.preview = command == "serve"
        # MkDocs keeps this instance for the whole process: a new session starts from nothing.
        self.key, self.site, self.failure, self.known_locales, self.report = None, None, None, None, Report()
        self.released_pages, self.released_export = None, None
        # The preview serves each build's default locale before its other locales are built (later_locales.py).
        self.later = LaterLocales() if self.preview else None

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Callable[..., Any]) -> Any:
        """The server serves each build's default locale as soon as it is built (later_locales.py), and does not
        build again for the pages the plugin writes into docs_dir (own_writes.py); a save is heard from the
        operating system as it happens, not at the next of MkDocs' polls (native_watch.py)."""
        if self.preview:
            listen_for_changes(server)  # first: the watches below are made on the observer it sets
            watch_except_own_writes(server, config.docs_dir, self.own_writes)
        if self.later is not None and not self.later.attach(server):
            self.later = None  # the locales built one after the other, before each build ends, as before
        return server

    def on_shutdown(self) -> None:
        if self.later is not None:
            self.later.close()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.preview:
            count_no_requests()
        self.folder = clean_folder(self.config.folder)
        if config.theme.name != "material":
            raise PluginError(
                f"the notice plugin needs the Material theme (theme: name: material), not '{shown(config.theme.name)}'"
            )
        if self.folder and config.plugins.get("i18n") is not None:
            raise PluginError(
                "the notice plugin's `folder` is for a site without mkdocs-static-i18n: with i18n, the notice's "
                "locales are the site's locale folders, so leave `folder` empty and give the notice its own docs_dir"
            )
        if not self.folder and config.plugins.get("i18n") is None:
            self.add_languages(config)
        # Put the notice's templates right after the site's own `custom_dir`, so a site can still override
        # them; static-i18n calls on_config once per locale, hence the guard.
        overrides = str(OVERRIDES)
        if overrides not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, overrides)
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
                log.info(f"notice: added the Markdown extension '{extension}', which the notice's pages need")
        return config

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Any) -> Any:
        """The JSON export made alongside (on_pre_build), received before MkDocs writes anything. Every build of
        the process (one per locale, one per save in `mkdocs serve`) reuses the theme's templates compiled by
        the first (compiled_templates.py)."""
        self.receive_export()
        if env.bytecode_cache is None:
            env.bytecode_cache = COMPILED_TEMPLATES
        return env

    def add_languages(self, config: MkDocsConfig) -> None:
        """notice/notice.yaml is the one list of locales: mkdocs-static-i18n is set up from it here, so
        mkdocs.yml does not repeat it (a site that configures `i18n` itself is checked against it instead)."""
        try:
            locales, default = site_locales(self.root(config), preview=self.preview)
        except ValueError as problem:
            if not self.preview:
                raise PluginError(f"notice plugin: the site's languages come from the notice, but {problem}") from None
            # The preview goes on with the languages it had, so that the pages can show what is wrong.
            locales, default = self.known_locales or self.folder_locales(config)
        if self.preview:
            self.known_locales = (locales, default)
        i18n = ParallelI18n()
        i18n.jobs = locale_jobs(self.config.jobs, len(locales))
        # `mkdocs serve` rebuilds in a process that also runs the web server's threads: forked only for the
        # first build, which comes before the server starts.
        i18n.only_without_threads = self.preview
        i18n.clean_on_failure = not self.preview  # the preview shows what went wrong on its pages
        i18n.later = self.later
        i18n.after_later_locales = self.rewrite_default_search_index
        options = {
            "docs_structure": "folder",
            "fallback_to_default": False,  # never serve one locale's text under another's URL
            "reconfigure_material": True,
            "languages": [
                {"locale": code, "name": name, "default": code == default, "build": True} for code, name in locales
            ],
        }
        errors, _ = i18n.load_config(options, config.config_file_path)
        if errors:
            shown = "; ".join(f"{key}: {error}" for key, error in errors)
            raise PluginError(f"notice plugin: mkdocs-static-i18n refuses the notice's locales: {shown}")
        # Registered now, its events run in this build: its on_config too, which comes after this one.
        config.plugins["i18n"] = i18n

    def folder_locales(self, config: MkDocsConfig) -> tuple[list[tuple[str, str]], str]:
        codes = previewing.locale_folders(self.root(config))
        if not codes:
            raise PluginError("notice plugin: notice/notice.yaml declares no locales and locales/ has no folder")
        return [(code, code) for code in codes], "en" if "en" in codes else codes[0]

    def root(self, config: MkDocsConfig) -> Path:
        base_dir = Path(config.config_file_path).parent
        return (base_dir / self.config.project).resolve() if self.config.project else base_dir

    def base_url(self, config: MkDocsConfig) -> str:
        """Where the notice is published: the site's address, or the notice's folder in it."""
        site_url = config.site_url or ""
        return site_url.rstrip("/") + "/" + self.folder + "/" if self.folder else site_url

    @staticmethod
    def uses_i18n(config: MkDocsConfig) -> bool:
        return config.plugins.get("i18n") is not None

    @property
    def notice(self) -> Notice:
        assert self.site is not None
        return self.site.working

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not config.site_url:
            raise PluginError("set site_url in mkdocs.yml: hreflang alternates must be absolute URLs")
        root = self.root(config)
        try:
            on = build_date()
        except InputError as refusal:
            raise PluginError(f"notice plugin: {refusal}") from None
        base_url = self.base_url(config)
        docs = Path(config.docs_dir) / self.folder if self.folder else Path(config.docs_dir)
        # The locales after the first are built from the sources as the first read them: a save meanwhile
        # starts a build of its own, and no site mixes two states of the notice.
        after_first = self.key is not None and getattr(config.plugins.get("i18n"), "building", False) is True
        sources, released_sources = ("", "") if after_first else source_fingerprints(root)
        if not after_first:
            self.default_search_index = None  # this build's own, once its end writes it
        key = self.key if after_first else (sources, on.isoformat(), self.preview, base_url, self.folder, str(docs))
        if key != self.key:
            # The preview makes the pages again after every save: released versions' pages are kept from one
            # save to the next while nothing they are made of changed (render.pages.site_pages).
            released_key = (released_sources, *key[1:], self.uses_i18n(config), self.writes_pdfs)
            if self.preview and (self.released_pages is None or self.released_pages[0] != released_key):
                self.released_pages = (released_key, {})
            cache = BuildCache(cache_folder(root)) if self.config.cache else None
            try:
                site, report = self.load(root, on, self.preview, cache)
            except SiteError as failure:
                if not self.preview:
                    raise PluginError(checker_failure(failure.report)) from None
                # `mkdocs serve` would keep the last good pages and look stuck: show the errors instead.
                self.failure = previewing.with_errors(failure.report)
                self.show_failure(config, root, docs)
                shown_in_preview(checker_failure(failure.report))
                self.key = key
                return
            self.failure = None
            self.site, self.report = site, report
            prefix = f"{self.folder}/" if self.folder else ""
            at_root = not self.uses_i18n(config)
            self.released_paths = {prefix + path for path in released_page_paths(site, default_at_root=at_root)}
            # The JSON export is computed once, although static-i18n runs on_post_build once per locale; and
            # checked before anything is written: a released version that does not reproduce its recorded
            # digest stops the build. It needs nothing the pages need: on a machine with a core to spare it is
            # made in a forked process while this one writes the pages and MkDocs reads and converts them, and
            # received in on_env, the last event before MkDocs writes the first file.
            self.page_renders = PageRenders(cache) if cache is not None else None
            export = functools.partial(exported, site, base_url, cache, root)
            alongside, keep = None, None
            if self.preview:  # the export is made of what released pages are made of: kept between saves too
                kept = self.released_export is not None and self.released_export[0] == released_key
                if not kept and self.forks_export():  # the first build, before the server's threads run
                    alongside = Forked(export)
                    keep = functools.partial(self.keep_export, released_key)
                export = self.kept_export(released_key, export)
            elif self.forks_export():
                alongside = Forked(export)
            released = self.released_pages[1] if self.preview and self.released_pages else {}
            stored = StoredReleasedPages(cache, released_key) if cache is not None else None
            if stored is not None and not released:
                released.update(stored.read())
            known = len(released)
            self.pending_export = PendingExport(alongside, export, base_url, keep)
            try:
                self.write_pages(
                    site, docs, base_url, not self.uses_i18n(config), self.writes_pdfs and not self.preview, released
                )
                if stored is not None and len(released) != known:
                    stored.write(released)
            except BaseException:
                self.pending_export.end()
                self.pending_export = None
                raise
            if alongside is None:
                self.receive_export()
            self.brand = brand_images(root, self.notice.data.get(BRANDING))
            self.key = key
        if self.failure is not None:
            return
        if self.uses_i18n(config):
            self.check_site_languages(config, self.notice)
            # static-i18n names Material's interface language after the locale; Material knows only some.
            current = getattr(config.plugins["i18n"], "current_language", None) or self.notice.default_locale
            config.theme["language"] = theme_language(current)
            self.segment_search_text(config, self.notice.locale(current).lang)
        if not self.folder:
            # The header and <title> name the publisher, the same in every language (the page's own
            # heading is the notice's title in its language).
            config.site_name = str(self.notice.controller["name"])
            # The publisher's logo and favicon, when branding.yaml gives them (written by _publish); without
            # them, Material's own: an icon drawn in the page and its favicon, copied into the site.
            for image in self.brand:
                config.theme[image.kind] = image.site_path

    def load(
        self, root: Path, on: datetime.date, preview: bool, cache: BuildCache | None = None
    ) -> tuple[Site, Report]:
        """The site and its check's report, its warnings logged (or shown in the preview); SiteError when the
        check found errors. The released versions are taken from the `cache`, or checked side by side, as the
        locales are built."""
        jobs = 1 if (preview and threads_running()) or not can_fork() else locale_jobs(self.config.jobs, 2)
        stored = StoredNotices(cache, root) if cache is not None else None
        check_released = functools.partial(checked_apart, jobs, stored=stored)
        try:
            site, report = load_site(root, on, preview=preview, check_released=check_released)
        except InputError as refusal:
            raise PluginError(f"notice check failed: {refusal}") from None
        for diagnostic in report.sorted():
            if diagnostic.severity is not Severity.WARNING:
                continue
            if preview:
                shown_in_preview(str(diagnostic))
            else:
                log.warning(str(diagnostic))
        return site, report

    def write_pages(
        self,
        site: Site,
        docs_dir: Path,
        base_url: str,
        default_at_root: bool,
        pdf: bool = False,
        released: ReleasedPages | None = None,
    ) -> None:
        """The site's Markdown pages, written into `docs_dir`. `released`: the released versions' pages an
        earlier call made from the same sources but the working texts (site_pages)."""
        try:
            pages = site_pages(site, base_url, default_at_root=default_at_root, pdf=pdf, released=released)
            written = self.sync_pages(docs_dir, pages)
        except ForeignFileError as refusal:
            raise PluginError(f"notice plugin: {refusal}") from None
        log.info(f"notice: {len(written)} generated page(s) updated in {docs_dir}")

    def receive_export(self) -> None:
        """The JSON export on_pre_build started (in a forked process, or made here now), its files kept for
        on_post_build; a released document that does not reproduce its recorded digest stops the build."""
        pending, self.pending_export = self.pending_export, None
        if pending is None:
            return
        try:
            outcome = pending.alongside.outcome() if pending.alongside is not None else None
            if outcome is not None:
                outcome.replay()
                if outcome.error is not None:
                    raise outcome.error
                if pending.keep is not None:
                    pending.keep(outcome.value)
            api_texts, problems = outcome.value if outcome is not None else pending.export()
            if problems:
                raise PluginError(
                    "notice: " + "\n".join(problems) + "\n(a released version never changes: "
                    "find what changed how its document is made, and undo it)"
                )
        except BaseException:
            self.key = None  # made again by the next build, not taken as done
            raise
        assert self.site is not None
        # The feeds and the JSON do not depend on the locale being built: made into text once.
        self.published = dict(feeds(self.site, pending.base_url)) | api_texts

    def on_build_error(self, *, error: Exception) -> None:
        """A build that failed before on_env: the export's process is ended, not left behind."""
        pending, self.pending_export = self.pending_export, None
        if pending is not None:
            pending.end()

    def kept_export(self, released_key: object, export: Callable[[], Exported]) -> Callable[[], Exported]:
        """The preview's JSON export: made again only when what the released pages are made of changed."""

        def kept() -> Exported:
            if self.released_export is None or self.released_export[0] != released_key:
                self.keep_export(released_key, export())
            assert self.released_export is not None
            return self.released_export[1]

        return kept

    def keep_export(self, released_key: object, made: Exported) -> None:
        """The preview's JSON export, made here or in a forked process, kept for the next saves."""
        self.released_export = (released_key, made)

    def forks_export(self) -> bool:
        """Whether the JSON export is made in a process of its own while the pages are written: not once the
        preview's server runs threads of its own (forks.threads_running), nor when `jobs` asks for one thing
        at a time."""
        return not (self.preview and threads_running()) and can_fork() and locale_jobs(self.config.jobs, 2) > 1

    def locale_codes(self, config: MkDocsConfig) -> tuple[list[str], str]:
        """The locales this build has, and its default: static-i18n's, else those of the last good notice."""
        if self.uses_i18n(config):
            languages = config.plugins["i18n"].config.languages
            codes = [language.locale for language in languages]
            return codes, next((language.locale for language in languages if language.default), codes[0])
        if self.site is not None:
            return [locale.code for locale in self.site.working.locales], self.site.working.default_locale
        locales, default = self.known_locales or self.folder_locales(config)
        return [code for code, _ in locales], default

    def failure_strings(self, config: MkDocsConfig, code: str) -> dict[str, str]:
        last_good = self.site.working.ui.get(code) if self.site is not None else None
        return previewing.problem_strings(self.root(config), code, last_good)

    def sync_pages(self, docs: Path, pages: dict[str, str]) -> list[str]:
        """sync_folder, remembering what it leaves in `docs` (own_writes.py)."""
        # Recorded first: the watcher's thread may see the files change before sync_folder returns.
        self.own_writes.record(docs, pages)
        return sync_folder(docs, pages)

    def show_failure(self, config: MkDocsConfig, root: Path, docs: Path) -> None:
        """Every page the site had, and each locale's main page, replaced by the list of errors."""
        assert self.failure is not None
        codes, default = self.locale_codes(config)
        default_at_root = not self.uses_i18n(config)
        paths = set(previewing.generated_pages(docs))
        paths |= {"index.md" if default_at_root and code == default else f"{code}/index.md" for code in codes}
        pages = {}
        for path in paths:
            code = previewing.page_locale(path, codes, default)
            pages[path] = problem_page(self.failure.diagnostics, self.failure_strings(config, code))
        try:
            self.sync_pages(docs, pages)
        except ForeignFileError as refusal:
            raise PluginError(f"notice plugin: {refusal}") from None

    @staticmethod
    def check_site_languages(config: MkDocsConfig, notice: Notice) -> None:
        i18n = config.plugins["i18n"]
        configured = {language.locale: language.default for language in i18n.config.languages}
        expected = {locale.code: locale.code == notice.default_locale for locale in notice.locales}
        if configured != expected:
            raise PluginError(
                "mkdocs.yml's i18n languages must be the notice's locales, with the notice's default_locale "
                f"as `default: true`: mkdocs.yml has {sorted(configured)} (default "
                f"{[k for k, v in configured.items() if v]}), notice/notice.yaml has {sorted(expected)} "
                f"(default {notice.default_locale})"
            )

    def is_notice_page(self, page: Any) -> bool:
        return not self.folder or page.file.src_uri.startswith(self.folder + "/")

    def page_locale(self, config: MkDocsConfig, page: Any) -> str:
        """The locale of a notice page: static-i18n's current language, or the page's locale folder."""
        if self.failure is not None:
            codes, default = self.locale_codes(config)
        else:
            codes, default = [locale.code for locale in self.notice.locales], self.notice.default_locale
        if self.uses_i18n(config):
            current = getattr(config.plugins["i18n"], "current_language", None)
        else:
            inside = page.file.src_uri.removeprefix(self.folder + "/") if self.folder else page.file.src_uri
            current = inside.split("/", 1)[0]
        return current if current in codes else default

    @event_priority(-200)  # after every other plugin's change to the Markdown: the cache is keyed by the last
    def on_page_markdown(self, markdown: str, *, page: Any, config: MkDocsConfig, files: Any) -> str:
        """A notice page is converted without Python-Markdown reading its raw HTML blocks (raw_blocks.py), and a
        released version's page once, then taken from the build cache."""
        if self.failure is not None or not self.is_notice_page(page) or render_settings(config) is None:
            return markdown
        if self.page_renders is not None and page.file.src_uri in self.released_paths:
            self.page_renders.take_over(page, config)
        else:
            page.render = functools.partial(raw_blocks.convert, page)
        return markdown

    def on_files(self, files: Any, *, config: MkDocsConfig) -> Any:
        """The preview's reload script (a theme file of the plugin's) is published by `mkdocs serve` only."""
        preview_script = files.get_file_from_path(PREVIEW_RELOAD_SCRIPT)
        if preview_script is not None and not self.preview:
            files.remove(preview_script)
        return files

    @event_priority(-150)  # after static-i18n (-100) has made the navigation of the locale being built
    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Any) -> Any:
        """A folder of the notice that holds one page (changelog/, versions/) is that page in the navigation,
        titled by its heading in the page's language: not a section named after the folder ("Changelog")."""
        nav.items = self.without_single_page_sections(nav.items, None)
        return nav

    def without_single_page_sections(self, items: list[Any], parent: Any) -> list[Any]:
        result = []
        for item in items:
            children = getattr(item, "children", None)
            if item.is_section and children:
                item.children = self.without_single_page_sections(children, item)
                pages = item.children
                if len(pages) == 1 and pages[0].is_page and self.is_notice_page(pages[0]):
                    item = pages[0]
            item.parent = parent
            result.append(item)
        return result

    def on_page_context(self, context: dict[str, Any], *, page: Any, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        if not self.is_notice_page(page):
            return context
        locale = self.page_locale(config, page)
        context["notice_preview"] = self.preview
        if self.failure is not None:  # the page lists the errors: no banner, no links to other pages
            context["notice_ui"] = self.failure_strings(config, locale)
            return context
        base_url = self.base_url(config)
        page_url = page.url.removeprefix(self.folder + "/") if self.folder else page.url
        context["notice_ui"] = dict(self.notice.ui[locale])
        if self.preview:
            redline = self.site is not None and self.site.in_force is not None
            where = locale_url(base_url, self.notice, locale, WORKING_CHANGES.removesuffix("index.md"))
            context["notice_problems"] = problem_banner(
                self.report.diagnostics, self.notice.ui[locale], where if redline else None
            )
        assert self.site is not None  # a page of the notice is made only from a site that loaded
        context["notice_alternates"] = alternates(self.site, locale, page_url, base_url)
        if self.site.versions:
            context["notice_feed_url"] = locale_url(base_url, self.notice, locale, "feed.xml")
        return context

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        if not self.is_notice_page(page):
            return output
        if self.failure is not None:
            return self.failure_page(output, page, config)
        locale = self.notice.locale(self.page_locale(config, page))
        # Material writes the theme language ("zh"); the notice knows the exact tag and direction.
        output = re.sub(
            r"<html lang=\"[^\"]*\"",
            f'<html lang="{html.escape(locale.lang)}" dir="{html.escape(locale.dir)}"',
            output,
            count=1,
        )
        output = with_language_tags(output, self.language_tags())
        output = self.with_locale_search(output, config, locale.code)
        problems = page_problems(output)
        if problems:
            sources = f"locales/{locale.code}/notice.yaml, locales/{locale.code}/site.yaml or notice/"
            refusal = (
                f"notice plugin: page {page.file.src_uri} (made from {sources}) would publish HTML outside the "
                "allowlist, so the build stops:\n  " + "\n  ".join(problems)
            )
            # The preview shows the refusal on the page itself, if that leaves nothing outside the allowlist.
            shown = self.preview and previewing.refused_page(
                output, page.file.src_uri, sources, problems, self.notice.ui[locale.code]["problems_page"]
            )
            if not shown or page_problems(shown):
                raise PluginError(refusal)
            shown_in_preview(refusal)
            output = shown
        output = with_content_security_policy(output)
        return self.with_permalink_titles(output, self.notice.ui[locale.code]["permalink"])

    def language_tags(self) -> dict[str, str]:
        """Each locale's BCP 47 tag (notice.yaml's `lang`) by its code, the name of its folder."""
        return {locale.code: locale.lang for locale in self.notice.locales}

    def current_locale(self, config: MkDocsConfig) -> str:
        """The locale being built: static-i18n's current language, else the notice's default."""
        current = getattr(config.plugins["i18n"], "current_language", None) if self.uses_i18n(config) else None
        return current if current in self.notice.ui else self.notice.default_locale

    def on_template_context(
        self, context: dict[str, Any], *, template_name: str, config: MkDocsConfig
    ) -> dict[str, Any]:
        """The 404 page in the language of the locale being built, with links to every locale's main page."""
        if template_name != "404.html" or self.failure is not None or self.site is None or self.folder:
            return context
        code = self.current_locale(config)
        site_path = urlsplit(self.base_url(config)).path or "/"
        links = not_found_links(self.notice, code, site_path)
        context["notice_ui"] = dict(self.notice.ui[code])
        context["notice_not_found"] = links
        # Material's language switch names the page last built (static-i18n's per-page alternates): on the
        # 404 page, each language's link leads to that language's main page.
        homes = {item.code: locale_url(site_path, self.notice, item.code) for item in self.notice.locales}
        # (static-i18n sets them both as the item and as an attribute of `extra`, which templates read first)
        alternates = getattr(config.extra, "alternate", None) or config.extra.get("alternate")
        if isinstance(alternates, list):
            at_home = [dict(item, link=homes.get(item.get("lang"), item.get("link"))) for item in alternates]
            config.extra["alternate"] = at_home
            if "alternate" in vars(config.extra):
                config.extra.alternate = at_home
        return context

    def on_post_template(self, output: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The sitemap's hreflang values are static-i18n's locale codes: make them the pages' language tags.
        The 404 page of each locale: the default's at the site's root, the others' in their folders."""
        if self.failure is not None or self.site is None or self.folder:
            return output
        if template_name == "sitemap.xml":
            # Every locale's build writes it at the site's root, the last one listing every locale's pages
            # with their alternates: the one sitemap (no copy in the locale folders).
            return with_language_tags(output, self.language_tags())
        if template_name != "404.html":
            return output
        locale = self.notice.locale(self.current_locale(config))
        output = with_html_lang(with_language_tags(output, self.language_tags()), locale.lang, locale.dir)
        output = self.with_locale_search(output, config, locale.code)
        problems = page_problems(output)
        if problems:
            raise PluginError(f"notice plugin: the 404 page would publish HTML outside the allowlist: {problems}")
        output = with_content_security_policy(output)
        if locale.code == self.notice.default_locale or not self.uses_i18n(config):
            self.default_not_found = output
            return output
        write_if_changed(self.site_root(config) / locale.code / "404.html", output)
        # MkDocs writes this locale's 404 page at the root too: keep the default locale's there.
        return self.default_not_found or output

    def site_root(self, config: MkDocsConfig) -> Path:
        """The built site's folder (static-i18n may build a locale into <site>/<code>)."""
        root = Path(config.site_dir)
        others = {locale.code for locale in self.notice.locales} - {self.notice.default_locale}
        return root.parent if self.uses_i18n(config) and root.name in others else root

    def failure_page(self, output: str, page: Any, config: MkDocsConfig) -> str:
        """An error page of the preview: the page's language as far as it is known, the same policy."""
        code = self.page_locale(config, page)
        known = self.site.working.locale(code) if self.site is not None and code in self.site.working.ui else None
        if known is not None:
            output = re.sub(
                r"<html lang=\"[^\"]*\"",
                f'<html lang="{html.escape(known.lang)}" dir="{html.escape(known.dir)}"',
                output,
                count=1,
            )
        problems = page_problems(output)
        if problems:
            raise PluginError(f"notice plugin: the error page {page.file.src_uri} is outside the allowlist: {problems}")
        output = with_content_security_policy(output)
        return self.with_permalink_titles(output, self.failure_strings(config, code).get("permalink", ""))

    @staticmethod
    def with_permalink_titles(output: str, permalink: str) -> str:
        # Python-Markdown's toc gives every permalink the same English title; use the page's language. And a
        # heading's ¶ is out of the tab order: the contents link to the same anchors, and the skip link's next
        # stop is then the text, not a ¶ (clause permalinks, the only link to their anchor, stay in it).
        title = html.escape(permalink)
        return re.sub(
            r'(class="headerlink" href="[^"]*") title="Permanent link"',
            lambda match: f'{match.group(1)} title="{title}" tabindex="-1"',
            output,
        )

    def with_locale_search(self, page: str, config: MkDocsConfig, code: str) -> str:
        """Material loads its search index from `search/search_index.json` under the `base` of the page's
        configuration (the site's root): for another locale than the default, make that base the locale's
        own folder, where its own index is. Search result links are relative to it too. A language whose
        queries are split into words in the browser (Japanese) gets the notice's search worker."""
        if self.current_search_locale(config) is None:
            return page
        if code != self.notice.default_locale:
            page, count = CONFIG_BASE.subn(lambda match: f'{match.group(1)}{match.group(2)}/{code}/"', page, count=1)
            if count != 1:
                raise PluginError(
                    'notice plugin: Material\'s page configuration (<script id="__config">) has no "base" any '
                    "more; find where its search loads the index from, so that each locale searches its own pages"
                )
        if search_settings(self.notice.locale(code).lang, LUNR_LANGUAGES).segment_queries:
            page = with_query_segmenting_worker(page)
        return page

    @staticmethod
    def search_plugin(config: MkDocsConfig) -> Any:
        return config.plugins.get("material/search") or config.plugins.get("search")

    def segment_search_text(self, config: MkDocsConfig, lang: str) -> None:
        """Material's search splits Han characters into words with jieba, whatever the page's language: keep
        that for Chinese only (Japanese is segmented in the browser, with its own segmenter)."""
        search = self.search_plugin(config)
        index = getattr(search, "search_index", None)
        if index is None or search_settings(lang, LUNR_LANGUAGES).jieba:
            return
        if not callable(getattr(index, "_segment_chinese", None)):
            raise PluginError(
                "notice plugin: Material's search no longer segments text with `_segment_chinese`; "
                "find how it segments Chinese now, so that other languages are not cut with jieba"
            )
        index._segment_chinese = lambda text: text  # this locale's build only: on_config makes a new index

    def current_search_locale(self, config: MkDocsConfig) -> str | None:
        """The locale static-i18n is building, when the site's search is to be split per locale."""
        if self.folder or not self.uses_i18n(config) or self.search_plugin(config) is None or self.failure:
            return None
        current = getattr(config.plugins["i18n"], "current_language", None)
        return current if current in {locale.code for locale in self.notice.locales} else None

    @event_priority(50)  # before static-i18n (-100) replaces the entries with those of every locale
    def _collect_search_entries(self, *, config: MkDocsConfig) -> None:
        code = self.current_search_locale(config)
        if code is not None:
            entries = self.search_plugin(config).search_index.entries
            self.search_entries.append((code, [dict(entry) for entry in entries]))

    @event_priority(-200)  # after static-i18n has written its index of every locale, which this replaces
    def _write_search_indexes(self, *, config: MkDocsConfig) -> None:
        """Each locale's pages load `search/search_index.json` from the locale's root (see on_post_page):
        write there an index of that locale's pages only, with that language's search settings."""
        # static-i18n builds the other locales inside the default locale's on_post_build (and leaves its
        # current language at the last one): the locale whose build ends here is the last one collected.
        if self.current_search_locale(config) is None or not self.search_entries:
            return
        code, entries = self.search_entries.pop()
        default = code == self.notice.default_locale
        root = Path(config.site_dir)
        folder = root if default else root / code
        settings: SearchSettings = search_settings(self.notice.locale(code).lang, LUNR_LANGUAGES)
        fields = self.search_plugin(config).config.fields
        try:
            text = locale_search_index(entries, "" if default else f"{code}/", settings, fields)
        except ValueError as problem:
            raise PluginError(f"notice plugin: the search index of '{code}': {problem}") from None
        write_if_changed(folder / "search" / "search_index.json", text)
        if default:
            self.default_search_index = (folder / "search" / "search_index.json", text)

    def rewrite_default_search_index(self) -> None:
        """The default locale's search index again, over the index of every locale that static-i18n's loop
        writes at the site's root when it ends (in the preview, after this build's end: later_locales.py)."""
        if self.default_search_index is not None:
            write_if_changed(*self.default_search_index)

    def nested_locale_build(self, config: MkDocsConfig) -> bool:
        """Whether this is one of the locale builds static-i18n runs inside the first build's on_post_build
        (which replays every event): the first build's on_post_build comes before static-i18n's, which
        starts them, so work done there for all locales is done once."""
        return self.uses_i18n(config) and bool(getattr(config.plugins["i18n"], "building", False))

    def _publish(self, *, config: MkDocsConfig) -> None:
        """The Atom feeds, the JSON and the PDFs, the same for every locale: written once, by the first build."""
        if self.failure is not None or self.nested_locale_build(config):
            return  # an error page of the preview publishes nothing else; a nested build shares the first's
        assert self.site is not None
        root = self.site_root(config)
        notice_root = root / self.folder if self.folder else root
        # In the preview, the site folder is kept from one build to the next (later_locales.py) and the JSON
        # export with it: a file this session wrote with the very same text is not read back to compare (57 MB
        # of JSON on every save of a notice of 10 locales and 20 versions).
        kept = self.later is not None and self.later.keeps_site()
        written = self.published_written if kept else {}
        for path, text in self.published.items():
            target = notice_root / path
            if written.get(target) is not text:
                write_if_changed(target, text)
                written[target] = text
        self.published_written = written
        if not self.folder:  # the site's own look: a notice inside another site leaves it to that site
            for image in self.brand:
                write_if_changed(root / image.site_path, image.data)
        if self.writes_pdfs and not self.preview:
            for path, data in self.site_pdfs(self.root(config)).items():
                write_if_changed(notice_root / path, data)

    @property
    def writes_pdfs(self) -> bool:
        """`pdf` in mkdocs.yml, unless NOTICEGEN_PDF=off: how `make site` builds on a machine without Pango,
        after saying so (a build that asks for PDFs it cannot make stops instead)."""
        return self.config.pdf and os.environ.get(PDF_SWITCH, "").lower() != "off"

    def site_pdfs(self, project: Path) -> dict[str, bytes]:
        assert self.site is not None
        if self.pdfs is None or self.pdfs[0] != self.key:
            try:
                # Kept apart from the released documents' cache (`cache`): a PDF's layout is slow and
                # verified by its own checksum; NOTICEGEN_PDF_CACHE moves it.
                # Laid out side by side like the locales: as many at once as `jobs` (or the cores) allow.
                jobs = locale_jobs(self.config.jobs, len(self.site.versions) * len(self.notice.locales))
                self.pdfs = (self.key, pdf_files(self.site, pdf_cache_folder(project), jobs))
            except (PdfUnavailableError, ForeignResourceError, UncoveredTextError) as problem:
                raise PluginError(f"notice: {problem}") from None
        return self.pdfs[1]

    on_post_build = CombinedEvent(_collect_search_entries, _publish, _write_search_indexes)


# Material's page configuration and the base URL in it (a relative path or the site's path; no quotes).
CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"\\]*?)/?"')
# The URL of the theme's search worker in the page configuration: its folder, and its file name.
CONFIG_SEARCH_WORKER = re.compile(
    r'(<script id="__config" type="application/json">\{[^<]*?"search": ")([^"\\]*/)?([^"/\\?#]+\.js)"'
)
# mkdocs serve's reload, done from the site itself (the page's Content Security Policy stops MkDocs' own).
PREVIEW_RELOAD_SCRIPT = "assets/javascripts/notice-livereload.js"
# The notice's search worker, beside the theme's (overrides/assets/javascripts/workers/): it loads the
# theme's worker, named by `?worker=`, and splits each query word written in Japanese with the segmenter
# that split the indexed text (see noticegen.text.search.SearchSettings.segment_queries).
QUERY_SEGMENTING_WORKER = "notice-search.js"


def with_query_segmenting_worker(page: str) -> str:
    """The page, its search running in the notice's search worker, which wraps the theme's."""

    def replaced(match: re.Match[str]) -> str:
        folder, theme_worker = match.group(2) or "", match.group(3)
        return f'{match.group(1)}{folder}{QUERY_SEGMENTING_WORKER}?worker={quote(theme_worker)}"'

    changed, count = CONFIG_SEARCH_WORKER.subn(replaced, page, count=1)
    if count != 1:
        raise PluginError(
            'notice plugin: Material\'s page configuration (<script id="__config">) names no search worker '
            '("search": ".../workers/search.….min.js") any more; find how its search starts its worker, so that '
            "Japanese queries are split into words as the indexed text is"
        )
    return changed


def with_html_lang(page: str, lang: str, direction: str) -> str:
    """The page's <html> element with the locale's language tag and direction (Material writes its own)."""
    return re.sub(
        r"<html lang=\"[^\"]*\"", f'<html lang="{html.escape(lang)}" dir="{html.escape(direction)}"', page, count=1
    )


def with_language_tags(text: str, tags: dict[str, str]) -> str:
    """Every `hreflang="<code>"` of a locale whose language tag is not its code (static-i18n's language switcher
    and sitemap write the code, `zh`) written with the tag (`zh-Hans`), as <html lang> and the alternates are."""
    changed = {code: tag for code, tag in tags.items() if code != tag}
    if not changed:
        return text
    pattern = re.compile(r'\bhreflang="(' + "|".join(re.escape(code) for code in changed) + r')"')
    return pattern.sub(lambda match: f'hreflang="{html.escape(changed[match.group(1)])}"', text)


def shown_in_preview(problem: str) -> None:
    """A problem the preview's pages show: printed, but not as a MkDocs warning, which `strict: true` turns
    into an aborted rebuild (the browser would keep the last good page, and the next save hide the problem)."""
    log.info(problem)


def checker_failure(report: Report) -> str:
    lines = "\n".join(str(d) for d in report.sorted() if d.severity is Severity.ERROR)
    return f"notice check failed:\n{lines}\n{report.summary()}"


def alternates(site: Site, locale: str, page_url: str, site_url: str) -> list[dict[str, str]]:
    """Absolute hreflang links to this page in every locale that has it (render.pages.page_locales), plus
    x-default (the default locale) when it has it."""
    notice = site.working
    neutral = page_url.removeprefix(f"{locale}/") if locale != notice.default_locale else page_url
    codes = page_locales(site, neutral)
    links = [
        {"hreflang": item.lang, "href": locale_url(site_url, notice, item.code, neutral)}
        for item in notice.locales
        if item.code in codes
    ]
    if notice.default_locale in codes:
        links.append({"hreflang": "x-default", "href": locale_url(site_url, notice, notice.default_locale, neutral)})
    return links
