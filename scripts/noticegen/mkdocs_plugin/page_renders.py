"""Released versions' pages converted from Markdown to HTML once, not at every build and every preview save.

MkDocs converts every page anew in each build; for a notice with years of history that is most of a build's
time (Python-Markdown's HTML parser reads each redline's markup), although a released version's page never
changes. `PageRenders` stands in for `Page.render` on the pages it is given: it keeps what the conversion
left on the page (its HTML, its table of contents, its title, its anchors and the links to other pages'
anchors, and what MkDocs logged while converting) in the build cache, under a key that names every input
of the conversion: the page's final Markdown, its place and URL, the place and URL of every file of the
build (links are resolved against them), the Markdown extensions with their settings, and the validation
settings (which decide what a broken link logs). A hit puts the same values back and logs the same
messages again, so a build with a cached page writes the same bytes and fails the same way under
`strict: true` as one without (tests/test_page_renders.py).

Only extensions of Python-Markdown itself, set with plain values, are named for certain by their settings:
with any other (a third-party extension may read other files, as pymdownx.snippets does), nothing is cached.

`StoredReleasedPages` keeps the step before: the released pages' Markdown, as the generator wrote it.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from noticegen.core.build_cache import BuildCache, cache_key
from noticegen.mkdocs_plugin import raw_blocks
from noticegen.render.pages import ReleasedPages

# Python-Markdown's own extensions whose output depends only on the text and their settings (codehilite
# depends on Pygments, which is not pinned into the key; `extra` bundles only these).
PURE_EXTENSIONS = frozenset(
    {
        "abbr", "admonition", "attr_list", "def_list", "extra", "fenced_code", "footnotes", "legacy_attrs",
        "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc", "wikilinks",
    }
)  # fmt: skip
# The loggers a conversion writes to: MkDocs' (broken links, anchors) and Python-Markdown's.
LOGGERS = ("mkdocs", "MARKDOWN")
PAGES_LOG = logging.getLogger("mkdocs.structure.pages")


def _extension_name(extension: object) -> str | None:
    if not isinstance(extension, str):
        return None
    name = extension.removeprefix("markdown.extensions.")
    return name if name in PURE_EXTENSIONS else None


def _plain(value: Any) -> Any:
    """`value` as JSON, a function by its importable name; ValueError for anything else (an object whose
    text would differ from one process to the next, or say nothing of what it does)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if callable(value) and getattr(value, "__module__", None) and "<" not in getattr(value, "__qualname__", "<"):
        return f"{value.__module__}.{value.__qualname__}"
    raise ValueError(f"{type(value).__name__} in the Markdown settings")


def render_settings(config: Any) -> str | None:
    """What of the site's configuration shapes a page's HTML, as text; None when it holds something this
    module cannot name for certain (then no page is cached)."""
    extensions = [_extension_name(extension) for extension in config["markdown_extensions"]]
    if None in extensions:
        return None
    try:
        parts = {
            "extensions": extensions,
            "settings": _plain(dict(config["mdx_configs"] or {})),
            "validation": {
                kind: {key: str(value) for key, value in dict(config["validation"][kind]).items()}
                for kind in ("links", "nav")
            },
            "use_directory_urls": config["use_directory_urls"],
        }
    except (ValueError, KeyError, TypeError):
        return None
    return json.dumps(parts, sort_keys=True)


def files_fingerprint(files: Any) -> str:
    """Every file of the build by its place, its URL and whether it is a page: what links resolve against."""
    return cache_key(
        "files", sorted([file.src_uri, file.dest_uri, file.url, file.is_documentation_page()] for file in files)
    )


def _toc_tokens(items: list[AnchorLink]) -> list[dict[str, Any]]:
    return [
        {"level": item.level, "id": item.id, "name": item.title, "children": _toc_tokens(item.children)}
        for item in items
    ]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[list[Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append([record.name, record.levelno, record.getMessage()])


@contextmanager
def _logged() -> Iterator[_Records]:
    handler = _Records()
    loggers = [logging.getLogger(name) for name in LOGGERS]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


class PageRenders:
    """Conversions of pages kept in `cache` (see the module's documentation)."""

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache
        # The fingerprint of the last build's files: MkDocs makes a new Files object for each build.
        self._files: tuple[int, str] | None = None

    def take_over(self, page: Page, config: Any) -> None:
        """Make `page`'s next conversion go through the cache (the page's own `render` comes next in MkDocs'
        build, after the page_markdown event that calls this)."""
        settings = render_settings(config)
        if settings is not None:
            page.render = functools.partial(self._render, page, settings)  # type: ignore[method-assign]

    def _fingerprint(self, files: Any) -> str:
        if self._files is None or self._files[0] != id(files):
            self._files = (id(files), files_fingerprint(files))
        return self._files[1]

    def _render(self, page: Page, settings: str, config: Any, files: Any) -> None:
        del page.render  # the page's own method again, for anything that renders it later
        key = cache_key(
            "page-render", settings, self._fingerprint(files), page.file.src_uri, page.file.url, page.markdown
        )
        stored = self.cache.get(key)
        if stored is not None and self._restore(page, json.loads(stored), files):
            return
        with _logged() as logged:
            raw_blocks.convert(page, config, files)
        self.cache.put(key, json.dumps(self._kept(page, logged.records), ensure_ascii=False))

    @staticmethod
    def _kept(page: Page, records: list[list[Any]]) -> dict[str, Any]:
        links = page.links_to_anchors or {}
        return {
            "content": page.content,
            "toc": _toc_tokens(list(page.toc)),
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": {file.src_uri: anchors for file, anchors in links.items()},
            "log": records,
        }

    @staticmethod
    def _restore(page: Page, kept: dict[str, Any], files: Any) -> bool:
        """Put back what the conversion left on `page`; False when a linked file is not in `files` (then
        the page is converted anew)."""
        links = {}
        for src_uri, anchors in kept["links"].items():
            target = files.get_file_from_path(src_uri)
            if target is None:
                return False
            links[target] = anchors
        page.content = kept["content"]
        page.toc = get_toc(kept["toc"])
        page._title_from_render = kept["title"]
        page.present_anchor_ids = set(kept["anchors"])
        if PAGES_LOG.getEffectiveLevel() > logging.DEBUG:  # as Page.render keeps them
            page.links_to_anchors = links
        for name, level, message in kept["log"]:
            logging.getLogger(name).log(level, message)
        return True


class StoredReleasedPages:
    """The released versions' Markdown pages (site_pages' `released`) kept in the build cache for the next
    build, under `released_key` (what they are made of: the sources but the working texts, the build date, the
    site's address and layout). One entry per layout, replaced when that key changes, so that a daily build
    leaves one entry, not one a day."""

    def __init__(self, cache: BuildCache, released_key: tuple[Any, ...]) -> None:
        self.cache = cache
        self.key = cache_key("released-pages", list(released_key))
        # The entry's place: the released key without the sources and the date.
        self.slot = cache_key("released-pages-slot", list(released_key[2:]))

    def read(self) -> ReleasedPages:
        payload = self.cache.get(self.slot)
        try:
            stored = json.loads(payload) if payload is not None else None
            if not isinstance(stored, dict) or stored.get("key") != self.key:
                return {}
            return {(version, locale, kind): text for version, locale, kind, text in stored["pages"]}
        except (ValueError, TypeError, KeyError):  # an entry of another shape is a miss
            return {}

    def write(self, pages: ReleasedPages) -> None:
        rows = [[*place, text] for place, text in sorted(pages.items())]
        self.cache.put(self.slot, json.dumps({"key": self.key, "pages": rows}, ensure_ascii=False))
