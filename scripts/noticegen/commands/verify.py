"""`notice verify`: check a published notice from the outside, as an auditor would.

It reads the index (/api/notice.json), fetches every version document it lists, recomputes each digest with
an independent RFC 8785 implementation (the `rfc8785` package, not the code that wrote the documents), checks
each against the index and against the lock chain, and says what holds. It trusts nothing it fetched: the
list of what a digest leaves out is this module's own, for the schema version it knows; what the index says
about a version is checked against the version's own document, whose content the digest covers; no document
is read from outside the index's folder. What it cannot see alone, versions removed from the end of the
list, an auditor's expectation catches: a chain value (or a version id) recorded earlier must still be listed.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import stat
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import rfc8785

# What a version's digest leaves out, per schema version (README, "For integrators"). `*`: any array item.
_EXCLUDED_SINCE_2 = [
    "/$schema",
    "/build",
    "/changelog",
    "/integrity",
    "/version/url",
    "/sections/*/html",
    "/sections/*/text",
    "/sections/*/url",
    "/sections/*/translation",
]
# 2.1.0 adds sections' tables and clauses: their renderings and addresses are left out like the sections' own.
EXCLUDED = {
    "2.0.0": _EXCLUDED_SINCE_2,
    "2.1.0": [
        *_EXCLUDED_SINCE_2,
        "/sections/*/table/rows/*/cells/*/html",
        "/sections/*/table/rows/*/cells/*/text",
        "/sections/*/clauses/*/url",
    ],
}
# 2.2.0 adds the notice's summary: its renderings are left out like a section body's.
EXCLUDED["2.2.0"] = [*EXCLUDED["2.1.0"], "/summary/html", "/summary/text"]
# The fields of an entry its chain covers: this module's own list, like the exclusions above, not the
# generator's (source.versions.CHAINED_FIELDS), so that a wrong list there is caught here, not repeated.
CHAINED = (
    "effective",
    "published",
    "change",
    "summary",
    "short_notice",
    "imported",
    "corrects",
    "translation_only",
    "approved_by",
)
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
# Deeper than any document of a notice (a few levels): a hostile one nested deeper is refused before any
# recursive step (canonical JSON, digests) reaches it.
MAX_DOCUMENT_DEPTH = 64


class UnavailableError(Exception):
    """A document that could not be fetched or read."""


class RefusedError(UnavailableError):
    """A document address that points outside the index's folder."""


@dataclass
class Verdict:
    lines: list[str] = field(default_factory=list)
    failures: int = 0
    latest: tuple[str, str] | None = None  # the last listed version's id and chain, once all holds

    def holds(self, text: str) -> None:
        self.lines.append(f"ok: {text}")

    def fails(self, text: str) -> None:
        self.failures += 1
        self.lines.append(f"FAILED: {text}")

    def failed_about(self, version_id: str) -> bool:
        return any(line.startswith(f"FAILED: version {version_id}") for line in self.lines)


class Source:
    """Where the documents are: a site on the web, or a built site folder on this machine."""

    def __init__(self, where: str) -> None:
        self.file_digests: dict[str, str] = {}  # address -> SHA-256 of the bytes fetched
        self.remote = urlparse(where).scheme in ("http", "https")
        if self.remote:
            self.index = where if where.endswith(".json") else where.rstrip("/") + "/api/notice.json"
        else:
            path = Path(where)
            self.index = str(path / "api" / "notice.json" if path.is_dir() else path)

    def fetch(self, address: str) -> Any:
        """A document the index lists, fetched from beside the index (what follows /api/ in its address), so
        that a copy of the site, a mirror or a local build is checked as what it is."""
        return self.read(address, self.locate(address))

    def beside(self, rest: str) -> Any:
        """A document at a path of this module's own under the index's folder, such as latest/en.json."""
        return self.read(rest, self.within(rest, rest))

    def read(self, address: str, where: str) -> Any:
        try:
            if self.remote:
                data = _downloaded(where, MAX_DOCUMENT_BYTES + 1)
            else:
                data = _file_bytes(where, MAX_DOCUMENT_BYTES + 1)
            if len(data) > MAX_DOCUMENT_BYTES:
                raise UnavailableError(f"{where} is larger than {MAX_DOCUMENT_BYTES} bytes")
            self.file_digests[address] = hashlib.sha256(data).hexdigest()
            document = json.loads(data.decode("utf-8"))
        except RecursionError:
            raise UnavailableError(f"{where}: nested deeper than any notice document") from None
        except (OSError, ValueError) as problem:
            raise UnavailableError(f"{where}: {problem}") from None
        if _depth(document) > MAX_DOCUMENT_DEPTH:
            raise UnavailableError(f"{where}: nested deeper than any notice document ({MAX_DOCUMENT_DEPTH} levels)")
        return document

    def locate(self, address: str) -> str:
        if address == self.index:
            return address
        if not isinstance(address, str):
            raise RefusedError(f"{json.dumps(address)} is not an address")
        path = urlparse(address).path if urlparse(address).scheme else address
        if "/api/" not in path:
            raise RefusedError(f"{address} is not under /api/")
        return self.within(path.split("/api/", 1)[1], address)

    def within(self, rest: str, address: str) -> str:
        """Where `rest` (a path relative to the index's folder) is, refused unless it stays in that folder."""
        outside = RefusedError(f"{address} is outside the site's api/ folder")
        segments = unquote(rest).split("/")
        if any(segment in ("", ".", "..") or "\\" in segment or "\x00" in segment for segment in segments):
            raise outside
        if self.remote:
            return self.index.rsplit("/", 1)[0] + "/" + rest
        api = Path(self.index).parent.resolve()
        where = (api / rest).resolve()
        if not where.is_relative_to(api):  # a link that leads out, say
            raise outside
        return str(where)


