"""A checked notice as JSON for the build cache: read back it is the same notice, value for value and type for
type; reading makes nothing but the model's classes and plain values, and any other text is refused."""

from __future__ import annotations

import dataclasses
import datetime
import json
import math
from pathlib import Path
from types import MappingProxyType

import pytest

from conftest import BOTPRESS, SECOND_VERSION, copy_site_project, release_second_version
from noticegen.checks.notice import check_notice
from noticegen.model.notice import Notice, build_notice
from noticegen.model.notice_codec import UncodableError, notice_from_text, notice_text
from noticegen.model.site import released_notice


def working(root: Path) -> Notice:
    return build_notice(check_notice(root))


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site_project(BOTPRESS, tmp_path_factory.mktemp("codec") / "project")
    release_second_version(root)
    return root


@pytest.mark.parametrize("fixture", ["botpress", "japanese", "rtl", "minimal", "counsel"])
def test_a_working_notice_reads_back_as_the_same_notice(fixture: str) -> None:
    notice = working(BOTPRESS.parent / fixture)
    text = notice_text(notice)
    assert notice_from_text(text) == notice
    assert notice_text(notice_from_text(text)) == text  # and writes the same text again


def test_released_notices_read_back_with_their_read_only_mappings_and_tuples(two_versions: Path) -> None:
    for version_id in ("2025-09-23", SECOND_VERSION):
        notice = released_notice(two_versions, version_id)
        again = notice_from_text(notice_text(notice))
        assert again == notice
        assert isinstance(again.texts, MappingProxyType)
        assert isinstance(again.texts["en"].sections, MappingProxyType)
        assert isinstance(again.sections, tuple) and isinstance(again.sections[0].children, tuple)
        assert isinstance(again.ui["en"], dict)


def test_yaml_values_keep_their_types() -> None:
    data = {
        "dates": {"effective": datetime.date(2025, 9, 23), "at": datetime.datetime(2025, 9, 23, 8, 30, 15)},
        "numbers": (1, -0.5, 10**30, True, None),
        2024: "a key that is a number",
        "nested": MappingProxyType({"list": ("a", ("b",))}),
    }
    notice = dataclasses.replace(working(BOTPRESS), data=MappingProxyType(data))
    again = notice_from_text(notice_text(notice))
    assert again.data == data
    assert type(again.data["dates"]["at"]) is datetime.datetime
    assert type(again.data["dates"]["effective"]) is datetime.date
    assert [type(value) for value in again.data["numbers"]] == [int, float, int, bool, type(None)]
    assert type(again.data["nested"]) is MappingProxyType


@pytest.mark.parametrize(
    ("value", "message"),
    [({"a set"}, "a value of type set"), (math.nan, "Out of range float values are not JSON compliant")],
    ids=["set", "not a number"],
)
def test_a_value_the_codec_does_not_know_is_not_written(value: object, message: str) -> None:
    notice = dataclasses.replace(working(BOTPRESS), data=MappingProxyType({"odd": value}))
    with pytest.raises(UncodableError) as refused:
        notice_text(notice)
    assert message in str(refused.value)


def forged(change: str) -> str:
    """The bundled notice's text with one change: what a damaged or hostile cache entry could hold."""
    value = json.loads(notice_text(working(BOTPRESS)))
    if change == "unknown tag":
        value["data"] = {"@": "os.system", "items": []}
    elif change == "a class outside the model":
        value["controller"] = {"@": "Path", "items": []}
    elif change == "unknown field":
        value["locales"]["items"][0]["shell"] = "rm -rf /"
    elif change == "missing field":
        del value["locales"]["items"][0]["lang"]
    elif change == "untagged object":
        value["aliases"] = {"a": "b"}
    elif change == "not a date":
        value["data"] = {"@": "date", "value": "2025-02-30"}
    elif change == "unhashable key":
        value["aliases"] = {"@": "dict", "items": [[["a list"], "b"]]}
    elif change == "a locale, not a notice":
        value = value["locales"]["items"][0]
    return json.dumps(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (forged("unknown tag"), "an unknown tag 'os.system'"),
        (forged("a class outside the model"), "an unknown tag 'Path'"),
        (forged("unknown field"), "unknown fields of Locale: ['shell']"),
        (forged("missing field"), "Locale: Locale.__init__() missing 1 required positional argument: 'lang'"),
        (forged("untagged object"), "an object without its tag"),
        (forged("not a date"), "not a date: '2025-02-30'"),
        (forged("unhashable key"), "a mapping key that is not hashable"),
        (forged("a locale, not a notice"), "not a notice"),
        (notice_text(working(BOTPRESS))[:-20], "not JSON text"),
        ('{"@": "tuple", "items": [' * 100_000 + "]}" * 100_000, "nested too deep"),  # too deep for JSON
        ('{"@": "tuple", "items": [' * 800 + "]}" * 800, "nested too deep"),  # for the model
    ],
    ids=[
        "unknown tag",
        "class outside the model",
        "unknown field",
        "missing field",
        "untagged object",
        "not a date",
        "unhashable key",
        "not a notice",
        "cut short",
        "nested too deep for JSON",
        "nested too deep for the model",
    ],
)
def test_any_other_text_is_refused(text: str, message: str) -> None:
    with pytest.raises(UncodableError) as refused:
        notice_from_text(text)
    assert str(refused.value) == message


def test_a_subclass_of_a_plain_type_is_not_written_as_its_base() -> None:
    import enum

    class Kind(enum.IntEnum):
        ONE = 1

    notice = dataclasses.replace(working(BOTPRESS), data=MappingProxyType({"kind": Kind.ONE}))
    with pytest.raises(UncodableError) as refused:
        notice_text(notice)
    assert (
        str(refused.value) == "a value of type test_a_subclass_of_a_plain_type_is_not_written_as_its_base.<locals>.Kind"
    )
