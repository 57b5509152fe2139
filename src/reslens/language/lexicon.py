"""The operative-verb lexicon and the obligation ladder.

The lexicon is derived from the italic verb spans of the UN's AKN files (see
``scripts/derive_lexicon.py`` and ``docs/verbs.md``) and shipped as ``data/verbs.tsv``. This
module reduces a verb phrase to its *lemma* (the head verb in its finite form: ``"requests
further"`` → ``"requests"``, ``"Recalling"`` → ``"recalls"``) and places the lemma on one
ordinal scale of obligation strength:

====  ===============  =====================================================
 5    decision         decides, demands, authorizes, requires, renews, ...
 4    request          requests, calls upon, calls for, urges, directs, ...
 3    encouragement    encourages, invites, recommends, reminds, ...
 2    support          welcomes, supports, commends, stresses, reaffirms, ...
 1    acknowledgement  notes, recalls, takes note, recognizes, ...
====  ===============  =====================================================

Condemnation, concern, the Council's statements of its own intention and procedural phrases
are families *off* the ladder: their strength is ``None``.

Examples:
    >>> lex = Lexicon.load()
    >>> lex.classify("Requests further").lemma
    'requests'
    >>> strength_of("calls upon")
    4
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from reslens.models import Verb

STRENGTH_NAMES: dict[int, str] = {
    5: "decision",
    4: "request",
    3: "encouragement",
    2: "support",
    1: "acknowledgement",
}
"""Rung → family name of the obligation ladder (higher binds more)."""

OFF_LADDER: dict[str, str] = {
    "condemnation": "passes judgement on past conduct; it asks nothing of anyone",
    "concern": "states the Council's worry; it addresses no one",
    "intention": "commits the Council itself (intends, is ready, determined), not an addressee",
    "procedural": "states the legal basis or the formal act (acting under Chapter VII)",
}
"""Families deliberately kept off the ladder, with the reason."""

_FAMILY_STRENGTH = {name: rung for rung, name in STRENGTH_NAMES.items()}


def _items(text: str) -> tuple[str, ...]:
    """Split a comma-separated list of lemmas."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


_LADDER_SOURCE: dict[str, tuple[str, ...]] = {
    "decision": _items(
        "decides, demands, authorizes, requires, renews, extends, establishes, approves, "
        "determines, declares, resolves, agrees, adopts, confirms, terminates, lifts, imposes, "
        "designates, appoints, elects, clarifies, instructs, maintains"
    ),
    "request": _items(
        "requests, calls upon, calls for, urges, directs, appeals, exhorts, asks, insists"
    ),
    "encouragement": _items(
        "encourages, invites, recommends, reminds, suggests, looks forward, expresses hope, "
        "expects, hopes, trusts, counts on"
    ),
    "support": _items(
        "welcomes, supports, commends, stresses, emphasizes, underlines, underscores, "
        "highlights, reaffirms, reiterates, affirms, endorses, expresses support, expresses "
        "appreciation, expresses gratitude, expresses solidarity, expresses satisfaction, "
        "expresses thanks, pays tribute, praises, applauds, congratulates, appreciates, echoes, "
        "salutes, thanks, values, acknowledges with appreciation"
    ),
    "acknowledgement": _items(
        "notes, recalls, takes note, recognizes, acknowledges, bears in mind, takes into "
        "account, considers, mindful, aware, conscious, convinced, guided, believes, observes, "
        "examines, reviews, hears, receives, has regard, responds, cognizant, expresses, "
        "continues, remains, accepts, concurs, deems"
    ),
    "condemnation": _items(
        "condemns, deplores, regrets, rejects, denounces, expresses outrage, censures, "
        "expresses indignation, expresses shock, expresses dismay, expresses condemnation"
    ),
    "concern": _items(
        "expresses concern, expresses alarm, expresses regret, expresses disappointment, "
        "expresses condolences, expresses sympathy, expresses frustration"
    ),
    "intention": _items(
        "expresses intention, expresses determination, expresses readiness, expresses "
        "willingness, expresses commitment, expresses will, intends, undertakes, commits, "
        "pledges, determined"
    ),
    "procedural": _items("acts"),
}

LADDER: dict[str, tuple[str, int | None]] = {
    lemma: (family, _FAMILY_STRENGTH.get(family))
    for family, lemmas in _LADDER_SOURCE.items()
    for lemma in lemmas
}
"""Lemma → (family, strength). ``strength`` is ``None`` for off-ladder families."""

# ---------------------------------------------------------------------------------------------
# Lemmatisation
# ---------------------------------------------------------------------------------------------


def _wordset(text: str) -> frozenset[str]:
    """The set of space-separated words of ``text`` (keeps long word lists readable)."""
    return frozenset(text.split())


