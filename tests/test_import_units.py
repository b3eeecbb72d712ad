"""Table tests for each concern of the importer: dates, numbers, contacts, salutations,
languages, outcomes, headings and the text clean-up."""

from __future__ import annotations

import datetime as dt

import pytest

from ua_bot.importer import import_text
from ua_bot.importer.contacts import normalise_phone, parse_contact_line
from ua_bot.importer.countries import country_of_address, region_for
from ua_bot.importer.dates import parse_date
from ua_bot.importer.demands import letter_asks
from ua_bot.importer.languages import inline_languages, split_languages
from ua_bot.importer.normalise import normalise_text
from ua_bot.importer.outcome import find_outcome
from ua_bot.importer.reflow import dehyphenate, reflow
from ua_bot.importer.sections import match_heading
from ua_bot.importer.targets import parse_targets

# -- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Contact these two officials by 27 December, 2017:", dt.date(2017, 12, 27)),
        ("PLEASE SEND APPEALS BEFORE 27 DECEMBER 2017 TO:", dt.date(2017, 12, 27)),
        ("This petition should be sent by December 27th, 2017.", dt.date(2017, 12, 27)),
        ("Datum: 27.12.2017", dt.date(2017, 12, 27)),
        ("27/12/2017", dt.date(2017, 12, 27)),
        ("2017-12-27", dt.date(2017, 12, 27)),
        ("Date: 29 October 2010", dt.date(2010, 10, 29)),
        ("1st March 2019", dt.date(2019, 3, 1)),
        ("12 de mayo de 2013", dt.date(2013, 5, 12)),
        ("3 Sept. 2012", dt.date(2012, 9, 3)),
        ("PLEASE SEND APPEALS IMMEDIATELY", None),
        ("On 30 June, he was moved", None),
        ("31 February 2017", None),
        ("in 2015", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


DOC = """URGENT ACTION
TEACHER DETAINED
Teacher Amina Yusuf was detained on 2 May.
PLEASE WRITE IMMEDIATELY in English or your own language:
- Calling for her release.
{targets_heading}
Minister of Justice
Ahmed Bello
Ministry of Justice, Abuja, Nigeria
Email: minister@justice.example.ng
Salutation: Dear Minister
{tail}
"""


@pytest.mark.parametrize(
    ("heading", "tail", "deadline", "wording", "warning"),
    [
        ("PLEASE SEND APPEALS BEFORE 14 JUNE 2013 TO:", "", dt.date(2013, 6, 14), "", ""),
        ("Contact this official by June 14th, 2013:", "", dt.date(2013, 6, 14), "", ""),
        ("APPEALS TO:", "APPEAL DEADLINE NOTICE: 14.06.2013", dt.date(2013, 6, 14), "", ""),
        (
            "APPEALS TO:",
            "PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL: 14 June 2013",
            dt.date(2013, 6, 14),
            "",
            "",
        ),
        (
            "APPEALS TO:",
            "PLEASE SEND APPEALS IMMEDIATELY. Check with your section office if sending "
            "appeals after 14 June 2013.",
            dt.date(2013, 6, 14),
            "PLEASE SEND APPEALS IMMEDIATELY.",
            "",
        ),
        (
            "APPEALS TO:",
            "PLEASE SEND APPEALS IMMEDIATELY.",
            None,
            "PLEASE SEND APPEALS IMMEDIATELY.",
            "No deadline date",
        ),
        ("APPEALS TO:", "", None, "", "No deadline date found."),
        (
            "PLEASE SEND APPEALS BEFORE 14 JUNE TO:",
            "UA: 99/13 Index: AFR 44/001/2013 Nigeria Date: 3 May 2013",
            dt.date(2013, 6, 14),
            "",
            "has no year: I took 2013",
        ),
    ],
)
def test_deadline(heading, tail, deadline, wording, warning) -> None:
    text = DOC.format(targets_heading=heading, tail=tail)
    if "UA:" not in tail:
        text = "UA 99/13 Detention\n" + text
    r = import_text(text)
    assert r.case is not None, r.report.errors
    assert r.case.deadline == deadline
    assert r.deadline_wording.startswith(wording)
    assert (warning == "") or any(warning in w for w in r.report.warnings), r.report.warnings


# -- UA numbers and updates --------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "ua", "update_of"),
    [
        ("UA 78/05 Fear for safety", "78/05", None),
        ("UA 219 /06 Fear for safety", "219/06", None),
        ("UA 081/13 Fear of torture", "81/13", None),
        ("EXTRA 44/01 Death penalty", "44/01", None),
        ("UA: 229/10 Index: AMR 19/015/2010 Brazil Date: 29 October 2010", "229/10", None),
        ("URGENT ACTION TYPE AND NUMBER: THIRD UA 41/16", "41/16", "41/16"),
        ("URGENT ACTION TYPE AND NUMBER: First UA 123/17", "123/17", None),
        ("FURTHER INFORMATION ON UA 41/16", "41/16", "41/16"),
        (
            "Further information on UA 301/06 (MDE 13/126/2006, 13 November 2006)",
            "301/06",
            "301/06",
        ),
        ("Follow-up on UA 52/10 (10 March 2010) - Released", "52/10", "52/10"),
        ("first update on ua 141/13", "141/13", "141/13"),
        ("UA-Nr: UA-235/2017", "235/17", None),
    ],
)
def test_ua_number_forms(head: str, ua: str, update_of: str | None) -> None:
    body = (
        "Ana Ruiz was detained on 2 May.\nRECOMMENDED ACTION:\n- calling for her release\n"
        "APPEALS TO:\nPresident\nJuan Soto\nPalacio, Lima, Peru\nFax: +51 1 311 3900\n"
    )
    text = f"{head}\nURGENT ACTION\nWOMAN DETAINED\n{body}"
    if head.startswith("URGENT ACTION TYPE"):
        text = f"URGENT ACTION TITLE: Woman detained\n{head}\n{body}"
    r = import_text(text)
    assert r.case is not None, r.report.errors
    assert r.case.ua_number == ua
    assert r.update_of == update_of


