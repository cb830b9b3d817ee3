"""The JSON Schemas an editor checks the source files with, made from the schemas `notice check` uses.

Each kind of source file has one, in the project's schemas/ folder; a file names its schema on its first
line, the way yaml-language-server (VS Code's YAML extension and other editors) reads it:

    # yaml-language-server: $schema=../schemas/notice.schema.json

Generated, never written by hand: `notice schemas` writes them, `notice schemas --check` says whether
they are what this noticegen makes, so they cannot drift from the checker. A schema says less than
`notice check` does (which locales and sections exist, which columns a table declares): the check stays
the authority; the schema catches a misspelt key, a wrong type or a malformed id as it is typed.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any

from noticegen.source import formats
from noticegen.source.datatables import SUBPROCESSORS, TableFile
from noticegen.source.json_schema import DRAFT, nullable
from noticegen.source.load import DATA_DIR, LOCALES_DIR, NOTICE_FILE
from noticegen.source.ui_strings import REQUIRED as UI_STRINGS_REQUIRED
from noticegen.source.versions import CHANGELOG_FILE

SCHEMAS_DIR = "schemas"
SUFFIX = ".schema.json"
# The first line of a source file that names its schema.
HEADER = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)[ \t]*$")

_DATA_PREFIX = "data-"
_TABLE = "table"


def _file(title: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": DRAFT, "title": title, "description": description, **schema}


def _site_strings() -> dict[str, Any]:
    schema = formats.UI_STRINGS.json_schema()
    text = schema["additionalProperties"]
    return {
        "type": "object",
        "properties": {
            key: {"description": purpose[0].upper() + purpose[1:] + ".", **text}
            for key, purpose in UI_STRINGS_REQUIRED.items()
        },
        "required": list(UI_STRINGS_REQUIRED),
        "additionalProperties": False,
    }


def _data_file(name: str) -> dict[str, Any]:
    schema = formats.DATA_FILES[name].json_schema()
    if name == SUBPROCESSORS:  # its built-in form, or a table declared in it
        return {"anyOf": [schema, TableFile().json_schema()]}
    return schema


def schemas() -> dict[str, dict[str, Any]]:
    """Every editor schema, by its file name in schemas/."""
    documents = {
        "notice": _file(
            "notice/notice.yaml",
            "The notice itself: who publishes it, its locales and its outline of sections.",
            formats.NOTICE.json_schema(),
        ),
        "changelog": _file(
            "notice/changelog.yaml",
            "One entry per released version, oldest first. Written by `notice release`: never edit a released entry.",
            nullable(formats.CHANGELOG.json_schema()),
        ),
        "locale-notice": _file(
            "locales/<code>/notice.yaml",
            "The text of the notice in one locale: its title and every section's title and body (Markdown).",
            formats.LOCALE_TEXT.json_schema(),
        ),
        "site-strings": _file(
            "locales/<code>/site.yaml",
            "The words the site's pages add around the notice, in one locale.",
            _site_strings(),
        ),
        f"{_DATA_PREFIX}{_TABLE}": _file(
            "notice/data/<name>.yaml (a table)",
            "A table of your own: its schema (caption and columns), then its rows. The text shows it as "
            "{{table:<name>}}.",
            TableFile().json_schema(),
        ),
    }
    for name in formats.DATA_FILES:
        documents[f"{_DATA_PREFIX}{name}"] = _file(
            f"notice/data/{name}.yaml", f"Facts of the notice, written once for every locale: {name}.", _data_file(name)
        )
    return {f"{name}{SUFFIX}": document for name, document in documents.items()}


def rendered() -> dict[str, str]:
    """Every editor schema as the text of its file."""
    return {name: json.dumps(document, ensure_ascii=False, indent=2) + "\n" for name, document in schemas().items()}


def schema_name(relative: str) -> str | None:
    """The schema (its file name in schemas/) of the source file at `relative` in a project, or None."""
    parts = relative.split("/")
    if relative == NOTICE_FILE:
        return f"notice{SUFFIX}"
    if relative == CHANGELOG_FILE:
        return f"changelog{SUFFIX}"
    if len(parts) == 3 and parts[0] == LOCALES_DIR and parts[2] in ("notice.yaml", "site.yaml"):
        return f"{'locale-notice' if parts[2] == 'notice.yaml' else 'site-strings'}{SUFFIX}"
    if len(parts) == 3 and "/".join(parts[:2]) == DATA_DIR and parts[2].endswith((".yaml", ".yml")):
        stem = parts[2].rsplit(".", 1)[0]
        return f"{_DATA_PREFIX}{stem if stem in formats.DATA_FILES else _TABLE}{SUFFIX}"
    return None


def without_header(content: bytes) -> bytes:
    """A source file's bytes without the first line that names its schema: a comment for editors, which says
    nothing of the notice (a released file may not have it, and the file being edited may)."""
    first, _, rest = content.partition(b"\n")
    return rest if HEADER.match(first.decode("utf-8", "replace").rstrip("\r")) else content


def header_line(relative: str) -> str | None:
    """The first line that names the schema of the source file at `relative` (None: it has none)."""
    name = schema_name(relative)
    if name is None:
        return None
    target = posixpath.relpath(f"{SCHEMAS_DIR}/{name}", posixpath.dirname(relative))
    return f"# yaml-language-server: $schema={target}"
