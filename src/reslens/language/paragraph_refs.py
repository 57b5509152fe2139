"""Paragraph-level references in resolution text: "paragraphs 1 to 6 of resolution 2293 (2016)".

The Council carries obligations forward by reference ("Decides to renew until 1 July 2022 the
measures as set out in paragraphs 1 to 6 of resolution 2293 (2016)"): such paragraphs share
little wording with what they renew, so the reference itself is the evidence. This module
reads every such reference:

- lists and ranges: ``paragraphs 7, 8, 9 and 10``, ``paragraphs 2 to 5``, ``paragraphs 9, 14,
  and 16 to 19``, ``paragraphs 1-3``;
- sub-points: ``paragraph 2 (a) of resolution 2253 (2015)``, ``subparagraph (b) of
  paragraph 3 of resolution …``, ``paragraphs 2 (a) and (b)``;
- the reversed form: ``its resolution 2396 (2017), paragraph 4``;
- references inside the same resolution: ``paragraph 3 above``, ``paragraph 5 of this
  resolution`` (``self=True``);
- several resolutions in one sentence: ``… of resolution 2399 (2018) and extended by
  paragraph 4 of resolution 2536 (2020)``.

Paragraphs of other documents ("paragraph 8 of the report of the Secretary-General",
"paragraph 5 of annex I to resolution 1483", "paragraph 3 of the Charter") are not references
to resolution paragraphs and are skipped. A paragraph list with nothing after it that names its
document ("the Committee established in paragraph 3") is ambiguous and skipped too.

Each reference carries the **relation** of the citing clause to what it cites, read from the
words before it in its clause: renews, extends, terminates, amends, reaffirms, recalls,
confirms, designates, requests, decides, refers (neutral: "pursuant to", "as set out in").

Examples:
    >>> [(r.resolution, r.paragraphs) for r in find_paragraph_refs(
    ...     "Decides to renew the measures as set out in paragraphs 1 to 6 of resolution "
    ...     "2293 (2016)")]
    [(2293, ('1', '2', '3', '4', '5', '6'))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The relations, in the order a clause's words are tried (first trigger found nearest wins).
RELATIONS = (
    "renews",
    "extends",
    "terminates",
    "amends",
    "reaffirms",
    "recalls",
    "confirms",
    "designates",
    "requests",
    "decides",
    "refers",
)

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
_NUM = r"(?:\d{1,3}|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")\b"
_POINT = r"(?:\(\s*(?:[a-z]{1,4}|\d{1,2})\s*\)|-[a-z]\b)"
_ITEM = rf"{_NUM}(?:\s*{_POINT})*"
_JOIN = r"\s*(?:,\s*(?:and\s+|or\s+)?|\band\b|\bor\b|\bto\b|\bthrough\b|[–-])\s*(?:OP\s*)?"
_LIST = rf"{_ITEM}(?:{_JOIN}(?:{_ITEM}|{_POINT}))*"
_PARA_WORD = r"(?:(?:operative\s+)?(?:sub-?)?(?:paragraphs?|paras?\.?)|\bOPs?)"
_RES = (
    r"(?:(?:Security\s+Council\s+)?resolutions?\s+|UNSCR\s+|(?=\d{1,4}\s*\(\s*\d{4}\s*\)))"
    r"(\d{1,4})(?:\s*\(\s*(\d{4})\s*\))?((?:\s*(?:,\s*(?:and\s+)?|\band\s+)\d{1,4}\s*\(\s*\d{4}\s*\))*)"
)

# "subparagraph (b) of paragraph 3 …"
_SUB_OF = re.compile(
    rf"\bsub-?paragraphs?\s+((?:{_POINT})(?:{_JOIN}{_POINT})*)\s+of\s+(?=paragraph)",
    re.IGNORECASE,
)
# "paragraphs 1 to 6" + what follows ("OP" only in capitals)
_PARAS = re.compile(
    rf"(?i:\b(?:operative\s+)?(?:sub-?)?(?:paragraphs?|paras?\.?))\s*(?i:({_LIST}))"
    rf"|\bOPs?\s*(?i:({_LIST}))"
)
# what a paragraph list may be "of"
_OF_RES = re.compile(
    rf"^\s*(?:,\s*)?(?:of|in|under|to|or)\s+(?:its\s+|the\s+|Council\s+)?{_RES}", re.IGNORECASE
)
_OF_THAT = re.compile(
    r"^\s*(?:,\s*)?(?:of\s+(?:that|the\s+same|the\s+said)\s+resolution|thereof)\b", re.IGNORECASE
)
_ITS = re.compile(r"\bits\s+$", re.IGNORECASE)
_SELF = re.compile(
    r"^\s*(?:,\s*)?(?:above|below|of\s+(?:this|the\s+present)\s+resolution|hereof"
    r"|(?:of|to)\s+this\s+resolution)\b",
    re.IGNORECASE,
)
# "of the report …", "of annex I", "of the Charter", "of General Assembly resolution …"
_OF_OTHER = re.compile(
    r"^\s*(?:,\s*)?(?:of|in|to|under)\s+(?!(?:this|the\s+present)\s+resolution)"
    r"(?:the\s+|its\s+|annex|an?\s+|General|document|S/|A/|[A-Z])",
)
_OTHER_BEFORE = re.compile(
    r"(?:Article\s+\d+,?|General\s+Assembly\s+resolution\s+[\w/ ()]+,)\s*$", re.IGNORECASE
)
_ANY_RES = re.compile(r"\bresolutions?\s+(\d{1,4})(?:\s*\(\s*(\d{4})\s*\))?", re.IGNORECASE)
# "its resolution 2396 (2017), paragraph 4" (not when the resolution closes an "of" phrase)
_REVERSED = re.compile(rf"\b{_RES}\s*,?\s*{_PARA_WORD}\s+({_LIST})", re.IGNORECASE)
_OF_BEFORE = re.compile(r"\b(?:of|by|in|under)\s+(?:its\s+)?$", re.IGNORECASE)

_TRIGGERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("renews", re.compile(r"\brenew", re.I)),
    ("extends", re.compile(r"\bextend|\bprolong", re.I)),
    ("terminates", re.compile(r"\bterminat|\bto\s+end\b|\blift|\bcease", re.I)),
    (
        "amends",
        re.compile(
            r"\bamend|\breplac|\bmodif|\brevis|\bshall\s+no\s+longer|\bdecides\s+otherwise"
            r"|\binstead\s+of|\bsupersed",
            re.I,
        ),
    ),
    ("reaffirms", re.compile(r"\breaffirm", re.I)),
    ("recalls", re.compile(r"\brecall", re.I)),
    ("confirms", re.compile(r"\bconfirm", re.I)),
    ("designates", re.compile(r"\bdesignat|\blisting\s+criteria|\bcriteria\b", re.I)),
    # neutral pointers ("as set out in", "as specified in", "contained in" are transparent)
    (
        "refers",
        re.compile(
            r"\bpursuant\s+to|\bestablished\s+(?:by|under|in)|\bimposed\s+(?:by|under|in)"
            r"|\breferred\s+to\s+in|\bmentioned\s+in",
            re.I,
        ),
    ),
)
_VERB_RELATION = {
    "renews": "renews",
    "extends": "extends",
    "reaffirms": "reaffirms",
    "recalls": "recalls",
    "confirms": "confirms",
    "requests": "requests",
    "decides": "decides",
}


@dataclass(frozen=True)
class ParagraphRef:
    """One reference to one or more paragraphs of one resolution.

    Attributes:
        resolution: the cited resolution's number; the citing resolution's for ``self``.
        year: the year the reference gives, if any.
        paragraphs: the cited paragraph numbers, ranges expanded (``("2", "3", "4", "5")``).
        points: sub-point labels per cited paragraph where given (``{"2": ("a",)}``).
        self_ref: a reference inside the citing resolution ("paragraph 3 above").
        relation: the citing clause's relation to the cited paragraphs (see ``RELATIONS``).
        span: the referring words as written.
        start: where ``span`` starts in the text.
    """

    resolution: int
    year: int | None
    paragraphs: tuple[str, ...]
    points: tuple[tuple[str, tuple[str, ...]], ...]
    self_ref: bool
    relation: str
    span: str
    start: int

    def points_of(self, paragraph: str) -> tuple[str, ...]:
        """The sub-point labels cited in ``paragraph`` (empty: the whole paragraph)."""
        return dict(self.points).get(paragraph, ())


def _expand(listing: str) -> list[tuple[str, tuple[str, ...]]]:
    """``"9, 14, and 16 to 19"`` → [("9", ()), ("14", ()), ("16", ()), … ("19", ())];
    ``"2 (a) and (b)"`` → [("2", ("a", "b"))]."""
    tokens = re.findall(
        rf"{_NUM}|{_POINT}|\bto\b|\bthrough\b|[–]|-(?![a-z]\b)", listing, re.IGNORECASE
    )
    out: list[tuple[str, list[str]]] = []
    pending_range = False
    for token in tokens:
        low = token.lower()
        if low in ("to", "through", "-", "–"):
            pending_range = bool(out)
            continue
        if token.startswith("(") or (token.startswith("-") and len(token) == 2):
            label = re.sub(r"[()\s-]", "", token).lower()
            if out:
                if pending_range and out[-1][1]:
                    out[-1][1].extend(_label_range(out[-1][1][-1], label))
                else:
                    out[-1][1].append(label)
            pending_range = False
            continue
        number = _WORDS.get(low) or int(token)
        if pending_range and out and out[-1][0].isdigit():
            first = int(out[-1][0])
            if first < number <= first + 60:
                out.extend((str(n), []) for n in range(first + 1, number + 1))
            else:
                out.append((str(number), []))
        else:
            out.append((str(number), []))
        pending_range = False
    seen: dict[str, list[str]] = {}
    for number_str, labels in out:
        seen.setdefault(number_str, [])
        seen[number_str].extend(x for x in labels if x not in seen[number_str])
    return [(n, tuple(labels)) for n, labels in seen.items()]


def _label_range(first: str, last: str) -> list[str]:
    """``a``–``d`` → [b, c, d] (letters only; anything else is just ``last``)."""
    if len(first) == len(last) == 1 and first.isalpha() and last.isalpha() and first < last:
        return [chr(c) for c in range(ord(first) + 1, ord(last) + 1)]
    return [last]


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding position ``at`` begins (after the last ``;`` before it)."""
    return max(text.rfind(";", 0, at), text.rfind(":", 0, at)) + 1


