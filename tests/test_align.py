"""Unit tests of reslens.analysis.align on hand-written paragraphs (no corpus, no model)."""

from __future__ import annotations

import numpy as np
import pytest

from reslens.analysis.align import FRAME_COLUMNS, STATUSES, AlignedRow, Alignment, align
from reslens.analysis.align_full import align_resolutions
from reslens.analysis.similarity import embed_pieces, embed_texts, lexical_similarity
from reslens.errors import ReslensError
from reslens.index.embedders import FakeEmbedder
from reslens.models import Paragraph, Resolution, SubPoint

SEIZED = "Decides to remain seized of the matter."
EXTEND = "Decides to extend the mandate of the Mission until 31 July 2017;"
REPORT = "Requests the Secretary-General to report on the implementation of this resolution;"
MINES = "Calls on both sides to allow access to deminers in the buffer zone;"
VIOLENCE = "Condemns all attacks against peacekeepers and humanitarian personnel;"


def para(res: int, n: int, text: str, points: tuple[tuple[str, str], ...] = ()) -> Paragraph:
    """An operative paragraph; ``points`` are (label, text) sub-points appended to the text."""
    full = " ".join([text, *(f"{label} {body}" for label, body in points)])
    return Paragraph(
        key=f"{res}:op{n}",
        resolution=res,
        kind="operative",
        number=str(n),
        ordinal=n - 1,
        text=full,
        intro=text,
        points=tuple(SubPoint(label, body) for label, body in points),
    )


def paras(res: int, *texts: str) -> list[Paragraph]:
    return [para(res, n, t) for n, t in enumerate(texts, start=1)]


def by_status(result: Alignment, status: str) -> list[tuple[str | None, str | None]]:
    return [(r.a, r.b) for r in result.rows if r.status == status]


def test_identical_modified_new_dropped() -> None:
    a = paras(1, EXTEND, MINES, REPORT, SEIZED)
    b = paras(
        2,
        EXTEND.replace("31 July 2017", "31 January 2018"),
        REPORT,
        VIOLENCE,
        SEIZED,
    )
    result = align(a, b)
    assert by_status(result, "modified") == [("1:op1", "2:op1")]
    assert by_status(result, "identical") == [("1:op3", "2:op2"), ("1:op4", "2:op4")]
    assert by_status(result, "new") == [(None, "2:op3")]
    assert by_status(result, "dropped") == [("1:op2", None)]
    counts = result.counts()
    assert list(counts) == list(STATUSES)
    assert counts["identical"] == 2 and counts["moved"] == 0
    modified = next(r for r in result.rows if r.status == "modified")
    assert modified.similarity is not None and 0.5 < modified.similarity < 1.0
    assert modified.changed


def test_rows_follow_b_order_with_dropped_after_their_predecessor() -> None:
    a = paras(1, EXTEND, MINES, REPORT, SEIZED)
    b = paras(2, EXTEND, REPORT, VIOLENCE, SEIZED)
    order = [(r.status, r.a, r.b) for r in align(a, b).rows]
    assert order == [
        ("identical", "1:op1", "2:op1"),
        ("dropped", "1:op2", None),
        ("identical", "1:op3", "2:op2"),
        ("new", None, "2:op3"),
        ("identical", "1:op4", "2:op4"),
    ]


def test_identity_ignores_white_space_and_final_punctuation() -> None:
    a = paras(1, "Urges the parties  to respect the ceasefire;")
    b = paras(2, "Urges the parties to respect the ceasefire.")
    assert align(a, b).rows[0].status == "identical"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "Urges the “parties” to respect the ceasefire;",
            'Urges the "parties" to respect the ceasefire.',
        ),
        (
            "Recalls the Council’s policy of zero tolerance",
            "Recalls the Council's policy of zero-tolerance",
        ),
        ("Requests a Follow-Up report – by June", "Requests a follow-up report—by June"),
        ("Welcomes the peace-keeping operation", "Welcomes the peacekeeping operation"),
    ],
)
def test_typography_only_changes_are_labelled_typography(old: str, new: str) -> None:
    result = align(paras(1, old), paras(2, new))
    assert result.rows[0].status == "typography"
    assert result.to_frame()["redline"].iloc[0] is not None  # the change is still shown


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Urges the Government to act", "Urges the government to act"),  # case, no compound
        ("Urges the parties to act", "Urges the parties to act now"),
        ("Decides to extend until 30 April 2017", "Decides to extend until 30 April 2018"),
    ],
)
def test_other_changes_stay_modified(old: str, new: str) -> None:
    assert align(paras(1, old), paras(2, new)).rows[0].status == "modified"


