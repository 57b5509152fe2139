"""Resolution-level metadata: the AKN ``<meta>`` block, and the ``data_extract`` JSON join.

Two sources describe a resolution beyond its text:

* the ``<meta>`` and ``<coverPage>`` of the AKN file itself (symbol, FRBR dates and language,
  keywords, votes, draft symbol and sponsors), read by :func:`read_akn_meta`;
* the per-year JSON-lines files ``data_extract/<year>.json`` of the UNxml repository (agenda
  item, Chapter VII, UNBIS subjects, votes, sponsors, meeting, title), read by
  :func:`load_metadata` and joined by :func:`apply_metadata`.

The XML wins: the JSON only fills fields the XML left empty or held as a placeholder (the
``0001-01-01`` adoption dates, empty sponsor lists).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from reslens.errors import SourceError
from reslens.language.states import split_names
from reslens.models import (
    DRAFT,
    PRST,
    RESOLUTION,
    Paragraph,
    Resolution,
    document_number,
    document_of,
)
from reslens.text import clean

log = logging.getLogger(__name__)

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
_A = "{" + NS + "}"
LANGUAGES = {
    "eng": "en",
    "fra": "fr",
    "spa": "es",
    "rus": "ru",
    "ara": "ar",
    "zho": "zh",
    "deu": "de",
}
_SYMBOL = re.compile(r"S/RES/(\d{1,4})\s*\((\d{4})\)")
_FRBR = re.compile(r"/(\d{1,4})-((?:19|20)\d{2})/")
_FILE_NUMBER = re.compile(r"(?:RES|SC)[\s_-]*(\d{3,4})", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
KEYWORD_DICTIONARIES = frozenset({"UNBIS", "EuroVoc", "SDGO", "DHLAUTH"})
# presidential statements and drafts: the symbol, else the file name (S_PRST_2007_22-…)
_DOCUMENTS = {
    "presidentialStatement": (
        PRST,
        re.compile(r"^S/PRST/((?:19|20)\d\d)/(\d{1,4})$"),
        re.compile(r"^S_PRST_((?:19|20)\d\d)_(\d{1,4})(?!\d)", re.IGNORECASE),
    ),
    "draftResolution": (
        DRAFT,
        re.compile(r"^S/((?:19|20)\d\d)/(\d{1,4})$"),
        re.compile(r"^S_((?:19|20)\d\d)[_-](\d{1,4})(?!\d)", re.IGNORECASE),
    ),
}
_MEETING_RECORD = re.compile(r"S/PV\.(\d{3,5})")


@dataclass(frozen=True)
class AknMeta:
    """What the ``<meta>`` block and cover page of one AKN file say about the resolution."""

    number: int
    year: int
    language: str
    date: str | None = None
    title: str | None = None
    keywords: tuple[str, ...] = ()
    meeting: str | None = None
    draft_symbol: str | None = None
    sponsors: tuple[str, ...] = ()
    votes_for: tuple[str, ...] = ()
    votes_against: tuple[str, ...] = ()
    votes_abstaining: tuple[str, ...] = ()
    vote_counts: tuple[int, int, int] | None = None
    agenda_item: str | None = None
    # What the document says of itself, for the checks of :mod:`.reconcile`: the symbol as
    # printed (``docNumber``), the cover title ("Resolution 2574 (2021)"), its own adoption
    # date (FRBR, else the cover's) and its date of issue; ``date`` is the adoption date, else
    # the first valid date of the cover.
    printed_symbol: str | None = None
    cover_title: str | None = None
    adopted: str | None = None
    issued: str | None = None

    def resolution(self, path: Path, paragraphs: tuple[Paragraph, ...]) -> Resolution:
        """Build the :class:`Resolution` record with these metadata and the paragraphs."""
        return Resolution(
            number=self.number,
            year=self.year,
            language=self.language,
            date=self.date,
            title=self.title,
            keywords=self.keywords,
            meeting=self.meeting,
            draft_symbol=self.draft_symbol,
            sponsors=self.sponsors,
            votes_for=self.votes_for,
            votes_against=self.votes_against,
            votes_abstaining=self.votes_abstaining,
            vote_counts=self.vote_counts,
            agenda_item=self.agenda_item,
            source_path=str(path),
            source_format="akn",
            paragraphs=paragraphs,
        )


def _valid_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
    return parsed.isoformat() if parsed.year >= 1945 else None


def _cover_date(dates: list[etree._Element], refers_to: str) -> str | None:
    """The first valid ``date`` of the cover's ``docDate`` elements that refer to ``refers_to``."""
    valid = (_valid_date(d.get("date")) for d in dates if d.get("refersTo") == refers_to)
    return next((v for v in valid if v), None)


