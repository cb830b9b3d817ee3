"""The JSON export: valid against its published schema, complete, and provably unchanged."""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
import rfc8785
import yaml

from conftest import BOTPRESS, PROJECT, copy_notice, release_on
from noticegen.cli import main
from noticegen.export.documents import api_files, serialize
from noticegen.model.site import load_site

SITE_URL = "https://example.github.io/privacy/"
DPV_TERMS = PROJECT.parent / "shared" / "conformance" / "dpv-2.3-terms.csv"
ON = datetime.date(2026, 1, 1)


@pytest.fixture(scope="module")
def api(built_site: Path) -> dict[str, dict]:
    folder = built_site / "site" / "api"
    return {path.relative_to(folder).as_posix(): json.loads(path.read_text("utf-8")) for path in folder.rglob("*.json")}


@pytest.fixture(scope="module")
def schema(api: dict[str, dict]) -> dict:
    return api["schema/2.1.0/notice.schema.json"]


def test_the_site_publishes_every_file(api: dict[str, dict]) -> None:
    assert sorted(api) == [
        "latest/en.json",
        "latest/notice.json",
        "latest/zh.json",
        "notice.json",
        "schema/1.0.0/notice.schema.json",
        "schema/2.0.0/notice.schema.json",
        "schema/2.1.0/notice.schema.json",
        "schema/2.2.0/notice.schema.json",
        "v/2025-09-23/en.json",
        "v/2025-09-23/notice.json",
        "v/2025-09-23/zh.json",
    ]


def test_the_schema_is_valid_2020_12_with_a_versioned_id(schema: dict) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SITE_URL + "api/schema/2.1.0/notice.schema.json"


def test_every_schema_ever_published_stays_published(api: dict[str, dict]) -> None:
    old = api["schema/1.0.0/notice.schema.json"]
    jsonschema.Draft202012Validator.check_schema(old)
    assert old["$id"] == SITE_URL + "api/schema/1.0.0/notice.schema.json"


def test_every_file_validates_against_the_schema(api: dict[str, dict], schema: dict) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    problems = {
        path: [error.message for error in validator.iter_errors(document)]
        for path, document in api.items()
        if not path.startswith("schema/")
    }
    assert problems == {path: [] for path in problems}


def test_the_schema_refuses_a_broken_document(api: dict[str, dict], schema: dict) -> None:
    document = json.loads(json.dumps(api["v/2025-09-23/en.json"]))
    del document["sections"][0]["hash"]
    assert not jsonschema.Draft202012Validator(schema).is_valid(document)


def test_every_section_of_every_locale_is_exported(api: dict[str, dict]) -> None:
    outline = [entry["id"] for entry in json.loads(json.dumps(api["v/2025-09-23/notice.json"]))["sections"]]
    assert len(outline) == 52
    for locale in ("en", "zh"):
        document = api[f"v/2025-09-23/{locale}.json"]
        assert [section["id"] for section in document["sections"]] == outline
        assert all(
            section["title"] and section["url"].endswith("#" + section["id"]) for section in document["sections"]
        )
    combined = api["v/2025-09-23/notice.json"]
    assert all(set(section["title"]) == {"en", "zh"} for section in combined["sections"])
    retention = next(s for s in api["v/2025-09-23/zh.json"]["sections"] if s["id"] == "retention")
    assert retention["text"].startswith("我们仅在为实现预定处理目的所需的时间内")
    assert retention["url"] == SITE_URL + "zh/versions/2025-09-23/#retention"


def test_missing_addresses_are_null_with_a_flag(api: dict[str, dict]) -> None:
    contacts = api["v/2025-09-23/en.json"]["data"]["contacts"]
    assert len(contacts) == 14
    assert all(contact["email"] is None and contact["email_missing"] for contact in contacts)


# What a digest leaves out, as the README documents it for integrators (JSON Pointers, * for any item).
EXCLUDED = [
    "/$schema",
    "/build",
    "/changelog",
    "/integrity",
    "/version/url",
    *(f"/sections/*/{member}" for member in ("html", "text", "url", "translation")),
    "/sections/*/table/rows/*/cells/*/html",
    "/sections/*/table/rows/*/cells/*/text",
    "/sections/*/clauses/*/url",
]