def test_moved_is_the_pair_off_the_order_backbone() -> None:
    a = paras(1, EXTEND, MINES, REPORT, VIOLENCE, SEIZED)
    b = paras(2, VIOLENCE, EXTEND, MINES, REPORT, SEIZED)
    result = align(a, b)
    assert by_status(result, "moved") == [("1:op4", "2:op1")]
    assert result.counts()["identical"] == 4


def test_optimal_assignment_beats_greedy() -> None:
    # Greedy would take the best cell (a1-b1, 0.95) and strand a2; the optimum pairs both.
    a = paras(1, "first earlier text", "second earlier text")
    b = paras(2, "first later words", "second later words")
    va = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    vb = np.array([[0.95, 0.9], [0.9, 0.1]], dtype=np.float32)
    result = align(a, b, vectors_a=va, vectors_b=vb, semantic_weight=1.0, threshold=0.5)
    assert sorted(result.links()) == [("1:op1", "2:op2"), ("1:op2", "2:op1")]


def test_threshold_decides_what_is_paired() -> None:
    a = paras(1, "Decides to extend the mandate of the Mission;")
    b = paras(2, "Decides to extend the sanctions measures;")
    low = align(a, b, threshold=0.2)
    high = align(a, b, threshold=0.9)
    assert low.links() == [("1:op1", "2:op1")]
    assert high.links() == []
    assert high.counts()["new"] == 1 and high.counts()["dropped"] == 1


SUBPOINTS = (
    ("(a)", "to ratify the Convention against Transnational Organized Crime and its Protocol"),
    ("(b)", "to investigate, disrupt and dismantle networks involved in trafficking in persons"),
    ("(c)", "to implement robust victim identification mechanisms and provide assistance"),
)


def test_sub_points_split_into_paragraphs() -> None:
    a = [para(1, 1, "Calls upon Member States:", SUBPOINTS), para(1, 2, SEIZED)]
    b = paras(
        2,
        "Urges Member States to ratify the Convention against Transnational Organized Crime "
        "and its Protocol;",
        "Calls upon Member States to investigate, disrupt and dismantle networks involved in "
        "trafficking in persons;",
        "Calls upon Member States to implement robust victim identification mechanisms and "
        "provide assistance;",
        SEIZED,
    )
    result = align(a, b)
    splits = [(r.a, r.b, r.a_point) for r in result.rows if r.status == "split"]
    assert splits == [
        ("1:op1(a)", "2:op1", "(a)"),
        ("1:op1(b)", "2:op2", "(b)"),
        ("1:op1(c)", "2:op3", "(c)"),
    ]
    split = next(r for r in result.rows if r.status == "split")
    assert split.a_text == SUBPOINTS[0][1]
    assert result.counts()["dropped"] == 0 and result.counts()["new"] == 0


def test_paragraphs_merged_into_sub_points() -> None:
    a = paras(
        1,
        "Decides that the Mission shall protect civilians under threat of physical violence;",
        "Decides that the Mission shall monitor and report on violations of human rights;",
        SEIZED,
    )
    points = (
        ("(a)", "to protect civilians under threat of physical violence"),
        ("(b)", "to monitor and report on violations of human rights"),
        ("(c)", "to support the implementation of the peace agreement"),
    )
    b = [para(2, 1, "Decides that the mandate of the Mission shall be as follows:", points)]
    b.append(para(2, 2, SEIZED))
    result = align(a, b)
    merged = [(r.a, r.b, r.b_point) for r in result.rows if r.status == "merged"]
    assert ("1:op1", "2:op1(a)", "(a)") in merged
    assert ("1:op2", "2:op1(b)", "(b)") in merged
    assert result.counts()["dropped"] == 0


def test_sub_points_kept_together_are_not_split() -> None:
    a = [para(1, 1, "Calls upon Member States:", SUBPOINTS)]
    b = [para(2, 1, "Calls upon Member States:", SUBPOINTS)]
    result = align(a, b)
    assert [r.status for r in result.rows] == ["identical"]