def _text(el: etree._Element | None) -> str:
    return clean("".join(str(t) for t in el.itertext())) if el is not None else ""


_TITLE_NUMBER = re.compile(r"(\d{1,4})\s*\((\d{4})\)")


def _document(
    doc: etree._Element, path: Path, quirks: Counter[str] | None = None
) -> tuple[int, int] | None:
    """(synthetic number, year) of a presidential statement or draft; None for a resolution."""
    if doc.get("name") not in _DOCUMENTS:
        return None
    document, by_symbol, by_name = _DOCUMENTS[doc.get("name", "")]
    symbol = _text(doc.find(f".//{_A}coverPage//{_A}docNumber"))
    # Some translations were made from another document's file and kept its symbol (German
    # S_2023_638 says S/2023/506, with 638's text and date): the file name wins
    m, named = by_symbol.match(symbol), by_name.match(path.name)
    if named is not None and (m is None or m.groups() != named.groups()):
        m = named
        if quirks is not None:
            quirks["document_symbol_from_file_name"] += 1
    if m is None:
        raise SourceError(f"{path}: a {document} without its symbol (cover: {symbol!r})")
    year, n = int(m.group(1)), int(m.group(2))
    if n < 1:
        raise SourceError(f"{path}: {symbol!r} is not a document symbol")
    return document_number(document, year, n), year


def _number(
    doc: etree._Element, path: Path, when: str | None, quirks: Counter[str] | None = None
) -> tuple[int, int]:
    if (found_doc := _document(doc, path, quirks)) is not None:
        return found_doc
    symbol = _text(doc.find(f".//{_A}coverPage//{_A}docNumber"))
    if symbol and (m := _SYMBOL.search(symbol)):
        found = int(m.group(1)), int(m.group(2))
        # Some translations were made from a copy of another resolution's file and kept its
        # symbol (German S_RES_2774 says S/RES/2766 (2024)); the cover title and the file name
        # then agree with each other against the symbol, and they win.
        title = _text(doc.find(f".//{_A}coverPage//{_A}docTitle[@refersTo='#resolutionNumber']"))
        named = _FILE_NUMBER.search(path.name)
        t = _TITLE_NUMBER.search(title)
        if t and named and int(t.group(1)) != found[0] and int(named.group(1)) == int(t.group(1)):
            if quirks is not None:
                quirks["stale_symbol_corrected_from_title"] += 1
            return int(t.group(1)), int(t.group(2))
        # A symbol with the wrong year (French S_RES_2510 says S/RES/2510 (2019), adopted on
        # 12 February 2020): the cover title and the adoption date agree on the year, and win.
        year = int(t.group(2)) if t and int(t.group(1)) == found[0] else found[1]
        if year != found[1] and when is not None and int(when[:4]) == year:
            if quirks is not None:
                quirks["stale_symbol_year_corrected_from_title"] += 1
            return found[0], year
        return found
    if symbol:
        raise SourceError(f"{path}: not a resolution (symbol {symbol!r})")
    for frbr in doc.iterfind(f"{_A}meta/{_A}identification//{_A}FRBRthis"):
        if m := _FRBR.search(frbr.get("value", "")):
            return int(m.group(1)), int(m.group(2))
    m = _FILE_NUMBER.search(path.name)
    y = _YEAR.search(path.name.replace(m.group(1), "", 1)) if m else None
    if m and (y or when):
        return int(m.group(1)), int(y.group(1) if y else (when or "")[:4])
    raise SourceError(f"{path}: no resolution number")


def _names(raw: str) -> tuple[str, ...]:
    """A sponsor list as written ("A, B and C") as names (see
    :func:`reslens.language.states.split_names`)."""
    return split_names(raw)


