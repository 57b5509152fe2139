"""The language of paragraphs: operative verbs, addressees and cited resolutions.

Readers fill a :class:`~reslens.models.Paragraph` with its text and, for AKN files, with the
italic verbs of the markup (text and position only). :func:`annotate` completes them:

* verbs: markup verbs are classified on the obligation ladder (:mod:`reslens.language.lexicon`);
  paragraphs without markup verbs get :func:`detect_verbs`, which finds verbs in plain text;
* addressees: who an operative verb speaks to, read from the words after it;
* citations: the Security Council resolutions a paragraph cites.

Only English is classified; other languages keep their markup verbs with strength ``None``.

Examples:
    >>> [v.lemma for v in detect_verbs("3. Decides to renew the mandate; and requests further "
    ...     "that the Secretary-General report", "operative")]
    ['decides', 'requests']
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from reslens.language.addressees import find_addressees
from reslens.language.lexicon import Lexicon
from reslens.language.units import paragraph_units
from reslens.models import OPERATIVE, Citation, Paragraph, Resolution, Verb

# ---------------------------------------------------------------------------------------------
# Verb detection in plain text
# ---------------------------------------------------------------------------------------------

_LEADING_LABEL = re.compile(
    r"^\s*(?:(?:\d{1,3}[a-z]?|[ivxlc]{1,6}|[a-z])\s*[.)]|\(\s*(?:\d{1,3}|[a-z]{1,6})\s*\)|[•\-–—*])?\s*",
    re.IGNORECASE,
)


def _wordset(text: str) -> frozenset[str]:
    """The set of space-separated words of ``text`` (keeps long word lists readable)."""
    return frozenset(text.split())


# A secondary verb follows a clause boundary: ";", ":", ",", "and", a sub-point label, or an
# adverb that opens a clause ("in this regard", "once again").
_BOUNDARY = re.compile(
    r"(?:[;:,]|\band|\bwhile|\bagain|\balso|\bfurther|\bthus|\btherefore|\baccordingly|"
    r"\bin this (?:regard|context|respect)|\bin particular|\bto this end|\(\s*[a-z]{1,5}\s*\)|"
    r"\d{1,3}\s*\.)\s*$",
    re.IGNORECASE,
)
_OPENER = re.compile(r"^(?:and|further|also|while)\b", re.IGNORECASE)
_TRAILING_FILLER = re.compile(r"(?:\s+(?:further|also|again|strongly))+\b", re.IGNORECASE)
_MIN_COUNT = 2  # phrases seen once in the italics are too noisy to search for
_HEADS = ("s", "ing")
_OBJECT_WORDS = _wordset(
    "the a an that to all member states secretary-general parties government council"
)


@lru_cache(maxsize=4)
def _verb_pattern(secondary: bool) -> re.Pattern[str]:
    """One alternation of the known phrases (longest first).

    For secondary verbs only phrases with a finite or participle word are kept: base forms
    ("note", "request") and adjectives are nouns or attributes too often mid-sentence.
    """
    lexicon = Lexicon.load()
    keep: list[str] = []
    for phrase in lexicon.phrases(None, min_count=_MIN_COUNT):
        if _OBJECT_WORDS.intersection(phrase.split()) or len(phrase.split()) > 5:
            continue  # italics that ran into the object ("requests the secretary-general")
        if secondary and not any(w.endswith(_HEADS) for w in phrase.split()):
            continue
        keep.append(re.escape(phrase).replace(r"\ ", r"\s+"))
    return re.compile(r"\b(?:" + "|".join(keep) + r")\b", re.IGNORECASE)


def detect_verbs(text: str, kind: str) -> tuple[Verb, ...]:
    """Find the verbs of a paragraph written without italics (CR-UNSC, PDFs, drafts).

    The leading verb is the known phrase at the start of the paragraph (after its number);
    secondary verbs are known phrases that open a later clause ("...; and *requests further*
    that ...", "... and *encourages* Member States ..."). Phrases come from the lexicon derived
    from the AKN italics.

    Args:
        text: the paragraph text, with or without its number.
        kind: ``"operative"`` or ``"preambular"``.

    Returns:
        The verbs in order, classified, with ``source="detected"`` and positions in ``text``.

    Examples:
        >>> detect_verbs("Recalling its resolution 2195 (2014),", "preambular")[0].lemma
        'recalls'
    """
    lexicon = Lexicon.load()
    verbs: list[Verb] = []
    label = _LEADING_LABEL.match(text)
    offset = label.end() if label else 0
    matches = []
    lead = _verb_pattern(False).match(text, offset)
    if lead:
        matches.append(lead)
    for match in _verb_pattern(True).finditer(text, lead.end() if lead else offset):
        before = text[max(0, match.start() - 16) : match.start()]
        if not (_OPENER.match(match.group()) or _BOUNDARY.search(before)):
            continue
        capital = match.group()[:1].isupper()
        if capital and not re.search(r"(?:[;:]|\d\s*\.|\))\s*$", before):
            continue  # mid-sentence capitals are titles ("Welcomes" in a quoted name)
        matches.append(match)
    for match in matches:
        pos, end = match.start(), match.end()
        extra = _TRAILING_FILLER.match(text, end)
        if extra:
            end = extra.end()
        following = text[end : end + 80]
        verb = lexicon.classify(text[pos:end], following, position=pos, source="detected")
        if verb.lemma:
            verbs.append(verb)
    return tuple(verbs)


# ---------------------------------------------------------------------------------------------
# Citations
# ---------------------------------------------------------------------------------------------

_ITEM = r"\d{1,4}(?![\d/])(?:\s*\(\s*\d{4}\s*\))?"
_SEP = (
    r"\s*(?:,\s*(?:and\s+|as\s+well\s+as\s+)?|\band\b|\bas\s+well\s+as\b|\bto\b"
    r"|\bthrough\b|[–-])\s*"
)
_CITATION = re.compile(rf"\bresolutions?\s+({_ITEM}(?:{_SEP}{_ITEM})*)", re.IGNORECASE)
_ONE = re.compile(r"(\d{1,4})(?:\s*\(\s*(\d{4})\s*\))?")
_CONTINUED = re.compile(r"(?<![\d/.,])(\d{3,4})\s*\((\d{4})\)")
_OTHER_ORGAN = re.compile(
    r"(?:General Assembly|Human Rights Council|Economic and Social Council|ECOSOC|Assembly|"
    r"Commission|Board|Conference|Council of the [A-Z]\w+|Union|Organization)(?:'s)?\s*$"
)


def find_citations(text: str) -> tuple[Citation, ...]:
    """The Security Council resolutions cited in ``text``, in order, without duplicates.

    ``resolutions 2195 (2014), 2240 (2015) and 2253 (2015)`` gives three citations; ``its
    resolution 2331`` gives one without a year. A range (``1820 (2008) to 2106 (2013)``, never
    seen in the corpus) gives its two ends only. Resolutions of other organs (General
    Assembly ``60/251``, ``1514 (XV)``) and "this resolution" are not citations.

    Examples:
        >>> [c.number for c in find_citations("recalling resolutions 2195 (2014), 2240 (2015) "
        ...     "and 2253 (2015)")]
        [2195, 2240, 2253]
    """
    out: list[Citation] = []
    seen: set[int] = set()
    for match in _CITATION.finditer(text):
        if _OTHER_ORGAN.search(text[max(0, match.start() - 40) : match.start()]):
            continue
        if re.match(r"\s*\((?:[IVXL]+|S-\d+)\)", text[match.end() : match.end() + 8]):
            continue
        # A list can go on after a relative clause: "resolutions 2195 (2014) and 2253 (2015),
        # which express concern ..., as well as 2242 (2015), which ...": within the same clause
        # (up to ";"), a bare "number (year)" continues it.
        clause_end = text.find(";", match.end())
        rest = text[match.end() : clause_end if clause_end >= 0 else len(text)]
        items = [*_ONE.finditer(match.group(1)), *_CONTINUED.finditer(rest)]
        for item in items:
            number = int(item.group(1))
            year = int(item.group(2)) if item.group(2) else None
            if number == 0 or (year is not None and not 1946 <= year <= 2100):
                continue
            if number in seen:
                continue
            seen.add(number)
            out.append(Citation(number=number, year=year, text=item.group().strip()))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Annotation
# ---------------------------------------------------------------------------------------------


def _repair(text: str, verb: Verb) -> tuple[str, int]:
    """Extend a markup verb broken mid-word to word boundaries, using the paragraph text."""
    pos, phrase = verb.position, verb.text
    if text[pos : pos + len(phrase)] != phrase:
        found = text.find(phrase.strip())
        if found < 0:
            return phrase, pos
        pos, phrase = found, phrase.strip()
    end = pos + len(phrase)
    while end < len(text) and phrase[-1:].isalpha() and text[end].isalpha():
        end += 1
    while pos > 0 and phrase[:1].isalpha() and text[pos - 1].isalpha():
        pos -= 1
    return text[pos:end], pos


def classify_verbs(paragraph: Paragraph) -> tuple[Verb, ...]:
    """The paragraph's verbs classified: markup verbs completed, or detected when none."""
    if paragraph.language != "en":
        return tuple(dataclasses.replace(v, strength=None) for v in paragraph.verbs)
    if not paragraph.verbs:
        return detect_verbs(paragraph.text, paragraph.kind)
    lexicon = Lexicon.load()
    out: list[Verb] = []
    for verb in paragraph.verbs:
        phrase, pos = _repair(paragraph.text, verb)
        following = paragraph.text[pos + len(phrase) : pos + len(phrase) + 80]
        out.append(lexicon.classify(phrase, following, position=pos, source=verb.source))
    return tuple(out)


def annotate_paragraph(paragraph: Paragraph) -> Paragraph:
    """A copy of ``paragraph`` with verbs classified, addressees and citations filled in."""
    verbs = classify_verbs(paragraph)
    english = paragraph.language == "en"
    addressees: tuple[str, ...] = ()
    if english and paragraph.kind == OPERATIVE:
        # the paragraph's addressees are its clauses' (sub-points inherit their chapeau's)
        units = paragraph_units(dataclasses.replace(paragraph, verbs=verbs))
        addressees = tuple(dict.fromkeys(a for u in units for a in u.addressees))
    citations = find_citations(paragraph.text) if english else paragraph.citations
    return dataclasses.replace(
        paragraph, verbs=verbs, addressees=addressees or paragraph.addressees, citations=citations
    )


def annotate(res: Resolution) -> Resolution:
    """Return a copy of ``res`` whose paragraphs carry classified verbs, addressees, citations.

    Args:
        res: a resolution as a reader produced it.

    Returns:
        A new :class:`~reslens.models.Resolution`; ``res`` is not modified.

    Examples:
        >>> from reslens.models import Paragraph, Resolution
        >>> p = Paragraph("1:op1", 1, "operative", "1", 0, "Urges Member States to act")
        >>> annotate(Resolution(1, 1946, paragraphs=(p,))).paragraphs[0].addressees
        ('Member States',)
    """
    paragraphs = tuple(annotate_paragraph(p) for p in res.paragraphs)
    return dataclasses.replace(res, paragraphs=paragraphs)


__all__ = [
    "annotate",
    "annotate_paragraph",
    "classify_verbs",
    "detect_verbs",
    "find_addressees",
    "find_citations",
]