def content_of(document: dict) -> dict:
    content = {
        key: value for key, value in document.items() if key not in ("$schema", "build", "changelog", "integrity")
    }
    content["version"] = {key: value for key, value in document["version"].items() if key != "url"}
    content["sections"] = []
    for section in document["sections"]:
        kept = {key: value for key, value in section.items() if key not in ("html", "text", "url", "translation")}
        if "table" in kept:  # each cell's Markdown counts, not its renderings
            rows = [
                {
                    **row,
                    "cells": [{k: v for k, v in cell.items() if k not in ("html", "text")} for cell in row["cells"]],
                }
                for row in kept["table"]["rows"]
            ]
            kept["table"] = {**kept["table"], "rows": rows}
        if "clauses" in kept:  # a clause's id and kind count, not its address
            kept["clauses"] = [{k: v for k, v in clause.items() if k != "url"} for clause in kept["clauses"]]
        content["sections"].append(kept)
    return content


def test_every_digest_is_rfc_8785_sha_256_recomputed_independently(api: dict[str, dict]) -> None:
    for path, document in api.items():
        if path.startswith("v/") or path.startswith("latest/"):
            assert document["integrity"]["excluded"] == EXCLUDED
            assert hashlib.sha256(rfc8785.dumps(content_of(document))).hexdigest() == document["integrity"]["digest"]
    index = api["notice.json"]["versions"][0]
    assert index["digests"]["zh"] == api["v/2025-09-23/zh.json"]["integrity"]["digest"]
    assert api["latest/zh.json"] == api["v/2025-09-23/zh.json"]


def test_the_published_digests_are_the_ones_recorded_at_release(api: dict[str, dict]) -> None:
    entry = yaml.safe_load((BOTPRESS / "notice" / "changelog.yaml").read_text(encoding="utf-8"))[0]
    assert api["notice.json"]["versions"][0]["digests"] == entry["digests"]
    assert api["notice.json"]["versions"][0]["chain"] == entry["chain"]


def dpv_iris(value) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(dpv_iris(item) for item in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(dpv_iris(item) for item in value)) if value else set()
    return {value} if isinstance(value, str) and value.startswith("https://w3id.org/dpv") else set()


def test_every_dpv_term_exists_in_dpv_2_3(api: dict[str, dict]) -> None:
    if not DPV_TERMS.exists():
        assert not os.environ.get("CI"), f"{DPV_TERMS} is missing"
        pytest.skip(f"{DPV_TERMS} is not beside this checkout (it is in CI)")
    with DPV_TERMS.open(encoding="utf-8") as handle:
        known = {row["iri"] for row in csv.DictReader(handle)}
    used = set().union(*(dpv_iris(document) for path, document in api.items() if not path.startswith("schema/")))
    assert "https://w3id.org/dpv#DataSubProcessor" in used
    assert "https://w3id.org/dpv/legal/eu/gdpr#A45-3" in used
    assert "https://w3id.org/dpv/legal/eu/gdpr#A17" in used
    assert sorted(used - known) == []


def release_with(root: Path, retention_zh: str) -> None:
    path = root / "locales/zh/notice.yaml"
    path.write_text(path.read_text("utf-8").replace("所需的时间内", retention_zh), encoding="utf-8")
    summaries = ["--summary", "en=Retention.", "--summary", "zh=保留。"]
    arguments = ["release", "2025-12-01", "--change", "editorial", "--published", "2025-11-01", *summaries]
    assert release_on("2025-11-01", [*arguments, "--path", str(root)]) == 0


def exported(root: Path) -> dict[str, str]:
    site, _ = load_site(root, ON)
    return {path: serialize(document) for path, document in api_files(site, SITE_URL).items()}


def test_one_changed_character_changes_its_section_hash_its_version_digest_and_nothing_else(tmp_path: Path) -> None:
    first, second = copy_notice(BOTPRESS, tmp_path / "a"), copy_notice(BOTPRESS, tmp_path / "b")
    release_with(first, "所必需的时间内")
    release_with(second, "所必须的时间内")  # one character differs
    a, b = exported(first), exported(second)
    assert {path for path in a if a[path] != b[path]} == {
        "v/2025-12-01/notice.json",
        "v/2025-12-01/zh.json",
        "latest/notice.json",
        "latest/zh.json",
        "notice.json",  # the index lists the digests
    }
    sections_a = json.loads(a["v/2025-12-01/zh.json"])["sections"]
    sections_b = json.loads(b["v/2025-12-01/zh.json"])["sections"]
    changed = [old["id"] for old, new in zip(sections_a, sections_b, strict=True) if old["hash"] != new["hash"]]
    assert changed == ["retention"]


