"""Released versions: immutable snapshots of the notice, each locked by SHA-256, and their changelog.

A version's snapshot is a copy of the files that make the notice (notice.yaml, data, the text of
every locale) in notice/versions/<effective-date>/, with a SHA256SUMS file; the changelog entry
records the SHA-256 of that SHA256SUMS. Site strings (site.yaml) are not part of a version.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from noticegen.core.canonical import canonical_digest
from noticegen.source.load import DATA_DIR, LOCALES_DIR, NOTICE_FILE

VERSIONS_DIR = "notice/versions"
CHANGELOG_FILE = "notice/changelog.yaml"
SUMS_FILE = "SHA256SUMS"
# Beside SHA256SUMS: the digest of every part of every document of the version when it was released, so
# that a digest a later build does not reproduce can be traced to the section that differs.
PARTS_FILE = "DIGESTS.json"
# The fields of a changelog entry that its chain covers, with the previous entry's chain: editing, removing
# or reordering an entry breaks the chain of every entry after it.
CHAINED_FIELDS = (
    "effective",
    "published",
    "change",
    "summary",
    "short_notice",
    "imported",
    "corrects",
    "lock",
    "digests",
)


def chain_link(previous: str | None, entry: Mapping[str, Any]) -> str:
    """SHA-256 of the RFC 8785 form of {"previous": the previous entry's chain, "entry": its chained fields}."""
    fields = {key: _plain(entry[key]) for key in CHAINED_FIELDS if entry.get(key) is not None}
    return canonical_digest({"previous": previous, "entry": fields})


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def version_files(root: Path) -> dict[str, bytes]:
    """The files a version freezes, by path relative to `root` (a project or a snapshot)."""
    files: dict[str, bytes] = {}
    if (root / NOTICE_FILE).is_file():
        files[NOTICE_FILE] = (root / NOTICE_FILE).read_bytes()
    for path in sorted((root / DATA_DIR).glob("*.yaml")) if (root / DATA_DIR).is_dir() else []:
        files[f"{DATA_DIR}/{path.name}"] = path.read_bytes()
    for folder in sorted((root / LOCALES_DIR).iterdir()) if (root / LOCALES_DIR).is_dir() else []:
        if (folder / "notice.yaml").is_file():
            files[f"{LOCALES_DIR}/{folder.name}/notice.yaml"] = (folder / "notice.yaml").read_bytes()
    return files


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sums_text(files: dict[str, bytes]) -> str:
    """SHA256SUMS in the format of `sha256sum`, so anyone can verify a snapshot with standard tools."""
    return "".join(f"{sha256(content)}  {path}\n" for path, content in sorted(files.items()))


def parse_sums(text: str) -> dict[str, str] | None:
    sums = {}
    for line in text.splitlines():
        digest, separator, path = line.partition("  ")
        if not separator or len(digest) != 64:
            return None
        sums[path] = digest
    return sums


def recorded_parts(root: Path) -> dict[str, Any]:
    """The DIGESTS.json of every released version that has one (a diagnostic aid: see PARTS_FILE)."""
    parts = {}
    for version_id in snapshot_ids(root):
        path = snapshot_dir(root, version_id) / PARTS_FILE
        try:
            parts[version_id] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return parts


def snapshot_dir(root: Path, version_id: str) -> Path:
    return root / VERSIONS_DIR / version_id


def snapshot_ids(root: Path) -> list[str]:
    folder = root / VERSIONS_DIR
    if not folder.is_dir():
        return []
    # A folder whose name starts with a dot is a release being written (see commands/release.py), not a version.
    return sorted(entry.name for entry in folder.iterdir() if entry.is_dir() and not entry.name.startswith("."))


def build_date(explicit: datetime.date | None = None) -> datetime.date:
    """The date that decides which version is in force: --date, else SOURCE_DATE_EPOCH, else today (UTC)."""
    if explicit is not None:
        return explicit
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.datetime.now(tz=datetime.UTC).date()


@dataclass(frozen=True)
class Status:
    current: str | None  # the latest version in effect on the build date
    upcoming: tuple[str, ...]  # versions that take effect after it
    archived: tuple[str, ...]


def statuses(version_ids: list[str], on: datetime.date) -> Status:
    in_effect = [v for v in sorted(version_ids) if datetime.date.fromisoformat(v) <= on]
    later = tuple(v for v in sorted(version_ids) if datetime.date.fromisoformat(v) > on)
    current = in_effect[-1] if in_effect else None
    return Status(current, later, tuple(in_effect[:-1]))
