"""Which Markdown pages the site has, as a mapping from path to content: pure, no I/O."""

from __future__ import annotations

from .model import Notice
from .render import render_page


def site_pages(notice: Notice) -> dict[str, str]:
    """Pages in mkdocs-static-i18n's folder layout: `<locale>/index.md` for every locale."""
    return {f"{locale.code}/index.md": render_page(notice, locale.code) for locale in notice.locales}
