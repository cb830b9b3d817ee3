"""`notice verify`: check a published notice from the outside, as an auditor would.

It reads the index (/api/notice.json), fetches every version document it lists, recomputes each digest with
an independent RFC 8785 implementation (the `rfc8785` package, not the code that wrote the documents), checks
each against the index and against the lock chain, and says what holds. It trusts nothing it fetched: the
list of what a digest leaves out is this module's own, for the schema version it knows.
"""

from __future__ import annotations

import hashlib
import json
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import rfc8785

# What a version's digest leaves out, per schema version (README, "For integrators"). `*`: any array item.
EXCLUDED = {
    "2.0.0": [
        "/$schema",
        "/build",
        "/changelog",
        "/integrity",
        "/version/url",
        "/sections/*/html",
        "/sections/*/text",
        "/sections/*/url",
    ]
}
CHAINED = ("effective", "published", "change", "summary", "short_notice", "imported", "corrects")
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024


class UnavailableError(Exception):
    """A document that could not be fetched or read."""


@dataclass
class Verdict:
    lines: list[str] = field(default_factory=list)
    failures: int = 0

    def holds(self, text: str) -> None:
        self.lines.append(f"ok: {text}")

    def fails(self, text: str) -> None:
        self.failures += 1
        self.lines.append(f"FAILED: {text}")


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
        where = self.locate(address)
        try:
            if self.remote:
                with urllib.request.urlopen(where, timeout=30) as response:
                    data = response.read(MAX_DOCUMENT_BYTES + 1)
            else:
                data = Path(where).read_bytes()
            if len(data) > MAX_DOCUMENT_BYTES:
                raise UnavailableError(f"{where} is larger than {MAX_DOCUMENT_BYTES} bytes")
            self.file_digests[address] = hashlib.sha256(data).hexdigest()
            return json.loads(data.decode("utf-8"))
        except (OSError, ValueError) as problem:
            raise UnavailableError(f"{where}: {problem}") from None

    def locate(self, address: str) -> str:
        if address == self.index:
            return address
        path = urlparse(address).path if urlparse(address).scheme else address
        if "/api/" not in path:
            raise UnavailableError(f"{address} is not under /api/")
        rest = path.split("/api/", 1)[1]
        if self.remote:
            return self.index.rsplit("/", 1)[0] + "/" + rest
        return str(Path(self.index).parent / rest)


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


def verify(where: str) -> Verdict:
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
    previous_chain: str | None = None
    for entry in versions:
        previous_chain = verify_version(source, entry, previous_chain, verdict)
    if verdict.failures == 0:
        verdict.holds(f"{len(versions)} version(s): every document present, every digest and the chain reproduced")
    return verdict


def verify_version(source: Source, entry: dict[str, Any], previous_chain: str | None, verdict: Verdict) -> str | None:
    version_id = entry.get("id", "?")
    urls = entry.get("urls", {})
    addresses = {"all": urls.get("all"), **urls.get("json", {})}
    recorded = entry.get("digests", {})
    documents: dict[str, Any] = {}
    for key, address in addresses.items():
        try:
            document = source.fetch(address)
        except UnavailableError as problem:
            verdict.fails(f"version {version_id}: the {key} document is missing: {problem}")
            continue
        documents[key] = document
        if source.file_digests.get(address) != entry.get("files", {}).get(key):
            verdict.fails(f"version {version_id}, {key}: the file {address} is not the one the index lists")
        excluded = EXCLUDED.get(schema_version(document))
        if excluded is None:
            verdict.fails(f"version {version_id}, {key}: unknown schema {document.get('$schema')!r}")
            continue
        integrity = document.get("integrity", {})
        if integrity.get("excluded") != excluded:
            verdict.fails(f"version {version_id}, {key}: the document says its digest leaves out other members")
        digest = content_digest(document, excluded)
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
        return entry.get("chain")
    fields = {key: whole.get("version", {}).get(key) for key in CHAINED}
    fields = {key: value for key, value in fields.items() if value is not None}
    fields |= {"lock": entry.get("lock"), "digests": recorded}
    chain = hashlib.sha256(rfc8785.dumps({"previous": previous_chain, "entry": fields})).hexdigest()
    if chain != entry.get("chain"):
        verdict.fails(
            f"version {version_id}: the lock chain is broken here (recomputed {chain}, published {entry.get('chain')})"
        )
    elif not any(version_id in line and line.startswith("FAILED") for line in verdict.lines):
        verdict.holds(f"version {version_id}: {len(documents)} documents, digests and chain reproduced")
    return entry.get("chain")