def _antecedent(text: str, at: int) -> tuple[int, int | None] | None:
    """The last resolution named before ``at`` ("… resolution 2584 (2021) … its paragraph 4")."""
    last = None
    for match in _ANY_RES.finditer(text, 0, at):
        last = match
    if last is None:
        return None
    return int(last.group(1)), int(last.group(2)) if last.group(2) else None


def relation_of(text: str, at: int, verb: str | None = None) -> str:
    """The relation of the clause around ``at`` to what it cites there: the action word
    (renew, extend, terminate, amend, reaffirm, recall, confirm, designate) nearest before
    ``at`` in its clause; else a pointer ("pursuant to", "imposed by": ``refers``); else the
    clause verb's lemma; else ``refers``. An action wins over a nearer pointer: in "renew the
    measures imposed by paragraph 1", the measures are renewed."""
    window = text[_clause_start(text, at) : at]
    for pointers in (False, True):
        best: tuple[int, str] | None = None
        for name, pattern in _TRIGGERS:
            if (name == "refers") != pointers:
                continue
            for match in pattern.finditer(window):
                if best is None or match.start() > best[0]:
                    best = (match.start(), name)
        if best is not None:
            return best[1]
    if verb and verb in _VERB_RELATION:
        return _VERB_RELATION[verb]
    return "refers"


