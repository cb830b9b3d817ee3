"""The notice as JSON for machines: one document per version and locale, with a published schema.

Pure functions of the site model. Every version document carries `integrity`: the SHA-256 of the RFC 8785
canonical form of its content as released, that is the document without the members DIGEST_EXCLUDED lists:
what the build adds, the site's addresses, renderings that depend on libraries and UI strings, and the
history around the version. So a released version's digest depends only on its snapshot and its changelog
entry; `notice release` records it, and a build that does not reproduce it fails.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from noticegen.core.build_cache import BuildCache, cache_key
from noticegen.core.canonical import canonical_digest
from noticegen.core.hashing import section_hash
from noticegen.model.notice import Notice, SectionText
from noticegen.model.site import Site, Version
from noticegen.render.notice_page import expand_body, section_html
from noticegen.render.pages import locale_url
from noticegen.source.datatables import SUBPROCESSORS, DataTable, export_rows, tables_in
from noticegen.text.markup import html_to_text, markdown_to_html

SCHEMA_VERSION = "2.1.0"
# Every schema ever published, in schemas/<version>.json: each stays online at its address, unchanged.
PUBLISHED_SCHEMA_VERSIONS = ("1.0.0", "2.0.0", "2.1.0")
# JSON Pointers of what a version's digest leaves out; `*` is any item of an array.
DIGEST_EXCLUDED = (
    "/$schema",
    "/build",
    "/changelog",
    "/integrity",
    "/version/url",
    "/sections/*/html",
    "/sections/*/text",
    "/sections/*/url",
    "/sections/*/translation",
    "/sections/*/table/rows/*/cells/*/html",
    "/sections/*/table/rows/*/cells/*/text",
    "/sections/*/clauses/*/url",
)
DPV = "https://w3id.org/dpv#"
DPV_CONTROLLER = DPV + "DataController"
DPV_REPRESENTATIVE = DPV + "Representative"
DPV_SUBPROCESSOR = DPV + "DataSubProcessor"
# What a contact may give besides its e-mail address, exported when given.
CONTACT_DETAILS = ("purpose", "name", "address", "phone", "contact_form")


def digest_content(document: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a version document its digest covers."""
    content = json.loads(json.dumps(document))
    for pointer in DIGEST_EXCLUDED:
        _remove(content, pointer.split("/")[1:])
    return content


def _remove(value: Any, tokens: list[str]) -> None:
    head, rest = tokens[0], tokens[1:]
    targets = value if head == "*" and isinstance(value, list) else [value]
    for target in targets:
        if head == "*" and isinstance(value, list):
            if rest:
                _remove(target, rest)
        elif isinstance(target, dict) and head in target:
            if rest:
                _remove(target[head], rest)
            else:
                del target[head]


def digest(document: Mapping[str, Any]) -> str:
    return canonical_digest(digest_content(document))


def digest_parts(document: Mapping[str, Any]) -> dict[str, str]:
    """The digest of each part of a document (every top-level member, every section), so that a digest
    that is not reproduced can be traced to the first part that differs."""
    content = digest_content(document)
    parts = {f"/{key}": canonical_digest(value) for key, value in content.items() if key != "sections"}
    for section in content.get("sections", []):
        parts[f"/sections/{section['id']}"] = canonical_digest(section)
    return parts


def sealed(document: dict[str, Any]) -> dict[str, Any]:
    document["integrity"] = {
        "algorithm": "sha-256",
        "canonicalization": "RFC 8785",
        "digest": digest(document),
        "excluded": list(DIGEST_EXCLUDED),
    }
    return document


