"""Target blocks: who to write to, how, and with which salutation (docs/ua-format.md §6).

A block is a run of text lines (role, name, organisation, address) followed by contact lines,
practical notes and a salutation. A text line after a contact, note or salutation starts the
next block; so does a text line after a blank line.

Salutations are matched to blocks in three steps: a single ``Salutation:`` line after a block
is that block's; a run of several (the columns of a two-column Word table, exported one
after the other) is matched by role word ("Dear President" to the block titled President),
and what remains goes in reverse order (the sample's layout) when the run follows all the
blocks, else in document order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ua_bot.importer.contacts import Contacts, is_contact_line, parse_contact_line
from ua_bot.importer.countries import countries_in, country_of_address, region_for
from ua_bot.model import Target

_SALUTATION_LABEL = re.compile(r"^salutations?\s*:?\s*(?P<s>.+)$", re.IGNORECASE)
_SALUTATION_BARE = re.compile(
    r"^\(?(?P<s>dear\b[^()]{0,100}?|(?:estimad[oa]s?|excelent[íi]sim[oa]|monsieur|madame|"
    r"your (?:excellency|majesty|highness)|sehr geehrte[rs]?)\b[^()]{0,100}?[,:])\)?,?$",
    re.IGNORECASE,
)
_SALUTATION_TAIL = re.compile(
    r"^(?P<text>.*?)[\s:]*\((?P<s>(?:dear|your (?:excellency|majesty|highness)|excelencia|"
    r"estimad[oa]|excm[oa]|sr|sra|señora?|monsieur|madame)\b[^)]*|[^()]*\bdear\b[^()]*|"
    r"[^()]*/\s*your\s+(?:excellency|majesty|highness|honou?r)\b[^()]*)\)\s*$",
    re.IGNORECASE,
)  # "(Dear President)", "(Excmo. Sr. Presidente/Dear President)"
# family A: "Minister of the Interior X Y: (<any language> / Mr Minister)": after the name and
# its colon, whatever stands in brackets is the salutation
_SALUTATION_AFTER_COLON = re.compile(r"^(?P<text>[^()]{4,}?):\s*\((?P<s>[^()]{2,80})\)\s*$")
_NOTE = re.compile(r"^\((?P<n>.*)\)$|^(?P<m>(?:please|note|if |n\.?b\.?\b|when |do not ).{15,})$",
                   re.IGNORECASE)

_HONORIFIC = (
    r"(?:(?:m|ing|hon|gen|col|rt\.?\s?hon)\.|(?:mr|mrs|ms|miss|mx|dr|prof|sr|sra|srta|lic|"
    r"licenciad[oa]|excm[oa]|dñ?a|doña|mme|herr|frau|sheikh|shaikh|señor|señora|senor|senora|"
    r"counsell?or|his excellency|her excellency|the honou?rable|h\.\s?e|madame|monsieur|"
    r"magistrad[oa]|king|sir|dame|professor|the\s+rt\.?\s+hon|the\s+right\s+honou?rable)\.?)"
)
_ROLE = (
    r"(?:(?:vice|deputy|acting|interim|first|chief|federal|state|regional|provincial|general|"
    r"public)\s+)*"
    r"(?:president(?:e|a)?|présidente?|prime minister|premier|minist(?:er|ra|ro|re)|secretary"
    r"(?:[- ]general)?|secretari[oa]|attorney[- ]general|prosecutor(?:[- ]general)?|procurador[a]?"
    r"|fiscal|governor|gobernador[a]?|gouverneur|mayor|alcalde(?:sa)?|ambassador|embajador[a]?|"
    r"ambassadeur|chargé d'affaires|high commissioner|commissioner|comisionad[oa]|"
    r"administrat(?:or|eur|rice)(?:[- ]g[ée]n[ée]ral[e]?)?|directeur|directrice|procureur|"
    r"director(?:[- ]general)?|directora|head|chief justice|chief of police|chief executive|"
    r"chairman|chairperson|chairwoman|chair|speaker|judge|juez|justice|king|queen|emir|amir|"
    r"sultan|crown prince|supreme leader|leader|commander|ombuds(?:man|person)|"
    r"defensor[a]?(?: del pueblo)?|public defender|chancellor|spokesperson|warden|"
    r"superintendent|inspector[- ]general|governor[- ]general|his majesty|her majesty|"
    r"his highness|senator|member of parliament|police chief|heads? of (?:state|government)|"
    r"(?:special\s+|high\s+)?representative)"
)
_PORTFOLIO = (
    r"(?:the|and|&|y|et|of|for|de|del|la|du|des|on|"
    r"justice|interior|foreign|affairs|home|defen[cs]e|public|security|state|human|rights|"
    r"health|education|labou?r|internal|national|republic|government|police|prisons?|finance|"
    r"women|social|development|culture|information|communications?|immigration|migration|"
    r"law|legal|parliamentary|presidential|administration|region|province|council|"
    r"relations|exteriores|justicia|gobernación|gobierno|seguridad|pública|interior|"
    r"derechos|humanos|la república|republica|república|nación|nacion|estado|"
    r"intérieur|justice|étrangères|affaires|ministers|cabinet|office|peace|reconciliation|"
    r"judiciary|nation|nación|islamic|religious|endowments|awqaf)"
)
ROLE_LINE = re.compile(
    rf"^(?P<role>{_ROLE}(?:\s+{_PORTFOLIO}\b)*)(?:[\s,]+(?P<rest>.*))?$", re.IGNORECASE
)
_ORG = re.compile(
    r"\b(?:office|offices|ministry|ministerio|ministère|ministério|embassy|embajada|ambassade|"
    r"consulate|mission|council|department|departamento|court|tribunal|commission|comisi[oó]n|"
    r"secretariat|secretar[ií]a|presidency|presidencia|présidence|palace|palacio|palais|"
    r"government|gobierno|gouvernement|parliament|assembly|asamblea|congress|congreso|senate|"
    r"prison|penitentiary|police|polic[ií]a|procuradur[ií]a|fiscal[ií]a|directorate|bureau|"
    r"agency|agence|agencia|agência|authority|administration|state house|cabinet|kremlin|board|"
    r"royal court|diwan|"
    r"chancellery|cancillería|headquarters|defensor[ií]a|institute|instituto|service|servicio|"
    r"general office|organi[sz]ation|association|federation|union|foundation|committee|"
    r"comité|centre|center|centro|ngo)\b",
    re.IGNORECASE,
)
_PARTICLES = {"al", "bin", "bint", "ibn", "de", "del", "da", "dos", "das", "do", "van", "von",
              "der", "la", "le", "el", "y", "e", "di", "du", "abu", "ben", "ould"}
_NAME_TOKEN = re.compile(
    r"^(?:(?:al|el|ad|an|ar|as|ash|at|az|bin|ibn|abu|de|di|da|van|von)-)?[‘’']?"
    r"[A-ZÀ-ÖØ-Þ][\w'’.-]*$"
)  # "al-Sisi", "‘Issa" too
_SALUTATION_STOP = {"dear", "mr", "mrs", "ms", "madam", "madame", "sir", "your", "excellency",
                    "honourable", "honorable", "the", "my", "señor", "estimado", "estimada", "sr",
                    "sra", "monsieur", "le", "la"}


@dataclass
class Block:
    text: list[tuple[int, str]] = field(default_factory=list)
    contacts: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    salutation: str = ""
    salutation_at: int | None = None
    closed: bool = False  # a salutation line ended the block
    joined: bool = False  # its first line was joined to the salutation before it
    used_more: list[int] = field(default_factory=list)  # contact lines' wrapped parts


@dataclass
class TargetsFound:
    targets: list[Target] = field(default_factory=list)
    used: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # (target, what was guessed) for the report's check lines
    doubts: list[tuple[Target, str]] = field(default_factory=list)
    lines: dict[int, list[int]] = field(default_factory=dict)  # id(target) -> its lines


def salutation_of(line: str) -> str | None:
    """The salutation a line gives (``Salutation: Dear President``, ``Dear Minister,``)."""
    m = _SALUTATION_LABEL.match(line) or _SALUTATION_BARE.match(line)
    if not m:
        return None
    text = m.group("s").strip().rstrip(",").strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    text = re.sub(r"\s*/\s*", " / ", text)
    return text or None


_SALUTATION_HEAD = re.compile(
    r"^(?:dear\s+\S.*|your\s+(?:excellency|majesty|highness|honou?r))$", re.IGNORECASE
)


def _salutation_then_role(text: str) -> tuple[str, list[str]]:
    """A salutation joined to the next official's lines (a narrow column reflowed): "Your
    Excellency Minister of Interior" -> ("Your Excellency", ["Minister of Interior"]); with a
    name and office after the role, they follow as a line of their own."""
    words = text.split()
    for k in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:k]), " ".join(words[k:])
        if words[k - 1].lower() in _PARTICLES or not _SALUTATION_HEAD.match(head):
            continue
        if len(words) - k < 2 or head.endswith((".", "/")) or "/" in tail:
            continue
        addressed = head.split(maxsplit=1)[1]  # "Director General" in "Dear Director General"
        complete = ROLE_LINE.match(addressed)
        if head.lower().startswith("dear") and not (
            addressed.lower() in ("sir", "madam", "sir or madam")
            or (complete and not complete.group("rest"))
        ):
            continue  # "Dear Chief" + "Public Prosecutor" is one salutation
        m = ROLE_LINE.match(tail)
        if not m or not tail[:1].isupper() or words[k].lower() == "general":
            continue
        if not m.group("rest"):
            return head, [tail]
        role, rest = _role_and_rest(tail)
        if rest[:1].isupper() and is_name(" ".join(rest.split(",")[0].split()[:2])):
            return head, [role, rest]
    return text, []


def _note_of(line: str) -> str | None:
    m = _NOTE.match(line)
    if not m:
        return None
    return (m.group("n") or m.group("m") or "").strip()


def is_name(text: str) -> bool:
    """A person's name: capitalised words (particles allowed), no role, office or digits."""
    text = strip_honorific(text)
    words = text.split()
    if not 1 <= len(words) <= 7 or re.search(r"\d", text) or _ORG.search(text):
        return False
    if ROLE_LINE.match(text) or region_for(text):
        return False
    capitals = [w for w in words if w.lower() not in _PARTICLES]
    return len(capitals) >= 1 and all(_NAME_TOKEN.match(w) for w in capitals) and (
        len(words) >= 2 or text.isupper()
    )


