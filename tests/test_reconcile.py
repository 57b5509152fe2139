"""Metadata checked against the document (issue 13): a UN record, or a file's printed symbol,
that contradicts its document is reported and never trusted; every resolution gets a link."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import reslens as rl
from reslens.index.build import build
from reslens.models import Resolution
from reslens.sources.readers.metadata import AknMeta
from reslens.sources.readers.reconcile import check_votes, council_size, reconcile, with_link
from reslens.views.cli import main
from tests.minicorpus import CRUNSC_7, akn, write_corpus

OPS = ['<span class="italic">Decides</span> to remain seized of the matter.']


def _res(**kw: object) -> Resolution:
    fields: dict[str, object] = {"number": 2729, "year": 2024, "date": "2024-04-29"}
    fields.update(kw)
    return Resolution(**fields)  # type: ignore[arg-type]


def _doc(**kw: object) -> AknMeta:
    fields: dict[str, object] = {
        "number": 2729,
        "year": 2024,
        "language": "en",
        "date": "2024-04-29",
        "printed_symbol": "S/RES/2729 (2024)",
        "cover_title": "Resolution 2729 (2024)",
        "adopted": "2024-04-29",
        "issued": "2024-04-29",
    }
    fields.update(kw)
    return AknMeta(**fields)  # type: ignore[arg-type]


def _record(**kw: str) -> dict[str, object]:
    record: dict[str, object] = {
        "symbol": "S/RES/2729 (2024)",
        "adoption_date": "29 April 2024",
        "adoption_meeting": "9620th meeting",
        "resolution_title": "Security Council resolution 2729 (2024) [on UNMISS]",
        "agenda_item_name": "Reports of the Secretary-General on the Sudan and South Sudan",
    }
    record.update(kw)
    return record


def test_a_record_that_agrees_fills_and_reports_nothing() -> None:
    res, found = reconcile(_res(meeting="9620th meeting"), _doc(), _record())
    assert found == []
    assert res.title == "Security Council resolution 2729 (2024) [on UNMISS]"
    assert res.agenda_item and res.date == "2024-04-29"


@pytest.mark.parametrize(
    "title",
    [
        "Security Council resolution 2677 (2023) [on UNMISS]",  # another resolution
        "Security Council resolution 272 (2024) [on UNMISS]",  # a digit lost
        "Security Council resolution 2729 (2002) [on UNMISS]",  # another year
        "Security Council resolution 2633 [on UNMISS]",  # another number, no year
    ],
)
def test_a_title_naming_another_resolution_is_corrected_and_reported(title: str) -> None:
    res, found = reconcile(_res(), _doc(), _record(resolution_title=title))
    assert res.title == "Security Council resolution 2729 (2024) [on UNMISS]"
    [d] = found
    assert (d.field, d.claimed, d.kept) == ("title", title, res.title)
    message = d.message(res.symbol, res.language)
    assert message.startswith("title: S/RES/2729 (2024) [en]: the data_extract record says")
    assert title in message and res.title in message


def test_the_documents_date_and_meeting_are_kept_and_the_record_reported() -> None:
    record = _record(adoption_date="29 June 2016", adoption_meeting="9044th meeting")
    res, found = reconcile(_res(meeting="9620th meeting"), _doc(), record)
    assert (res.date, res.meeting) == ("2024-04-29", "9620th meeting")
    assert [(d.field, d.claimed, d.kept) for d in found] == [
        ("date", "2016-06-29", "2024-04-29"),
        ("meeting", "9044th meeting", "9620th meeting"),
    ]


def test_a_document_that_contradicts_itself_keeps_its_date_of_issue_the_record_confirms() -> None:
    # adopted "on 27 October 2021", issued 27 October 2022: the record says 2022
    doc = _doc(date="2021-10-27", adopted="2021-10-27", issued="2022-10-27")
    record = _record(adoption_date="27 October 2022")
    res, found = reconcile(_res(date="2021-10-27"), doc, record)
    assert res.date == "2022-10-27"
    [d] = found
    assert d.field == "date" and "adopted 2021-10-27, issued 2022-10-27" in d.document


def test_a_record_adoption_date_replaces_a_date_of_issue_silently() -> None:
    doc = _doc(date="2024-04-28", adopted=None, issued="2024-04-28")
    res, found = reconcile(_res(date="2024-04-28"), doc, _record())
    assert res.date == "2024-04-29" and found == []


def test_a_stale_printed_symbol_and_a_record_of_another_year_are_reported() -> None:
    doc = _doc(printed_symbol="S/RES/2728 (2024)")
    res, found = reconcile(_res(), doc, _record(symbol="S/RES/2729 (2023)"))
    assert res.symbol == "S/RES/2729 (2024)"
    assert [(d.field, d.source, d.claimed) for d in found] == [
        ("symbol", "the file's docNumber", "S/RES/2728 (2024)"),
        ("symbol", "the data_extract record", "S/RES/2729 (2023)"),
    ]


def test_without_any_title_the_documents_own_heading_is_the_title() -> None:
    res, _ = reconcile(_res(), _doc(), _record(resolution_title=""))
    assert res.title == "Resolution 2729 (2024)"
    res, _ = reconcile(_res(), _doc(cover_title=None), None)
    assert res.title is None  # never invented
    res, _ = reconcile(_res(), _doc(cover_title="Resolution 2728 (2024)"), None)
    assert res.title is None  # a heading that names another resolution is not taken


def test_every_resolution_gets_a_link() -> None:
    record = "https://digitallibrary.un.org/record/853237"
    assert with_link(_res(), {2729: record}).url == record
    assert with_link(_res(), {}).url == "https://undocs.org/S/RES/2729(2024)"
    assert with_link(_res(url="https://example.org/x"), {}).url == "https://example.org/x"


# -- votes -----------------------------------------------------------------------------------


def test_counts_that_contradict_the_listed_names_give_way_to_them() -> None:
    # S/RES/1559 (2004): 9 named in favour, 6 abstaining, under counts of 15-0-0
    res = Resolution(
        1559,
        2004,
        vote_counts=(15, 0, 0),
        votes_for=tuple("ABCDEFGHI"),
        votes_abstaining=tuple("JKLMNO"),
    )
    fixed, found = check_votes(res)
    assert fixed.vote_counts == (9, 0, 6)
    assert found[0].document == "9-0-6 by the members it names"
    assert [(d.field, d.claimed, d.kept) for d in found] == [("vote", "15-0-0", "9-0-6")]


def test_a_name_cut_in_two_is_joined_and_the_counts_kept() -> None:
    names = ("CHINA", "CÔTE.", "D'IVOIRE", "FRANCE")
    fixed, found = check_votes(Resolution(2403, 2018, vote_counts=(3, 0, 0), votes_for=names))
    assert fixed.votes_for == ("CHINA", "CÔTE D'IVOIRE", "FRANCE")
    assert fixed.vote_counts == (3, 0, 0) and found == []


def test_impossible_counts_give_way_to_names_that_can_be_true() -> None:
    # S/RES/2521 (2020): counts 15-0-3, twelve named in favour and three abstaining
    names = tuple(f"S{i}" for i in range(15))
    res = Resolution(
        2521, 2020, vote_counts=(15, 0, 3), votes_for=names[:12], votes_abstaining=names[12:]
    )
    assert check_votes(res)[0].vote_counts == (12, 0, 3)


def test_a_member_in_favour_and_abstaining_abstained() -> None:
    # the German S/RES/2780 (2025): every member in favour, China and Russia abstaining, 15-0-0
    members = tuple("ABCDEFGHIJKLMNO")
    res = Resolution(
        2780, 2025, vote_counts=(15, 0, 0), votes_for=members, votes_abstaining=("B", "C")
    )
    fixed, found = check_votes(res)
    assert fixed.vote_counts == (13, 0, 2) and fixed.votes_for == tuple("ADEFGHIJKLMNO")
    # the draft S/2023/638: the same listing under counts that were right: nothing to report
    res = Resolution(
        2023,
        2023,
        vote_counts=(13, 1, 1),
        votes_for=members[:14],
        votes_against=("O",),
        votes_abstaining=("B",),
    )
    fixed, found = check_votes(res)
    assert fixed.vote_counts == (13, 1, 1) and found == []


@pytest.mark.parametrize(
    ("for_", "against", "abstaining"),
    [
        (tuple("ABCDEFGHIJKLMNO"), ("B",), ("B",)),  # a member against and abstaining
        (tuple("ABCDEFGHIJKLMNOP"), (), ()),  # more names than members
        (tuple("ABCDEFGHIJ"), (), ()),  # names that cannot be the whole vote
    ],
)
def test_names_that_cannot_be_the_vote_leave_it_unknown(
    for_: tuple[str, ...], against: tuple[str, ...], abstaining: tuple[str, ...]
) -> None:
    res = Resolution(
        2780,
        2025,
        vote_counts=(15, 0, 0),
        votes_for=for_,
        votes_against=against,
        votes_abstaining=abstaining,
    )
    fixed, found = check_votes(res)
    assert fixed.vote_counts is None and found[0].kept == "unknown"


def test_names_of_one_group_only_that_agree_change_nothing() -> None:
    res = Resolution(2780, 2025, vote_counts=(13, 0, 2), votes_abstaining=("CHINA", "RUSSIA"))
    assert check_votes(res) == (res, [])


@pytest.mark.parametrize(
    ("year", "counts", "kept"),
    [
        (1981, (73, 0, 2), None),  # a misread "13 votes": more votes than members
        (1960, (12, 0, 0), None),  # eleven members before 1966
        (1960, (9, 0, 2), (9, 0, 2)),
        (2016, (15, 0, 0), (15, 0, 0)),
    ],
)
def test_a_vote_no_council_could_cast_is_left_unknown(
    year: int, counts: tuple[int, int, int], kept: tuple[int, int, int] | None
) -> None:
    fixed, found = check_votes(Resolution(498, year, vote_counts=counts))
    assert fixed.vote_counts == kept
    assert bool(found) == (kept is None)
    if found:
        assert (
            found[0].kept == "unknown"
            and found[0].document == f"a Council of {council_size(year)} members"
        )


# -- the build -------------------------------------------------------------------------------


def _cover(xml: str, number: int, year: int, printed: int, issued: str) -> str:
    """Give an AKN text of the mini corpus a cover title, a date of issue and, with ``printed``
    another number, a stale printed symbol (like the German translations made from a copy)."""
    xml = xml.replace(
        f"S/RES/{number} ({year})</docNumber>", f"S/RES/{printed} ({year})</docNumber>"
    )
    return xml.replace(
        "</docNumber></p>",
        "</docNumber></p>\n"
        f'      <p><docDate date="{issued}" refersTo="#dateOfIssuance">{issued}</docDate></p>\n'
        f'      <p><docTitle refersTo="#resolutionNumber">Resolution {number} ({year})'
        "</docTitle></p>",
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = write_corpus(tmp_path / "corpus")
    folder = root / "unxml-scresolutions" / "Pre-2020" / "2011"
    for path in root.glob("unxml-scresolutions/Pre-2020/*/S_RES_2001_*.xml"):  # a marked meeting
        xml = path.read_text(encoding="utf-8")
        marked = 'at its <inline name="adoptionMeeting">1st meeting</inline>'
        path.write_text(xml.replace("at its 1st meeting", marked), encoding="utf-8")
    # S/RES/2006: its file still prints the symbol of 2002, its cover title and name say 2006
    res_2006 = akn(2006, 2011, "2011-03-01", OPS, [])
    (folder / "S_RES_2006_1100006E.xml").write_text(
        _cover(res_2006, 2006, 2011, printed=2002, issued="2011-03-01"), encoding="utf-8"
    )
    records = [
        {  # the record contradicts its document: another resolution's title, date and meeting
            "symbol": "S/RES/2001 (2010)",
            "resolution_title": "Security Council resolution 2677 (2023) [on trafficking]",
            "adoption_date": "4 June 2010",
            "adoption_meeting": "2nd meeting",
            "agenda_item_name": "Trafficking",
        },
        {
            "symbol": "S/RES/2002 (2011)",
            "resolution_title": "Security Council resolution 2002 (2011) [on trafficking]",
            "adoption_date": "20 January 2011",
            "adoption_meeting": "1st meeting",
        },
        {"symbol": "S/RES/2006 (2011)", "adoption_date": "1 March 2011"},
    ]
    # a 1946 text whose vote no Council of eleven could cast (a misread "13" in the source)
    misread = CRUNSC_7.replace("7 (1946)", "8 (1946)").replace(
        "Adopted unanimously at the\n49th meeting.",
        "Adopted at the 50th meeting by\n73 votes to none, with 2 abstentions.",
    )
    gold = root / "cr-unsc-gold" / "data" / "res_en_gold"
    (gold / "S_RES_0008_1946_EN_GOLD.txt").write_text(misread, encoding="utf-8")
    extract = root / "unxml-scresolutions" / "data_extract"
    extract.mkdir()
    (extract / "2010.json").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8"
    )
    return root


def test_the_build_keeps_the_document_and_reports_the_record(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    report = build(corpus, index, workers=1, vectors=False)
    lib = rl.open(index)
    res = lib.resolution(2001)
    assert (res.date, res.meeting) == ("2010-05-04", "1st meeting")  # the document's
    assert res.title == "Security Council resolution 2001 (2010) [on trafficking]"
    assert res.agenda_item == "Trafficking"  # what only the record holds is still joined
    assert res.url == "https://undocs.org/S/RES/2001(2010)"
    assert lib.resolution(7).url == "https://undocs.org/S/RES/7(1946)"
    assert lib.resolution(8).vote_counts is None  # reported below, never stated
    # the stale printed symbol: read as 2006, reported, and no conflict with 2002
    assert lib.resolution(2006).title == "Resolution 2006 (2011)"
    assert len(lib.resolution(2002).paragraphs) == 3
    metadata = sorted(
        (Path(path).name, message.split(":", 1)[0])
        for path, kind, message in report.problems
        if kind == "metadata"
    )
    assert metadata == [
        ("S_RES_0008_1946_EN_GOLD.txt", "vote"),
        ("S_RES_2001_1000001E.xml", "date"),
        ("S_RES_2001_1000001E.xml", "date"),  # the copy filed under 2011 says the same
        ("S_RES_2001_1000001E.xml", "meeting"),
        ("S_RES_2001_1000001E.xml", "meeting"),
        ("S_RES_2001_1000001E.xml", "title"),
        ("S_RES_2001_1000001E.xml", "title"),
        ("S_RES_2006_1100006E.xml", "symbol"),
    ]
    assert {kind for _, kind, _ in report.problems} == {"metadata", "unreadable"}
    cov = lib.coverage()
    assert cov.metadata == {"date": 2, "meeting": 2, "symbol": 1, "title": 2, "vote": 1}
    assert cov.links == {"digital library": 0, "symbol link": 5, "none": 0}
    text = cov.summary()
    assert "Problems: 3" in text  # the unreadable files, as before
    assert "Metadata against the documents: 8 disagreements" in text
    assert "date 2, meeting 2, symbol 1, title 2, vote 1" in text
    result = CliRunner().invoke(main, ["coverage", "--index", str(index), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["metadata_problems"] == cov.metadata
    [title] = [
        p["message"]
        for p in data["problems"]
        if p["kind"] == "metadata" and p["message"].startswith("title") and "/2010/" in p["path"]
    ]
    assert "'Security Council resolution 2677 (2023) [on trafficking]'" in title
    assert "kept 'Security Council resolution 2001 (2010) [on trafficking]'" in title
    [vote] = [p["message"] for p in data["problems"] if p["message"].startswith("vote")]
    assert vote == (
        "vote: S/RES/8 (1946) [en]: the vote as read says '73-0-2', "
        "the document 'a Council of 11 members'; kept 'unknown'"
    )
    # an unchanged corpus is not read again, and its problems stay
    again = build(corpus, index, workers=1, vectors=False)
    assert again.read == 0 and len(again.problems) == len(report.problems)


def test_a_changed_metadata_file_is_joined_again(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build(corpus, index, workers=1, vectors=False)
    extract = corpus / "unxml-scresolutions" / "data_extract" / "2010.json"
    text = extract.read_text(encoding="utf-8")
    extract.write_text(text.replace("[on trafficking]", "[on trafficking in persons]"), "utf-8")
    report = build(corpus, index, workers=1, vectors=False)
    assert report.read > 0  # not one text changed, but the records joined to them did
    title = rl.open(index).resolution(2002).title
    assert title == "Security Council resolution 2002 (2011) [on trafficking in persons]"
    assert build(corpus, index, workers=1, vectors=False).read == 0