def schema_url(site_url: str, version: str = SCHEMA_VERSION) -> str:
    return site_url.rstrip("/") + f"/api/schema/{version}/notice.schema.json"


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
        | {key: _jsonable(contact[key]) for key in CONTACT_DETAILS if contact.get(key)}
        for contact_id, contact in (data.get("contacts") or {}).items()
    ]
    representative = data.get("representative")
    tables = tables_in(data)
    providers = tables.get(SUBPROCESSORS)
    # The service providers keep the shape they were published in since 1.0.0, one row per provider.
    subprocessors = (
        [row | {"dpv": DPV_SUBPROCESSOR} for row in export_rows(providers)]
        if providers is not None and providers.built_in
        else []
    )
    processing = data.get("processing") or {}
    transfers = [_jsonable(mechanism) for mechanism in processing.get("transfer_mechanisms", ())]
    # Members a notice without them never had: absent, so that no released version's digest moves.
    optional: dict[str, Any] = {}
    if "representatives" in data:
        optional["representatives"] = _parties(data["representatives"], {"dpv": DPV_REPRESENTATIVE})
    if "affiliates" in data:
        optional["affiliates"] = _parties(data["affiliates"], {})
    declared = [table for table in tables.values() if not table.built_in]
    if declared:
        optional["tables"] = [_data_table(table) for table in declared]
    return optional | {
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


def _parties(entries: Mapping[str, Any], extra: dict[str, str]) -> list[dict[str, Any]]:
    return [{"id": party_id, **_jsonable(party), **extra} for party_id, party in entries.items()]


def _data_table(table: DataTable) -> dict[str, Any]:
    """A data table as written: its columns, then its rows with every column (null where a cell is empty).
    Values are codes and ISO forms (a country as `NL`, a length of time as `P13M`, a date as `2025-09-23`)."""
    return {
        "id": table.id,
        "caption": dict(table.caption),
        "columns": [
            {"id": column.id, "type": column.type, "required": column.required, "header": dict(column.header)}
            for column in table.columns
        ],
        "rows": export_rows(table),
    }


def _section_locale(notice: Notice, locale: str, section_id: str, page_url: str) -> dict[str, Any]:
    text = notice.texts[locale].sections[section_id]
    rendered = (
        section_html(notice, locale, text.body, text.table, title=text.title, page=False)
        if text.body or text.table
        else ""
    )
    return {
        "title": text.title,
        "markdown": text.body,
        "html": rendered,
        "text": html_to_text(rendered),
        "url": f"{page_url}#{section_id}",
        "hash": section_hash(*text.content),
        # Derived from the texts above and their stamps, so left out of the digest like the renderings.
        "translation": {
            "status": notice.translation(locale, section_id),
            "source_locale": notice.source_locale,
            "translated_from": text.source_hash,
        },
    }


def _section_table(notice: Notice, texts: Mapping[str, SectionText], locale: str | None) -> dict[str, Any]:
    """A section's table as data: its columns and rows, each cell as Markdown (covered by the digest) and as
    HTML and text (renderings). With `locale` None, every text is {locale: text}; the ids are the same in
    every locale (the checker makes sure)."""
    tables = {code: text.table for code, text in texts.items() if text.table is not None}
    shape = next(iter(tables.values()))

    def each(value: Any) -> Any:
        """One value per locale: the locale's own, or a map of them."""
        return value(locale, tables[locale]) if locale else {code: value(code, table) for code, table in tables.items()}

    def cell(row: int, column: int) -> dict[str, Any]:
        markdown = each(lambda code, table: table.rows[row].cells[column])
        rendered = each(lambda code, table: markdown_to_html(expand_body(notice, code, table.rows[row].cells[column])))
        text = {code: html_to_text(value) for code, value in rendered.items()} if not locale else html_to_text(rendered)
        return {"column": shape.columns[column].id, "markdown": markdown, "html": rendered, "text": text}

    return {
        "caption": each(lambda code, table: table.caption) if shape.caption is not None else None,
        "columns": [
            {"id": column.id, "header": each(lambda code, table, i=index: table.columns[i].header)}
            for index, column in enumerate(shape.columns)
        ],
        "rows": [
            {"id": row.id, "cells": [cell(index, column) for column in range(len(shape.columns))]}
            for index, row in enumerate(shape.rows)
        ],
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
            **_summary_of(entry, locale),
            **_notes(entry),
        }
        for entry in reversed(entries)
    ]


def _summary_of(entry: Version, locale: str | None) -> dict[str, Any]:
    """An entry's summary in `locale`; for a version from before the locale was published, the source
    locale's, named (released entries are never edited for a new locale)."""
    if locale is None:
        return {"summary": dict(entry.summary)}
    if locale in entry.summary:
        return {"summary": entry.summary[locale]}
    source = entry.notice.source_locale
    return {"summary": entry.summary.get(source, ""), "summary_locale": source}


