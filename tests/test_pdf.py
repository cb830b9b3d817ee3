"""The PDF of each released version and locale: where the site publishes it, what every page says, that its
fonts travel with it, that its links work, and that a rebuild gives the same bytes."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import json
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import BOTPRESS, MINIMAL, copy_notice, copy_site_project, mkdocs, release_on
from noticegen.export import pdf
from noticegen.model.site import load_site
from noticegen.render.pages import pdf_url
from noticegen.render.pdf_document import pdf_html

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


def embedded_fonts(reader: PdfReader) -> dict[str, bytes]:
    """Each embedded font file by the font's name (without its subset tag)."""
    found = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            key = next(key for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor)
            found[str(font["/BaseFont"]).split("+", 1)[-1]] = descriptor[key].get_object().get_data()
    return found


def test_the_fonts_are_static_cut_to_the_text_and_fixed_at_the_stylesheet_s_weights(built_site: Path) -> None:
    """Each PDF embeds its fonts cut to its characters, regular and bold fixed (no variable font, whose
    instancing took most of a Chinese PDF's time), the CJK one as CFF, which every PDF reader reads."""
    from fontTools.ttLib import TTFont

    fonts = embedded_fonts(PdfReader(built_site / PDFS["zh"]))
    assert {"Noto-Sans-CJK", "Noto-Sans-CJK-Bold", "Noto-Sans", "Noto-Sans-Bold"} <= set(fonts)
    with TTFont(str(pdf.fonts()["Noto Sans CJK"]), fontNumber=0, lazy=True) as face:
        full = len(face.getGlyphOrder())
    for name, data in fonts.items():
        font = TTFont(io.BytesIO(data))
        assert "fvar" not in font and "gvar" not in font and "CFF2" not in font, name
        if "CJK" in name:
            assert "CFF " in font, name
            assert len(font.getGlyphOrder()) < full / 20, name  # thousands of characters at most, of 65,535
    regular, bold = (
        TTFont(io.BytesIO(fonts[name]))["OS/2"].usWeightClass for name in ("Noto-Sans-CJK", "Noto-Sans-CJK-Bold")
    )
    assert (regular, bold) == (400, 700)


def simplified_chinese_forms() -> dict[str, str]:
    """The CJK font's default glyph -> the glyph its `locl` feature takes for Simplified Chinese (ZHS), for the
    Han characters whose forms differ between the regions (the collection's first face is the Japanese one)."""
    from fontTools.ttLib import TTCollection

    with TTCollection(str(pdf.fonts()["Noto Sans CJK"]), lazy=True) as collection:
        return _simplified_chinese_locl(collection.fonts[0]["GSUB"].table)


def _simplified_chinese_locl(gsub) -> dict[str, str]:
    features = gsub.FeatureList.FeatureRecord
    forms: dict[str, str] = {}
    for script in gsub.ScriptList.ScriptRecord:
        for language in script.Script.LangSysRecord if script.ScriptTag == "hani" else ():
            if language.LangSysTag.strip() != "ZHS":
                continue
            for index in language.LangSys.FeatureIndex:
                if features[index].FeatureTag != "locl":
                    continue
                for lookup in features[index].Feature.LookupListIndex:
                    for table in gsub.LookupList.Lookup[lookup].SubTable:
                        forms.update(getattr(getattr(table, "ExtSubTable", table), "mapping", None) or {})
    return forms


def outline(glyphs, name: str) -> list[tuple[str, tuple[tuple[float, float], ...]]]:  # type: ignore[no-untyped-def]
    from fontTools.pens.recordingPen import RecordingPen

    pen = RecordingPen()
    glyphs[name].draw(pen)
    return pen.value


def same_outline(drawn: list, reference: list) -> bool:
    """The same contours, each point within a unit of the reference's (the PDF's font has whole units)."""
    return [command for command, _ in drawn] == [command for command, _ in reference] and all(
        abs(x - rx) <= 1 and abs(y - ry) <= 1
        for (_, points), (_, reference_points) in zip(drawn, reference, strict=True)
        for (x, y), (rx, ry) in zip(points, reference_points, strict=True)
    )


