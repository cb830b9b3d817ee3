"""The preview in a browser, served by `mkdocs serve` itself: the problem banner is seen and reached by keyboard,
and a save that breaks the source reloads the open page into the error, then the fix into the notice, without
the reader doing anything (the page's Content Security Policy stops MkDocs' own reload script: see
overrides/assets/javascripts/notice-livereload.js)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import BOTPRESS, copy_site_project, replace_once
from test_serve import fetch, serving, wait_for

WARNED = "locales/en/notice.yaml:132:25"
BROKEN = "locales/en/notice.yaml:125:16"


@pytest.fixture
def served_preview(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The Botpress fixture with a warning in its working text, under `mkdocs serve`; (project, page URL)."""
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    replace_once(root / "locales/en/notice.yaml", "Botpress operates in several countries.", "Botpress operates \\ in")
    with serving(root, "/privacy/") as (url, log):
        assert wait_for(lambda: WARNED in fetch(url)), log.read_text()
        yield root, url


def test_the_banner_is_seen_and_reached_by_keyboard(page, served_preview: tuple[Path, str]) -> None:
    _, url = served_preview
    page.goto(url)
    banner = page.locator(".notice-problems")
    assert banner.is_visible()
    assert WARNED in banner.inner_text()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")  # Material's "skip to content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('notice-problems')")  # then the banner
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.notice-problems') !== null")  # and its redline link
    assert page.evaluate("document.activeElement.href").endswith("/privacy/versions/working/changes/")


def test_a_broken_save_reloads_the_open_page_into_the_error_and_the_fix_into_the_notice(
    page, served_preview: tuple[Path, str]
) -> None:
    root, url = served_preview
    page.goto(url)
    page.wait_for_load_state("load")
    text = root / "locales/en/notice.yaml"
    good = text.read_text(encoding="utf-8")
    text.write_text(good.replace("  retention:\n", "  retention:\n  - [broken\n", 1), encoding="utf-8")
    page.wait_for_selector(f"code:text('{BROKEN}')", timeout=90_000)
    assert page.locator("#retention").count() == 0
    text.write_text(good, encoding="utf-8")
    page.wait_for_selector("#retention", state="attached", timeout=90_000)


def test_a_save_reloads_each_open_page_once_and_only_if_it_changed(page, served_preview: tuple[Path, str]) -> None:
    """The preview serves a save once its default locale is built and reloads the browsers, then builds the
    other locales and reloads them again (decision record 0012). A page reloads only when its own text changed:
    the English page once, the Chinese page (an English edit does not change it) never."""
    root, url = served_preview
    assert wait_for(lambda: 'id="retention"' in fetch(url + "zh/"))  # built after the English pages are served
    chinese = page.context.new_page()
    loads = {"en": 0, "zh": 0}
    page.goto(url)
    chinese.goto(url + "zh/")
    for code, tab in (("en", page), ("zh", chinese)):
        tab.wait_for_load_state("load")
        tab.on("load", lambda _tab, code=code: loads.__setitem__(code, loads[code] + 1))
    log = root.parent / "serve.log"
    built_before = log.read_text().count("notice: built zh in ")
    replace_once(
        root / "locales/en/notice.yaml",
        "title: How long do we retain personal data?",
        "title: How long do we keep personal data?",
    )
    page.wait_for_selector("h2:text('How long do we keep personal data?')", timeout=90_000)
    assert wait_for(lambda: log.read_text().count("notice: built zh in ") > built_before), log.read_text()
    page.wait_for_timeout(2000)  # the second reload, if any, comes within a poll
    assert loads == {"en": 1, "zh": 0}
    assert chinese.locator("#retention").count() == 1
