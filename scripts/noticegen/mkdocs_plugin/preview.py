"""What the plugin needs to keep `mkdocs serve` truthful while the source is broken: the locales and the words
of the error pages when the notice itself cannot be built, and the page that replaces one the allowlist refuses.

A real build never comes here: there, a problem stops the build (exit 1).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from noticegen.core.diagnostics import Report, Severity
from noticegen.core.writer import MANIFEST
from noticegen.source.yamlsource import load_data

# The English words of a new project (`notice init`): what an error page says when even the locale's own
# site.yaml cannot be read.
STARTER_STRINGS = Path(__file__).parent.parent / "commands" / "starter" / "locales" / "LOCALE" / "site.yaml"


def _strings(path: Path) -> dict[str, str]:
    """The plain strings of a site.yaml, or nothing when it cannot be read: it may be the broken file."""
    try:
        return dict(_parsed_strings(path.read_bytes()))
    except OSError:
        return {}


# Every page of a broken preview asks for its locale's words (a big notice has hundreds of pages): the same
# bytes are parsed once. Keyed by the bytes, so a save is read anew.
@functools.lru_cache(maxsize=64)
def _parsed_strings(data: bytes) -> tuple[tuple[str, str], ...]:
    try:
        loaded = load_data(data.decode("utf-8"))  # no positions needed: the C loader
    except (UnicodeDecodeError, yaml.YAMLError):
        return ()
    if not isinstance(loaded, dict):
        return ()
    return tuple((key, value) for key, value in loaded.items() if isinstance(key, str) and isinstance(value, str))


def problem_strings(root: Path, code: str, last_good: Mapping[str, str] | None) -> dict[str, str]:
    """The words of an error page in a locale: its site.yaml as it stands, else as it was at the last good
    build, else English."""
    return {**_strings(STARTER_STRINGS), **(last_good or {}), **_strings(root / "locales" / code / "site.yaml")}


def locale_folders(root: Path) -> list[str]:
    """The locales a project has folders for: the site's languages when notice/notice.yaml cannot say."""
    folder = root / "locales"
    return sorted(path.name for path in folder.iterdir() if path.is_dir()) if folder.is_dir() else []


def generated_pages(docs_dir: Path) -> list[str]:
    """The pages the last build generated (the folder's manifest): each shows the errors while there are some,
    so that the page a visitor is on reloads into the problem, not into a 404."""
    manifest = docs_dir / MANIFEST
    return manifest.read_text(encoding="utf-8").splitlines() if manifest.is_file() else []


def page_locale(path: str, codes: Iterable[str], default: str) -> str:
    first = path.split("/", 1)[0]
    return first if first in set(codes) else default


def with_errors(report: Report) -> Report:
    """Only what a failed check stopped on, and its warnings: not the acknowledged gaps."""
    kept = Report()
    kept.diagnostics = [d for d in report.diagnostics if d.severity in (Severity.ERROR, Severity.WARNING)]
    return kept


ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">).*?(</article>)', re.DOTALL)


def refused_page(page: str, src: str, sources: str, problems: list[str], heading: str) -> str | None:
    """The finished page with its content replaced by what the allowlist refused in it (None when the page has
    no content area to replace: then the refusal stops the build, as in a real one)."""
    items = "".join(f"<li><code>{html.escape(problem)}</code></li>" for problem in problems)
    text = (
        f"<h1>{html.escape(heading)}</h1>"
        f'<div class="notice-problems notice-problems--page"><p>{html.escape(src)} ({html.escape(sources)}): '
        "HTML outside the allowlist, which a build refuses:</p>"
        f'<ul class="notice-problems__list">{items}</ul></div>'
    )
    replaced, count = ARTICLE.subn(lambda match: match.group(1) + text + match.group(2), page, count=1)
    return replaced if count == 1 else None
