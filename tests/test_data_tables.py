"""A company's own data table and its parties' addresses, end to end: written in notice/data, shown in each
locale, published in the JSON, and changed in a later version's redline.

Made from the small fixture (en source, fr): a cookie table with a column of every type, representatives in
the EU and the UK, an affiliate, the controller's and the DPO's postal addresses. Two versions are released,
the second changing how long a cookie is kept. Nothing here depends on the bundled notice.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL, MINIMAL_MKDOCS, copy_notice, mkdocs, release_on, today_is
from noticegen.cli import main
from noticegen.export.documents import json_schema
from noticegen.render.address_block import address_html
from noticegen.text.cldr import babel_locale, country_name, duration_text
from noticegen.text.dates import long_date
from noticegen.text.markup import policy_problems
from test_check_never_crashes import mutation, run_mutations

VERSIONS = ["2026-02-01", "2026-04-01"]

COOKIES = """\
# The cookies the site sets: one row each.
schema:
  caption:
    en: Cookies we use
    fr: Les cookies que nous utilisons
  columns:
    name:
      type: text
      required: true
      header: {en: Name, fr: Nom}
    purpose:
      type: localised-text        # either spelling
      required: true
      header: {en: Purpose, fr: Finalité}
    policy:
      type: url
      header: {en: Policy, fr: Politique}
    contact:
      type: email
      header: {en: Questions, fr: Questions}
    since:
      type: date
      header: {en: Set since, fr: Déposé depuis}
    country:
      type: country
      header: {en: Stored in, fr: Stocké en}
    duration:
      type: duration
      header: {en: Kept for, fr: Conservé}
rows:
  - name: _ga
    purpose:
      en: Counts visits
      fr: Compte les visites
    policy: https://policies.example.com/analytics
    contact: cookies@example.com
    since: 2026-01-05
    country: US
    duration: P13M
  - name: session
    purpose:
      en: Keeps you signed in
      fr: Vous garde connecté
    country: "NO"
    duration: PT12H
"""

REPRESENTATIVES = """\
eu:
  name: Rep BV
  jurisdiction: European Union
  legal_basis: GDPR Article 27
  address:
    lines: [Rep BV, Main Street 1, 1000 Brussels]
    country: BE
  email: eu-rep@example.com
uk:
  name: Rep Ltd
  jurisdiction: United Kingdom
  legal_basis: UK GDPR Article 27
  address:
    lines: [Rep Ltd, 1 High Street, London SW1A 1AA]
    country: GB
  contact_form: https://rep.example.co.uk/contact
"""

AFFILIATES = """\
example-gmbh:
  name: Example GmbH
  address:
    lines: [Example GmbH, Hauptstraße 1, 10115 Berlin]
    country: DE
  website: https://example.de
"""

CONTROLLER = """\
controller:
  name: Example Ltd.
  address:
    lines: [Example Ltd., 10 Example Road, Dublin 2, D02 X285]
    country: IE
  email: privacy@example.com
  phone: "+353 1 000 0000"
"""

TEXTS = {
    "en": """\