def test_chinese_is_set_in_the_simplified_chinese_forms_of_its_characters(built_site: Path) -> None:
    """lang="zh-Hans" reaches the shaper: a character whose form differs by region (直, 骨, 关…) is drawn with the
    glyph the font gives Simplified Chinese, not the Japanese default of the collection's first face. The PDF
    embeds the font cut to its characters and fixed at its weights: its glyphs are compared by their outlines
    with the full font's at the regular weight."""
    from fontTools.ttLib import TTFont

    forms = simplified_chinese_forms()
    with TTFont(str(pdf.fonts()["Noto Sans CJK"]), fontNumber=0, lazy=True) as face:
        cmap = face.getBestCmap()
        regular = face.getGlyphSet(location={"wght": 400})
        regional = {code: (name, forms[name]) for code, name in cmap.items() if name in forms}
        checked = 0
        for page in PdfReader(built_site / PDFS["zh"]).pages:
            for font in (ref.get_object() for ref in page["/Resources"]["/Font"].values()):
                if str(font["/BaseFont"]).endswith("+Noto-Sans-CJK"):
                    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                    embedded = TTFont(io.BytesIO(descriptor["/FontFile3"].get_object().get_data()))
                    order, glyphs = embedded.getGlyphOrder(), embedded.getGlyphSet()
                    to_unicode = font["/ToUnicode"].get_object().get_data().decode("latin-1")
                    for cid, code in re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]{4})>", to_unicode):
                        if int(code, 16) in regional:
                            default, simplified = regional[int(code, 16)]
                            drawn = outline(glyphs, order[int(cid, 16)])
                            assert same_outline(drawn, outline(regular, simplified)), chr(int(code, 16))
                            assert not same_outline(drawn, outline(regular, default)), chr(int(code, 16))
                            checked += 1
    assert checked >= 5  # the bundled notice's Chinese has several such characters


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
    key = pdf.cache_key(site, version, "en")
    (tmp_path / f"{key}.pdf").write_bytes(pdf.entry_checksum(key, b"%PDF-cached").encode() + b"\n%PDF-cached")

    def must_not_run(*_args: object) -> bytes:
        raise AssertionError("laid out again")

    monkeypatch.setattr(pdf, "render_pdf", must_not_run)
    assert pdf.version_pdf(site, version, "en", cache=tmp_path) == b"%PDF-cached"


@pytest.mark.parametrize("damage", ["truncated", "foreign", "another locale's"])
def test_a_damaged_cache_entry_is_laid_out_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    site, _ = load_site(BOTPRESS, datetime.date(2026, 1, 1))
    version = site.version(VERSION)
    key = pdf.cache_key(site, version, "en")
    entry = pdf.entry_checksum(key, b"%PDF-whole").encode() + b"\n%PDF-whole"
    if damage == "truncated":
        entry = entry[:-3]
    elif damage == "foreign":
        entry = b"%PDF-copied without its checksum"
    else:  # the Chinese PDF's entry, whole, under the English PDF's name
        chinese = pdf.cache_key(site, version, "zh")
        entry = pdf.entry_checksum(chinese, b"%PDF-zh").encode() + b"\n%PDF-zh"
    (tmp_path / f"{key}.pdf").write_bytes(entry)
    monkeypatch.setattr(pdf, "render_pdf", lambda *_args: b"%PDF-laid out again")
    assert pdf.version_pdf(site, version, "en", cache=tmp_path) == b"%PDF-laid out again"
    assert pdf.version_pdf(site, version, "en", cache=tmp_path) == b"%PDF-laid out again"  # and kept


@pytest.mark.parametrize("switch", ["pdf: false in mkdocs.yml", "NOTICEGEN_PDF=off"])
def test_pdfs_switched_off_are_neither_written_nor_linked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, switch: str
) -> None:
    # NOTICEGEN_PDF=off is how `make site` builds on a machine without Pango (after saying so).
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    if switch.startswith("pdf:"):
        config = root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        plugins = text.index("\nplugins:")
        off = text[:plugins] + text[plugins:].replace("\n  - notice\n", "\n  - notice:\n      pdf: false\n", 1)
        assert "pdf: false" in off
        config.write_text(off, encoding="utf-8")
    else:
        monkeypatch.setenv("NOTICEGEN_PDF", "off")
    mkdocs(root, "build", "--strict")
    site = root / "site"
    assert (site / "index.html").is_file()
    assert list(site.rglob("*.pdf")) == []
    assert [page for page in site.rglob("*.html") if ".pdf" in page.read_text(encoding="utf-8")] == []


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


