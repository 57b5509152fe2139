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
_SKIP = re.compile(
    r"^\s*(?:(?:further|also|again|once again|strongly|in this regard|in this context|"
    r"its (?:calls?|demands?|requests?|appeals?)|"
    r"in particular|upon|on|to|that|of|,)\s*)+",
    re.IGNORECASE,
)
_PROTECTED = re.compile(
    r"\bCommittee established (?:pursuant to|by)\s+(?:paragraph \d+ of\s+)?resolutions?\s+"
    r"\d{1,4}\s*\(\d{4}\)|\bparties to (?:the |an |)(?:armed )?conflicts?\b"
)
_NP_END = re.compile(
    r"\s(?:to|that|for|in|on|with|through|within|as|at|by|from|including|which|who|"
    r"whose|when|where|while|if|and to|not|shall|should|must|will|immediately|fully|"
    r"urgently|cease|comply|refrain|continue|take|ensure|allow|respect|make)\s|[;:]|(?<!\u2060)\(|,\s*(?:in|as|including|within|where|"
    r"through|upon|when|consistent|with|and to|to|inter alia|if|which)\b|$",
)
_LIST = re.compile(r",\s*(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+|\s+or\s+")
_LEADING_DET = re.compile(r"^(?:the|all|relevant|other|concerned|its|their)\s+", re.IGNORECASE)
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9\-]{2,}\b")
_CANON: dict[str, str] = {
    "member states": "Member States",
    "states": "Member States",
    "states members of the united nations": "Member States",
    "concerned states": "Member States",
    "parties": "all parties",
    "the parties": "all parties",
    "the parties concerned": "all parties",
    "parties concerned": "all parties",
    "secretary-general": "Secretary-General",
    "the secretary-general": "Secretary-General",
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
}


def _canonical(item: str) -> str:
    """Normalised addressee name, or ``""`` when the words are not an addressee."""
    item = item.strip(" ,.;'\"")
    item = re.sub(r"'s$|’s$", "", item)
    low = item.lower()
    if low.startswith(("all parties to", "parties to")):
        low = re.sub(r"^all ", "", low)
        return _CANON.get(low, low if len(low.split()) <= 6 else "")
    if low in {"all parties", "all the parties"}:
        return "all parties"
    if "secretary-general" in low and len(low.split()) <= 3:
        return "Secretary-General"
    stripped = item
    while _LEADING_DET.match(stripped):
        stripped = _LEADING_DET.sub("", stripped, count=1)
    low = stripped.lower()
    if low in _CANON:
        return _CANON[low]
    for name in sorted(_CANON, key=len, reverse=True):  # "all parties cease ..." (that-clause)
        if low.startswith(name + " "):
            return _CANON[name]
    words = stripped.split()
    if not words or len(words) > 12:
        return ""
    if words[0][:1].isupper() or _ACRONYM.fullmatch(words[0]):
        return stripped
    return ""


def _addressees_after(text: str) -> list[str]:
    """Addressees named by the noun phrase that opens ``text`` (the words after a verb)."""
    text = _SKIP.sub("", text).lstrip()
    # Names with " to " inside are protected from the end-of-phrase rule by word joiners.
    text = _PROTECTED.sub(lambda m: m.group().replace(" ", "\u2060"), text)
    end = _NP_END.search(text)
    phrase = text[: end.start()] if end else text[:120]
    phrase = phrase[:160]
    out: list[str] = []
    for item in _LIST.split(phrase):
        name = _canonical(item.replace("\u2060", " "))
        if name and name not in out:
            out.append(name)
    return out


def find_addressees(paragraph_text: str, verbs: tuple[Verb, ...]) -> tuple[str, ...]:
    """Who the addressing verbs of a paragraph speak to, normalised, in order.

    Reads the noun phrase right after each verb of the request, encouragement and decision
    families ("*Requests* the Secretary-General to ...", "*Calls upon* all parties and Member
    States to ...", "*Demands that* all parties ..."); see ``docs/verbs.md`` for the rules.

    Examples:
        >>> from reslens.models import Verb
        >>> find_addressees("Requests the Secretary-General to report", (Verb(
        ...     "Requests", lemma="requests", position=0),))
        ('Secretary-General',)
    """
    out: list[str] = []
    for verb in verbs:
        if verb.lemma not in _ADDRESSING:
            continue
        after = paragraph_text[verb.position + len(verb.text) : verb.position + 400]
        for name in _addressees_after(after):
            if name not in out:
                out.append(name)
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
    r"Transitional|Parliament|institutions|focal point)\b",
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


__all__ = ["CATEGORIES", "category", "find_addressees"]
