"""How long MkDocs takes to convert a built site's notice pages, as MkDocs converts them and with their raw HTML
blocks stood in (scripts/noticegen/mkdocs_plugin/raw_blocks.py), and whether both give the same pages.

`.venv/bin/python benchmarks/page_conversion.py [PROJECT]` (the bundled notice by default; the project must have
been built, so that its docs folder holds the generated pages). Serial, in this process, no plugins: every page
is converted both ways; the HTML, table of contents, title, anchors and links of each are compared.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from noticegen.mkdocs_plugin import raw_blocks

PROJECT = Path(__file__).resolve().parent.parent


def conversions(project: Path) -> tuple[int, float, float, list[str]]:
    """The number of pages, the seconds each way of converting them took, and the pages that differ."""
    config = load_config(str(project / "mkdocs.yml"))
    config.plugins = type(config.plugins)()
    files = get_files(config)
    pages = list(files.documentation_pages())

    def fresh() -> list[Page]:
        made = []
        for file in pages:
            page = Page(None, file, config)
            page.read_source(config)
            made.append(page)
        return made

    plain, stood_in = fresh(), fresh()
    start = time.perf_counter()
    for page in plain:
        page.render(config, files)
    plain_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for page in stood_in:
        raw_blocks.convert(page, config, files)
    stood_in_seconds = time.perf_counter() - start

    def left(page: Page) -> tuple[Any, ...]:
        links = {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()}
        return page.content, str(page.toc), page._title_from_render, page.present_anchor_ids, links

    differ = [a.file.src_uri for a, b in zip(plain, stood_in, strict=True) if left(a) != left(b)]
    return len(pages), plain_seconds, stood_in_seconds, differ


def main(project: Path) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    count, plain, stood_in, differ = conversions(project)
    print(f"{count} pages: converted as MkDocs does in {plain:.2f} s, with raw blocks stood in in {stood_in:.2f} s")
    print(f"stood in / MkDocs: {stood_in / plain:.2f}; pages that differ: {len(differ)} {differ[:5]}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT)
