"""Addressees: who an operative clause asks, requires or authorizes to act, and the kind of
actor each is.

:func:`find_addressees` reads the noun phrase after each addressing verb; :func:`category`
sorts a name into one of :data:`CATEGORIES` (the categories of the hand-labelled set,
``bench/eval/addressees_gold.md``).

Examples:
    >>> from reslens.models import Verb
    >>> find_addressees("Requests the Secretary-General to report", (Verb(
    ...     "Requests", lemma="requests", position=0),))
    ('Secretary-General',)
    >>> category("MONUSCO"), category("Government of Lebanon")
    ('mission', 'government')
"""

from __future__ import annotations

import re

from reslens.models import Verb

# Verbs whose object (or the subject of their "that" clause) is the addressee.
_ADDRESSING = frozenset(
    {
        "requests", "calls upon", "urges", "encourages", "invites", "directs", "authorizes",
        "demands", "commends", "reminds", "appeals", "insists", "asks", "exhorts", "recommends",
        "instructs", "requires",
    }
)  # fmt: skip
#: Lemmas whose "that X shall …" clause names who must act ("Decides that all States shall").
_DECIDING = frozenset({"decides"})
#: A directive verb that opens a further clause inside a unit ("…, and encourages MINUSMA to").
_INNER = re.compile(
    r"(?:[;,:]|\band|\bwhile)\s+(?:in this (?:context|regard|respect),?\s+)?"
    r"(?:(?:further|also|again|strongly)\s+)?"
    r"(requests?|calls? (?:upon|on)|urges?|encourages?|invites?|demands?|authori[sz]es?|"
    r"directs?)\b(?=\s+(?:also|further|again|strongly|the|all|that|[A-Z]))",
)
#: "that [, until 31 July 2021,] all Member States shall": the actor of a decision.
_THAT_SHALL = re.compile(
    r"\bthat\s*(?:,[^,;]{0,160},\s*)?((?:[^,;:]{0,12}?)(?:[A-Z]|all\b|no\b|any\b|each\b|the\b|"
    r"every\b|both\b)[^;:]{0,150}?)\s*,?\s+(?:shall|should|must|will|is to|are to|is required)\b"
    r"(?![\w-]|[\s,]+(?:be\b|not be\b|comprise|consist|continue to (?:comprise|consist|be)|"
    r"apply|cease|"
    r"terminate|expire|remain|have\b|enter|take effect|include|also apply|not apply|"
    r"henceforth|no longer))",
)
_STATUS_SUBJECT = re.compile(
    r"\b(?:mandate|measures|provisions|authori[sz]ation|mission|strength|composition|"
    r"exemptions?|prohibitions?|freeze|ban|embargo|arrangements|resolution|paragraphs?|"
    r"period|decision|report|review|requirement|obligations?)\b",
    re.IGNORECASE,
)
_SKIP = re.compile(
    r"^\s*(?:(?:further|also|again|once again|strongly|in this regard|in this context|"
    r"its (?:calls?|demands?|requests?|appeals?)|"
    r"in particular|upon|on|to|that|of|,)\s*)+",
    re.IGNORECASE,
)
_COMMITTEE_OF = re.compile(
    r"\bCommittee (?:established|set up|created)\s+(?:pursuant to|by|in pursuance of|under|"
    r"in accordance with)\s+(?:Security Council\s+)?(?:paragraph \d+ of\s+)?(?:its\s+)?"
    r"resolutions?\s+(\d{1,4})\s*\((\d{4})\)"
)
_PROTECTED = re.compile(
    _COMMITTEE_OF.pattern
    + r"|\bparties to (?:the |an |)(?:armed )?conflicts?\b|\bparties to the (?:[A-Z][\w’'\-]*"
    r"(?:\s+|$))+|\bSpecial Representative of the Secretary-General (?:for|on) (?:the )?"
    r"(?:[A-Z][\w’'\-]*(?:\s+and\s+|\s+in\s+|\s+))+|\b(?:Operation|Mission|Force|Office) in "
    r"(?:the )?(?:[A-Z][\w’'\-]*\s?)+|\bStates in the (?:[A-Z][\w’'\-]*\s)+region|"
    r"\bStates? of the (?:[A-Z][\w’'\-]*\s?)+|\bHigh Commissioner for (?:Human Rights|Refugees)"
    r"|\bGovernments? and authorities concerned|\b(?:troop|police)- and (?:police|troop)-"
    r"contributing countries|\bCommissioner for Peace and Security|\bregional and "
    r"sub-?regional (?:organi[sz]ations|arrangements)(?: and arrangements)?"
)
# Parenthetical phrases between an addressee and the next: skipped, not read as addressees
# (channels and partners are no addressees: "through his Special Representative").
_ASIDE = re.compile(
    r",\s*(?:through|in accordance with|in consultation with|in cooperation with|"
    r"in coordination with|in close (?:consultation|cooperation|coordination) with|"
    r"as appropriate|where appropriate|as necessary|within (?:its|their|existing)|"
    r"in line with|consistent with|with the support of|acting under|in their respective|"
    r"in its capacity)[^,;:]{0,120},"
)
_NP_END = re.compile(
    r"\s(?:to|that|for(?! (?:the )?[A-Z])|on|with|through|within|as(?! well as)|at|by|from|"
    r"which|who|"
    r"whose|when|where|while|if|and to|not|shall|should|must|will|immediately|fully|"
    r"urgently|cease|comply|refrain|continue|take|ensure|allow|respect|make|further|also|again|"
    r"promptly|once|duly|actively|swiftly|expeditiously)\s"
    r"|\sin (?![A-Z]|the [A-Z])|[;:“”\"]|(?<!\u2060)\((?![A-Z][A-Za-z\-]{1,12}\))"
    r"|,\s*(?:in|as|within|where|through|upon|when|consistent|with|and to|to|inter alia|if|"
    r"which|who|acting)\b|,?\s*\b(?:including|in particular|notably|especially|particularly)\b"
    r"|$",
)
_SUBSET = re.compile(r",?\s*\b(?:including|in particular|notably|especially|particularly)\s+")
_LIST = re.compile(r",\s*(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+|\s+or\s+")
_LEADING_DET = re.compile(
    r"^(?:the|all|relevant|other|concerned|its|their|both|each|any|every|also|further|"
    r"and)\s+",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9\-]{2,}\b")