_MULTI_FILLERS = re.compile(
    r"\b(?:in this (?:regard|respect|context|connection)|in that (?:regard|respect|context)"
    r"|in (?:particular|addition|this|that)|once (?:again|more)|at the same time|inter alia"
    r"|continues? to|continuing to|remaining|remains|while|whilst|as well)\b"
)
_FILLERS = _wordset(
    "and also further furthermore moreover strongly again deeply fully firmly gravely seriously "
    "urgently therefore accordingly thus hence hereby unanimously equally likewise similarly "
    "finally then repeatedly formally warmly expressly specifically explicitly still however "
    "consequently nevertheless but additionally emphatically categorically unequivocally "
    "resolutely vigorously particularly especially earnestly respectfully most greatly "
    "highly fervently firmly sincerely duly hereby now too thereby"
)
_ADJECTIVES: dict[str, str] = {
    "concerned": "expresses concern",
    "alarmed": "expresses alarm",
    "shocked": "expresses shock",
    "outraged": "expresses outrage",
    "dismayed": "expresses dismay",
    "disappointed": "expresses disappointment",
    "determined": "determined",
    "resolved": "determined",
    "committed": "determined",
    "mindful": "mindful",
    "aware": "aware",
    "conscious": "conscious",
    "cognizant": "cognizant",
    "cognisant": "cognizant",
    "convinced": "convinced",
    "guided": "guided",
    "desirous": "determined",
    "encouraged": "welcomes",
    "heartened": "welcomes",
    "pleased": "welcomes",
    "satisfied": "welcomes",
    "gratified": "welcomes",
    "appreciative": "appreciates",
    "distressed": "expresses concern",
    "disturbed": "expresses concern",
    "troubled": "expresses concern",
    "worried": "expresses concern",
}
_EXPRESS_NOUNS: dict[str, str] = {
    "concern": "concern",
    "concerns": "concern",
    "alarm": "alarm",
    "outrage": "outrage",
    "indignation": "indignation",
    "shock": "shock",
    "dismay": "dismay",
    "regret": "regret",
    "disappointment": "disappointment",
    "frustration": "frustration",
    "condolences": "condolences",
    "sympathy": "sympathy",
    "appreciation": "appreciation",
    "gratitude": "gratitude",
    "thanks": "thanks",
    "support": "support",
    "solidarity": "solidarity",
    "satisfaction": "satisfaction",
    "hope": "hope",
    "intention": "intention",
    "intent": "intention",
    "determination": "determination",
    "readiness": "readiness",
    "willingness": "willingness",
    "commitment": "commitment",
    "will": "will",
    "condemnation": "condemnation",
}
# "reiterates its demand that ..." keeps the force of the demand.
_REITERATED: dict[str, str] = {
    "call": "calls upon",
    "calls": "calls upon",
    "demand": "demands",
    "demands": "demands",
    "request": "requests",
    "requests": "requests",
    "condemnation": "condemns",
    "appeal": "appeals",
    "appeals": "appeals",
    "decision": "decides",
    "concern": "expresses concern",
    "deep": "",
}
_REITERATORS = frozenset({"reiterates", "renews", "reaffirms", "repeats"})
_IRREGULAR: dict[str, str] = {
    "taken": "takes",
    "heard": "hears",
    "given": "gives",
    "seen": "sees",
    "made": "makes",
    "held": "holds",
    "undertaken": "undertakes",
    "been": "is",
    "having": "has",
    "borne": "bears",
    "bearing": "bears",
    "paying": "pays",
    "being": "is",
}
_ISE_EXCEPTIONS = (
    "advis",
    "revis",
    "devis",
    "compris",
    "surpris",
    "exercis",
    "compromis",
    "supervis",
    "promis",
    "rais",
    "prais",
    "aris",
    "franchis",
    "merchandis",
    "televis",
    "improvis",
    "despis",
    "chastis",
    "disguis",
    "enterpris",
    "premis",
    "appris",
    "expertis",
)
_ISE = re.compile(r"^(\w{3,}?)is(es|ing|ed|e)$")
_WORD = re.compile(r"[a-z][a-z'\-]*")
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")


def normalize_phrase(text: str) -> str:
    """Lower-case a verb phrase and tidy it: NFKC, straight quotes, single spaces, no edge
    punctuation.

    Examples:
        >>> normalize_phrase("  Requests  further, ")
        'requests further'
    """
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u00ad", "")
    text = text.replace("\u2010", "-").replace("\u2011", "-")
    text = re.sub(r"\s+", " ", text).strip().lower()
    return text.strip(" ,;:.\t\"'()-*")


def americanize(word: str) -> str:
    """Map British ``-ise`` spellings to ``-ize`` (``emphasises`` → ``emphasizes``)."""
    match = _ISE.match(word)
    if match is None or word.startswith(_ISE_EXCEPTIONS):
        return word
    return f"{match.group(1)}iz{match.group(2)}"


