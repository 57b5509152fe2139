"""Issue 11, item 6: every reader is linear in its input, and bounded per file.

Hostile inputs are made here: an AKN paragraph with thousands of italic spans, a PDF-text
paragraph of thousands of lines, a word of thousands of letters. No test asserts a time: each
parses ``n`` and ``4 n`` items, checks the result, and counts the work the formerly quadratic
step does (characters passed to ``clean``, characters scanned for a line-end hyphen, vocabulary
look-ups), which must grow like the input. The per-file bounds of
:mod:`reslens.sources.limits` make a stall impossible: a file over a bound is refused (a
``SourceError`` naming it) before the work it would cause.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reslens.errors import SourceError
from reslens.language.vocab import Vocabulary
from reslens.sources import limits
from reslens.sources.readers import pdftext
from reslens.sources.readers.akn import read_akn
from reslens.sources.readers.crunsc import read_crunsc
from reslens.sources.readers.pdftext import read_pdf_text
from tests.minicorpus import akn

N = 2_000


class Meter:
    """Counts calls and characters passed to wrapped functions."""

    def __init__(self) -> None:
        self.calls = 0
        self.chars = 0

    def wrap(self, func: Callable[..., Any]) -> Callable[..., Any]:
        def counted(text: str, *args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            self.chars += len(text)
            return func(text, *args, **kwargs)

        return counted


@pytest.fixture()
def clean_meter(monkeypatch: pytest.MonkeyPatch) -> Iterator[Meter]:
    """Counts what every reader module passes to ``reslens.text.clean``."""
    meter = Meter()
    for name, module in list(sys.modules.items()):
        if name.startswith("reslens.sources.readers.") and hasattr(module, "clean"):
            monkeypatch.setattr(module, "clean", meter.wrap(module.clean))
    yield meter


def italic_resolution(path: Path, spans: int) -> Path:
    """One operative paragraph with ``spans`` italic verbs."""
    body = " ".join(f'<span class="italic">Decides</span> on item {i};' for i in range(spans))
    path.write_text(akn(3001, 2020, "2020-01-01", [body], ["Recalling x,"]), encoding="utf-8")
    return path


def test_akn_italic_spans_are_read_in_linear_work(tmp_path: Path, clean_meter: Meter) -> None:
    work = []
    for spans in (N, 4 * N):
        clean_meter.chars = 0
        res = read_akn(italic_resolution(tmp_path / f"r{spans}.xml", spans))
        verbs = res.operative()[0].verbs
        assert len(verbs) == spans and {v.text for v in verbs} == {"Decides"}
        text = res.operative()[0].text
        assert all(text[v.position : v.position + 7] == "Decides" for v in verbs)
        assert text.endswith(f"Decides on item {spans - 1};")
        work.append(clean_meter.chars)
    # four times the spans, about four times the text cleaned (it was sixteen: quadratic)
    assert work[1] <= 5 * work[0]


def test_akn_many_folded_points_and_continuations(tmp_path: Path) -> None:
    """Sub-points given as paragraphs and un-numbered continuations: linear structures."""
    for count in (N, 4 * N):
        points = "".join(
            f"<paragraph><num>({'i' if k % 2 else 'a'})</num>"
            f"<content><p>point {k};</p></content></paragraph>"
            f"<paragraph><content><p>and continued {k};</p></content></paragraph>"
            for k in range(count)
        )
        xml = akn(3002, 2020, "2020-01-01", ["Decides:"], ["Recalling x,"])
        xml = xml.replace("</mainBody>", points + "</mainBody>")
        path = tmp_path / f"p{count}.xml"
        path.write_text(xml, encoding="utf-8")
        para = read_akn(path).operative()[0]
        assert para.text.endswith(f"point {count - 1}; and continued {count - 1};")
        assert len(para.text.split(";")) == 2 * count + 1


def test_akn_file_over_the_element_bound_is_refused(tmp_path: Path) -> None:
    empty = "<span/>" * limits.MAX_XML_ELEMENTS  # well under the size bound
    path = tmp_path / "huge.xml"
    path.write_text(akn(3001, 2020, "2020-01-01", [empty], []), encoding="utf-8")
    with pytest.raises(SourceError, match=r"huge\.xml: more than 200,000 XML elements"):
        read_akn(path)


@pytest.mark.parametrize("reader", ["akn", "crunsc"])
def test_file_over_the_size_bound_is_refused_unread(tmp_path: Path, reader: str) -> None:
    path = tmp_path / "S_RES_0001_1946_EN_GOLD.txt"
    with path.open("wb") as handle:  # sparse: nothing is written, nothing is read
        handle.truncate(limits.MAX_FILE_BYTES + 1)
    read = read_akn if reader == "akn" else read_crunsc
    with pytest.raises(SourceError, match=r"EN_GOLD\.txt: 8,388,609 bytes, over the limit"):
        read(path)


VOCAB = Vocabulary.from_texts(["the Council decides to consider the matter further"] * 3)


def long_paragraph(lines: int) -> str:
    """One operative paragraph of ``lines`` lines, every seventh ending in a broken word."""
    body = [
        f"the matter number {i} is to be consid-" if i % 7 == 0 else f"ered further, item {i}"
        for i in range(lines)
    ]
    return "\n".join(["S/RES/3001 (2020)", "The Security Council,", "1. Decides that", *body])


class CountingPattern:
    """A compiled pattern that counts the characters it is asked to search."""

    def __init__(self, pattern: Any, meter: Meter) -> None:
        self.pattern = pattern
        self.meter = meter

    def search(self, text: str, *args: Any) -> Any:
        self.meter.calls += 1
        self.meter.chars += len(text)
        return self.pattern.search(text, *args)


def test_pdf_text_paragraph_of_thousands_of_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    meter = Meter()
    monkeypatch.setattr(pdftext, "_LINE_HYPHEN", CountingPattern(pdftext._LINE_HYPHEN, meter))
    work = []
    for lines in (1_000, 4_000):  # the stalled paragraph had 4,000 lines
        meter.chars = 0
        res = read_pdf_text(long_paragraph(lines), vocabulary=VOCAB)
        (para,) = res.paragraphs
        assert para.text.startswith("Decides that the matter number 0 is to be considered further")
        assert para.text.count("considered further") == len(range(0, lines, 7))
        assert "consid-" not in para.text and "\n" not in para.text
        work.append(meter.chars)
    # each line looks at the end of the text, not at all the text so far
    assert work[1] <= 5 * work[0]


def test_a_word_of_thousands_of_letters_is_not_split_at_every_letter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    meter = Meter()
    monkeypatch.setattr(Vocabulary, "count", meter.wrap(Vocabulary.count))
    word = "x" * 20_000
    res = read_pdf_text(f"S/RES/3001 (2020)\n1. Decides {word} now.", vocabulary=VOCAB)
    assert res.paragraphs[0].text == f"Decides {word} now."
    assert meter.calls < 100  # one look-up per candidate split would be 20,000


def test_pdf_text_over_the_bounds_is_refused() -> None:
    with pytest.raises(SourceError, match=r"big\.txt: more than 4,000,000 characters"):
        read_pdf_text("x" * (limits.MAX_TEXT_CHARS + 1), vocabulary=VOCAB, source="big.txt")
    with pytest.raises(SourceError, match=r"tall\.txt: more than 200,000 lines"):
        read_pdf_text("\n" * (limits.MAX_TEXT_LINES + 1), vocabulary=VOCAB, source="tall.txt")


def test_crunsc_long_lines_and_many_page_breaks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long line is not tried as a header (the header pattern backtracks on it: quadratic);
    continuation blocks after a page break are appended, not copied."""
    from reslens.sources.readers import crunsc

    meter = Meter()
    for name in ("_HEADER_NEW", "_HEADER_OLD"):
        pattern = getattr(crunsc, name)
        monkeypatch.setattr(crunsc, name, CountingMatch(pattern, meter))
    blocks = 4_000
    text = "\n\n".join(
        [
            "Resolution 7 (1946) of x" + " " * 20_000 + "y",
            "Resolution 7 (1946)",
            "of 26 June 1946",
            "The Security Council,",
            "1. Requests the Secretary-General",
            *[f"to consider item {i}" for i in range(blocks)],
            "Adopted unanimously at the 49th meeting.",
        ]
    )
    path = tmp_path / "S_RES_0007_1946_EN_GOLD.txt"
    path.write_text(text, encoding="utf-8")
    res = read_crunsc(path, vocabulary=VOCAB)
    (para,) = res.operative()
    assert para.text.endswith(f"to consider item {blocks - 1}")
    assert res.date == "1946-06-26"
    assert meter.chars < 1_000  # the header lines only, never the 20,000-character line


class CountingMatch(CountingPattern):
    def match(self, text: str, *args: Any) -> Any:
        self.meter.calls += 1
        self.meter.chars += len(text)
        return self.pattern.match(text, *args)
