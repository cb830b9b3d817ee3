"""The PDF of each released version and locale: WeasyPrint lays out render.pdf_document's HTML.

Byte-identical across rebuilds: a fixed document identifier (from the version's digest), no creation date
but none the HTML gives, and the subset fonts stamped with a fixed time (fontTools reads SOURCE_DATE_EPOCH).
A released version's PDF never changes, so it is cached by what it is made from (see `cache_key`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

from noticegen.model.site import Site, Version
from noticegen.render.pdf_document import pdf_date, pdf_html

# The code that lays a PDF out: a change to either file makes every cached PDF again.
LAYOUT_CODE = (Path(__file__), Path(__file__).parent.parent / "render" / "pdf_document.py")
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


def fonts() -> dict[str, Path]:
    """The embedded fonts, from their PyPI packages, in fallback order: Latin, Arabic, then CJK."""
    latin = Path(import_module("fontpkg_noto_sans").__file__ or "").parent / "files" / "NotoSans[wdth,wght].ttf"
    arabic = Path(import_module("fontpkg_noto_sans_arabic").__file__ or "").parent / "files"
    cjk = Path(import_module("manimgx_fonts_cjk").__file__ or "").parent / "NotoSansCJK-VF.otf.ttc"
    return {
        "Noto Sans": latin,
        "Noto Sans Arabic": arabic / "NotoSansArabic[wdth,wght].ttf",
        "Noto Sans CJK": cjk,
    }


def cache_folder() -> Path:
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def cache_key(site: Site, version: Version, locale: str) -> str:
    """What the PDF is made from: the version's sealed text (its lock and digest), its period in force, the
    locale, this layout and the package versions that lay it out."""
    from importlib.metadata import version as package_version

    from noticegen import __version__

    parts = [
        *(hashlib.sha256(path.read_bytes()).hexdigest() for path in LAYOUT_CODE),
        __version__,
        package_version("weasyprint"),
        version.id,
        version.lock,
        version.digests.get(locale, ""),
        str(site.last_day(version)),
        locale,
        # The labels in the PDF come from the working site strings.
        repr(sorted(site.working.ui[locale].items())),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


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


def render_pdf(site: Site, version: Version, locale: str) -> bytes:
    """The PDF bytes, made anew."""
    weasyprint = _weasyprint()
    document = pdf_html(site, version, locale, fonts())
    identifier = hashlib.sha256(f"{version.id}\0{locale}\0{version.digests.get(locale, '')}".encode()).digest()
    with _fixed_font_timestamps(version):
        return weasyprint.HTML(string=document, base_url=None).write_pdf(
            pdf_identifier=identifier[:16], uncompressed_pdf=False
        )


def version_pdf(site: Site, version: Version, locale: str, cache: Path | None = None) -> bytes:
    """The PDF bytes, from the cache when this version was laid out before with the same code."""
    folder = cache if cache is not None else cache_folder()
    cached = folder / f"{cache_key(site, version, locale)}.pdf"
    if cached.is_file():
        return cached.read_bytes()
    data = render_pdf(site, version, locale)
    folder.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(data)
    partial.replace(cached)
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
