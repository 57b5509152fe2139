"""Presidential statements and drafts not adopted of the real corpus: counts, a statement shown
by its symbol, a draft found by ``document=``, a draft aligned with the resolution adopted
after it, and a statement in a resolution's lineage."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import reslens as rl
from reslens.index.build import BuildReport, build
from reslens.index.embedders import FakeEmbedder
from reslens.models import DRAFT, PRST
from reslens.views.cli import main

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def lib(real_build: tuple[Path, BuildReport]) -> rl.Library:
    return rl.open(real_build[0])


def test_documents_are_counted_by_kind(lib: rl.Library) -> None:
    cov = lib.coverage()
    # 759 statement files, 119 of them not well-formed (test_build_corpus)
    assert cov.documents[PRST]["en"][0] == 640
    assert cov.documents[PRST]["en"][1] > 7000
    drafts = cov.documents[DRAFT]
    assert {lang: n for lang, (n, _) in drafts.items()} == {
        "ar": 19, "de": 18, "en": 19, "es": 19, "fr": 19, "ru": 19, "zh": 19,
    }  # fmt: skip
    # resolutions are counted as before
    assert len(cov.by_source["akn"]) == 1538 and cov.highest == 2825
    assert "Presidential statements: en 640" in cov.summary()


def test_a_statement_paragraph_is_shown_by_its_symbol(lib: rl.Library) -> None:
    para = lib.paragraph("S/PRST/2015/25 para. 13")
    assert para.key == "S/PRST/2015/25:op13"
    assert para.text.startswith("The Security Council requests the Secretary-General to take")
    assert [v.lemma for v in para.verbs] == ["requests"]
    assert para.addressees == ("Secretary-General",)
    res = lib.resolution("S/PRST/2015/25")
    assert (res.date, res.meeting) == ("2015-12-16", "7585th meeting")
    assert res.agenda_item == "Maintenance of international peace and security"
    index = str(lib.index_dir)
    result = CliRunner().invoke(main, ["show", "S/PRST/2015/25 para. 13", "--index", index])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("S/PRST/2015/25, para. 13 — presidential statement of 2015")


def test_a_draft_is_found_by_document(lib: rl.Library) -> None:
    query = "prevention of an arms race in outer space"
    hits = lib.search(query, k=5, mode="lexical", document="draft")
    assert set(hits["document"]) == {DRAFT}
    # the two competing drafts on outer space of 2024
    assert set(hits["symbol"]) == {"S/2024/302", "S/2024/383"}
    assert "S/2024/302" not in set(lib.search(query, k=20, mode="lexical")["symbol"])
    german = lib.paragraph("S/2023/638:op1@de")  # filed with the symbol of S/2023/506
    assert german.text != lib.paragraph("S/2023/506:op1@de").text


def test_a_draft_is_aligned_with_the_resolution_adopted_after_it(lib: rl.Library) -> None:
    alignment = lib.align("S/2024/173", "S/RES/2728 (2024)", semantic=False)
    table = alignment.to_frame()
    assert set(table["a"].dropna()) <= {p.key for p in lib.resolution("S/2024/173").paragraphs}
    assert table["b"].notna().any() and table["a"].notna().any()


@pytest.fixture(scope="module")
def graph_lib(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> rl.Library:
    """The statements of 2015 and the resolutions of 2016, linked with the fake embedder."""
    root = tmp_path_factory.mktemp("statements")
    unxml = root / "corpus" / "unxml-scresolutions"
    for folder in ("PRST/2015", "Pre-2020/2016"):
        (unxml / folder).mkdir(parents=True)
        for path in (corpus_dir / "unxml-scresolutions" / folder).glob("*.xml"):
            (unxml / folder / path.name).symlink_to(path.resolve())
    (unxml / "data_extract").symlink_to((corpus_dir / "unxml-scresolutions/data_extract").resolve())
    build(root / "corpus", root / "index", embedder=FakeEmbedder())
    return rl.open(root / "index", embedder=FakeEmbedder())


def test_a_statement_is_a_first_appearance_in_a_resolution_lineage(graph_lib: rl.Library) -> None:
    from reslens.store import graph as g

    units = {u.id: u for u in g.all_units(graph_lib.store)}
    edges = [
        e
        for e in g.parent_edges(graph_lib.store, list(units))
        if units[e.child].key.split(":")[0].isdigit() and units[e.parent].key.startswith("S/PRST")
    ]
    assert len(edges) > 20  # resolution units whose parent is a statement's sentence
    child = units[edges[0].child].key
    lineage = graph_lib.lineage(child)
    assert lineage.first_appearance.startswith("S/PRST/2015/")
    result = CliRunner().invoke(main, ["lineage", child, "--index", str(graph_lib.index_dir)])
    assert result.exit_code == 0, result.output
    assert "first appearance: S/PRST/2015/" in result.output
