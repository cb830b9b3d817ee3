"""Browser fixtures: the built site served on localhost, and Debian's Chromium driven by Playwright.

Outside CI a missing Chromium or axe-core skips these tests with the reason; under CI=true they
must run, so a missing browser fails instead.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from conftest import (
    BOTPRESS,
    COUNSEL,
    COUNSEL_BUILT_ON,
    JAPANESE,
    MINIMAL_MKDOCS,
    PROJECT,
    build_fixture_site,
    copy_notice,
    copy_site_project,
    mkdocs,
    release_counsel_history,
    release_second_version,
    today_is,
)

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
# As root, without a sandbox; and no background traffic to Google's hosts (this network is closed).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def require(path: Path, how: str) -> None:
    if path.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{path} is missing: {how} (browser tests must run in CI)")
    pytest.skip(f"{path} is missing: {how}")


# Where mkdocs.yml's site_url puts the site: it is served under this path, as on GitHub Pages.
SITE_PATH = urlsplit(yaml.safe_load((BOTPRESS / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]).path


class PrefixHandler(SimpleHTTPRequestHandler):
    """Serves the site under its path only; anything else is a 404, as it would be when published."""

    def __init__(self, *args: Any, site_path: str = SITE_PATH, **kwargs: Any) -> None:
        self.site_path = site_path
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.site_path):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path.removeprefix(self.site_path))

    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    """A browser that leaves a page drops the requests it no longer needs: not an error of the site's."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def served(site: Path, site_path: str = SITE_PATH) -> Iterator[str]:
    """The folder `site` served at http://127.0.0.1:PORT/privacy/, or under `site_path` (the address is known
    before the site is built into that folder, so that it can be built for it)."""
    handler = functools.partial(PrefixHandler, directory=str(site), site_path=site_path)
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{site_path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass(frozen=True)
class ServedSite:
    site: Path  # the built site's folder
    url: str  # where it is served, as its site_url says


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The bundled notice built for, and served at, http://127.0.0.1:PORT/privacy/.

    site_url is the local address, so that every absolute URL of the site (canonical, hreflang,
    sitemap) points to the server the browser talks to, exactly as on the published host.
    """
    root = tmp_path_factory.mktemp("served") / "project"
    with served(root / "site") as url:
        copy_site_project(BOTPRESS, root)
        release_second_version(root)  # so that archived pages and a redline with changes are served too
        config = root / "mkdocs.yml"
        config.write_text(
            re.sub(r"(?m)^site_url: .*$", f"site_url: {url}", config.read_text(encoding="utf-8")), encoding="utf-8"
        )
        mkdocs(root, "build", "--strict")
        yield ServedSite(root / "site", url)


@pytest.fixture(scope="session")
def site_url(bundled_site: ServedSite) -> str:
    """Where the bundled notice is served (see bundled_site)."""
    return bundled_site.url


@pytest.fixture(scope="session")
def japanese_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The search fixture notice (tests/fixtures/japanese: en, ja, fr) built once for, and served at, a local
    address, as site_url does for the bundled notice."""
    root = tmp_path_factory.mktemp("japanese") / "project"
    with served(root / "site") as url:
        build_fixture_site(JAPANESE, root, url)
        yield ServedSite(root / "site", url)


@pytest.fixture(scope="session")
def counsel_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The counsel fixture notice (tests/fixtures/counsel: en, de; tables and clause anchors) with its two
    versions (conftest.release_counsel_history), built on a day the second is in force and served locally."""
    root = tmp_path_factory.mktemp("counsel") / "project"
    with served(root / "site") as url:
        copy_notice(COUNSEL, root)
        release_counsel_history(root)
        (root / "generated").mkdir()
        config = re.sub(r"(?m)^site_url: .*$", lambda _: f"site_url: {url}", MINIMAL_MKDOCS)
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
        with today_is(COUNSEL_BUILT_ON):
            mkdocs(root, "build", "--strict")
        yield ServedSite(root / "site", url)


def search(page, query: str) -> list[str]:
    """Type into Material's search box as a reader does; the links of the results.

    Material searches on key events, and ignores a query typed before its index is loaded, so the
    query is typed again until results show (at most 20 s).
    """
    box = "input.md-search__input"
    page.click(box)
    for _ in range(40):
        page.fill(box, query)
        page.press(box, "End")
        try:
            page.wait_for_selector(".md-search-result__item", state="attached", timeout=500)
            break
        except PlaywrightTimeoutError:
            continue
    return page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.href)")


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM, "install Debian's chromium package (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    require(AXE, "run `npm ci` in the project folder (make test does)")
    return AXE


def axe_violations(page, axe_script: Path, scope: str = "document") -> list[str]:
    """axe-core's violations on the open page, one line each; `scope` is a JavaScript expression for what it
    checks (the document, an element, or `{include: [selectors]}`)."""
    page.add_script_tag(path=str(axe_script))
    return page.evaluate(
        f"""async () => (await axe.run({scope}, {{resultTypes: ["violations"]}})).violations.map(
            v => `${{v.id}} (${{v.impact}}): ${{v.nodes.length}} node(s), e.g. ${{v.nodes[0].target.join(" ")}}`)"""
    )
