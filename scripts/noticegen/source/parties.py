"""Who the notice names and how to reach them: the controller, contacts, representatives, affiliates.

Each party may have a postal address (its lines as written on an envelope, and the country as an ISO 3166-1
code the page names in its own language), an e-mail address, a phone number and a web form. The text shows
an address as `{{address:ID}}`, on a paragraph of its own; the ids of every party are one namespace.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from noticegen.source.coded_kinds import Country
from noticegen.source.schema import (
    EMAIL,
    DictOf,
    Field,
    Identifier,
    Kind,
    ListOf,
    Localized,
    Nullable,
    Pattern,
    Phone,
    Record,
    Text,
    Url,
    Where,
)
from noticegen.source.yamlsource import YMap

_LINES = Field(
    ListOf(Text(single_line=True), nonempty=True),
    doc="the address as written on an envelope, one line each, without the country",
)
POSTAL_ADDRESS = Record({"lines": _LINES, "country": Field(Country(), doc="the ISO 3166-1 code, such as NL")})
# The form released versions were written in (2025): kept readable, never asked of new text.
_OLDER_FORM = "(the older form of an address: write `lines` and `country` instead)"
_LEGACY_ADDRESS = Record(
    {
        "organisation": Field(Text(single_line=True), doc=f"the organisation's name {_OLDER_FORM}"),
        "street": Field(Text(single_line=True), doc=f"the street and number {_OLDER_FORM}"),
        "postal_code": Field(Text(single_line=True), doc=f"the postal code {_OLDER_FORM}"),
        "city": Field(Text(single_line=True), doc=f"the city {_OLDER_FORM}"),
        "country": Field(
            Record(
                {
                    "code": Field(Text(single_line=True), doc="the ISO 3166-1 code, such as NL"),
                    "name": Field(Localized(), doc="the country's name in every locale"),
                }
            ),
            doc=f"the country's code and names {_OLDER_FORM}",
        ),
    }
)
_LEGACY_KEYS = frozenset({"organisation", "street", "postal_code", "city"})


class Address(Kind):
    """A postal address: `lines` and `country`, or the older organisation/street/postal_code/city form."""

    expected = "an address (lines and country)"
    ref = "address"

    def validate(self, value: Any, where: Where) -> Any:
        if isinstance(value, YMap) and "lines" not in value and _LEGACY_KEYS & set(value):
            return _LEGACY_ADDRESS.validate(value, where)
        return POSTAL_ADDRESS.validate(value, where)

    def json_schema(self) -> dict[str, Any]:
        return {"anyOf": [POSTAL_ADDRESS.json_schema(), _LEGACY_ADDRESS.json_schema()]}


def _email() -> Pattern:
    """A party's e-mail address: `{{data:representatives.uk.email}}` shows it as a mailto link."""
    return Pattern(EMAIL, "an e-mail address", "write it as name@example.com", "email")


def _reach(extra: Mapping[str, Field]) -> dict[str, Field]:
    """The ways to reach a party, after what names it."""
    return {
        **extra,
        "address": Field(Address(), required=False, doc="the postal address: its lines and country"),
        "email": Field(_email(), required=False, doc="the e-mail address, shown as a link"),
        "phone": Field(Phone(), required=False, doc="the phone number in international form, e.g. +420 228 881 031"),
        "contact_form": Field(Url(), required=False, doc="the address of a web form"),
    }


CONTROLLER = Record(
    _reach(
        {
            "name": Field(Text(single_line=True, plain=True), doc="the company that publishes the notice"),
            "jurisdiction": Field(
                Text(single_line=True), required=False, doc="where the company is established, e.g. Delaware, USA"
            ),
            "website": Field(Url(), required=False, doc="the company's website"),
        }
    )
)

CONTACTS = DictOf(
    Identifier(),
    Record(
        {
            "email": Field(Nullable(_email()), doc="the address, or null when it is not known"),
            "purpose": Field(
                Text(single_line=True), required=False, doc="what readers write to it for, e.g. deletion requests"
            ),
            "name": Field(Text(single_line=True), required=False, doc="who answers, e.g. Data Protection Officer"),
            **{key: spec for key, spec in _reach({}).items() if key != "email"},
        }
    ),
)

_PARTY = Record(
    _reach(
        {
            "name": Field(Text(single_line=True), doc="the party's name"),
            "jurisdiction": Field(Text(single_line=True), required=False, doc="where it acts, e.g. European Union"),
            "legal_basis": Field(Text(single_line=True), required=False, doc="e.g. GDPR Article 27"),
            "website": Field(Url(), required=False, doc="the party's website"),
        }
    )
)

# notice/data/representative.yaml: one representative (in the EU), the first form; its name, address and phone.
REPRESENTATIVE = Record({**_PARTY.fields, "address": Field(Address(), doc="the postal address: its lines and country")})
# notice/data/representatives.yaml and affiliates.yaml: any number, each by its id.
REPRESENTATIVES = DictOf(Identifier(), _PARTY)
AFFILIATES = DictOf(Identifier(), _PARTY)

# The party ids that name no entry of a data file.
CONTROLLER_ID = "controller"
REPRESENTATIVE_ID = "representative"


@dataclass(frozen=True)
class Party:
    id: str
    file: str  # where it is written, as messages name it
    value: Mapping[str, Any]


def parties(controller: Any, data: Mapping[str, Any]) -> Iterator[Party]:
    """Every party a notice names, in the order of its files (an id may come twice: the check says so)."""
    if isinstance(controller, Mapping):
        yield Party(CONTROLLER_ID, "notice/notice.yaml (controller)", controller)
    for name in ("contacts", "representatives", "affiliates"):
        entries = data.get(name)
        if isinstance(entries, Mapping):
            for party_id, value in entries.items():
                if isinstance(value, Mapping):
                    yield Party(str(party_id), f"notice/data/{name}.yaml", value)
    representative = data.get("representative")
    if isinstance(representative, Mapping):
        yield Party(REPRESENTATIVE_ID, "notice/data/representative.yaml", representative)


def find_party(party_id: str, controller: Any, data: Mapping[str, Any]) -> Party | None:
    return next((party for party in parties(controller, data) if party.id == party_id), None)


def address_lines(address: Mapping[str, Any]) -> tuple[list[str], str | None, Mapping[str, str]]:
    """An address's lines without the country, its country code, and (the older form only) the country's
    names as written per locale, for a code CLDR does not know."""
    if "lines" in address:
        return list(address["lines"]), address.get("country"), {}
    country = address.get("country") or {}
    lines = [address["organisation"], address["street"], f"{address['postal_code']} {address['city']}"]
    return lines, country.get("code"), country.get("name") or {}