#: Lowercase words that end an addressee's name ("donors", "armed groups").
_HEAD_WORDS = frozenset(
    [
        "states",
        "parties",
        "countries",
        "authorities",
        "organizations",
        "organisations",
        "community",
        "donors",
        "society",
        "groups",
        "leaders",
        "forces",
        "stakeholders",
        "media",
        "partners",
        "actors",
        "movements",
        "militias",
        "members",
        "institutions",
        "agencies",
        "entities",
        "bodies",
        "operations",
        "missions",
        "contributors",
        "governments",
        "others",
        "concerned",
        "system",
        "team",
        "teams",
        "arrangements",
        "region",
        "signatories",
        "factions",
        "combatants",
        "leadership",
        "sides",
        "mechanisms",
        "individuals",
        "persons",
        "businesses",
        "sector",
        "Secretary-General",
        "programmes",
        "funds",
        "assistance",
        "commission",
        "elements",
        "government",
    ]
)
_CANON: dict[str, str] = {
    "member states": "Member States",
    "states": "Member States",
    "members states": "Member States",
    "states members of the united nations": "Member States",
    "member states of the united nations": "Member States",
    "concerned states": "Member States",
    "parties": "parties",
    "parties concerned": "parties concerned",
    "secretary-general": "Secretary-General",
    "parties to armed conflict": "parties to armed conflict",
    "parties to armed conflicts": "parties to armed conflict",
    "parties to the conflict": "parties to the conflict",
    "donors": "donors",
    "international donors": "donors",
    "regional organizations": "regional organizations",
    "armed groups": "armed groups",
    "civil society": "civil society",
    "international community": "international community",
    "entire international community": "international community",
    "au": "African Union",
    "oau": "Organization of African Unity",
    "ecowas": "Economic Community of West African States",
    "eccas": "Economic Community of Central African States",
    "eu": "European Union",
    "un system": "United Nations system",
}
#: Abbreviations spelled out inside a name ("Government of the DRC").
_SPELLED = (
    (re.compile(r"\b(?:the )?DRC\b"), "the Democratic Republic of the Congo"),
    (re.compile(r"\b(?:the )?CAR\b"), "the Central African Republic"),
    (re.compile(r"\bDPRK\b"), "Democratic People's Republic of Korea"),
    (re.compile(r"\bFGS\b"), "Federal Government of Somalia"),
    (re.compile(r"\bUN\b"), "United Nations"),
)