def read_akn_meta(doc: etree._Element, path: Path, quirks: Counter[str] | None = None) -> AknMeta:
    """Read the metadata of the ``<statement>`` (or ``<doc>``) element of an AKN file.

    Raises:
        SourceError: no resolution number can be found, or the symbol is not ``S/RES/...``.
    """
    meta = doc.find(_A + "meta")
    if meta is None:
        raise SourceError(f"{path}: no <meta> block")
    lang_el = meta.find(f".//{_A}FRBRlanguage")
    code = lang_el.get("language", "") if lang_el is not None else ""
    language = LANGUAGES.get(code, code[:2] or "en")
    adoption = meta.find(f".//{_A}FRBRWork/{_A}FRBRdate[@name='adoption']")
    if adoption is None:  # a draft not adopted: the day it was put to the vote
        adoption = meta.find(f".//{_A}FRBRWork/{_A}FRBRdate[@name='voting']")
    when = _valid_date(adoption.get("date") if adoption is not None else None)
    dates = doc.findall(f".//{_A}coverPage//{_A}docDate")
    adopted = when or _cover_date(dates, "#adoptionDate")
    issued = _cover_date(dates, "#dateOfIssuance")
    if when is None:
        if quirks is not None:
            quirks["placeholder_adoption_date"] += 1
        dates.sort(key=lambda d: d.get("refersTo") != "#adoptionDate")
        when = next((v for v in (_valid_date(d.get("date")) for d in dates) if v), None)
    number, year = _number(doc, path, when, quirks)
    title = None
    for t in doc.iterfind(f".//{_A}coverPage//{_A}docTitle"):
        if t.get("refersTo") not in {"#resolutionNumber", "#adoption"} and _text(t):
            title = _text(t)
    meeting_el = doc.find(f".//{_A}coverPage//{_A}inline[@name='adoptionMeeting']")
    meeting = _text(meeting_el) or None
    keywords: dict[str, None] = {}
    agenda: str | None = None
    dhl_title: str | None = None
    for kw in meta.iterfind(f"{_A}classification/{_A}keyword"):
        if kw.get("dictionary") in KEYWORD_DICTIONARIES and kw.get("showAs"):
            keywords[clean(kw.get("showAs", ""))] = None
        elif kw.get("refersTo") == "agenda" and kw.get("dictionary") == "S/":
            agenda = agenda or clean(kw.get("showAs", "")).rstrip(".") or None
        elif kw.get("refersTo") == "title" and kw.get("dictionary") == "DHL":
            dhl_title = dhl_title or clean(kw.get("showAs", "")) or None
    draft_symbol: str | None = None
    sponsors: list[str] = []
    for step in meta.iterfind(f"{_A}workflow/{_A}step"):
        outcome = step.get("outcome")
        if outcome == "draftResolution":
            draft_symbol = clean(step.get("as", "")) or None
            sponsors.extend(_names(step.get("by", "")))
        elif outcome == "draftResolutionAdditionalSponsors":
            sponsors.extend(s for s in _names(step.get("by", "")) if s not in sponsors)
        elif outcome in {"veto", "notAdopted"} and (
            record := _MEETING_RECORD.match(step.get("as", ""))
        ):
            meeting = f"{record.group(1)}th meeting"
    if document_of(number) != RESOLUTION:  # the library's title; data_extract has none
        title = title or dhl_title
    votes: dict[str, tuple[str, ...]] = {}
    counts: dict[str, int] = {}
    for count in meta.iterfind(f".//{_A}voting/{_A}count"):
        kind = count.get("refersTo", "").lstrip("#")
        votes[kind] = tuple(_text(o) for o in count.iter(_A + "organization") if _text(o))
        value = count.get("value", "")
        counts[kind] = int(value) if value.isdigit() else len(votes[kind])
    vote_counts = (
        (counts.get("inFavour", 0), counts.get("against", 0), counts.get("abstaining", 0))
        if counts
        else None
    )
    return AknMeta(
        number=number,
        year=year,
        language=language,
        date=when,
        title=title,
        keywords=tuple(keywords),
        meeting=meeting,
        draft_symbol=draft_symbol,
        sponsors=tuple(sponsors),
        votes_for=votes.get("inFavour", ()),
        votes_against=votes.get("against", ()),
        votes_abstaining=votes.get("abstaining", ()),
        vote_counts=vote_counts,
        # a resolution's agenda item comes from data_extract (apply_metadata)
        agenda_item=agenda if document_of(number) != RESOLUTION else None,
        printed_symbol=_text(doc.find(f".//{_A}coverPage//{_A}docNumber")) or None,
        cover_title=_text(
            doc.find(f".//{_A}coverPage//{_A}docTitle[@refersTo='#resolutionNumber']")
        )
        or None,
        adopted=adopted,
        issued=issued,
    )


# --------------------------------------------------------------------------- data_extract


