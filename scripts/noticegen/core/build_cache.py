"""A folder of results that never change once computed: what a build makes of a released version.

A released version never changes, so what the generator makes of it (its JSON documents) is computed once
and kept, under a key that names everything it was made from: the version's lock and chain, the settings
that shape the output, and the generator's own code (CODE_VERSION). An entry is trusted only when its
checksum holds; the caller verifies what it means (a document's digest against the recorded one). Anything
else (a corrupt, truncated or foreign file) is a miss, and the result is computed and written anew.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any

from noticegen.core.writer import write_atomically

# Moves the cache (a CI cache folder, a tmpfs); by default it is the project's .cache/noticegen/released.
CACHE_ENVIRONMENT = "NOTICEGEN_BUILD_CACHE"
DEFAULT_FOLDER = Path(".cache") / "noticegen" / "released"
# The file format of an entry: "<entry_checksum>\n<payload>". A new format misses every old entry.
ENTRY_FORMAT = "noticegen-build-cache/1"
# The libraries whose output is in the cached results (the Markdown renderer, the YAML reader, CLDR's names of
# countries and its dates).
OUTPUT_LIBRARIES = ("markdown", "pyyaml", "babel")
PACKAGE = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the generator's code and data files and of the libraries that shape its output: any
    change of them, even a local edit with the same version number, misses every entry."""
    digest = hashlib.sha256(ENTRY_FORMAT.encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".yaml", ".html", ".js", ".css"):
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for library in OUTPUT_LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}\0".encode())
    return digest.hexdigest()


def cache_key(*parts: Any) -> str:
    """The key of a result made from `parts` (JSON values) by this code."""
    text = json.dumps([code_version(), *parts], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def cache_folder(project: Path) -> Path:
    """Where a project's build keeps its cache: NOTICEGEN_BUILD_CACHE, else <project>/.cache/noticegen/released."""
    moved = os.environ.get(CACHE_ENVIRONMENT)
    return Path(moved) if moved else project / DEFAULT_FOLDER


def entry_checksum(key: str, payload: str) -> str:
    """What an entry's first line must be: the SHA-256 of its key and payload, so that a damaged file, or
    one copied from another key, is no entry."""
    return hashlib.sha256(key.encode() + b"\0" + payload.encode()).hexdigest()


class BuildCache:
    """Entries by key in `folder`, each file written whole (atomically)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.txt"

    def get(self, key: str) -> str | None:
        """The payload stored under `key`, or None when there is none or its checksum does not hold."""
        try:
            checksum, _, payload = self.path(key).read_text(encoding="utf-8").partition("\n")
        except (OSError, UnicodeDecodeError):
            return None
        return payload if checksum == entry_checksum(key, payload) else None

    def put(self, key: str, payload: str) -> None:
        text = entry_checksum(key, payload) + "\n" + payload
        # A cache that cannot be written (read-only, full) only makes the next build slower.
        with contextlib.suppress(OSError):
            write_atomically(self.path(key), text)
