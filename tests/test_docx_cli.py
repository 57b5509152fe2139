"""The .docx outputs and input from the command line, on the mini corpus: `compare -o x.docx`,
`align -o x.docx`, `precedents DRAFT.docx -o report.docx --changes accept|reject`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("faiss")

import reslens as rl
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.views.cli import main
from tests.docxcheck import docx_comments, docx_paragraph_texts, docx_revisions
from tests.minicorpus import write_corpus
from tests.test_docx import dele, ins, make_docx, p


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("docx-cli")
    build(write_corpus(root / "corpus"), root / "index", workers=1, embedder=FakeEmbedder())
    return root / "index"


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_compare_writes_word_by_suffix(index: Path, tmp_path: Path) -> None:
    out = tmp_path / "Redline.DOCX"
    shown = run("compare", "2001:op1", "2002:op1", "--index", str(index), "-o", str(out),
                "--author", "Ana")  # fmt: skip
    assert f"wrote {out}" in shown and "requests → decides" in shown
    revisions = docx_revisions(out)
    assert {r[1] for r in revisions} == {"Ana"}
    assert ("deletion", "Requests") in [(k, t) for k, _, _, t in revisions]
    lib = rl.open(index)
    assert docx_paragraph_texts(out, "accept")[-1] == lib.paragraph("2002:op1").text
    assert docx_paragraph_texts(out, "reject")[-1] == lib.paragraph("2001:op1").text
    html = tmp_path / "r.html"
    run("compare", "2001:op1", "2002:op1", "--index", str(index), "-o", str(html), "-f", "html")
    assert html.read_text(encoding="utf-8").startswith('<div class="reslens-redline">')


def test_align_writes_word_or_html(index: Path, tmp_path: Path) -> None:
    out = tmp_path / "changes.docx"
    shown = run("align", "2001", "2002", "--lexical", "--index", str(index), "-o", str(out))
    assert f"wrote {out}" in shown
    alignment = rl.open(index).align(2001, 2002, semantic=False)
    assert len(docx_comments(out)) == len(alignment.rows)
    assert docx_paragraph_texts(out, "accept")[0] == "S/RES/2001 (2010) → S/RES/2002 (2011)"
    page = tmp_path / "changes.html"
    run("align", "2001", "2002", "--lexical", "--index", str(index), "-o", str(page))
    assert 'class="reslens-align"' in page.read_text(encoding="utf-8")


def test_precedents_of_a_word_draft_with_changes_accepted_or_rejected(
    index: Path, tmp_path: Path
) -> None:
    draft = make_docx(
        tmp_path / "draft.docx",
        [
            p("The Security Council,"),
            p("Recalling its resolution 1325 (2000),"),
            "<w:p><w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='3'/></w:numPr></w:pPr>"
            f"{ins('Requests the Secretary-General to report on trafficking in persons in armed conflict;')}"  # noqa: E501
            f"{dele('Decides to establish a working group on lunar mining;')}</w:p>",
        ],
    )
    report = tmp_path / "report.docx"
    index_args = ["--index", str(index), "--threshold", "0.6"]
    accepted = run("precedents", str(draft), *index_args, "-o", str(report))
    assert f"wrote {report}" in accepted
    assert "   1  precedent" in accepted and "2001:op1" in accepted
    rejected = run("precedents", str(draft), *index_args, "--changes", "reject")
    assert "   1  NO PRECEDENT" in rejected
    texts = docx_paragraph_texts(report, "accept")
    assert texts[0] == "Precedents of draft.docx"
    assert texts[2:] == [
        "Recalling its resolution 1325 (2000),",
        "1. Requests the Secretary-General to report on trafficking in persons in armed conflict;",
    ]
    comments = [text for _, text in docx_comments(report)]
    assert "S/RES/2001 (2010), para. 1 [2001:op1]" in comments[1]


def test_a_draft_that_is_no_docx_is_a_clean_error(index: Path, tmp_path: Path) -> None:
    bad = tmp_path / "draft.docx"
    bad.write_text("1. Decides X;", encoding="utf-8")
    result = CliRunner().invoke(main, ["precedents", str(bad), "--index", str(index)])
    assert result.exit_code == 1
    assert "not a Word .docx file" in result.output and "Traceback" not in result.output
