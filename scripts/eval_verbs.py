"""Measure plain-text verb detection against the AKN italics (the gold standard).

Usage::

    python scripts/eval_verbs.py [CORPUS_DIR] [--sample N] [--every K]

For every English AKN file (2000-2026), each operative paragraph (a ``<paragraph>`` of
``<mainBody>`` with a ``<num>``) and each preambular paragraph (a ``<container>`` of
``<preamble>``) is flattened to clean text; its italic spans (extended to word boundaries,
kept when the lexicon gives them a lemma) are the gold verbs. :func:`reslens.language.verbs.
detect_verbs` runs on the text without italics and is scored:

* leading verb: precision and recall of the first verb at the start of the paragraph
  (lemma equality);
* all verbs: precision and recall of every verb (same lemma, start within 12 characters).

``--sample N`` prints N random misses of each kind (seeded) for inspection of italics gaps.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

from reslens.language.lexicon import Lexicon  # noqa: E402
from reslens.language.verbs import detect_verbs  # noqa: E402
from reslens.models import Verb  # noqa: E402

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
NS = {"a": AKN}
TOLERANCE = 12
_LABEL = re.compile(r"^\s*(?:\(\s*[a-z0-9]{1,5}\s*\)|[a-z0-9]{1,4}[.)]|[•\-–—])\s*", re.I)


@dataclass
class GoldParagraph:
    """A paragraph's clean text and its gold (italic) verbs."""

    source: str
    kind: str
    text: str
    gold: list[Verb] = field(default_factory=list)


def english_files(corpus: Path) -> list[Path]:
    """Every English AKN resolution file (2000-2026), in a stable order."""
    base = corpus / "unxml-scresolutions"
    return sorted(base.glob("Pre-2020/*/*.xml")) + sorted(base.glob("20*/English/*.xml"))


def _pieces(el: etree._Element, skip: etree._Element | None) -> Iterator[tuple[str, bool]]:
    """(text, italic?) pieces of ``el`` in document order, leaving out ``skip``."""
    italic = etree.QName(el).localname == "span" and el.get("class") == "italic"
    if el is not skip:
        if el.text:
            yield el.text, italic
        for child in el:
            if not isinstance(child.tag, str):  # comments, processing instructions
                if child.tail:
                    yield child.tail, italic
                continue
            yield from _pieces(child, skip)
            if child.tail:
                yield child.tail, italic


def flatten(
    el: etree._Element, skip: etree._Element | None = None
) -> tuple[str, list[tuple[int, int]]]:
    """Clean text of ``el`` (single spaces) and the (start, end) of its italic runs."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    current: int | None = None
    length = 0
    for piece, italic in _pieces(el, skip):
        piece = piece.replace("\u00a0", " ").replace("\u202f", " ").replace("\u00ad", "")
        piece = re.sub(r"\s+", " ", piece)
        if piece.startswith(" ") and (length == 0 or out[-1].endswith(" ")):
            piece = piece[1:]
        if italic and current is None:
            current = length + (len(piece) - len(piece.lstrip()))
        if not italic and current is not None:
            spans.append((current, length))
            current = None
        out.append(piece)
        length += len(piece)
    if current is not None:
        spans.append((current, length))
    text = "".join(out)
    stripped = text.rstrip()
    spans = [(s, min(e, len(stripped))) for s, e in spans if s < len(stripped)]
    return stripped, spans


def _gold(text: str, spans: list[tuple[int, int]], lexicon: Lexicon) -> list[Verb]:
    verbs: list[Verb] = []
    for start, end in spans:
        while end < len(text) and text[end - 1 : end].isalpha() and text[end].isalpha():
            end += 1
        while start > 0 and text[start].isalpha() and text[start - 1].isalpha():
            start -= 1
        phrase = text[start:end].strip()
        if not phrase:
            continue
        start += len(text[start:end]) - len(text[start:end].lstrip())
        verb = lexicon.classify(phrase, text[start + len(phrase) : start + len(phrase) + 80], start)
        if verb.lemma:
            verbs.append(verb)
    return verbs


def paragraphs(path: Path, lexicon: Lexicon) -> Iterator[GoldParagraph]:
    """The operative and preambular paragraphs of one file with their gold verbs."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.parse(str(path), parser)
    for para in tree.iterfind(".//a:mainBody//a:paragraph", NS):
        num = para.find("a:num", NS)
        if num is None:
            continue
        text, spans = flatten(para, skip=num)
        if text:
            yield GoldParagraph(path.name, "operative", text, _gold(text, spans, lexicon))
    for box in tree.iterfind(".//a:preamble/a:container", NS):
        text, spans = flatten(box)
        if text:
            yield GoldParagraph(path.name, "preambular", text, _gold(text, spans, lexicon))


