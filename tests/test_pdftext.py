"""Unit tests of the PDF-extracted text reader (tiny hand-written inputs, small vocabulary)."""

from __future__ import annotations

import pytest

from reslens.errors import SourceError
from reslens.language.vocab import Vocabulary
from reslens.models import OPERATIVE, PREAMBULAR
from reslens.sources.readers.pdftext import Repair, parse_points, read_pdf_text, repair_text

CORPUS_LIKE = [
    "Invites the Secretary-General to integrate the issue in post-conflict situations",
    "in order to prevent and counter trafficking, to prevent its incidence",
    "options for the people; for the mission; for all; or not; the geographical areas",
    "Security Council-mandated peacekeeping operations and Council-mandated missions",
    "the Inter-Agency Coordination Group; inter-agency work",
    "came into the room; went into the city; a round of talks; in the room; to the city",
    "reports handed in to the Committee",
    "Decides to remain actively seized of the matter.",
    "Recalling its resolutions, Welcoming the report, Noting with concern the situation,",
]
VOCAB = Vocabulary.from_texts(CORPUS_LIKE * 3)

PAGE = """S/RES/2331 (2016)
21. Invites the Secretary-General to integrate the issue in post -conflict situations
in order to preve nt its incidence , and options f or the people;
22. Requests Security Councilmandated operations and the Inter -Agency
Coordination Group to report on geographic al areas;
23.
8/8
Decides to remain actively seized of this matter.
16-22533
"""


def test_fragment_page_paragraphs_and_furniture() -> None:
    res = read_pdf_text(PAGE, vocabulary=VOCAB, source="page8.txt")
    assert res.symbol == "S/RES/2331 (2016)"
    assert res.source_format == "pdftext"
    assert res.source_path == "page8.txt"
    assert [p.key for p in res.paragraphs] == ["2331:op21", "2331:op22", "2331:op23"]
    assert all(p.kind == OPERATIVE and not p.verbs for p in res.paragraphs)
    assert res.paragraphs[2].text == "Decides to remain actively seized of this matter."
    joined = " ".join(p.text for p in res.paragraphs)
    assert "8/8" not in joined and "16-22533" not in joined and "S/RES" not in joined


def test_repairs_on_the_page() -> None:
    log: list[Repair] = []
    res = read_pdf_text(PAGE, vocabulary=VOCAB, repairs=log)
    assert res.paragraphs[0].text == (
        "Invites the Secretary-General to integrate the issue in post-conflict situations in "
        "order to prevent its incidence, and options for the people;"
    )
    assert res.paragraphs[1].text == (
        "Requests Security Council-mandated operations and the Inter-Agency Coordination Group "
        "to report on geographical areas;"
    )
    assert sorted((r.kind, r.before, r.after) for r in log) == [
        ("glued-hyphen", "Councilmandated", "Council-mandated"),
        ("spaced-hyphen", "Inter -Agency", "Inter-Agency"),
        ("spaced-hyphen", "post -conflict", "post-conflict"),
        ("split-word", "f or", "for"),
        ("split-word", "geographic al", "geographical"),
        ("split-word", "preve nt", "prevent"),
    ]


def test_real_word_pairs_are_not_merged() -> None:
    text, log = repair_text("they came in to the room for a round of talks", VOCAB)
    assert text == "they came in to the room for a round of talks"
    assert log == []


def test_caller_number_and_missing_header() -> None:
    text = "1. Decides to remain actively seized of the matter."
    res = read_pdf_text(text, vocabulary=VOCAB)
    assert (res.number, res.year) == (0, 0)
    assert res.paragraphs[0].key == "0:op1"
    res = read_pdf_text(text, vocabulary=VOCAB, number=2331, year=2016)
    assert res.symbol == "S/RES/2331 (2016)"
    assert res.paragraphs[0].key == "2331:op1"


def test_whole_document_with_preamble_points_and_adoption() -> None:
    text = """Resolution 2331 (2016)
Adopted by the Security Council at its 7847th meeting, on 20 December 2016
The Security Council,
Recalling its resolutions,
Noting with concern the
situation,
1. Requests the Secretary-General to report on:
(a) the geographic al areas;
(b) the mission, including:
(i) the people;
(ii) the city;
2. Decides to remain actively seized of the matter.
"""
    res = read_pdf_text(text, vocabulary=VOCAB)
    assert res.symbol == "S/RES/2331 (2016)"
    assert res.date == "2016-12-20"
    assert res.meeting == "7847th meeting"
    assert [(p.kind, p.number) for p in res.paragraphs] == [
        (PREAMBULAR, "1"),
        (PREAMBULAR, "2"),
        (OPERATIVE, "1"),
        (OPERATIVE, "2"),
    ]
    assert res.paragraphs[1].text == "Noting with concern the situation,"
    op1 = res.paragraphs[2]
    assert op1.intro == "Requests the Secretary-General to report on:"
    assert [p.label for p in op1.points] == ["(a)", "(b)"]
    assert op1.points[0].text == "the geographical areas;"
    assert [c.label for c in op1.points[1].children] == ["(i)", "(ii)"]


def test_leading_tail_of_an_earlier_page_is_dropped() -> None:
    text = "of the previous paragraph;\n5. Decides to remain actively seized of the matter."
    res = read_pdf_text(text, vocabulary=VOCAB, number=1, year=2000)
    assert [p.key for p in res.paragraphs] == ["1:op5"]


def test_no_paragraph_raises() -> None:
    with pytest.raises(SourceError, match=r"empty\.txt"):
        read_pdf_text("S/RES/1 (2000)\n1/1\n", vocabulary=VOCAB, source="empty.txt")


def test_parse_points_letter_i_after_h_is_a_letter() -> None:
    labels = ["(g) x", "(h) y", "(i) z", "(j) w"]
    intro, points = parse_points(["Intro:", *labels])
    assert intro == "Intro:"
    assert [p.label for p in points] == ["(g)", "(h)", "(i)", "(j)"]
    assert all(not p.children for p in points)
