"""Reader for text extracted from a resolution PDF (the seed page of S/RES/2331, pypdf output).

Extraction leaves damage that this module repairs, every decision taken by a
:class:`~reslens.language.vocab.Vocabulary` learnt from the corpus (never a hand list of words):

- page furniture: the running header ``S/RES/2331 (2016)``, page numbers ``8/8``, job numbers
  ``16-22533`` (optionally ``(E)`` and a ``*1622533*`` barcode), even in the middle of a
  paragraph (``24.`` / ``8/8`` / ``Decides ...``);
- words hyphenated at a line end (``para-`` / ``graph``; :meth:`Vocabulary.join_line_hyphen`);
- spaced hyphens (``post -conflict``) and spaces before punctuation (``strategies ,``);
- hyphens lost at a line break (``Councilmandated``; :meth:`Vocabulary.fix_glued_hyphen`);
- words split by a space (``preve nt``, ``geographic al``, ``f or``;
  :meth:`Vocabulary.should_join`, which keeps real pairs such as ``in to`` apart).

Fragments are normal input: a page that starts at paragraph 21 gives paragraphs 21, 22...; text
before the first numbered paragraph that does not follow the "The Security Council," formula is
the tail of a paragraph from an earlier page and is dropped. The symbol comes from the running
header (or ``number=``/``year=`` passed by the caller); without either, ``number`` and ``year``
are 0.

The helpers :func:`build_paragraph` and :func:`parse_points` are shared with the CR-UNSC reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from reslens.errors import SourceError
from reslens.language.vocab import Vocabulary
from reslens.models import OPERATIVE, PREAMBULAR, Paragraph, Resolution, SubPoint, paragraph_key
from reslens.sources.limits import MAX_TEXT_CHARS, MAX_TEXT_LINES, check_count
from reslens.text import clean

__all__ = [
    "Repair",
    "build_paragraph",
    "is_page_furniture",
    "parse_date",
    "parse_points",
    "read_pdf_text",
    "repair_text",
    "unwrap_lines",
]

_RUNNING_HEADER = re.compile(r"^\s*S/RES/(\d+)\s*\((\d{4})\)\s*$")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*/\s*\d{1,3}\s*$")
_JOB_NUMBER = re.compile(r"^\s*\d{2}-\d{5}\s*(?:\([A-Z]\))?\s*(?:\*\d+\*)?\s*$")
_OP_START = re.compile(r"^\s*(\d{1,3})\.(?:\s+(.*))?$")
_POINT_START = re.compile(r"^\s*\(([a-z]{1,3}|\d{1,2})\)\s+")
_FORMULA = re.compile(r"^\s*The Security Council\s*,?\s*$", re.IGNORECASE)
_ADOPTED = re.compile(
    r"Adopted by the Security Council at its (\d+)(?:st|nd|rd|th)? meeting,?\s*"
    r"on (\d{1,2} \w+ \d{4})",
    re.IGNORECASE,
)
_RESOLUTION_TITLE = re.compile(r"^\s*Resolution\s+(\d+)\s*\((\d{4})\)\s*$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
MAX_WORD = 64
"""The longest run of letters taken for a word when rejoining a line-end hyphen."""
_LINE_HYPHEN = re.compile(r"([^\W\d_]+)-$")
_SPACED_HYPHEN = re.compile(r"\b([^\W\d_]+) -([^\W\d_]+)\b")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\S)[ \t]+([,;:.!?)\]])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[])[ \t]+")
_PREAMBLE_START = re.compile(
    r"^[A-Z][a-z]+(?:ing|ed)\b|^[A-Z][a-z]+ly [a-z]+(?:ing|ed)\b|^Mindful\b"
)
_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")


@dataclass(frozen=True)
class Repair:
    """One change made to the extracted text, for review and for measuring precision.

    Attributes:
        kind: ``line-hyphen``, ``spaced-hyphen``, ``glued-hyphen`` or ``split-word``.
        before: the text as extracted (``"preve nt"``).
        after: the repaired text (``"prevent"``).
    """

    kind: str
    before: str
    after: str


# ------------------------------------------------------------------------------ text repair
def unwrap_lines(lines: list[str], vocabulary: Vocabulary, repairs: list[Repair]) -> str:
    """Join hard-wrapped lines into one string, rejoining words hyphenated at line ends.

    Linear in the length of the lines: only the end of the text built so far is looked at.

    Args:
        lines: the lines of one paragraph or sub-point, in order.
        vocabulary: decides ``para-graph`` -> ``paragraph`` versus ``Secretary-General``.
        repairs: list to which each rejoined word is appended.

    Returns:
        The text on one line (not yet cleaned).
    """
    pieces: list[str] = []  # the output; a line hyphen-joined to the one before is cut from it
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        first = _WORD.match(line)
        cut = _hyphen_start(pieces[-1]) if pieces and first else None
        if first and cut is not None:
            left, right = pieces[-1][cut:-1], first.group(0)
            joined = vocabulary.join_line_hyphen(left, right)
            repairs.append(Repair("line-hyphen", f"{left}-|{right}", joined))
            pieces[-1] = pieces[-1][:cut]
            pieces.append(joined + line[first.end() :])
        else:
            pieces.extend((" ", line) if pieces else (line,))
    return "".join(pieces)


def _hyphen_start(text: str) -> int | None:
    """Where the word before a final hyphen starts (``"the para-"`` -> 4), else ``None``.

    A run of more than :data:`MAX_WORD` letters is no word to rejoin (and looking further back
    would make unwrapping quadratic).
    """
    if not text.endswith("-"):
        return None
    tail = text[-(MAX_WORD + 1) :]
    match = _LINE_HYPHEN.search(tail)
    if match is None:
        return None
    start = len(text) - len(tail) + match.start()
    if start > 0 and _LETTER.match(text, start - 1):
        return None
    return start


def repair_text(text: str, vocabulary: Vocabulary) -> tuple[str, list[Repair]]:
    """Repair extraction damage inside one line of text (see the module docstring).

    Args:
        text: unwrapped text.
        vocabulary: the corpus vocabulary deciding each repair.

    Returns:
        The repaired, cleaned text and the list of repairs made.

    Examples:
        >>> v = Vocabulary.from_texts(["to prevent post-conflict harm for the people"] * 3)
        >>> repair_text("to preve nt post -conflict harm f or the people", v)[0]
        'to prevent post-conflict harm for the people'
    """
    repairs: list[Repair] = []

    def spaced(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        fixed = vocabulary.join_line_hyphen(left, right)
        repairs.append(Repair("spaced-hyphen", match.group(0), fixed))
        return fixed

    text = _SPACED_HYPHEN.sub(spaced, clean(text))
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN.sub(r"\1", text)

    def glued(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < 7:
            return word
        fixed = vocabulary.fix_glued_hyphen(word)
        if fixed is None:
            return word
        repairs.append(Repair("glued-hyphen", word, fixed))
        return fixed

    text = _WORD.sub(glued, text)
    return _join_split_words(text, vocabulary, repairs), repairs


def _join_split_words(text: str, vocabulary: Vocabulary, repairs: list[Repair]) -> str:
    """Merge word fragments separated by one space when the vocabulary says they are one word."""
    words = list(_WORD.finditer(text))
    pieces: list[str] = []
    cursor = 0
    i = 0
    while i < len(words):
        word = words[i]
        if i + 1 < len(words):
            nxt = words[i + 1]
            gap = text[word.end() : nxt.start()]
            first, second = word.group(0), nxt.group(0)
            prev = words[i - 1].group(0) if i > 0 else None
            after = words[i + 2].group(0) if i + 2 < len(words) else None
            # A fragment glued to a hyphen or apostrophe is part of a compound: leave it.
            touches = text[word.start() - 1 : word.start()] in "-'’" and word.start() > 0
            touches = touches or text[nxt.end() : nxt.end() + 1] in ("-", "'", "’")
            if (
                gap == " "
                and not touches
                and not second[:1].isupper()
                and vocabulary.should_join(prev, first, second, after)
            ):
                pieces.append(text[cursor : word.start()] + first + second)
                repairs.append(Repair("split-word", f"{first} {second}", first + second))
                cursor = nxt.end()
                i += 2
                continue
        i += 1
    pieces.append(text[cursor:])
    return "".join(pieces)


# ------------------------------------------------------------------------------ structure
def _is_roman(label: str, previous_alpha: str | None) -> bool:
    """Whether a letter label such as ``i`` or ``v`` is a roman numeral here (not letter i/v)."""
    if not _ROMAN.match(label):
        return False
    if len(label) == 1 and previous_alpha is not None:
        return ord(label) != ord(previous_alpha) + 1
    return True


def parse_points(segments: list[str]) -> tuple[str, tuple[SubPoint, ...]]:
    """Split a paragraph's segments into its intro and nested sub-points.

    Args:
        segments: clean strings; the first is the intro (may be empty), each other one starts
            with a label ``(a)``, ``(i)`` or ``(1)``.

    Returns:
        ``(intro, points)``: lettered points at the top; roman (or numbered) points nested under
        the lettered point they follow; a roman point with no lettered point above is top-level.
    """
    intro = segments[0] if segments else ""
    top: list[tuple[str, str, list[SubPoint]]] = []
    top_kind: str | None = None
    last_alpha: str | None = None
    for segment in segments[1:]:
        match = _POINT_START.match(segment)
        if not match:
            if top:
                label, body, kids = top[-1]
                top[-1] = (label, f"{body} {segment}".strip(), kids)
            else:
                intro = f"{intro} {segment}".strip()
            continue
        raw = match.group(1)
        body = segment[match.end() :].strip()
        if raw.isdigit():
            kind = "digit"
        elif _is_roman(raw, last_alpha):
            kind = "roman"
        else:
            kind, last_alpha = "alpha", raw
        label = f"({raw})"
        if top_kind is None:
            top_kind = kind
        if kind == top_kind or not top:
            top.append((label, body, []))
        else:
            top[-1][2].append(SubPoint(label=label, text=body))
    points = tuple(SubPoint(label=lab, text=body, children=tuple(kids)) for lab, body, kids in top)
    return intro, points


def build_paragraph(
    resolution: int,
    kind: str,
    number: str,
    ordinal: int,
    segments: list[str],
    *,
    section: str | None = None,
    key_number: str | None = None,
) -> Paragraph:
    """Make a :class:`Paragraph` from clean segments (intro first, then sub-points).

    Args:
        resolution: the resolution number.
        kind: ``operative`` or ``preambular``.
        number: the printed number (operative) or position (preambular).
        ordinal: position in the resolution, from 0.
        segments: see :func:`parse_points`.
        section: the part (``A``, ``B``...) if any.
        key_number: the number used in the key when it differs from ``number`` (``B1`` when a
            part restarts its numbering).

    Returns:
        The paragraph (no verbs: :mod:`reslens.language.verbs` detects them in plain text).
    """
    intro, points = parse_points(segments)
    text = clean(" ".join(s for s in segments if s))
    return Paragraph(
        key=paragraph_key(resolution, kind, key_number or number),
        resolution=resolution,
        kind=kind,
        number=number,
        ordinal=ordinal,
        text=text,
        intro=clean(intro) if points else text,
        points=points,
        section=section,
    )


def parse_date(text: str) -> str | None:
    """``"22 November 1967"`` -> ``"1967-11-22"``; ``None`` when not a date."""
    cleaned = re.sub(r"[^\w ]", "", clean(text))
    for fmt in ("%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return None


# ------------------------------------------------------------------------------ reader
def is_page_furniture(line: str) -> bool:
    """Whether a line is a running header, a page number or a job number (not text)."""
    return bool(_RUNNING_HEADER.match(line) or _PAGE_NUMBER.match(line) or _JOB_NUMBER.match(line))


def read_pdf_text(
    text: str,
    *,
    vocabulary: Vocabulary,
    source: str = "<text>",
    number: int | None = None,
    year: int | None = None,
    repairs: list[Repair] | None = None,
) -> Resolution:
    """Read the text extracted from a resolution PDF (a whole document or a page of it).

    Args:
        text: the extracted text.
        vocabulary: corpus vocabulary deciding every word repair.
        source: the name of the source, used in errors and as ``source_path``.
        number: the resolution number, when the text has no running header (or to override it).
        year: the year, likewise. Without header or argument, number and year are 0.
        repairs: if given, every repair made is appended to it (for review).

    Returns:
        The resolution with its paragraphs (``source_format="pdftext"``).

    Raises:
        SourceError: the text holds no paragraph, or is over a bound of
            :mod:`reslens.sources.limits` (characters, lines).

    Examples:
        >>> v = Vocabulary.from_texts(["Decides to remain actively seized of the matter."])
        >>> page = "S/RES/9 (2020)\\n1. Decides to remain\\n1/1\\nseized."
        >>> res = read_pdf_text(page, vocabulary=v)
        >>> res.symbol, res.paragraphs[0].key, res.paragraphs[0].text
        ('S/RES/9 (2020)', '9:op1', 'Decides to remain seized.')
    """
    check_count(source, "characters", len(text), MAX_TEXT_CHARS)
    lines = text.splitlines()
    check_count(source, "lines", len(lines), MAX_TEXT_LINES)
    found_number = found_year = 0
    date: str | None = None
    meeting: str | None = None
    body: list[str] = []
    for line in lines:
        header = _RUNNING_HEADER.match(line) or _RESOLUTION_TITLE.match(line)
        if header and not found_number:
            found_number, found_year = int(header.group(1)), int(header.group(2))
        if is_page_furniture(line) or _RESOLUTION_TITLE.match(line):
            continue
        body.append(line)
    adopted = _ADOPTED.search(" ".join(body))
    if adopted:
        meeting, date = f"{adopted.group(1)}th meeting", parse_date(adopted.group(2))
    res_number = number if number is not None else found_number
    res_year = year if year is not None else found_year

    blocks = _split_blocks(body)
    log = repairs if repairs is not None else []
    paragraphs: list[Paragraph] = []
    preamble_count = 0
    for kind, num, lines in blocks:
        segments = _segments(lines)
        fixed: list[str] = []
        for segment in segments:
            joined = unwrap_lines(segment, vocabulary, log)
            repaired, made = repair_text(joined, vocabulary)
            log.extend(made)
            fixed.append(repaired)
        if not any(fixed):
            continue
        if kind == PREAMBULAR:
            preamble_count += 1
            num = str(preamble_count)
        paragraphs.append(build_paragraph(res_number, kind, num, len(paragraphs), fixed))
    if not paragraphs:
        raise SourceError(f"{source}: no paragraph found in the extracted text")
    return Resolution(
        number=res_number,
        year=res_year,
        date=date,
        meeting=meeting,
        source_path=source,
        source_format="pdftext",
        paragraphs=tuple(paragraphs),
    )


def _split_blocks(lines: list[str]) -> list[tuple[str, str, list[str]]]:
    """Cut the body into (kind, number, lines) blocks: preambular after the formula, operative."""
    blocks: list[tuple[str, str, list[str]]] = []
    in_preamble = False
    expected: int | None = None
    for line in lines:
        if not line.strip():
            continue
        if _FORMULA.match(line):
            in_preamble = True
            continue
        start = _OP_START.match(line)
        if start and (expected is None or int(start.group(1)) == expected):
            number = int(start.group(1))
            expected = number + 1
            in_preamble = False
            blocks.append((OPERATIVE, str(number), [start.group(2) or ""]))
            continue
        if in_preamble:
            previous = blocks[-1][2][-1].rstrip() if blocks and blocks[-1][0] == PREAMBULAR else ""
            if (
                not blocks
                or blocks[-1][0] != PREAMBULAR
                or (previous.endswith(",") and _PREAMBLE_START.match(line.strip()))
            ):
                blocks.append((PREAMBULAR, "", [line]))
                continue
        if blocks:
            blocks[-1][2].append(line)
        # Text before the formula or the first numbered paragraph belongs to an earlier page.
    return blocks


def _segments(lines: list[str]) -> list[list[str]]:
    """Group the lines of one paragraph into intro and sub-point segments."""
    segments: list[list[str]] = [[]]
    for line in lines:
        if _POINT_START.match(line):
            segments.append([line])
        else:
            segments[-1].append(line)
    return segments
