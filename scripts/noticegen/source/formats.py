"""The shape of every source file, as schemas (see schema.py). The README documents the same."""

from __future__ import annotations

import re
from typing import Any

from noticegen.source.branding import BRANDING, BRANDING_FILE
from noticegen.source.datatables import SUBPROCESSORS, SUBPROCESSORS_FILE
from noticegen.source.json_schema import with_doc
from noticegen.source.parties import AFFILIATES, CONTACTS, CONTROLLER, REPRESENTATIVE, REPRESENTATIVES
from noticegen.source.schema import (
    DATA_KEY,
    INVALID,
    LANGUAGE_TAG,
    LOCALE_CODE,
    Boolean,
    Date,
    DictOf,
    Field,
    Identifier,
    Integer,
    ListOf,
    Localized,
    Nullable,
    OneOf,
    Pattern,
    Record,
    Text,
    Url,
    Where,
)

HASH = re.compile(r"^[0-9a-f]{12}$")
DPV_TERM = re.compile(r"^https://w3id\.org/dpv(/[a-z]+)*#[A-Za-z0-9-]+$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
VERSION_ID = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(\.[1-9][0-9]*)?$")
# "all", or any code a locale may have (schema.LOCALE_CODE): a release writes one per locale it publishes.
DIGEST_KEY = re.compile(rf"^(all|{LOCALE_CODE.pattern.removeprefix('^').removesuffix('$')})$")


def DpvTerm() -> Pattern:  # noqa: N802
    return Pattern(DPV_TERM, "a W3C DPV term", "a term IRI such as https://w3id.org/dpv/legal/eu/gdpr#A17", None)


def LocaleCode() -> Pattern:  # noqa: N802
    return Pattern(LOCALE_CODE, "a locale code", "use a code such as en, zh or pt-BR", None)


NOTICE = Record(
    {
        "controller": Field(CONTROLLER, doc="who publishes the notice"),
        "locales": Field(
            Record(
                {
                    "source_locale": Field(LocaleCode(), doc="the locale translations are made from"),
                    "default_locale": Field(LocaleCode(), doc="the locale served at the site's root"),
                    "available": Field(
                        DictOf(
                            LocaleCode(),
                            Record(
                                {
                                    "name": Field(Text(single_line=True, plain=True), doc="the language's own name"),
                                    "lang": Field(
                                        Pattern(LANGUAGE_TAG, "a language tag", "a BCP 47 tag such as zh-Hans", None),
                                        required=False,
                                        doc="the BCP 47 tag browsers and screen readers are given (<html lang>), "
                                        "when it differs from the locale code, e.g. zh-Hans",
                                    ),
                                    "dir": Field(
                                        OneOf(("ltr", "rtl")),
                                        required=False,
                                        doc="the writing direction: rtl for Arabic, Hebrew, Persian…; ltr by default",
                                    ),
                                    "draft": Field(
                                        Boolean(),
                                        required=False,
                                        doc="a locale being translated: previewed, published once a release "
                                        "includes it (`notice release --locales`)",
                                    ),
                                }
                            ),
                        ),
                        doc="one entry per locale, by its code (en, zh, pt-BR): its name in its own language",
                    ),
                }
            ),
            doc="the notice's languages: which one translations are made from, which one the site's root shows",
        ),
        "outline": Field(
            ListOf(
                Record(
                    {
                        "id": Field(
                            Identifier(),
                            doc="the section's permanent anchor (https://…/#id), the same in every locale: "
                            "never change it once released; declare an alias instead",
                        ),
                        "parent": Field(
                            Identifier(), required=False, doc="the id of the section this one is a subsection of"
                        ),
                        "dpv": Field(
                            ListOf(DpvTerm(), nonempty=True),
                            required=False,
                            doc="W3C DPV terms the section stands for, given to machines in the JSON export, e.g. "
                            "https://w3id.org/dpv/legal/eu/gdpr#A17 for the right to erasure",
                        ),
                    }
                ),
                nonempty=True,
            ),
            doc="every section in reading order",
        ),
        "aliases": Field(
            DictOf(Identifier(), Identifier()),
            required=False,
            doc="retired ids that must keep working, each as `old-id: new-id` (the section or clause that replaced it)",
        ),
        "notice_period_days": Field(
            Integer(minimum=0),
            required=False,
            doc="how many days a material change is published before it takes effect (default 30)",
        ),
        "translations": Field(
            Record(
                {
                    "outdated": Field(
                        OneOf(("publish", "block")),
                        required=False,
                        doc="a translation behind its source text: publish it marked as not yet updated "
                        "(the default), or block the build",
                    ),
                    "untranslated": Field(
                        OneOf(("publish", "block")),
                        required=False,
                        doc="a section not translated yet: publish the source text, marked (the default), "
                        "or block the build",
                    ),
                }
            ),
            required=False,
            doc="what a lagging translation does: publish it marked (the default), or block the build",
        ),
        "approvals": Field(
            Record(
                {
                    "material": Field(
                        Integer(minimum=0),
                        required=False,
                        doc="how many people must approve a material change (`notice release --approved-by`)",
                    ),
                    "editorial": Field(
                        Integer(minimum=0),
                        required=False,
                        doc="how many people must approve an editorial change or a correction",
                    ),
                }
            ),
            required=False,
            doc="the sign-off a release needs: `notice release` refuses a version with fewer approvers",
        ),
    }
)


class TableRow(DictOf):
    """A row of a section's table: its cells by column id, and optionally `id`, its permanent anchor."""

    def _each(self, key: str, raw: Any, where: Where, key_where: Where) -> Any:
        if self.key.validate(key, key_where) is INVALID:
            return INVALID
        return (Identifier() if key == ROW_ID else self.value).validate(raw, where)

    def json_schema(self) -> dict[str, Any]:
        anchor = with_doc(Identifier().json_schema(), "the row's permanent anchor, the same in every locale")
        return {**super().json_schema(), "properties": {ROW_ID: anchor}}


ROW_ID = "id"  # the key of a row's anchor; no column may take it
TABLE_PLACEHOLDER = "{{table}}"  # where a section's table stands in its body (after the body without it)

TABLE = Record(
    {
        "caption": Field(Text(single_line=True), required=False, doc="what the table shows, above it"),
        "columns": Field(
            DictOf(Identifier(), Text(single_line=True)),
            doc="every column in order: its id (the same in every locale) and its heading in this locale",
        ),
        "rows": Field(
            ListOf(TableRow(Identifier(), Text()), nonempty=True),
            doc="every row in order: a cell (Markdown) per column id, and optionally `id:`, the row's anchor",
        ),
    }
)

LOCALE_TEXT = Record(
    {
        "title": Field(Text(single_line=True), doc="the notice's title in this locale"),
        "summary": Field(
            Text(),
            required=False,
            doc="a short summary of the notice in Markdown, shown under the page's header, released with the "
            "text; when one locale has it, every locale has it",
        ),
        "summary_source_hash": Field(
            Pattern(HASH, "a source hash", "12 hexadecimal digits, as `notice stamp --summary` writes", None),
            required=False,
            doc="translations only: which source summary this summary translates, as `notice stamp --summary` "
            "records it; do not write it by hand",
        ),
        "sections": Field(
            DictOf(
                Identifier(),
                Record(
                    {
                        "title": Field(Text(single_line=True), doc="the section's heading"),
                        "body": Field(
                            Text(),
                            required=False,
                            doc="the section's text in Markdown; a section with subsections may have none",
                        ),
                        "table": Field(
                            TABLE,
                            required=False,
                            doc=f"a table, shown where the body says {TABLE_PLACEHOLDER}, else after the body",
                        ),
                        "source_hash": Field(
                            Pattern(HASH, "a source hash", "12 hexadecimal digits, as `notice stamp` writes", None),
                            required=False,
                            doc="translations only: which source text this translates, as `notice stamp` "
                            "records it; do not write it by hand",
                        ),
                    }
                ),
            ),
            doc="the title and body of every section",
        ),
    }
)

UI_STRINGS = DictOf(
    Pattern(DATA_KEY, "a string name", "lowercase letters, digits and underscores", None),
    Text(single_line=True, plain=True),
)

_NAMED_LINK = Record(
    {
        "name": Field(Text(single_line=True), doc="its name, as the text shows it"),
        "url": Field(Url(), doc="the address of its website"),
    }
)

GAP_KINDS = ("missing-list", "partial-list", "missing-address", "missing-link")

# notice/data/<name>.yaml; every file is optional, but a reference into a missing one fails. Any other file
# there is a data table that declares its own schema (source/datatables.py).
DATA_FILES = {
    # The publisher's logo and favicon: shown by the site, outside the notice's text and its JSON.
    BRANDING: BRANDING_FILE,
    "contacts": CONTACTS,
    "representative": REPRESENTATIVE,
    "representatives": REPRESENTATIVES,
    "affiliates": AFFILIATES,
    "frameworks": Record(
        {
            "names": Field(
                ListOf(Text(single_line=True), nonempty=True),
                doc="the frameworks the company adheres to, e.g. EU-U.S. Data Privacy Framework (EU-U.S. DPF)",
            ),
            "administered_by": Field(
                Text(single_line=True), required=False, doc="who runs them, e.g. U.S. Department of Commerce"
            ),
            "enforcement_authority": Field(
                Text(single_line=True), required=False, doc="who enforces them, e.g. U.S. Federal Trade Commission"
            ),
            "adhering_us_entities_inferred": Field(
                ListOf(Text(single_line=True)),
                required=False,
                doc="the U.S. entities that adhere, as far as the text lets one infer them: not published as the list",
            ),
            "info_url": Field(Url(), required=False, doc="where readers learn more about the frameworks"),
            "complaint_response_days": Field(
                Integer(minimum=1), required=False, doc="within how many days the company answers a complaint"
            ),
            "binding_arbitration_url": Field(
                Url(), required=False, doc="where the frameworks' binding arbitration is explained"
            ),
            "independent_recourse": Field(
                Record(
                    {
                        "name": Field(Text(single_line=True), doc="the recourse mechanism's name"),
                        "cost": Field(Text(single_line=True), required=False, doc="what it costs, e.g. free of charge"),
                        "url": Field(Url(), doc="where a complaint is submitted to it"),
                    }
                ),
                required=False,
                doc="the independent dispute resolution body readers may turn to",
            ),
            "cooperating_authorities": Field(
                DictOf(Identifier(), _NAMED_LINK),
                required=False,
                doc="the authorities the company cooperates with, by id: each its name and website",
            ),
            "onward_transfer_liability": Field(
                Boolean(),
                required=False,
                doc="true: the company stays liable for data it passes on to third parties",
            ),
        }
    ),
    # A table with a built-in schema (source/datatables.py); a file with `schema:` is a table of its own.
    SUBPROCESSORS: SUBPROCESSORS_FILE,
    "processing": Record(
        {
            "minimum_age": Field(
                Integer(minimum=0), required=False, doc="the age below which the services are not meant to be used"
            ),
            "retention": Field(
                Record(
                    {
                        "fixed_period": Field(
                            Nullable(Text(single_line=True)),
                            doc="a fixed period personal data is kept for, or null when there is none",
                        ),
                        "rule": Field(Text(single_line=True), doc="how long personal data is kept, in words"),
                    }
                ),
                required=False,
                doc="how long personal data is kept",
            ),
            "legal_bases_implied": Field(
                ListOf(Identifier()),
                required=False,
                doc="the legal bases the text implies, by id (consent, contract, …): inferences, not published as "
                "the list",
            ),
            "transfer_mechanisms": Field(
                ListOf(
                    Record(
                        {
                            "name": Field(Text(single_line=True), doc="the mechanism, as the text names it"),
                            "dpv": Field(
                                DpvTerm(),
                                required=False,
                                doc="its W3C DPV term, e.g. https://w3id.org/dpv/legal/eu/gdpr#A46-2-c",
                            ),
                        }
                    )
                ),
                required=False,
                doc="how personal data leaves the EEA, the UK and Switzerland",
            ),
            "ga_opt_out_url": Field(Url(), required=False, doc="the Google Analytics opt-out browser add-on"),
            "dpa_url": Field(Url(), required=False, doc="the company's data processing agreement"),
        }
    ),
    "gaps": ListOf(
        Record(
            {
                "id": Field(Identifier(), doc="the gap's own id"),
                "kind": Field(
                    OneOf(GAP_KINDS),
                    doc="missing-list or partial-list (a list lost, or recovered in part), missing-link (link "
                    "targets lost): each with `section`; missing-address (with `contacts`)",
                ),
                "section": Field(Identifier(), required=False, doc="the section where the gap is"),
                "contacts": Field(
                    ListOf(Identifier(), nonempty=True),
                    required=False,
                    doc="the contacts whose e-mail address is not known",
                ),
                "note": Field(Text(), doc="what is missing, for readers and editors"),
            }
        )
    ),
}

CHANGE_KINDS = ("material", "editorial")

# notice/changelog.yaml: one entry per released version, oldest first; written by `notice release`.
CHANGELOG = ListOf(
    Record(
        {
            "effective": Field(Date(), doc="the date the version takes effect; it is the version's id"),
            "published": Field(Date(), doc="the date the version was published"),
            "change": Field(OneOf(CHANGE_KINDS), doc="material or editorial"),
            "summary": Field(Localized(), doc="what changed, in every locale: one line of plain text"),
            "lock": Field(
                Pattern(SHA256, "a SHA-256 lock", "64 hexadecimal digits, as `notice release` writes", None),
                doc="the SHA-256 of the snapshot's SHA256SUMS",
            ),
            "digests": Field(
                DictOf(
                    Pattern(DIGEST_KEY, "'all' or a locale code", "as `notice release` writes", None),
                    Pattern(SHA256, "a SHA-256 digest", "64 hexadecimal digits, as `notice release` writes", None),
                ),
                doc="the digest of the version's JSON document, for all locales and for each, as released",
            ),
            "chain": Field(
                Pattern(SHA256, "a SHA-256 chain link", "64 hexadecimal digits, as `notice release` writes", None),
                doc="covers this entry's fields and the previous entry's chain",
            ),
            "short_notice": Field(
                Text(single_line=True),
                required=False,
                doc="why a material change took effect with less than the notice period (--short-notice)",
            ),
            "imported": Field(
                Text(single_line=True),
                required=False,
                doc="where the text of a version older than this site comes from (--imported)",
            ),
            "corrects": Field(
                Pattern(VERSION_ID, "a version id", "the id of the version it corrects, e.g. 2025-09-23", None),
                required=False,
                doc="the version this entry corrects (errata, `notice release --corrects`): same effective date",
            ),
            "translation_only": Field(
                Boolean(),
                required=False,
                doc="the version changes no binding text, only translations (written by `notice release`)",
            ),
            "approved_by": Field(
                ListOf(Text(single_line=True, plain=True), nonempty=True),
                required=False,
                doc="who approved the version (`notice release --approved-by NAME`), in the order given",
            ),
        }
    )
)