def test_ua_number_in_the_report_back_line() -> None:
    r = import_text("URGENT ACTION\nTITLE\nSummary.\n2) LET US KNOW YOU TOOK ACTION\n"
                    "This is Urgent Action 83.18\n")
    assert r.report.errors == [
        "No demands, officials or people at risk found: this does not look like a UA."
    ]
    assert "ua_number" not in r.report.missing


def test_see_also_mention_is_not_the_number() -> None:
    r = import_text("A case (see UA 202/11, www.amnesty.org) of note.\n")
    assert "ua_number" in r.report.missing


@pytest.mark.parametrize(
    ("title", "summary", "outcome"),
    [
        ("Activist released", "", "released"),
        ("", "Wang Lihua was released on bail on 3 May.", "released"),
        ("", "He was released without charge on 3 May.", "released"),
        ("", "She has not been charged and remains in detention; she was sentenced later.",
         "sentenced"),
        ("", "Three students were charged with usurpation.", "charged"),
        ("Prisoner dies in custody", "", "died"),
        ("", "Juan Pérez died in hospital on 4 June.", "died"),
        ("", "He was executed at dawn on 2 May.", "executed"),
        ("", "They were acquitted on 1 July.", "acquitted"),
        ("", "They fear being deported; he is still held.", None),
        ("", "He has not yet been released.", None),
        ("Fear of torture", "No news.", None),
    ],
)
def test_outcome(title: str, summary: str, outcome: str | None) -> None:
    assert find_outcome(title, [summary]) == outcome


def test_outcome_only_for_updates() -> None:
    first = "UA 12/13 Detention\nCOLOMBIA Ana Ruiz (f)\nAna Ruiz was released on 2 May.\n"
    assert import_text(first + "RECOMMENDED ACTION:\n- x y\n").outcome is None
    update = "Further information on " + first
    assert import_text(update).outcome == "released"


# -- contacts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+86 10 6238 1025", None, "+861062381025"),
        ("1 202 495 2266", "US", "+12024952266"),
        ("1 202 495 2266", "CN", "+12024952266"),  # the country code written without "+"
        ("(55) 5346 0908", "MX", "+525553460908"),
        ("0044 20 7413 5500", None, "+442074135500"),
        ("022 332 2100", "CH", "+41223322100"),
        ("+57 1 566 2071", "CO", "+57 1 566 2071"),  # not a valid number today: as written
        ("12 34", None, "12 34"),
    ],
)
def test_normalise_phone(raw: str, region: str | None, expected: str) -> None:
    assert normalise_phone(raw, region) == expected


@pytest.mark.parametrize(
    ("line", "field", "values"),
    [
        ("Phone: 1 202 495 2266 I Fax: 1 202 495 2138", "phones", ["+12024952266"]),
        ("Phone: 1 202 495 2266 I Fax: 1 202 495 2138", "faxes", ["+12024952138"]),
        ("Email: a@x.org OR b@y.org", "emails", ["a@x.org", "b@y.org"]),
        ("E-mail: a@x.org, b@y.org", "emails", ["a@x.org", "b@y.org"]),
        ("Tel/Fax: +98 21 6673 4060", "phones", ["+982166734060"]),
        ("Tel/Fax: +98 21 6673 4060", "faxes", ["+982166734060"]),
        ("Twitter: @presidencia_sv", "handles", ["@presidencia_sv"]),
        ("Tweets for the president: .@presidencia_sv #Justicia", "handles", ["@presidencia_sv"]),
        ("Tweets for the president: .@presidencia_sv #Justicia", "notes", ["Hashtags: #Justicia"]),
        ("Twitter: https://twitter.com/MP_Honduras", "handles", ["@MP_Honduras"]),
        ("Fax: +52 55 5346 0908 (ask for the fax tone)", "notes", ["Fax: ask for the fax tone"]),
        ("Email: http://www.attorneygeneral.gov/contactus/", "notes",
         ["Web form: http://www.attorneygeneral.gov/contactus/"]),
        ("Telegrams: President, Minsk, Belarus", "notes", ["Telegrams: President, Minsk, Belarus"]),
    ],
)
def test_contact_line(line: str, field: str, values: list[str]) -> None:
    assert getattr(parse_contact_line(line, "US"), field) == values