def canonical_name(item: str) -> str:
    """An addressee's name as stored: determiners dropped, "all States" → ``Member States``,
    regional and country abbreviations spelled out (``ECOWAS``, ``DRC``); ``""`` when the
    words name no actor.

    Examples:
        >>> canonical_name("all States"), canonical_name("the Government of the DRC")
        ('Member States', 'Government of the Democratic Republic of the Congo')
    """
    item = re.sub(r"\s+", " ", item.replace("\u2060", " ")).strip(" ,.;'\"’“”")
    item = re.sub(r"(?:'s|’s)$", "", item)
    if re.fullmatch(r"(?:no|any|each|every) (?:Member )?State", item, re.IGNORECASE):
        return "Member States"
    committee = _COMMITTEE_OF.search(item)
    if committee:
        return f"Committee established pursuant to resolution {committee[1]} ({committee[2]})"
    stripped = item
    while _LEADING_DET.match(stripped):
        stripped = _LEADING_DET.sub("", stripped, count=1)
    acronym = re.fullmatch(r"(.+?) \(([A-Z][A-Za-z\-]{1,12})\)", stripped)
    if acronym:  # "United Nations Operation in Burundi (ONUB)": missions go by acronym
        from_acronym = canonical_name(acronym[2])
        stripped = from_acronym if category(from_acronym) == "mission" else acronym[1]
    low = stripped.lower()
    if low in _CANON:
        return _CANON[low]
    if low.startswith("secretary-general") and len(low.split()) <= 2:
        return "Secretary-General"
    for pattern, spelled in _SPELLED:
        stripped = pattern.sub(spelled, stripped)
    stripped = re.sub(r"^the ", "", stripped)
    words = stripped.split()
    # junk after the name ("MINUSCA report", "Committee Secretary beginning"): cut back to
    # the last capitalised word or head noun
    while words and not (
        re.match(r"(?:[a-z][’'])?[A-Z]", words[-1])
        or words[-1].lower().strip("’'") in _HEAD_WORDS
        or _ACRONYM.fullmatch(words[-1])
        or words[-1][:1].isdigit()
        or words[-1].endswith(")")
    ):
        words.pop()
    if not words or len(words) > 14:
        return ""
    while words[-1].lower() in {"of", "and", "the", "for", "in", "on"}:
        words.pop()
    name = " ".join(words)
    if not (
        words[0][:1].isupper()
        or _ACRONYM.fullmatch(words[0])
        or any(w.lower() in _HEAD_WORDS for w in words)
    ):
        return ""
    if words[0].lower() in {"measures", "mandate", "report", "resolution", "paragraph"}:
        return ""
    return _CANON.get(name.lower(), name)


def _protect(text: str) -> str:
    """Names with " to ", " in " or " and " inside joined by word joiners (kept whole)."""
    return _PROTECTED.sub(lambda m: m.group().rstrip().replace(" ", "\u2060") + " ", text)


