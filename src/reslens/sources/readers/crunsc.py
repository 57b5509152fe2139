"""Reader for the hand-corrected CR-UNSC texts (yearbook layout, S/RES/1-899 and a few later).

A file looks like a page of the Security Council's yearbook::

    Resolution 242 (1967)                      32 (1947). Resolution of 26 August 1947
    of 22 November 1967                        [S/525, III]

    The Security Council,                      The Security Council,
    Emphasizing the inadmissibility ...        Taking into consideration that ...,
    1. Affirms that the fulfilment ...         1. Reminds the Government ...
    Adopted unanimously at the                 Adopted at the 195th meeting by 10 votes
    1382nd meeting.                            to none, with 1 abstention (...).
                                               1 Ibid., document S/...   (footnotes)

Choices (documented because a reader of the records will meet them):

- Anything before the header (running titles, a neighbouring resolution's tail) is skipped.
- Paragraphs are blank-line separated blocks; a block that starts in lower case, or follows a
  block with no closing punctuation, continues the previous one (page breaks).
- Numbered blocks (``1.``, ``2.``...) are operative, blocks before the first one preambular.
- A resolution **without numbered paragraphs** (most early decisions): the leading blocks that
  end with a comma are preambular; the first block that does not, and every block after it, is an
  operative paragraph numbered by position from ``"1"``. A one-paragraph decision is thus ``op1``.
- Parts ``A``, ``B``... set ``section``. When a part restarts the numbering (S/RES/161), the key
  carries the part: ``161:opB1`` (``number`` stays ``"1"``).
- Line-end hyphenation is undone by the vocabulary (:meth:`Vocabulary.join_line_hyphen`); the
  default vocabulary is learnt from all the CR-UNSC files in the same directory.
- Footnote markers (``parties 1 and``, ``1949, 1/``) are removed when their number has a
  footnote; French spacing (``dispute ;``) is closed; OCR ``(1)`` is read as ``(i)`` in a
  paragraph that also has ``(ii)``.
- The closing ``Adopted ...`` block gives ``meeting`` and, where printed, ``vote_counts``
  (for, against, abstaining); "unanimously" leaves the counts ``None`` (the number of members
  voting is not printed). It is never a paragraph.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path

from reslens.errors import SourceError
from reslens.language.vocab import Vocabulary
from reslens.models import OPERATIVE, PREAMBULAR, Paragraph, Resolution, paragraph_key
from reslens.sources.limits import check_file_size
from reslens.sources.readers.pdftext import (
    Repair,
    build_paragraph,
    is_page_furniture,
    parse_date,
    unwrap_lines,
)
from reslens.text import clean

__all__ = ["crunsc_vocabulary", "read_crunsc"]

_FILENAME = re.compile(r"S_RES_(\d{4})_(\d{4})_EN_GOLD\.txt$")
_HEADER_NEW = re.compile(
    r"^\s*Resolution\s+(\d+)(?:\s*\(([\d\-]{4,5})\))?\.?\s*(?:of\s+(.+?))?\s*$", re.IGNORECASE
)
_HEADER_OLD = re.compile(r"^\s*(\d+)\s*\((\d{4})\)\.?\s*Resolution\s+of\s+(.+?)\s*$")
_DATE_LINE = re.compile(
    r"^\s*(?:[oe]f\s+)?(\S{1,3}\s+[A-Za-z]\S+\s+\S{4})(?:\s+\d{1,3})?\s*$", re.IGNORECASE
)
_ADOPTED_BY = re.compile(
    r"Adopted by the Security\s+(?:Council\s+)?at\s+_?\s*its\s+"
    r"(\d[\dlI]*?)\s*(?:st|nd|rd|th)?[_\s]+meeting,?"
    r"\s*(?:on\s+(\d{1,2}\s+\w+\s+\d{4}))?",
    re.IGNORECASE,
)
_DRAFT = re.compile(r"^\s*[\[(]\s*([S8]\s*/[^\]\n}]*?)\s*[\])}]+\s*$")
_CLOSING = re.compile(r"^\s*Ad[ao]pted\b(?!\s+by\s+the\s+Security)")
_ANNEX = re.compile(r"^\s*(?:Annex|ANNEX)\b")
_HEADING_MAX_WORDS = 4
_HEADER_MAX = 200  # characters of a header line
_MEETING = re.compile(
    r"(\d[\dlI]*?)\s*(?:st|nd|rd|the?)?(?:\s*\([^)]*\))?[_\s]*mee?ting", re.IGNORECASE
)
_VOTES = re.compile(
    r"by\s+(\d+|none)\s+votes?\s+to\s+(\d+|none)(?:\s*,?\s*with\s+(\d+|one|two|three|four|five)"
    r"\s+abstentions?)?",
    re.IGNORECASE,
)
_FOOTNOTE_LINE = re.compile(r"^\s*(\d{1,3})(/)?\s*[a-z]?\s+\S")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAY_LINE = re.compile(rf"^\s*\d{{1,2}}\s+(?:{_MONTHS})\b")
_OP_BLOCK = re.compile(r"^\s*(\d{1,3}|[ilIL](?=\.\s+[A-Z]))\s*[.,]\s+")
_OP_LINE = re.compile(r"^\s*\d{1,3}\s*[.,]\s+[A-Z]")
_SECTION = re.compile(r"^\s*([A-Z])\s*$")
_FORMULA = re.compile(r"^\s*The Security Council\s*[,.]?\s*$", re.IGNORECASE)
_POINT = re.compile(r"^\s*\(([a-z]{1,3}|\d{1,2})\)\s")
_SLASH_NOTE = re.compile(r"(?<=\S)\s+\d{1,2}/(?=[\s,.;:]|$)")
# Words after which a number is part of the text, not a footnote marker.
_NUMBER_TAKERS = frozenset(
    re.findall(
        r"\w+",
        "paragraph paragraphs para paras article articles resolution resolutions chapter "
        "chapters annex annexes section sections part parts no nos page pages p pp vol and or "
        "to of under rule rules principle principles item items meeting meetings from between "
        "by on at than",
    )
)
_WORDS_AS_NUMBERS = {"none": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


@functools.lru_cache(maxsize=8)
def crunsc_vocabulary(directory: Path) -> Vocabulary:
    """Learn a vocabulary from every CR-UNSC text in ``directory`` (cached per directory).

    Words broken at a line end are left out, so that only words as printed whole are counted.
    """
    texts: list[str] = []
    for path in sorted(Path(directory).glob("*.txt")):
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        texts.append(re.sub(r"\S*-[ \t]*\n\s*\S*", " ", raw))
    return Vocabulary.from_texts(texts)


def read_crunsc(
    path: str | Path,
    *,
    vocabulary: Vocabulary | None = None,
    repairs: list[Repair] | None = None,
) -> Resolution:
    """Read one CR-UNSC gold text (``S_RES_<nnnn>_<year>_EN_GOLD.txt``).

    Args:
        path: the file.
        vocabulary: decides line-end hyphenation; default: learnt from the file's directory.
        repairs: if given, each line-end hyphen decision is appended to it (for review).

    Returns:
        The resolution (``source_format="crunsc"``), paragraphs without verbs.

    Raises:
        SourceError: the file cannot be read, or holds no paragraph (the message names it).

    Examples:
        >>> res = read_crunsc("corpus/cr-unsc-gold/data/res_en_gold/S_RES_0242_1967_EN_GOLD.txt")
        ... # doctest: +SKIP
        >>> res.date, res.paragraphs[3].key  # doctest: +SKIP
        ('1967-11-22', '242:op1')
    """
    source = Path(path)
    check_file_size(source)
    try:
        raw = source.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{source}: cannot read CR-UNSC text: {exc}") from exc
    vocab = vocabulary if vocabulary is not None else crunsc_vocabulary(source.parent.resolve())
    name = _FILENAME.search(source.name)
    number = int(name.group(1)) if name else 0
    year = int(name.group(2)) if name else 0

    lines = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    start, head_number, head_year, date = _find_header(lines, number, year)
    if number and head_number and head_number != number:
        raise SourceError(
            f"{source}: the file holds the text of resolution {head_number}, not {number}"
        )
    number = number or head_number
    year = year or head_year
    if not number:
        raise SourceError(f"{source}: no resolution number in the file name or header")
    body = lines[start:]
    draft: str | None = None
    meeting: str | None = None
    adopted_by = _ADOPTED_BY.search(" ".join(line.strip() for line in body[:8]))
    if adopted_by:
        meeting = _ordinal_meeting(adopted_by.group(1))
        date = date or _date(adopted_by.group(2) or "", year)
    kept: list[str] = []
    for i, line in enumerate(body):
        date_line = _DATE_LINE.match(line) if i < 6 else None
        line_date = _date(date_line.group(1), year) if date_line else None
        if date_line and (line_date or line.strip()[:2].lower() in ("of", "ef")):
            date = date or line_date
            continue
        draft_line = _DRAFT.match(line) if i < 6 and draft is None else None
        if draft_line:
            draft = "S" + re.sub(r"\s+", "", draft_line.group(1))[1:].replace(",", ", ")
            continue
        if is_page_furniture(line):
            continue
        kept.append(line)
    blocks = _blocks(kept)
    if adopted_by:
        blocks = [b for b in blocks if not _ADOPTED_BY.search(" ".join(b))]
    blocks, closing, notes = _split_closing(blocks)
    vote_counts: tuple[int, int, int] | None = None
    if closing:
        closing_text = clean(unwrap_lines(closing, vocab, []))
        found = _MEETING.search(closing_text)
        if found and meeting is None:
            meeting = _ordinal_meeting(found.group(1))
        vote_counts = _votes(closing_text)
    paragraphs = _paragraphs(blocks, number, vocab, notes, repairs if repairs is not None else [])
    if not paragraphs:
        raise SourceError(f"{source}: no paragraph found")
    return Resolution(
        number=number,
        year=year,
        date=date,
        meeting=meeting,
        draft_symbol=draft,
        vote_counts=vote_counts,
        source_path=str(source),
        source_format="crunsc",
        paragraphs=tuple(paragraphs),
    )


def _find_header(lines: list[str], number: int, year: int) -> tuple[int, int, int, str | None]:
    """Locate the yearbook header; return (first body line, number, year, ISO date).

    The header of the file's own resolution is preferred; failing that, the first header of
    any number is returned (the caller reports a file holding another resolution).
    """
    found: list[tuple[int, int, int, str | None]] = []
    for i, line in enumerate(lines):
        if len(line) > _HEADER_MAX:
            continue  # no header; and the header patterns backtrack on long lines
        for pattern in (_HEADER_OLD, _HEADER_NEW):
            match = pattern.match(line)
            if not match:
                continue
            year_text = (match.group(2) or "").replace("-", "")
            head_year = int(year_text) if year_text.isdigit() else 0
            date = _date(match.group(3) or "", head_year or year)
            entry = (i + 1, int(match.group(1)), head_year, date)
            if not number or entry[1] == number:
                return entry
            found.append(entry)
            break
    return found[0] if found else (0, 0, 0, None)


_OCR_DIGITS = str.maketrans({"l": "1", "I": "1", "i": "1", "f": "1", "]": "1", "O": "0", "o": "0"})
_MONTH_NAMES = _MONTHS.split("|")


def _date(text: str, year: int) -> str | None:
    """Read a yearbook date, tolerating OCR damage (``3 Apri] 1991``, ``14 October £964``).

    The day's misread digits are mapped (``3f`` -> ``31``), the month is matched by its first
    three letters, and a damaged year is taken from the file name.
    """
    match = re.search(r"(\S{1,3})\s+([A-Za-z]{3,})\S*\s+(\S{4})", text)
    if not match:
        return None
    day_text = match.group(1).translate(_OCR_DIGITS)
    word = match.group(2).lower()
    months = [m for m in _MONTH_NAMES if m.lower().startswith(word[:3])]
    if not months:  # "Auqust": fall back on the first two letters when they are unambiguous
        months = [m for m in _MONTH_NAMES if m.lower().startswith(word[:2])]
    year_text = match.group(3)
    found_year = int(year_text) if year_text.isdigit() else year
    if not day_text.isdigit() or len(months) != 1 or not found_year:
        return None
    return parse_date(f"{int(day_text)} {months[0]} {found_year}")


def _ordinal_meeting(digits: str) -> str:
    n = int(digits.translate(_OCR_DIGITS))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} meeting"


def _votes(text: str) -> tuple[int, int, int] | None:
    match = _VOTES.search(text)
    if not match:
        return None
    values = [
        int(g) if g.isdigit() else _WORDS_AS_NUMBERS.get(g.lower(), 0)
        for g in (match.group(1), match.group(2), match.group(3) or "0")
    ]
    return values[0], values[1], values[2]


def _blocks(lines: list[str]) -> list[list[str]]:
    """Blank-line separated blocks, with page-break continuations glued back."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if _SECTION.match(line) and current:
            blocks.append(current)  # a part letter with no blank line after the text above
            current = []
        if current and _SECTION.match(current[-1]):
            blocks.append(current)  # ... or before the text below
            current = []
        if line.strip() and current and _OP_LINE.match(line) and _ends_clause(current[-1]):
            blocks.append(current)  # a numbered paragraph with no blank line above it
            current = [line]
            continue
        if line.strip() and current and _starts_note(line, current[-1]):
            blocks.append(current)  # a footnote glued under the last paragraph
            current = [line]
            continue
        if line.strip() and current and _CLOSING.match(line):
            blocks.append(current)  # the adoption line glued under the last paragraph
            current = [line]
            continue
        if line.strip():
            current.append(line)
            continue
        if current:
            blocks.append(current)
            current = []
    merged: list[list[str]] = []
    for block in blocks:
        first = block[0].strip()
        if merged and _continues(merged[-1], first):
            merged[-1].extend(block)
        else:
            merged.append(list(block))
    return merged