def test_fake_embedder_path_and_vector_errors() -> None:
    a = paras(1, EXTEND, MINES, SEIZED)
    b = paras(2, EXTEND.replace("July", "August"), SEIZED)
    embedder = FakeEmbedder()
    result = align(a, b, encode=embedder.encode)
    assert by_status(result, "dropped") == [("1:op2", None)]
    assert result.counts()["modified"] == 1 and result.counts()["identical"] == 1
    vectors_b = embedder.encode([p.text for p in b])
    with pytest.raises(ReslensError, match="vectors_a has shape"):
        align(a, b, vectors_a=vectors_b, vectors_b=vectors_b)
    with pytest.raises(ReslensError, match="both sides"):
        align(a, b, vectors_b=vectors_b)
    with pytest.raises(ReslensError, match="semantic_weight"):
        align(a, b, semantic_weight=2.0)


def test_embed_texts_averages_passages_to_unit_rows() -> None:
    long_text = " ".join(["Requests the Secretary-General to report;"] * 60)
    calls: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return FakeEmbedder().encode(texts)

    vectors = embed_texts(encode, [(long_text, ()), (SEIZED, ())])
    assert vectors.shape == (2, 64)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert len(calls[0]) > 2  # the long text was cut into several passages


FOLLOW_UP = (
    "Requests the Secretary-General to report back to the Council on the implementation of "
    "this resolution within twelve months;"
)
LONG_REPORT = (
    "Requests the Secretary-General to report on the implementation of this resolution within "
    "twelve months, and further requests that this report also consider options for: "
    "strengthening the coordination of the humanitarian agencies on the ground; improving the "
    "collection of data on routes and locations of smuggling networks; and recommendations "
    "for the agencies to mitigate the risk of contributing to abuses through procurement and "
    "supply chains, in coordination with regional organizations and Member States;"
)


def test_embed_pieces_cuts_only_long_texts() -> None:
    pieces = embed_pieces(FakeEmbedder().encode, [(SEIZED, ()), (LONG_REPORT, ()), (REPORT, ())])
    assert len(pieces.owners) >= 3 and set(pieces.owners.tolist()) == {1}
    assert np.allclose(np.linalg.norm(pieces.vectors, axis=1), 1.0, atol=1e-5)
    empty = embed_pieces(FakeEmbedder().encode, [(SEIZED, ())])
    assert empty.owners.shape == (0,)


@pytest.mark.parametrize("long_first", [True, False])
def test_semantic_containment_finds_a_short_text_in_a_long_one(long_first: bool) -> None:
    short, long = paras(2, FOLLOW_UP), paras(1, LONG_REPORT)
    a, b = (long, short) if long_first else (short, long)
    encode = FakeEmbedder().encode
    without = align(a, b, encode=encode, semantic_containment=0.0, threshold=0.0)
    with_ = align(a, b, encode=encode, threshold=0.0)
    before, after = without.rows[0].similarity, with_.rows[0].similarity
    assert before is not None and after is not None and after > before + 0.05
    threshold = (before + after) / 2
    assert align(a, b, encode=encode, threshold=threshold).counts()["modified"] == 1
    cut = align(a, b, encode=encode, semantic_containment=0.0, threshold=threshold)
    assert cut.counts()["modified"] == 0
    # given vectors and no encode function: no pieces, the cosine of the means alone
    vectors = (
        embed_texts(encode, [(p.text, ()) for p in a]),
        embed_texts(encode, [(b[0].text, ())]),
    )
    given = align(a, b, vectors_a=vectors[0], vectors_b=vectors[1], threshold=0.0)
    assert given.rows[0].similarity == before


