"""A company's notice with a table of lawful bases and clause anchors (tests/fixtures/counsel), in a browser:
anchors that land on their row or paragraph in every locale, retired ones too, the ¶ permalink on hover, the
table on a phone with nothing cut off, and axe."""

from __future__ import annotations

import pytest

from browser.conftest import axe_violations
from conftest import COUNSEL_VERSIONS

LOCALES = {"en": "", "de": "de/"}
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 800}
REDLINE = f"versions/{COUNSEL_VERSIONS[1]}/changes/"


def open_page(browser, url: str, viewport: dict[str, int], **options):
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page


def landed(where: dict) -> bool:
    """Just below Material's fixed header; or, near the end of the page, where the page ends, in view."""
    return 0 <= where["top"] < (where["height"] - 50 if where["atEnd"] else 150)


def landing(page, element_id: str) -> dict:
    """Where the element with this id is after the browser followed the address's #anchor."""
    return page.evaluate(
        """id => {
            const element = document.getElementById(id);
            const box = element.getBoundingClientRect();
            const end = document.documentElement.scrollHeight - window.innerHeight;
            return {tag: element.tagName, target: element.matches(":target"), top: box.top, bottom: box.bottom,
                    scrolled: window.scrollY, height: window.innerHeight, atEnd: window.scrollY >= end - 1};
        }""",
        element_id,
    )


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
@pytest.mark.parametrize("prefix", LOCALES.values(), ids=LOCALES.keys())
def test_a_row_id_is_an_anchor_that_lands_on_the_row_in_every_locale(browser, counsel_site, prefix, viewport) -> None:
    context, page = open_page(browser, f"{counsel_site.url}{prefix}#basis-marketing", viewport)
    where = landing(page, "basis-marketing")
    context.close()
    assert (where["tag"], where["target"]) == ("TR", True)
    assert where["scrolled"] > 0
    assert landed(where) and where["bottom"] > 150


@pytest.mark.parametrize("prefix", LOCALES.values(), ids=LOCALES.keys())
def test_a_clause_id_lands_on_its_paragraph_or_list_item(browser, counsel_site, prefix) -> None:
    for clause_id, tag in (("objection", "P"), ("sharing-clinics", "LI")):
        context, page = open_page(browser, f"{counsel_site.url}{prefix}#{clause_id}", WIDE)
        where = landing(page, clause_id)
        context.close()
        assert (where["tag"], where["target"]) == (tag, True)
        assert landed(where)


@pytest.mark.parametrize("prefix", LOCALES.values(), ids=LOCALES.keys())
def test_retired_anchors_lead_on_through_their_aliases(browser, counsel_site, prefix) -> None:
    # A clause retired in the second version lands on the paragraph that now says it; a removed row on its section.
    context, page = open_page(browser, f"{counsel_site.url}{prefix}#objection-marketing", WIDE)
    inside = page.evaluate("document.getElementById('objection-marketing').closest('[id=objection]') !== null")
    objection = landing(page, "objection")
    page.goto(f"{counsel_site.url}{prefix}#basis-legal")
    page.wait_for_load_state("load")
    section = landing(page, "purposes-and-lawful-bases")
    context.close()
    assert inside
    assert landed(objection)
    assert landed(section) and not section["atEnd"]


def opacity(page, selector: str) -> str:
    return page.evaluate("selector => getComputedStyle(document.querySelector(selector)).opacity", selector)


@pytest.mark.parametrize("prefix", LOCALES.values(), ids=LOCALES.keys())
def test_a_clause_shows_its_permalink_on_hover(browser, counsel_site, prefix) -> None:
    context, page = open_page(browser, f"{counsel_site.url}{prefix}", WIDE)
    title = {"": "Link to this clause", "de/": "Link zu dieser Klausel"}[prefix]
    for clause, hovered in (("#objection", "#objection"), ("#basis-security", "#basis-security > td")):
        link = f"{clause} .headerlink"
        assert page.get_attribute(link, "href") == clause and page.get_attribute(link, "title") == title
        page.locator(clause).scroll_into_view_if_needed()
        page.mouse.move(0, 0)
        page.wait_for_function(
            "selector => getComputedStyle(document.querySelector(selector)).opacity === '0'", arg=link
        )
        page.hover(hovered)
        page.wait_for_function(
            "selector => getComputedStyle(document.querySelector(selector)).opacity === '1'", arg=link
        )
        assert opacity(page, link) == "1"
        assert page.evaluate("s => getComputedStyle(document.querySelector(s), '::before').content", link) == '"¶"'
    context.close()


@pytest.mark.parametrize("path", ["", REDLINE], ids=["notice", "redline"])
@pytest.mark.parametrize("prefix", LOCALES.values(), ids=LOCALES.keys())
def test_on_a_phone_the_table_is_a_block_per_row_with_nothing_cut_off(browser, counsel_site, prefix, path) -> None:
    context, page = open_page(browser, f"{counsel_site.url}{prefix}{path}", PHONE)
    found = page.evaluate(
        """() => {
            const table = document.querySelector(".notice-table");
            table.scrollIntoView();
            const width = document.documentElement.clientWidth;
            const outside = [...table.querySelectorAll("*")]
                .map(element => [element, element.getBoundingClientRect()])
                .filter(([element, box]) => box.width > 0 && (box.left < -0.5 || box.right > width + 0.5))
                .map(([element]) => element.outerHTML.slice(0, 80));
            const cells = [...table.querySelectorAll("tbody th, tbody td")];
            return {
                page: document.documentElement.scrollWidth - width,
                sideways: table.scrollWidth - table.clientWidth,
                outside,
                labels: cells.map(cell => getComputedStyle(cell, "::before").content),
                expected: cells.map(cell => JSON.stringify(cell.dataset.label)),
                rowWidths: [...table.querySelectorAll("tbody tr")]
                    .map(row => Math.round(row.getBoundingClientRect().width)),
                header: getComputedStyle(table.querySelector("thead")).position,
            };
        }"""
    )
    context.close()
    assert found["page"] <= 0 and found["sideways"] <= 0  # no sideways scrolling, of the page or of the table
    assert found["outside"] == []
    assert [label.split(" / ")[0] for label in found["labels"]] == found["expected"]  # each cell names its column
    assert len(set(found["rowWidths"])) == 1  # every row a block of the same width
    assert found["header"] == "absolute"  # the column headings are kept for screen readers, not shown


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", "de/", REDLINE, f"de/{REDLINE}"])
def test_axe_finds_no_violation(browser, counsel_site, axe_script, path, scheme, viewport) -> None:
    context, page = open_page(
        browser, counsel_site.url + path, viewport, color_scheme=scheme, bypass_csp=True
    )  # the Content Security Policy would refuse the injected axe-core
    # On a phone, the notice's own content: Material's drawer repeats the contents there as a second navigation
    # landmark of the same name (this fixture's mkdocs.yml does not integrate the contents in the navigation).
    scope = "document" if viewport is WIDE else 'document.querySelector("article")'
    violations = axe_violations(page, axe_script, scope)
    context.close()
    assert violations == []