def strip_honorific(text: str) -> str:
    return re.sub(rf"^(?:{_HONORIFIC}\s+)+", "", text.strip(), flags=re.IGNORECASE).strip()


def _is_org(text: str) -> bool:
    return bool(_ORG.search(text)) and not re.match(r"^\d", text) and not _street(text)


def _street(text: str) -> bool:
    return bool(
        re.search(
            r"\b(?:street|st\.|road|rd\.?|avenue|ave\.?|av\.|avenida|calle|carrera|rue|boulevard|"
            r"blvd|lane|p\.?\s?o\.?\s?box|apartado|casilla|piso|col\.|colonia|c\.p\.|cedex|"
            r"strasse|straße|rua|praça|esplanada|bloco|quadra|travessa|paseo|plaza|caddesi|"
            r"cad\.|sokak|sok\.|mahallesi|ulitsa|ul\.|prospekt|pr\.)(?!\w)",
            text,
            re.IGNORECASE,
        )
    )


def _role_and_rest(text: str) -> tuple[str, str]:
    """Split a leading role: "Ambassador Cui Tiankai" -> ("Ambassador", "Cui Tiankai")."""
    m = ROLE_LINE.match(text)
    if not m:
        return "", text
    role, rest = m.group("role").strip(), (m.group("rest") or "").strip()
    while role.split()[-1].lower() in ("of", "the", "for", "and", "de", "del", "la", "y", "&"):
        last = role.split()[-1]
        role = role[: -len(last)].strip()
        rest = f"{last} {rest}".strip()
    return role, rest


