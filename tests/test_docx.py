"""Word output (tracked changes, comments) and Word input (numbering, accepted or rejected
changes), on hand-made results and hand-written .docx files; no index, no LibreOffice."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

import reslens as rl
from reslens.analysis.align import AlignedRow, Alignment
from reslens.analysis.precedents import PRECEDENT_COLUMNS, DraftParagraph, Precedents, parse_draft
from reslens.errors import ReslensError, SourceError
from reslens.sources.readers.docx import draft_text, read_docx
from reslens.views.docx import redline_pieces, write_alignment, write_precedents, write_redline
from tests.docxcheck import (
    W,
    docx_comments,
    docx_paragraph_texts,
    docx_part,
    docx_revisions,
)

DATE = "2026-03-04T05:06:07Z"
OLD = "Encourages Member States to share data on trafficking, as appropriate;"
NEW = "Requests all Member States to share timely data on trafficking;"


# -- writing ---------------------------------------------------------------------------------


def test_a_redline_is_written_as_tracked_changes(tmp_path: Path) -> None:
    path = write_redline(
        rl.redline(OLD, NEW), tmp_path / "r.docx", labels=("2331:op3", "draft"), author="Ana"
    )
    revisions = docx_revisions(path)
    assert revisions == [
        ("deletion", "Ana", revisions[0][2], "Encourages"),
        ("insertion", "Ana", revisions[0][2], "Requests all"),
        ("insertion", "Ana", revisions[0][2], "timely "),
        ("deletion", "Ana", revisions[0][2], ", as appropriate"),
    ]
    assert revisions[0][2].endswith("Z") and len(revisions[0][2]) == 20
    body = docx_part(path, "word/document.xml")
    deleted = body.findall(f".//{{{W}}}del//{{{W}}}delText")
    assert [d.text for d in deleted] == ["Encourages", ", as appropriate"]
    assert not body.findall(f".//{{{W}}}del//{{{W}}}t")  # deleted text only in w:delText
    ids = [n.get(f"{{{W}}}id") for n in body.iter(f"{{{W}}}ins", f"{{{W}}}del")]
    assert len(set(ids)) == len(ids) == 4
    texts = docx_paragraph_texts(path, "accept")
    assert texts[0] == "Redline: 2331:op3 → draft"
    assert texts[-1] == NEW and docx_paragraph_texts(path, "reject")[-1] == OLD
    assert "encourages → requests: strength 3 → 4" in texts[1]


def test_pieces_rebuild_both_texts_and_keep_spacing_outside_changes() -> None:
    for old, new in [(OLD, NEW), ("to act", "to do it"), ("", "Decides"), ("a  b", "a b")]:
        pieces = redline_pieces(rl.redline(old, new).ops)
        assert "".join(t for tag, t in pieces if tag != "insert") == old
        assert "".join(t for tag, t in pieces if tag != "delete") == new
    pieces = redline_pieces(rl.redline("to act", "to do it").ops)
    assert pieces[-2:] == [("delete", "act"), ("insert", "do it")]


def test_the_date_is_the_one_given_and_hostile_text_stays_text(tmp_path: Path) -> None:
    red = rl.redline("Urges <b>all</b> & parties\x00 to act", "Urges parties\x0b to <act>")
    path = write_redline(red, tmp_path / "r.docx", date=DATE)
    assert {r[2] for r in docx_revisions(path)} == {DATE}
    assert {r[1] for r in docx_revisions(path)} == {"reslens"}
    assert docx_paragraph_texts(path, "accept")[-1] == "Urges parties to <act>"
    assert docx_paragraph_texts(path, "reject")[-1] == "Urges <b>all</b> & parties to act"


def _alignment() -> Alignment:
    def row(status: str, a: str | None, b: str | None, *rest: object, **kw: object) -> AlignedRow:
        return AlignedRow(status, a, b, *rest, **kw)  # type: ignore[arg-type]

    return Alignment(
        (
            row("identical", "1:op1", "2:op1", similarity=1.0, a_text="Decides X;",
                b_text="Decides X;"),
            row("modified", "1:op2", "2:op2", similarity=0.8, a_text="Encourages Y;",
                b_text="Requests Y;"),
            row("new", None, "2:op3", b_text="Requests Z;"),
            row("dropped", "1:op3", None, a_text="Decides to remain seized;"),
            row("split", "1:op4", "2:op4", "(b)", None, 0.7, "report on W;",
                "Requests reports on W;"),
        ),
        "S/RES/1 (2000)",
        "S/RES/2 (2001)",
    )  # fmt: skip


def test_an_alignment_is_one_redlined_paragraph_per_row(tmp_path: Path) -> None:
    path = write_alignment(_alignment(), tmp_path / "a.docx", author="Ana", date=DATE)
    accepted = docx_paragraph_texts(path, "accept")[2:]
    rejected = docx_paragraph_texts(path, "reject")[2:]
    assert accepted == [
        "1. Decides X;",
        "2. Requests Y;",
        "3. Requests Z;",
        "",
        "4. Requests reports on W;",
    ]
    assert rejected == [
        "1. Decides X;",
        "2. Encourages Y;",
        "",
        "3. Decides to remain seized;",
        "(b) report on W;",
    ]
    kinds = [(kind, text) for kind, _, _, text in docx_revisions(path)]
    assert ("insertion", "3. Requests Z;") in kinds and (
        "deletion",
        "3. Decides to remain seized;",
    ) in kinds
    comments = docx_comments(path)
    assert len(comments) == 5 and {a for a, _ in comments} == {"Ana"}
    assert comments[1][1].startswith("modified: 1:op2 → 2:op2, score 0.80\nencourages → requests")
    assert comments[4][1].startswith("split: 1:op4(b) → 2:op4")  # fmt: skip


def _precedents() -> Precedents:
    names = ["draft", "draft_text", "rank", "key", "symbol", "date", "score", "summary",
             "first_appearance", "url", "text"]  # fmt: skip
    draft_1 = "Requests the Secretary-General to report;"
    values = [
        ("pp1", "Recalling its resolution 1325 (2000),", 1, "2319:pp1", "S/RES/2319 (2016)",
         "2016-11-17", 0.91, "no change", "1325:pp1",
         "https://digitallibrary.un.org/record/849915", "Recalling its resolutions 1325 (2000),"),
        ("1", draft_1, 1, "2001:op1", "S/RES/2001 (2010)", "2010-01-02", 0.85,
         "encourages → requests: strength 3 → 4", None, "https://digitallibrary.un.org/record/1",
         "Encourages the Secretary-General to report;"),
        ("1", draft_1, 2, "2388:op2(c)", "S/RES/2388 (2017)", None, 0.81, "", None, None,
         "Requests the SG to report;"),
        ("2", "Decides to mine the moon;", 1, "880:op7", "S/RES/880 (1993)", "1993-11-04", 0.48,
         "urges → decides", None, float("nan"), "Urges all parties to mine;"),
    ]  # fmt: skip
    rows = [dict(zip(names, v, strict=True)) for v in values]
    paragraphs = (
        DraftParagraph("pp1", rows[0]["draft_text"], "preambular"),
        DraftParagraph("1", rows[1]["draft_text"], "operative"),
        DraftParagraph("2", rows[3]["draft_text"], "operative"),
    )
    return Precedents(paragraphs, pd.DataFrame(rows, columns=PRECEDENT_COLUMNS), 0.8)


def test_precedents_cite_their_source_in_comments_with_links(tmp_path: Path) -> None:
    path = write_precedents(_precedents(), tmp_path / "p.docx", title="Draft X", author="Ana")
    accepted = docx_paragraph_texts(path, "accept")
    assert accepted[2:] == [
        "Recalling its resolution 1325 (2000),",
        "1. Requests the Secretary-General to report;",
        "2. Decides to mine the moon;",
    ]
    assert (
        docx_paragraph_texts(path, "reject")[3] == "1. Encourages the Secretary-General to report;"
    )
    comments = [text for _, text in docx_comments(path)]
    assert len(comments) == 3
    assert "1. S/RES/2319 (2016), preambular para. 1 [2319:pp1] · adopted 2016-11-17" in comments[0]
    assert "first used in 1325:pp1" in comments[0]
    assert comments[0].endswith("https://digitallibrary.un.org/record/849915")
    assert "2. S/RES/2388 (2017), para. 2 (c) [2388:op2(c)] · similarity 0.81" in comments[1]
    assert comments[2].startswith("No precedent at similarity 0.80; the nearest paragraphs:")
    assert "nan" not in comments[2]
    with zipfile.ZipFile(path) as archive:
        rels = archive.read("word/_rels/comments.xml.rels").decode()
        types = archive.read("[Content_Types].xml").decode()
    assert 'Target="https://digitallibrary.un.org/record/849915" TargetMode="External"' in rels
    assert "comments+xml" in types
    body = docx_part(path, "word/document.xml")
    marks = body.findall(f".//{{{W}}}highlight")
    assert len(marks) == 1 and marks[0].get(f"{{{W}}}val") == "yellow"
    # a range and a reference for every comment
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        assert len(body.findall(f".//{{{W}}}{tag}")) == 3


def test_to_docx_picks_the_writer_and_refuses_other_results(tmp_path: Path) -> None:
    assert rl.to_docx(_alignment(), tmp_path / "a.docx").is_file()
    assert rl.to_docx(_precedents(), tmp_path / "p.docx", title="T").is_file()
    with pytest.raises(ReslensError, match="cannot write a DataFrame"):
        rl.to_docx(pd.DataFrame(), tmp_path / "x.docx")  # type: ignore[arg-type]


def test_equal_input_gives_equal_bytes(tmp_path: Path) -> None:
    one = write_precedents(_precedents(), tmp_path / "1.docx", date=DATE)
    two = write_precedents(_precedents(), tmp_path / "2.docx", date=DATE)
    assert one.read_bytes() == two.read_bytes()


# -- reading -----------------------------------------------------------------------------------

NUMBERING = f"""<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="7">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
  <w:lvlText w:val="%1."/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>
  <w:lvlText w:val="(%2)"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/>
  <w:lvlText w:val="(%3)"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="9">
 <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>
