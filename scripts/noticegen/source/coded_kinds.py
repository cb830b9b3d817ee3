"""Kinds of value written as a code that the page shows in words (text/cldr.py): a country, a length of time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from noticegen.core.diagnostics import shown
from noticegen.source.json_schema import ecma_pattern
from noticegen.source.schema import INVALID, Kind, Where
from noticegen.text.cldr import DURATION, country_codes, is_duration

# Codes people write that ISO 3166-1 spells otherwise.
_MISTAKEN_CODES = {"UK": "GB", "EL": "GR"}


@dataclass
class Country(Kind):
    """An ISO 3166-1 alpha-2 code (`NL`, `GB`, `US`, and `EU`): the page names it in its own language."""

    expected = "a country code"
    ref = "country"

    def validate(self, value: Any, where: Where) -> Any:
        if value is False:  # YAML reads an unquoted NO (Norway) as false
            where.error(f"{where.name} is false, not a country code", 'for Norway write "NO" in quotes')
            return INVALID
        if not isinstance(value, str):
            return self.wrong_type(value, where)
        if value in country_codes():
            return value
        if value.upper() in _MISTAKEN_CODES:
            hint = f"the ISO 3166-1 code is {_MISTAKEN_CODES[value.upper()]}"
        elif value.upper() in country_codes():
            hint = f"write it in capitals: {value.upper()}"
        else:
            hint = "write the ISO 3166-1 two-letter code, such as NL, GB or US"
        where.error(f"{where.name} '{shown(value)}' is not a country code", hint)
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        # The shape only: which codes exist is CLDR's, and `notice check` names a code it does not know.
        return {
            "type": "string",
            "pattern": "^[A-Z]{2}$",
            "patternErrorMessage": "Not a country code: write the ISO 3166-1 two-letter code in capitals, such as "
            'NL, GB or US (for Norway "NO" in quotes).',
        }


@dataclass
class Duration(Kind):
    """An ISO 8601 length of time (`P13M`, `P2Y`, `P30D`, `PT12H`): the page writes it in words."""

    expected = "a duration"
    ref = "duration"

    def validate(self, value: Any, where: Where) -> Any:
        if isinstance(value, str) and is_duration(value):
            return value
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            where.error(
                f"{where.name} '{shown(value)}' is not a duration",
                "write it in ISO 8601 form: P13M is 13 months, P2Y 2 years, P30D 30 days, PT12H 12 hours",
            )
            return INVALID
        return self.wrong_type(value, where)

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": ecma_pattern(DURATION.pattern),
            "patternErrorMessage": "Not a duration: write it in ISO 8601 form: P13M is 13 months, P2Y 2 years, "
            "P30D 30 days, PT12H 12 hours.",
        }
