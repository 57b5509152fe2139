"""Unit tests of the CR-UNSC reader on small hand-written yearbook texts (tests/fixtures/text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reslens.errors import SourceError
from reslens.language.vocab import Vocabulary
from reslens.models import OPERATIVE, PREAMBULAR
from reslens.sources.readers.crunsc import crunsc_vocabulary, read_crunsc
from reslens.sources.readers.pdftext import Repair

TEXT = Path(__file__).parent / "fixtures" / "text"

VOCAB = Vocabulary.from_texts(
    [
        "the paragraph principles of the Secretary-General and co-operation",
        "co-operation and cooperation; the paragraph",
    ]
)


def test_new_header_date_meeting_and_structure() -> None:
    res = read_crunsc(TEXT / "S_RES_0242_1967_EN_GOLD.txt", vocabulary=VOCAB)
    assert (res.number, res.year, res.date) == (242, 1967, "1967-11-22")
    assert res.meeting == "1382nd meeting"
    assert res.vote_counts is None  # "unanimously": counts not printed
    assert res.source_format == "crunsc"
    assert [p.key for p in res.paragraphs] == ["242:pp1", "242:pp2", "242:op1", "242:op2"]
    assert [p.kind for p in res.paragraphs] == [PREAMBULAR, PREAMBULAR, OPERATIVE, OPERATIVE]
    assert all(not p.verbs for p in res.paragraphs)


def test_footnote_marker_and_trailing_footnotes_removed() -> None:
    res = read_crunsc(TEXT / "S_RES_0242_1967_EN_GOLD.txt", vocabulary=VOCAB)
    assert (
        res.paragraphs[1].text == "Emphasizing the need for a just and lasting peace in the area,"
    )
    assert "Official Records" not in " ".join(p.text for p in res.paragraphs)


def test_hyphenation_joined_or_kept_by_vocabulary() -> None:
    log: list[Repair] = []
    res = read_crunsc(TEXT / "S_RES_0242_1967_EN_GOLD.txt", vocabulary=VOCAB, repairs=log)
    op1, op2 = res.operative()
    assert "following paragraph principles:" in op1.text
    assert op2.text.startswith("Requests the Secretary-General to report")
    assert {(r.before, r.after) for r in log} == {
        ("para-|graph", "paragraph"),
        ("Secretary-|General", "Secretary-General"),
    }


def test_points_french_spacing_and_ocr_roman() -> None:
    res = read_crunsc(TEXT / "S_RES_0242_1967_EN_GOLD.txt", vocabulary=VOCAB)
    op1 = res.operative()[0]
    assert [p.label for p in op1.points] == ["(i)", "(ii)"]
    assert (
        op1.points[0].text == "Withdrawal of armed forces from territories of the recent conflict;"
    )
    assert op1.intro.endswith("the following paragraph principles:")
    assert "(i) Withdrawal" in op1.text


def test_old_header_draft_symbol_votes() -> None:
    res = read_crunsc(TEXT / "S_RES_0032_1947_EN_GOLD.txt", vocabulary=VOCAB)
    assert (res.number, res.year, res.date) == (32, 1947, "1947-08-26")
    assert res.draft_symbol == "S/525, III"
    assert res.meeting == "195th meeting"
    assert res.vote_counts == (10, 0, 1)
    pp1 = res.preambular()[0]
    assert "territory of the parties and that" in pp1.text  # footnote "1" removed
    assert res.operative()[0].text.endswith("settlement of their dispute;")
    assert "RUNNING TITLE" not in " ".join(p.text for p in res.paragraphs)


def test_unnumbered_decision_is_operative_one() -> None:
    res = read_crunsc(TEXT / "S_RES_0500_1982_EN_GOLD.txt", vocabulary=VOCAB)
    assert [p.key for p in res.paragraphs] == ["500:pp1", "500:pp2", "500:op1"]
    assert res.operative()[0].text.startswith("Decides to call an emergency special session")
    assert res.vote_counts == (13, 0, 2)


def test_sections_restarting_numbers_get_distinct_keys() -> None:
    res = read_crunsc(TEXT / "S_RES_0161_1961_EN_GOLD.txt", vocabulary=VOCAB)
    keys = [p.key for p in res.paragraphs]
    assert keys == [
        "161:pp1",
        "161:op1",
        "161:op2",
        "161:pp2",
        "161:opB1",
        "161:opB2",
    ]
    assert [p.section for p in res.paragraphs] == ["A", "A", "A", "B", "B", "B"]
    assert res.paragraphs[4].number == "1"
    # "co-operation" is known in that spelling: the line-end hyphen is kept.
    assert res.paragraphs[-1].text.endswith("their full co-operation and assistance.")


def test_modern_header_slash_footnotes_and_page_break() -> None:
    res = read_crunsc(TEXT / "S_RES_0780_1992_EN_GOLD.txt", vocabulary=VOCAB)
    assert res.date == "1992-10-06"
    assert res.meeting == "3119th meeting"
    assert res.preambular()[0].text == (
        "Recalling the Geneva Conventions of 12 August 1949, and that persons who commit grave "
        "breaches of the Conventions are individually responsible in respect of such breaches,"
    )
    assert [p.key for p in res.operative()] == ["780:op1", "780:op2"]


def test_default_vocabulary_is_learnt_from_the_directory() -> None:
    vocab = crunsc_vocabulary(TEXT.resolve())
    assert vocab.count("paragraph") >= 1
    res = read_crunsc(TEXT / "S_RES_0242_1967_EN_GOLD.txt")
    assert "following paragraph principles" in res.operative()[0].text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("S_RES_0007_1946_EN_GOLD.txt", "no paragraph"),
        ("S_RES_0009_1946_EN_GOLD.txt", "cannot read"),
        ("S_RES_0010_1946_EN_GOLD.txt", "resolution 8, not 10"),
        ("S_RES_0404_1977_EN_GOLD.txt", "cannot read"),
    ],
)
def test_bad_files_raise_source_error_naming_the_file(name: str, message: str) -> None:
    with pytest.raises(SourceError, match=message) as info:
        read_crunsc(TEXT / name, vocabulary=VOCAB)
    assert name in str(info.value)
