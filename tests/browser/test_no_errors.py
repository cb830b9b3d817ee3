"""Every page type, in every locale, loads cleanly: no console error, no failed request, nothing from another
host; both where site_url says the site is (http://127.0.0.1:PORT/privacy/, as on the published host) and
opened from another address (the same files served at the root of another origin, as from a preview or a
copy). And search finds text pasted into the search box without a key press.

The pages come from the built site's own index (api/notice.json: the locales, every version's page), so
each page type is loaded in each locale the notice has.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from browser.conftest import ServedSite, served


@dataclass
class Trouble:
    """What went wrong while a page loaded, as a reader's browser would show it."""

    origin: str
    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("console", lambda message: message.type == "error" and self.console.append(message.text))
        page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))
        page.on("requestfailed", lambda request: self.failed.append(f"{request.url} ({request.failure})"))
        page.on("response", lambda response: response.status >= 400 and self.failed.append(self.status(response)))
        page.on("request", lambda request: self.is_foreign(request.url) and self.foreign.append(request.url))

    @staticmethod
    def status(response) -> str:
        return f"{response.url} ({response.status})"

    def is_foreign(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme not in ("data", "blob", "about") and f"{parts.scheme}://{parts.netloc}" != self.origin

    def found(self) -> dict[str, list[str]]:
        return {
            kind: items
            for kind, items in (("console", self.console), ("failed", self.failed), ("foreign", self.foreign))
            if items
        }


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def site_pages(site: ServedSite) -> dict[str, str]:
    """Each page type in each locale, by a name, as paths under the site's root."""
    index = json.loads((site.site / "api" / "notice.json").read_text(encoding="utf-8"))
    default = index["locales"]["default"]
    pages = {}
    for locale in index["locales"]["available"]:
        code = locale["code"]
        prefix = "" if code == default else f"{code}/"
        pages[f"{code}: main page"] = prefix
        pages[f"{code}: versions list"] = f"{prefix}versions/"
        pages[f"{code}: changelog"] = f"{prefix}changelog/"
        for version in index["versions"]:
            path = version["urls"]["html"][code].removeprefix(site.url)
            pages[f"{code}: version {version['id']} ({version['status']})"] = path
            pages[f"{code}: redline of {version['id']}"] = f"{path}changes/"
    for not_found in sorted(site.site.rglob("404.html")):
        pages[f"not found: {not_found.relative_to(site.site)}"] = not_found.relative_to(site.site).as_posix()
    return pages


def visit(context, url: str, origin: str) -> tuple[Trouble, list[str]]:
    """What went wrong loading `url` in a fresh tab, and the feeds the page links to. The tab waits for
    everything the page fetches once loaded (Material fetches more after DOMContentLoaded)."""
    trouble = Trouble(origin)
    tab = context.new_page()
    trouble.watch(tab)
    try:
        response = tab.goto(url, wait_until="networkidle")
        if response is None or response.status != 200:
            trouble.failed.append(f"{url} ({response and response.status})")
        feeds = tab.eval_on_selector_all('link[type="application/atom+xml"]', "links => links.map(link => link.href)")
    finally:
        tab.close()
    return trouble, feeds


@pytest.fixture(scope="module")
def pages(bundled_site: ServedSite) -> dict[str, str]:
    found = site_pages(bundled_site)
    # The bundled notice after a second release: two versions, one archived, in both its locales.
    assert sum("redline" in name for name in found) >= 4 and any("archived" in name for name in found), found
    return found


@pytest.fixture(scope="module")
def elsewhere(bundled_site: ServedSite) -> Iterator[str]:
    """The same built files served at the root of another origin than site_url's."""
    with served(bundled_site.site, "/") as url:
        yield url


def test_every_page_type_in_every_locale_loads_cleanly_under_site_url(
    page, bundled_site: ServedSite, pages: dict[str, str]
) -> None:
    problems, feeds = {}, set()
    for name, path in pages.items():
        trouble, linked = visit(page.context, bundled_site.url + path, origin_of(bundled_site.url))
        feeds.update(linked)
        if trouble.found():
            problems[name] = trouble.found()
    assert problems == {}
    # Each main page links its locale's feed, and the feed is there (fetched as a feed reader does: a tab showing it
    # would also ask the host's root for /favicon.ico).
    assert len(feeds) == len([name for name in pages if name.endswith("main page")])
    for feed in sorted(feeds):
        assert feed.startswith(bundled_site.url), feed
        response = page.request.get(feed)
        assert (response.status, response.headers["content-type"]) == (200, "application/xml"), feed


def test_every_page_loads_without_console_errors_from_another_address(
    page, bundled_site: ServedSite, pages: dict[str, str], elsewhere: str
) -> None:
    """The pages give search engines their absolute URLs (hreflang, canonical), on another origin here: the
    browser must not be made to request them. The 404 page is left out: the host serves it for any missing
    path, so its links are absolute to site_url, and it works there only."""
    site_path = urlsplit(bundled_site.url).path.lstrip("/")
    problems = {}
    for name, path in pages.items():
        if not name.startswith("not found"):
            trouble, _ = visit(page.context, elsewhere + path.removeprefix(site_path), origin_of(elsewhere))
            if trouble.found():
                problems[name] = trouble.found()
    assert problems == {}


def test_the_hreflang_json_and_feed_alternates_stay_in_the_head(page, bundled_site: ServedSite) -> None:
    """Kept out of Material's sight while it looks for sitemaps, they are back once the page has loaded."""
    page.goto(bundled_site.url + "zh/", wait_until="networkidle")
    alternates = page.eval_on_selector_all(
        "head link[rel=alternate]", "links => links.map(link => link.hreflang || link.type)"
    )
    assert alternates == ["en", "zh-Hans", "x-default", "application/json", "application/atom+xml"]


PASTED = {"": "cookies", "zh/": "个人信息"}


@pytest.mark.parametrize("prefix", PASTED, ids=["en", "zh"])
def test_text_pasted_into_the_search_box_is_searched(page, bundled_site: ServedSite, prefix: str) -> None:
    """A paste with the mouse changes the box's text without a key event: the results show all the same."""
    served = page.goto(bundled_site.url + prefix, wait_until="networkidle")
    meta = ".md-search-result__meta"
    loading = re.search(r'class="md-search-result__meta">\s*(.*?)\s*<', served.text()).group(1)
    page.click("input.md-search__input")
    # Material answers a query only once its index is loaded, and then says so in place of "loading".
    page.wait_for_function(
        "([selector, loading]) => document.querySelector(selector).textContent.trim() !== loading", arg=[meta, loading]
    )
    # What Chromium does on a paste from the context menu: the text is inserted, `input` fires, no key does.
    page.keyboard.insert_text(PASTED[prefix])
    try:
        page.wait_for_selector(".md-search-result__item", state="attached", timeout=5000)
    except PlaywrightTimeoutError:
        pytest.fail(f"no results for {PASTED[prefix]!r} pasted into the search box")
    links = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.href)")
    assert links and all(link.startswith(bundled_site.url + prefix) for link in links)