@pytest.mark.parametrize(
    ("lines", "region"),
    [
        (["3505 International Place NW, Washington DC 20008"], "US"),
        (["2 Fuyoujie", "People's Republic of China"], "CN"),
        (["Palacio de Nariño, Bogotá, COLOMBIA"], "CO"),
        (["Ciudad de México, México"], "MX"),
        (["Somewhere without a country"], None),
    ],
)
def test_country_of_address(lines: list[str], region: str | None) -> None:
    assert country_of_address(lines) == region


def test_region_for_names_and_aliases() -> None:
    assert region_for("North Korea") == "KP" and region_for("DPRK") == "KP"
    assert region_for("Brasil") == "BR" and region_for("Côte d'Ivoire") == "CI"
    assert region_for("Atlantis") is None


# -- targets and salutations -------------------------------------------------------------


def _targets(text: str, region: str | None = None):
    lines = list(enumerate(text.strip("\n").split("\n")))
    return parse_targets(lines, region=region)


def test_salutations_after_the_blocks_match_by_role() -> None:
    found = _targets(
        "Minister of Justice\nAna Sol\nMinistry of Justice, Lima, Peru\n"
        "President\nJuan Soto\nPalacio de Gobierno, Lima, Peru\n"
        "Salutation: Dear President\nSalutation: Dear Minister\n"
    )
    assert [(t.name, t.salutation) for t in found.targets] == [
        ("Ana Sol", "Dear Minister"),
        ("Juan Soto", "Dear President"),
    ]


def test_unmatched_trailing_salutations_go_in_reverse_order() -> None:
    found = _targets(
        "Minister of Justice\nAna Sol\nCalle 1, Lima, Peru\nEmail: a@x.pe\n"
        "Minister of the Interior\nLuis Paz\nCalle 2, Lima, Peru\nEmail: b@x.pe\n"
        "Salutation: Dear Minister Paz\nSalutation: Dear Minister Sol\n"
    )
    assert [(t.name, t.salutation) for t in found.targets] == [
        ("Ana Sol", "Dear Minister Sol"),  # by name word
        ("Luis Paz", "Dear Minister Paz"),
    ]
    found = _targets(
        "Minister of Justice\nAna Sol\nCalle 1, Lima, Peru\nEmail: a@x.pe\n"
        "Minister of the Interior\nLuis Paz\nCalle 2, Lima, Peru\nEmail: b@x.pe\n"
        "Salutation: Dear Minister (2)\nSalutation: Dear Minister (1)\n"
    )
    assert [t.salutation for t in found.targets] == ["Dear Minister (1)", "Dear Minister (2)"]


def test_salutation_under_each_block_and_bilingual() -> None:
    found = _targets(
        "President\nJuan Soto\nPalacio de Gobierno, Lima, Peru\nFax: +51 1 311 3900\n"
        "Salutation: Dear President / Monsieur le Président\n"
        "Minister of Justice\nAna Sol\nMinistry of Justice, Lima, Peru\n"
        "Salutation: Dear Minister/Estimada Señora Ministra\n"
    )
    assert [t.salutation for t in found.targets] == [
        "Dear President / Monsieur le Président",
        "Dear Minister / Estimada Señora Ministra",
    ]
    assert found.targets[0].faxes == ["+5113113900"]


def test_salutation_in_parentheses_after_the_name() -> None:
    found = _targets("President Juan Soto: (Dear President)\nPalacio, Lima, Peru\n")
    assert (found.targets[0].name, found.targets[0].salutation) == ("Juan Soto", "Dear President")


def test_name_then_role_and_notes() -> None:
    found = _targets(
        "Jesús Murillo Karam\nAttorney General\nProcuraduría General de la República\n"
        "Av. Paseo de la Reforma 211, México D.F., México\n"
        "Fax: 55 5346 0908 (if a voice answers, say \"fax\")\n"
        "(Email addresses are unreliable: send appeals by fax.)\n",
        region="MX",
    )
    t = found.targets[0]
    assert (t.name, t.title, t.organisation) == (
        "Jesús Murillo Karam",
        "Attorney General",
        "Procuraduría General de la República",
    )
    assert t.faxes == ["+525553460908"]
    assert t.notes == [
        'Fax: if a voice answers, say "fax"',
        "Email addresses are unreliable: send appeals by fax.",
    ]


