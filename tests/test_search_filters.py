"""The ``subjects``, ``chapter_vii`` and ``exclude_resolutions`` filters of ``Library.search``,
in each of the three modes, over a mini corpus with hand-written metadata (fake embedder).

The metadata of the mini corpus (``data_extract`` records and an AKN keyword):

* 2001 (2010): UNBIS subjects TRAFFICKING IN PERSONS, ARMED CONFLICTS; agenda item "Women and
  peace and security"; not Chapter VII (``""``).
* 2002 (2011): UNBIS subject SANCTIONS; agenda item "Threats to international peace and
  security"; Chapter VII. (Its text mentions trafficking.)
* 2040 (2012): no record; the AKN keyword FISHERIES; Chapter VII unknown.
* 7 (1946): CR-UNSC text, no metadata at all; Chapter VII unknown.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

pytest.importorskip("faiss")

import reslens as rl
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.search.results import SEARCH_COLUMNS
from reslens.store.queries import Filters, allowed_paragraphs
from tests.minicorpus import akn, write_corpus

MODES = ["semantic", "lexical", "hybrid"]
#: Words every resolution of the mini corpus has a paragraph about (the lexical side needs
#: some of them in each resolution for a filtered search to find anything).
QUERY = "Requests the Secretary-General to report; decides to remain seized of the matter"
#: More hits than the mini corpus has paragraphs: every search returns all it may.
K = 100

RES_2040 = akn(
    2040,
    2012,
    "2012-09-12",
    [
        '<span class="italic">Requests</span> the Secretary-General to report on the fisheries '
        "of the northern lakes;",
        '<span class="italic">Decides</span> to remain seized of the matter.',
    ],
    ['<span class="italic">Noting</span> the report of the Secretary-General,'],
    keywords=["FISHERIES"],
)

METADATA = {
    "2010": {
        "symbol": "S/RES/2001 (2010)",
        "agenda_item_name": "Women and peace and security",
        "chapter_VII": "",
        "sponsors": ["France", "Germany"],
        "MS_in_favour_count": "15",
        "MS_against_count": "0",
        "MS_abstaining_count": "0",
        "subjects": [
            ["TRAFFICKING IN PERSONS", "UNBIS Thesaurus"],
            ["ARMED CONFLICTS", "UNBIS Thesaurus"],
            ["Not a subject", "DHLAUTH"],
        ],
    },
    "2011": {
        "symbol": "S/RES/2002 (2011)",
        "agenda_item_name": "Threats to international peace and security",
        "chapter_VII": "Chapter VII",
        "sponsors": ["United States of America"],
        "MS_in_favour_count": "13",
        "MS_against_count": "0",
        "MS_abstaining_count": "2",
        "subjects": [["SANCTIONS", "UNBIS Thesaurus"]],
    },
}


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> rl.Library:
    root = tmp_path_factory.mktemp("filters")
    corpus = write_corpus(root / "corpus")
    unxml = corpus / "unxml-scresolutions"
    (unxml / "Pre-2020" / "2012").mkdir()
    (unxml / "Pre-2020" / "2012" / "S_RES_2040_1200040E.xml").write_text(RES_2040, "utf-8")
    (unxml / "data_extract").mkdir()
    for year, record in METADATA.items():
        (unxml / "data_extract" / f"{year}.json").write_text(json.dumps(record) + "\n", "utf-8")
    build(corpus, root / "index", workers=1, embedder=FakeEmbedder())
    return rl.open(root / "index", embedder=FakeEmbedder())


def resolutions_of(hits: pd.DataFrame) -> set[int]:
    """The resolution numbers of a result table's hits."""
    return {int(key.split(":", 1)[0]) for key in hits["key"]}


def search_with(lib: rl.Library, mode: str, **filters: Any) -> pd.DataFrame:
    hits = lib.search(QUERY, k=K, mode=mode, **filters)
    assert list(hits.columns) == SEARCH_COLUMNS
    return hits


def assert_filtered(
    lib: rl.Library, mode: str, allowed: Callable[[int], bool], **filters: Any
) -> pd.DataFrame:
    """The filtered search returns exactly the unfiltered hits whose resolution is allowed
    (so the filter removes what it must and nothing else), and some hits are left out."""
    every = search_with(lib, mode)
    kept = search_with(lib, mode, **filters)
    expected = {key for key in every["key"] if allowed(int(key.split(":", 1)[0]))}
    assert len(kept) > 0, f"{mode}: the filter left nothing"
    assert set(kept["key"]) == expected, mode
    assert len(kept) < len(every), f"{mode}: the filter removed nothing"
    assert list(kept["rank"]) == list(range(1, len(kept) + 1))
    return kept


