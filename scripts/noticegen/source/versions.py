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
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from noticegen.core.canonical import canonical_digest
from noticegen.core.diagnostics import InputError
from noticegen.source.load import DATA_DIR, LOCALES_DIR, NOTICE_FILE, YAML_SUFFIXES, declared_locales
from noticegen.source.yamlsource import load_data, read_source_bytes

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
    "translation_only",
    "approved_by",
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
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def version_files(root: Path, shown_prefix: str = "") -> dict[str, bytes]:
    """The files a version freezes, by path relative to `root` (a project or a snapshot): exactly the files
    `notice check` reads (data files ending in .yaml or .yml). A file that is not a plain file inside the
    project (a folder, a pipe, a link out of it) raises InputError instead of being read or skipped."""
    files: dict[str, bytes] = {}
    if (root / NOTICE_FILE).exists() or (root / NOTICE_FILE).is_symlink():
        files[NOTICE_FILE] = read_source_bytes(root / NOTICE_FILE, shown_prefix + NOTICE_FILE, root)
    data = root / DATA_DIR
    for path in sorted(data.iterdir()) if data.is_dir() else []:
        if path.suffix in YAML_SUFFIXES:
            files[f"{DATA_DIR}/{path.name}"] = read_source_bytes(path, f"{shown_prefix}{DATA_DIR}/{path.name}", root)
    for folder in sorted((root / LOCALES_DIR).iterdir()) if (root / LOCALES_DIR).is_dir() else []:
        text = folder / "notice.yaml"
        if text.exists() or text.is_symlink():
            relative = f"{LOCALES_DIR}/{folder.name}/notice.yaml"
            files[relative] = read_source_bytes(text, shown_prefix + relative, root)
            # Its site strings too: some of them are part of the text (ui_strings.IN_TEXT).
            strings = folder / "site.yaml"
            if strings.exists() or strings.is_symlink():
                relative = f"{LOCALES_DIR}/{folder.name}/site.yaml"
                files[relative] = read_source_bytes(strings, shown_prefix + relative, root)
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


def version_locales(folder: Path) -> set[str]:
    """The locales a released version is published in: those its notice.yaml declares, but the drafts (their
    text is frozen with it, unpublished). A snapshot whose notice.yaml cannot be read: its locale folders."""
    try:
        locales, _ = declared_locales(folder)
    except ValueError:
        return {path.parent.name for path in (folder / "locales").glob("*/notice.yaml")}
    return {code for code, _, draft in locales if not draft}


def site_locales(root: Path, *, preview: bool) -> tuple[list[tuple[str, str]], str]:
    """The site's locales as (code, name), and the default one: in a preview every declared locale, drafts
    too; in a build those a released version is published in (all but the drafts, before any release).
    ValueError when notice.yaml declares none it can use."""
    declared, default = declared_locales(root)
    if preview:
        return [(code, name) for code, name, _ in declared], default
    released = snapshot_ids(root)
    published = set().union(*(version_locales(snapshot_dir(root, version_id)) for version_id in released))
    return [
        (code, name) for code, name, draft in declared if not draft and (not released or code in published)
    ], default


def snapshot_dir(root: Path, version_id: str) -> Path:
    return root / VERSIONS_DIR / version_id


# A version's id is its effective date; a correction of it (errata: `notice release --corrects`) takes the
# same date and its number: 2025-09-23.1, 2025-09-23.2.
VERSION_ID = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(\.[1-9][0-9]*)?$")


def version_order(version_id: str) -> tuple[str, int]:
    """Sorts versions by effective date, a correction right after what it corrects."""
    day, _, number = version_id.partition(".")
    return day, int(number) if number.isdigit() else 0


def entry_ids(effectives: list[datetime.date]) -> list[str]:
    """The id of each changelog entry, in order: its effective date, numbered when an earlier entry has it."""
    ids, seen = [], {}
    for effective in effectives:
        day = effective.isoformat()
        ids.append(f"{day}.{seen[day]}" if day in seen else day)
        seen[day] = seen.get(day, 0) + 1
    return ids