def test_semantic_containment_works_both_ways_in_one_alignment() -> None:
    long_mines = (
        "Calls on both sides to allow access to deminers in the buffer zone and to facilitate "
        "the removal of the remaining mines, welcomes the progress of the demining teams over "
        "the past year, and encourages the parties to agree on a plan to clear the remaining "
        "minefields in the areas of Nicosia and along the ceasefire lines within twelve months;"
    )
    a = paras(1, LONG_REPORT, MINES)
    b = paras(2, FOLLOW_UP, long_mines)
    encode = FakeEmbedder().encode
    without = align(a, b, encode=encode, semantic_containment=0.0, threshold=0.0)
    with_ = align(a, b, encode=encode, threshold=0.0)
    assert with_.links() == without.links() == [("1:op1", "2:op1"), ("1:op2", "2:op2")]
    for before, after in zip(without.rows, with_.rows, strict=True):
        assert before.similarity is not None and after.similarity is not None
        assert after.similarity > before.similarity + 0.05


def test_empty_sides() -> None:
    b = paras(2, SEIZED)
    assert [r.status for r in align([], b).rows] == ["new"]
    assert [r.status for r in align(b, []).rows] == ["dropped"]
    assert align([], []).rows == ()


def test_lexical_similarity() -> None:
    assert lexical_similarity(SEIZED, SEIZED.upper()) == 1.0
    assert lexical_similarity(SEIZED, VIOLENCE) < 0.3
    long_report = REPORT[:-1] + " and on the coordination of all relevant entities " * 4
    # containment keeps a paragraph that gained a long tail close to its source
    assert lexical_similarity(REPORT, long_report) >= 0.7


def test_frame_and_html() -> None:
    a = paras(1, "Welcomes the <report> & its annex;", MINES)
    b = paras(2, "Welcomes the <report> & its two annexes;", VIOLENCE)
    result = align(a, b, a_label="S/RES/1 (2016)", b_label="<b>")
    frame = result.to_frame()
    assert list(frame.columns) == FRAME_COLUMNS
    row = frame[frame["status"] == "modified"].iloc[0]
    assert row["a"] == "1:op1" and row["b"] == "2:op1"
    assert isinstance(row["redline"], str) and "annex" in row["redline"]
    assert frame[frame["status"] == "new"]["redline"].isna().all()
    assert result.to_frame(redlines=False)["redline"].isna().all()
    page = result._repr_html_()
    assert "&lt;report&gt; &amp; its" in page and "<report>" not in page
    assert "&lt;b&gt;" in page
    assert "S/RES/1 (2016)" in repr(result)


def test_row_citations() -> None:
    row = AlignedRow("split", "2331:op2", "2388:op3", a_point="(b)", similarity=0.7)
    assert row.a == "2331:op2(b)" and row.b == "2388:op3"
    assert AlignedRow("new", None, "2388:op8").a is None


# -- bullets, whole resolutions (issue 14) ----------------------------------------------------
def test_bullets_are_cited_by_position() -> None:
    a = [
        para(
            1,
            1,
            "Decides that the mandate shall include the following tasks:",
            (
                ("•", "to protect civilians under threat of physical violence in the zone;"),
                ("•", "to support the delivery of humanitarian assistance to the refugees;"),
            ),
        )
    ]
    b = paras(
        2,
        "Decides that the mandate shall protect civilians under threat of physical violence;",
        "Decides that the mandate shall support the delivery of humanitarian assistance;",
    )
    result = align(a, b, point_threshold=0.3)
    assert sorted(result.links()) == [("1:op1•1", "2:op1"), ("1:op1•2", "2:op2")]


def pp(res: int, n: int, text: str) -> Paragraph:
    return Paragraph(f"{res}:pp{n}", res, "preambular", str(n), n - 1, text)


def resolution(number: int, preamble: list[str], operative: list[str]) -> Resolution:
    pps = [pp(number, n, t) for n, t in enumerate(preamble, start=1)]
    ops = [
        Paragraph(f"{number}:op{n}", number, "operative", str(n), len(pps) + n - 1, t)
        for n, t in enumerate(operative, start=1)
    ]
    return Resolution(number, 2000 + number % 100, paragraphs=tuple(pps + ops))


RECALL = "Recalling its previous resolutions on the situation in the region, in particular 1000,"
CONCERN = "Expressing grave concern at the humanitarian situation in the northern provinces,"
TOLERANCE = "Reaffirming its zero tolerance policy on sexual exploitation and abuse by personnel,"


