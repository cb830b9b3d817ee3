"""The notice pages in a real browser: anchors, the language switcher, requests, search, axe, print."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from browser.conftest import axe_violations, search

LOCALES = {"en": "", "zh": "zh/"}
# Every kind of page: the notice, the versions list, the changelog, an archived version, a redline.
KINDS = ["", "versions/", "changelog/", "versions/2025-09-23/", "versions/2025-12-01/changes/"]
EVERY_PAGE = [prefix + kind for prefix in LOCALES.values() for kind in KINDS]


def top_of(page, element_id: str) -> float:
    return page.evaluate(f"document.getElementById('{element_id}').getBoundingClientRect().top")


@pytest.mark.parametrize("prefix", LOCALES.values())
def test_an_anchor_url_lands_on_its_section(page, site_url: str, prefix: str) -> None:
    page.goto(f"{site_url}{prefix}#retention")
    page.wait_for_load_state("load")
    assert page.evaluate("window.scrollY") > 1000
    assert 0 <= top_of(page, "retention") < 150  # just below Material's fixed header


def test_the_language_switcher_keeps_the_anchor(page, site_url: str) -> None:
    page.goto(f"{site_url}#cookies")
    page.hover(".md-header .md-select")
    page.click('.md-header .md-select__link[hreflang="zh-Hans"]')
    page.wait_for_url(f"{site_url}zh/#cookies")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert 0 <= top_of(page, "cookies") < 150


def test_the_switcher_goes_back_to_english_at_the_same_section(page, site_url: str) -> None:
    page.goto(f"{site_url}zh/#dpf-complaints")
    page.hover(".md-header .md-select")
    page.click('.md-header .md-select__link[hreflang="en"]')
    page.wait_for_url(f"{site_url}#dpf-complaints")


@pytest.mark.parametrize("path", [*EVERY_PAGE, "404.html", "no-such-page/"])
def test_every_request_goes_to_the_site_itself(page, site_url: str, path: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    if path not in ("404.html", "no-such-page/"):
        search(page, "data")  # loads the search worker and the index
    origin = urlsplit(site_url).netloc
    assert [url for url in requested if urlsplit(url).netloc != origin and not url.startswith("data:")] == []
    assert len(requested) > 3 or path == "no-such-page/"


@pytest.mark.parametrize(
    ("prefix", "query", "section"),
    [
        ("zh/", "保留", "zh/#retention"),
        ("zh/", "个人数据", "zh/#definitions"),
        ("zh/", "子处理方", "zh/#subprocessors"),
        ("", "retain", "#retention"),
        ("", "sub-processors", "#subprocessors"),
        # Query words are prefixes, never stemmed, so the index is not stemmed either: inflected words match.
        ("", "cookies", "#cookies"),
        ("", "technologies", "#cookies"),
    ],
)
def test_search_finds_the_section(page, site_url: str, prefix: str, query: str, section: str) -> None:
    page.goto(site_url + prefix)
    found = search(page, query)
    assert site_url + section in found


@pytest.mark.parametrize(
    ("prefix", "query"),
    [("", "data"), ("", "processing"), ("", "GDPR"), ("zh/", "数据"), ("zh/", "个人数据"), ("zh/", "GDPR")],
)
def test_search_finds_only_pages_in_the_reader_s_language(page, site_url: str, prefix: str, query: str) -> None:
    """Each locale's pages load that locale's index: an English reader never gets the Chinese page, nor the
    other way round (GDPR is written in both)."""
    page.goto(site_url + prefix)
    found = search(page, query)
    assert found
    if prefix:
        assert [url for url in found if not url.startswith(site_url + prefix)] == []
    else:
        assert [url for url in found if url.startswith(site_url + "zh/")] == []


@pytest.mark.parametrize("prefix", LOCALES.values())
def test_without_javascript_the_text_contents_and_anchors_work(browser, site_url: str, prefix: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 800, "height": 700})
    page = context.new_page()
    page.goto(f"{site_url}{prefix}#children")
    assert 0 <= top_of(page, "children") < 150
    contents = page.locator("nav.notice-contents")
    assert contents.is_visible()
    contents.locator("summary").click()  # collapsed behind one button (a <details>: no script needed)
    contents.locator('a[href="#gdpr-dpa"]').click()
    assert page.url.endswith("#gdpr-dpa")
    assert 0 <= top_of(page, "gdpr-dpa") < 150
    assert page.locator("#subprocessors-service + .notice-body table").is_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", EVERY_PAGE)
def test_axe_finds_no_violation(browser, site_url: str, axe_script, path: str, scheme: str) -> None:
    # The page's Content Security Policy would refuse the injected axe-core: the test lifts it.
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.dataset.mdColorScheme") == expected
    violations = axe_violations(page, axe_script)
    context.close()
    assert violations == []


@pytest.mark.parametrize("prefix", LOCALES.values())
def test_printing_gives_the_whole_notice_without_navigation(page, site_url: str, prefix: str) -> None:
    page.goto(site_url + prefix)
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => [".md-header", ".md-sidebar--primary", ".md-footer", "nav.notice-contents", ".headerlink"]
            .map(selector => [selector, document.querySelector(selector)])
            .map(([selector, element]) => [selector, element ? getComputedStyle(element).display : "absent"])"""
    )
    assert shown == [
        [".md-header", "none"],
        [".md-sidebar--primary", "none"],
        [".md-footer", "none"],
        ["nav.notice-contents", "none"],
        [".headerlink", "none"],
    ]
    invisible_sections = page.evaluate(
        """() => [...document.querySelectorAll("article h2[id], article h3[id], article h4[id]")]
            .filter(heading => heading.offsetParent === null).map(heading => heading.id)"""
    )
    assert invisible_sections == []
    shown_target = page.evaluate(
        """() => getComputedStyle(document.querySelector('article a[href^="https://ico.org.uk"]'), "::after").content"""
    )
    assert shown_target == '" <https://ico.org.uk/>"'


@pytest.mark.parametrize("prefix", LOCALES.values())
def test_the_redline_marks_the_change_for_every_reader(page, site_url: str, prefix: str) -> None:
    page.goto(f"{site_url}{prefix}versions/2025-12-01/changes/")
    inserted = page.locator("ins")
    assert inserted.count() == 1
    # The hidden label is read out by screen readers and takes no room on screen.
    label = inserted.locator(".notice-sr")
    assert label.evaluate("element => element.getBoundingClientRect().width") <= 1
    assert page.locator("details summary").is_visible()


def test_an_archived_version_links_to_the_current_one(page, site_url: str) -> None:
    page.goto(f"{site_url}versions/2025-09-23/")
    assert page.locator(".notice-banner").inner_text().startswith("This version is no longer in force.")
    page.locator(".notice-banner a").click()
    assert page.url == site_url


@pytest.mark.parametrize("path", EVERY_PAGE)
def test_the_content_security_policy_is_never_violated(browser, site_url: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(
        """window.__violations = [];
        document.addEventListener("securitypolicyviolation",
            event => window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`));"""
    )
    page = context.new_page()
    page.goto(site_url + path)
    assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
    search(page, "data")  # the search worker, its index and its language files load under the policy
    page.keyboard.press("Escape")
    page.locator("form[data-md-component=palette] label:visible").first.click()  # runs Material's palette script
    violations = page.evaluate("window.__violations")
    context.close()
    assert violations == []