def _notes(version: Version) -> dict[str, Any]:
    """What a changelog entry records about its dates and its sign-off, when it records it."""
    notes = {
        "short_notice": version.short_notice,
        "imported": version.imported,
        "corrects": version.corrects,
        "translation_only": version.translation_only or None,  # present only when true
        "approved_by": list(version.approved_by) or None,
    }
    return {key: value for key, value in notes.items() if value is not None}


def version_document(site: Site, version: Version, site_url: str, locale: str | None) -> dict[str, Any]:
    """One version in one locale, or (locale None) in all its locales with every text as {locale: text}."""
    return with_build(site, version, released_document(site, version, site_url, locale))


def released_document(site: Site, version: Version, site_url: str, locale: str | None) -> dict[str, Any]:
    """A version document without `build`, what the build learns after release: the same in every build."""
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
        for field in ("title", "markdown", "html", "text", "url", "hash", "translation"):
            entry[field] = per_locale[locale][field] if locale else {c: per_locale[c][field] for c in codes}
        if section.dpv:
            entry["dpv"] = list(section.dpv)
        # Present only when the section has them: a document without tables or clauses is as it always was.
        texts = {code: notice.texts[code].sections[section.id] for code in codes}
        if any(text.table is not None for text in texts.values()):
            entry["table"] = _section_table(notice, texts, locale)
        first = texts[locale] if locale else texts.get(notice.source_locale, next(iter(texts.values())))
        if first.clauses:
            entry["clauses"] = [
                {
                    "id": clause.id,
                    "kind": clause.kind,
                    "url": f"{pages[locale]}#{clause.id}" if locale else {c: f"{pages[c]}#{clause.id}" for c in codes},
                }
                for clause in first.clauses
            ]
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
            **_notes(version),
        },
        "sections": sections,
        "data": structured_data(notice),
        "changelog": _history(site, version, locale),
    }
    return sealed(document)


