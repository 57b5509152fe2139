"""The AKN reader on the real UNxml corpus (``@pytest.mark.corpus``)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from reslens.errors import SourceError
from reslens.models import Resolution
from reslens.sources.readers.akn import read_akn
from reslens.sources.readers.metadata import apply_metadata, load_metadata

pytestmark = pytest.mark.corpus

Parsed = tuple[dict[int, Resolution], Counter[str], list[str], float]
LANGUAGE_DIRS = {"Arabic", "Chinese", "French", "German", "Russian", "Spanish"}


def english_files(unxml: Path) -> list[Path]:
    """English resolution files: ``Pre-2020/<year>/`` and ``<year>/English/`` (no PRST)."""
    files = list(unxml.glob("Pre-2020/*/*.xml")) + list(unxml.glob("20[0-9][0-9]/English/*.xml"))
    return sorted(f for f in files if not f.name.startswith("S_PRST"))


@pytest.fixture(scope="module")
def unxml(corpus_dir: Path) -> Path:
    return corpus_dir / "unxml-scresolutions"


@pytest.fixture(scope="module")
def english(unxml: Path) -> Parsed:
    quirks: Counter[str] = Counter()
    errors: list[str] = []
    out: dict[int, Resolution] = {}
    files = english_files(unxml)
    start = time.perf_counter()
    for path in files:
        try:
            res = read_akn(path, quirks=quirks)
        except SourceError as exc:
            errors.append(str(exc))
            continue
        out.setdefault(res.number, res)  # 2193-2195 and 2464 have duplicate files
    elapsed = time.perf_counter() - start
    print(
        f"\nAKN English: {len(files)} files in {elapsed:.1f} s ({len(files) / elapsed:.0f} files/s)"
    )
    return out, quirks, errors, len(files) / elapsed


def test_whole_english_corpus_parses(english: Parsed) -> None:
    resolutions, quirks, errors, _rate = english
    assert errors == []
    assert len(resolutions) >= 1535
    ops = sum(len(r.operative()) for r in resolutions.values())
    pre = sum(len(r.preambular()) for r in resolutions.values())
    print(f"operative {ops}, preambular {pre}, quirks {sorted(quirks.items())}")
    assert ops > 20000 and pre > 18000
    # operative numbers run 1..N everywhere but S/RES/1409 (a procedures annex as a table)
    irregular = [
        n
        for n, r in resolutions.items()
        if [p.number for p in r.operative()] != [str(i + 1) for i in range(len(r.operative()))]
    ]
    assert irregular == [1409]
    for res in resolutions.values():
        keys = [p.key for p in res.paragraphs]
        assert len(keys) == len(set(keys)), res.symbol
        for p in res.paragraphs:
            for v in p.verbs:
                assert p.text[v.position : v.position + len(v.text)] == v.text, p.key
    for name in ("subpoint_paragraph_folded", "heading", "number_in_empty_paragraph"):
        assert quirks[name] > 0


def test_2331(english: Parsed) -> None:
    res = english[0][2331]
    ops = res.operative()
    assert res.date == "2016-12-20" and len(ops) == 24
    two = ops[1]
    assert two.intro == "Calls upon Member States:"
    assert [p.label for p in two.points] == ["(a)", "(b)", "(c)", "(d)"]
    assert two.text.startswith("Calls upon Member States: (a) That have not yet done so")
    assert "(d) To implement robust victim" in two.text
    assert "and underscores in this regard" in [v.text for v in two.verbs]
    verbs = [v.text for v in ops[20].verbs]
    assert {"Invites", "requests", "requests further"} <= set(verbs)


def test_2388_and_folded_subpoints(english: Parsed) -> None:
    resolutions = english[0]
    assert len(resolutions[2388].operative()) == 35
    for number in (2406, 2459):
        seven = resolutions[number].operative()[6]
        assert seven.number == "7"
        d = seven.points[3]
        assert d.label == "(d)" and "To carry out" in d.text
        assert [c.label for c in d.children] == ["(i)", "(ii)", "(iii)"]
        assert resolutions[number].operative()[7].number == "8"


def test_early_numbering_and_labels(english: Parsed) -> None:
    resolutions = english[0]
    for number, count in ((1285, 7), (1286, 15)):
        ops = resolutions[number].operative()
        assert [p.number for p in ops] == [str(i) for i in range(1, count + 1)]
        assert all(p.text and p.verbs for p in ops)
    sixteen = resolutions[2467].operative()[15]
    assert [p.label for p in sixteen.points] == ["(a)", "(b)", "(c)", "(d)"]


def test_h23_headings_not_glued(english: Parsed) -> None:
    ops = english[0][2509].operative()
    assert ops[0].heading and ops[0].heading.startswith("Prevention of Illicit Exports")
    assert ops[4].heading == "Effective Oversight of the Financial Institutions"
    assert not any("Effective Oversight" in p.text for p in ops)


def test_every_language_parses(unxml: Path) -> None:
    files = [
        f
        for year in unxml.glob("20[0-9][0-9]")
        for lang in year.iterdir()
        if lang.name in LANGUAGE_DIRS
        for f in sorted(lang.glob("*.xml"))
    ]
    assert len(files) > 1700
    languages: Counter[str] = Counter()
    errors: list[str] = []
    for path in files:
        try:
            res = read_akn(path)
        except SourceError as exc:
            errors.append(str(exc))
            continue
        languages[res.language] += 1
        if res.language == "en":  # two English files are filed under 2022/French/
            assert path.name.endswith("E.xml"), path
        assert res.operative(), path
    assert errors == []
    assert set(languages) == {"ar", "zh", "fr", "de", "ru", "es", "en"} and languages["en"] == 2


def test_metadata_join(unxml: Path, english: Parsed) -> None:
    bad: Counter[str] = Counter()
    meta = load_metadata(unxml, bad_lines=bad)
    assert len(meta) > 1500 and bad["bad_line"] == 0
    res = apply_metadata(english[0][2331], meta[2331])
    assert res.agenda_item and res.chapter_vii is False and res.subjects
    assert res.vote_counts == (15, 0, 0) and res.draft_symbol == "S/2016/1073"
    dated = apply_metadata(english[0][1287], meta.get(1287))
    assert dated.date and not dated.date.startswith("0001")