def snapshot_ids(root: Path) -> list[str]:
    """The released versions' folders (named by date); anything else there is reported by stray_entries."""
    names = [name for name in _entries(root) if VERSION_ID.match(name) and _is_real_dir(root, name)]
    return sorted(names, key=version_order)


def released_source_texts(root: Path, source_locale: str) -> list[Mapping[str, Any]]:
    """The text of `source_locale` (its notice.yaml, read for its data) of each released version whose source
    locale it was, in version order: a translation that is one of them was copied from an older source text,
    not translated. A snapshot that cannot be read is left out: the checks of released versions report it."""
    texts = []
    for version_id in snapshot_ids(root):
        folder = f"{VERSIONS_DIR}/{version_id}/"
        if _snapshot_source_locale(root, folder) != source_locale:  # then that text was the source, no copy
            continue
        data = _snapshot_data(root, f"{folder}{LOCALES_DIR}/{source_locale}/notice.yaml")
        if isinstance(data, Mapping):
            texts.append(data)
    return texts


def _snapshot_source_locale(root: Path, folder: str) -> Any:
    notice = _snapshot_data(root, folder + NOTICE_FILE)
    locales = notice.get("locales") if isinstance(notice, Mapping) else None
    return locales.get("source_locale") if isinstance(locales, Mapping) else None


def _snapshot_data(root: Path, shown_as: str) -> Any:
    try:
        return load_data(read_source_bytes(root / shown_as, shown_as, root).decode("utf-8"))
    except (InputError, UnicodeDecodeError, yaml.YAMLError):
        return None


def stray_entries(root: Path) -> list[str]:
    """What stands in notice/versions/ and is not a version's folder: a typo, a copy, a file or a link."""
    return sorted(name for name in _entries(root) if not (VERSION_ID.match(name) and _is_real_dir(root, name)))


# The folder a release builds its snapshot in, beside its final place (commands/release.py).
STAGING_PREFIX = ".release-"


def interrupted_releases(root: Path) -> list[str]:
    """The staging folders of releases that never ended (killed before their rename): no version, no entry."""
    folder = root / VERSIONS_DIR
    if not folder.is_dir():
        return []
    return sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir() and not entry.is_symlink()
    )


def _entries(root: Path) -> list[str]:
    folder = root / VERSIONS_DIR
    return [entry.name for entry in folder.iterdir() if not entry.name.startswith(".")] if folder.is_dir() else []


def _is_real_dir(root: Path, name: str) -> bool:
    path = root / VERSIONS_DIR / name
    if path.is_symlink() or not path.is_dir():
        return False
    try:
        datetime.date.fromisoformat(name.partition(".")[0])
    except ValueError:
        return False
    return True


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
    if not re.fullmatch(r"[0-9]+", raw):
        raise InputError(f"SOURCE_DATE_EPOCH={raw[:40]!r} is not a whole number of seconds ({hint})")
    epoch = int(raw[-40:]) if len(raw) <= 40 else MAX_EPOCH + 1
    if epoch > MAX_EPOCH:
        raise InputError(f"SOURCE_DATE_EPOCH={raw[:40]!r} is after the year 9999 ({hint})")
    return epoch


@dataclass(frozen=True)
class Status:
    current: str | None  # the latest version in effect on the build date
    upcoming: tuple[str, ...]  # versions that take effect after it
    archived: tuple[str, ...]


def statuses(version_ids: list[str], on: datetime.date) -> Status:
    """In force on `on`: the latest version that took effect by then (a corrected text gives way to its
    correction, which takes its place from the same date)."""
    ordered = sorted(version_ids, key=version_order)
    in_effect = [v for v in ordered if datetime.date.fromisoformat(version_order(v)[0]) <= on]
    later = tuple(v for v in ordered if datetime.date.fromisoformat(version_order(v)[0]) > on)
    current = in_effect[-1] if in_effect else None
    return Status(current, later, tuple(in_effect[:-1]))