def test_blocks_split_at_blank_lines_without_contacts() -> None:
    found = _targets(
        "Minister of Justice\nAna Sol\nLima, Peru\n\nPresident\nJuan Soto\nLima, Peru\n"
    )
    assert [t.name for t in found.targets] == ["Ana Sol", "Juan Soto"]


# -- demands -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("letter", "asks"),
    [
        (
            "I urge you to release him immediately and unconditionally, and to ensure he is not "
            "tortured.",
            ["Release him immediately and unconditionally", "Ensure he is not tortured"],
        ),
        (
            "We call on you to quash the conviction; to order a retrial and grant bail.",
            ["Quash the conviction", "Order a retrial", "Grant bail"],
        ),
        (
            "Pending his release, I ask you to ensure that he has access to a lawyer. Thank you.",
            ["Ensure that he has access to a lawyer"],
        ),
        ("I am worried about Ana, Luis and Pedro.", []),
    ],
)
def test_letter_asks(letter: str, asks: list[str]) -> None:
    assert letter_asks(letter) == asks


# -- languages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        (
            "PLEASE WRITE IMMEDIATELY in English, Chinese or your own language:",
            ["English", "Chinese"],
        ),
        ("in Persian, English or your own language", ["Persian", "English"]),
        ("in Spanish or your own language, in your own words:", ["Spanish"]),
        ("Please write in your own language", []),
    ],
)
def test_inline_languages(text: str, languages: list[str]) -> None:
    assert inline_languages(text) == languages


def test_split_languages() -> None:
    assert split_languages("Spanish, English") == ["Spanish", "English"]
    assert split_languages("Arabic or French.") == ["Arabic", "French"]


# -- headings and text clean-up ----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("ADditional Information", "background"),
        ("BACKGROUND INFORMATION (400 WORDS + RELEVANT LINKS):", "background"),
        ("1) TAKE ACTION", "demands"),
        ("FURTHER RECOMMENDED ACTION: Please send appeals:", "demands"),
        ("1) Please write immediately in Spanish or your own language:", "demands"),
        ("TARGET'S CONTACT DETAILS & \"COPIES TO\"", "targets"),
        ("Contact these officials by 3 March 2018:", "targets"),
        ("SEND APPEALS BEFORE 25 JANUARY 2011 TO:", "targets"),
        ("And copies to:", "copies"),
        (
            "ALSO SEND COPIES TO DIPLOMATIC REPRESENTATIVES ACCREDITED TO YOUR COUNTRY",
            "copies_note",
        ),
        ("2) LET US KNOW YOU TOOK ACTION", "report_back"),
        ("Gender m/f: both", "gender_trailer"),
        ("First UA: 12/19 Index: MDE 13/0123/2019 Iran Date: 22 January 2019", "ua_line"),
        ("Lee Su-jung arrived in China from Hoeryeong on 17 October.", None),
    ],
)
def test_heading(line: str, kind: str | None) -> None:
    heading = match_heading(normalise_text(line)[0])
    assert (heading.kind if heading else None) == kind


def test_normalise_artefacts() -> None:
    text = (
        "U R G E N T   A C T I O N\n"
        " [bookmark: Text17]President   \n"
        "People’s “Republic”\u00a0of\u200b China\n"
        "n   calling on the authorities;\n"
        "v urging them;\n"
        "• ensuring;\n"
        "Page 2 of 3\n"
        "- 3 -\n"
        "Peopleâ€™s Republic\n"
        "\f\n\n\nEnd"
    )
    assert normalise_text(text) == [
        "URGENT ACTION",
        "President",
        'People\'s "Republic" of China',
        "- calling on the authorities;",
        "- urging them;",
        "- ensuring;",
        "People's Republic",
        "",
        "End",
    ]


def test_dehyphenate_keeps_hyphens_the_text_uses() -> None:
    lines = ["Lee Su-jung and torture or other ill-", "treatment; the deten-", "tion of Lee Su-",
             "jung", "other ill-treatment"]
    assert dehyphenate(lines) == [
        "Lee Su-jung and torture or other ill-treatment;",
        "the detention",
        "of Lee Su-jung",
        "",
        "other ill-treatment",
    ]


def test_reflow_joins_wrapped_lines_only() -> None:
    lines = ["aaaa bbbb cccc", "dd.", "Short line", "Fax: 123", "AAAA BBBB CCCC", "DDDD"]
    assert reflow(lines) == ["aaaa bbbb cccc dd.", "Short line", "Fax: 123", "AAAA BBBB CCCC DDDD"]
