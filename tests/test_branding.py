"""The publisher's logo and favicon (notice/data/branding.yaml): copied into the site and named in every page, so
that the header's logo and the `<link rel="icon">` resolve to files of the site; without them, Material's own
favicon, which is in the site too. The refusals (a path out of the project, a wrong type, a hostile SVG) are check
cases: tests/check_cases/branding-*.yaml."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import MINIMAL, build_fixture_site, copy_notice, release_on
from noticegen.checks.notice import check_notice
from noticegen.model.notice import published_content

SITE_URL = "https://example.org/privacy/"
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#036"/></linearGradient></defs>'
    '<rect width="10" height="10" fill="url(#g)"/><use href="#g"/></svg>\n'
)
VERSION = "2026-02-01"
# Pages of every kind, in both locales: the main pages, the 404 pages, the versions list, a version's page.
PAGES = (
    "index.html",
    "fr/index.html",
    "404.html",
    "fr/404.html",
    "fr/versions/index.html",
    f"versions/{VERSION}/index.html",
)


def png(width: int = 1, height: int = 1) -> bytes:
    """A valid PNG image: one opaque pixel."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x10\x20\x30" * width for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def with_branding(root: Path) -> Path:
    (root / "notice/branding").mkdir()
    (root / "notice/branding/logo.svg").write_text(LOGO, encoding="utf-8")
    (root / "notice/branding/favicon.png").write_bytes(png())
    (root / "notice/data/branding.yaml").write_text(
        "logo: notice/branding/logo.svg\nfavicon: notice/branding/favicon.png\n", encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def branded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = with_branding(copy_notice(MINIMAL, tmp_path_factory.mktemp("source") / "notice"))
    release = ["release", VERSION, "--change", "material", "--summary", "en=First.", "--summary", "fr=Première."]
    assert release_on("2026-01-01", [*release, "--path", str(source)]) == 0
    root = tmp_path_factory.mktemp("branded") / "project"
    build_fixture_site(source, root, SITE_URL)
    return root / "site"


def resolved(site: Path, page: str, href: str) -> Path:
    """The file of the site a link on `page` leads to."""
    url = urljoin(SITE_URL + page, href)
    assert url.startswith(SITE_URL), f"{page} links {href} outside the site"
    return site / url.removeprefix(SITE_URL)


def icon_of(page_html: str) -> str:
    links = re.findall(r'<link rel="icon" href="([^"]+)"', page_html)
    assert len(links) == 1, links
    return links[0]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_names_the_publisher_s_favicon_and_logo_served_by_the_site(branded: Path, page: str) -> None:
    text = (branded / page).read_text(encoding="utf-8")
    assert resolved(branded, page, icon_of(text)).read_bytes() == png()
    logos = re.findall(r'class="md-header__button md-logo"[^>]*>\s*<img src="([^"]+)"', text)
    assert logos, "the header shows the publisher's logo"
    assert resolved(branded, page, logos[0]).read_text(encoding="utf-8") == LOGO


def test_the_images_are_served_under_fixed_names(branded: Path) -> None:
    assert sorted(path.name for path in (branded / "assets/brand").iterdir()) == ["favicon.png", "logo.svg"]


@pytest.mark.parametrize("page", ["index.html", "zh/index.html", "404.html", "zh/versions/2025-09-23/index.html"])
def test_without_branding_every_page_names_a_favicon_the_site_has_and_draws_the_logo_itself(
    built_site: Path, page: str
) -> None:
    site = built_site / "site"
    text = (site / page).read_text(encoding="utf-8")
    assert resolved(site, page, icon_of(text)).is_file()  # Material's favicon, copied into the site: never a 404
    assert '<img src="' not in text.split('class="md-header__button md-logo"')[1].split("</a>")[0]


def test_the_logo_and_favicon_are_not_the_notice_s_published_content(tmp_path: Path) -> None:
    plain = check_notice(copy_notice(MINIMAL, tmp_path / "plain"))
    branded = check_notice(with_branding(copy_notice(MINIMAL, tmp_path / "branded")))
    assert not branded.report.errors
    assert published_content(plain, ("en", "fr")) == published_content(branded, ("en", "fr"))