def _ends_clause(line: str) -> bool:
    return line.rstrip().endswith((",", ";", ":", "."))


def _starts_note(line: str, previous: str) -> bool:
    """A footnote line (``11 Ibid., document S/6586.``) right after a finished sentence."""
    return (
        bool(_FOOTNOTE_LINE.match(line))
        and not _DAY_LINE.match(line)
        and not _OP_BLOCK.match(line)
        and previous.rstrip().endswith((".", ";"))
        and line.split()[1][:1].isupper()
    )


def _continues(previous: list[str], first: str) -> bool:
    """Whether a block starting with ``first`` continues the block ``previous``."""
    last = previous[-1].strip()
    if _SECTION.match(last) or _FORMULA.match(last) or _CLOSING.match(first):
        return False
    if _OP_BLOCK.match(first) or _POINT.match(first) or _SECTION.match(first):
        return False
    if _FOOTNOTE_LINE.match(first) and not _DAY_LINE.match(first):
        return False
    return first[:1].islower() or last[-1:].isalpha() or last.endswith("-")


def _split_closing(
    blocks: list[list[str]],
) -> tuple[list[list[str]], list[str], frozenset[str]]:
    """Separate the adoption block and the footnotes from the paragraphs.

    Returns:
        (paragraph blocks, the closing "Adopted ..." lines, the footnote numbers defined).
    """
    body: list[list[str]] = []
    closing: list[str] = []
    notes: set[str] = set()
    ended = False
    for block in blocks:
        first = block[0]
        if not ended and _CLOSING.match(first):
            ended = True
            closing = block
            continue
        if ended:
            for line in block:
                note = _FOOTNOTE_LINE.match(line)
                if note and not _DAY_LINE.match(line):
                    notes.add(note.group(1))
            continue
        body.append(block)
    # Files without an adoption line may still end with footnotes ("72 Ibid., document ...").
    while body and _FOOTNOTE_LINE.match(body[-1][0]) and not _DAY_LINE.match(body[-1][0]):
        note = _FOOTNOTE_LINE.match(body[-1][0])
        if note is None or _OP_BLOCK.match(body[-1][0]):
            break
        notes.add(note.group(1))
        body.pop()
    return body, closing, frozenset(notes)