def _person(text: str) -> str:
    """The name in a name line, which may repeat the role ("Señor Presidente Álvaro Mendoza")."""
    bare = strip_honorific(text)
    if is_name(bare):
        return bare
    role, rest = _role_and_rest(bare)
    rest = strip_honorific(rest)
    return rest if role and rest and is_name(rest) else ""


def _place_then_name(role: str, rest: str) -> tuple[str, str]:
    """A role ending in a place before the name: "Minister of the Interior of" + "Republika
    Srpska Dragan Vukašinović" -> the place goes to the role, the last two words are the
    name (a guess: the report asks to check it)."""
    words = rest.split()
    if not words or words[0].lower() not in ("of", "for") or len(words) < 4:
        return role, rest
    place = words[1:-2]
    if not place or len(place) > 2 or not is_name(" ".join(words[-2:])):
        return role, rest
    return f"{role} {' '.join(words[: len(place) + 1])}", " ".join(words[-2:])


def _parts(line: str) -> list[str]:
    return [p.strip() for p in line.split(",") if p.strip()]


def _office_line(head: str, *, after_person: bool) -> bool:
    """Whether the line after the role and name is the office, not the first address line:
    it names an office ("Secretaría de Gobernación", "Presidente de la República"), or it
    follows a name and has no number, street word or country ("Administratsia Prezidenta")."""
    if _is_org(head) or (_role_and_rest(head)[0] and not region_for(head)):
        return True
    plain = not re.search(r"\d", head) and not _street(head) and not countries_in(head)
    return after_person and plain


