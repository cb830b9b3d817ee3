"""Version pages, redline pages and the versions list in a real browser: contents on a desktop, the archived
banner, the versions list on a phone, the redline's colours and axe, in both colour schemes at both widths."""

from __future__ import annotations

import pytest

from browser.conftest import axe_violations

OLD, NEW = "2025-09-23", "2025-12-01"
VERSION_PAGE, REDLINE = f"versions/{OLD}/", f"versions/{NEW}/changes/"
DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
SCHEMES = {"light": "default", "dark": "slate"}

# WCAG's contrast ratio of an element's computed text colour against the background it is drawn on (its own, or
# the nearest ancestor's that is not transparent).
CONTRAST = """element => {
    const luminance = colour => {
        const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(Number).map(c => c / 255)
            .map(c => c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    let layer = element;
    while (getComputedStyle(layer).backgroundColor === "rgba(0, 0, 0, 0)" && layer.parentElement) {
        layer = layer.parentElement;
    }
    const colours = [getComputedStyle(element).color, getComputedStyle(layer).backgroundColor];
    const [light, dark] = colours.map(luminance).sort((a, b) => b - a);
    return (light + 0.05) / (dark + 0.05);
}"""


def opened(browser, url: str, viewport: dict[str, int], scheme: str = "light", **options):
    context = browser.new_context(viewport=viewport, color_scheme=scheme, **options)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
    return context, page


@pytest.mark.parametrize(("path", "section"), [(VERSION_PAGE, "retention"), (REDLINE, "retention")])
def test_a_page_out_of_the_navigation_shows_its_contents_on_a_desktop(browser, site_url: str, path, section) -> None:
    context, page = opened(browser, site_url + path, DESKTOP)
    contents = page.locator(f'.md-sidebar--secondary nav.md-nav--secondary a[href="#{section}"]')
    assert contents.is_visible()
    assert not page.locator("nav.notice-contents").is_visible()  # not twice
    contents.click()
    page.wait_for_url(f"{site_url}{path}#{section}")
    context.close()


def test_on_a_phone_the_version_s_contents_are_in_the_page(browser, site_url: str) -> None:
    context, page = opened(browser, site_url + VERSION_PAGE, PHONE)
    assert page.locator("nav.notice-contents").is_visible()
    assert not page.locator(".md-sidebar--secondary").is_visible()
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_archived_banner_gives_the_period_in_force_and_leads_to_the_version_in_force(
    browser, site_url: str, scheme: str
) -> None:
    context, page = opened(browser, site_url + VERSION_PAGE, DESKTOP, scheme)
    banner = page.locator(".notice-banner--archived")
    assert banner.get_attribute("role") == "note"
    assert " ".join(banner.inner_text().split()) == (
        "This version is no longer in force. It was in force from September 23, 2025 to November 30, 2025. "
        "Read the version in force"
    )
    # Marked for the eye too: its own background, and an icon drawn before the words.
    styles = banner.evaluate(
        """element => [getComputedStyle(element).backgroundColor, getComputedStyle(document.body).backgroundColor,
            getComputedStyle(element, "::before").maskImage]"""
    )
    assert styles[0] != styles[1] and styles[2].startswith('url("data:image/svg+xml')
    assert banner.evaluate(CONTRAST) >= 4.5
    assert banner.locator("a").evaluate(CONTRAST) >= 4.5
    banner.locator("a").click()
    page.wait_for_url(site_url)
    context.close()


@pytest.mark.parametrize("prefix", ["", "zh/"])
def test_the_versions_list_on_a_phone_is_a_block_per_version_with_its_status(
    browser, site_url: str, prefix: str
) -> None:
    context, page = opened(browser, f"{site_url}{prefix}versions/", PHONE)
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll(".md-content *")]
            .filter(element => element.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
            .map(element => element.outerHTML.slice(0, 80))"""
    )
    assert overflowing == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    rows = page.locator(".notice-versions tbody tr")
    assert rows.count() == 2
    for index in range(rows.count()):
        status = rows.nth(index).locator("td:has(.notice-status)")
        assert status.locator(".notice-status").is_visible()
        # each field is labelled with its column's name (the status column is followed by the PDF's)
        column = status.evaluate("cell => cell.cellIndex")
        label = page.locator(".notice-versions thead th").nth(column).text_content()
        assert status.evaluate("element => getComputedStyle(element, '::before').content").startswith(f'"{label}"')
    # A block per version: the rows stack, one above the other.
    tops = [rows.nth(index).bounding_box()["y"] for index in range(rows.count())]
    assert tops[1] > tops[0] + rows.nth(0).bounding_box()["height"] - 1
    context.close()


def test_the_versions_list_on_a_desktop_is_a_table(browser, site_url: str) -> None:
    context, page = opened(browser, f"{site_url}versions/", DESKTOP)
    assert page.locator(".notice-versions thead").is_visible()
    assert page.locator(".notice-versions tbody tr").first.evaluate("row => getComputedStyle(row).display") == (
        "table-row"
    )
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("prefix", ["", "zh/"])
def test_inserted_and_deleted_text_reads_at_aa_contrast(browser, site_url: str, prefix: str, scheme: str) -> None:
    context, page = opened(browser, f"{site_url}{prefix}{REDLINE}", DESKTOP, scheme)
    # The bundled second version only inserts: a deletion is added to the page to read its computed colours.
    page.evaluate(
        """() => document.querySelector(".notice-redline").insertAdjacentHTML("beforeend", "<del>gone</del>")"""
    )
    ratios = page.evaluate(f"() => [...document.querySelectorAll('ins, del')].map({CONTRAST})")
    assert len(ratios) == 2 and min(ratios) >= 4.5, ratios
    background = page.locator("ins").evaluate("element => getComputedStyle(element).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # one inserted character is seen, not only its line
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("scheme", SCHEMES)
# The Chinese redline and every other page at 1280 px: test_notice_pages.py.
@pytest.mark.parametrize("path", [VERSION_PAGE, REDLINE, "versions/"])
def test_axe_finds_no_violation(browser, site_url: str, axe_script, path: str, scheme: str, viewport) -> None:
    context, page = opened(browser, site_url + path, viewport, scheme, bypass_csp=True)
    violations = axe_violations(page, axe_script)
    context.close()
    assert violations == []