def _strip_markers(text: str, notes: frozenset[str]) -> str:
    """Remove footnote markers: ``parties 1 and`` -> ``parties and``; ``1949, 1/ and``."""
    text = _SLASH_NOTE.sub("", text)
    if not notes:
        return text
    tokens = text.split(" ")
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token.rstrip(",.;:") in notes and out:
            before = out[-1]
            word = re.sub(r"[^\w]", "", before).lower()
            after = tokens[i + 1] if i + 1 < len(tokens) else ""
            after2 = tokens[i + 2] if i + 2 < len(tokens) else ""
            if after in ("to", "and", "or") and after2[:1].isdigit():
                out.append(token)  # a range or list of numbers ("from 11 to 13 March")
                continue
            if (
                re.search(r"(?:[^\W\d_][,.;:)’”\"']*|\b\d{4}[,;:])$", before)
                and word not in _NUMBER_TAKERS
                and not re.match(rf"(?:{_MONTHS}|\()", after)
            ):
                tail = token[len(token.rstrip(",.;:")) :]
                out[-1] = before + tail
                continue
        out.append(token)
    return " ".join(out)


def _segments(
    block: list[str], vocab: Vocabulary, notes: frozenset[str], repairs: list[Repair]
) -> str:
    text = unwrap_lines(block, vocab, repairs)
    text = _strip_markers(clean(text), notes)
    text = re.sub(r"(?<=\S)\s+([,;:.!?)\]])", r"\1", text)
    return re.sub(r"([(\[])\s+", r"\1", text)