def fill_target(lines: list[str], doubts: list[str] | None = None) -> Target:
    """Role, name, organisation and address from a block's text lines.

    Shapes: "President" / "Xi Jinping" / office / address; "Ambassador Cui Tiankai, Embassy
    of ..." / address; "Jesús Pérez" / "Attorney General" / ...; an office with no name.
    """
    raw = [part for line in lines if line.strip() for part in _name_then_office(line.strip())]
    if doubts is not None and len(raw) > len([line for line in lines if line.strip()]):
        doubts.append(f"a line was split between the name and what follows ({raw[0]!r})")
    lines = [line.rstrip(",;:").strip() for line in raw]
    t = Target(name="")
    k = 0

    def take_parts(parts: list[str]) -> None:
        if parts and not t.organisation and _is_org(parts[0]):
            t.organisation = parts.pop(0)
        if parts:
            t.address.append(", ".join(parts))

    if lines:
        parts = _parts(lines[0]) or [lines[0]]
        role, rest = _role_and_rest(parts[0])
        alone = len(lines) == 1 or not _person((_parts(lines[1]) or [""])[0])
        if role and rest and not is_name(rest) and alone:
            role, rest = _place_then_name(role, rest)
            if is_name(rest) and doubts is not None:
                doubts.append(f"role and name split by a guess ({role!r} / {rest!r})")
        if role and rest and is_name(rest):  # "Ambassador Cui Tiankai, Embassy of ..."
            t.title, t.name, k = role, strip_honorific(rest), 1
            take_parts(parts[1:])
        elif role and len(parts) == 1:  # "President", "Governor of Guerrero"
            t.title, k = lines[0], 1
            person = _person((_parts(lines[1]) or [""])[0]) if len(lines) > 1 else ""
            if person:
                t.name, k = person, 2
                take_parts(_parts(lines[1])[1:])
        elif is_name(parts[0]):  # "Jesús Pérez" (then perhaps "Attorney General")
            t.name, k = strip_honorific(parts[0]), 1
            take_parts(parts[1:])
            nxt = lines[1] if len(lines) > 1 else ""
            if nxt and _role_and_rest(nxt) == (nxt, "") and not _is_org(nxt):
                t.title, k = nxt, 2
        elif _is_org(lines[0]):  # an office with no one named
            t.organisation, k = lines[0], 1
    if not t.name:
        found = _role_lines_then_name(raw, t)
        k = found or k
        if t.name and doubts is not None and found != 2:  # 2: a role line, then the name's
            how = "joined to the end of the role line" if found == 1 else "after a role on 2 lines"
            doubts.append(f"name read {how} ({t.title!r} / {t.name!r})")
        if t.name and t.organisation == lines[0]:  # the line was the role, not an office
            t.organisation = ""
    if k < len(lines) and not t.organisation and not t.address:
        head = _parts(lines[k])[0] if _parts(lines[k]) else lines[k]
        if _office_line(head, after_person=bool(t.name or t.title) and k < len(lines) - 1):
            t.organisation = head
            rest = lines[k][len(head) :].strip(" ,")
            t.address += [rest] if rest else []
            k += 1
    t.address += lines[k:]
    t.name = t.name or t.title or t.organisation or (t.address[0] if t.address else "")
    return t