def test_preambles_are_aligned_with_their_own_kind() -> None:
    a = resolution(1, [RECALL, CONCERN, TOLERANCE], [EXTEND, SEIZED])
    b = resolution(
        2,
        [
            RECALL.replace("1000", "1000 and 1001"),
            TOLERANCE.replace("zero tolerance", "zero-tolerance"),
        ],
        [EXTEND.replace("2017", "2018"), SEIZED],
    )
    rows = [(r.status, r.a, r.b) for r in align_resolutions(a, b).rows]
    assert rows == [
        ("modified", "1:pp1", "2:pp1"),
        ("dropped", "1:pp2", None),
        ("typography", "1:pp3", "2:pp2"),
        ("modified", "1:op1", "2:op1"),
        ("identical", "1:op2", "2:op2"),
    ]
    only = align_resolutions(a, b, preambles=False)
    assert all(":op" in (r.a or r.b or "") for r in only.rows)


def test_a_paragraph_that_changes_kind_is_moved() -> None:
    request = "the Secretary-General to report on the implementation of the mandate every 90 days"
    a = resolution(1, [RECALL], [f"Requests {request};", SEIZED])
    b = resolution(2, [RECALL, f"Having requested {request},"], [SEIZED])
    result = align_resolutions(a, b)
    assert ("moved", "1:op1", "2:pp2") in [(r.status, r.a, r.b) for r in result.rows]
    assert result.counts()["new"] == result.counts()["dropped"] == 0


def test_a_paragraph_cut_in_two_is_a_split_beside_its_partner() -> None:
    first = "Calls upon all parties to cease hostilities immediately and to respect the ceasefire"
    second = "and to allow full and unhindered humanitarian access throughout the country"
    a = resolution(1, [RECALL], [f"{first}, {second};", SEIZED])
    b = resolution(2, [RECALL], [f"{first};", f"Calls upon all parties {second};", SEIZED])
    links = align_resolutions(a, b).links()
    assert ("1:op1", "2:op1") in links and ("1:op1", "2:op2") in links


def _topic_encode(texts: list[str]) -> np.ndarray:
    """A hand-made embedder: one axis per topic word, plus a small axis of each text's own."""
    topics = (("mandate",), ("seized",), ("children", "minors"), ("Recalling",))
    out = np.zeros((len(texts), 8), dtype=np.float32)
    for row, text in enumerate(texts):
        for axis, marks in enumerate(topics):
            if any(mark in text for mark in marks):
                out[row, axis] = 1.0
        out[row, 4 + sum(map(ord, text)) % 4] += 0.4
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_a_rewritten_paragraph_is_linked_to_its_mutual_best() -> None:
    old = "Urges the parties to protect children affected by armed conflict and to free them;"
    new = "Calls on all sides to protect minors caught in hostilities, releasing any held;"
    a = resolution(1, [RECALL], [EXTEND, old, SEIZED])
    b = resolution(2, [RECALL], [EXTEND, new, SEIZED])
    # similarity about 0.5: below the assignment's 0.55, each the other's best
    result = align_resolutions(a, b, encode=_topic_encode, mutual_threshold=0.45)
    rows = [(r.status, r.a, r.b) for r in result.rows]
    assert ("modified", "1:op2", "2:op2") in rows
    off = align_resolutions(a, b, encode=_topic_encode, mutual_threshold=1.1)
    assert off.counts()["new"] == off.counts()["dropped"] == 1
    lexical = align_resolutions(a, b)  # without embeddings the pass does not run
    assert lexical.counts()["new"] == 1


def test_a_paragraph_turned_preambular_is_linked_across_kinds_by_mutual_best() -> None:
    old = "Urges the parties to protect children affected by armed conflict and to free them;"
    new = "Calling on all sides to protect minors caught in hostilities, releasing any held,"
    a = resolution(1, [RECALL], [EXTEND, old, SEIZED])
    b = resolution(2, [RECALL, new], [EXTEND, SEIZED])
    options = {"encode": _topic_encode, "cross_threshold": 1.1}  # the cross-kind pass off
    result = align_resolutions(a, b, mutual_cross_threshold=0.45, **options)
    assert ("moved", "1:op2", "2:pp2") in [(r.status, r.a, r.b) for r in result.rows]
    assert result.counts()["new"] == result.counts()["dropped"] == 0
    kept = align_resolutions(a, b, mutual_cross_threshold=1.1, **options)
    assert kept.counts()["new"] == kept.counts()["dropped"] == 1