def _is_heading(text: str) -> bool:
    """A short block with no closing comma, semicolon or full stop (``Resolves:``, ``Rule 42``)."""
    return len(text.split()) <= _HEADING_MAX_WORDS and not re.search(r"[,;.]$", text)


def _looks_preambular(text: str) -> bool:
    """An unnumbered block is preambular when it ends with a comma or opens with a participle."""
    first = text.split(" ", 1)[0]
    return text.endswith(",") or (first[:1].isupper() and first.endswith("ing"))


def _renumber(numbers: list[int]) -> list[int]:
    """Repair a misprinted number that breaks the sequence while its neighbours keep it.

    A number is replaced by ``previous + 1`` when the next number is ``previous + 2`` and
    ``previous + 1`` is printed nowhere: ``1 2 3 4 8 6 8 9`` (S/RES/591) -> ``1 ... 7 8 9``.
    A restart at ``1`` (a new part) is left alone.
    """
    fixed = list(numbers)
    for i in range(1, len(fixed) - 1):
        expected = fixed[i - 1] + 1
        if (
            fixed[i] not in (expected, 1)
            and fixed[i + 1] == expected + 1
            and expected not in numbers
        ):
            fixed[i] = expected
    return fixed


def _paragraphs(
    blocks: list[list[str]],
    number: int,
    vocab: Vocabulary,
    notes: frozenset[str],
    repairs: list[Repair],
) -> list[Paragraph]:
    """Turn body blocks into paragraphs (see the module docstring for the rules)."""
    # kind, printed number, section, heading, segments
    groups: list[tuple[str, str, str | None, str | None, list[str]]] = []
    section: str | None = None
    heading: str | None = None
    numbered = any(_OP_BLOCK.match(b[0]) for b in blocks)
    operative_started = False
    texts: list[tuple[str | None, str]] = []  # (section marker, text)
    for block in blocks:
        first = block[0]
        if _SECTION.match(first) and len(block) == 1:
            texts.append((_SECTION.match(first).group(1), ""))  # type: ignore[union-attr]
            continue
        if _ANNEX.match(first) and texts:
            break  # annexes are not paragraphs of the resolution
        if _FORMULA.match(first):
            block = block[1:]
            if not block:
                continue
        texts.append((None, _segments(block, vocab, notes, repairs)))
    for i, (marker, text) in enumerate(texts):
        if marker:
            section, heading = marker, None
            operative_started = False  # a part has its own preamble
            continue
        op = _OP_BLOCK.match(text)
        next_is_point = i + 1 < len(texts) and bool(_POINT.match(texts[i + 1][1]))
        if op:
            operative_started = True
            printed_number = op.group(1) if op.group(1).isdigit() else "1"  # OCR "i." / "L."
            groups.append((OPERATIVE, printed_number, section, heading, [text[op.end() :].strip()]))
        elif _POINT.match(text) and groups:
            groups[-1][4].append(text)
        elif _is_heading(text) and not (text.endswith(":") and next_is_point):
            heading = text
            operative_started = operative_started or (not numbered and text.endswith(":"))
        elif numbered and operative_started:
            groups[-1][4].append(text)  # unnumbered text after numbered paragraphs
        elif not numbered and (operative_started or not _looks_preambular(text)):
            operative_started = True
            groups.append((OPERATIVE, "", section, heading, [text]))
        else:
            groups.append((PREAMBULAR, "", section, heading, [text]))
    if groups and not numbered and all(g[0] == PREAMBULAR for g in groups):
        # An unnumbered resolution whose decision ends with a comma (S/RES/299): the last
        # paragraph is the decision.
        groups[-1] = (OPERATIVE, "", *groups[-1][2:])
    printed = [int(g[1]) for g in groups if g[1]]
    renumbered = iter(_renumber(printed))
    paragraphs: list[Paragraph] = []
    keys: set[str] = set()
    restarted: set[str | None] = set()
    preamble = operative = 0
    for kind, printed_number, sec, head, segments in groups:
        if kind == PREAMBULAR:
            preamble += 1
            num = str(preamble)
        else:
            operative += 1
            num = str(next(renumbered)) if printed_number else str(operative)
        key_number = num
        if kind == OPERATIVE and sec and paragraph_key(number, kind, num) in keys:
            restarted.add(sec)  # this part numbers its paragraphs from 1 again
        if kind == OPERATIVE and sec in restarted:
            key_number = f"{sec}{num}"
        suffix = 2
        while paragraph_key(number, kind, key_number) in keys:
            key_number = f"{num}_{suffix}"  # a repeated number with no part to tell them apart
            suffix += 1
        keys.add(paragraph_key(number, kind, key_number))
        paragraph = build_paragraph(
            number,
            kind,
            num,
            len(paragraphs),
            _roman_ocr(segments),
            section=sec,
            key_number=key_number,
        )
        paragraphs.append(replace(paragraph, heading=head) if head else paragraph)
    return paragraphs


def _roman_ocr(segments: list[str]) -> list[str]:
    """Read OCR ``(1)`` as ``(i)`` in a paragraph whose next point is ``(ii)``."""
    labels = [m.group(1) if (m := _POINT.match(s)) else "" for s in segments]
    if "1" in labels and "ii" in labels and "2" not in labels:
        return [
            re.sub(r"^\s*\(1\)", "(i)", s) if lab == "1" else s
            for s, lab in zip(segments, labels, strict=True)
        ]
    return segments
