"""The JSON Schemas editors check the source files with (schemas/, `notice schemas`): made from the checker's
own schemas, they take every notice the checker takes, refuse what it refuses as far as a schema can say,
and every source file of a new project names its schema on its first line."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import BOTPRESS, PROJECT, copy_notice, release_on
from noticegen.cli import main
from noticegen.commands.init import Settings, init_project
from noticegen.commands.locales import add_locale, new_locale
from noticegen.source.editor_schemas import HEADER, header_line, rendered, schema_name, schemas, without_header
from noticegen.source.json_schema import ecma_pattern
from test_check_cases import apply_edits

FIXTURES = sorted(path for path in (PROJECT / "tests" / "fixtures").iterdir() if (path / "notice").is_dir())
CASES = PROJECT / "tests" / "check_cases"
VALIDATOR = jsonschema.Draft202012Validator


def as_an_editor_reads_it(value: Any) -> Any:
    """A YAML value as yaml-language-server hands it to the schema: a date is text."""
    if isinstance(value, dict):
        return {key: as_an_editor_reads_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_an_editor_reads_it(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def source_files(root: Path) -> list[str]:
    """Every source file of the notice at `root` (working files and released snapshots), relative to it."""
    return sorted(
        path.relative_to(root).as_posix()
        for folder in ("notice", "locales")
        for path in (root / folder).rglob("*.y*ml")
    )


def schema_of(relative: str) -> str | None:
    """The schema of a source file, a released snapshot's files too (notice/versions/ID/…)."""
    parts = relative.split("/")
    if parts[:2] == ["notice", "versions"] and len(parts) > 3:
        relative = "/".join(parts[3:])
    return schema_name(relative)


def errors(root: Path, relative: str) -> list[tuple[str, list[Any]]]:
    """What the editor's schema says of a file: each error as (keyword, path to the value)."""
    data = as_an_editor_reads_it(yaml.safe_load((root / relative).read_text(encoding="utf-8")))
    validator = VALIDATOR(schemas()[schema_of(relative)], format_checker=VALIDATOR.FORMAT_CHECKER)
    return sorted((error.validator, list(error.absolute_path)) for error in validator.iter_errors(data))


def test_the_committed_schemas_are_the_ones_the_checker_makes(capsys) -> None:
    assert sorted(path.name for path in (PROJECT / "schemas").iterdir()) == sorted(rendered())
    for name, text in rendered().items():
        assert (PROJECT / "schemas" / name).read_text(encoding="utf-8") == text, f"run `notice schemas`: {name}"
    assert main(["schemas", "--check", "--path", str(PROJECT)]) == 0
    assert capsys.readouterr().out.endswith("are up to date\n")