def test_a_right_to_left_locale_is_laid_out_right_to_left_with_its_own_font(tmp_path: Path) -> None:
    rtl = BOTPRESS.parent / "rtl"
    root = copy_site_project(rtl, tmp_path / "project", rtl / "mkdocs.yml")
    summaries = ["--summary", "en=First version.", "--summary", "ar=الإصدار الأول."]
    arguments = ["release", "2026-02-01", "--change", "material", *summaries, "--path", str(root)]
    assert release_on("2026-01-10", arguments) == 0
    site, _ = load_site(root, datetime.date(2026, 3, 1))
    version = site.version("2026-02-01")
    reader = PdfReader(io.BytesIO(pdf.render_pdf(site, version, "ar")))
    assert "Noto-Sans-Arabic" in font_names(reader)
    assert embedded(reader)
    placed: dict[str, float] = {}

    def where(text: str, _cm: object, matrix: list[float], _font: object, _size: object) -> None:
        for mark in ("Example Ltd", "1 / 1"):
            if mark in text:
                placed[mark] = matrix[4]

    page = reader.pages[0]
    text = page.extract_text(visitor_text=where)
    # The publisher heads the page on the right, the page number ends it on the left: mirrored for rtl.
    assert placed["Example Ltd"] > placed["1 / 1"]
    assert "2026-02-01" in text and version.digests["ar"] in text.replace("\n", "")


def test_a_publisher_named_like_markup_stays_text_in_the_page_margins() -> None:
    site, _ = load_site(BOTPRESS, datetime.date(2026, 1, 1))
    hostile = 'Evil"; } </style><link rel="stylesheet" href="http://203.0.113.9/x.css"> \\'
    released = site.version(VERSION)
    notice = dataclasses.replace(released.notice, controller={**released.notice.controller, "name": hostile})
    version = dataclasses.replace(released, notice=notice)
    document = pdf_html(site, version, "en", pdf.fonts())
    # One style element, closed where the layout closes it; the name only in a CSS string, escaped
    assert document.count("</style>") == 1 and "<link" not in document
    assert '"Evil\\000022\\00003b \\00007d \\00003c/style\\00003e' in document
    reader = PdfReader(io.BytesIO(pdf.render_pdf(site, version, "en")))
    shown = "".join(reader.pages[0].extract_text().split())  # the extraction's spacing is its own
    assert "".join(hostile.split()) in shown


def test_the_pdf_takes_nothing_but_its_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    site, _ = load_site(BOTPRESS, datetime.date(2026, 1, 1))
    version = site.version(VERSION)
    laid_out = pdf.pdf_html

    def with_a_remote_image(*args: object) -> str:
        return laid_out(*args).replace("</h1>", '</h1><img src="http://203.0.113.9/pixel.png" alt="">', 1)

    monkeypatch.setattr(pdf, "pdf_html", with_a_remote_image)
    with pytest.raises(pdf.ForeignResourceError) as refusal:
        pdf.render_pdf(site, version, "en")
    assert str(refusal.value) == (
        f"version {VERSION} (en): the PDF's text asks for 'http://203.0.113.9/pixel.png': a PDF embeds nothing else"
    )


def test_the_cache_key_follows_what_the_pdf_shows() -> None:
    site, _ = load_site(BOTPRESS, datetime.date(2026, 1, 1))
    version = site.version(VERSION)
    key = pdf.cache_key(site, version, "en")
    assert pdf.cache_key(site, version, "zh") != key
    # the locale's language tag and direction (dates, sides of the page), declared in the working notice
    british = [dataclasses.replace(loc, lang="en-GB") if loc.code == "en" else loc for loc in site.working.locales]
    relabelled = dataclasses.replace(site, working=dataclasses.replace(site.working, locales=tuple(british)))
    assert pdf.cache_key(relabelled, relabelled.version(VERSION), "en") != key
    # a correction of the version, which its PDF names
    correction = dataclasses.replace(version, id=f"{VERSION}.1", corrects=VERSION)
    corrected = dataclasses.replace(site, versions=(*site.versions, correction))
    assert pdf.cache_key(corrected, version, "en") != key


