"""Released versions: immutable snapshots of the notice, each locked by SHA-256, and their changelog.

A version's snapshot is a copy of the files that make the notice (notice.yaml, data, the text of
every locale) in notice/versions/<effective-date>/, with a SHA256SUMS file; the changelog entry
records the SHA-256 of that SHA256SUMS. Site strings (site.yaml) are not part of a version.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from noticegen.core.diagnostics import InputError
from noticegen.source.load import DATA_DIR, LOCALES_DIR, NOTICE_FILE

VERSIONS_DIR = "notice/versions"
CHANGELOG_FILE = "notice/changelog.yaml"
SUMS_FILE = "SHA256SUMS"


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


def snapshot_dir(root: Path, version_id: str) -> Path:
    return root / VERSIONS_DIR / version_id


def snapshot_ids(root: Path) -> list[str]:
    folder = root / VERSIONS_DIR
    return sorted(entry.name for entry in folder.iterdir() if entry.is_dir()) if folder.is_dir() else []


def build_date(explicit: datetime.date | None = None) -> datetime.date:
    """The date that decides which version is in force: --date, else SOURCE_DATE_EPOCH, else today (UTC)."""
    if explicit is not None:
        return explicit
    epoch = source_date_epoch()
    if epoch is not None:
        return datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC).date()
    return datetime.datetime.now(tz=datetime.UTC).date()


# 9999-12-31T23:59:59Z: the last second a date can hold.
MAX_EPOCH = 253402300799


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as the reproducible-builds specification defines it (a whole number of seconds
    since 1970-01-01 UTC), None when it is not set; InputError for anything else, named as it was given."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None:
        return None
    hint = "unset it, or set it to a whole number of seconds since 1970-01-01, e.g. $(date +%s)"
    if not re.fullmatch(r"[0-9]{1,12}", raw.strip() if raw.strip() else "x"):
        raise InputError(f"SOURCE_DATE_EPOCH={raw[:40]!r} is not a whole number of seconds ({hint})")
    epoch = int(raw)
    if epoch > MAX_EPOCH:
        raise InputError(f"SOURCE_DATE_EPOCH={raw!r} is after the year 9999 ({hint})")
    return epoch


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