def _names(phrase: str) -> list[str]:
    out: list[str] = []
    for item in _LIST.split(phrase):
        name = canonical_name(item)
        if name and name not in out:
            out.append(name)
    return out


def _addressees_after(text: str) -> list[str]:
    """Addressees named by the noun phrase that opens ``text`` (the words after a verb), with
    the subsets it names ("…, including the AU, ECCAS and ECOWAS, to …")."""
    text = _SKIP.sub("", text).lstrip()
    text = _ASIDE.sub(",", _protect(text))
    text = re.sub(r",?\s+as well as\s+", " and ", text)
    end = _NP_END.search(text)
    phrase = text[: end.start()] if end else text[:120]
    out = _names(phrase[:200])
    rest = text[end.start() :] if end else ""
    subset = _SUBSET.match(rest)
    if out and subset:  # "Member States, including non-traditional donors and other partners,"
        tail = rest[subset.end() :]
        stop = _NP_END.search(tail)
        out.extend(n for n in _names(tail[: stop.start()] if stop else "") if n not in out)
    return out


def _decided(text: str) -> list[str]:
    """The actors of "that X shall …" clauses of a decision."""
    out: list[str] = []
    for match in _THAT_SHALL.finditer(_protect(text)):
        subject = match.group(1).strip()
        if _STATUS_SUBJECT.search(subject.split("\u2060")[0]) and not re.match(
            r"(?:all |no |the )?(?:Member )?States?\b", subject
        ):
            continue
        out.extend(n for n in _names(subject) if n not in out)
    return out


def find_addressees(text: str, verbs: tuple[Verb, ...]) -> tuple[str, ...]:
    """Who a clause (or paragraph) asks, requires or authorizes to act, normalised, in order.

    Reads, in the order of the text:

    * the noun phrase after each verb of the request and encouragement families and after
      further directive verbs that open a clause inside it ("*Requests* the Secretary-General
      to …", "*Calls upon* all parties and Member States to …", "…, and *encourages* MINUSMA
      to …"), lists ("A, B and C") and the subsets they name ("…, including X and Y,");
    * for a decision ("*Decides that* all Member States shall …", "*Reaffirms its decision*
      that all States shall …"), the subject of each "that … shall" clause that names an actor
      (not "that the measures shall apply").

    Channels and partners ("through his Special Representative", "in consultation with the
    Committee") are skipped. See ``docs/verbs.md``.

    Examples:
        >>> from reslens.models import Verb
        >>> find_addressees("Requests the Secretary-General to report", (Verb(
        ...     "Requests", lemma="requests", position=0),))
        ('Secretary-General',)
        >>> find_addressees("Decides that all Member States shall freeze the funds", (Verb(
        ...     "Decides", lemma="decides", position=0),))
        ('Member States',)
    """
    found: list[tuple[int, list[str]]] = []
    spans: list[int] = []
    for verb in verbs:
        at = verb.position + len(verb.text)
        spans.append(verb.position)
        if verb.lemma in _ADDRESSING:
            found.append((at, _addressees_after(text[at : at + 600])))
        elif verb.lemma in _DECIDING:
            found.append((at, _decided(text[at:])))
    if any(v.lemma in _ADDRESSING or v.lemma in _DECIDING for v in verbs):
        for match in _INNER.finditer(text):
            if any(abs(match.start(1) - s) < 3 for s in spans):
                continue
            found.append((match.end(), _addressees_after(text[match.end() : match.end() + 600])))
    out: list[str] = []
    for _, names in sorted(found, key=lambda item: item[0]):
        out.extend(n for n in names if n not in out)
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Categories
# ---------------------------------------------------------------------------------------------

#: The kinds of addressee, as the hand-labelled set names them.
CATEGORIES = (
    "member_states",
    "parties",
    "secretary_general",
    "government",
    "mission",
    "committee_panel",
    "regional_org",
    "un_body",
    "un_official",
    "other",
)

