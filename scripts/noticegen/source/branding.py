"""The publisher's logo and favicon (notice/data/branding.yaml): image files of the project that the site shows.

Presentation, not the notice: they are in no JSON document and no digest, and a release does not count them as
a change of the text. The paths are written from the project folder (where notice/ is), as every message names
a file, and may not leave it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from noticegen.source.schema import Field, Pattern, Record
from noticegen.source.yamlsource import read_source_bytes

BRANDING = "branding"  # notice/data/branding.yaml
# Each segment starts with a letter, a digit or _: no absolute path, no `..`, no hidden file.
RELATIVE_PATH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$")
# The image types a browser shows as a logo (<img>) or as the tab's icon (<link rel="icon">), by file suffix.
ALLOWED_TYPES = {
    "logo": {".svg": "image/svg+xml", ".png": "image/png"},
    "favicon": {".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"},
}
# Where the site serves them, under its root: one fixed name per kind, so an editor's folder names never show.
SITE_FOLDER = "assets/brand"


def _path(kind: str) -> Field:
    suffixes = ", ".join(ALLOWED_TYPES[kind])
    return Field(
        Pattern(
            RELATIVE_PATH,
            "a path inside the project",
            f"write it from the project folder, such as notice/branding/{kind}.png: no leading /, no `..`, "
            "letters, digits, `.`, `_` and `-` only",
            None,
        ),
        required=False,
        doc=f"the {kind} as an image file of the project ({suffixes}), written from the project folder",
    )


BRANDING_FILE = Record({"logo": _path("logo"), "favicon": _path("favicon")})


@dataclass(frozen=True)
class BrandImage:
    """One image of the publisher's, checked (checks/branding.py): its kind, its path in the project, its bytes."""

    kind: str  # "logo" or "favicon"
    path: str  # as written, from the project folder
    data: bytes

    @property
    def site_path(self) -> str:
        """Where the site serves it, from the site's root: assets/brand/logo.svg."""
        return f"{SITE_FOLDER}/{self.kind}{Path(self.path).suffix.lower()}"


def brand_images(root: Path, branding: Any) -> tuple[BrandImage, ...]:
    """The images a checked branding.yaml names (none when there is no such file), read from the project."""
    if not isinstance(branding, Mapping):
        return ()
    return tuple(
        BrandImage(kind, branding[kind], read_source_bytes(root / branding[kind], branding[kind], root))
        for kind in ALLOWED_TYPES
        if isinstance(branding.get(kind), str)
    )