def test_the_same_source_gives_byte_identical_json(tmp_path: Path) -> None:
    assert exported(BOTPRESS) == exported(copy_notice(BOTPRESS, tmp_path / "copy"))


def test_the_command_line_writes_the_published_document(tmp_path: Path, api: dict[str, dict]) -> None:
    output = tmp_path / "zh.json"
    assert (
        main(["export", "--version", "2025-09-23", "--locale", "zh", "-o", str(output), "--path", str(BOTPRESS)]) == 0
    )
    document = json.loads(output.read_text("utf-8"))
    assert document["integrity"] == api["v/2025-09-23/zh.json"]["integrity"]


def test_the_readme_example_verifies_a_published_file(api: dict[str, dict], built_site: Path, monkeypatch) -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(import hashlib.*?)```", readme, re.DOTALL).group(1)
    published = built_site / "site" / "api" / "v" / "2025-09-23" / "en.json"
    # Read the file the example names from the built site instead of the network.
    example = example.replace(
        'verify("https://example.github.io/privacy/api/v/2025-09-23/en.json")', f'verify("{published.as_uri()}")'
    )
    namespace: dict = {}
    printed = []
    monkeypatch.setattr("builtins.print", lambda *args: printed.append(args))
    exec(compile(example, "README.md", "exec"), namespace)
    assert printed == [(True,)]


@pytest.mark.parametrize(
    ("page", "json_path"), [("index.html", "en.json"), ("zh/versions/2025-09-23/index.html", "zh.json")]
)
def test_every_notice_page_links_to_its_json(built_site: Path, page: str, json_path: str) -> None:
    html = (built_site / "site" / page).read_text(encoding="utf-8")
    url = f"{SITE_URL}api/v/2025-09-23/{json_path}"
    assert f'<link rel="alternate" type="application/json" href="{url}">' in html
    assert f'<p class="notice-json"><a href="{url}" type="application/json">' in html


# A schema is published at a versioned, immutable address: its content may change only with its version.
PUBLISHED_SCHEMAS = {
    "1.0.0": "5f2bee9be286ecb7e880679541dd26254638122689114ea21208d270e03c87d4",
    "2.0.0": "1894729bb3dcc4f1d607952c410bae2c9b66c0368998bf66cd787d43449820ac",
    # First published with the release that lands it, sign-off (approved_by) included.
    "2.1.0": "9dd53595c6e51f9f9ac9520b7bf34104b886d3be6733b370ee836126646dcb43",
    # The notice's summary; first published with the release that lands it.
    "2.2.0": "f39ea07b737a92c62520b5be88b8baa84caa4311b60852e0c94ad3a2507cfbef",
}


@pytest.mark.parametrize("version", sorted(PUBLISHED_SCHEMAS))
def test_every_schema_file_is_the_one_published_for_its_version(version: str) -> None:
    from noticegen.export import documents

    assert version in documents.PUBLISHED_SCHEMA_VERSIONS
    path = Path(documents.__file__).with_name("schemas") / f"{version}.json"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert PUBLISHED_SCHEMAS[version] == digest, (
        f"{path.name} differs from what version {version} published: a changed schema is a new version"
    )


def test_the_current_schema_is_the_newest_published() -> None:
    from noticegen.export import documents

    assert documents.SCHEMA_VERSION == max(PUBLISHED_SCHEMAS) == documents.PUBLISHED_SCHEMA_VERSIONS[-1]


def test_latest_publishes_the_documents_in_force_as_byte_copies_made_into_text_once(monkeypatch) -> None:
    """/api/latest/ is documented as copies of the version in force's files (README, `notice verify`
    compares them byte for byte): the same documents, each serialized once for the index's file digests,
    the files of v/ and those of latest/."""
    import noticegen.export.documents as documents_module

    calls: list[int] = []
    real = documents_module.serialize
    monkeypatch.setattr(documents_module, "serialize", lambda document: calls.append(id(document)) or real(document))
    site, _ = load_site(BOTPRESS, ON)
    texts = documents_module.Texts()
    files = texts.files(api_files(site, SITE_URL, texts=texts))
    assert sorted(calls) == sorted(set(calls))  # no document twice
    assert len(calls) == len(files) - 3  # latest/en.json, latest/zh.json and latest/notice.json are copies
    for name in ("en.json", "zh.json", "notice.json"):
        assert files[f"latest/{name}"] is files[f"v/2025-09-23/{name}"]
    assert files == {path: serialize(document) for path, document in api_files(site, SITE_URL).items()}
