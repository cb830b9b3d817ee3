"""The notice as JSON for machines: one document per version and locale, with a published schema.

Pure functions of the site model. Every version document carries `integrity`: the SHA-256 of its RFC
8785 canonical form without its `integrity` and `build` members. Only `build` depends on the build
date (the version's status), so a released version's digest never changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from noticegen.core.hashing import section_hash
from noticegen.model.notice import Notice
from noticegen.model.site import Site, Version
from noticegen.render.notice_page import expand_body
from noticegen.render.pages import locale_url
from noticegen.text.markup import html_to_text, markdown_to_html

SCHEMA_VERSION = "1.0.0"
# A published schema never changes: a change to this file is a new SCHEMA_VERSION.
SCHEMA_FILE = "notice.schema.json"
DPV = "https://w3id.org/dpv#"
DPV_CONTROLLER = DPV + "DataController"
DPV_REPRESENTATIVE = DPV + "Representative"
DPV_SUBPROCESSOR = DPV + "DataSubProcessor"


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) for the values these documents hold: text, integers, booleans, null, arrays, objects.

    Keys are sorted by their UTF-16 code units, strings are written as JSON with no escapes beyond
    those RFC 8785 requires, and there is no whitespace. (No floating-point numbers are ever exported.)
    """
    return _canonical(value).encode("utf-8")


def _canonical(value: Any) -> str:
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda item: item[0].encode("utf-16-be"))
        return "{" + ",".join(f"{_canonical(key)}:{_canonical(item)}" for key, item in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_canonical(item) for item in value) + "]"
    if isinstance(value, float):
        raise TypeError("floating-point numbers are not exported")
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def digest(document: Mapping[str, Any]) -> str:
    content = {key: value for key, value in document.items() if key not in ("integrity", "build")}
    return hashlib.sha256(canonical_json(content)).hexdigest()


def sealed(document: dict[str, Any]) -> dict[str, Any]:
    document["integrity"] = {"algorithm": "sha-256", "canonicalization": "RFC 8785", "digest": digest(document)}
    return document


def schema_url(site_url: str) -> str:
    return site_url.rstrip("/") + f"/api/schema/{SCHEMA_VERSION}/notice.schema.json"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def structured_data(notice: Notice) -> dict[str, Any]:
    data = notice.data
    contacts = [
        {"id": contact_id, "email": contact.get("email"), "email_missing": contact.get("email") is None}
        | ({"purpose": contact["purpose"]} if contact.get("purpose") else {})
        for contact_id, contact in (data.get("contacts") or {}).items()
    ]
    representative = data.get("representative")
    subprocessors = [
        {
            "name": entry["name"],
            "collected_through": channel,
            "since": _jsonable(entry.get("since")),
            "until": _jsonable(entry.get("until")),
            "dpv": DPV_SUBPROCESSOR,
        }
        for channel, entries in (data.get("subprocessors") or {}).items()
        for entry in entries
    ]
    processing = data.get("processing") or {}
    transfers = [_jsonable(mechanism) for mechanism in processing.get("transfer_mechanisms", ())]
    return {
        "contacts": contacts,
        "representative": (_jsonable(representative) | {"dpv": DPV_REPRESENTATIVE}) if representative else None,
        "frameworks": _jsonable(data.get("frameworks")),
        "transfers": transfers,
        "subprocessors": subprocessors,
        "processing": {key: _jsonable(value) for key, value in processing.items() if key != "transfer_mechanisms"},
        "known_gaps": [
            {"id": gap.id, "kind": gap.kind, "section": gap.section, "contacts": list(gap.contacts), "note": gap.note}
            for gap in notice.gaps
        ],
    }


def _section_locale(notice: Notice, locale: str, section_id: str, page_url: str) -> dict[str, Any]:
    text = notice.texts[locale].sections[section_id]
    markdown = expand_body(notice, locale, text.body) if text.body else ""
    rendered = markdown_to_html(markdown) if markdown else ""
    return {
        "title": text.title,
        "markdown": text.body,
        "html": rendered,
        "text": html_to_text(rendered),
        "url": f"{page_url}#{section_id}",
        "hash": section_hash(text.title, text.body),
    }


def _history(site: Site, version: Version, locale: str | None) -> list[dict[str, Any]]:
    """The changelog up to and including this version: it never changes once the version is out."""
    entries = site.versions[: site.versions.index(version) + 1]
    return [
        {
            "version": entry.id,
            "effective": entry.effective.isoformat(),
            "published": entry.published.isoformat(),
            "change": entry.change,
            "summary": entry.summary.get(locale, "") if locale else dict(entry.summary),
        }
        for entry in reversed(entries)
    ]