def with_build(site: Site, version: Version, document: dict[str, Any]) -> dict[str, Any]:
    """The document with `build`: its status and the build's date, and the correction that came later."""
    document["build"] = {"status": site.status_of(version), "date": site.on.isoformat()}
    correction = site.corrected_by(version)
    if correction is not None:  # learnt after release: outside the digest, like the status
        document["build"]["corrected_by"] = [{"id": correction.id, "published": correction.published.isoformat()}]
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
                "published": version.published.isoformat(),
                "effective_from": version.effective.isoformat(),
                "effective_until": last_day.isoformat() if last_day else None,
                "status": site.status_of(version),
                "change": version.change,
                **_notes(version),
                "lock": version.lock,
                "chain": version.chain,
                "urls": {
                    "all": f"{api}v/{version.id}/notice.json",
                    "json": {code: f"{api}v/{version.id}/{code}.json" for code in codes},
                    "html": {code: locale_url(site_url, working, code, f"versions/{version.id}/") for code in codes},
                },
                "digests": {
                    "all": documents[f"v/{version.id}/notice.json"]["integrity"]["digest"],
                    **{code: documents[f"v/{version.id}/{code}.json"]["integrity"]["digest"] for code in codes},
                },
                # The digests cover the content as released; these cover every byte of the files as published.
                "files": {
                    key: hashlib.sha256(serialize(documents[f"v/{version.id}/{name}.json"]).encode()).hexdigest()
                    for key, name in [("all", "notice"), *((code, code) for code in codes)]
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


def api_files(site: Site, site_url: str, cache: BuildCache | None = None) -> dict[str, Any]:
    """Every JSON document of the site by its path under /api/; with a cache, released documents made by an
    earlier build are reused (cached_document)."""
    documents: dict[str, Any] = {}
    for version in site.versions:
        documents[f"v/{version.id}/notice.json"] = cached_document(site, version, site_url, None, cache)
        for code in version.notice.texts:
            documents[f"v/{version.id}/{code}.json"] = cached_document(site, version, site_url, code, cache)
    if site.status.current:
        for name in [f"{code}.json" for code in site.version(site.status.current).notice.texts] + ["notice.json"]:
            documents[f"latest/{name}"] = documents[f"v/{site.status.current}/{name}"]
    documents["notice.json"] = index_document(site, site_url, documents)
    for version in PUBLISHED_SCHEMA_VERSIONS:
        documents[f"schema/{version}/notice.schema.json"] = json_schema(site_url, version)
    return documents


def cached_document(
    site: Site, version: Version, site_url: str, locale: str | None, cache: BuildCache | None
) -> dict[str, Any]:
    """version_document, its released part taken from `cache` when an earlier build made it from the same
    inputs (the key names them all) and it still proves itself: its digest recomputed is the one its
    changelog entry records. Anything else is made anew and stored."""
    if cache is None:
        return version_document(site, version, site_url, locale)
    codes = [locale] if locale else list(version.notice.texts)
    before = site.before(version)
    key = cache_key(
        "version-document",
        site_url,
        locale,
        version.id,
        version.lock,
        version.chain,
        dict(version.digests),
        before.id if before else None,
        site.working.default_locale,
        {code: dict(version.notice.ui.get(code, {})) for code in codes},
        _history(site, version, locale),
    )
    recorded = version.digests.get(locale or "all")
    payload = cache.get(key)
    if payload is not None:
        try:
            document = json.loads(payload)
        except ValueError:
            document = None
        if isinstance(document, dict) and recorded and digest(document) == recorded == _sealed_digest(document):
            return with_build(site, version, document)
    document = released_document(site, version, site_url, locale)
    if document["integrity"]["digest"] == recorded:  # a document that does not reproduce is never kept
        cache.put(key, serialize(document))
    return with_build(site, version, document)


def _sealed_digest(document: Mapping[str, Any]) -> Any:
    integrity = document.get("integrity")
    return integrity.get("digest") if isinstance(integrity, dict) else None


def released_digests(site: Site, version: Version) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The digest of each document of a version ("all", then each locale), and the digests of their parts."""
    digests, parts = {}, {}
    for key, locale in [("all", None), *((code, code) for code in version.notice.texts)]:
        document = version_document(site, version, "", locale)
        digests[key] = document["integrity"]["digest"]
        parts[key] = digest_parts(document)
    return digests, parts


def digest_problems(
    site: Site, documents: Mapping[str, Mapping[str, Any]], recorded_parts: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """Every released document (from api_files) whose digest differs from the one its changelog entry
    recorded, named with the first part (section) that differs where the version's recorded parts say."""
    problems = []
    for version in site.versions:
        for key in ["all", *version.notice.texts]:
            document = documents[f"v/{version.id}/{'notice' if key == 'all' else key}.json"]
            rebuilt, recorded = document["integrity"]["digest"], version.digests.get(key)
            where = "all locales" if key == "all" else f"locale '{key}'"
            known = recorded_parts.get(version.id, {}).get(key, {})
            parts = digest_parts(document)
            if rebuilt == recorded:
                if known != parts:  # the digests agree, so it is the record of the parts that was changed
                    problems.append(
                        f"released version {version.id}, {where}: its DIGESTS.json does not match its documents "
                        "(restore it from version control)"
                    )
                continue
            differing = [part for part in parts if known.get(part) != parts[part]]
            differing += [part for part in known if part not in parts]
            first = f"; the first part that differs is {differing[0]}" if differing and known else ""
            problems.append(
                f"released version {version.id}, {where}: the document rebuilt from its snapshot has digest "
                f"{rebuilt}, but its changelog entry records {recorded or 'none'}{first}"
            )
    return problems


def serialize(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def json_schema(site_url: str, version: str = SCHEMA_VERSION) -> dict[str, Any]:
    """JSON Schema 2020-12 for the index and the version documents, kept in schemas/<version>.json beside
    this module. Its $id, which names its version, is where this site publishes it."""
    path = resources.files(__package__).joinpath("schemas", f"{version}.json")
    schema = json.loads(path.read_text(encoding="utf-8"))
    return {"$id": schema_url(site_url, version), **schema}