@dataclass
class Score:
    """Counts for one kind of paragraph."""

    paragraphs: int = 0
    lead_gold: int = 0
    lead_detected: int = 0
    lead_hit: int = 0
    all_gold: int = 0
    all_detected: int = 0
    all_hit: int = 0
    false_pos: list[tuple[str, str, int]] = field(default_factory=list)
    false_neg: list[tuple[str, str, int]] = field(default_factory=list)

    def ratios(self) -> dict[str, float]:
        """Precision and recall of the leading verb and of all verbs."""

        def div(a: int, b: int) -> float:
            return a / b if b else 0.0

        return {
            "lead_p": div(self.lead_hit, self.lead_detected),
            "lead_r": div(self.lead_hit, self.lead_gold),
            "all_p": div(self.all_hit, self.all_detected),
            "all_r": div(self.all_hit, self.all_gold),
        }


def _lead(verbs: list[Verb] | tuple[Verb, ...], text: str) -> Verb | None:
    label = _LABEL.match(text)
    offset = label.end() if label else 0
    return verbs[0] if verbs and verbs[0].position <= offset + 1 else None


def score_paragraph(para: GoldParagraph, score: Score) -> None:
    """Add one paragraph's detection result to ``score``."""
    found = detect_verbs(para.text, para.kind)
    score.paragraphs += 1
    gold_lead, det_lead = _lead(para.gold, para.text), _lead(found, para.text)
    score.lead_gold += gold_lead is not None
    score.lead_detected += det_lead is not None
    if gold_lead and det_lead and gold_lead.lemma == det_lead.lemma:
        score.lead_hit += 1
    score.all_gold += len(para.gold)
    score.all_detected += len(found)
    unmatched = list(found)
    for gold in para.gold:
        match = next(
            (
                v
                for v in unmatched
                if v.lemma == gold.lemma
                and gold.position - TOLERANCE <= v.position <= gold.position + len(gold.text)
            ),
            None,
        )
        if match is None:
            score.false_neg.append((para.source, para.text, gold.position))
        else:
            unmatched.remove(match)
            score.all_hit += 1
    score.false_pos += [(para.source, para.text, v.position) for v in unmatched]


def evaluate(files: list[Path]) -> dict[str, Score]:
    """Score detection over ``files``; one :class:`Score` per paragraph kind."""
    lexicon = Lexicon.load()
    scores = {"operative": Score(), "preambular": Score()}
    for path in files:
        for para in paragraphs(path, lexicon):
            score_paragraph(para, scores[para.kind])
    return scores


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--sample", type=int, default=0, help="print N random misses of each kind")
    parser.add_argument("--every", type=int, default=1, help="use every K-th file only")
    args = parser.parse_args(argv)
    files = english_files(args.corpus)[:: args.every]
    scores = evaluate(files)
    print(f"files: {len(files)}")
    for kind, score in scores.items():
        r = score.ratios()
        print(
            f"{kind}: paragraphs {score.paragraphs}; leading verb P {r['lead_p']:.4f} "
            f"R {r['lead_r']:.4f} (gold {score.lead_gold}, detected {score.lead_detected}); "
            f"all verbs P {r['all_p']:.4f} R {r['all_r']:.4f} "
            f"(gold {score.all_gold}, detected {score.all_detected})"
        )
        rng = random.Random(2331)
        for label, misses in (("false positive", score.false_pos), ("miss", score.false_neg)):
            for source, text, pos in rng.sample(misses, min(args.sample, len(misses))):
                print(f"  [{label}] {source}: ...{text[max(0, pos - 50) : pos + 60]}...")
    return 0


if __name__ == "__main__":
    sys.exit(main())