def load_metadata(
    unxml_root: Path, *, bad_lines: Counter[str] | None = None
) -> dict[int, dict[str, Any]]:
    """Read every ``data_extract/<year>.json`` (JSON lines) under the UNxml folder.

    Args:
        unxml_root: the ``unxml-scresolutions`` folder.
        bad_lines: optional counter; receives ``bad_line`` per line that is not a JSON object
            with a resolution symbol (such lines are skipped and logged).

    Returns:
        The records keyed by resolution number (a later duplicate replaces an earlier one).

    Examples:
        >>> meta = load_metadata(Path("corpus/unxml-scresolutions"))  # doctest: +SKIP
        >>> meta[2331]["agenda_item_name"]  # doctest: +SKIP
        'Maintenance of international peace and security'
    """
    out: dict[int, dict[str, Any]] = {}
    folder = Path(unxml_root) / "data_extract"
    for file in sorted(folder.glob("*.json")):
        with file.open(encoding="utf-8", errors="replace") as handle:
            for lineno, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    m = _SYMBOL.search(record["symbol"]) if isinstance(record, dict) else None
                except (json.JSONDecodeError, KeyError, TypeError):
                    m = None
                if m is None:
                    log.warning("%s:%d: skipped a line that is not a metadata record", file, lineno)
                    if bad_lines is not None:
                        bad_lines["bad_line"] += 1
                    continue
                out[int(m.group(1))] = record
    return out


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(clean(str(v)) for v in value if clean(str(v)))
    return ()


def _int(value: Any) -> int | None:
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() else None


def parse_record_date(value: Any) -> str | None:
    """A record's date ("29 April 2024", "2024-04-29") as ISO, or ``None``."""
    text = clean(str(value or ""))
    for fmt in ("%d %B %Y", "%Y-%m-%d", "%B %d, %Y"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def apply_metadata(res: Resolution, meta: dict[str, Any] | None) -> Resolution:
    """Fill the fields of ``res`` that the XML left empty from a ``data_extract`` record.

    Values read from the XML are kept; the record only fills what is missing (``None`` or
    empty), plus the agenda item, Chapter VII flag and UNBIS subjects that only it holds.

    Args:
        res: a resolution as read by :func:`reslens.sources.readers.akn.read_akn`.
        meta: its record from :func:`load_metadata`, or ``None`` (then ``res`` is returned).

    Returns:
        A new :class:`Resolution` (``dataclasses.replace``).

    Examples:
        >>> apply_metadata(res, load_metadata(root).get(res.number))  # doctest: +SKIP
    """
    if not meta:
        return res
    changes: dict[str, Any] = {}

    def fill(name: str, value: Any) -> None:
        if value not in (None, "", ()) and getattr(res, name) in (None, "", ()):
            changes[name] = value

    fill("agenda_item", clean(str(meta.get("agenda_item_name") or "")) or None)
    chapter = clean(str(meta.get("chapter_VII") or ""))
    if res.chapter_vii is None and chapter != "N.A." and "chapter_VII" in meta:
        changes["chapter_vii"] = chapter.lower() == "chapter vii"
    subjects = meta.get("subjects")
    if isinstance(subjects, list):
        unbis = [
            clean(str(s[0]))
            for s in subjects
            if isinstance(s, list) and len(s) == 2 and str(s[1]).startswith("UNBIS")
        ]
        fill("subjects", tuple(dict.fromkeys(u for u in unbis if u)))
    fill("title", clean(str(meta.get("resolution_title") or "")) or None)
    fill("meeting", clean(str(meta.get("adoption_meeting") or "")) or None)
    fill("draft_symbol", clean(str(meta.get("draft_resolution") or "")) or None)
    sponsors = _strings(meta.get("sponsors")) + _strings(meta.get("additional_sponsors"))
    fill("sponsors", tuple(dict.fromkeys(sponsors)))
    fill("votes_for", _strings(meta.get("MS_in_favour")))
    fill("votes_against", _strings(meta.get("MS_against")))
    fill("votes_abstaining", _strings(meta.get("MS_abstaining")))
    counts = [_int(meta.get(f"MS_{k}_count")) for k in ("in_favour", "against", "abstaining")]
    if res.vote_counts is None and all(c is not None for c in counts):
        changes["vote_counts"] = (counts[0], counts[1], counts[2])
    fill("date", parse_record_date(meta.get("adoption_date")))
    return dataclasses.replace(res, **changes) if changes else res


__all__ = ["AknMeta", "apply_metadata", "load_metadata", "parse_record_date", "read_akn_meta"]