def _name_then_office(line: str) -> list[str]:
    """A name line joined to the office line after it (a narrow PDF column reflowed):
    "Chaudhry Nisar Ali Khan Ministry of Interior, R Block" -> the name, then the office."""
    head = line.split(",")[0]
    m = _ORG.search(head)
    if not m or m.start() == 0 or is_name(head):
        return _name_then_street(line)
    name, office = line[: m.start()].strip(), line[m.start() :].strip()
    article = name.split()[0].lower() in ("the", "el", "la", "le", "les", "los", "las", "al")
    if office[:1].isupper() and is_name(name) and len(name.split()) >= 2 and not article:
        return [name, office]
    return [line]


_PORTFOLIO_WORD = re.compile(rf"^{_PORTFOLIO}$", re.IGNORECASE)


def _role_then_trailing_name(line: str) -> tuple[str, str]:
    """A role (or office) line with the name joined on at its end, or ("", "")."""
    words = line.rstrip(",;").split()
    for n in (4, 3, 2):
        if len(words) <= n + 1:
            continue
        name, role = " ".join(words[-n:]), " ".join(words[:-n])
        if not _PORTFOLIO_WORD.match(words[-n - 1].rstrip(",")) or role.endswith(","):
            continue  # the name follows a portfolio: "... Ministry of Internal Affairs X Y"
        if _PORTFOLIO_WORD.match(words[-n]) or not is_name(name):
            continue
        if strip_honorific(name) != name:
            continue
        if ROLE_LINE.match(role) and not re.search(r"\d", line):
            return role, name
    return "", ""


_STREET_AFTER = re.compile(
    r"^(?:st\.?|street|road|rd\.?|avenue|ave\.?|lane|boulevard|blvd\.?)$", re.IGNORECASE
)
_STREET_BEFORE = re.compile(
    r"^(?:calle|avenida|av\.|rua|rue|ul\.|ulitsa|carrera|via|viale|plaza|praça|p\.?o\.?)$", re.I
)


def _name_then_street(line: str) -> list[str]:
    """A name line joined to the street line after it: "Aliaksandr Kaniuk Internatsionalnaya
    St. 22" -> the name, then the street (a street word goes after its name in English,
    before it in Spanish or Russian)."""
    words = line.split(",")[0].split()
    for k, word in enumerate(words):
        start = k - 1 if _STREET_AFTER.match(word) else k if _STREET_BEFORE.match(word) else -1
        if 2 <= start <= 4 and is_name(" ".join(words[:start])):
            name = " ".join(words[:start])
            return [name, line[len(name) :].strip()]
    return [line]


def _role_like(line: str) -> bool:
    """A line that can be (part of) a role: no digits or street, not a name, not an office
    (unless a role leads it: "Director of the Department ...")."""
    head = line.split(",")[0]
    return not (
        re.search(r"\d", line) or _street(line) or is_name(line)
        or (_is_org(head) and not ROLE_LINE.match(head))
    )


def _role_lines_then_name(raw: list[str], t: Target) -> int:
    """A role on one or two lines (with commas, or wrapped) before the name line: "Chief of
    Army Staff, Royal Nepal Army" / "General X"; "Director General of the National
    Intelligence" / "and Security Service" / "Salah X". The lines used, or 0."""
    role, name = _role_then_trailing_name(raw[0]) if raw else ("", "")
    if name:  # "... Ministry of Internal Affairs Siarhei Dudko" (a column's lines reflowed)
        t.title, t.name = role, name
        return 1
    for j in (1, 2):
        if j >= len(raw) or not _role_like(raw[0]):
            return 0
        if j == 2 and (re.search(r"\d", raw[1]) or _street(raw[1]) or is_name(raw[1])):
            return 0
        if j == 2 and not (raw[0].endswith(",") or raw[1][:1].islower() or ROLE_LINE.match(raw[1])):
            return 0
        person = _person(raw[j].split(",")[0])
        if person:
            t.title = " ".join(raw[:j]).rstrip(",;").strip()
            t.name = person
            return j + 1
    return 0