def find_paragraph_refs(
    text: str, *, resolution: int | None = None, verb: str | None = None
) -> tuple[ParagraphRef, ...]:
    """Every paragraph-level reference in ``text``, in order.

    Args:
        text: a paragraph (or clause) text.
        resolution: the citing resolution's number (for "paragraph 3 above"); without it,
            references inside the resolution are skipped.
        verb: the lemma of the clause's operative verb, the relation's fallback.

    Returns:
        The references; a paragraph list that names no resolution (and is not "above" or "of
        this resolution") gives none.

    Examples:
        >>> [(r.resolution, r.paragraphs, r.points) for r in find_paragraph_refs(
        ...     "as set out in paragraph 2 (a) of resolution 2253 (2015)")]
        [(2253, ('2',), (('2', ('a',)),))]
        >>> [(r.resolution, r.self_ref) for r in find_paragraph_refs(
        ...     "the measures imposed by paragraph 3 above", resolution=2400)]
        [(2400, True)]
    """
    out: list[ParagraphRef] = []
    taken: list[tuple[int, int]] = []

    def add(
        number: int,
        year: int | None,
        items: list[tuple[str, tuple[str, ...]]],
        self_ref: bool,
        start: int,
        end: int,
    ) -> None:
        if not items or any(a < end and start < b for a, b in taken):
            return
        taken.append((start, end))
        out.append(
            ParagraphRef(
                resolution=number,
                year=year,
                paragraphs=tuple(n for n, _ in items),
                points=tuple((n, labels) for n, labels in items if labels),
                self_ref=self_ref,
                relation=relation_of(text, start, verb),
                span=text[start:end],
                start=start,
            )
        )

    for match in _REVERSED.finditer(text):
        if _OF_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
            continue
        year = int(match.group(2)) if match.group(2) else None
        items = _expand(match.group(4))
        add(int(match.group(1)), year, items, False, match.start(), match.end())

    subs: dict[int, tuple[int, str]] = {}  # where "paragraph …" starts → (sub start, labels)
    for match in _SUB_OF.finditer(text):
        subs[match.end()] = (match.start(), match.group(1))

    for match in _PARAS.finditer(text):
        listing = match.group(1) or match.group(2)
        end = match.end()
        rest = text[end : end + 120]
        items = _expand(listing)
        start = match.start()
        if _OTHER_BEFORE.search(text[max(0, start - 80) : start]):
            continue  # "Article 2, paragraph 6 …", "General Assembly resolution …, paragraph 2"
        if start in subs:
            sub_start, labels = subs[start]
            extra = tuple(re.sub(r"[()\s]", "", x).lower() for x in re.findall(_POINT, labels))
            if len(items) == 1:
                items = [(items[0][0], tuple(dict.fromkeys(items[0][1] + extra)))]
            start = sub_start
        of_res = _OF_RES.match(rest)
        if of_res is not None:
            number = int(of_res.group(1))
            year = int(of_res.group(2)) if of_res.group(2) else None
            if 1 <= number <= 9999 and (year is None or 1946 <= year <= 2100):
                add(number, year, items, False, start, end + of_res.end())
                # "paragraph 2 of resolutions 2441 (2018) and 2509 (2020)"
                for more in re.finditer(r"(\d{1,4})\s*\(\s*(\d{4})\s*\)", of_res.group(3) or ""):
                    taken.pop()
                    add(
                        int(more.group(1)),
                        int(more.group(2)),
                        items,
                        False,
                        start,
                        end + of_res.end(),
                    )
            continue
        antecedent = _antecedent(text, start)
        if (_OF_THAT.match(rest) or _ITS.search(text[max(0, start - 6) : start])) and antecedent:
            add(antecedent[0], antecedent[1], items, False, start, end)
            continue
        if resolution is None:
            continue
        self_match = _SELF.match(rest)
        if self_match is not None:
            add(resolution, None, items, True, start, end + self_match.end())
            continue
        if _OF_OTHER.match(rest):
            continue  # "of the report …", "of annex I", "of the Charter"
        # a bare "paragraph 4": this resolution's own paragraph
        add(resolution, None, items, True, start, end)
    out.sort(key=lambda r: r.start)
    return tuple(out)


__all__ = ["RELATIONS", "ParagraphRef", "find_paragraph_refs", "relation_of"]
