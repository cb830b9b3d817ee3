"""The checker's problems as the preview (`mkdocs serve`) shows them: a banner on every page while the working
text has warnings, and a page in the notice's place while it has errors. Never part of a real build.

The problems are worded as the checker words them (`path:line:col`, message, hint); only the words around
them are the page's language. A message quotes what the editor wrote, so everything is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

from noticegen.core.diagnostics import Diagnostic, Severity
from noticegen.render.notice_page import TITLE_ID, escape

SHOWN = (Severity.ERROR, Severity.WARNING)  # acknowledged gaps are the notice's own business, not a problem


def shown_problems(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [diagnostic for diagnostic in diagnostics if diagnostic.severity in SHOWN]


def problem_list(diagnostics: Iterable[Diagnostic], ui: Mapping[str, str]) -> str:
    """One list item per problem: where (file:line:col), how bad, what is wrong and how to fix it."""
    items = []
    for problem in diagnostics:
        word = ui["problem_error"] if problem.severity is Severity.ERROR else ui["problem_warning"]
        hint = f' <span class="notice-problem__hint">({html.escape(problem.hint)})</span>' if problem.hint else ""
        items.append(
            f'<li class="notice-problem notice-problem--{problem.severity.value}">'
            f"<code>{html.escape(str(problem.location))}</code> <strong>{html.escape(word)}</strong>: "
            f"{html.escape(problem.message)}{hint}</li>"
        )
    return '<ul class="notice-problems__list">' + "".join(items) + "</ul>"


def problem_banner(diagnostics: Iterable[Diagnostic], ui: Mapping[str, str], working_changes_url: str | None) -> str:
    """The banner at the top of a preview page: the current problems, and the working text's redline. Empty
    when there is no problem."""
    problems = shown_problems(diagnostics)
    if not problems:
        return ""
    title = html.escape(ui["problems_banner"])
    link = (
        f'<p class="notice-problems__link"><a href="{html.escape(working_changes_url)}">'
        f"{html.escape(ui['working_changes'])}</a></p>"
        if working_changes_url
        else ""
    )
    return (
        f'<div class="notice-problems" role="region" aria-label="{title}" tabindex="0">'
        f'<p class="notice-problems__title"><strong>{title}</strong></p>{problem_list(problems, ui)}{link}</div>'
    )


def problem_page(diagnostics: Iterable[Diagnostic], ui: Mapping[str, str]) -> str:
    """The page shown in the notice's place while the source has errors, as Markdown: what to fix, where."""
    problems = sorted(shown_problems(diagnostics), key=lambda problem: problem.severity is not Severity.ERROR)
    return "\n".join(
        [
            "---",
            "search:",
            "  exclude: true",
            "---",
            "",
            f"# {escape(ui['problems_page'])} {{#{TITLE_ID}}}",
            "",
            f'<div class="notice-problems notice-problems--page">{problem_list(problems, ui)}</div>',
            "",
            f'<p class="notice-problems__reload" role="note">{html.escape(ui["problems_reload"])}</p>',
            "",
        ]
    )
