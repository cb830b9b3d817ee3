"""The MkDocs adapter: `plugins: [notice]` turns the checked notice into pages before MkDocs looks.

Everything the site shows is decided by the modules it calls (check, model, pages); this file only
moves their results into MkDocs' events. mkdocs-static-i18n runs every event but on_startup once per
locale, so the generated pages are cached by a fingerprint of the source files.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import html
import logging
import re
import shutil
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from noticegen.core.diagnostics import Severity
from noticegen.core.writer import sync_folder, write_if_changed
from noticegen.export.documents import api_files, serialize
from noticegen.model.notice import Notice
from noticegen.model.site import Site, SiteError, load_site
from noticegen.render.pages import feeds, locale_url, site_pages
from noticegen.source.versions import build_date

log = logging.getLogger("mkdocs.plugins.notice")

SOURCE_FOLDERS = ("notice", "locales")
# Material template overrides (banners, hreflang links, stylesheet and script), shipped inside the package.
OVERRIDES = Path(__file__).parent / "overrides"


class NoticePluginConfig(base.Config):
    # The folder that holds notice/ and locales/; by default the one that holds mkdocs.yml.
    project = c.Optional(c.Type(str))


def source_fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class NoticePlugin(BasePlugin[NoticePluginConfig]):
    def __init__(self) -> None:
        self.site: Site | None = None
        self.key: tuple[str, str, bool, str] | None = None
        self.preview = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Also makes MkDocs keep this plugin, and its cache, across `mkdocs serve` rebuilds."""
        # Material's search segments Chinese with jieba, which reports its dictionary loading on stderr.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        # `mkdocs serve` previews the working text; a build publishes the released versions.
        self.preview = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Put the notice's theme templates right after the site's own `custom_dir`, so a site can still
        override them; static-i18n calls this once per locale, hence the guard."""
        overrides = str(OVERRIDES)
        if overrides not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, overrides)
        return config

    def root(self, config: MkDocsConfig) -> Path:
        base_dir = Path(config.config_file_path).parent
        return (base_dir / self.config.project).resolve() if self.config.project else base_dir

    @property
    def notice(self) -> Notice:
        assert self.site is not None
        return self.site.working

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        root = self.root(config)
        on = build_date()
        key = (source_fingerprint(root), on.isoformat(), self.preview, config.site_url or "")
        if key != self.key:
            self.site = self.generate(root, Path(config.docs_dir), on, self.preview, config.site_url or "")
            self.key = key
        self.check_site_languages(config, self.notice)
        # The header and <title> name the publisher, the same in every language (the page's own
        # heading is the notice's title in its language).
        config.site_name = str(self.notice.controller["name"])

    @staticmethod
    def generate(root: Path, docs_dir: Path, on: datetime.date, preview: bool, site_url: str) -> Site:
        try:
            site, report = load_site(root, on, preview=preview)
        except SiteError as failure:
            report = failure.report
            lines = "\n".join(str(d) for d in report.sorted() if d.severity is Severity.ERROR)
            raise PluginError(f"notice check failed:\n{lines}\n{report.summary()}") from None
        for diagnostic in report.sorted():
            if diagnostic.severity is Severity.WARNING:
                log.warning(str(diagnostic))
        written = sync_folder(docs_dir, site_pages(site, site_url))
        log.info(f"notice: {len(written)} generated page(s) updated in {docs_dir}")
        return site

    @staticmethod
    def check_site_languages(config: MkDocsConfig, notice: Notice) -> None:
        i18n = config.plugins.get("i18n")
        if i18n is None:
            raise PluginError("the notice plugin needs mkdocs-static-i18n: add `- i18n` to plugins in mkdocs.yml")
        configured = {language.locale: language.default for language in i18n.config.languages}
        expected = {locale.code: locale.code == notice.default_locale for locale in notice.locales}
        if configured != expected:
            raise PluginError(
                "mkdocs.yml's i18n languages must be the notice's locales, with the notice's default_locale "
                f"as `default: true`: mkdocs.yml has {sorted(configured)} (default "
                f"{[k for k, v in configured.items() if v]}), notice/notice.yaml has {sorted(expected)} "
                f"(default {notice.default_locale})"
            )
        if not config.site_url:
            raise PluginError("set site_url in mkdocs.yml: hreflang alternates must be absolute URLs")

    def on_page_context(self, context: dict[str, Any], *, page: Any, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        assert self.notice is not None
        locale = current_locale(config, self.notice)
        context["notice_ui"] = dict(self.notice.ui[locale])
        context["notice_alternates"] = alternates(self.notice, locale, page.url, config.site_url or "")
        if self.site is not None and self.site.versions:
            context["notice_feed_url"] = locale_url(config.site_url or "", self.notice, locale, "feed.xml")
        return context

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        assert self.notice is not None
        locale = self.notice.locale(current_locale(config, self.notice))
        # Material writes the theme language ("zh"); the notice knows the exact tag and direction.
        output = re.sub(
            r"<html lang=\"[^\"]*\"",
            f'<html lang="{html.escape(locale.lang)}" dir="{html.escape(locale.dir)}"',
            output,
            count=1,
        )
        output = with_content_security_policy(output)
        # Python-Markdown's toc gives every permalink the same English title; use the page's language.
        title = html.escape(self.notice.ui[locale.code]["permalink"])
        return re.sub(
            r'(class="headerlink" href="[^"]*") title="Permanent link"',
            lambda match: f'{match.group(1)} title="{title}"',
            output,
        )

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The Atom feeds, and the sitemap in every locale folder (Material's switcher looks there)."""
        assert self.site is not None
        others = {locale.code for locale in self.notice.locales} - {self.notice.default_locale}
        root = Path(config.site_dir)
        if root.name in others:  # static-i18n builds a locale into <site>/<code>
            root = root.parent
        for path, text in feeds(self.site, config.site_url or "").items():
            write_if_changed(root / path, text)
        for path, document in api_files(self.site, config.site_url or "").items():
            write_if_changed(root / "api" / path, serialize(document))
        sitemap = root / "sitemap.xml"
        if not sitemap.is_file():
            return
        for code in sorted(others):
            if (root / code).is_dir():
                shutil.copyfile(sitemap, root / code / "sitemap.xml")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL)


def content_security_policy(page: str) -> str:
    """Only this site's own files may load; Material's few inline scripts are allowed by their hashes."""
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
            for attributes, body in INLINE_SCRIPT.findall(page)
            if "application/json" not in attributes  # data, never executed
        }
    )
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *hashes]),
            "style-src 'self' 'unsafe-inline'",  # Material sets style attributes (scroll, palette)
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def with_content_security_policy(page: str) -> str:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(page)}">'
    return page.replace("<head>", "<head>\n    " + meta, 1)


def current_locale(config: MkDocsConfig, notice: Notice) -> str:
    i18n = config.plugins.get("i18n")
    current = getattr(i18n, "current_language", None)
    return current if current in {locale.code for locale in notice.locales} else notice.default_locale


def alternates(notice: Notice, locale: str, page_url: str, site_url: str) -> list[dict[str, str]]:
    """Absolute hreflang links to this page in every locale, plus x-default (the default locale)."""
    neutral = page_url.removeprefix(f"{locale}/") if locale != notice.default_locale else page_url
    links = [
        {"hreflang": item.lang, "href": locale_url(site_url, notice, item.code, neutral)} for item in notice.locales
    ]
    links.append({"hreflang": "x-default", "href": locale_url(site_url, notice, notice.default_locale, neutral)})
    return links