def test_a_corrected_version_s_pdf_says_so_under_its_title_and_on_every_page() -> None:
    site, _ = load_site(BOTPRESS, datetime.date(2026, 1, 1))
    version = site.version(VERSION)
    correction = dataclasses.replace(version, id=f"{VERSION}.1", corrects=VERSION, published=datetime.date(2025, 10, 2))
    corrected = dataclasses.replace(site, versions=(*site.versions, correction))
    document = pdf_html(corrected, version, "en", pdf.fonts())
    assert (
        '<p class="notice-corrected" role="note">This text was corrected on October 2, 2025. '
        f"Read the corrected text: {VERSION}.1</p>"
    ) in document
    margin = document.split("@top-right {", 1)[1].split(";", 1)[0]
    assert margin == ' content: "In force from September 23, 2025 · Corrected on October 2, 2025"'


@pytest.mark.parametrize(("text", "named"), [("שלום", "U+05E9 HEBREW LETTER SHIN"), ("🍪", "U+1F36A COOKIE")])
def test_a_character_no_embedded_font_has_stops_the_pdf_with_where_it_is(
    monkeypatch: pytest.MonkeyPatch, text: str, named: str
) -> None:
    # Laid out anyway, it would come from a font of the building machine, or be a box.
    site, _ = load_site(BOTPRESS, datetime.date(2026, 1, 1))
    version = site.version(VERSION)
    laid_out = pdf.pdf_html

    def with_text(*args: object) -> str:
        return laid_out(*args).replace('<h2 id="retention">', f'<h2 id="retention">{text} ', 1)

    monkeypatch.setattr(pdf, "pdf_html", with_text)
    with pytest.raises(pdf.UncoveredTextError) as refusal:
        pdf.render_pdf(site, version, "en")
    assert str(refusal.value).startswith(
        f"version {VERSION} (en), section 'retention': no font of the PDF has the character '{text[0]}' ({named});"
    )
    assert "`pdf: false`" in str(refusal.value)


def test_the_embedded_fonts_cover_the_scripts_the_readme_names() -> None:
    covered = pdf.covered_characters()
    assert all(ord(character) in covered for character in "Aé€Ωж中文かな한글ع•→©")


@pytest.fixture(scope="module")
def minimal_released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_notice(MINIMAL, tmp_path_factory.mktemp("minimal") / "project")
    summaries = ["--summary", "en=First.", "--summary", "fr=Première."]
    arguments = ["release", "2026-02-01", "--change", "material", *summaries, "--path", str(root)]
    assert release_on("2026-01-10", arguments) == 0
    return root


def test_pdfs_laid_out_side_by_side_are_the_bytes_of_one_after_the_other(
    minimal_released: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, _ = load_site(minimal_released, datetime.date(2026, 3, 1))
    serial = pdf.pdf_files(site, None, jobs=1)
    assert sorted(serial) == ["fr/versions/2026-02-01/fr.pdf", "versions/2026-02-01/en.pdf"]
    render = pdf.render_pdf

    def noting_the_process(*args: object) -> bytes:
        with (tmp_path / "processes").open("a") as processes:
            processes.write(f"{os.getpid()}\n")
        return render(*args)

    monkeypatch.setattr(pdf, "render_pdf", noting_the_process)
    assert pdf.pdf_files(site, None, jobs=2) == serial
    laid_out_by = (tmp_path / "processes").read_text().split()
    assert len(laid_out_by) == 2 and str(os.getpid()) not in laid_out_by


def test_a_pdf_that_fails_in_a_side_by_side_process_stops_the_build_with_its_message(
    minimal_released: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, _ = load_site(minimal_released, datetime.date(2026, 3, 1))
    laid_out = pdf.pdf_html

    def with_an_emoji(site: object, version: object, locale: str, fonts: object) -> str:
        document = laid_out(site, version, locale, fonts)
        return document.replace('<h2 id="intro">', '<h2 id="intro">🍪 ', 1) if locale == "fr" else document

    monkeypatch.setattr(pdf, "pdf_html", with_an_emoji)  # a forked process inherits it
    with pytest.raises(pdf.UncoveredTextError) as refusal:
        pdf.pdf_files(site, None, jobs=2)
    assert str(refusal.value).startswith("version 2026-02-01 (fr), section 'intro': no font of the PDF has")
