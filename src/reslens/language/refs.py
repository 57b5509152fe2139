"""One parser for the ways people cite a resolution or one of its paragraphs.

Accepted forms (case-insensitive, spaces optional where sensible)::

    S/RES/2331 (2016), para. 21        S/RES/2331(2016) OP21       2331 OP21
    2331:21   2331:op21   2331:pp3     2331 PP3                    2331 para 2(c)
    resolution 2331 (2016), paragraph 21                           res 2331 op 21
    2331 (a whole resolution)          2331:op21@fr (French text)

A bare paragraph number means an operative paragraph. Anything else raises
:class:`reslens.errors.RefError` with a message that lists the accepted forms.

Examples:
    >>> parse_ref("S/RES/2331 (2016), para. 21").key
    '2331:op21'
    >>> parse_ref("2331 para 2(c)").key
    '2331:op2(c)'
    >>> parse_ref("2331:op21.3").clause
    3
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from reslens.errors import RefError
from reslens.models import OPERATIVE, PREAMBULAR

ACCEPTED_FORMS = (
    "S/RES/2331 (2016), para. 21",
    "S/RES/2331(2016) OP21",
    "2331 OP21",
    "2331:21",
    "2331:op21",
    "2331:pp3",
    "resolution 2331 (2016), paragraph 21",
    "2331 para 2(c)",
    "2331:op21.3",
    "res 2331 op 21",
    "2331",
)

_RESOLUTION = re.compile(
    r"""^\s*
    (?:s\s*/\s*res\s*/\s*|(?:security\s+council\s+)?(?:resolution|res\.?)\s*)?
    (?P<res>\d{1,4})
    (?:\s*\(\s*(?P<year>\d{4})\s*\))?
    (?P<rest>.*?)
    (?:@(?P<lang>[a-z]{2}))?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_PARAGRAPH = re.compile(
    r"""^
    (?:\s*[,:;]\s*|\s+)
    (?P<label>
        op\.?|pp\.?|
        (?:operative\s+|preambular\s+)?(?:paragraphs?|paras?\.?|¶)|
        (?=\d)
    )?
    \s*(?P<num>\d{1,3})
    (?P<point>(?:\s*\(\s*(?:[a-z]{1,2}|[ivxlc]{1,6}|\d{1,2})\s*\))*)
    (?:\.(?P<clause>\d{1,2}))?
    \s*$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class Ref:
    """A parsed reference to a resolution or one of its paragraphs.

    Attributes:
        resolution: the resolution number (``2331``).
        kind: ``"operative"``, ``"preambular"`` or ``None`` for the whole resolution.
        number: the paragraph number as a string (``"21"``), or ``None``.
        point: a sub-point label such as ``"(c)"`` or ``"(c)(ii)"``, or ``None``.
        language: ISO 639-1 code of the text meant (``"en"`` unless ``@fr`` etc. is given).
        year: the adoption year when the reference gives it (not checked against the store).
        clause: the clause (obligation unit) inside the paragraph or sub-point, 1-based
            (``2331:op21.3``), or ``None``; see :mod:`reslens.language.units`.
    """

    resolution: int
    kind: str | None = None
    number: str | None = None
    point: str | None = None
    language: str = "en"
    year: int | None = None
    clause: int | None = None

    @property
    def key(self) -> str:
        """The stable key: ``2331``, ``2331:op21``, ``2331:pp3``, ``2331:op2(c)``,
        ``2331:op21.3``, ``…@fr``."""
        if self.kind is None or self.number is None:
            key = str(self.resolution)
        else:
            prefix = "op" if self.kind == OPERATIVE else "pp"
            key = f"{self.resolution}:{prefix}{self.number}{self.point or ''}"
            if self.clause is not None:
                key += f".{self.clause}"
        return key if self.language == "en" else f"{key}@{self.language}"

    @property
    def paragraph_key(self) -> str | None:
        """The key of the whole paragraph (no sub-point), or ``None`` for a resolution."""
        if self.kind is None:
            return None
        return Ref(self.resolution, self.kind, self.number, None, self.language).key


def _error(text: str, why: str) -> RefError:
    forms = "; ".join(ACCEPTED_FORMS)
    return RefError(f"cannot read reference {text!r}: {why}. Accepted forms: {forms}")


def parse_ref(text: str) -> Ref:
    """Parse a reference to a resolution or paragraph, written the way people cite them.

    Args:
        text: e.g. ``"S/RES/2331 (2016), para. 21"``, ``"2331 OP21"``, ``"2331:pp3"``.

    Returns:
        The :class:`Ref`.

    Raises:
        RefError: when ``text`` is not a reference (the message lists accepted forms).

    Examples:
        >>> parse_ref("2331:pp3").key
        '2331:pp3'
        >>> parse_ref("res 2331 op 21").number
        '21'
    """
    if not isinstance(text, str):
        raise _error(repr(text), "a reference is a string")
    match = _RESOLUTION.match(text)
    if match is None:
        raise _error(text, "no resolution number found")
    number = int(match.group("res"))
    if number < 1:
        raise _error(text, "resolution numbers start at 1")
    year = int(match.group("year")) if match.group("year") else None
    if year is not None and not 1946 <= year <= 2100:
        raise _error(text, f"{year} is not a plausible year")
    language = (match.group("lang") or "en").lower()
    rest = match.group("rest")
    if not rest.strip(" ,"):
        return Ref(resolution=number, language=language, year=year)
    para = _PARAGRAPH.match(rest)
    if para is None:
        raise _error(text, f"cannot read the paragraph part {rest.strip()!r}")
    label = (para.group("label") or "").lower()
    kind = PREAMBULAR if label.startswith(("pp", "preambular")) else OPERATIVE
    num = str(int(para.group("num")))
    if num == "0":
        raise _error(text, "paragraph numbers start at 1")
    point = re.sub(r"\s+", "", para.group("point")).lower() or None
    clause = int(para.group("clause")) if para.group("clause") else None
    if clause == 0:
        raise _error(text, "clause numbers start at 1")
    return Ref(number, kind, num, point, language, year, clause)


def in_language(ref: Ref, language: str) -> Ref:
    """``ref`` asking for the ``language`` version (``"fr"``) of what it names.

    Raises:
        RefError: ``language`` is no two-letter code, or ``ref`` names another one (``@de``).

    Examples:
        >>> in_language(parse_ref("2532:op1"), "FR").key
        '2532:op1@fr'
    """
    code = language.strip().lower()
    if not re.fullmatch(r"[a-z]{2}", code):
        raise RefError(f"{language!r} is not a language code (ISO 639-1: en, fr, ar, zh, …)")
    if ref.language not in ("en", code):
        raise RefError(f"{ref.key!r} names the @{ref.language} text, not {code}")
    return dataclasses.replace(ref, language=code)


def looks_like_ref(value: str) -> bool:
    """True when ``value`` is a paragraph reference (``2331:21``), not a text to compare."""
    if len(value) > 60:
        return False
    try:
        return parse_ref(value).number is not None
    except RefError:
        return False


__all__ = ["ACCEPTED_FORMS", "Ref", "in_language", "looks_like_ref", "parse_ref"]
