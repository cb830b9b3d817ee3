"""What a finished page may run and hold: the Content Security Policy with the hashes of the theme's own
inline scripts (found in Material's templates, never in the page), and the page-wide HTML allowlist."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import material

from noticegen.text.markup import page_policy_problems

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL)
THEME_TEMPLATES = Path(material.__file__).parent / "templates"
_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
# What a Jinja expression inside a theme script may become: a relative URL or a word, never a quote,
# a backslash or markup.
_EXPRESSION = r"[^\"'<>\\\s]*"


def theme_scripts(templates: Path = THEME_TEMPLATES) -> tuple[re.Pattern[str], ...]:
    """Every inline script the theme's templates can write, as a pattern: the script's text as it stands in
    the template, each `{{ … }}` in it standing for a value without quotes or markup. This, not what a
    finished page happens to contain, is what the Content Security Policy allows."""
    patterns = []
    for template in sorted(templates.rglob("*.html")):
        for body in _TEMPLATE_SCRIPT.findall(template.read_text(encoding="utf-8")):
            if "{%" in body:  # no shipped script computes code; one that would is simply not allowed
                continue
            parts = re.split(r"\{\{.*?\}\}", body, flags=re.DOTALL)
            patterns.append(re.compile(_EXPRESSION.join(re.escape(part) for part in parts), re.DOTALL))
    return tuple(patterns)


THEME_SCRIPTS = theme_scripts()


def script_hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def inline_script_problems(page: str) -> list[str]:
    """Inline scripts of a page that are not the theme's (and JSON blocks that are not JSON)."""
    problems = []
    for attributes, body in INLINE_SCRIPT.findall(page):
        if 'type="application/json"' in attributes:
            try:
                json.loads(body)
            except ValueError:
                problems.append(f"a JSON script block that is not JSON: {body[:60]!r}")
        elif attributes.strip() or not any(pattern.fullmatch(body) for pattern in THEME_SCRIPTS):
            problems.append(f"an inline script that is not one of the theme's: <script{attributes}>{body[:60]}")
    return problems


def content_security_policy(page: str) -> str:
    """Only this site's own files may load; of inline scripts, only the theme's (see theme_scripts) run.
    The caller has refused any page with another inline script (inline_script_problems)."""
    hashes = sorted(
        {
            script_hash(body)
            for attributes, body in INLINE_SCRIPT.findall(page)
            if not attributes.strip() and any(pattern.fullmatch(body) for pattern in THEME_SCRIPTS)
        }
    )
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *hashes]),
            "style-src 'self' 'unsafe-inline'",  # Material sets style attributes (scroll, palette)
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def with_content_security_policy(page: str) -> str:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(page)}">'
    return page.replace("<head>", "<head>\n    " + meta, 1)


def page_problems(page: str) -> list[str]:
    """Everything on a finished page that the published-HTML allowlist does not allow."""
    return inline_script_problems(page) + [
        f"{problem}: {written[:80]}" for written, problem in page_policy_problems(page)
    ]