def test_the_fixture_holds_the_metadata(lib: rl.Library) -> None:
    """The filters below are tested against this metadata: check it reached the store."""
    r2001, r2002, r2040, r7 = (lib.resolution(n) for n in (2001, 2002, 2040, 7))
    assert r2001.subjects == ("TRAFFICKING IN PERSONS", "ARMED CONFLICTS")
    assert r2001.agenda_item == "Women and peace and security"
    assert r2002.subjects == ("SANCTIONS",)
    assert r2040.keywords == ("FISHERIES",) and r2040.subjects == ()
    assert (r2001.chapter_vii, r2002.chapter_vii, r2040.chapter_vii, r7.chapter_vii) == (
        False,
        True,
        None,
        None,
    )
    # every mode finds paragraphs of every resolution without a filter
    for mode in MODES:
        assert resolutions_of(search_with(lib, mode)) == {7, 2001, 2002, 2040}, mode


# -- subjects -------------------------------------------------------------------------------


def metadata_words(lib: rl.Library, number: int) -> str:
    """What the subjects filter matches: UNBIS subjects, keywords and agenda item."""
    res = lib.resolution(number)
    return " | ".join([*res.subjects, *res.keywords, res.agenda_item or ""]).lower()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("subjects", "expected"),
    [
        ("trafficking in persons", {2001}),  # a UNBIS subject (in any case)
        ("ARMED CONFLICTS", {2001}),
        ("Fisheries", {2040}),  # an AKN keyword
        ("threats to international peace", {2002}),  # the agenda item
        (["fisheries", "sanctions"], {2002, 2040}),  # any of several
    ],
)
def test_subjects_filter(lib: rl.Library, mode: str, subjects: Any, expected: set[int]) -> None:
    hits = assert_filtered(lib, mode, lambda n: n in expected, subjects=subjects)
    assert resolutions_of(hits) == expected
    wanted = [subjects] if isinstance(subjects, str) else subjects
    for number in resolutions_of(hits):
        words = metadata_words(lib, number)
        assert any(s.lower() in words for s in wanted), (number, words)


@pytest.mark.parametrize("mode", MODES)
def test_subjects_filter_matches_metadata_not_text(lib: rl.Library, mode: str) -> None:
    """2002 and 7 have paragraphs that mention trafficking / the Secretary-General, but only
    2001 has the subject: the filter reads the metadata, not the paragraph text."""
    assert "trafficking" in lib.paragraph("2002:1").text
    hits = search_with(lib, mode, subjects="trafficking")
    assert len(hits) > 0 and resolutions_of(hits) == {2001}


@pytest.mark.parametrize("mode", MODES)
def test_a_subject_that_matches_nothing_returns_no_rows(lib: rl.Library, mode: str) -> None:
    hits = search_with(lib, mode, subjects="no such subject anywhere")
    assert hits.empty
    assert list(hits.columns) == SEARCH_COLUMNS


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "subject", ["%", "_", "%%", "TRAFFICKING_IN", "traff%persons", "\\", "'", "x%' OR 1=1 --"]
)
def test_like_wildcards_in_a_subject_are_plain_characters(
    lib: rl.Library, mode: str, subject: str
) -> None:
    """``%`` and ``_`` match themselves, not any text: no metadata holds them, so nothing
    passes (before, ``%`` let every resolution through and ``_`` any one character)."""
    hits = search_with(lib, mode, subjects=subject)
    assert hits.empty, resolutions_of(hits)


@pytest.mark.parametrize("mode", MODES)
def test_a_subject_with_a_literal_percent_sign(lib: rl.Library, mode: str) -> None:
    """The pattern escapes ``%``, ``_`` and the escape character itself, and a subject with
    them sits beside one that matches without spoiling it."""
    from reslens.store.queries import Filters

    where, args = Filters(subjects=("50%_share",)).sql()
    assert "ESCAPE" in where and args[1:4] == ["%50\\%\\_share%"] * 3
    hits = search_with(lib, mode, subjects=["sanctions", "100%"])
    assert resolutions_of(hits) == {2002}


# -- chapter VII ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("chapter_vii", "expected"), [(True, {2002}), (False, {2001})])
def test_chapter_vii_filter(
    lib: rl.Library, mode: str, chapter_vii: bool, expected: set[int]
) -> None:
    """True keeps the Chapter VII resolutions, False those known not to be; resolutions
    whose status is unknown (2040, 7) pass neither."""
    hits = assert_filtered(lib, mode, lambda n: n in expected, chapter_vii=chapter_vii)
    assert resolutions_of(hits) == expected
    for number in resolutions_of(hits):
        assert lib.resolution(number).chapter_vii is chapter_vii


@pytest.mark.parametrize("mode", MODES)
def test_chapter_vii_combines_with_other_filters(lib: rl.Library, mode: str) -> None:
    assert search_with(lib, mode, chapter_vii=True, since=2012).empty
    hits = search_with(lib, mode, chapter_vii=False, kind="operative")
    assert len(hits) > 0 and resolutions_of(hits) == {2001}
    assert set(hits["kind"]) == {"operative"}