def version_document(site: Site, version: Version, site_url: str, locale: str | None) -> dict[str, Any]:
    """One version in one locale, or (locale None) in all its locales with every text as {locale: text}."""
    notice = version.notice
    working = site.working
    codes = [locale] if locale else [code for code in notice.texts]
    pages = {code: locale_url(site_url, working, code, f"versions/{version.id}/") for code in codes}
    before = site.before(version)
    sections = []
    for section in notice.sections:
        per_locale = {code: _section_locale(notice, code, section.id, pages[code]) for code in codes}
        entry: dict[str, Any] = {
            "id": section.id,
            "parent": section.parent,
            "order": section.order,
            "level": section.level,
        }
        for field in ("title", "markdown", "html", "text", "url", "hash"):
            entry[field] = per_locale[locale][field] if locale else {c: per_locale[c][field] for c in codes}
        if section.dpv:
            entry["dpv"] = list(section.dpv)
        sections.append(entry)
    controller = _jsonable(notice.controller) | {"dpv": DPV_CONTROLLER}
    document: dict[str, Any] = {
        "$schema": schema_url(site_url),
        "locale": locale if locale else codes,
        "source_locale": notice.source_locale,
        "controller": controller,
        "title": notice.texts[locale].title if locale else {c: notice.texts[c].title for c in codes},
        "version": {
            "id": version.id,
            "effective": version.effective.isoformat(),
            "published": version.published.isoformat(),
            "change": version.change,
            "material": version.change == "material",
            "supersedes": before.id if before else None,
            "summary": version.summary.get(locale, "") if locale else dict(version.summary),
            "url": pages[locale] if locale else pages,
        },
        "sections": sections,
        "data": structured_data(notice),
        "changelog": _history(site, version, locale),
    }
    sealed(document)
    document["build"] = {"status": site.status_of(version), "date": site.on.isoformat()}
    return document


def index_document(site: Site, site_url: str, documents: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    working = site.working
    api = site_url.rstrip("/") + "/api/"
    versions = []
    for version in site.versions:
        last_day = site.last_day(version)
        codes = list(version.notice.texts)
        versions.append(
            {
                "id": version.id,
                "effective_from": version.effective.isoformat(),
                "effective_until": last_day.isoformat() if last_day else None,
                "status": site.status_of(version),
                "change": version.change,
                "urls": {
                    "all": f"{api}v/{version.id}/notice.json",
                    "json": {code: f"{api}v/{version.id}/{code}.json" for code in codes},
                    "html": {code: locale_url(site_url, working, code, f"versions/{version.id}/") for code in codes},
                },
                "digests": {
                    "all": documents[f"v/{version.id}/notice.json"]["integrity"]["digest"],
                    **{code: documents[f"v/{version.id}/{code}.json"]["integrity"]["digest"] for code in codes},
                },
            }
        )
    return {
        "$schema": schema_url(site_url),
        "controller": _jsonable(working.controller) | {"dpv": DPV_CONTROLLER},
        "locales": {
            "default": working.default_locale,
            "source": working.source_locale,
            "available": [
                {"code": locale.code, "lang": locale.lang, "name": locale.name, "dir": locale.dir}
                for locale in working.locales
            ],
        },
        "current": site.status.current,
        "versions": versions,
        "schema": schema_url(site_url),
        "build": {"date": site.on.isoformat()},
    }


def api_files(site: Site, site_url: str) -> dict[str, Any]:
    """Every JSON document of the site by its path under /api/."""
    documents: dict[str, Any] = {}
    for version in site.versions:
        documents[f"v/{version.id}/notice.json"] = version_document(site, version, site_url, None)
        for code in version.notice.texts:
            documents[f"v/{version.id}/{code}.json"] = version_document(site, version, site_url, code)
    if site.status.current:
        for name in [f"{code}.json" for code in site.version(site.status.current).notice.texts] + ["notice.json"]:
            documents[f"latest/{name}"] = documents[f"v/{site.status.current}/{name}"]
    documents["notice.json"] = index_document(site, site_url, documents)
    documents[f"schema/{SCHEMA_VERSION}/notice.schema.json"] = json_schema(site_url)
    return documents


def serialize(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def json_schema(site_url: str) -> dict[str, Any]:
    """JSON Schema 2020-12 for the index and the version documents, kept in notice.schema.json beside this
    module. Its $id, which names its version, is where this site publishes it."""
    schema = json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
    return {"$id": schema_url(site_url), **schema}
