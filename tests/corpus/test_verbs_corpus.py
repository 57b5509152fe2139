"""Verb detection and the lexicon measured on the real AKN corpus (italics as gold).

The full measurement is ``scripts/eval_verbs.py`` (numbers in ``docs/verbs.md``); this test runs
the same scorer on every 8th English file to stay fast, with floors a little under the measured
values (italic gaps make the precision against the markup lower than the real precision).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from reslens.language.lexicon import LADDER, OFF_LADDER, Lexicon
from reslens.language.verbs import find_addressees, find_citations

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores(corpus_dir: Path) -> dict[str, object]:
    ev = _load("eval_verbs")
    files = ev.english_files(corpus_dir)
    assert len(files) > 1500
    result: dict[str, object] = ev.evaluate(files[::8])
    return result


@pytest.mark.corpus
def test_leading_verb_floor(scores: dict[str, object]) -> None:
    for kind in ("operative", "preambular"):
        ratios = scores[kind].ratios()  # type: ignore[attr-defined]
        assert ratios["lead_p"] >= 0.97, (kind, ratios)
        assert ratios["lead_r"] >= 0.97, (kind, ratios)


@pytest.mark.corpus
def test_all_verbs_floor(scores: dict[str, object]) -> None:
    for kind in ("operative", "preambular"):
        ratios = scores[kind].ratios()  # type: ignore[attr-defined]
        assert ratios["all_r"] >= 0.95, (kind, ratios)
        assert ratios["all_p"] >= 0.80, (kind, ratios)


@pytest.mark.corpus
def test_shipped_lexicon_matches_a_sample(corpus_dir: Path) -> None:
    """Lemmas of a fresh derivation on a few files are all known to the shipped lexicon."""
    derive = _load("derive_lexicon")
    lex = Lexicon.load()
    shipped = {e.phrase for e in lex.entries}
    seen = 0
    for path in derive.english_files(corpus_dir)[::50]:
        for _kind, phrase, following, _a, _b in derive.italic_spans(derive.parse(path)):
            verb = lex.classify(phrase, following)
            if verb.lemma:
                seen += 1
                assert phrase in shipped, phrase
                family, strength = LADDER[verb.lemma]
                assert strength is not None or family in OFF_LADDER
    assert seen > 500


@pytest.mark.corpus
def test_2331_language(corpus_dir: Path) -> None:
    ev = _load("eval_verbs")
    lex = Lexicon.load()
    path = next((corpus_dir / "unxml-scresolutions" / "Pre-2020" / "2016").glob("*2331*.xml"))
    ops = [p for p in ev.paragraphs(path, lex) if p.kind == "operative"]
    first = ops[0]
    assert first.gold[0].lemma == "condemns"
    second = ops[1]
    lemmas = [v.lemma for v in second.gold]
    # "and underscores in this reg|ard": broken span repaired; "calls in this regard for".
    assert lemmas[:4] == ["calls upon", "underscores", "calls for", "encourages"]
    assert find_addressees(second.text, tuple(second.gold))[0] == "Member States"
    preamble = [p for p in ev.paragraphs(path, lex) if p.kind == "preambular"]
    cited = {c.number for p in preamble for c in find_citations(p.text)}
    assert {2195, 2253, 1267} <= cited
