"""The PDF of each released version and locale: where the site publishes it, what every page says, that its
fonts travel with it, that its links work, and that a rebuild gives the same bytes."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from tests.conftest import BOTPRESS, copy_site_project, mkdocs

from noticegen.export import pdf
from noticegen.model.site import load_site
from noticegen.render.pages import pdf_url

VERSION = "2025-09-23"
PDFS = {
    "en": Path("site") / "versions" / VERSION / "en.pdf",
    "zh": Path("site") / "zh" / "versions" / VERSION / "zh.pdf",
}


def recorded_digest(root: Path, locale: str) -> str:
    document = json.loads((root / "site" / "api" / "v" / VERSION / f"{locale}.json").read_text(encoding="utf-8"))
    return document["integrity"]["digest"]


def font_names(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def embedded(reader: PdfReader) -> bool:
    """Whether every font the pages use carries its font file (no font left to the reader's machine)."""
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                return False
    return True


def link_targets(reader: PdfReader) -> tuple[list[str], int]:
    """The external URLs the pages link to, and how many links lead inside the document."""
    external, internal = [], 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                external.append(str(action["/URI"]))
            elif action is not None or "/Dest" in annotation.get_object():
                internal += 1
    return external, internal


def test_each_version_and_locale_has_a_pdf_under_its_locale_root(built_site: Path) -> None:
    for path in PDFS.values():
        assert (built_site / path).read_bytes().startswith(b"%PDF-")


def test_every_page_names_the_publisher_the_version_its_date_and_its_digest(built_site: Path) -> None:
    for locale, path in PDFS.items():
        digest = recorded_digest(built_site, locale)
        reader = PdfReader(built_site / path)
        assert len(reader.pages) > 1
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text()
            assert VERSION in text, (locale, number)
            assert digest in text.replace("\n", ""), (locale, number)
            assert "Botpress Inc." in text, (locale, number)
            assert f"{number} / {len(reader.pages)}" in text, (locale, number)
    assert "2025年9月23日" in PdfReader(built_site / PDFS["zh"]).pages[0].extract_text()
    assert "September 23, 2025" in PdfReader(built_site / PDFS["en"]).pages[0].extract_text()


def test_fonts_are_embedded_with_a_cjk_font_for_chinese(built_site: Path) -> None:
    english = PdfReader(built_site / PDFS["en"])
    chinese = PdfReader(built_site / PDFS["zh"])
    assert embedded(english) and embedded(chinese)
    assert "Noto-Sans-CJK" in font_names(chinese)
    assert not any("CJK" in name for name in font_names(english))


def test_links_are_live_external_and_internal(built_site: Path) -> None:
    external, internal = link_targets(PdfReader(built_site / PDFS["zh"]))
    assert "https://tools.google.com/dlpage/gaoptout" in external
    assert internal > 0  # the references between sections, as PDF destinations


def test_a_rebuild_writes_the_same_bytes(built_site: Path) -> None:
    before = {locale: (built_site / path).read_bytes() for locale, path in PDFS.items()}
    mkdocs(built_site, "build", "--strict")
    assert {locale: (built_site / path).read_bytes() for locale, path in PDFS.items()} == before


def test_laying_out_again_without_the_cache_gives_the_same_bytes(tmp_path: Path) -> None:
    # Made twice from nothing (English only: the Chinese font makes the layout slow), as a cold build would.
    site, _ = load_site(BOTPRESS, datetime.date(2026, 1, 1))
    version = site.version(VERSION)
    first = pdf.version_pdf(site, version, "en", cache=tmp_path / "one")
    second = pdf.version_pdf(site, version, "en", cache=tmp_path / "two")
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    assert PdfReader(io.BytesIO(first)).metadata.get("/CreationDate") is None


def test_a_warm_cache_is_read_not_laid_out_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, _ = load_site(BOTPRESS, datetime.date(2026, 1, 1))
    version = site.version(VERSION)
    (tmp_path / pdf.cache_key(site, version, "en")).with_suffix(".pdf").write_bytes(b"%PDF-cached")

    def must_not_run(*_args: object) -> bytes:
        raise AssertionError("laid out again")

    monkeypatch.setattr(pdf, "render_pdf", must_not_run)
    assert pdf.version_pdf(site, version, "en", cache=tmp_path) == b"%PDF-cached"


def test_pdf_false_writes_no_pdf(tmp_path: Path) -> None:
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    plugins = text.index("\nplugins:")
    switched_off = text[:plugins] + text[plugins:].replace("\n  - notice\n", "\n  - notice:\n      pdf: false\n", 1)
    assert "pdf: false" in switched_off
    config.write_text(switched_off, encoding="utf-8")
    mkdocs(root, "build", "--strict")
    assert (root / "site" / "index.html").is_file()
    assert list((root / "site").rglob("*.pdf")) == []


def test_without_pango_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pango(name: str) -> object:
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "import_module", no_pango)
    site, _ = load_site(BOTPRESS, datetime.date(2026, 1, 1))
    with pytest.raises(pdf.PdfUnavailableError) as refusal:
        pdf.render_pdf(site, site.version(VERSION), "en")
    assert "apt-get install libpango-1.0-0" in str(refusal.value)
    assert "pdf: false" in str(refusal.value)
    assert "cannot load library 'libpango-1.0-0'" in str(refusal.value)


def test_pdf_url_follows_the_locale_root() -> None:
    site, _ = load_site(BOTPRESS, datetime.date(2026, 1, 1))
    assert pdf_url("https://example.org/p/", site.working, VERSION, "en") == (
        f"https://example.org/p/versions/{VERSION}/en.pdf"
    )
    assert pdf_url("https://example.org/p/", site.working, VERSION, "zh") == (
        f"https://example.org/p/zh/versions/{VERSION}/zh.pdf"
    )


def test_the_versions_list_and_the_version_page_link_the_pdf(built_site: Path) -> None:
    for locale, folder in (("en", built_site / "site"), ("zh", built_site / "site" / "zh")):
        versions = (folder / "versions" / "index.html").read_text(encoding="utf-8")
        assert f'href="{VERSION}/{locale}.pdf" type="application/pdf"' in versions
        page = (folder / "versions" / VERSION / "index.html").read_text(encoding="utf-8")
        assert f'href="{locale}.pdf" type="application/pdf"' in page
        assert (folder / "versions" / VERSION / f"{locale}.pdf").is_file()
    zh_page = (built_site / "site" / "zh" / "versions" / VERSION / "index.html").read_text(encoding="utf-8")
    assert "下载此版本的 PDF 文件" in zh_page


def test_without_pdfs_nothing_links_one(tmp_path: Path) -> None:
    from noticegen.render.pages import version_page, versions_page

    site, _ = load_site(BOTPRESS, datetime.date(2026, 1, 1))
    assert ".pdf" not in versions_page(site, "en")
    assert ".pdf" not in version_page(site, site.version(VERSION), "en", "https://example.org/")