# How long one document may take to arrive, whole: a server that sends a byte now and then never times out a
# single read.
DOWNLOAD_SECONDS = 120.0


def _downloaded(address: str, limit: int) -> bytes:
    """At most `limit` bytes of the document at `address`, within DOWNLOAD_SECONDS."""
    deadline = time.monotonic() + DOWNLOAD_SECONDS
    chunks: list[bytes] = []
    size = 0
    with urllib.request.urlopen(address, timeout=30) as response:
        while size < limit:
            if time.monotonic() > deadline:
                raise UnavailableError(f"{address} took more than {DOWNLOAD_SECONDS:g} s to download")
            chunk = response.read1(min(65536, limit - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    return b"".join(chunks)


def _file_bytes(where: str, limit: int) -> bytes:
    """At most `limit` bytes of the regular file at `where`: a pipe, a device or a folder is refused without
    being read (a pipe would wait for ever, /dev/zero never end)."""
    descriptor = os.open(where, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise UnavailableError(f"{where} is not a file")
        return file.read(limit)


def _depth(value: Any) -> int:
    """How deeply `value` nests lists and objects, counted without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def content_digest(document: dict[str, Any], excluded: list[str]) -> str:
    content = json.loads(json.dumps(document))
    for pointer in excluded:
        _drop(content, pointer.split("/")[1:])
    return hashlib.sha256(rfc8785.dumps(content)).hexdigest()


def _drop(value: Any, tokens: list[str]) -> None:
    head, rest = tokens[0], tokens[1:]
    if head == "*" and isinstance(value, list):
        for item in value:
            if rest:
                _drop(item, rest)
    elif isinstance(value, dict) and head in value:
        if rest:
            _drop(value[head], rest)
        else:
            del value[head]


def schema_version(document: dict[str, Any]) -> str:
    parts = str(document.get("$schema", "")).rstrip("/").split("/")
    return parts[-2] if len(parts) >= 2 else ""


def verify(where: str, expect_chain: str | None = None, expect_version: str | None = None) -> Verdict:
    """Check the site at `where`; with an expectation (a chain value or a version id recorded earlier), also
    that the version it names is still listed."""
    verdict = Verdict()
    source = Source(where)
    try:
        index = source.fetch(source.index)
    except UnavailableError as problem:
        verdict.fails(f"the index cannot be read: {problem}")
        return verdict
    versions = index.get("versions") if isinstance(index, dict) else None
    if not isinstance(versions, list):
        verdict.fails(f"{source.index} is not a notice index (no list of versions)")
        return verdict
    entries: list[dict[str, Any]] = []
    documents: dict[str, dict[str, Any]] = {}  # version id -> its all-locales document, when it could be read
    previous_chain: str | None = None
    for position, entry in enumerate(versions, 1):
        problem = entry_problem(entry)
        if problem is not None:
            label = entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) else f"#{position}"
            verdict.fails(f"version {label}: the index entry is malformed: {problem}")
            chain = entry.get("chain") if isinstance(entry, dict) else None
            previous_chain = chain if isinstance(chain, str) else None
            continue
        if any(other["id"] == entry["id"] for other in entries):
            verdict.fails(f"version {entry['id']}: the index lists it twice")
            continue
        entries.append(entry)
        try:
            whole = verify_version(source, entry, previous_chain, verdict)
        except (AttributeError, KeyError, TypeError, ValueError) as problem:  # a document of another shape
            verdict.fails(f"version {entry['id']}: a document of an unexpected shape ({type(problem).__name__})")
            whole = None
        if whole is not None:
            documents[entry["id"]] = whole
        previous_chain = entry["chain"]
    check_index_fields(entries, documents, verdict)
    check_current(index.get("current"), entries, source, verdict)
    check_expectations(versions, expect_chain, expect_version, verdict)
    if not versions:
        if verdict.failures == 0:
            verdict.holds("no version is listed")
        return verdict
    if verdict.failures == 0:
        verdict.holds(f"{len(versions)} version(s): every document present, every digest and the chain reproduced")
        verdict.latest = (versions[-1]["id"], versions[-1]["chain"])
        verdict.lines.append(f"latest: {versions[-1]['id']}, chain {versions[-1]['chain']}")
    return verdict


ENTRY_STRINGS = ("id", "published", "effective_from", "change", "lock", "chain")


def entry_problem(entry: Any) -> str | None:
    """What makes an index entry unusable, before any of it is read."""
    if not isinstance(entry, dict):
        return f"{json.dumps(entry, ensure_ascii=False)[:80]} is not an object"
    missing = [key for key in (*ENTRY_STRINGS, "effective_until", "urls", "digests", "files") if key not in entry]
    if missing:
        return f"no {', '.join(missing)}"
    wrong = [key for key in ENTRY_STRINGS if not isinstance(entry[key], str)]
    if entry["effective_until"] is not None and not isinstance(entry["effective_until"], str):
        wrong.append("effective_until")
    urls = entry["urls"] if isinstance(entry["urls"], dict) else {}
    locales = urls.get("json") if isinstance(urls.get("json"), dict) else {"": None}
    if not isinstance(urls.get("all"), str) or not all(isinstance(address, str) for address in locales.values()):
        wrong.append("urls")
    for key in ("digests", "files"):
        if not isinstance(entry[key], dict) or not all(isinstance(value, str) for value in entry[key].values()):
            wrong.append(key)
    return f"{', '.join(wrong)} not as the schema says" if wrong else None


def verify_version(
    source: Source, entry: dict[str, Any], previous_chain: str | None, verdict: Verdict
) -> dict[str, Any] | None:
    """Check one version's documents against the index and the chain; returns its all-locales document."""
    version_id = entry["id"]
    addresses = {"all": entry["urls"]["all"], **entry["urls"]["json"]}
    recorded = entry["digests"]
    documents: dict[str, Any] = {}
    for key, address in addresses.items():
        try:
            document = source.fetch(address)
        except RefusedError as problem:
            verdict.fails(f"version {version_id}: the {key} document is not read: {problem}")
            continue
        except UnavailableError as problem:
            verdict.fails(f"version {version_id}: the {key} document is missing: {problem}")
            continue
        if not isinstance(document, dict) or not isinstance(document.get("version"), dict):
            verdict.fails(f"version {version_id}, {key}: {address} is not a version document")
            continue
        documents[key] = document
        if source.file_digests.get(address) != entry["files"].get(key):
            verdict.fails(f"version {version_id}, {key}: the file {address} is not the one the index lists")
        excluded = EXCLUDED.get(schema_version(document))
        if excluded is None:
            verdict.fails(f"version {version_id}, {key}: unknown schema {document.get('$schema')!r}")
            continue
        integrity = document.get("integrity")
        integrity = integrity if isinstance(integrity, dict) else {}
        if integrity.get("excluded") != excluded:
            verdict.fails(f"version {version_id}, {key}: the document says its digest leaves out other members")
        try:
            digest = content_digest(document, excluded)
        except rfc8785.CanonicalizationError as problem:
            verdict.fails(f"version {version_id}, {key}: the content has no canonical form: {problem}")
            continue
        if digest != integrity.get("digest") or digest != recorded.get(key):
            verdict.fails(
                f"version {version_id}, {key}: the content's digest is {digest}; the document says "
                f"{integrity.get('digest')}, the index {recorded.get(key)}"
            )
    if set(recorded) != set(addresses):
        verdict.fails(
            f"version {version_id}: the index lists digests for {sorted(recorded)}, documents for {sorted(addresses)}"
        )
    whole = documents.get("all")
    if whole is None:
        return None
    fields = {key: whole["version"].get(key) for key in CHAINED}
    fields = {key: value for key, value in fields.items() if value is not None}
    fields |= {"lock": entry["lock"], "digests": recorded}
    try:
        chain = hashlib.sha256(rfc8785.dumps({"previous": previous_chain, "entry": fields})).hexdigest()
    except rfc8785.CanonicalizationError as problem:
        chain = f"none ({problem})"
    if chain != entry["chain"]:
        verdict.fails(
            f"version {version_id}: the lock chain is broken here (recomputed {chain}, published {entry['chain']})"
        )
    elif not verdict.failed_about(version_id):
        verdict.holds(f"version {version_id}: {len(documents)} documents, digests and chain reproduced")
    return whole


# What the index says of a version (key), and where its all-locales document, inside the digest, says it.
DESCRIBED = {
    "id": "id",
    "effective_from": "effective",
    "published": "published",
    "change": "change",
    "short_notice": "short_notice",
    "imported": "imported",
    "corrects": "corrects",
    "translation_only": "translation_only",
    "approved_by": "approved_by",
}


def check_index_fields(entries: list[dict[str, Any]], documents: dict[str, dict[str, Any]], verdict: Verdict) -> None:
    """Each entry says what its document says; its period ends the day before the next later effective date."""
    effective: dict[str, datetime.date] = {}
    for entry in entries:
        version_id = entry["id"]
        whole = documents.get(version_id)
        if whole is not None:
            for key, member in DESCRIBED.items():
                said, signed = entry.get(key), whole["version"].get(member)
                if said != signed:
                    verdict.fails(
                        f"version {version_id}: the index gives {key} {shown(said)}, its document {shown(signed)}"
                    )
        try:
            effective[version_id] = datetime.date.fromisoformat(entry["effective_from"])
        except ValueError:
            verdict.fails(f"version {version_id}: effective_from {shown(entry['effective_from'])} is not a date")
    if len(effective) < len(entries):
        return
    for entry in entries:
        start = effective[entry["id"]]
        later = [date for date in effective.values() if date > start]
        until = (min(later) - datetime.timedelta(days=1)).isoformat() if later else None
        if entry["effective_until"] != until:
            verdict.fails(
                f"version {entry['id']}: the index gives effective_until {shown(entry['effective_until'])}, "
                f"the effective dates of the listed versions {shown(until)}"
            )


def check_current(current: Any, entries: list[dict[str, Any]], source: Source, verdict: Verdict) -> None:
    """`current` names a listed version (or none), the only one whose status is current, and latest/ holds
    byte-for-byte copies of its documents."""
    ids = [entry["id"] for entry in entries]
    if current is not None and current not in ids:
        verdict.fails(f"the index's current version {shown(current)} is not listed")
        return
    for entry in entries:
        if (entry.get("status") == "current") != (entry["id"] == current):
            verdict.fails(
                f"version {entry['id']}: its status is {shown(entry.get('status'))}, "
                f"but the index's current version is {shown(current)}"
            )
    if current is None:
        return
    entry = entries[ids.index(current)]
    names = {"all": "notice.json", **{key: f"{key}.json" for key in entry["urls"]["json"]}}
    for key, name in names.items():
        address = entry["urls"]["all"] if key == "all" else entry["urls"]["json"][key]
        published = source.file_digests.get(address)
        try:
            source.beside(f"latest/{name}")
        except UnavailableError as problem:
            verdict.fails(f"latest/{name} is missing: {problem}")
            continue
        if published is None or source.file_digests[f"latest/{name}"] != published:
            verdict.fails(f"latest/{name} is not a copy of version {current}'s {key} document")


def check_expectations(
    versions: list[Any], expect_chain: str | None, expect_version: str | None, verdict: Verdict
) -> None:
    """What an auditor recorded earlier must still be listed: removing versions at the end leaves no trace in
    the chain of those that remain."""
    listed = [entry for entry in versions if isinstance(entry, dict)]
    if not versions and (expect_chain is not None or expect_version is not None):
        verdict.fails("no version is listed, but a version was expected (--expect-chain, --expect-version)")
        return
    if expect_chain is not None and not any(entry.get("chain") == expect_chain.lower() for entry in listed):
        verdict.fails(f"no listed version has the chain {shown(expect_chain)} (--expect-chain)")
    if expect_version is not None and not any(entry.get("id") == expect_version for entry in listed):
        verdict.fails(f"version {shown(expect_version)} is not listed (--expect-version)")


def shown(value: Any) -> str:
    """A value from the index in a message: as JSON, so that null, a number and a string differ."""
    return json.dumps(value, ensure_ascii=False)[:120]
