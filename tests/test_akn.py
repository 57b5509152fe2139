"""Unit tests of the AKN reader and the metadata join, on tiny hand-written AKN files."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from reslens.errors import SourceError
from reslens.models import flatten_points
from reslens.sources.readers.akn import read_akn
from reslens.sources.readers.metadata import apply_metadata, load_metadata
from reslens.text import clean

FIXTURES = Path(__file__).parent / "fixtures" / "akn"
NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"


def akn(
    body: str, *, preamble: str = "", number: str = "S/RES/2998 (2030)", extra: str = ""
) -> str:
    """A minimal AKN resolution around a main body."""
    return f"""<akomaNtoso xmlns="{NS}"><statement name="resolution"><meta>
<identification><FRBRWork><FRBRthis value="/akn/un/statement/x/2030-05-01/2998-2030/!main/"/>
<FRBRdate date="2030-05-01" name="adoption"/></FRBRWork>
<FRBRExpression><FRBRlanguage language="fra"/></FRBRExpression></identification></meta>
<coverPage><p><docNumber refersTo="#symbol">{number}</docNumber></p></coverPage>
<preamble>{preamble}</preamble><mainBody>{body}</mainBody>{extra}</statement></akomaNtoso>"""


def para(num: str | None, text: str, cls: str = "SingleTxt") -> str:
    n = f"<num>{num}</num>" if num is not None else ""
    return f'<paragraph class="{cls}">{n}<content><p>{text}</p></content></paragraph>'


def read(tmp_path: Path, xml: str, quirks: Counter[str] | None = None, name: str = "r.xml"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(xml, encoding="utf-8")
    return read_akn(path, quirks=quirks)


def test_fixture_metadata_and_preamble() -> None:
    q: Counter[str] = Counter()
    res = read_akn(FIXTURES / "mini_2999.xml", quirks=q)
    assert (res.number, res.year, res.symbol) == (2999, 2030, "S/RES/2999 (2030)")
    assert res.language == "en" and res.source_format == "akn"
    assert res.source_path == str(FIXTURES / "mini_2999.xml")
    assert res.date == "2030-01-02"  # placeholder 0001-01-01 → cover-page adoption date
    assert q["placeholder_adoption_date"] == 1
    assert res.keywords == ("peacekeeping", "sdg_16")
    assert res.draft_symbol == "S/2030/1" and res.sponsors == ("France", "Ghana", "Japan")
    assert res.vote_counts == (13, 0, 2)
    assert res.votes_abstaining == ("CHINA", "RUSSIAN FEDERATION")
    assert res.meeting == "9999th meeting"
    pre = res.preambular()
    assert [p.number for p in pre] == ["1", "2"]  # enacting formula skipped
    assert pre[0].key == "2999:pp1" and pre[0].verbs[0].text == "Recalling"
    assert pre[1].text == "Noting the report of the Secretary-General,"  # footnote dropped
    assert q["footnote_dropped"] == 1


def test_fixture_operative_points_verbs_headings() -> None:
    q: Counter[str] = Counter()
    ops = read_akn(FIXTURES / "mini_2999.xml", quirks=q).operative()
    assert [p.number for p in ops] == ["1", "2", "3", "4"]
    assert ops[0].heading == "Political process" and ops[1].heading == "Political process"
    assert ops[2].heading == "Humanitarian access"  # not glued to para 2
    assert "Humanitarian" not in ops[1].text
    two = ops[1]
    assert two.intro == "Calls upon Member States:"
    assert [p.label for p in two.points] == ["(a)", "(b)"]
    assert two.text == clean(f"{two.intro} {flatten_points(two.points)}")
    verbs = [v.text for v in two.verbs]
    assert verbs == ["Calls upon", "and underscores in this regard"]
    assert [v.text for v in ops[0].verbs] == ["Calls upon"]  # Latin and title excluded
    assert q["italic_latin"] == 1 and q["italic_title"] == 1
    assert [v.text for v in ops[2].verbs] == ["Invites", "requests further"]
    for p in ops:
        for v in p.verbs:
            assert p.text[v.position : v.position + len(v.text)] == v.text
            assert v.source == "markup" and v.lemma == "" and v.strength is None


@pytest.mark.parametrize(
    "content",
    [b"", b"   \n", b"\x00\x01\x02\xff\xfe binary", b"<akomaNtoso><statement>", b"<html/>"],
)
def test_bad_input_raises_source_error_naming_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken_file.xml"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=r"broken_file\.xml"):
        read_akn(path)


def test_missing_file_and_no_paragraphs_and_not_a_resolution(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"nope\.xml"):
        read_akn(tmp_path / "nope.xml")
    with pytest.raises(SourceError, match="no paragraphs"):
        read(tmp_path, akn(""))
    with pytest.raises(SourceError, match="not a resolution"):
        read(tmp_path, akn(para("1.", "Text."), number="S/PRST/2020/11"))


def test_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    xml = akn(para("1.", "<span class='italic'>Decides</span> &xxe;"))
    xml = f'<!DOCTYPE a [<!ENTITY xxe SYSTEM "file://{secret}">]>' + xml
    try:
        res = read(tmp_path, xml)
    except SourceError:
        return
    assert "TOPSECRET" not in res.operative()[0].text


def test_number_fallbacks_and_language(tmp_path: Path) -> None:
    res = read(tmp_path, akn(para("1.", "Decides.")))
    assert (res.number, res.year, res.language, res.date) == (2998, 2030, "fr", "2030-05-01")
    assert res.paragraphs[0].key == "2998:op1@fr"
    res = read(tmp_path, akn(para("1.", "Decides."), number=""))
    assert (res.number, res.year) == (2998, 2030)  # from FRBRthis


def test_number_in_empty_paragraph(tmp_path: Path) -> None:
    body = para("1.", "") + para(None, "Authorizes the observers;", "ListParagraph")
    body += para("2.", "") + para(None, "Decides to remain seized.", "ListParagraph")
    q: Counter[str] = Counter()
    ops = read(tmp_path, akn(body), q).operative()
    assert [(p.number, p.text) for p in ops] == [
        ("1", "Authorizes the observers;"),
        ("2", "Decides to remain seized."),
    ]
    assert q["number_in_empty_paragraph"] == 2


def test_subpoints_as_paragraphs_are_folded(tmp_path: Path) -> None:
    body = (
        "<paragraph><num>7.</num><list><intro><p>Decides that the mandate is:</p></intro>"
        "<point><num>(a)</num><content><p>Protection:</p></content></point>"
        "<sublist><point><num>(i)</num><content><p>To protect;</p></content></point></sublist>"
        "<point><num>(d)</num><content><p>Supporting the peace process:</p></content></point>"
        "</list></paragraph>"
        + para(None, "To carry out the following tasks:")
        + para("(i)", "Using good offices;")
        + para("(ii)", "Participating;")
        + para("(iii)", "Actively participating;")
        + para("8.", "Stresses the point;")
    )
    q: Counter[str] = Counter()
    ops = read(tmp_path, akn(body), q).operative()
    assert [p.number for p in ops] == ["7", "8"]
    a, d = ops[0].points
    assert [c.label for c in a.children] == ["(i)"]
    assert d.text == "Supporting the peace process: To carry out the following tasks:"
    assert [c.label for c in d.children] == ["(i)", "(ii)", "(iii)"]
    assert ops[0].text.endswith("(iii) Actively participating;")
    assert q["subpoint_paragraph_folded"] == 3


def test_letter_i_after_h_is_a_letter(tmp_path: Path) -> None:
    body = para("5.", "Requests:") + "".join(para(f"({c})", f"item {c};") for c in "abcdefghij")
    ops = read(tmp_path, akn(body)).operative()
    assert [p.label for p in ops[0].points][-3:] == ["(h)", "(i)", "(j)"]


def test_labels_dot_bullet_dash_and_roman_without_letter(tmp_path: Path) -> None:
    body = (
        "<paragraph><num>16.</num><list><intro><p>Encourages States:</p></intro>"
        "<point><num>a.</num><content><p>first;</p></content></point>"
        "<point><num>b)</num><content><p>second;</p></content></point></list></paragraph>"
        "<paragraph><num>17.</num><list><intro><p>Urges:</p></intro>"
        "<point><num>–</num><content><p>dash one;</p></content></point>"
        "<point><num>•</num><content><p>bullet two;</p></content></point>"
        "<point><num>(i)</num><content><p>roman;</p></content></point></list></paragraph>"
    )
    q: Counter[str] = Counter()
    ops = read(tmp_path, akn(body), q).operative()
    assert [p.label for p in ops[0].points] == ["(a)", "(b)"]
    assert [p.label for p in ops[1].points] == ["–", "•", "(i)"]
    assert q["label_letter_dot"] == 1 and q["label_dash"] == 1 and q["label_bullet"] == 1


def test_headings_classes_sections_and_continuations(tmp_path: Path) -> None:
    body = (
        para("1.", "Decides one;")
        + para(None, "Reporting", "H4")
        + para("2.", "Decides two, provided that")
        + para(None, "the report is public;")
        + "<section><num>B</num><crossHeading>Part B</crossHeading>"
        + para("3.", "Decides three;")
        + "</section>"
        + '<paragraph class="H1"><num>C.</num><subheading>Arms</subheading></paragraph>'
        + para("4.", "Decides four;")
        + para(None, "-----", "a")
    )
    q: Counter[str] = Counter()
    ops = read(tmp_path, akn(body), q).operative()
    assert [p.number for p in ops] == ["1", "2", "3", "4"]
    assert ops[0].text == "Decides one;" and ops[1].heading == "Reporting"
    assert ops[1].text == "Decides two, provided that the report is public;"
    assert (ops[2].section, ops[2].heading) == ("B", "Part B")
    assert (ops[3].section, ops[3].heading) == ("C", "Arms")
    assert q["separator"] == 1 and q["continuation"] == 1 and q["heading"] == 1


def test_annexes_tables_and_attachments(tmp_path: Path) -> None:
    cells = "<td><p>cell one</p></td><td><p>cell two</p></td>"
    table = f"<container><table><tr>{cells}</tr></table></container>"
    body = (
        para("1.", "Decides one;")
        + table
        + para("2.", "Decides two.")
        + '<paragraph class="H1"><heading>Annex II to resolution 2998 (2030)</heading></paragraph>'
        + para("1.", "Annex item.")
    )
    extra = (
        '<attachments><attachment><doc name="annex"><mainBody>'
        + para("1.1.", "Annex text")
        + "</mainBody></doc></attachment></attachments>"
    )
    q: Counter[str] = Counter()
    ops = read(tmp_path, akn(body, extra=extra), q).operative()
    assert [p.number for p in ops] == ["1", "2"]
    assert ops[0].text == "Decides one; cell one cell two"
    assert "Annex" not in ops[1].text
    assert q["inline_annex"] == 1 and q["annex_skipped"] == 1 and q["table"] == 1


def test_number_in_text_and_single_unnumbered_paragraph(tmp_path: Path) -> None:
    body = para("1.", "Decides one;") + para(None, "2 Condemns the attacks;")
    ops = read(tmp_path, akn(body)).operative()
    assert [(p.number, p.text) for p in ops] == [
        ("1", "Decides one;"),
        ("2", "Condemns the attacks;"),
    ]
    one = read(
        tmp_path, akn(para(None, "<span class='italic'>Decides</span> that the election."))
    ).operative()
    assert [(p.number, p.verbs[0].text) for p in one] == [("1", "Decides")]


def test_lead_paragraph_moves_to_preamble_and_operatives_in_preamble(tmp_path: Path) -> None:
    pre = (
        '<container name="Acting"><blockList><listIntroduction><span class="italic">Acting</span>'
        " under Chapter VII:</listIntroduction><item><num>1.</num><p>Reiterates one;</p></item>"
        "</blockList></container>"
    )
    res = read(tmp_path, akn(para("2.", "Decides two;"), preamble=pre))
    assert [p.text for p in res.preambular()] == ["Acting under Chapter VII:"]
    assert [p.number for p in res.operative()] == ["1", "2"]
    lead = "Remaining fully committed to the promotion of security and long-lasting stability " * 2
    body = para(None, lead.strip() + ",") + para("1.", "Decides one;")
    res = read(tmp_path, akn(body))
    assert [p.text for p in res.preambular()] == [lead.strip() + ","]
    assert [p.number for p in res.operative()] == ["1"]


def test_numbered_paragraph_inside_sublist_is_hoisted(tmp_path: Path) -> None:
    body = (
        para("4.", "Decides the mandate:")
        + "<paragraph><num>(a)</num><list><intro><p>Protection:</p></intro>"
        + "<point><num>(i)</num><content><p>To protect;</p></content></point><sublist>"
        + "<point><num>5.</num><content><p>Decides the ceiling;</p></content></point>"
        + "</sublist></list></paragraph>"
    )
    ops = read(tmp_path, akn(body)).operative()
    assert [p.number for p in ops] == ["4", "5"] and ops[1].text == "Decides the ceiling;"


def test_verb_spans_merged_and_underline(tmp_path: Path) -> None:
    text = (
        "<span class='underline'>Reiterates</span> its call and "
        "<span class='italic'>request</span><span class='italic'>s further</span> that"
    )
    q: Counter[str] = Counter()
    p = read(tmp_path, akn(para("1.", text)), q).operative()[0]
    assert [v.text for v in p.verbs] == ["Reiterates", "requests further"]
    assert q["verb_span_merged"] == 1


def test_load_and_apply_metadata(tmp_path: Path) -> None:
    folder = tmp_path / "data_extract"
    folder.mkdir()
    record = {
        "symbol": "S/RES/2998 (2030)", "agenda_item_name": "Peace", "chapter_VII": "Chapter VII",
        "MS_in_favour_count": "14", "MS_against_count": "1", "MS_abstaining_count": "0",
        "MS_in_favour": ["FRANCE"], "MS_against": ["X"], "MS_abstaining": [],
        "sponsors": ["FRANCE"], "additional_sponsors": ["GHANA"], "draft_resolution": "S/2030/9",
        "adoption_meeting": "9000th meeting", "adoption_date": "1 May 2030",
        "subjects": [["PEACEKEEPING", "UNBIS Thesaurus"], ["Other", "DHLAUTH"]],
        "resolution_title": "Security Council resolution 2998 (2030) [on peace]",
    }  # fmt: skip
    (folder / "2030.json").write_text(json.dumps(record) + "\n{broken\n\n", encoding="utf-8")
    bad: Counter[str] = Counter()
    meta = load_metadata(tmp_path, bad_lines=bad)
    assert list(meta) == [2998] and bad["bad_line"] == 1
    res = read(tmp_path, akn(para("1.", "Decides.")))
    out = apply_metadata(res, meta[2998])
    assert out.agenda_item == "Peace" and out.chapter_vii is True
    assert out.subjects == ("PEACEKEEPING",)
    assert out.vote_counts == (14, 1, 0) and out.votes_against == ("X",)
    assert out.sponsors == ("FRANCE", "GHANA") and out.draft_symbol == "S/2030/9"
    assert out.meeting == "9000th meeting" and out.date == "2030-05-01"
    assert apply_metadata(res, None) is res
    # XML values win
    fixture = read_akn(FIXTURES / "mini_2999.xml")
    kept = apply_metadata(fixture, {**record, "adoption_date": "9 May 2031", "chapter_VII": ""})
    assert kept.date == "2030-01-02" and kept.vote_counts == (13, 0, 2)
    assert kept.sponsors == ("France", "Ghana", "Japan") and kept.chapter_vii is False


def test_duplicate_attribute_is_recovered_other_errors_are_not(tmp_path: Path) -> None:
    xml = akn(para("1.", "Decides.")).replace(
        "<p>Decides.</p>", '<p class="a" class="b">Decides.</p>'
    )
    q: Counter[str] = Counter()
    assert read(tmp_path, xml, q).operative()[0].text == "Decides."
    assert q["duplicate_attribute_recovered"] == 1
    with pytest.raises(SourceError, match="not well-formed"):
        read(tmp_path, akn(para("1.", "Decides.")).replace("</mainBody>", "</mainBod>"))


def test_number_from_file_name_year_from_date(tmp_path: Path) -> None:
    xml = akn(para("1.", "Decides."), number="").replace("2998-2030/", "/")
    res = read(tmp_path, xml, name="S_RES_2777-2504360S.xml")
    assert (res.number, res.year) == (2777, 2030)
    with pytest.raises(SourceError, match="no resolution number"):
        read(tmp_path, xml, name="nothing.xml")