# -- exclude_resolutions --------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("excluded", "numbers"),
    [
        (2001, {2001}),
        ("S/RES/2002 (2011)", {2002}),
        ([2040, "7"], {2040, 7}),
    ],
)
def test_exclude_resolutions_filter(
    lib: rl.Library, mode: str, excluded: Any, numbers: set[int]
) -> None:
    hits = assert_filtered(lib, mode, lambda n: n not in numbers, exclude_resolutions=excluded)
    assert not resolutions_of(hits) & numbers
    assert resolutions_of(hits) == {7, 2001, 2002, 2040} - numbers


@pytest.mark.parametrize("mode", MODES)
def test_exclude_resolutions_wins_over_resolutions(lib: rl.Library, mode: str) -> None:
    hits = search_with(lib, mode, resolutions=[2001, 2002], exclude_resolutions=[2002])
    assert len(hits) > 0 and resolutions_of(hits) == {2001}
    assert search_with(lib, mode, resolutions=[2001], exclude_resolutions=[2001]).empty


# -- addressees, sponsors, unanimous ----------------------------------------------------------
# Addressees of the mini corpus: 2001 asks the Secretary-General, Member States and all
# parties; 2002 decides that the Secretary-General shall report; 2040 and 7 ask the
# Secretary-General. Votes: 2001 15-0-0, 2002 13-0-2, 2040 and 7 unknown.


@pytest.mark.parametrize(
    "filters",
    [
        Filters(addressees=("secretary-general",)),
        Filters(addressees=("parties",)),
        Filters(addressees=("member_states",)),
        Filters(addressees=("member states", "secretary_general")),
        Filters(addressees=("nobody",)),
        Filters(sponsors=("germany",)),
        Filters(sponsors=("united states of america", "france")),
        Filters(unanimous=True),
        Filters(unanimous=False),
        Filters(unanimous=True, addressees=("parties",), since=2005),
    ],
)
def test_masks_agree_with_sql(lib: rl.Library, filters: Filters) -> None:
    """The numpy masks of the search and ``Filters.sql()`` select the same paragraphs."""
    masks = lib.searcher.arrays()[0]
    mask = masks.mask(filters)
    assert mask is not None
    by_masks = {int(p) for p in masks.pid[mask]}
    assert by_masks == allowed_paragraphs(lib.store, filters)


@pytest.mark.parametrize("mode", MODES)
def test_addressee_filter(lib: rl.Library, mode: str) -> None:
    # the paragraph addressing parties and Member States shares no word with QUERY: the
    # lexical side finds nothing there
    kept = search_with(lib, mode, addressees="all parties")  # canonical: "parties"
    assert resolutions_of(kept) == ({2001} if mode != "lexical" else set())
    assert all("parties" in a.split(", ") for a in kept["addressees"])
    by_category = search_with(lib, mode, addressees=["member_states"])
    assert set(by_category["key"]) == set(kept["key"])
    sg = search_with(lib, mode, addressees="Secretary-General")
    assert resolutions_of(sg) == {2001, 2002, 2040, 7}
    assert len(sg) < len(search_with(lib, mode))


@pytest.mark.parametrize("mode", MODES)
def test_sponsor_and_unanimous_filters(lib: rl.Library, mode: str) -> None:
    assert_filtered(lib, mode, lambda n: n == 2001, sponsors="germany")
    assert_filtered(lib, mode, lambda n: n == 2002, sponsors=["United States of America"])
    assert_filtered(lib, mode, lambda n: n == 2001, unanimous=True)
    assert_filtered(lib, mode, lambda n: n == 2002, unanimous=False)


def test_votes_sponsors_and_agenda_item_in_results(lib: rl.Library) -> None:
    hits = search_with(lib, "lexical", resolutions=[2001, 2002])
    row = hits[hits["key"].str.startswith("2001:")].iloc[0]
    assert (row["vote"], row["unanimous"], row["sponsors"]) == ("15-0-0", True, "France; Germany")
    assert row["agenda_item"] == "Women and peace and security"
    row = hits[hits["key"].str.startswith("2002:")].iloc[0]
    assert (row["vote"], row["unanimous"]) == ("13-0-2", False)


def test_resolutions_table(lib: rl.Library) -> None:
    from reslens.analysis.browse import RESOLUTION_COLUMNS

    every = lib.resolutions()
    assert list(every.columns) == RESOLUTION_COLUMNS
    assert set(every["resolution"]) == {7, 2001, 2002, 2040}
    assert list(lib.resolutions(agenda="peace and SECURITY")["resolution"]) == [2001, 2002]
    assert list(lib.resolutions(chapter_vii=True)["resolution"]) == [2002]
    assert list(lib.resolutions(since=2011, until=2011)["resolution"]) == [2002]
    row = lib.resolutions(agenda="women").iloc[0]
    assert (row["vote"], row["unanimous"], row["sponsors"]) == ("15-0-0", True, "France; Germany")
    latest = lib.latest("peace and security", n=1)
    assert list(latest["resolution"]) == [2002]
    with pytest.raises(rl.ReslensError):
        lib.resolutions(country="Atlantis")
