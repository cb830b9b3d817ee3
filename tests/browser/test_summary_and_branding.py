"""A notice with a summary and the publisher's logo and favicon, in a real browser: every page type in both locales
loads cleanly (the logo and favicon are the site's own files, nothing fails, nothing comes from another host); the
logo is drawn; the summary stands in the header under the dates; axe finds nothing in the header in either scheme
at either width; the summary prints."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.conftest import ServedSite, axe_violations, served
from browser.test_no_errors import origin_of, site_pages, visit
from browser.test_version_pages import DESKTOP, PHONE, SCHEMES, opened
from conftest import MINIMAL, copy_site_project, mkdocs, release_on
from noticegen.cli import main
from test_branding import VERSION, with_branding
from test_notice_summary import write_summaries


@pytest.fixture(scope="module")
def branded_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The minimal notice with a summary, a logo and a favicon, released once, built for and served at a local
    address."""
    root = tmp_path_factory.mktemp("branded") / "project"
    with served(root / "site") as url:
        copy_site_project(MINIMAL, root)  # with the bundled site's configuration: both colour schemes
        with_branding(root)
        write_summaries(root)
        assert main(["stamp", "fr", "--summary", "--path", str(root)]) == 0  # the French summary is up to date
        release = ["release", VERSION, "--change", "material", "--summary", "en=First.", "--summary", "fr=Première."]
        assert release_on("2026-01-01", [*release, "--path", str(root)]) == 0
        config = root / "mkdocs.yml"
        config.write_text(
            re.sub(r"(?m)^site_url: .*$", f"site_url: {url}", config.read_text(encoding="utf-8")), encoding="utf-8"
        )
        mkdocs(root, "build", "--strict")
        yield ServedSite(root / "site", url)


def test_every_page_type_loads_cleanly_with_the_publisher_s_images(page, branded_site: ServedSite) -> None:
    problems = {}
    for name, path in site_pages(branded_site).items():
        trouble, _ = visit(page.context, branded_site.url + path, origin_of(branded_site.url))
        if trouble.found():
            problems[name] = trouble.found()
    assert problems == {}


@pytest.mark.parametrize("path", ["", "fr/", f"versions/{VERSION}/", "404.html"])
def test_the_logo_is_drawn_and_the_favicon_is_served(browser, branded_site: ServedSite, path: str) -> None:
    context, page = opened(browser, branded_site.url + path, DESKTOP)
    logo = page.locator(".md-header__button.md-logo img")
    assert logo.evaluate("image => image.complete && image.naturalWidth > 0")
    icon = page.eval_on_selector('link[rel="icon"]', "link => link.href")
    assert icon == branded_site.url + "assets/brand/favicon.png"
    response = page.request.get(icon)
    assert (response.status, response.headers["content-type"]) == (200, "image/png")
    context.close()


def test_the_summary_stands_under_the_dates(browser, branded_site: ServedSite) -> None:
    context, page = opened(browser, branded_site.url + "fr/", PHONE)
    dates = page.locator(".notice-header__dates").bounding_box()
    summary = page.locator(".notice-header .notice-summary")
    assert summary.is_visible()
    assert summary.bounding_box()["y"] > dates["y"]
    assert summary.inner_text().startswith("Nous utilisons vos données uniquement pour vous répondre.")
    assert page.locator("article h2[id]").first.bounding_box()["y"] < PHONE["height"]  # the text still starts here
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_violation_in_the_header_with_a_summary_and_a_logo(
    browser, branded_site: ServedSite, axe_script: Path, viewport, scheme
) -> None:
    context, page = opened(browser, branded_site.url, viewport, scheme, bypass_csp=True)
    violations = axe_violations(page, axe_script, '{include: [".notice-header", ".md-header"]}')
    context.close()
    assert violations == []


def test_the_summary_prints(browser, branded_site: ServedSite) -> None:
    context, page = opened(browser, branded_site.url, DESKTOP)
    page.emulate_media(media="print")
    assert page.locator(".notice-summary").is_visible()
    assert re.match(r"We use your data only to answer you\.", page.locator(".notice-summary").inner_text())
    context.close()