_REGIONAL = re.compile(
    r"\b(?:African Union|AU|Organi[sz]ation of African Unity|OAU|ECOWAS|ECCAS|ECOMOG|SADC|"
    r"IGAD|Economic Community of|Southern African Development|Intergovernmental Authority|"
    r"European Union|EU|EUFOR|EUTM|EUCAP|EULEX|EUNAVFOR|NATO|North Atlantic Treaty|OSCE|"
    r"Organi[sz]ation for Security and Co-?operation|Organi[sz]ation of American States|OAS|"
    r"League of Arab States|Arab League|AMISOM|ATMIS|AUSSOM|MISCA|AFISMA|MICEMA|ECOMICI|"
    r"Lake Chad Basin|Multinational Joint Task Force|Gulf of Guinea|West and Central Africa|"
    r"Great Lakes Region|ICGLR|Caribbean Community|CARICOM|ASEAN|Islamic Co-?operation|"
    r"Commonwealth of Independent States|Collective Security Treaty|G5 Sahel|"
    r"regional|subregional|sub-regional)\b",
    re.IGNORECASE,
)
_UN_OFFICIAL = re.compile(
    r"^(?:(?:Deputy |Joint |Executive )?Special Representative|Special (?:Envoy|Adviser|"
    r"Coordinator)|Personal (?:Envoy|Representative)|(?:United Nations )?High Commissioner|"
    r"Emergency Relief Coordinator|Under-Secretary-General|Head of|Force Commander|"
    r"Executive (?:Representative|Delegate)|Representative of the Secretary-General|"
    r"Ombudsperson|Humanitarian Coordinator|Resident Coordinator|Envoy)\b",
    re.IGNORECASE,
)
_COMMITTEE = re.compile(
    r"\b(?:Committee|Panel|Group of Experts|Monitoring (?:Group|Team|Mechanism)|"
    r"Team of Experts|Commission of (?:Inquiry|Experts)|Executive Directorate|CTED|"
    r"Analytical Support|Expert Group|Investigative Team|UNITAD|Working Group)\b",
    re.IGNORECASE,
)
_UN_BODY = re.compile(
    r"^(?:General Assembly|Economic and Social Council|ECOSOC|Peacebuilding (?:Commission|"
    r"Support Office|Fund)|Secretariat|Department|Office of the|Human Rights Council|"
    r"International Court of Justice|(?:relevant |other )*United Nations (?!(?:\w+ )*"
    r"(?:Mission|Operation|Force|Observer|Interim Administration|Transitional)s?\b)|"
    r"UN |UNICEF|UNDP|UNHCR|UNODC|UNFPA|UNESCO|UNEP|UNOPS|UNMAS|UN-Women|UN Women|UNAIDS|"
    r"UNRWA|UNCTAD|OHCHR|OCHA|WFP|World (?:Food Programme|Health Organization|Bank)|WHO|IAEA|"
    r"International Atomic Energy Agency|FAO|ILO|IMF|International Monetary Fund|"
    r"Food and Agriculture Organization|International (?:Labour|Maritime|Civil Aviation) "
    r"Organization|IMO|ICAO|INTERPOL|International Criminal Police|specialized agencies|"
    r"agencies|funds and programmes|country team)",
    re.IGNORECASE,
)
_MISSION = re.compile(
    r"^(?:UN[A-Z]{2,}[A-Z0-9]*|MINU[A-Z]+|MONU[A-Z]+|ONU[A-Z]+|BINU[A-Z]+|BONUCA|MIPONUH|"
    r"MICAH|UNSOM|UNSOS|UNOWAS|UNOCA|UNITAMS|UNMHA|UNSMIL|UNAMI|the (?:Mission|Force|Operation)|"
    r"Mission|Force|Operation|(?:United Nations )?peace-?keeping (?:operations|missions)|"
    r"peace operations|United Nations (?:\w+ )*(?:Mission|Operation|Force|Observers?|"
    r"Interim Administration|Transitional Authority|Office|Peacebuilding Office)s?\b)",
)
_UN_AGENCY_ACRONYMS = frozenset(
    [
        "UNICEF",
        "UNDP",
        "UNHCR",
        "UNODC",
        "UNFPA",
        "UNESCO",
        "UNEP",
        "UNOPS",
        "UNMAS",
        "UNAIDS",
        "UNRWA",
        "UNCTAD",
        "UNITAD",
        "UNOCT",
        "UNIDIR",
        "UNITAR",
        "UNHCHR",
        "UNIDO",
        "UNFCCC",
        "UNGA",
        "UNSC",
        "UNOG",
        "UNOV",
        "UNON",
        "UNDSS",
        "UNDPO",
        "UNDPPA",
    ]
)
_PARTIES = re.compile(
    r"\b(?:parties|party|armed groups?|armed actors|armed elements|militias?|movements?|"
    r"rebels?|combatants|factions?|belligerents|leaders|leadership|forces|Houthis|Taliban|"
    r"Al-Shabaab|FDLR|M23|ADF|FNL|LRA|SPLM|UNITA|RUF|FARC|FMLN|Frente|Séléka|anti-Balaka|"
    r"signator(?:y|ies)|sides|supporters)\b",
    re.IGNORECASE,
)
_OTHER_PARTIES = re.compile(
    r"\b(?:political parties|interested parties|third parties|other partners|partners)\b",
    re.IGNORECASE,
)
_STATES = re.compile(
    r"^(?:Member States|States|all States)\b|\b(?:States|countries|Governments|"
    r"Member States)\b(?! of the African)|^(?:no|any|every|each) State\b",
    re.IGNORECASE,
)
_GOVERNMENT = re.compile(
    r"\b(?:Government|Governments? of|authorities|authority|President|Prime Minister|"
    r"Transitional|Parliament|focal point)\b",
    re.IGNORECASE,
)


