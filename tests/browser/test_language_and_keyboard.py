"""Every word in the page's language, and the keyboard, in a real browser: the zh pages of every type show no
English interface word, each locale's 404 page works at any depth, Tab never lands on something out of
sight, focus always shows (both colour schemes, phone and desktop), and the skip link leads to the title."""

from __future__ import annotations

import pytest

from browser.test_notice_pages import KINDS

# Transitions off: a focused element is judged where it ends up, not halfway through Material's animation.
NO_MOTION = "*, *::before, *::after { transition: none !important; animation: none !important; }"
# Where the focus is, and whether a reader can see it: in the viewport, not hidden or transparent, and with
# a ring (outline or box shadow). A radio button of no size (Material's palette switch) shows its focus on
# the label its form shows, which is then the element judged.
FOCUSED = """() => {
  let element = document.activeElement;
  if (!element || element === document.body) return null;
  if (element.matches("input[type=radio]") && element.getBoundingClientRect().width === 0 && element.form) {
    const label = [...element.form.querySelectorAll("label")].find((l) => getComputedStyle(l).display !== "none");
    if (label) element = label;
  }
  const box = element.getBoundingClientRect();
  let shown = true;
  for (let node = element; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.visibility !== "visible" || style.display === "none" || style.opacity === "0") shown = false;
  }
  const style = getComputedStyle(element);
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
  const inView = box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
    && box.left < window.innerWidth && box.top < window.innerHeight;
  const name = (element.getAttribute("aria-label") || element.textContent || "").trim().slice(0, 40);
  return {tag: element.tagName, name, href: element.getAttribute("href"), shown, inView, ring,
          cls: String(element.className), headerlink: element.classList.contains("headerlink")};
}"""


def tab_walk(page, stops: int = 90) -> list[dict]:
    """Where each Tab press puts the focus, from the top of the page, until it leaves the page."""
    page.add_style_tag(content=NO_MOTION)
    walk = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            break
        walk.append(focused)
    return walk


@pytest.mark.parametrize("kind", [*KINDS, "404.html"])
def test_zh_pages_show_no_english_interface_word(page, site_url: str, kind: str) -> None:
    page.goto(f"{site_url}zh/{kind}")
    shown = page.evaluate(
        """() => document.title + " " + document.body.innerText + " " + [...document.querySelectorAll(
             "[aria-label], [title], [placeholder]")].map(e => [e.getAttribute("aria-label"), e.title,
             e.getAttribute("placeholder")].join(" ")).join(" ")"""
    )
    assert [word for word in ("Changelog", "Versions", "Not found") if word in shown] == []
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"


@pytest.mark.parametrize(
    ("prefix", "lang", "title"), [("", "en", "Page not found"), ("zh/", "zh-Hans", "未找到此页面")]
)
def test_each_locale_has_a_404_page_whose_links_work_at_any_depth(
    page, site_url: str, prefix: str, lang: str, title: str
) -> None:
    body = page.request.get(f"{site_url}{prefix}404.html").body()
    deep = f"{site_url}{prefix}no/such/page/here/"
    # A host answers a missing address with the 404 page's file, whatever the depth of the address.
    page.route(deep, lambda route: route.fulfill(status=404, body=body, content_type="text/html; charset=utf-8"))
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(deep)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.inner_text("h1") == title
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static"  # styled
    assert [url for url in failed if url != deep and not url.endswith("sitemap.xml")] == []
    links = page.eval_on_selector_all(".notice-not-found a", "links => links.map(a => [a.href, a.lang])")
    assert [lang for _, lang in links] == ([lang] + [tag for tag in ("en", "zh-Hans") if tag != lang])
    for href, tag in links:
        page.goto(href)
        assert page.evaluate("document.documentElement.lang") == tag
        assert page.locator("h1#notice-title").count() == 1


def test_the_site_s_one_404_page_sends_a_reader_under_a_locale_to_that_locale_s(page, site_url: str) -> None:
    body = page.request.get(f"{site_url}404.html").body()  # what GitHub Pages answers for any missing address
    for missing in (f"{site_url}zh/no/such/page/", f"{site_url}no/such/page/"):
        page.route(missing, lambda route: route.fulfill(status=404, body=body, content_type="text/html"))
    page.goto(f"{site_url}zh/no/such/page/")
    page.wait_for_url(f"{site_url}zh/404.html")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans" and page.inner_text("h1") == "未找到此页面"
    page.goto(f"{site_url}no/such/page/")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{site_url}no/such/page/" and page.inner_text("h1") == "Page not found"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["zh/", "", "versions/"])
def test_tab_never_focuses_what_cannot_be_seen_and_focus_always_shows(
    browser, site_url: str, path: str, width: int, scheme: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + path)
    walk = tab_walk(page)
    context.close()
    assert len(walk) >= 8
    assert [stop for stop in walk if not (stop["shown"] and stop["inView"])] == []
    assert [stop for stop in walk if not stop["ring"]] == []


def test_the_closed_menu_is_skipped_and_the_open_one_is_walked(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{site_url}zh/")
    page.add_style_tag(content=NO_MOTION)
    nav_links = page.locator(".md-sidebar--primary a").count()
    assert nav_links > 50
    walk = tab_walk(page, stops=20)
    assert [stop for stop in walk if stop["cls"].startswith("md-nav__link")] == []
    # The menu button is a keyboard button, named in the page's language; Enter opens the menu.
    button = page.locator('button.md-header__button[data-for="__drawer"]')
    assert button.get_attribute("aria-label") == "导航栏"
    button.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('__drawer').checked")
    opened = tab_walk(page, stops=12)
    context.close()
    # The menu's own links (the page's header, walked next, links the versions list too).
    in_menu = [stop for stop in opened if stop["href"] in ("changelog/", "versions/") and "md-nav__link" in stop["cls"]]
    assert len(in_menu) == 2 and all(stop["shown"] and stop["inView"] for stop in in_menu)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["", "zh/", "zh/versions/", "zh/changelog/", "versions/2025-12-01/changes/"])
def test_the_skip_link_leads_to_the_title_and_then_to_the_text(browser, site_url: str, path: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(site_url + path)
    page.add_style_tag(content=NO_MOTION)
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.className")
    assert "md-skip" in skip
    target = page.evaluate("document.querySelector(document.activeElement.getAttribute('href')).tagName")
    assert target == "H1"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    after = page.evaluate(FOCUSED)
    title_bottom = page.evaluate("document.querySelector('h1').getBoundingClientRect().bottom")
    below = page.evaluate("document.activeElement.getBoundingClientRect().top")
    context.close()
    assert after is not None and not after["headerlink"] and after["name"] != "¶"
    assert after["shown"] and after["inView"] and below >= title_bottom - 1


def test_no_heading_permalink_takes_focus(page, site_url: str) -> None:
    page.goto(f"{site_url}zh/")
    focusable = page.eval_on_selector_all("a.headerlink", "links => links.filter(a => a.tabIndex >= 0).length")
    assert focusable == 0
    assert page.locator("a.headerlink").count() > 50  # still there for the mouse and for copying
