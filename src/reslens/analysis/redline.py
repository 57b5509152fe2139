"""Word-level redlines between two paragraph texts, for drafters.

:func:`redline` tokenizes both texts (words, numbers, each punctuation mark), aligns the
tokens with :class:`difflib.SequenceMatcher` and returns a :class:`Redline`: a list of
``equal`` / ``delete`` / ``insert`` operations plus the operative verbs of both sides and how
the obligation strength changed (see :mod:`reslens.language.lexicon`). A redline renders as plain
text
in git word-diff style (``[-old-]{+new+}``), as ANSI colours for terminals and as escaped,
self-contained HTML for Jupyter.

Invariants (tested): the ``equal`` and ``delete`` texts, in order, rebuild ``a`` exactly; the
``equal`` and ``insert`` texts rebuild ``b`` exactly; a replacement is a ``delete`` immediately
followed by an ``insert``; two neighbouring operations never share a tag.

Examples:
    >>> r = redline("Encourages Member States to act", "Requests Member States to act")
    >>> r.to_text()
    '[-Encourages-]{+Requests+} Member States to act'
    >>> r.summary
    'encourages → requests: strength 3 → 4'
"""

from __future__ import annotations

import html
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal, TextIO

from reslens.language.verbs import detect_verbs
from reslens.models import OPERATIVE, Verb

Tag = Literal["equal", "delete", "insert"]

# A word: letters/digits joined by internal hyphens or apostrophes ("Secretary-General",
# "Council's"), or a number with internal separators ("1,000", "2.5"). Anything else that is
# not whitespace is one punctuation token.
_WORD = r"[^\W_]+(?:(?:['’\-‐‑]|(?<=\d)[.,](?=\d))[^\W_]+)*"
_TOKEN = re.compile(rf"(?P<space>\s*)(?P<text>{_WORD}|\S)")

_STOPWORDS = frozenset(
    {
        "a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its", "of",
        "on", "or", "that", "the", "their", "this", "to", "with",
    }
)  # fmt: skip

_ANSI_DEL = "\x1b[31;9m"  # red, struck through
_ANSI_INS = "\x1b[32;4m"  # green, underlined
_ANSI_RESET = "\x1b[0m"

_STYLE = (
    ".reslens-redline{font-family:Georgia,serif;line-height:1.5;max-width:60em}"
    ".reslens-redline .rl-summary{font-family:sans-serif;font-size:.85em;color:#555;"
    "margin-bottom:.3em}"
    ".reslens-redline .rl-text{white-space:pre-wrap}"
    ".reslens-redline del{background:#fde2e2;color:#9b1c1c;text-decoration:line-through}"
    ".reslens-redline ins{background:#dcf5e3;color:#0b6b2b;text-decoration:underline}"
    ".reslens-redline table{border-collapse:collapse;width:100%}"
    ".reslens-redline td,.reslens-redline th{vertical-align:top;padding:.3em .6em;"
    "border:1px solid #ddd;text-align:left;width:50%}"
)


# ---------------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------------