def _starts_block(line: str, cur: Block) -> bool:
    """A role (and name) line after a finished address: the next target, with no contacts
    or blank line between the two."""
    if len(cur.text) < 2 or _is_org(line.split(",")[0]):
        return False
    ended = cur.text[-1][1]
    if not (re.search(r"\d", ended) or region_for(ended.split(",")[-1]) or _street(ended)):
        return False
    role, rest = _role_and_rest(line.split(",")[0].strip())
    return bool(role) and (not rest or is_name(rest))


_NUMBER_ONLY = re.compile(r"^[+(]?[\d()\s./-]{6,}$")


def _continues_contact(before: str, line: str) -> bool:
    """A contact line wrapped after "/" or "," or " or": "Faxes: + 90 312 418 1795 /" then
    "+ 90 312 425 6121"."""
    return bool(re.search(r"(?:[/,]|\bor)\s*$", before, re.I)) and bool(_NUMBER_ONLY.match(line))


Orphan = tuple[int, str, bool]  # a salutation not placed: line, text, came after every block


def _blocks(
    lines: list[tuple[int, str]],
) -> tuple[list[Block], list[Orphan], list[tuple[int, str]]]:
    """The blocks, the salutations not placed, and notes before the first block."""
    blocks: list[Block] = []
    orphans: list[Orphan] = []
    loose: list[tuple[int, str]] = []
    run: list[tuple[int, str]] = []
    cur: Block | None = None
    after_blank = False

    def settle(at_end: bool) -> None:
        nonlocal run
        if len(run) == 1 and cur is not None and not cur.salutation and cur.text:
            cur.salutation_at, cur.salutation = run[0]
            cur.closed = True
        else:
            orphans.extend((i, s, at_end) for i, s in run)
        run = []

    for i, raw in lines:
        if not raw.strip():
            after_blank = True
            continue
        salutation = salutation_of(raw)
        if salutation:
            salutation, joined = _salutation_then_role(salutation)
            run.append((i, salutation))
            if not joined:
                continue
            settle(at_end=False)
            cur = Block(joined=True)
            blocks.append(cur)
            cur.text += [(i, part) for part in joined]
            after_blank = False
            continue
        if run:
            settle(at_end=False)
        tail = _SALUTATION_TAIL.match(raw) or _SALUTATION_AFTER_COLON.match(raw)
        text = tail.group("text").strip() if tail else raw
        if cur is not None and cur.contacts and _continues_contact(cur.contacts[-1][1], text):
            at, before = cur.contacts[-1]
            cur.contacts[-1] = (at, f"{before} {text}")
            cur.used_more.append(i)
        elif is_contact_line(text):
            if cur is None:
                cur = Block()
                blocks.append(cur)
            cur.contacts.append((i, text))
        elif _note_of(text) is not None:
            if cur is None:
                loose.append((i, _note_of(text) or ""))
            else:
                cur.notes.append((i, _note_of(text) or ""))
        else:
            if (
                cur is None
                or cur.contacts
                or cur.notes
                or cur.closed
                or (after_blank and cur.text)
                or _starts_block(text, cur)
            ):
                cur = Block()
                blocks.append(cur)
            cur.text.append((i, text))
        if tail and cur is not None:
            found = salutation_of(tail.group("s"))
            cur.salutation = found or re.sub(r"\s*/\s*", " / ", tail.group("s").strip())
        after_blank = False
    if run:
        settle(at_end=True)
    return blocks, orphans, loose


def _role_words(text: str) -> set[str]:
    english = text.split(" / ")[0]
    return {w for w in re.findall(r"[a-zà-ÿ]+", english.lower()) if w not in _SALUTATION_STOP}


