"""locales/<code>/site.yaml: every UI string the templates need, and none they do not know."""

from __future__ import annotations

from noticegen.checks.context import CheckContext
from noticegen.core.diagnostics import shown
from noticegen.source.load import Loaded
from noticegen.source.schema import did_you_mean
from noticegen.source.ui_strings import REQUIRED as REQUIRED_UI_STRINGS
from noticegen.source.yamlsource import Pos, YMap


def check_ui_strings(ctx: CheckContext, code: str, loaded: Loaded) -> None:
    strings = loaded.data
    if not isinstance(strings, YMap):
        return
    for key, purpose in REQUIRED_UI_STRINGS.items():
        if key not in strings and key not in strings.invalid:
            ctx.report.error(
                loaded.file.at(Pos(1, 1)),
                f"locale '{shown(code)}' has no UI string '{shown(key)}'",
                f"add `{key}: ...`, the {purpose}",
            )
    for key in strings:
        if key not in REQUIRED_UI_STRINGS:
            ctx.report.error(
                loaded.file.at(strings.key_pos[key]),
                f"unknown UI string '{shown(key)}'",
                did_you_mean(key, tuple(REQUIRED_UI_STRINGS)) or "remove it",
            )