def category(name: str) -> str:
    """The kind of actor an addressee name is: one of :data:`CATEGORIES`.

    Read from the name alone, in order: the Secretary-General, regional organizations, UN
    officials, committees and panels, missions, UN bodies, parties, governments (named States
    included), Member States, and ``other``.

    Examples:
        >>> [category(n) for n in ("Member States", "all parties", "UNMISS", "African Union",
        ...     "Panel of Experts", "donors", "Somalia")]
        ['member_states', 'parties', 'mission', 'regional_org', 'committee_panel', 'other', \
'government']
    """
    from reslens.language.states import is_member_state

    name = name.strip()
    low = name.lower()
    if low in {"secretary-general", "the secretary-general"}:
        return "secretary_general"
    if _REGIONAL.search(name) and not re.match(r"(?:all )?(?:Member )?States\b", name, re.I):
        return "regional_org"
    if _UN_OFFICIAL.search(name):
        return "un_official"
    if _COMMITTEE.search(name) and "human rights committee" not in low:
        return "committee_panel"
    head = name.split()[0] if name.split() else ""
    if head in _UN_AGENCY_ACRONYMS:
        return "un_body"
    if _MISSION.match(name) and not low.startswith("united nations office on"):
        return "mission"
    if _UN_BODY.search(name):
        return "un_body"
    if low == "united nations":
        return "un_body"
    if _OTHER_PARTIES.search(name) or low.startswith("donor"):
        return "other"
    if _PARTIES.search(name) and not _STATES.search(name):
        return "parties"
    if _STATES.search(name) and not low.startswith(("government of", "authorities of")):
        return "member_states"
    if _GOVERNMENT.search(name) or is_member_state(re.sub(r"^the\s+", "", name)):
        return "government"
    return "other"


__all__ = ["CATEGORIES", "canonical_name", "category", "find_addressees"]