def assign_salutations(
    targets: list[Target],
    orphans: list[Orphan],
    doubts: list[tuple[Target, str]] | None = None,
) -> list[Orphan]:
    """Give the unplaced salutations to targets without one; return those left over.
    Each salutation not found beside its official is a doubt."""
    free = [t for t in targets if not t.salutation]
    left = list(orphans)
    for item in list(left):
        words = _role_words(item[1])
        scores = []
        for t in free:
            about = _role_words(f"{t.title} {t.name} {t.organisation}")
            scores.append((len(words & about), t))
        best = max((s for s, _ in scores), default=0)
        winners = [t for s, t in scores if s == best]
        if best > 0 and len(winners) == 1:
            winners[0].salutation = item[1]
            free.remove(winners[0])
            left.remove(item)
            if doubts is not None and len(orphans) > 1:
                doubts.append((winners[0], f"salutation {item[1]!r} matched by its role word"))
    if left and free:
        trailing = all(at_end for _, _, at_end in left)
        order = list(reversed(left)) if trailing else left
        for t, item in zip(free, order, strict=False):
            t.salutation = item[1]
            left.remove(item)
            if doubts is not None and len(targets) > 1:
                doubts.append((t, f"salutation {item[1]!r} given by order, not found beside it"))
    return left


def parse_targets(
    lines: list[tuple[int, str]], *, is_copy: bool = False, region: str | None = None
) -> TargetsFound:
    """The targets in a target (or copies) section's lines."""
    found = TargetsFound()
    blocks, orphans, loose = _blocks(lines)
    for block in blocks:
        if not block.text:  # contacts with no one to send them to: give them to the last
            if found.targets:
                _add_contacts(found.targets[-1], block, region, found)
                continue
            found.warnings.append("Contact lines with no name or address before them.")
            found.used += [i for i, _ in block.contacts]
            continue
        if _stray(block):  # a line of other matter after the last target: left unused
            continue
        doubts: list[str] = []
        target = fill_target([text for _, text in block.text], doubts)
        found.doubts += [(target, d) for d in doubts]
        target.is_copy = is_copy
        target.salutation = block.salutation
        _add_contacts(target, block, region, found)
        target.notes += [note for _, note in block.notes if note not in target.notes]
        found.targets.append(target)
        found.used += [i for i, _ in block.text + block.notes] + block.used_more
        found.used += [] if block.salutation_at is None else [block.salutation_at]
        found.lines[id(target)] = sorted(
            [i for i, _ in block.text + block.notes + block.contacts] + block.used_more
            + ([] if block.salutation_at is None else [block.salutation_at])
        )
    for target in found.targets:
        target.notes += [note for _, note in loose if note not in target.notes]
    found.used += [i for i, _ in loose]
    left = assign_salutations(found.targets, orphans, found.doubts)
    for target in found.targets:
        placed = next((i for i, text, _ in orphans if text == target.salutation), None)
        if placed is not None:
            found.lines.setdefault(id(target), []).append(placed)
    found.used += [i for i, _, _ in orphans]
    for _, text, _ in left:
        found.warnings.append(f"Salutation {text!r} matches no target.")
    return found


_PROSE = re.compile(r"^[A-Z].{50,}[.!?]$")


def _stray(block: Block) -> bool:
    """A lone text line with no contact, salutation, role, name, office or address; or
    paragraphs of prose with no contact (the other column of a two-column page)."""
    if block.contacts or block.salutation or block.notes:
        return False
    if all(
        _PROSE.match(text) and sum(w.islower() for w in text.split()) >= 5
        for _, text in block.text
    ):
        return True
    if len(block.text) != 1:
        return False
    text = block.text[0][1]
    return not (
        _role_and_rest(text)[0] or is_name(text) or _is_org(text) or re.search(r"\d", text)
        or countries_in(text)
    )


def _add_contacts(target: Target, block: Block, region: str | None, found: TargetsFound) -> None:
    where = country_of_address(target.address) or region
    contacts = Contacts()
    for i, line in block.contacts:
        contacts.extend(parse_contact_line(line, where))
        found.used.append(i)
    target.emails += [e for e in contacts.emails if e not in target.emails]
    target.phones += [p for p in contacts.phones if p not in target.phones]
    target.faxes += [f for f in contacts.faxes if f not in target.faxes]
    target.handles += [h for h in contacts.handles if h not in target.handles]
    target.notes += [n for n in contacts.notes if n not in target.notes]