title: Privacy Notice
sections:
  intro:
    title: Introduction
    body: |
      We care about your privacy. See [](#rights).
  contact:
    title: Contact
    body: |
      Write to {{contact:privacy}} or to our DPO at {{contact:dpo}}, or call {{data:controller.phone}}. We are:

      {{address:controller}}

      Our DPO, {{data:contacts.dpo.name}}, receives letters at:

      {{address:dpo}}

      Our representative in the European Union, {{data:representatives.eu.name}}
      ({{data:representatives.eu.email}}), is at this address:

      {{address:eu}}

      In the United Kingdom, write to {{data:representatives.uk.name}} ({{data:representatives.uk.contact_form}}):

      {{address:uk}}

      Our group company in Germany:

      {{address:example-gmbh}}
  rights:
    title: Your rights
  rights-access:
    title: Access
    body: |
      You may ask for the following:
  cookies:
    title: Cookies
    body: |
      We use these cookies:

      {{table:cookies}}
""",
    "fr": """\
title: Avis de confidentialité
sections:
  intro:
    title: Introduction
    body: |
      Votre vie privée nous importe. Voir [](#rights).
  contact:
    title: Contact
    body: |
      Écrivez à {{contact:privacy}} ou à notre DPD à {{contact:dpo}},
      ou appelez le {{data:controller.phone}}. Nous sommes :

      {{address:controller}}

      Notre DPD, {{data:contacts.dpo.name}}, reçoit le courrier à :

      {{address:dpo}}

      Notre représentant dans l’Union européenne, {{data:representatives.eu.name}}
      ({{data:representatives.eu.email}}), se trouve à cette adresse :

      {{address:eu}}

      Au Royaume-Uni, écrivez à {{data:representatives.uk.name}} ({{data:representatives.uk.contact_form}}) :

      {{address:uk}}

      Notre société du groupe en Allemagne :

      {{address:example-gmbh}}
  rights:
    title: Vos droits
  rights-access:
    title: Accès
    body: |
      Vous pouvez demander ce qui suit :
  cookies:
    title: Cookies
    body: |
      Nous utilisons ces cookies :

      {{table:cookies}}
""",
}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def release(root: Path, effective: str, on: str) -> None:
    summaries = ["--summary", f"en=Changes of {effective}.", "--summary", f"fr=Modifications du {effective}."]
    assert release_on(on, ["release", effective, "--change", "material", *summaries, "--path", str(root)]) == 0


def make_notice(root: Path) -> Path:
    """The small fixture with a cookie table and every kind of party."""
    copy_notice(MINIMAL, root)
    data = root / "notice" / "data"
    (data / "cookies.yaml").write_text(COOKIES, encoding="utf-8")
    (data / "representative.yaml").unlink()
    (data / "representatives.yaml").write_text(REPRESENTATIVES, encoding="utf-8")
    (data / "affiliates.yaml").write_text(AFFILIATES, encoding="utf-8")
    edit(
        data / "contacts.yaml",
        "dpo:\n  email: null\n",
        "dpo:\n  email: null\n  name: Data Protection Officer\n"
        "  address:\n    lines: [Data Protection Officer, Example Ltd., Hauptstraße 5, 80331 München]\n"
        "    country: DE\n",
    )
    notice = root / "notice" / "notice.yaml"
    edit(notice, "controller:\n  name: Example Ltd.\n", CONTROLLER)
    edit(notice, "    parent: rights\n", "    parent: rights\n  - id: cookies\n")
    for code, text in TEXTS.items():
        (root / "locales" / code / "notice.yaml").write_text(text, encoding="utf-8")
    assert main(["stamp", "fr", "--path", str(root)]) == 0
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_notice(tmp_path_factory.mktemp("datatables") / "notice")
    assert main(["check", "--strict", str(root)]) == 0
    release(root, VERSIONS[0], "2026-01-01")
    edit(root / "notice/data/cookies.yaml", "    duration: P13M\n", "    duration: P2Y\n")
    release(root, VERSIONS[1], "2026-03-01")
    (root / "generated").mkdir()
    (root / "mkdocs.yml").write_text(MINIMAL_MKDOCS, encoding="utf-8")
    with today_is("2026-04-15"):
        mkdocs(root, "build", "--strict")  # it also recomputes both versions' digests
    return root


def page(root: Path, path: str) -> str:
    return (root / "site" / path).read_text(encoding="utf-8")


def document(root: Path, path: str) -> dict:
    return json.loads(page(root, f"api/{path}"))


def table_of(html: str) -> str:
    found = re.search(r"<table class=\"notice-table__table\" role=\"table\">\n<caption>.*?</table>", html, re.DOTALL)
    assert found, "the page has no data table"
    return found.group(0)


def test_the_table_renders_in_each_locale_with_caption_and_column_headings(site: Path) -> None:
    en, fr = table_of(page(site, "index.html")), table_of(page(site, "fr/index.html"))
    assert "<caption>Cookies we use</caption>" in en
    assert "<caption>Les cookies que nous utilisons</caption>" in fr
    headings = ["Name", "Purpose", "Policy", "Questions", "Set since", "Stored in", "Kept for"]
    assert re.findall(r'<th scope="col" role="columnheader">(.*?)</th>', en) == headings
    assert re.findall(r'<th scope="col" role="columnheader">(.*?)</th>', fr)[:2] == ["Nom", "Finalité"]
    assert re.findall(r'<td role="cell" data-label="[^"]*">(.*?)</td>', en) == [
        "_ga",
        "Counts visits",
        '<a href="https://policies.example.com/analytics">https://policies.example.com/analytics</a>',
        '<a href="mailto:cookies@example.com">cookies@example.com</a>',
        '<time datetime="2026-01-05">January 5, 2026</time>',
        "United States",
        "2 years",
        "session",
        "Keeps you signed in",
        "",
        "",
        "",
        "Norway",
        "12 hours",
    ]
    for shown in ("Compte les visites", "5 janvier 2026", "États-Unis", "2 ans", "Norvège", "12\xa0heures"):
        assert shown in fr


def test_every_party_s_address_is_an_address_block_in_the_page_language(site: Path) -> None:
    en, fr = page(site, "index.html"), page(site, "fr/index.html")
    assert "<address>Rep BV<br>\nMain Street 1<br>\n1000 Brussels<br>\nBelgium</address>" in en
    assert "<address>Rep BV<br>\nMain Street 1<br>\n1000 Brussels<br>\nBelgique</address>" in fr
    for country_en, country_fr in (("Ireland", "Irlande"), ("Germany", "Allemagne"), ("United Kingdom", "Royaume-Uni")):
        assert f"<br>\n{country_en}</address>" in en and f"<br>\n{country_fr}</address>" in fr
    # in the notice's text, after the header's rights box and printed record (tests/test_page_header.py)
    assert en.split("<h2 id=", 1)[1].count("<address>") == fr.split("<h2 id=", 1)[1].count("<address>") == 5
    # a lead-in that ends with a colon before an address is no lost list
    assert 'class="notice-gap"' not in en.split('id="contact"')[1].split('id="rights"')[0]
    assert "Data Protection Officer" in en and "https://rep.example.co.uk/contact" in en
    # single facts of a party: the controller's phone, a representative's e-mail address
    assert '<a href="tel:+35310000000">+353 1 000 0000</a>' in fr
    assert '<a href="mailto:eu-rep@example.com">eu-rep@example.com</a>' in en


def test_the_table_and_the_parties_are_in_the_json_as_written(site: Path) -> None:
    latest = document(site, "latest/en.json")
    assert latest["version"]["id"] == VERSIONS[1]
    data = latest["data"]
    [table] = data["tables"]
    assert table["id"] == "cookies"
    assert table["caption"] == {"en": "Cookies we use", "fr": "Les cookies que nous utilisons"}
    assert [(c["id"], c["type"], c["required"]) for c in table["columns"]] == [
        ("name", "text", True),
        ("purpose", "localized-text", True),
        ("policy", "url", False),
        ("contact", "email", False),
        ("since", "date", False),
        ("country", "country", False),
        ("duration", "duration", False),
    ]
    assert table["columns"][0]["header"] == {"en": "Name", "fr": "Nom"}
    assert table["rows"] == [
        {
            "name": "_ga",
            "purpose": {"en": "Counts visits", "fr": "Compte les visites"},
            "policy": "https://policies.example.com/analytics",
            "contact": "cookies@example.com",
            "since": "2026-01-05",
            "country": "US",
            "duration": "P2Y",
        },
        {
            "name": "session",
            "purpose": {"en": "Keeps you signed in", "fr": "Vous garde connecté"},
            "policy": None,
            "contact": None,
            "since": None,
            "country": "NO",
            "duration": "PT12H",
        },
    ]
    assert data["subprocessors"] == []
    assert [(r["id"], r["address"]["country"], r["dpv"]) for r in data["representatives"]] == [
        ("eu", "BE", "https://w3id.org/dpv#Representative"),
        ("uk", "GB", "https://w3id.org/dpv#Representative"),
    ]
    assert data["affiliates"] == [
        {
            "id": "example-gmbh",
            "name": "Example GmbH",
            "address": {"lines": ["Example GmbH", "Hauptstraße 1", "10115 Berlin"], "country": "DE"},
            "website": "https://example.de",
        }
    ]
    assert latest["controller"]["address"] == {
        "lines": ["Example Ltd.", "10 Example Road", "Dublin 2", "D02 X285"],
        "country": "IE",
    }
    dpo = next(contact for contact in data["contacts"] if contact["id"] == "dpo")
    assert dpo["name"] == "Data Protection Officer" and dpo["address"]["country"] == "DE"
    assert "representative" in data and data["representative"] is None
    # the data are the same in every document of a version
    assert document(site, f"v/{VERSIONS[1]}/notice.json")["data"] == data == document(site, "latest/fr.json")["data"]
    assert document(site, f"v/{VERSIONS[0]}/en.json")["data"]["tables"][0]["rows"][0]["duration"] == "P13M"


def test_every_document_validates_against_the_schema(site: Path) -> None:
    validator = jsonschema.Draft202012Validator(json_schema("https://example.org/privacy/"))
    for path in sorted((site / "site" / "api").rglob("*.json")):
        if "schema" in path.parts:
            continue
        document = json.loads(path.read_text(encoding="utf-8"))
        assert [error.message for error in validator.iter_errors(document)] == [], path


def test_a_changed_table_shows_as_a_change_in_the_redline(site: Path) -> None:
    for path, removed, added in (
        (f"versions/{VERSIONS[1]}/changes/index.html", "13 months", "2 years"),
        (f"fr/versions/{VERSIONS[1]}/changes/index.html", "13 mois", "2 ans"),
    ):
        redline = page(site, path)
        section = redline.split('id="cookies"')[1].split("</h2>", 1)[1].split("<h2", 1)[0]
        deleted = "".join(re.findall(r"<del>.*?</span>(.*?)</del>", section))
        inserted = "".join(re.findall(r"<ins>.*?</span>(.*?)</ins>", section))
        assert removed.split()[0] in deleted and added.split()[0] in inserted, section
        assert "Contact" not in re.findall(r"<h2[^>]*>(.*?)</h2>", redline)  # nothing else changed
    archived = table_of(page(site, f"versions/{VERSIONS[0]}/index.html"))
    assert '<td role="cell" data-label="Kept for">13 months</td>' in archived


def test_codes_are_written_out_by_cldr_in_the_page_language() -> None:
    assert duration_text("P1Y2M", "en") == "1 year and 2 months"
    assert duration_text("P13M", "zh-Hans") == "13个月"
    assert duration_text("P2W", "fr") == "2\xa0semaines"  # CLDR keeps the number with its unit
    assert country_name("NL", "zh-Hans") == "荷兰" and country_name("NL", "ar") == "هولندا"
    assert long_date(datetime.date(2025, 9, 23), "zh-Hans") == "2025年9月23日"
    # a language CLDR does not know falls back to its base language, then to English
    assert babel_locale("fr-XX").language == "fr" and babel_locale("tlh").language == "en"


def test_the_older_address_form_renders_like_the_new_one() -> None:
    older = {
        "organisation": "Rep BV",
        "street": "Main Street 1",
        "postal_code": "1000",
        "city": "Brussels",
        "country": {"code": "BE", "name": {"en": "Belgium (as written)", "fr": "Belgique"}},
    }
    newer = {"lines": ["Rep BV", "Main Street 1", "1000 Brussels"], "country": "BE"}
    assert address_html(older, "en", "en") == address_html(newer, "en", "en")
    assert address_html(newer, "fr", "fr").endswith("<br>\nBelgique</address>")
    # a code CLDR does not know keeps the names it was released with
    older["country"] = {"code": "XX", "name": {"en": "Somewhere", "fr": "Quelque part"}}
    assert address_html(older, "fr", "fr").endswith("<br>\nQuelque part</address>")


def test_a_new_locale_gets_every_text_of_the_table_to_translate(tmp_path: Path) -> None:
    root = make_notice(tmp_path / "notice")
    assert main(["locale", "add", "de", "--path", str(root)]) == 0
    cookies = (root / "notice/data/cookies.yaml").read_text(encoding="utf-8")
    assert "header: {en: Name, fr: Nom, de: Name}" in cookies  # the source locale's text, to translate
    assert "    de: Counts visits\n" in cookies and "    de: Cookies we use\n" in cookies
    assert main(["check", "--strict", str(root)]) == 0


def test_service_providers_are_a_table_with_a_built_in_schema_or_one_of_their_own(tmp_path: Path) -> None:
    from noticegen.checks.notice import check_notice
    from noticegen.export.documents import structured_data
    from noticegen.model.notice import build_notice
    from noticegen.render.notice_page import render_page

    root = copy_notice(MINIMAL, tmp_path / "notice")
    providers = root / "notice/data/subprocessors.yaml"
    intro = "      We care about your privacy. See [](#rights).\n"
    edit(root / "locales/en/notice.yaml", intro, intro + "\n      {{table:subprocessors.website}}\n")
    providers.write_text("website:\n  - name: Example Analytics\n    since: 2025-01-02\n", encoding="utf-8")
    notice = build_notice(check_notice(root))
    assert '<th scope="col" role="columnheader">Since</th>' in render_page(
        notice, "en"
    )  # a column some row fills is shown
    assert structured_data(notice)["subprocessors"] == [
        {
            "name": "Example Analytics",
            "collected_through": "website",
            "since": "2025-01-02",
            "until": None,
            "dpv": "https://w3id.org/dpv#DataSubProcessor",
        }
    ]
    # With a schema of its own, the file is a table like any other, with the columns it declares.
    edit(root / "locales/en/notice.yaml", "{{table:subprocessors.website}}", "{{table:subprocessors}}")
    providers.write_text(COOKIES.replace("Cookies we use", "Our processors"), encoding="utf-8")
    data = structured_data(build_notice(check_notice(root)))
    assert data["subprocessors"] == [] and [table["id"] for table in data["tables"]] == ["subprocessors"]


@pytest.fixture(scope="module")
def notice_with_tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_notice(tmp_path_factory.mktemp("mutated") / "notice")


TABLE_FILES = ["notice/data/cookies.yaml", "notice/data/representatives.yaml", "notice/data/contacts.yaml"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(mutation(TABLE_FILES), min_size=1, max_size=3))
def test_a_mutated_table_or_address_never_crashes_the_checker(notice_with_tables: Path, mutations: list) -> None:
    run_mutations(notice_with_tables, mutations)  # a clean pass must also render only allowlisted HTML


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ('<div class="notice-table" role="region" aria-label="x" tabindex="0"></div>', None),
        ('<div class="md-search">', "class 'md-search' would be published"),
        ('<div role="dialog">', "role 'dialog' would be published"),
        ('<div tabindex="-1">', "tabindex '-1' would be published"),
        ('<div onclick="x()">', "attribute 'onclick' on <div> would be published"),
        ('<td role="cell" data-label="Name">x</td>', None),
    ],
)
def test_the_body_allowlist_takes_a_data_tables_layout_and_nothing_else(html: str, problem: str | None) -> None:
    assert [found for _, found in policy_problems(html)] == ([problem] if problem else [])
