"""Derive the verb lexicon (src/reslens/data/verbs.tsv) from the italics of the AKN files.

Usage::

    python scripts/derive_lexicon.py [CORPUS_DIR] [--out src/reslens/data/verbs.tsv]

Walks every English AKN file of ``CORPUS_DIR/unxml-scresolutions`` (``Pre-2020/*/*.xml`` and
``20*/English/*.xml``), collects each ``<span class="italic">`` of ``<mainBody>`` (operative)
and ``<preamble>`` (preambular), repairs spans broken mid-word, reduces each phrase to its lemma
(:func:`reslens.language.lexicon.lemmatize`) and writes one row per (phrase, lemma, kind)
with its count,
family and strength, most frequent first. A summary goes to stdout.

The enacting formula (``<formula>``, "The Security Council,") is not a verb and is skipped.
"""

from __future__ import annotations

import argparse
import collections
import csv
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

from reslens.language.lexicon import LADDER, lemmatize, normalize_phrase  # noqa: E402

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
NS = {"a": AKN}
DEFAULT_OUT = ROOT / "src" / "reslens" / "data" / "verbs.tsv"
_LETTERS = re.compile(r"^[^\W\d_]+")
_TRAILING_LETTERS = re.compile(r"[^\W\d_]+$")


def english_files(corpus: Path) -> list[Path]:
    """Every English AKN resolution file, in a stable order."""
    base = corpus / "unxml-scresolutions"
    files = sorted(base.glob("Pre-2020/*/*.xml")) + sorted(base.glob("20*/English/*.xml"))
    return files


def parse(path: Path) -> etree._ElementTree:
    """Parse one AKN file with a hardened parser (no entities, no network)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.parse(str(path), parser)


def _text_before(span: etree._Element) -> str:
    prev = span.getprevious()
    if prev is not None:
        return prev.tail or ""
    parent = span.getparent()
    return (parent.text or "") if parent is not None else ""


def repaired_span(span: etree._Element) -> tuple[str, str, int, int]:
    """The text of an italic span extended to word boundaries.

    Returns:
        (text, following text, letters added at the start, letters added at the end).
    """
    text = "".join(str(t) for t in span.itertext())
    tail = span.tail or ""
    added_end = added_start = 0
    if text[-1:].isalpha():
        match = _LETTERS.match(tail)
        if match:
            added_end = match.end()
            text += match.group()
            tail = tail[added_end:]
    if text[:1].isalpha():
        match = _TRAILING_LETTERS.search(_text_before(span))
        if match:
            added_start = len(match.group())
            text = match.group() + text
    return text, tail, added_start, added_end


def italic_spans(tree: etree._ElementTree) -> Iterator[tuple[str, str, str, int, int]]:
    """Yield (kind, phrase, following, added_start, added_end) for each verb-bearing italic."""
    for kind, tag in (("operative", "mainBody"), ("preambular", "preamble")):
        for part in tree.iterfind(f".//a:{tag}", NS):
            for span in part.iterfind(".//a:span[@class='italic']", NS):
                if any(etree.QName(a).localname == "formula" for a in span.iterancestors()):
                    continue
                text, tail, a_start, a_end = repaired_span(span)
                phrase = normalize_phrase(text)
                if phrase:
                    yield kind, phrase, tail[:120], a_start, a_end


def derive(corpus: Path) -> tuple[collections.Counter[tuple[str, str, str]], dict[str, int]]:
    """Count (phrase, lemma, kind) over the corpus; return the counts and quirk counters."""
    spans: list[tuple[str, str, str]] = []
    quirks: collections.Counter[str] = collections.Counter()
    files = english_files(corpus)
    for path in files:
        for kind, phrase, following, a_start, a_end in italic_spans(parse(path)):
            spans.append((kind, phrase, following))
            quirks["broken_end"] += a_end > 0
            quirks["broken_start"] += a_start > 0
    quirks["files"] = len(files)
    # Finite heads seen at the start of operative italics teach the participle mapping.
    heads: collections.Counter[str] = collections.Counter()
    for kind, phrase, _ in spans:
        if kind == "operative":
            lemma = lemmatize(phrase)
            if lemma and lemma.split()[0] in phrase.split():  # written finite, not guessed
                heads[lemma.split()[0]] += 1
    known = frozenset(h for h, n in heads.items() if n >= 3 and h.endswith("s"))
    known |= {lemma.split()[0] for lemma in LADDER if lemma.split()[0].endswith("s")}
    counts: collections.Counter[tuple[str, str, str]] = collections.Counter()
    for kind, phrase, following in spans:
        lemma = lemmatize(phrase, following, known)
        if lemma not in LADDER:
            lemma = ""
        counts[(phrase, lemma, kind)] += 1
    return counts, dict(quirks)


def write_tsv(counts: collections.Counter[tuple[str, str, str]], out: Path) -> None:
    """Write verbs.tsv: phrase, lemma, kind, count, family, strength; most frequent first."""
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["phrase", "lemma", "kind", "count", "family", "strength"])
        for (phrase, lemma, kind), n in rows:
            if not lemma and n < 2:  # one-off non-verb italics (names, Latin): counted only
                continue
            family, strength = LADDER.get(lemma, ("", None))
            writer.writerow([phrase, lemma, kind, n, family, "" if strength is None else strength])


def summarize(counts: collections.Counter[tuple[str, str, str]], quirks: dict[str, int]) -> str:
    """A plain-text report: distinct phrases and lemmas, coverage, quirks."""
    total = sum(counts.values())
    verb_mass = sum(n for (_, lemma, _), n in counts.items() if lemma)
    by_lemma: collections.Counter[str] = collections.Counter()
    for (_, lemma, _), n in counts.items():
        if lemma:
            by_lemma[lemma] += n
    phrases = {p for (p, lemma, _) in counts if lemma}
    lines = [
        f"files: {quirks['files']}",
        f"italic spans: {total} (verb-bearing {verb_mass}, "
        f"{100 * verb_mass / total:.1f} %; other {total - verb_mass})",
        f"spans broken mid-word: {quirks['broken_end']} at the end, "
        f"{quirks['broken_start']} at the start",
        f"distinct phrases: {len({p for (p, _, _) in counts})} "
        f"(with a lemma: {len(phrases)}); distinct lemmas: {len(by_lemma)}",
    ]
    running = 0
    for i, (_lemma, n) in enumerate(by_lemma.most_common(), 1):
        running += n
        if i in (10, 20, 30, 50, 75, 100):
            lines.append(f"top {i} lemmas cover {100 * running / total:.1f} % of all italics")
    lines.append("lemmas >= 0.1 % of the italic mass:")
    for lemma, n in by_lemma.most_common():
        if n / total < 0.001:
            break
        family, strength = LADDER[lemma]
        lines.append(f"  {lemma:28s} {n:6d} {100 * n / total:5.2f} %  {family} {strength}")
    unknown = collections.Counter({p: n for (p, lemma, _), n in counts.items() if not lemma})
    lines.append("most frequent italics without a lemma:")
    lines += [f"  {n:5d} {p!r}" for p, n in unknown.most_common(25)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    counts, quirks = derive(args.corpus)
    write_tsv(counts, args.out)
    print(summarize(counts, quirks))
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