<w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="7"/></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="7"/>
 <w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/></w:lvlOverride></w:num>
<w:num w:numId="6"><w:abstractNumId w:val="9"/></w:num>
</w:numbering>"""

STYLES = f"""<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:styleId="OpPara">
 <w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="OpParaBold"><w:basedOn w:val="OpPara"/></w:style>
</w:styles>"""


def p(text: str = "", num: tuple[int, int] | None = None, style: str = "", extra: str = "") -> str:
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    props += extra
    run = f"<w:r><w:t xml:space='preserve'>{text}</w:t></w:r>" if text else ""
    return f"<w:p><w:pPr>{props}</w:pPr>{run}</w:p>"


def ins(text: str) -> str:
    return f'<w:ins w:id="1" w:author="X" w:date="{DATE}"><w:r><w:t>{text}</w:t></w:r></w:ins>'


def dele(text: str) -> str:
    run = f"<w:r><w:delText>{text}</w:delText></w:r>"
    return f'<w:del w:id="2" w:author="X" w:date="{DATE}">{run}</w:del>'


def make_docx(path: Path, paragraphs: list[str], numbering: bool = True) -> Path:
    """A minimal .docx written by hand: document, numbering and styles parts."""
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"

    def rel(n: int, kind: str, target: str) -> str:
        return f'<Relationship Id="rId{n}" Type="{office}/{kind}" Target="{target}"/>'

    rels = rel(1, "styles", "styles.xml") + (
        rel(2, "numbering", "numbering.xml") if numbering else ""
    )
    body = "".join(paragraphs)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}">{rel(1, "officeDocument", "word/document.xml")}'
            "</Relationships>",
        )
        z.writestr(
            "word/_rels/document.xml.rels", f'<Relationships xmlns="{pkg}">{rels}</Relationships>'
        )
        z.writestr(
            "word/document.xml", f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
        )
        z.writestr("word/numbering.xml", NUMBERING)
        z.writestr("word/styles.xml", STYLES)
    return path


def labels(path: Path, changes: str = "accept") -> list[tuple[str | None, str]]:
    return [(x.label, x.text) for x in read_docx(path, changes=changes)]  # type: ignore[arg-type]


def test_numbering_is_read_as_word_numbers_it(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "n.docx",
        [
            p("The Security Council,"),
            p("Recalling X,"),
            p("Decides:", (3, 0)),
            p("to act;", (3, 1)),
            p("to report:", (3, 1)),
            p("monthly;", (3, 2)),
            p("Requests Y;", (3, 0)),  # a higher level advances: the sub-levels restart
            p("to act;", (3, 1)),
            p("Urges Z;", (4, 0)),  # another instance of the same list counts on
            p("Decides W;", style="OpParaBold"),  # numbered through its style's basedOn
            p("Not numbered", (0, 0)),  # numId 0 switches numbering off
            p("Bullet", (6, 0)),
            p("Restarted", (5, 0)),  # an instance with a startOverride
            p("Next", (5, 0)),
        ],
    )
    assert labels(path) == [
        (None, "The Security Council,"),
        (None, "Recalling X,"),
        ("1.", "Decides:"),
        ("(a)", "to act;"),
        ("(b)", "to report:"),
        ("(i)", "monthly;"),
        ("2.", "Requests Y;"),
        ("(a)", "to act;"),
        ("3.", "Urges Z;"),
        ("4.", "Decides W;"),
        (None, "Not numbered"),
        ("•", "Bullet"),
        ("10.", "Restarted"),
        ("11.", "Next"),
    ]
    draft = parse_draft(draft_text(read_docx(path)))
    assert [(d.number, d.text) for d in draft][:3] == [
        ("pp1", "Recalling X,"),
        ("1", "Decides: (a) to act; (b) to report: (i) monthly;"),
        ("2", "Requests Y; (a) to act;"),
    ]


def test_tracked_changes_are_accepted_or_rejected(tmp_path: Path) -> None:
    deleted_mark = '<w:rPr><w:del w:id="5" w:author="X" w:date="2026-01-01T00:00:00Z"/></w:rPr>'
    inserted_mark = '<w:rPr><w:ins w:id="6" w:author="X" w:date="2026-01-01T00:00:00Z"/></w:rPr>'
    was_unnumbered = '<w:pPrChange w:id="7" w:author="X"><w:pPr/></w:pPrChange>'
    path = make_docx(
        tmp_path / "c.docx",
        [
            f"<w:p><w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='3'/></w:numPr></w:pPr>"
            f"<w:r><w:t>Decides </w:t></w:r>{dele('to consider')}{ins('that all States shall')}"
            "<w:r><w:t xml:space='preserve'> act;</w:t></w:r></w:p>",
            # a whole paragraph deleted, its mark too: it goes and takes no number
            f"<w:p><w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='3'/></w:numPr>"
            f"{deleted_mark}</w:pPr>{dele('Notes Q;')}</w:p>",
            # a whole paragraph inserted: rejected, it goes
            f"<w:p><w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='3'/></w:numPr>"
            f"{inserted_mark}</w:pPr>{ins('Urges R;')}</w:p>",
            p("Requests S;", (3, 0), extra=was_unnumbered),
        ],
    )
    assert labels(path, "accept") == [
        ("1.", "Decides that all States shall act;"),
        ("2.", "Urges R;"),
        ("3.", "Requests S;"),
    ]
    assert labels(path, "reject") == [
        ("1.", "Decides to consider act;"),
        ("2.", "Notes Q;"),
        (None, "Requests S;"),  # its numbering was switched on under tracking
    ]


def test_a_written_redline_reads_back_as_either_text(tmp_path: Path) -> None:
    path = write_redline(rl.redline(OLD, NEW), tmp_path / "r.docx")
    assert read_docx(path)[-1].text == NEW
    assert read_docx(path, changes="reject")[-1].text == OLD


def test_a_broken_docx_is_a_source_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(SourceError, match=r"not a Word \.docx file"):
        read_docx(bad)
    empty = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("word/document.xml", "<oops")
    with pytest.raises(SourceError, match="not well-formed"):
        read_docx(empty)
    with pytest.raises(SourceError, match="accept"):
        read_docx(make_docx(tmp_path / "ok.docx", [p("x")]), changes="maybe")  # type: ignore[arg-type]


def test_ci_installs_libreoffice_and_requires_its_test() -> None:
    root = Path(__file__).resolve().parent.parent
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert "export RESLENS_REQUIRE_LIBREOFFICE=1" in ci
    assert ci.index("scripts/install_libreoffice.sh") < ci.index("make test")