class Token(str):
    """A token that remembers the whitespace before it.

    A ``Token`` compares and hashes as its bare text (``Token("act", " ") == "act"``), so token
    lists can be diffed and tested like lists of strings; :attr:`space` keeps what is needed to
    rebuild the original text (see :func:`detokenize`).
    """

    space: str

    def __new__(cls, text: str, space: str = "") -> Token:
        """Create a token ``text`` preceded by the whitespace ``space``."""
        token = super().__new__(cls, text)
        token.space = space
        return token

    @property
    def spaced(self) -> str:
        """The whitespace before the token followed by the token itself."""
        return self.space + str(self)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into words, numbers and punctuation marks, keeping the spacing.

    Words keep internal hyphens and apostrophes (``Secretary-General``, ``Council's``);
    ``(2016)`` gives ``(``, ``2016``, ``)``; every punctuation mark is its own token. Each
    token carries the whitespace before it; whitespace at the end of ``text`` becomes a final
    empty token, so ``detokenize(tokenize(text)) == text`` always holds.

    Args:
        text: any text.

    Returns:
        The tokens, in order (each a ``str``).

    Examples:
        >>> tokenize("the Council's resolution 2331 (2016).")
        ['the', "Council's", 'resolution', '2331', '(', '2016', ')', '.']
        >>> tokenize("Secretary-General")[0].space, tokenize("  x")[0].space
        ('', '  ')
    """
    tokens: list[Token] = []
    end = 0
    for match in _TOKEN.finditer(text):
        tokens.append(Token(match.group("text"), match.group("space")))
        end = match.end()
    if end < len(text):
        tokens.append(Token("", text[end:]))
    return tokens


def detokenize(tokens: Sequence[str]) -> str:
    """Rebuild text from tokens made by :func:`tokenize` (plain strings get no space)."""
    return "".join(t.spaced if isinstance(t, Token) else t for t in tokens)


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def _is_filler(token: str) -> bool:
    """A stop word or a punctuation mark: too weak to stand as an island between changes."""
    return not _is_word(token) or token.lower() in _STOPWORDS


def _count_words(text: str) -> int:
    return sum(1 for t in tokenize(text) if _is_word(t))


# ---------------------------------------------------------------------------------------------
# Operations
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    """One operation of a redline: text kept (``equal``), removed (``delete``) or added."""

    tag: Tag
    text: str


def _normalize_ops(ops: Sequence[Op]) -> tuple[Op, ...]:
    """Merge neighbours of one tag; every run of changes becomes one delete + one insert."""
    out: list[Op] = []
    deleted = inserted = ""
    for op in [*ops, Op("equal", "")]:
        if op.tag == "delete":
            deleted += op.text
        elif op.tag == "insert":
            inserted += op.text
        else:
            if deleted:
                out.append(Op("delete", deleted))
            if inserted:
                out.append(Op("insert", inserted))
            deleted = inserted = ""
            if not op.text:
                continue
            if out and out[-1].tag == "equal":
                out[-1] = Op("equal", out[-1].text + op.text)
            else:
                out.append(op)
    return tuple(out)


def _chunks(ops: Sequence[Op]) -> Iterator[tuple[str, str, str]]:
    """Group ops for rendering: ``("equal", text, "")`` or ``("change", deleted, inserted)``."""
    i = 0
    while i < len(ops):
        op = ops[i]
        if op.tag == "equal":
            yield ("equal", op.text, "")
            i += 1
            continue
        deleted = inserted = ""
        while i < len(ops) and ops[i].tag != "equal":
            if ops[i].tag == "delete":
                deleted += ops[i].text
            else:
                inserted += ops[i].text
            i += 1
        yield ("change", deleted, inserted)


def _split_lead(deleted: str, inserted: str) -> tuple[str, str, str]:
    """Move the whitespace both sides of a change start with outside the markers."""
    sides = [s for s in (deleted, inserted) if s]
    leads = [s[: len(s) - len(s.lstrip())] for s in sides]
    lead = leads[0] if leads and all(x == leads[0] for x in leads) else ""
    return lead, deleted[len(lead) :], inserted[len(lead) :]


def _render(
    ops: Sequence[Op],
    plain: _Fmt,
    deleted: _Fmt,
    inserted: _Fmt,
    *,
    keep_deleted: bool = True,
    keep_inserted: bool = True,
) -> str:
    """Render ops with three formatters; whitespace-only changes show the new whitespace."""
    parts: list[str] = []
    for kind, old, new in _chunks(ops):
        if kind == "equal":
            parts.append(plain(old))
            continue
        if not old.strip() and not new.strip():  # spacing only: treated as unchanged
            parts.append(plain(new if keep_inserted else old))
            continue
        had_old, had_new = bool(old), bool(new)
        lead, old, new = _split_lead(old, new)
        if (had_old and keep_deleted) or (had_new and keep_inserted):
            parts.append(plain(lead))
        if old and keep_deleted:
            parts.append(deleted(old))
        if new and keep_inserted:
            parts.append(inserted(new))
    return "".join(parts)


class _Fmt:
    """A formatter: wraps text (HTML-escaped when ``escape``) between a prefix and a suffix."""

    def __init__(self, prefix: str = "", suffix: str = "", escape: bool = False) -> None:
        self.prefix, self.suffix, self.escape = prefix, suffix, escape

    def __call__(self, text: str) -> str:
        if not text:
            return ""
        body = html.escape(text) if self.escape else text
        return f"{self.prefix}{body}{self.suffix}"


# ---------------------------------------------------------------------------------------------
# The redline
# ---------------------------------------------------------------------------------------------


def _leading(verbs: tuple[Verb, ...]) -> Verb | None:
    """The leading verb: the first one with a lemma."""
    return next((v for v in verbs if v.lemma), None)


@dataclass(frozen=True)
class Redline:
    """A word-level comparison of an old text ``a`` and a new text ``b``.

    Attributes:
        a: the old text.
        b: the new text.
        ops: the operations, in order; ``equal`` + ``delete`` texts rebuild ``a``, ``equal`` +
            ``insert`` texts rebuild ``b``.
        similarity: token-level similarity, ``2 * matching tokens / all tokens`` (0..1; two
            empty texts give 1.0).
        verbs_a: the verbs of ``a``.
        verbs_b: the verbs of ``b``.

    Examples:
        >>> r = redline("Urges all parties to act", "Urges all parties to act now")
        >>> str(r), r.summary
        ('Urges all parties to act {+now+}', 'no change in operative verb (urges, strength 4)')
    """

    a: str
    b: str
    ops: tuple[Op, ...]
    similarity: float
    verbs_a: tuple[Verb, ...] = ()
    verbs_b: tuple[Verb, ...] = ()

    # -- verbs ------------------------------------------------------------------------------

    @property
    def verb_a(self) -> Verb | None:
        """The leading verb of ``a`` (its first verb with a lemma), or ``None``."""
        return _leading(self.verbs_a)

    @property
    def verb_b(self) -> Verb | None:
        """The leading verb of ``b`` (its first verb with a lemma), or ``None``."""
        return _leading(self.verbs_b)

    @property
    def strength_a(self) -> int | None:
        """Strength of the first verb of ``a`` that has one, or ``None``."""
        return next((v.strength for v in self.verbs_a if v.strength is not None), None)

    @property
    def strength_b(self) -> int | None:
        """Strength of the first verb of ``b`` that has one, or ``None``."""
        return next((v.strength for v in self.verbs_b if v.strength is not None), None)

    @property
    def strength_change(self) -> int | None:
        """``strength_b - strength_a`` (positive: the text binds more), or ``None``."""
        if self.strength_a is None or self.strength_b is None:
            return None
        return self.strength_b - self.strength_a

    @property
    def verb_change(self) -> str | None:
        """``"encourages → requests"`` when the leading verb changed, else ``None``."""
        va, vb = self.verb_a, self.verb_b
        la, lb = (va.lemma if va else ""), (vb.lemma if vb else "")
        if la == lb:
            return None
        return f"{la or '(none)'} → {lb or '(none)'}"

    @property
    def summary(self) -> str:
        """One line on the leading verb: ``"encourages → requests: strength 3 → 4"``.

        When the leading verb is unchanged: ``"no change in operative verb (requests,
        strength 4)"``; off-ladder verbs show their family (``condemnation``) and a missing
        strength reads ``none``.
        """
        va, vb = self.verb_a, self.verb_b
        change = self.verb_change
        if change is None:
            if vb is None:
                return "no operative verb found"
            rung = f"strength {vb.strength}" if vb.strength is not None else vb.family or "?"
            return f"no change in operative verb ({vb.lemma}, {rung})"
        sa = va.strength if va else None
        sb = vb.strength if vb else None
        if sa is None and sb is None:
            return f"{change}: no strength on the ladder"
        if sa == sb:
            return f"{change}: strength {sb} (unchanged)"
        return f"{change}: strength {_rung(sa)} → {_rung(sb)}"

    # -- counts -----------------------------------------------------------------------------

    def stats(self) -> dict[str, int]:
        """Words kept, deleted and inserted (punctuation and spacing not counted).

        Examples:
            >>> redline("to act", "to act now").stats()
            {'kept': 2, 'deleted': 0, 'inserted': 1}
        """
        counts = {"kept": 0, "deleted": 0, "inserted": 0}
        names = {"equal": "kept", "delete": "deleted", "insert": "inserted"}
        for op in self.ops:
            counts[names[op.tag]] += _count_words(op.text)
        return counts

    @property
    def changed(self) -> bool:
        """Whether any word or punctuation differs (spacing alone does not count)."""
        return any(op.tag != "equal" and op.text.strip() for op in self.ops)

    # -- renderings -------------------------------------------------------------------------

    def to_text(self) -> str:
        """Plain text in git word-diff style: ``[-deleted-]{+inserted+}``.

        Markers in the texts themselves are not escaped.
        """
        return _render(self.ops, _Fmt(), _Fmt("[-", "-]"), _Fmt("{+", "+}"))

    def to_ansi(self) -> str:
        """Text for terminals: deletions red and struck through, insertions green underlined."""
        return _render(
            self.ops,
            _Fmt(),
            _Fmt(_ANSI_DEL, _ANSI_RESET),
            _Fmt(_ANSI_INS, _ANSI_RESET),
        )

    def auto(self, stream: TextIO | None = None) -> str:
        """:meth:`to_ansi` when ``stream`` (default stdout) is a terminal and ``NO_COLOR`` is
        unset, else :meth:`to_text`."""
        stream = sys.stdout if stream is None else stream
        isatty = getattr(stream, "isatty", None)
        tty = bool(isatty()) if callable(isatty) else False
        return self.to_ansi() if tty and not os.environ.get("NO_COLOR") else self.to_text()

    def _body_html(self, *, keep_deleted: bool = True, keep_inserted: bool = True) -> str:
        return _render(
            self.ops,
            _Fmt(escape=True),
            _Fmt("<del>", "</del>", escape=True),
            _Fmt("<ins>", "</ins>", escape=True),
            keep_deleted=keep_deleted,
            keep_inserted=keep_inserted,
        )

    def to_html(self, *, summary: bool = True) -> str:
        """A self-contained ``<div class="reslens-redline">`` with ``<del>``/``<ins>``.

        Every piece of text is escaped with :func:`html.escape`.

        Args:
            summary: put the verb summary (:attr:`summary`) above the text.
        """
        head = (
            f'<div class="rl-summary">{html.escape(self.summary)} · similarity '
            f"{self.similarity:.2f}</div>"
            if summary
            else ""
        )
        return (
            f'<div class="reslens-redline"><style>{_STYLE}</style>{head}'
            f'<div class="rl-text">{self._body_html()}</div></div>'
        )

    def side_by_side_html(self, *, labels: tuple[str, str] = ("old", "new")) -> str:
        """Two columns: the old text with its deletions, the new text with its insertions.

        Args:
            labels: the column headings (escaped).
        """
        old = self._body_html(keep_inserted=False)
        new = self._body_html(keep_deleted=False)
        left, right = (html.escape(label) for label in labels)
        return (
            f'<div class="reslens-redline"><style>{_STYLE}</style>'
            f'<div class="rl-summary">{html.escape(self.summary)}</div>'
            f"<table><tr><th>{left}</th><th>{right}</th></tr>"
            f'<tr><td class="rl-text">{old}</td><td class="rl-text">{new}</td></tr>'
            "</table></div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.to_text()


def _rung(strength: int | None) -> str:
    return "none" if strength is None else str(strength)


# ---------------------------------------------------------------------------------------------
# Diffing
# ---------------------------------------------------------------------------------------------

_Opcode = tuple[str, int, int, int, int]


def _absorb_islands(opcodes: Sequence[_Opcode], ta: list[Token]) -> list[_Opcode]:
    """Fold one-token equal runs of a stop word or punctuation between two replacements into
    them, then merge neighbouring changes into one ``replace``.

    Only islands between two *replacements* are folded: next to a pure insertion or deletion
    the island is real shared text (``{+orally+} by [-31-]{+30+}`` reads better than
    ``[-by 31-]{+orally by 30+}``).
    """
    marked: list[_Opcode] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        inner = 0 < n < len(opcodes) - 1
        if (
            tag == "equal"
            and inner
            and i2 - i1 == 1
            and _is_filler(ta[i1])
            and opcodes[n - 1][0] == "replace"
            and opcodes[n + 1][0] == "replace"
        ):
            tag = "replace"
        marked.append((tag, i1, i2, j1, j2))
    merged: list[_Opcode] = []
    for tag, i1, i2, j1, j2 in marked:
        if merged and tag != "equal" and merged[-1][0] != "equal":
            prev = merged[-1]
            merged[-1] = ("replace", prev[1], i2, prev[3], j2)
        else:
            merged.append((tag, i1, i2, j1, j2))
    return merged


def _equal_ops(ta: list[Token], tb: list[Token]) -> list[Op]:
    """Ops for token runs with equal text whose spacing may differ."""
    ops: list[Op] = []
    for x, y in zip(ta, tb, strict=True):
        if x.space != y.space:
            ops += [Op("delete", x.space), Op("insert", y.space), Op("equal", str(x))]
        else:
            ops.append(Op("equal", x.spaced))
    return ops


def diff_ops(a: str, b: str) -> tuple[tuple[Op, ...], float]:
    """The normalised ops turning ``a`` into ``b`` and the token-level similarity.

    Tokens are compared case-sensitively; spacing is not compared but kept in the ops, so the
    ops still rebuild both texts exactly.

    Examples:
        >>> [(op.tag, op.text) for op in diff_ops("to act", "to do it")[0]]
        [('equal', 'to'), ('delete', ' act'), ('insert', ' do it')]
    """
    ta, tb = tokenize(a), tokenize(b)
    tail_a = ta.pop().space if ta and not ta[-1] else ""
    tail_b = tb.pop().space if tb and not tb[-1] else ""
    matcher = SequenceMatcher(None, [str(t) for t in ta], [str(t) for t in tb], autojunk=False)
    total = len(ta) + len(tb)
    matches = sum(block.size for block in matcher.get_matching_blocks())
    similarity = 1.0 if total == 0 else 2.0 * matches / total
    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in _absorb_islands(matcher.get_opcodes(), ta):
        if tag == "equal":
            ops += _equal_ops(ta[i1:i2], tb[j1:j2])
        else:
            ops.append(Op("delete", detokenize(ta[i1:i2])))
            ops.append(Op("insert", detokenize(tb[j1:j2])))
    if tail_a == tail_b:
        ops.append(Op("equal", tail_a))
    else:
        ops += [Op("delete", tail_a), Op("insert", tail_b)]
    return _normalize_ops(ops), similarity


def redline(
    a: str,
    b: str,
    *,
    kind: str = OPERATIVE,
    verbs_a: Sequence[Verb] | None = None,
    verbs_b: Sequence[Verb] | None = None,
) -> Redline:
    """Compare two paragraph texts word by word.

    Args:
        a: the old text (e.g. the earlier resolution's paragraph).
        b: the new text.
        kind: ``"operative"`` or ``"preambular"``; used to detect verbs.
        verbs_a: the verbs of ``a`` when known (e.g. ``Paragraph.verbs`` read from markup);
            detected with :func:`reslens.language.verbs.detect_verbs` when ``None``.
        verbs_b: the same for ``b``.

    Returns:
        A :class:`Redline`; ``str(r)`` is the plain-text redline, ``r.summary`` the verb change,
        and it renders as HTML in Jupyter.

    Examples:
        >>> r = redline("Encourages Member States to share data",
        ...             "Requests Member States to share data")
        >>> r.verb_change, r.strength_change
        ('encourages → requests', 1)
    """
    ops, similarity = diff_ops(a, b)
    va = tuple(verbs_a) if verbs_a is not None else detect_verbs(a, kind)
    vb = tuple(verbs_b) if verbs_b is not None else detect_verbs(b, kind)
    return Redline(a=a, b=b, ops=ops, similarity=similarity, verbs_a=va, verbs_b=vb)


__all__ = ["Op", "Redline", "Token", "detokenize", "diff_ops", "redline", "tokenize"]
