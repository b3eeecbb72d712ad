"""Field by field, each layout family imports alike from .txt, hard-wrapped .txt, .docx, .pdf.

The fixtures in tests/fixtures/ua are invented cases written in each layout of
docs/ua-format.md §3 (A: AIUSA plain text, B: IS text, C: the two-page UA, D: AIUSA 2017-18,
E: the labelled template, F: the published UA after it) and follow-ups.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.ua_builders import build_docx, build_pdf, pdf_font, plain
from ua_bot.importer import ImportResult, import_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ua"
FORMATS = ["txt", "wrapped", "docx", "pdf"]
PDF_HEADER = "Amnesty International - Urgent Action Network"


def T(name: str, **kw: Any) -> dict[str, Any]:
    """A target as the import JSON gives it."""
    out: dict[str, Any] = {
        "name": name, "title": "", "organisation": "", "address": [], "emails": [],
        "phones": [], "faxes": [], "salutation": "", "notes": [], "handles": [],
    }  # fmt: skip
    out.update(kw)
    return out


DIPLOMATIC = (
    "The document asks for copies to the country's diplomatic representatives accredited to "
    "yours: add them by hand if you want to."
)

EXPECTED: dict[str, dict[str, Any]] = {
    "a_aiusa_1999": {
        "ua_number": "64/99",
        "title": "Fear of torture/incommunicado detention",
        "persons": ["Pavel Sinitsky"],
        "country": "Belarus",
        "summary": "Pavel Sinitsky, a journalist with an independent newspaper in Minsk, was "
        "arrested on 18 March after he covered a demonstration against the government. He is "
        "being held incommunicado and Amnesty International fears he may be tortured.",
        "demands": [
            "expressing concern at reports that Pavel Sinitsky was beaten on arrest and is held "
            "incommunicado",
            "urging that he be given immediate access to his family, a lawyer of his choice and "
            "any medical treatment he may need",
            "calling for his immediate and unconditional release if he is held solely for his "
            "peaceful work as a journalist.",
        ],
        "targets": [
            T(
                "Andrei Kovalenko",
                title="President",
                organisation="Administratsia Prezidenta",
                address=["ul. Karla Marksa 38", "220016 Minsk, Belarus"],
                faxes=["+375172260610"],
                salutation="Dear President",
                notes=["Telegrams: President Kovalenko, Minsk, Belarus"],
            ),
            T(
                "Viktor Drozdov",
                title="Minister of Internal Affairs",
                organisation="Ministerstvo Vnutrennikh Del",
                address=["ul. Gorodskoi Val 4", "220050 Minsk, Belarus"],
                faxes=["+375172223217"],
                salutation="Dear Minister",
                notes=["Telegrams: Minister of Internal Affairs, Minsk, Belarus"],
            ),
        ],
        "copies_to": [],
        "deadline": "1999-05-03",
        "additional_information": "Independent journalists in Belarus have been harassed, "
        "fined and detained for their reporting on opposition rallies.",
        "update_of": None,
        "outcome": None,
        "issue_date": "1999-03-22",
        "languages": ["English"],
        "_layout": "A",
        "_written": "UA 64/99",
        "_warnings": [DIPLOMATIC],
        "_soon": "PLEASE SEND APPEALS IMMEDIATELY.",
    },
    "b_is_2005": {
        "ua_number": "112/05",
        "title": "Fear for safety/death threats",
        "persons": ["Marta Inés Quintero", "Tomás Arango Ríos"],
        "country": "Colombia",
        "summary": "Marta Inés Quintero, a community leader in the municipality of El Carmen de "
        "Viboral, Antioquia Department, and her husband Tomás Arango Ríos have received death "
        "threats after they reported the killing of two farmers to the authorities. Amnesty "
        "International fears for their safety.",
        "demands": [
            "expressing concern for the safety of Marta Inés Quintero and Tomás Arango Ríos",
            "calling on the authorities to provide them with protection in accordance with "
            "their wishes",
            "urging the authorities to order a full and impartial investigation into the "
            "threats, to make the results public and to bring those responsible to justice.",
        ],
        "targets": [
            T(
                "Álvaro Mendoza Ruiz",
                title="President",
                organisation="Presidente de la República",
                address=["Palacio de Nariño, Carrera 8 No.7-26, Bogotá, Colombia"],
                faxes=["+57 1 566 2071"],  # no longer a valid number: kept as written
                salutation="Dear President Mendoza / Excmo. Sr. Presidente Mendoza",
            ),
            T(
                "Mario Germán Ibáñez",
                title="Attorney General",
                organisation="Fiscalía General de la Nación",
                address=["Diagonal 22B No. 52-01, Bogotá, Colombia"],
                emails=["contacto@fiscalia.example.co"],
                faxes=["+576015702022"],
                salutation="Dear Attorney General / Estimado Señor Fiscal",
            ),
        ],
        "copies_to": [
            T(
                "Comisión Intereclesial de Justicia y Paz",
                organisation="Comisión Intereclesial de Justicia y Paz",
                address=["Carrera 38 No. 10-49, Bogotá, Colombia"],
                emails=["justiciaypaz@example.org"],
            )
        ],
        "deadline": "2005-07-26",
        "additional_information": "Community leaders in Antioquia Department who report human "
        "rights violations are frequently labelled as guerrilla collaborators by the security "
        "forces and paramilitary groups, and many have been killed after such accusations."
        "\n\nParamilitary groups continue to operate in the region despite their supposed "
        "demobilization, often with the support or acquiescence of the security forces.",
        "update_of": None,
        "outcome": None,
        "issue_date": "2005-06-14",
        "languages": ["Spanish"],
        "_layout": "B",
        "_index": "AMR 23/031/2005",
        "_written": "UA 112/05",
        "_details": 2,
        "_warnings": [DIPLOMATIC],
        "_soon": "PLEASE SEND APPEALS IMMEDIATELY.",
    },
    "b_further_2008": {
        "ua_number": "78/08",
        "title": "Arbitrary detention/fear of torture: released",
        "persons": ["Wang Lihua"],
        "country": "China",
        "summary": "Wang Lihua was released on 28 April after 56 days in administrative "
        "detention. She told Amnesty International that she had not been ill-treated, but that "
        "she had been questioned every day about her contacts with foreign journalists.",
        "demands": [],
        "targets": [],
        "copies_to": [],
        "deadline": None,
        "additional_information": "",
        "update_of": "78/08",
        "outcome": "released",
        "issue_date": "2008-05-02",
        "languages": [],
        "_layout": "B",
        "_index": "ASA 17/040/2008",
        "_closing": True,
        "_missing": ["demands", "targets", "deadline"],
        "_warnings": [
            "No demands found: the update keeps the original's.",
            "No deadline date found.",
            "This is a closing update: no further action is requested.",
        ],
    },
    "c_is_2013": {
        "ua_number": "123/13",
        "title": "INDIGENOUS LEADER THREATENED AFTER PROTEST",
        "persons": ["Rosa Elvira Tzul"],
        "country": "Mexico",
        "summary": "Indigenous rights defender Rosa Elvira Tzul has received death threats after "
        "leading a protest against a mining project in the state of Guerrero, southern Mexico. "
        "She and her family are in danger.",
        "demands": [
            "Calling on the authorities to provide effective protection to Rosa Elvira Tzul and "
            "her family, in accordance with their wishes",
            "Urging them to open a prompt and impartial investigation into the threats against "
            "her and bring those responsible to justice",
            "Reminding them that human rights defenders have the right to carry out their work "
            "without fear of reprisals, as set out in the UN Declaration on Human Rights "
            "Defenders.",
        ],
        "targets": [
            T(
                "Ernesto Salgado Vega",
                title="Governor of Guerrero",
                organisation="Palacio de Gobierno",
                address=[
                    "Edificio Centro, 1er piso",
                    "Blvd. René Juárez Cisneros 62",
                    "Chilpancingo, Guerrero, C.P. 39075, México",
                ],
                emails=["gobernador@guerrero.example.mx"],
                faxes=["+527474719956"],
                salutation="Dear Governor / Estimado Sr. Gobernador",
            ),
            T(
                "Andrés Ochoa Treviño",
                title="Federal Secretary of the Interior",
                organisation="Secretaría de Gobernación",
                address=["Abraham González 48, Col. Juárez", "México D.F., C.P. 06600, México"],
                emails=["secretario@segob.example.mx"],
                faxes=["+525550933414"],
                handles=["@SEGOB_mx"],
                salutation="Dear Secretary / Estimado Sr. Secretario",
            ),
        ],
        "copies_to": [
            T(
                "Centro de Derechos Humanos de la Montaña Tlachinollan",
                organisation="Centro de Derechos Humanos de la Montaña Tlachinollan",
                address=[
                    "Calle Mina 77, Barrio de San Antonio",
                    "Tlapa de Comonfort, Guerrero, México",
                ],
                emails=["tlachinollan@example.org"],
            )
        ],
        "deadline": "2013-06-14",
        "additional_information": "Indigenous communities in the Montaña region of Guerrero "
        "have opposed mining concessions granted on their land without their free, prior and "
        "informed consent.\n\nHuman rights defenders in Guerrero have been threatened, attacked "
        "and killed in recent years, and those responsible are rarely brought to justice.",
        "update_of": None,
        "outcome": None,
        "issue_date": "2013-05-03",
        "languages": ["Spanish"],
        "_layout": "C",
        "_index": "AMR 41/029/2013",
        "_details": 2,
        "_warnings": [DIPLOMATIC],
    },
    "c_further_2013": {
        "ua_number": "93/13",
        "title": "ACTIVIST SENTENCED TO SIX YEARS IN PRISON",
        "persons": ["Julio César Mena"],
        "country": "El Salvador",
        "summary": 'Community activist Julio César Mena was sentenced to six years in prison on 8 '
        'May for "public disorder" after a trial that did not meet international fair trial '
        "standards. He is a prisoner of conscience.",
        "demands": [
            "Calling on the authorities to release Julio César Mena immediately and "
            "unconditionally, as he is a prisoner of conscience",
            "Urging them to ensure that he has access to his family and lawyer while he remains "
            "in detention.",
        ],
        "targets": [
            T(
                "Carlos Ernesto Duarte",
                title="President of the Republic",
                organisation="Casa Presidencial",
                address=["Alameda Dr. Manuel Enrique Araujo No. 5500", "San Salvador, El Salvador"],
                faxes=["+50322489000"],
                handles=["@presidencia_sv"],
                salutation="Dear President / Estimado Sr. Presidente",
            ),
            T(
                "Luis Martínez Orellana",
                title="Attorney General",
                organisation="Fiscalía General de la República",
                address=[
                    "15 Calle Poniente No. 4223, Colonia Escalón",
                    "San Salvador, El Salvador",
                ],
                emails=["fiscal@fgr.example.sv"],
                phones=["+50322815580", "+50322815581"],  # a local and an international number
                salutation="Dear Attorney General / Estimado Sr. Fiscal",
            ),
        ],
        "copies_to": [],
        "deadline": "2013-06-20",
        "additional_information": "Protests against the privatization of water services have "
        "been met with arrests in several towns since March 2013.",
        "update_of": "93/13",
        "outcome": "sentenced",
        "issue_date": "2013-05-10",
        "languages": ["Spanish", "English"],
        "_layout": "C",
        "_index": "AMR 29/006/2013",
        "_warnings": [],
    },
    "c_lowercase_2014": {
        # written after the parser, as a check: lower-case deadline heading without "TO",
        # a Twitter handle over 15 characters, no person named in the summary
        "ua_number": "77/14",
        "title": "PROTESTERS FACE TRIAL FOR GEZI PARK PROTESTS",
        "persons": [],
        "country": "Turkey",
        "summary": "Twenty-six people, including members of Taksim Solidarity, face up to 29 years "
        'in prison on charges that include "founding a criminal organization" for their role in '
        "the 2013 Gezi Park protests. Their trial opens on 12 June.",
        "demands": [
            "Calling on the authorities to drop the charges against the members of Taksim "
            "Solidarity, as they relate solely to the peaceful exercise of their rights",
            "Urging them to respect the right to freedom of peaceful assembly.",
        ],
        "targets": [
            T(
                "Bekir Yılmaz",
                title="Minister of Justice",
                organisation="Adalet Bakanlığı",
                address=["06659 Kızılay, Ankara, Turkey"],
                emails=["bakan@adalet.example.tr"],
                faxes=["+903124193370"],
                handles=["@adalet_bakanligi"],
                salutation="Dear Minister",
            ),
            T(
                "Ahmet Demir",
                title="Chief Public Prosecutor of Istanbul",
                organisation="Istanbul Cumhuriyet Başsavcılığı",
                address=["Çağlayan, Istanbul, Turkey"],
                faxes=["+902123757000"],
                salutation="Dear Chief Public Prosecutor",
            ),
        ],
        "copies_to": [
            T(
                "Mevlüt Kaya",
                title="Minister of Foreign Affairs",
                organisation="Ministry of Foreign Affairs",
                address=["Ankara, Turkey"],
                emails=["info@mfa.example.tr"],
            )
        ],
        "deadline": "2014-05-20",
        "additional_information": "",
        "update_of": None,
        "outcome": None,
        "issue_date": "2014-04-02",
        "languages": ["Turkish", "English"],
        "_layout": "C",
        "_index": "EUR 44/012/2014",
        "_details": 1,
        "_missing": ["persons"],
        "_warnings": [DIPLOMATIC],
    },
    "d_aiusa_2018": {
        "ua_number": "41/18",
        "title": "HUMAN RIGHTS LAWYER FACES UNFAIR TRIAL",
        "persons": ["Nasser Fahmy"],
        "country": "Egypt",
        "summary": 'Human rights lawyer Nasser Fahmy (aged 41) is due to stand trial on 14 March '
        'on charges of "spreading false news" for his work defending protesters in Cairo. If '
        "convicted, he faces up to five years in prison.",
        "demands": [
            "Drop all charges against Nasser Fahmy and release him immediately and "
            "unconditionally",
            "Ensure that, pending his release, he has regular access to his family and lawyers "
            "of his choosing",
            "Stop the harassment of lawyers who defend protesters and human rights defenders.",
        ],
        "targets": [
            T(
                "Tarek Hamdy",
                title="Public Prosecutor",
                organisation="Office of the Public Prosecutor",
                address=["Supreme Court House, 1 26 July Street", "Cairo, Egypt"],
                faxes=["+20225774716"],
                handles=["@EgyPPO"],
                salutation="Dear Counsellor",
            )
        ],
        "copies_to": [
            T(
                "Yasser Hassan",
                title="Ambassador",
                organisation="Embassy of the Arab Republic of Egypt",
                address=["3521 International Court NW, Washington DC 20008"],
                emails=["embassy@egyptembassy.example.org"],
                phones=["+12028955400"],  # US numbers, read with the address's country
                faxes=["+12022445131"],
                salutation="Dear Ambassador",
            )
        ],
        "deadline": "2018-03-03",
        "additional_information": "Since 2016 the Egyptian authorities have arrested dozens of "
        "lawyers who represent protesters and victims of enforced disappearance.\n\nLawyers "
        'are often charged under broadly worded laws on terrorism and "false news".',
        "update_of": None,
        "outcome": None,
        "issue_date": None,
        "languages": [],
        "_layout": "D",
        "_written": "Urgent Action 41.18",
        "_details": 2,
        "_warnings": [],
    },
    "d_web_2016": {
        # written after the parser, as a check: the AIUSA web page of 2016 (docs/ua-format.md §3 D)
        "ua_number": "88/16",
        "title": "Indigenous leader threatened",
        "persons": ["Valdelice Veron"],
        "country": "Brazil",
        "summary": "Indigenous leader Valdelice Veron has been threatened by gunmen who attacked "
        "her community's camp in Mato Grosso do Sul state on 14 June. She fears for her life and "
        "those of her relatives.",
        "demands": [
            "Urging the authorities to guarantee the safety of Valdelice Veron and the "
            "Guarani-Kaiowá community of Taquara",
            "Calling for a full investigation into the attack of 14 June.",
        ],
        "targets": [
            T(
                "Alexandre de Souza Lima",
                title="Minister of Justice",
                address=["Esplanada dos Ministérios, Bloco T", "70.712-902 Brasília/DF, Brazil"],
                emails=["gabinetedoministro@mj.example.br"],
                faxes=["+556120257803"],
                salutation="Dear Minister / Exmo. Sr. Ministro",
            )
        ],
        "copies_to": [],
        "deadline": "2016-07-28",
        "additional_information": "",
        "update_of": None,
        "outcome": None,
        "issue_date": None,
        "languages": ["Portuguese"],
        "_layout": "D",
        "_written": "UA 88/16",
        "_warnings": [],
    },
    "e_template_2017": {
        "ua_number": "41/16",
        "title": "Honduras: Student leaders charged for protesting",  # the label keeps its country
        "persons": ["Ana Lucía Mejía", "Carlos Ferrera", "Denis Ortega"],
        "country": "Honduras",
        "summary": "Ana Lucía Mejía, Carlos Ferrera and Denis Ortega, student leaders at the "
        'National Autonomous University of Honduras, were charged with "usurpation" on 28 June '
        "for taking part in a peaceful occupation of the campus. They face up to six years in "
        "prison if convicted.",
        "demands": [
            "Drop the charges against Ana Lucía Mejía, Carlos Ferrera and Denis Ortega",
            "Ensure that students can exercise their right to peaceful protest without fear of "
            "reprisals",
            "Investigate the excessive use of force by the police during the protest of 12 June",
        ],
        "targets": [
            T(
                "Rodrigo Alvarado Paz",
                title="Attorney General",
                organisation="Ministerio Público",
                address=[
                    "Lomas del Guijarro, Avenida República Dominicana",
                    "Tegucigalpa, Honduras",
                ],
                emails=["fiscalgeneral@mp.example.hn"],
                phones=["+50422213099"],
                handles=["@MP_Honduras"],
                salutation="Dear Attorney General / Estimado Sr. Fiscal General",
            )
        ],
        "copies_to": [
            T(
                "Karla Cueva Mejía",
                title="Minister for Human Rights",
                organisation="Secretaría de Derechos Humanos",
                address=["Colonia Palmira", "Tegucigalpa, Honduras"],
                emails=["ministra@sedh.example.hn"],
            )
        ],
        "deadline": "2017-08-16",
        "additional_information": "Students at the National Autonomous University of Honduras "
        "have protested since May 2017 against the expulsion of student representatives and "
        "changes to the university's statutes.\n\nMore than 20 students have been charged in "
        "connection with the protests. Amnesty International has documented the excessive use "
        "of force by the police in several of them.",
        "update_of": "41/16",
        "outcome": "charged",
        "issue_date": "2017-07-05",
        "languages": ["Spanish"],
        "_layout": "E",
        "_index": "AMR 37/6674/2017",
        "_written": "THIRD UA 41/16",
        "_letter": ("Dear Attorney General,", "Yours sincerely,\n[Your name]"),
        "_link": "https://www.amnesty.org/en/documents/amr37/5958/2017/en/",
        "_warnings": [DIPLOMATIC],
    },
    "f_is_2019": {
        "ua_number": "12/19",
        "title": "JOURNALIST DETAINED FOR REPORTING ON PROTESTS",
        "persons": ["Kamran Rostami"],
        "country": "Iran",
        "summary": "Journalist Kamran Rostami was arrested at his home in Tehran on 6 January and "
        "is held in Evin prison without access to a lawyer. He is a prisoner of conscience, "
        "detained solely for his peaceful work as a journalist.",
        "demands": [
            "Release Kamran Rostami immediately and unconditionally, as he is detained solely for "
            "his peaceful work as a journalist",
            "Ensure that he has regular access to his family and a lawyer of his choosing",
            "Protect him from torture and other ill-treatment",
        ],
        "targets": [
            T(
                "Hossein Karimi-Nejad",
                title="Head of the Judiciary",
                organisation="c/o Permanent Mission of Iran to the UN",
                address=["Chemin du Petit-Saconnex 28", "1209 Geneva, Switzerland"],
                emails=["info@iranmission.example.ch"],
                phones=["+41223322100"],  # "022 332 2100" read as a Swiss number
                handles=["@judiciary_ir"],
                salutation="Dear Mr Karimi-Nejad",  # from the model letter's opening
            )
        ],
        "copies_to": [],
        "deadline": "2019-03-03",
        "additional_information": "Kamran Rostami has reported on economic protests in several "
        "Iranian cities since December 2017. He was questioned by the Ministry of Intelligence "
        "in 2018 and warned to stop his work.\n\nDozens of journalists and media workers have "
        "been arrested in Iran since the protests began.",
        "update_of": None,
        "outcome": None,
        "issue_date": "2019-01-22",
        "languages": ["Persian", "English"],
        "_layout": "F",
        "_index": "MDE 13/0123/2019",
        "_letter": ("Dear Mr Karimi-Nejad,", "Yours sincerely,"),
        "_link": "https://www.amnesty.org/en/documents/mde13/9001/2018/en/",
        "_warnings": [],
    },
}


def hard_wrapped(text: str, width: int = 72) -> str:
    """The text as old e-mail sent it: prose wrapped at ``width``, a blank line after each
    paragraph; short lines (headings, addresses) as they were."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) > width and line.rstrip().endswith((".", "!", "?", ";")):
            out += [*textwrap.wrap(line, width), ""]
        else:
            out.append(line)
    return "\n".join(out)


