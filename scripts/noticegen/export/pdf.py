"""The PDF of each released version and locale: WeasyPrint lays out render.pdf_document's HTML.

Byte-identical across rebuilds: a fixed document identifier (from the version's digest), no creation date
but none the HTML gives, and the subset fonts stamped with a fixed time (fontTools reads SOURCE_DATE_EPOCH).
A released version's PDF never changes, so it is cached by what it is made from (see `cache_key`). A cache
entry is the PDF after a line with the SHA-256 of its key and bytes: a damaged or truncated file, or one
copied from another key, is no entry and is laid out again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from importlib import import_module
from importlib.metadata import version as package_version
from pathlib import Path

from noticegen.core.build_cache import code_version
from noticegen.model.site import Site, Version
from noticegen.render.pdf_document import pdf_date, pdf_html

# What lays a PDF out besides the generator's code: a new version of any makes every cached PDF again.
LAYOUT_LIBRARIES = (
    "weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "tinyhtml5", "babel", "markdown",
    "fontpkg-noto-sans", "fontpkg-noto-sans-arabic", "manimgx-fonts-cjk",
)  # fmt: skip
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


def _only_the_fonts(weasyprint, font_files: Mapping[str, Path]):  # type: ignore[no-untyped-def]
    """A URL fetcher that gives WeasyPrint the font files and refuses anything else, fatally: the PDF takes
    nothing from another host or from elsewhere on the disk, whatever the notice's text holds."""
    allowed = {path.resolve().as_uri() for path in font_files.values()}
    urls = import_module("weasyprint.urls")

    class OnlyTheFonts(urls.URLFetcher):  # type: ignore[misc,name-defined]
        def fetch(self, url: str, headers: object = None) -> object:
            if url.split("?")[0] not in allowed:
                raise urls.FatalURLFetchingError(f"the PDF's text asks for {url!r}: a PDF embeds nothing else")
            return super().fetch(url, headers)

    return OnlyTheFonts(allowed_protocols=("file",))


def render_pdf(site: Site, version: Version, locale: str) -> bytes:
    """The PDF bytes, made anew."""
    weasyprint = _weasyprint()
    font_files = fonts()
    document = pdf_html(site, version, locale, font_files)
    identifier = hashlib.sha256(f"{version.id}\0{locale}\0{version.digests.get(locale, '')}".encode()).digest()
    try:
        with _fixed_font_timestamps(version):
            return weasyprint.HTML(
                string=document, base_url=None, url_fetcher=_only_the_fonts(weasyprint, font_files)
            ).write_pdf(pdf_identifier=identifier[:16], uncompressed_pdf=False)
    except import_module("weasyprint.urls").FatalURLFetchingError as refused:
        raise ForeignResourceError(f"version {version.id} ({locale}): {refused}") from None


def version_pdf(site: Site, version: Version, locale: str, cache: Path | None = None) -> bytes:
    """The PDF bytes, from the `cache` folder when this version was laid out before with the same code (no
    `cache`: laid out anew)."""
    if cache is None:
        return render_pdf(site, version, locale)
    key = cache_key(site, version, locale)
    cached = cache / f"{key}.pdf"
    data = _read_entry(cached, key)
    if data is None:
        data = render_pdf(site, version, locale)
        _write_entry(cached, key, data)
    return data


def pdf_files(site: Site, cache: Path | None = None) -> dict[str, bytes]:
    """Every released version's PDF in each locale it was published in, by its path under the locale's root."""
    return {
        pdf_path(site, version.id, locale): version_pdf(site, version, locale, cache)
        for version in site.versions
        for locale in (loc.code for loc in site.working.locales)
        if locale in version.notice.texts
    }


def pdf_path(site: Site, version_id: str, locale: str) -> str:
    """`versions/<id>/<locale>.pdf` under the site root for the default locale, under `<locale>/` for others."""
    prefix = "" if locale == site.working.default_locale else f"{locale}/"
    return f"{prefix}versions/{version_id}/{locale}.pdf"
