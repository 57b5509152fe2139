"""Word and word-pair counts learnt from corpus text, for repairing broken words.

The readers of plain text (:mod:`reslens.sources.readers.crunsc`,
:mod:`reslens.sources.readers.pdftext`) decide
whether ``para-`` + ``graph`` is ``paragraph``, whether ``preve nt`` is ``prevent`` and whether
``Councilmandated`` is ``Council-mandated`` by asking how often each form occurs in real
resolution text. No list of words is written by hand: the counts come from the corpus.

Counting is case-insensitive. A hyphenated token (``post-conflict``) is counted as a whole *and*
each of its parts (``post``, ``conflict``) is counted as a word, so both the compound and its
pieces are known; its first part is also counted as a prefix (key ``post-``). Adjacent word
pairs (bigrams) are counted too, so a reader can tell a real pair (``in to``, ``a round``) from a
split word.

The file format of :meth:`Vocabulary.save` is a plain UTF-8 TSV, one entry a line:
``word<TAB>count`` for words and ``word word<TAB>count`` (a single space inside the key) for
pairs. No pickle.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from reslens.errors import SourceError

__all__ = ["TOKEN_RE", "Vocabulary", "tokenize"]

#: A word: letters, optionally joined by hyphens or apostrophes (``post-conflict``, ``missions'``).
TOKEN_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")

_HEADER = "# reslens vocabulary v1"
_LAMBDA = 0.8
#: Log-likelihood margin by which a join must beat the pair of two real words.
JOIN_MARGIN = 10.0


def tokenize(text: str) -> list[str]:
    """Split text into lower-case word tokens (hyphenated compounds stay whole).

    Examples:
        >>> tokenize("The Secretary-General's post-conflict report, 2016")
        ['the', "secretary-general's", 'post-conflict', 'report']
    """
    return [m.group(0).lower().replace("’", "'") for m in TOKEN_RE.finditer(text)]


class Vocabulary:
    """Case-insensitive word counts (and adjacent-pair counts) learnt from corpus text.

    Examples:
        >>> v = Vocabulary.from_texts(["Invites the Secretary-General to prevent post-conflict"])
        >>> v.count("PREVENT"), "secretary-general" in v, "general" in v
        (1, True, True)
        >>> v.pair_count("to", "prevent")
        1
    """

    def __init__(
        self,
        counts: Mapping[str, int] | None = None,
        pairs: Mapping[tuple[str, str], int] | None = None,
    ) -> None:
        """Create a vocabulary from ready counts (keys are lower-cased).

        Args:
            counts: word -> count.
            pairs: (word, next word) -> count.
        """
        self._words: Counter[str] = Counter()
        self._pairs: Counter[tuple[str, str]] = Counter()
        self._total: int | None = None
        self._longest: int | None = None
        for word, n in (counts or {}).items():
            self._words[word.lower()] += n
        for (a, b), n in (pairs or {}).items():
            self._pairs[(a.lower(), b.lower())] += n

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        """Learn counts from an iterable of texts (one document or paragraph per item).

        Args:
            texts: the texts; pairs are never counted across two items.

        Returns:
            A new vocabulary.
        """
        vocab = cls()
        for text in texts:
            vocab.add_text(text)
        return vocab

    def add_text(self, text: str) -> None:
        """Add the words and adjacent pairs of one text to the counts."""
        tokens = tokenize(text)
        self._total = self._longest = None
        for token in tokens:
            self._words[token] += 1
            if "-" in token:
                parts = token.split("-")
                self._words[parts[0] + "-"] += 1
                for part in parts:
                    self._words[part] += 1
        self._pairs.update(itertools.pairwise(tokens))

    def count(self, word: str) -> int:
        """How often ``word`` was seen (case-insensitive); 0 when never."""
        return self._words.get(word.lower().replace("’", "'"), 0)

    def pair_count(self, first: str, second: str) -> int:
        """How often ``first`` was directly followed by ``second`` (case-insensitive)."""
        return self._pairs.get((first.lower(), second.lower()), 0)

    @property
    def total(self) -> int:
        """The number of word tokens counted (hyphen parts and prefixes included)."""
        if self._total is None:
            self._total = sum(self._words.values())
        return self._total

    def __contains__(self, word: object) -> bool:
        """True when the word was seen at least once."""
        return isinstance(word, str) and self.count(word) > 0

    def __len__(self) -> int:
        """The number of distinct words."""
        return len(self._words)

    def __repr__(self) -> str:
        return f"Vocabulary({len(self._words)} words, {len(self._pairs)} pairs)"

    # ----------------------------------------------------------------- decisions
    def join_line_hyphen(self, left: str, right: str) -> str:
        """Rejoin a word hyphenated at a line end: ``para-`` + ``graph``.

        The rule, from the counts of the joined form ``J`` and the hyphenated form ``H``:

        - ``J`` known, ``H`` unknown: drop the hyphen (``paragraph``), except when both parts
          are words themselves and ``J`` was seen only once (a one-off typo is no evidence);
        - both known: drop the hyphen only when ``J`` is at least 20 times as frequent as ``H``
          (``December`` over a stray ``Decem-ber``); ``co-operation`` stays when the corpus
          writes it so;
        - neither known: keep the hyphen when ``left`` is seen as the first part of hyphenated
          compounds (``self-``, ``non-``) or ``right`` starts in upper case or is a word on its
          own; otherwise (a syllable such as ``-tion``) drop it.

        Args:
            left: the part before the hyphen (no hyphen), e.g. ``"para"``.
            right: the part after the line break, e.g. ``"graph"``.

        Returns:
            The rejoined word, with or without the hyphen.

        Examples:
            >>> v = Vocabulary.from_texts(["the paragraph of the Secretary-General"])
            >>> v.join_line_hyphen("para", "graph"), v.join_line_hyphen("Secretary", "General")
            ('paragraph', 'Secretary-General')
        """
        joined, hyphenated = left + right, f"{left}-{right}"
        n_joined, n_hyphen = self.count(joined), self.count(hyphenated)
        parts_are_words = self.count(left) > 0 and self.count(right) > 0
        if n_joined and not n_hyphen:
            return joined if (n_joined >= 2 or not parts_are_words) else hyphenated
        if n_joined and n_hyphen:
            return joined if n_joined >= 20 * n_hyphen else hyphenated
        if n_hyphen:
            return hyphenated
        if self.prefix_count(left) or right[:1].isupper() or self.count(right):
            return hyphenated
        return joined

    def prefix_count(self, word: str) -> int:
        """How often ``word`` was seen as the first part of a hyphenated compound (``self-``)."""
        return self._words.get(word.lower() + "-", 0)

    def fix_glued_hyphen(self, word: str, min_count: int = 2) -> str | None:
        """Restore a hyphen lost at a line break: ``Councilmandated`` -> ``Council-mandated``.

        Only an unknown word is split, and only where the hyphenated compound itself was seen at
        least ``min_count`` times; the most frequent compound wins.

        Returns:
            The hyphenated word, or ``None`` when no known compound fits.
        """
        if self.count(word) > 0 or not word.isalpha():
            return None
        if self._longest is None:
            self._longest = max(map(len, self._words), default=0)
        if len(word) + 1 > self._longest:
            return None  # no compound that long was seen (and trying each split is quadratic)
        best: tuple[int, str] | None = None
        for i in range(2, len(word) - 1):
            candidate = f"{word[:i]}-{word[i:]}"
            n = self.count(candidate)
            if n >= min_count and (best is None or n > best[0]):
                best = (n, candidate)
        return best[1] if best else None

    def _logp(self, prev: str | None, word: str) -> float:
        """Interpolated bigram log-probability of ``word`` after ``prev`` (add-one unigram)."""
        total = self.total + len(self._words) + 1
        uni = (self.count(word) + 1) / total
        if not prev:
            return math.log(uni)
        c_prev = self.count(prev)
        bi = self.pair_count(prev, word) / c_prev if c_prev else 0.0
        return math.log(_LAMBDA * bi + (1 - _LAMBDA) * uni)

    def join_gain(self, prev: str | None, first: str, second: str, nxt: str | None) -> float:
        """How much more likely ``first+second`` is than the pair ``first second`` (log ratio).

        Both readings are scored with an interpolated bigram model over the neighbours:
        ``P(first|prev) P(second|first) P(next|second)`` against ``P(joined|prev) P(next|joined)``.
        A positive value favours the join; :meth:`should_join` asks for a wide margin.
        """
        joined = first + second
        split = (
            self._logp(prev, first) + self._logp(first, second) + self._logp(second, nxt)
            if nxt
            else self._logp(prev, first) + self._logp(first, second)
        )
        join = self._logp(prev, joined) + (self._logp(joined, nxt) if nxt else 0.0)
        return join - split

    def should_join(
        self,
        prev: str | None,
        first: str,
        second: str,
        nxt: str | None,
        *,
        margin: float = JOIN_MARGIN,
        min_count: int = 2,
    ) -> bool:
        """Decide whether ``first second`` is one word split in two (``preve nt``, ``f or``).

        The rule (no word list): the joined form must have been seen ``min_count`` times, and
        - if either fragment is unknown, join;
        - if both fragments are real words, join only when the bigram model of
          :meth:`join_gain` prefers the joined word by more than ``margin`` (natural log), so
          that real pairs such as ``in to`` or ``a round`` stay apart unless the joined word is
          overwhelmingly more likely in that context.
        """
        joined = first + second
        if self.count(joined) < min_count:
            return False
        if self.count(first) == 0 or self.count(second) == 0:
            return True
        return self.join_gain(prev, first, second, nxt) > margin

    def save(self, path: str | Path) -> None:
        """Write the counts as a UTF-8 TSV (see the module docstring for the format).

        Args:
            path: the file to write (replaced if it exists).
        """
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        with tmp.open("w", encoding="utf-8", newline="\n") as out:
            out.write(_HEADER + "\n")
            for word, n in sorted(self._words.items()):
                out.write(f"{word}\t{n}\n")
            for (a, b), n in sorted(self._pairs.items()):
                out.write(f"{a} {b}\t{n}\n")
        tmp.replace(target)

    @classmethod
    def load(cls, path: str | Path) -> Vocabulary:
        """Read a vocabulary written by :meth:`save`.

        Args:
            path: the TSV file.

        Returns:
            The vocabulary.

        Raises:
            SourceError: the file is missing or is not a vocabulary TSV (names the file).
        """
        source = Path(path)
        try:
            lines = source.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(f"{source}: cannot read vocabulary: {exc}") from exc
        if not lines or lines[0] != _HEADER:
            raise SourceError(f"{source}: not a reslens vocabulary file")
        words: dict[str, int] = {}
        pairs: dict[tuple[str, str], int] = {}
        for lineno, line in enumerate(lines[1:], start=2):
            key, sep, value = line.rpartition("\t")
            if not sep or not value.isdigit():
                raise SourceError(f"{source}:{lineno}: bad vocabulary line {line!r}")
            if " " in key:
                first, _, second = key.partition(" ")
                pairs[(first, second)] = int(value)
            else:
                words[key] = int(value)
        return cls(words, pairs)