_cache: dict[tuple[str, str], ImportResult] = {}


def imported(name: str, fmt: str) -> ImportResult:
    key = (name, fmt)
    if key not in _cache:
        raw = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
        if fmt == "txt":
            _cache[key] = import_bytes(plain(raw).encode(), f"{name}.txt")
        elif fmt == "wrapped":  # old text: in Windows-1252 when it can be
            text = hard_wrapped(plain(raw))
            try:
                data = text.encode("cp1252")
            except UnicodeEncodeError:
                data = text.encode("utf-8")
            _cache[key] = import_bytes(data, f"{name}.txt")
        elif fmt == "docx":
            _cache[key] = import_bytes(build_docx(raw), f"{name}.docx")
        else:
            if pdf_font(raw) is None:
                pytest.skip("no installed font shows this fixture's characters")
            built = build_pdf(raw, footer=f"Urgent Action - {name}")
            assert built.pages >= 2 or len(raw) < 2000
            _cache[key] = import_bytes(built.data, f"{name}.pdf")
    return _cache[key]


JSON_FIELDS = [
    "ua_number", "title", "persons", "country", "summary", "demands", "targets", "copies_to",
    "deadline", "additional_information", "update_of", "outcome", "issue_date", "languages",
]  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("field", JSON_FIELDS)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_field(name: str, field: str, fmt: str) -> None:
    assert imported(name, fmt).to_json()[field] == EXPECTED[name][field]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_importer_fields(name: str, fmt: str) -> None:
    r, want = imported(name, fmt), EXPECTED[name]
    assert r.case is not None and r.report.ok
    assert r.layout == want["_layout"]
    assert r.index_number == want.get("_index", "")
    if "_written" in want:
        assert r.case.ua_written == want["_written"]
    assert r.closing is want.get("_closing", False)
    assert r.previous_ua_link == want.get("_link", "")
    assert r.deadline_wording.startswith(want.get("_soon", ""))
    if "_details" in want:
        assert len(r.details) == want["_details"]
    letter = want.get("_letter")
    if letter:
        assert r.case.letter.startswith(letter[0]) and r.case.letter.endswith(letter[1])
    else:
        assert r.case.letter == ""


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_report(name: str, fmt: str) -> None:
    r, want = imported(name, fmt), EXPECTED[name]
    assert r.report.missing == want.get("_missing", [])
    assert r.report.warnings == want["_warnings"]
    if fmt == "pdf":  # the running header (kept once); a one-page PDF's footer too
        assert r.report.unused_lines[0] == PDF_HEADER
        assert set(r.report.unused_lines[1:]) <= {f"Urgent Action - {name}"}
    else:
        assert r.report.unused_lines == []
    case = r.case
    assert case is not None
    assert [t.is_copy for t in case.targets] == [False] * len(want["targets"]) + [True] * len(
        want["copies_to"]
    )


