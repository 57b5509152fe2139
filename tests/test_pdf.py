"""Unit tests of the PDF file reader: PDFs are made on the fly with fpdf2."""

from __future__ import annotations

from pathlib import Path

import pytest

from reslens.errors import SourceError
from reslens.language.vocab import Vocabulary
from reslens.sources.readers.pdf import extract_pdf_text, read_pdf

fpdf = pytest.importorskip("fpdf")

VOCAB = Vocabulary.from_texts(
    [
        "the Secretary-General on the implementation of this paragraph in post-conflict areas",
        "to prevent conflict; Decides to remain actively seized of the matter.",
    ]
    * 3
)

LINES = [
    "1. Requests the Secretary-General to report on the imple-",
    "mentation of this para-",
    "graph in post-",
    "conflict areas;",
    "2. Decides to remain actively seized of the matter.",
]


def make_pdf(path: Path, lines: list[str], header: str | None = "S/RES/2331 (2016)") -> Path:
    pdf = fpdf.FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in ([header] if header else []) + lines + ["1/1"]:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_pdf_text_comes_back_repaired(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "res.pdf", LINES)
    assert "imple-" in extract_pdf_text(path)
    res = read_pdf(path, vocabulary=VOCAB)
    assert res.symbol == "S/RES/2331 (2016)"
    assert res.source_format == "pdf"
    assert res.source_path == str(path)
    assert [p.key for p in res.paragraphs] == ["2331:op1", "2331:op2"]
    assert res.paragraphs[0].text == (
        "Requests the Secretary-General to report on the implementation of this paragraph in "
        "post-conflict areas;"
    )
    assert res.paragraphs[1].text == "Decides to remain actively seized of the matter."


def test_number_passed_when_no_header(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "res.pdf", LINES, header=None)
    res = read_pdf(path, vocabulary=VOCAB, number=7, year=2001)
    assert res.paragraphs[0].key == "7:op1"


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(SourceError, match=r"fake\.pdf: not a PDF"):
        extract_pdf_text(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"nowhere\.pdf"):
        read_pdf(tmp_path / "nowhere.pdf", vocabulary=VOCAB)


def test_empty_pdf(tmp_path: Path) -> None:
    pdf = fpdf.FPDF()
    pdf.add_page()
    path = tmp_path / "blank.pdf"
    pdf.output(str(path))
    with pytest.raises(SourceError, match=r"blank\.pdf: the PDF has no extractable text"):
        read_pdf(path, vocabulary=VOCAB)


def test_truncated_pdf(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "good.pdf", LINES)
    path = tmp_path / "cut.pdf"
    path.write_bytes(good.read_bytes()[:200])
    with pytest.raises(SourceError, match=r"cut\.pdf"):
        read_pdf(path, vocabulary=VOCAB)


def test_encrypted_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    good = make_pdf(tmp_path / "good.pdf", LINES)
    writer = PdfWriter()
    for page in PdfReader(str(good)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(SourceError, match=r"locked\.pdf: the PDF is encrypted"):
        read_pdf(path, vocabulary=VOCAB)


def test_compressed_stream_bomb_is_a_source_error(tmp_path: Path) -> None:
    from tests.faults.hostile import bomb_pdf

    path = bomb_pdf(tmp_path / "bomb.pdf")
    with pytest.raises(SourceError, match=r"bomb\.pdf: cannot read PDF: LimitReachedError"):
        read_pdf(path, vocabulary=VOCAB)


def test_any_error_of_the_pdf_library_is_a_source_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_pdf(tmp_path / "res.pdf", LINES)

    def explode(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("pypdf.PdfReader", explode)
    with pytest.raises(SourceError, match=r"res\.pdf: cannot read PDF: RecursionError"):
        read_pdf(path, vocabulary=VOCAB)


def test_pdf_over_the_bounds_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reslens.sources.readers.pdf as pdf_reader

    path = make_pdf(tmp_path / "res.pdf", LINES)
    monkeypatch.setattr(pdf_reader, "MAX_PDF_PAGES", 0)
    with pytest.raises(SourceError, match=r"res\.pdf: more than 0 pages"):
        read_pdf(path, vocabulary=VOCAB)
    monkeypatch.undo()
    monkeypatch.setattr(pdf_reader, "MAX_TEXT_CHARS", 10)
    with pytest.raises(SourceError, match=r"res\.pdf: more than 10 characters of text"):
        read_pdf(path, vocabulary=VOCAB)
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:
        handle.truncate(pdf_reader.MAX_PDF_BYTES + 1)
    with pytest.raises(SourceError, match=r"big\.pdf: 67,108,865 bytes, over the limit"):
        read_pdf(big, vocabulary=VOCAB)
