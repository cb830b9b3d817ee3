"""The header under the title in a real browser: on a phone the text starts on the first screen and the contents
open from one button by keyboard; axe finds nothing in the header in either scheme at either width; a printed copy
shows the publisher, version and digest, with a dark title and no links onward."""

from __future__ import annotations

import re

import pytest

from browser.conftest import axe_violations
from browser.test_version_pages import DESKTOP, PHONE, SCHEMES, opened

OLD = "2025-09-23"
PAGES = ["", "zh/", f"versions/{OLD}/", f"zh/versions/{OLD}/"]


@pytest.mark.parametrize("path", PAGES)
def test_on_a_phone_the_text_starts_on_the_first_screen(browser, site_url: str, path: str) -> None:
    context, page = opened(browser, site_url + path, PHONE)
    first_heading = page.locator("article h2[id]").first
    assert first_heading.bounding_box()["y"] < PHONE["height"]
    assert page.locator(".notice-header__links").is_visible()
    context.close()


def test_on_a_phone_the_contents_open_from_one_button_by_keyboard(browser, site_url: str) -> None:
    context, page = opened(browser, site_url, PHONE)
    link = page.locator('nav.notice-contents a[href="#retention"]')
    assert not link.is_visible()
    page.locator("summary.notice-contents__title").focus()
    page.keyboard.press("Enter")
    assert link.is_visible()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "#retention")
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", ["", "zh/", f"versions/{OLD}/"])
def test_axe_finds_no_violation_in_the_header(browser, site_url: str, axe_script, path, viewport, scheme) -> None:
    context, page = opened(browser, site_url + path, viewport, scheme, bypass_csp=True)
    violations = axe_violations(
        page, axe_script, '{include: [".notice-header", ".notice-contact", "nav.notice-contents"]}'
    )
    context.close()
    assert violations == []


PRINTED = {
    "": r"Published by: Botpress Inc\.\n.*Version: 2025-12-01\nEffective date: December 1, 2025\n"
    r"Content digest \(SHA-256\): [0-9a-f]{64}$",
    f"zh/versions/{OLD}/": r"发布者：Botpress Inc\.\n.*版本：2025-09-23\n生效日期：2025年9月23日\n"
    r"内容摘要（SHA-256）：[0-9a-f]{64}$",
}


@pytest.mark.parametrize("path", PRINTED)
def test_a_printed_copy_carries_the_publisher_the_version_and_the_digest(browser, site_url: str, path) -> None:
    context, page = opened(browser, site_url + path, DESKTOP)
    record = page.locator(".notice-print-record")
    assert not record.is_visible()  # on paper only
    page.emulate_media(media="print")
    assert record.is_visible()
    lines = "\n".join(line for line in record.inner_text().split("\n") if line.strip())
    assert re.fullmatch(PRINTED[path], lines, re.DOTALL)
    assert not page.locator(".notice-header__links").is_visible()
    assert not page.locator(".notice-json").is_visible()
    title_colour = page.locator("h1").evaluate("element => getComputedStyle(element).color")
    assert title_colour == "rgb(0, 0, 0)"
    context.close()


def test_the_rights_and_contact_box_opens_by_keyboard_and_leads_to_the_rights_section(browser, site_url: str) -> None:
    context, page = opened(browser, site_url, PHONE)
    box = page.locator("details.notice-contact")
    link = box.locator('a[href="#rights"]')
    assert not link.is_visible()
    box.locator("summary").focus()
    page.keyboard.press("Enter")
    assert link.is_visible() and box.locator("address").is_visible()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "#rights")
    context.close()
