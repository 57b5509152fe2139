"""The plain-text readers on the real data: the PDF-extracted seed page and all CR-UNSC files."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from reslens.errors import SourceError
from reslens.language.vocab import Vocabulary
from reslens.models import Resolution
from reslens.sources.readers.crunsc import read_crunsc
from reslens.sources.readers.pdftext import Repair, read_pdf_text, repair_text
from reslens.text import clean, normalize

pytestmark = pytest.mark.corpus

AKN_NS = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
SEED = "S_RES_2331_2016_page8_pdf_extract.txt"


def english_akn(unxml: Path) -> list[Path]:
    files = list(unxml.glob("Pre-2020/*/*.xml")) + list(unxml.glob("20[0-9][0-9]/English/*.xml"))
    return sorted(files)


@pytest.fixture(scope="module")
def akn_vocab(corpus_dir: Path) -> Vocabulary:
    """Word counts of every English AKN resolution (all text via ``itertext``)."""
    texts = (
        " ".join(etree.parse(str(path)).getroot().itertext())
        for path in english_akn(corpus_dir / "unxml-scresolutions")
    )
    return Vocabulary.from_texts(texts)


def akn_paragraphs(corpus_dir: Path, number: int) -> dict[str, str]:
    """``{"21": text}`` for the numbered paragraphs of the mainBody of one AKN resolution."""
    unxml = corpus_dir / "unxml-scresolutions"
    (path,) = [p for p in english_akn(unxml) if p.name.startswith(f"S_RES_{number}_")]
    root = etree.parse(str(path)).getroot()
    out: dict[str, str] = {}
    for para in root.iter(f"{AKN_NS}paragraph"):
        if not any(a.tag == f"{AKN_NS}mainBody" for a in para.iterancestors()):
            continue
        num = para.find(f"{AKN_NS}num")
        if num is None or not (num.text or "").strip():
            continue
        text = " ".join("".join(child.itertext()) for child in para if child.tag != f"{AKN_NS}num")
        out[(num.text or "").strip().rstrip(".")] = clean(text)
    return out


@pytest.fixture(scope="module")
def seed(seed_dir: Path, akn_vocab: Vocabulary) -> tuple[Resolution, list[Repair]]:
    log: list[Repair] = []
    text = (seed_dir / SEED).read_text(encoding="utf-8")
    return read_pdf_text(text, vocabulary=akn_vocab, source=SEED, repairs=log), log


def test_seed_paragraphs_equal_the_akn_text(
    seed: tuple[Resolution, list[Repair]], corpus_dir: Path
) -> None:
    res, _ = seed
    assert res.symbol == "S/RES/2331 (2016)"
    assert [p.key for p in res.paragraphs] == [f"2331:op{n}" for n in (21, 22, 23, 24)]
    akn = akn_paragraphs(corpus_dir, 2331)
    for number in ("21", "22", "23"):
        (para,) = [p for p in res.paragraphs if p.number == number]
        assert normalize(para.text) == normalize(akn[number]), number
    assert res.paragraphs[-1].text == "Decides to remain actively seized of this matter."


def test_seed_repairs_are_exactly_the_damage(seed: tuple[Resolution, list[Repair]]) -> None:
    """Precision and recall on the seed: 6 repairs made, all 6 right, none missed."""
    _, log = seed
    assert sorted((r.before, r.after) for r in log) == [
        ("Councilmandated", "Council-mandated"),
        ("Inter -Agency", "Inter-Agency"),
        ("f or", "for"),
        ("geographic al", "geographical"),
        ("post -conflict", "post-conflict"),
        ("preve nt", "prevent"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "the Council may look in to the matter of a round table",
        "to hold a round of consultations in to the night",
        "a mission to assess in particular the situation",
    ],
)
def test_real_word_pairs_survive_the_corpus_vocabulary(
    akn_vocab: Vocabulary, sentence: str
) -> None:
    fixed, log = repair_text(sentence, akn_vocab)
    assert fixed == sentence, log


def test_split_words_of_real_paragraphs_are_rejoined(
    akn_vocab: Vocabulary, corpus_dir: Path
) -> None:
    """Damage the AKN text of S/RES/2331 like a PDF extraction; the repair restores it."""
    akn = akn_paragraphs(corpus_dir, 2331)
    original = akn["23"]
    damaged = (
        original.replace("implementation", "implem entation")
        .replace("coordination", "coordi nation")
        .replace("procurement", "procure ment")
    )
    assert damaged != original
    fixed, log = repair_text(damaged, akn_vocab)
    assert normalize(fixed) == normalize(original)
    assert len(log) >= 3


@pytest.fixture(scope="module")
def crunsc(corpus_dir: Path) -> tuple[dict[int, Resolution], list[str], list[Repair]]:
    folder = corpus_dir / "cr-unsc-gold" / "data" / "res_en_gold"
    out: dict[int, Resolution] = {}
    errors: list[str] = []
    log: list[Repair] = []
    for path in sorted(folder.glob("S_RES_*_EN_GOLD.txt")):
        try:
            res = read_crunsc(path, repairs=log)
        except SourceError as exc:
            errors.append(str(exc))
            continue
        out[res.number] = res
    return out, errors, log


def test_crunsc_whole_corpus(crunsc: tuple[dict[int, Resolution], list[str], list[Repair]]) -> None:
    resolutions, errors, _ = crunsc
    # Two files hold another resolution's text (542 holds 538, 778 holds 773): refused.
    assert len(errors) == 2, errors
    assert all("holds the text of resolution" in e for e in errors)
    assert len(resolutions) == 900
    assert set(range(1, 900)) - set(resolutions) == {542, 778}
    assert {902, 1445, 1454} <= set(resolutions)
    for res in resolutions.values():
        keys = [p.key for p in res.paragraphs]
        assert len(keys) == len(set(keys)), res.symbol
        assert res.operative(), res.symbol
        assert all(p.text and not p.verbs for p in res.paragraphs), res.symbol
        assert not any(re.match(r"Ad[ao]pted\b", p.text) for p in res.paragraphs), res.symbol
    dated = [r for r in resolutions.values() if r.date]
    assert len(dated) >= 895
    assert all(r.date and r.date.startswith(str(r.year)) for r in dated)
    assert sum(1 for r in resolutions.values() if r.meeting) >= 885
    assert sum(1 for r in resolutions.values() if r.draft_symbol) >= 160
    assert sum(1 for r in resolutions.values() if r.vote_counts) >= 290
    unnumbered = [r for r in resolutions.values() if r.operative()[0].number == "1"]
    assert len(unnumbered) == len(resolutions)  # every resolution starts at op1


def test_crunsc_known_resolutions(
    crunsc: tuple[dict[int, Resolution], list[str], list[Repair]],
) -> None:
    resolutions, _, _ = crunsc
    r242 = resolutions[242]
    assert r242.date == "1967-11-22"
    assert r242.meeting == "1382nd meeting"
    assert [p.key for p in r242.operative()] == [f"242:op{n}" for n in (1, 2, 3, 4)]
    assert [p.label for p in r242.operative()[0].points] == ["(i)", "(ii)"]  # OCR "(1)"
    assert [p.label for p in r242.operative()[1].points] == ["(a)", "(b)", "(c)"]
    assert len(r242.preambular()) == 3
    r32 = resolutions[32]
    assert (r32.draft_symbol, r32.vote_counts) == ("S/525, III", (10, 0, 1))
    r1 = resolutions[1]
    assert r1.operative()[0].text.startswith("The Security Council requests the permanent")
    r161 = resolutions[161]
    assert "161:opB1" in {p.key for p in r161.paragraphs}
    assert [p.number for p in resolutions[591].operative()][:8] == [  # "8." misprinted for 5
        str(n) for n in (1, 2, 3, 4, 5, 6, 8, 9)
    ]


def test_crunsc_hyphen_decisions(
    crunsc: tuple[dict[int, Resolution], list[str], list[Repair]],
) -> None:
    _, _, log = crunsc
    decisions = Counter("joined" if "-" not in r.after else "kept" for r in log)
    assert decisions["joined"] >= 100
    assert decisions["kept"] >= 40
    pairs = {(r.before, r.after) for r in log}
    assert ("para-|graph", "paragraph") in pairs
    assert ("Secretary-|General", "Secretary-General") in pairs
    assert ("co-|operate", "co-operate") in pairs
    assert ("Decem-|ber", "December") in pairs