def test_notice_schemas_writes_what_check_then_finds_up_to_date(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "schemas"
    assert main(["schemas", "--check", "--out", str(folder)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"notice schemas: {folder / 'notice.schema.json'}: missing" in out
    assert out[-1] == f"notice schemas: {folder} is not up to date: run `notice schemas` to write the schemas"
    assert main(["schemas", "--out", str(folder)]) == 0
    assert capsys.readouterr().out == f"notice schemas: {len(rendered())} schema(s) written to {folder}\n"
    assert main(["schemas", "--check", "--out", str(folder)]) == 0
    assert capsys.readouterr().out == f"notice schemas: the schemas in {folder} are up to date\n"
    edited = folder / "notice.schema.json"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Who publishes", "Who writes"), encoding="utf-8")
    (folder / "old.schema.json").write_text("{}", encoding="utf-8")
    assert main(["schemas", "--check", "--out", str(folder)]) == 1
    assert capsys.readouterr().out.splitlines()[:-1] == [
        f"notice schemas: {edited}: differs from what this noticegen makes",
        f"notice schemas: {folder / 'old.schema.json'}: no longer made by this noticegen (delete it, and the "
        "header lines naming it)",
    ]


@pytest.mark.parametrize("name", sorted(schemas()))
def test_each_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    VALIDATOR.check_schema(schemas()[name])
    assert schemas()[name]["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def patterns(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["pattern"]} if isinstance(value.get("pattern"), str) else set()
        return found.union(*(patterns(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(patterns(item) for item in value))
    return set()


def test_every_pattern_is_an_ecma_262_regular_expression_in_unicode_mode() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: ECMA-262 is JavaScript's")
    found = sorted(patterns(schemas()))
    script = "for (const p of JSON.parse(require('fs').readFileSync(0, 'utf8'))) new RegExp(p, 'u');"
    result = subprocess.run([node, "-e", script], input=json.dumps(found), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("python", "ecma"),
    [
        (r"^[^\s<>\"'`]+$", "^[^\\s<>\"'`]+$"),  # \" is a Python escape, a syntax error in ECMA's Unicode mode
        (r"^a\-b[\-.]$", r"^a-b[\-.]$"),  # \- only inside a class
        (r"^P(?P<years>\d+)Y$", r"^P(?:\d+)Y$"),  # named groups are spelt differently: a schema needs no name
        (r"^\x41\u00e9$", r"^\u0041\u00e9$"),
    ],
)
def test_a_python_pattern_is_translated_into_ecma_262(python: str, ecma: str) -> None:
    assert ecma_pattern(python) == ecma


@pytest.mark.parametrize("python", [r"^abc\Z", r"(?i)^abc$", r"^(?P=x)$"])
def test_a_pattern_without_an_ecma_262_equivalent_is_refused(python: str) -> None:
    with pytest.raises(ValueError, match="has no ECMA-262 equivalent"):
        ecma_pattern(python)


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.name for path in FIXTURES])
def test_the_schemas_take_every_file_of_every_fixture_notice(fixture: Path) -> None:
    """Every kind of file, released snapshots too: the bundled notice (botpress), data tables (counsel)."""
    files = [relative for relative in source_files(fixture) if schema_of(relative)]
    assert files
    for relative in files:
        assert errors(fixture, relative) == [], relative


def test_the_fixtures_cover_every_schema() -> None:
    used = {schema_of(relative) for fixture in FIXTURES for relative in source_files(fixture)}
    assert {"data-table.schema.json", "changelog.schema.json", "data-subprocessors.schema.json"} <= used


@pytest.mark.parametrize(
    ("case", "file", "expected"),
    [
        # A misspelt key: not allowed, and the key it stands for is missing.
        (
            "unknown-key",
            "locales/en/notice.yaml",
            [("additionalProperties", ["sections", "rights"]), ("required", ["sections", "rights"])],
        ),
        ("wrong-type", "locales/en/notice.yaml", [("type", ["sections", "rights-access", "title"])]),
        ("invalid-section-id", "notice/notice.yaml", [("pattern", ["outline", 3, "id"])]),
        ("missing-required-field", "notice/notice.yaml", [("required", [])]),
        (
            "table-unknown-column-type",
            "notice/data/cookies.yaml",
            [("enum", ["schema", "columns", "duration", "type"])],
        ),
        # A cell's type is declared in its own file, which a static schema cannot follow: the check says that.
        ("table-without-caption", "notice/data/cookies.yaml", [("required", ["schema"])]),
        ("newline-in-site-string", "locales/en/site.yaml", [("pattern", ["contents"])]),
        ("zero-width-space-in-controller-name", "notice/notice.yaml", [("pattern", ["controller", "name"])]),
    ],
)
def test_the_schemas_refuse_what_the_checker_refuses(
    minimal_copy: Path, case: str, file: str, expected: list[tuple[str, list[Any]]]
) -> None:
    if (minimal_copy / file).exists():
        assert errors(minimal_copy, file) == []  # the file as the fixture has it
    apply_edits(minimal_copy, yaml.safe_load((CASES / f"{case}.yaml").read_text(encoding="utf-8")))
    assert errors(minimal_copy, file) == expected


def test_a_section_id_that_is_not_an_id_is_refused_as_a_key_of_the_text(minimal_copy: Path) -> None:
    text = minimal_copy / "locales" / "en" / "notice.yaml"
    text.write_text(text.read_text(encoding="utf-8").replace("  rights-access:", "  Rights_Access:"), "utf-8")
    data = as_an_editor_reads_it(yaml.safe_load(text.read_text(encoding="utf-8")))
    [error] = VALIDATOR(schemas()["locale-notice.schema.json"]).iter_errors(data)
    assert (error.instance, list(error.absolute_path)) == ("Rights_Access", ["sections"])
    assert list(error.schema_path)[-2:] == ["propertyNames", "pattern"]


def test_hover_texts_are_sentences_for_every_key() -> None:
    """Every key an editor completes says what it is for, as a sentence."""

    def undescribed(value: Any, path: str) -> list[str]:
        found = []
        if isinstance(value, dict):
            for key, item in (value.get("properties") or {}).items():
                description = item.get("description", "")
                if not description[:1].isupper() or not description.endswith((".", ")")):
                    found.append(f"{path}.{key}")
            for key, item in value.items():
                found += undescribed(item, f"{path}/{key}")
        elif isinstance(value, list):
            for item in value:
                found += undescribed(item, path)
        return found

    assert [missing for name, document in schemas().items() for missing in undescribed(document, name)] == []


def a_new_project(root: Path) -> Path:
    settings = Settings("Acme GmbH", "de", "Deutsch", "https://acme.example/datenschutz/", "datenschutz@acme.example")
    init_project(root, settings, requirement="noticegen==0.1.0")
    return root


def test_every_source_file_of_a_new_project_names_its_schema_on_its_first_line(tmp_path: Path) -> None:
    project = a_new_project(tmp_path / "acme")
    files = source_files(project)
    assert "locales/de/site.yaml" in files and "notice/changelog.yaml" in files
    for relative in files:
        first = (project / relative).read_text(encoding="utf-8").partition("\n")[0]
        named = HEADER.match(first)
        assert named, f"{relative}: {first!r}"
        target = (project / relative).parent / named["path"]
        assert target.resolve() == (project / "schemas" / schema_name(relative)).resolve(), relative
        assert target.is_file(), relative
        assert first == header_line(relative)
    assert main(["schemas", "--check", "--path", str(project)]) == 0


def test_a_new_locale_names_its_schema_on_its_first_line(tmp_path: Path) -> None:
    project = a_new_project(tmp_path / "acme")
    written = add_locale(project, new_locale("fr"))
    assert "locales/fr/notice.yaml" in written
    for name, schema in (("notice.yaml", "locale-notice"), ("site.yaml", "site-strings")):
        lines = (project / "locales" / "fr" / name).read_text(encoding="utf-8").splitlines()
        assert lines[0] == f"# yaml-language-server: $schema=../../schemas/{schema}.schema.json"
        assert lines[1].startswith("# Français (fr): ")


def test_the_line_naming_a_schema_is_no_fact_a_correction_would_change(tmp_path: Path, capsys) -> None:
    """The released files predate the line; a correction of their wording may follow it."""
    root = copy_notice(BOTPRESS, tmp_path / "project")
    for relative in source_files(root):
        if not relative.startswith("notice/versions/") and header_line(relative):
            path = root / relative
            path.write_text(header_line(relative) + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    text = root / "locales" / "en" / "notice.yaml"
    text.write_text(text.read_text("utf-8").replace("we value privacy", "we value your privacy", 1), "utf-8")
    summaries = ["--summary", "en=Wording.", "--summary", "zh=措辞。"]
    arguments = ["release", "--corrects", "2025-09-23", "--change", "editorial", *summaries, "--path", str(root)]
    assert release_on("2025-11-29", arguments) == 0, capsys.readouterr().err
    snapshot = root / "notice" / "versions" / "2025-09-23.1" / "notice" / "notice.yaml"
    assert snapshot.read_bytes() == (root / "notice" / "notice.yaml").read_bytes()  # copied as it is


def test_without_header_takes_off_only_a_first_line_that_names_a_schema() -> None:
    assert without_header(b"# yaml-language-server: $schema=../x.json\na: 1\n") == b"a: 1\n"
    assert without_header(b"# a comment\na: 1\n") == b"# a comment\na: 1\n"
    assert without_header(b"a: 1\n# yaml-language-server: $schema=../x.json\n") == (
        b"a: 1\n# yaml-language-server: $schema=../x.json\n"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "# yaml-language-server: $schema=../schemas/site-strings.schema.json",
            "notice/notice.yaml:1:33: warning: the first line names the schema ../schemas/site-strings.schema.json, "
            "which is not the one of this kind of file "
            "(write `# yaml-language-server: $schema=../schemas/notice.schema.json`)",
        ),
        (
            "# yaml-language-server: $schema=../schema/notice.schema.json",
            "notice/notice.yaml:1:33: warning: the first line names the schema schema/notice.schema.json, which "
            "does not exist (run `notice schemas` to write schemas/notice.schema.json, or correct the path)",
        ),
    ],
)
def test_the_check_warns_of_a_first_line_naming_a_wrong_or_missing_schema(
    minimal_copy: Path, run_check, line: str, expected: str
) -> None:
    notice = minimal_copy / "notice" / "notice.yaml"
    notice.write_text(line + "\n" + notice.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["schemas", "--path", str(minimal_copy)]) == 0
    assert run_check(minimal_copy).lines() == [expected]
