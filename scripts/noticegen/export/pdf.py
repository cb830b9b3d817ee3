"""The PDF of each released version and locale: WeasyPrint lays out render.pdf_document's HTML.

Byte-identical across rebuilds: a fixed document identifier (from the version's digest), no creation date
but none the HTML gives, and the subset fonts stamped with a fixed time (fontTools reads SOURCE_DATE_EPOCH).
A released version's PDF never changes, so it is cached by what it is made from (see `cache_key`). A cache
entry is the PDF after a line with the SHA-256 of its key and bytes: a damaged or truncated file, or one
copied from another key, is no entry and is laid out again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import json
import multiprocessing
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from importlib import import_module
from importlib.metadata import version as package_version
from pathlib import Path

from noticegen.core.build_cache import code_version
from noticegen.model.site import Site, Version
from noticegen.render.pdf_document import FontSource, pdf_date, pdf_html

# What lays a PDF out besides the generator's code: a new version of any makes every cached PDF again.
LAYOUT_LIBRARIES = (
    "weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "tinyhtml5", "babel", "markdown",
    "fontpkg-noto-sans", "fontpkg-noto-sans-arabic", "manimgx-fonts-cjk", "uharfbuzz",
)  # fmt: skip
# The weights the PDF's stylesheet sets (render.pdf_document): its text, and its headings, table headers and
# terms (bold). Each variable font is fixed at each of them (document_fonts).
PDF_WEIGHTS = (400, 700)
# What the layout may draw besides the document's own characters: ASCII, the no-break space, the general
# punctuation (the hyphen a line breaks at, bullets, ellipses) and the digits it may number lists with.
LAYOUT_CHARACTERS = frozenset(
    [*range(0x20, 0x7F), 0xA0, *range(0x2010, 0x2028), *range(0x0660, 0x066A), *range(0x06F0, 0x06FA)]
)
# The URL under which a PDF's layout fetches the fonts document_fonts made: no file, the URL fetcher holds them.
FONT_URL = "file:///noticegen/pdf-fonts/"
CACHE_ENV = "NOTICEGEN_PDF_CACHE"
DEFAULT_CACHE = Path(".cache") / "noticegen" / "pdf"

PANGO_HINT = (
    "the PDFs need WeasyPrint, which needs the Pango library: install it (Debian/Ubuntu: "
    "`apt-get install libpango-1.0-0 libpangoft2-1.0-0`; macOS: `brew install pango`), "
    "or switch the PDFs off with `pdf: false` under the notice plugin in mkdocs.yml"
)


class PdfUnavailableError(RuntimeError):
    """WeasyPrint cannot run here (its system libraries are missing)."""


# Imported late: a site built with `pdf: false` needs neither WeasyPrint nor Pango.
def _weasyprint():  # type: ignore[no-untyped-def]
    try:
        return import_module("weasyprint")
    except (ImportError, OSError) as missing:
        raise PdfUnavailableError(f"{PANGO_HINT} ({missing})") from None


def _package_folder(name: str) -> Path:
    try:
        return Path(import_module(name).__file__ or "").parent
    except ImportError as missing:
        raise PdfUnavailableError(f"the PDFs' fonts are not installed ({missing}): run `make site` again") from None


def fonts() -> dict[str, Path]:
    """The embedded fonts, from their PyPI packages, in fallback order: Latin, Arabic, then CJK."""
    latin = _package_folder("fontpkg_noto_sans") / "files" / "NotoSans[wdth,wght].ttf"
    arabic = _package_folder("fontpkg_noto_sans_arabic") / "files"
    cjk = _package_folder("manimgx_fonts_cjk") / "NotoSansCJK-VF.otf.ttc"
    return {
        "Noto Sans": latin,
        "Noto Sans Arabic": arabic / "NotoSansArabic[wdth,wght].ttf",
        "Noto Sans CJK": cjk,
    }


@functools.lru_cache(maxsize=8)
def _harfbuzz_face(path: Path):  # type: ignore[no-untyped-def]
    """A font file read once per process (a collection's first face: its faces share their glyphs)."""
    hb = import_module("uharfbuzz")
    return hb.Face(hb.Blob.from_file_path(str(path)), 0)


def document_fonts(
    font_files: Mapping[str, Path], document: str
) -> tuple[dict[str, list[FontSource]], dict[str, bytes]]:
    """Each embedded font cut to the characters of `document` (and LAYOUT_CHARACTERS) and, a variable font,
    fixed at each weight of PDF_WEIGHTS, by HarfBuzz: small static fonts, which WeasyPrint embeds as they are.
    Given the variable fonts, WeasyPrint fixes them with fontTools for every PDF, which took most of a Chinese
    PDF's 25 seconds (a variable CJK font's glyphs are many and long). The fonts are the same for the same
    document, so the PDF's bytes are too. Returned: each family's sources, and each source's bytes by its URL."""
    hb = import_module("uharfbuzz")
    characters = {ord(character) for character in document} | LAYOUT_CHARACTERS
    families: dict[str, list[FontSource]] = {}
    made: dict[str, bytes] = {}
    for family, path in font_files.items():
        face = _harfbuzz_face(path)
        axes = {axis.tag: axis for axis in face.axis_infos}
        weight_axis = axes.get("wght")
        weights = [None] if weight_axis is None else PDF_WEIGHTS
        sources = []
        for weight in weights:
            plan = hb.SubsetInput()
            plan.unicode_set.update(characters)
            # A static CFF font (not CFF2): what PDF readers have read since PDF 1.2.
            plan.flags = hb.SubsetFlags.DOWNGRADE_CFF2 | hb.SubsetFlags.NOTDEF_OUTLINE
            if axes:
                plan.pin_all_axes_to_default(face)
            if weight is not None and weight_axis is not None:
                fixed = min(max(weight, weight_axis.min_value), weight_axis.max_value)
                plan.pin_axis_location(face, "wght", fixed)
            data = hb.subset(face, plan).blob.data
            url = f"{FONT_URL}{hashlib.sha256(data).hexdigest()[:32]}"
            made[url] = data
            sources.append(FontSource(url, weight))
        families[family] = sources
    return families, made


def cache_folder(project: Path) -> Path:
    """NOTICEGEN_PDF_CACHE, else the project's .cache/noticegen/pdf (beside the released versions' cache)."""
    moved = os.environ.get(CACHE_ENV)
    return Path(moved) if moved else project / DEFAULT_CACHE


def entry_checksum(key: str, data: bytes) -> str:
    """An entry's first line: the SHA-256 of its key and its PDF, so that a damaged file, or one copied
    from another key (another locale's PDF), is no entry."""
    return hashlib.sha256(key.encode() + b"\0" + data).hexdigest()


def _read_entry(path: Path, key: str) -> bytes | None:
    try:
        checksum, _, data = path.read_bytes().partition(b"\n")
    except OSError:
        return None
    return data if checksum.decode("ascii", "replace") == entry_checksum(key, data) else None


def _write_entry(path: Path, key: str, data: bytes) -> None:
    # A cache that cannot be written (read-only, full) only makes the next build slower.
    with suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(entry_checksum(key, data).encode() + b"\n" + data)
        partial.replace(path)


def cache_key(site: Site, version: Version, locale: str) -> str:
    """Everything the PDF is made from: the version's sealed text (its lock and digest), its period in force
    and its correction, the locale as the site declares it (language tag, direction) and its site strings, the
    generator's code (all of it: the PDF shows the sections as the pages render them) and the libraries and
    fonts that lay it out."""
    correction = site.corrected_by(version)
    parts = {
        "code": code_version(),
        "libraries": {name: package_version(name) for name in LAYOUT_LIBRARIES},
        "version": [version.id, version.lock, version.digests.get(locale, "")],
        "period": [str(version.effective), str(site.last_day(version))],
        "correction": [correction.id, str(correction.published)] if correction else None,
        "locale": dataclasses.asdict(site.working.locale(locale)),
        "strings": sorted(site.working.ui[locale].items()),
    }
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@contextmanager
def _fixed_font_timestamps(version: Version) -> Iterator[None]:
    """fontTools stamps each subset font with the current time unless SOURCE_DATE_EPOCH is set."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(pdf_date(version).timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


class ForeignResourceError(RuntimeError):
    """The PDF's document asked for something other than its embedded fonts."""


def _only_the_fonts(weasyprint, fonts: Mapping[str, bytes]):  # type: ignore[no-untyped-def]
    """A URL fetcher that gives WeasyPrint the fonts made for the PDF and refuses anything else, fatally: the
    PDF takes nothing from another host or from the disk, whatever the notice's text holds."""
    urls = import_module("weasyprint.urls")

    class OnlyTheFonts(urls.URLFetcher):  # type: ignore[misc,name-defined]
        def fetch(self, url: str, headers: object = None) -> object:
            if url not in fonts:
                raise urls.FatalURLFetchingError(f"the PDF's text asks for {url!r}: a PDF embeds nothing else")
            return urls.URLFetcherResponse(url, fonts[url], headers={"Content-Type": "font/otf"})

    return OnlyTheFonts(allowed_protocols=("file",))


class UncoveredTextError(RuntimeError):
    """The text holds a character none of the embedded fonts can show."""


@functools.lru_cache(maxsize=1)
def covered_characters() -> frozenset[int]:
    """Every character one of the embedded fonts has a glyph for."""
    ttlib = import_module("fontTools.ttLib")
    characters: set[int] = set()
    for path in fonts().values():
        face = {"fontNumber": 0} if path.suffix == ".ttc" else {}  # the collection's faces share their cmap
        with ttlib.TTFont(path, lazy=True, **face) as font:
            characters |= set(font.getBestCmap())
    return frozenset(characters)


_HEADING = re.compile(r'<h[1-6] id="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")


def check_coverage(document: str, version: Version, locale: str) -> None:
    """Stop at the first character of `document` (pdf_html's) that no embedded font shows: the layout would
    take it from a font of the machine that builds the site, which the PDF would then depend on, or show a
    box in its place."""
    covered = covered_characters()
    parts = _HEADING.split(document.split("<body>", 1)[-1])
    for section, part in zip(["title", *parts[1::2]], parts[0::2], strict=True):
        for character in html.unescape(_TAG.sub(" ", part)):
            if ord(character) in covered or unicodedata.category(character)[0] in "ZC":
                continue
            name = unicodedata.name(character, "unnamed")
            where = "its title" if section in ("title", "top") else f"section '{section}'"
            raise UncoveredTextError(
                f"version {version.id} ({locale}), {where}: no font of the PDF has the character "
                f"'{character}' (U+{ord(character):04X} {name}); the PDFs embed Noto Sans (Latin, Greek, "
                "Cyrillic), Noto Sans Arabic and Noto Sans CJK. Write the text without it, or switch the PDFs "
                "off with `pdf: false` under the notice plugin in mkdocs.yml"
            )


def render_pdf(site: Site, version: Version, locale: str) -> bytes:
    """The PDF bytes, made anew."""
    weasyprint = _weasyprint()
    font_files = fonts()
    document = pdf_html(site, version, locale, font_files)
    check_coverage(document, version, locale)
    # The same document, its fonts cut to its characters (the characters are the same either way).
    families, made = document_fonts(font_files, document)
    document = pdf_html(site, version, locale, families)
    identifier = hashlib.sha256(f"{version.id}\0{locale}\0{version.digests.get(locale, '')}".encode()).digest()
    try:
        with _fixed_font_timestamps(version):
            return weasyprint.HTML(
                string=document, base_url=None, url_fetcher=_only_the_fonts(weasyprint, made)
            ).write_pdf(pdf_identifier=identifier[:16], uncompressed_pdf=False)
    except import_module("weasyprint.urls").FatalURLFetchingError as refused:
        raise ForeignResourceError(f"version {version.id} ({locale}): {refused}") from None


def version_pdf(site: Site, version: Version, locale: str, cache: Path | None = None) -> bytes:
    """The PDF bytes, from the `cache` folder when this version was laid out before with the same code (no
    `cache`: laid out anew)."""
    return pdf_files_of(site, [(version, locale)], cache)[0]


def pdf_files_of(
    site: Site, wanted: Sequence[tuple[Version, str]], cache: Path | None = None, jobs: int = 1
) -> list[bytes]:
    """The PDF of each (version, locale) in `wanted`, in order: read from `cache` where it holds them, the
    others laid out, `jobs` at a time, and kept there."""
    keys = [cache_key(site, version, locale) if cache is not None else "" for version, locale in wanted]
    found = [_read_entry(cache / f"{key}.pdf", key) if cache is not None else None for key in keys]
    missing = [index for index, data in enumerate(found) if data is None]
    for index, data in zip(missing, _lay_out(site, [wanted[index] for index in missing], jobs), strict=True):
        found[index] = data
        if cache is not None:
            _write_entry(cache / f"{keys[index]}.pdf", keys[index], data)
    return [data for data in found if data is not None]


# The site the forked layout processes read (inherited, never pickled): set only while they run.
_FORKED_SITE: Site | None = None


def _lay_out_in_child(version_id: str, locale: str) -> bytes:
    assert _FORKED_SITE is not None
    return render_pdf(_FORKED_SITE, _FORKED_SITE.version(version_id), locale)


def _lay_out(site: Site, work: Sequence[tuple[Version, str]], jobs: int) -> list[bytes]:
    """Each PDF laid out anew: one after the other, or in `jobs` forked processes (each PDF is made from the
    same inputs either way, so the bytes are the same; only the time differs)."""
    global _FORKED_SITE
    if jobs <= 1 or len(work) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [render_pdf(site, version, locale) for version, locale in work]
    _FORKED_SITE = site
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(work))) as pool:
            return pool.starmap(_lay_out_in_child, [(version.id, locale) for version, locale in work], chunksize=1)
    finally:
        _FORKED_SITE = None


def pdf_files(site: Site, cache: Path | None = None, jobs: int = 1) -> dict[str, bytes]:
    """Every released version's PDF in each locale it was published in, by its path under the locale's root;
    those not in `cache` laid out `jobs` at a time."""
    wanted = [
        (version, locale)
        for version in site.versions
        for locale in (loc.code for loc in site.working.locales)
        if locale in version.notice.texts
    ]
    made = pdf_files_of(site, wanted, cache, jobs)
    return {pdf_path(site, version.id, locale): data for (version, locale), data in zip(wanted, made, strict=True)}


def pdf_path(site: Site, version_id: str, locale: str) -> str:
    """`versions/<id>/<locale>.pdf` under the site root for the default locale, under `<locale>/` for others."""
    prefix = "" if locale == site.working.default_locale else f"{locale}/"
    return f"{prefix}versions/{version_id}/{locale}.pdf"