# Other fonts (measured, not Helvetica's widths), sizes and pages: the PDF reader must find
# the same paragraphs and lines in each.
PDF_VARIANTS = [
    ("Times-Roman", 9, (595, 842)),
    ("DejaVuSerif", 13, (420, 595)),
    ("Courier", 11, (595, 842)),
    ("DejaVuSans", 11, (420, 595)),
]


@pytest.mark.parametrize(("font", "size", "page"), PDF_VARIANTS)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_pdf_in_other_fonts(name: str, font: str, size: int, page: tuple[int, int]) -> None:
    raw = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    if pdf_font(raw, font) is None:
        pytest.skip(f"{font} is not installed")
    built = build_pdf(raw, font=font, font_size=size, page_size=page)
    got = import_bytes(built.data, f"{name}.pdf").to_json()
    want = imported(name, "txt").to_json()
    assert {k: v for k, v in got.items() if k != "report"} == {
        k: v for k, v in want.items() if k != "report"
    }


def test_docx_table_fixture_has_a_two_column_table() -> None:
    import io

    from docx import Document

    doc = Document(io.BytesIO(build_docx((FIXTURES / "c_is_2013.txt").read_text())))
    assert len(doc.tables) == 1 and len(doc.tables[0].columns) == 2
    assert doc.tables[0].cell(0, 1).paragraphs[0].text == "Federal Secretary of the Interior"


def test_pdf_fixtures_are_multi_page_and_hyphenated() -> None:
    texts = [(FIXTURES / f"{n}.txt").read_text(encoding="utf-8") for n in EXPECTED]
    built = [build_pdf(t) for t in texts if pdf_font(t) is not None]
    assert sum(b.pages >= 2 for b in built) >= 8
    assert sum(len(b.hyphenated) for b in built) >= 8