def _finite_candidates(word: str) -> list[str]:
    """Finite third-person forms a participle or base form could come from."""
    if word in _IRREGULAR:
        return [_IRREGULAR[word]]
    if word.endswith("ing") and len(word) > 5:
        stem = word[:-3]
        out = [stem + "s", stem + "es"]
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] in _CONSONANTS:
            out.append(stem[:-1] + "s")
        return out
    if word.endswith("ed") and len(word) > 4:
        return [word[:-2] + "s", word[:-1] + "s", word[:-2] + "es", word[:-3] + "s"]
    if word.endswith("y") and word[-2:-1] in _CONSONANTS:
        return [word[:-1] + "ies"]
    return [word + "s", word + "es"]


def _guess_finite(word: str) -> str:
    """A best guess of the finite form when no known form matches."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ing") and len(word) > 5:
        stem = word[:-3]
        if stem.endswith(("ss", "sh", "ch", "x")):
            return stem + "es"
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
            return stem[:-1] + "s"
        if stem.endswith(("at", "iz", "ur", "uc", "ag", "in", "ot", "ud", "rg", "ov", "ng")):
            return stem + "es"
        return stem + "s"
    if word.endswith("ed") and len(word) > 4:
        return word[:-1] + "s"
    return word + "s"


def _finite(word: str, known: frozenset[str]) -> str:
    """The finite form of ``word`` (a participle, a base form or already finite)."""
    if word in known:
        return word
    for cand in _finite_candidates(word):
        if cand in known:
            return cand
    if word.endswith("s") and not word.endswith(("ss", "us")):
        return word
    return _guess_finite(word)


def _object_of_express(words: list[str]) -> str:
    for word in words[:6]:
        if word in _EXPRESS_NOUNS:
            return _EXPRESS_NOUNS[word]
        if word in {"that", "to", "for", "the", "at", "with"} and words.index(word) > 3:
            break
    return ""


def lemmatize(phrase: str, following: str = "", known: frozenset[str] = frozenset()) -> str:
    """Reduce a verb phrase to its lemma: the head verb in its finite form.

    Args:
        phrase: the phrase as written (any case), e.g. ``"Strongly condemns"``.
        following: the words after the phrase in the paragraph; used where the phrase alone is
            ambiguous (``"calls"`` + ``"upon all parties"``; ``"expresses"`` + ``"its deep
            concern"``).
        known: finite heads known to exist (from the lexicon); used to turn participles into
            finite forms (``"noting"`` → ``"notes"``, not ``"nots"``).

    Returns:
        The lemma, or ``""`` when the phrase has no recognisable verb head.

    Examples:
        >>> lemmatize("further requests")
        'requests'
        >>> lemmatize("expresses its deep concern")
        'expresses concern'
        >>> lemmatize("calls", "on all parties")
        'calls upon'
    """
    text = _MULTI_FILLERS.sub(" ", normalize_phrase(phrase))
    words = [americanize(w) for w in _WORD.findall(text)]
    words = [w for w in words if w not in _FILLERS]
    if not words:  # "remaining" + "deeply concerned": the verb is in the following words
        return lemmatize(" ".join(following.split()[:3]), "", known) if following else ""
    if words[0].startswith("re-") and len(words[0]) > 5:
        words[0] = words[0][3:]
    head, rest = words[0], words[1:]
    after = [americanize(w) for w in _WORD.findall(normalize_phrase(following))[:12]]
    if head == "having" and rest and (rest[0].endswith(("ed", "en")) or rest[0] in _IRREGULAR):
        head, rest = rest[0], rest[1:]
    if head in _ADJECTIVES:
        return _ADJECTIVES[head]
    if not (head.endswith(("s", "ing", "ed")) or head in _IRREGULAR or head in known):
        base = head + "s"
        if base not in known and head + "es" not in known:
            return ""
    head = _finite(head, known)
    return _complete(head, rest, after)


def _complete(head: str, rest: list[str], after: list[str]) -> str:
    """Add the complement that belongs to the lemma of a multi-word head."""
    tail = rest + after
    if head == "takes":
        if "note" in tail[:2]:
            return "takes note"
        if tail[:1] == ["into"] and tail[1:2] in (["account"], ["consideration"]):
            return "takes into account"
        return "takes"
    if head == "calls":
        for word in tail[:8]:
            if word in {"upon", "on"}:
                return "calls upon"
            if word == "for":
                return "calls for"
        return "calls upon"
    if head == "pays" and "tribute" in tail[:2]:
        return "pays tribute"
    if head == "looks" and "forward" in tail[:2]:
        return "looks forward"
    if head == "bears" and tail[:2] == ["in", "mind"]:
        return "bears in mind"
    if head == "has" and tail[:1] == ["regard"]:
        return "has regard"
    if head == "expresses":
        noun = _object_of_express(rest) or _object_of_express(after)
        return f"expresses {noun}" if noun else "expresses"
    if head in _REITERATORS and tail[:1] == ["its"]:
        for word in tail[1:4]:
            target = _REITERATED.get(word)
            if target == "calls upon" and "for" in tail[1:4]:
                return "calls for"
            if target:
                return target
    return head


# ---------------------------------------------------------------------------------------------
# The lexicon
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LexiconEntry:
    """One row of ``data/verbs.tsv``."""

    phrase: str
    lemma: str
    kind: str
    count: int
    family: str
    strength: int | None


def strength_of(lemma: str) -> int | None:
    """The rung of ``lemma`` on the obligation ladder, or ``None`` (off-ladder or unknown).

    Examples:
        >>> strength_of("decides"), strength_of("condemns"), strength_of("frobnicates")
        (5, None, None)
    """
    entry = LADDER.get(lemma)
    return entry[1] if entry else None


def family_of(lemma: str) -> str:
    """The family of ``lemma`` (``"decision"`` … ``"condemnation"``), or ``""`` when unknown."""
    entry = LADDER.get(lemma)
    return entry[0] if entry else ""


class Lexicon:
    """The derived verb lexicon: phrases seen in the AKN italics, their lemmas and rungs.

    Use :meth:`load` (cached) rather than the constructor.
    """

    def __init__(self, entries: tuple[LexiconEntry, ...]) -> None:
        self.entries = entries
        best: dict[str, tuple[int, str]] = {}
        for e in entries:
            if e.count > best.get(e.phrase, (0, ""))[0]:
                best[e.phrase] = (e.count, e.lemma)
        self._by_phrase = {phrase: lemma for phrase, (_, lemma) in best.items()}
        heads = {lemma.split()[0] for lemma in LADDER if lemma.split()[0].endswith("s")}
        heads |= {e.lemma.split()[0] for e in entries if e.lemma}
        self.known: frozenset[str] = frozenset(heads)

    @classmethod
    def load(cls) -> Lexicon:
        """Read ``reslens/data/verbs.tsv`` once and return the shared lexicon."""
        return _load_default()

    @classmethod
    def from_tsv(cls, text: str) -> Lexicon:
        """Build a lexicon from the text of a ``verbs.tsv`` file."""
        rows = csv.DictReader(text.splitlines(), delimiter="\t")
        entries = tuple(
            LexiconEntry(
                phrase=row["phrase"],
                lemma=row["lemma"],
                kind=row["kind"],
                count=int(row["count"]),
                family=row["family"],
                strength=int(row["strength"]) if row["strength"] else None,
            )
            for row in rows
        )
        return cls(entries)

    def lemma(self, phrase: str, following: str = "") -> str:
        """The lemma of ``phrase``; ``following`` resolves ``"calls"`` and ``"expresses"``."""
        norm = normalize_phrase(phrase)
        found = self._by_phrase.get(norm)
        if found is not None and not following:
            return found
        lemma = lemmatize(norm, following, self.known)
        return lemma if lemma in LADDER else ""

    def classify(
        self, phrase: str, following: str = "", position: int = 0, source: str = "markup"
    ) -> Verb:
        """Turn a phrase into a :class:`~reslens.models.Verb` with lemma, family and strength.

        Args:
            phrase: the verb phrase as written.
            following: the text after it in the paragraph (optional, refines the lemma).
            position: character offset of the phrase in its paragraph.
            source: ``"markup"`` or ``"detected"``.

        Returns:
            The verb; an unknown phrase gets lemma ``""`` and strength ``None``.

        Examples:
            >>> v = Lexicon.load().classify("Strongly condemns")
            >>> (v.lemma, v.family, v.strength)
            ('condemns', 'condemnation', None)
        """
        lemma = self.lemma(phrase, following)
        family, strength = LADDER.get(lemma, ("", None))
        return Verb(
            text=phrase.strip(),
            lemma=lemma,
            strength=strength,
            family=family,
            position=position,
            source=source,
        )

    def phrases(self, kind: str | None = None, min_count: int = 1) -> list[str]:
        """Known verb phrases (with a lemma), longest first, optionally of one kind."""
        out = {
            e.phrase
            for e in self.entries
            if e.lemma and e.count >= min_count and (kind is None or e.kind == kind)
        }
        return sorted(out, key=lambda p: (-len(p), p))


@lru_cache(maxsize=1)
def _load_default() -> Lexicon:
    text = resources.files("reslens").joinpath("data/verbs.tsv").read_text(encoding="utf-8")
    return Lexicon.from_tsv(text)


__all__ = [
    "LADDER",
    "OFF_LADDER",
    "STRENGTH_NAMES",
    "Lexicon",
    "LexiconEntry",
    "family_of",
    "lemmatize",
    "normalize_phrase",
    "strength_of",
]
