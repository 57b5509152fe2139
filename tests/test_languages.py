"""Language versions on a hand-written resolution in English, Arabic, Chinese and French: the
Arabic numbering read, versions of a paragraph, alignment and its mismatches, lexical search of
Chinese and Arabic (trigram table and the short-query fallback), the CLI, the precedents report
in French and the search widget's versions tab."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("faiss")

import reslens as rl
from reslens.errors import RefError
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.store.versions import MISMATCH_COLUMNS, Version, align_versions
from reslens.views.cli import main
from reslens.views.html import versions_html
from tests.minicorpus import AKN_NS, write_corpus

NUMBER, YEAR, DATE = 2700, 2023, "2023-03-01"

#: language → (AKN code, folder, preambular paragraph, operative paragraphs, number format);
#: an operative paragraph is (text, [sub-point (label, text)]).
TEXTS: dict[str, tuple[str, str, str, list[tuple[str, list[tuple[str, str]]]], str]] = {
    "en": (
        "eng",
        "English",
        "Recalling its primary responsibility for peace and security,",
        [
            (
                "Demands a ceasefire and requests the Secretary-General to report:",
                [("(a)", "on the security of civilians;"), ("(b)", "on humanitarian access;")],
            ),
            ("Calls upon all parties to protect women and children;", []),
            ("Decides to remain seized of the matter.", []),
        ],
        "{}.",
    ),
    "fr": (
        "fra",
        "French",
        "Rappelant qu’il a la responsabilité principale du maintien de la paix,",
        [
            (
                "Exige un cessez-le-feu et prie le Secrétaire général de lui faire rapport :",
                [("a)", "sur la sécurité des civils et l’accès humanitaire;")],
            ),
            ("Demande à toutes les parties de protéger les femmes et les enfants;", []),
            ("Décide de rester saisi de la question.", []),
        ],
        "{}.",
    ),
    "zh": (
        "zho",
        "Chinese",
        "回顾其维护国际和平与安全的首要责任，",
        [
            (
                "要求停火，请秘书长报告：",
                [("(a)", "平民的安全；"), ("(b)", "人道主义准入；")],
            ),
            ("促请所有各方保护妇女和儿童；", []),
            ("决定继续处理此案。", []),
        ],
        "{}.",
    ),
    "ar": (
        "ara",
        "Arabic",
        "إذ يشير إلى مسؤوليته الرئيسية عن صون السلام والأمن الدوليين،",
        [
            (
                "يطالب بوقف إطلاق النار ويطلب إلى الأمين العام أن يقدم تقريرا:",
                [("(أ)", "عن سلامة المدنيين؛"), ("(ب)", "عن وصول المساعدات الإنسانية؛")],
            ),
            ("يهيب بجميع الأطراف حماية النساء والأطفال والأمن؛", []),
        ],
        "{} -",
    ),
}


def _akn(lang: str) -> str:
    code, _, pre, ops, num = TEXTS[lang]
    body = []
    eid = 10
    for i, (text, points) in enumerate(ops, 1):
        body.append(
            f'<paragraph eId="para_{eid}"><num>{num.format(i)}</num>'
            f"<content><p>{text}</p></content></paragraph>"
        )
        for label, point in points:  # sub-points as top-level paragraphs, as the UN files do
            eid += 1
            body.append(
                f'<paragraph eId="para_{eid}"><num>{label}</num>'
                f"<content><p>{point}</p></content></paragraph>"
            )
        eid += 1
    return f"""<akomaNtoso xmlns="{AKN_NS}"><statement name="resolution"><meta>
<identification source="#DGACM"><FRBRWork>
<FRBRthis value="/akn/un/statement/deliberation/unsc/{DATE}/{NUMBER}-{YEAR}/!main/"/>
<FRBRdate date="{DATE}" name="adoption"/></FRBRWork>
<FRBRExpression><FRBRlanguage language="{code}"/></FRBRExpression></identification></meta>
<coverPage><p><docNumber refersTo="#symbol">S/RES/{NUMBER} ({YEAR})</docNumber></p></coverPage>
<preamble><formula name="enactingFormula"><p>The Security Council,</p></formula>
<container name="p" eId="container_2"><p>{pre}</p></container></preamble>
<mainBody>{"".join(body)}</mainBody></statement></akomaNtoso>"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("languages")
    corpus = write_corpus(root / "corpus")
    for lang, (_, folder, *_rest) in TEXTS.items():
        target = corpus / "unxml-scresolutions" / str(YEAR) / folder
        target.mkdir(parents=True)
        suffix = lang[0].upper()
        (target / f"S_RES_{NUMBER}_2300001{suffix}.xml").write_text(_akn(lang), encoding="utf-8")
    build(corpus, root / "index", workers=1, embedder=FakeEmbedder())
    return root / "index"


@pytest.fixture(scope="module")
def lib(index: Path) -> rl.Library:
    return rl.open(index, embedder=FakeEmbedder())


def test_arabic_numbers_and_letters_are_read(lib: rl.Library) -> None:
    arabic = lib.resolution(NUMBER, "ar")
    assert [p.key for p in arabic.operative()] == [f"{NUMBER}:op1@ar", f"{NUMBER}:op2@ar"]
    assert [pt.label for pt in arabic.operative()[0].points] == ["(أ)", "(ب)"]


def test_versions_english_first_then_the_un_order(lib: rl.Library) -> None:
    versions = lib.versions(f"S/RES/{NUMBER} ({YEAR}), para. 1")
    assert list(versions) == ["en", "ar", "zh", "fr"]
    assert versions["fr"].key == f"{NUMBER}:op1@fr" and "cessez-le-feu" in versions["fr"].text
    assert list(lib.versions(f"{NUMBER}:op3")) == ["en", "zh", "fr"]  # not in the Arabic text


def test_paragraph_in_a_language(lib: rl.Library) -> None:
    assert lib.paragraph(f"{NUMBER}:op2", language="zh").key == f"{NUMBER}:op2@zh"
    assert lib.paragraph(f"{NUMBER}:op2@zh", language="zh").key == f"{NUMBER}:op2@zh"
    with pytest.raises(RefError, match="@fr"):
        lib.paragraph(f"{NUMBER}:op2@fr", language="de")
    with pytest.raises(rl.NotFoundError):
        lib.paragraph(f"{NUMBER}:op3", language="ar")


def test_alignment_reports_what_differs(lib: rl.Library) -> None:
    alignment = lib.language_alignment(NUMBER)
    assert alignment.languages == ("en", "ar", "zh", "fr") and alignment.reference == "en"
    found = [(m.paragraph, m.language, m.issue) for m in alignment.mismatches]
    assert found == [(f"{NUMBER}:op3", "ar", "missing"), (f"{NUMBER}:op1", "fr", "sub-points")]
    assert "en: 2 sub-points; fr: 1 sub-point" in alignment.mismatches[1].detail
    table = alignment.to_frame()
    columns = ["paragraph", "kind", "number", "citation", "en", "ar", "zh", "fr", "url"]
    assert list(table.columns) == columns
    op3 = table[table["paragraph"] == f"{NUMBER}:op3"].iloc[0]
    assert op3["en"] == 0 and op3.isna()["ar"]
    assert op3["citation"] == f"S/RES/{NUMBER} ({YEAR}), para. 3"
    assert lib.coverage().versions == {"resolutions": 1, "with_mismatches": 1, "ar": 1, "fr": 1}
    everywhere = lib.language_mismatches()
    assert set(everywhere["resolution"]) == {NUMBER}
    assert list(everywhere.columns) == ["resolution", *MISMATCH_COLUMNS]
    assert MISMATCH_COLUMNS == ["paragraph", "citation", "language", "issue", "detail", "url"]
    french = everywhere[everywhere["language"] == "fr"].iloc[0]
    assert french["citation"] == f"S/RES/{NUMBER} ({YEAR}), para. 1"
    assert french["url"] == lib.resolution(NUMBER, "fr").url


def test_alignment_order_and_extra() -> None:
    en = [Version("1:op1", "operative", "1", 0, ()), Version("1:op2", "operative", "2", 1, ())]
    de = [
        Version("1:op2@de", "operative", "2", 0, ()),
        Version("1:op1@de", "operative", "1", 1, ()),
        Version("1:op3@de", "operative", "3", 2, ()),
    ]
    found = align_versions(1, {"de": de, "en": en}).mismatches
    assert [(m.paragraph, m.issue) for m in found] == [("1:op3", "extra"), ("1:op2", "order")]


@pytest.mark.parametrize(
    ("query", "language", "paragraph"),
    [
        ("停火", "zh", "op1"),  # two characters: below a trigram, found by LIKE
        ("秘书长", "zh", "op1"),  # three: the trigram table
        ("妇女 儿童", "zh", "op2"),
        ("الأمن", "ar", "op2"),  # inside والأمن: unicode61 finds only the bare word
        ("الأمين العام", "ar", "op1"),
        ("cessez-le-feu", "fr", "op1"),
    ],
)
def test_lexical_search_in_chinese_and_arabic(
    lib: rl.Library, query: str, language: str, paragraph: str
) -> None:
    hits = lib.search(query, k=3, language=language, mode="lexical")
    assert hits.iloc[0]["key"] == f"{NUMBER}:{paragraph}@{language}"
    # hybrid falls back to lexical for a language without vectors
    assert lib.search(query, k=3, language=language).iloc[0]["key"] == hits.iloc[0]["key"]


def test_unicode61_alone_finds_no_chinese_word(lib: rl.Library) -> None:
    count = lib.store.conn.execute(
        "SELECT COUNT(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH '\"停火\"'"
    ).fetchone()[0]
    assert count == 0  # why the trigram table exists
    hits = lib.search("停火", k=3, language="zh", mode="lexical")
    assert "[停火]" in hits.iloc[0]["highlight"]


def test_cli_show_all_languages(index: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["show", f"{NUMBER}:1", "--lang", "all", "--index", str(index)])
    assert out.exit_code == 0, out.output
    tags = [line.split()[0] for line in out.output.splitlines() if line.startswith("[")]
    assert tags == ["[en]", "[ar]", "[zh]", "[fr]"]
    assert "(ب) عن وصول المساعدات الإنسانية" in out.output
    rows = json.loads(
        runner.invoke(
            main, ["show", f"{NUMBER}:1", "--lang", "all", "-f", "json", "--index", str(index)]
        ).output
    )
    assert [r["language"] for r in rows] == ["en", "ar", "zh", "fr"]
    assert {r["citation"] for r in rows} == {f"S/RES/{NUMBER} ({YEAR}), para. 1"}
    assert all("url" in r for r in rows)
    whole = runner.invoke(main, ["show", str(NUMBER), "--lang", "all", "--index", str(index)])
    assert "1 missing, 1 sub-points" in whole.output


def test_cli_languages_and_coverage(index: Path) -> None:
    runner = CliRunner()
    one = runner.invoke(main, ["languages", str(NUMBER), "--index", str(index)])
    assert one.exit_code == 0, one.output
    assert f"{NUMBER}:op3" in one.output and "missing" in one.output
    table = runner.invoke(
        main, ["languages", str(NUMBER), "--show", "paragraphs", "-f", "csv", "--index", str(index)]
    )
    assert table.output.splitlines()[0] == "paragraph,kind,number,citation,en,ar,zh,fr,url"
    every = runner.invoke(main, ["languages", "--index", str(index)])
    assert "1 resolutions in several languages, 1 with differences" in every.output
    cov = runner.invoke(main, ["coverage", "--index", str(index)])
    assert "Language versions: 1 resolutions in several languages, 1 with" in cov.output


def test_precedents_in_french(lib: rl.Library, index: Path, tmp_path: Path) -> None:
    draft = (
        "1. Demands a ceasefire and requests the Secretary-General to report:\n"
        "2. Requests the Secretary-General to report on trafficking in persons in armed "
        "conflict;\n"
    )
    result = lib.precedents(draft, k=1, language="fr")
    rows = result.table.set_index("draft")
    assert rows.loc["1", "version_key"] == f"{NUMBER}:op1@fr"
    assert "cessez-le-feu" in rows.loc["1", "version_text"]
    assert rows.loc["2", "key"] == "2001:op1" and rows.isna().loc["2", "version_key"]
    html = result.to_html()
    assert "cessez-le-feu" in html and "No fr text of S/RES/2001 (2010)" in html
    assert lib.precedents(draft, k=1).table["version_key"].isna().all()  # English: no column data
    path = tmp_path / "draft.txt"
    path.write_text(draft, encoding="utf-8")
    out = CliRunner().invoke(
        main, ["precedents", str(path), "--lang", "fr", "-k", "1", "--index", str(index)]
    )
    assert out.exit_code == 0, out.output
    assert f"fr: [{NUMBER}:op1@fr] Exige un cessez-le-feu" in out.output
    assert "fr: no fr text of S/RES/2001 (2010)" in out.output


def test_versions_html_is_escaped_and_marks_direction(lib: rl.Library) -> None:
    html = versions_html(lib.versions(f"{NUMBER}:op2"))
    assert 'lang="ar" dir="rtl"' in html and 'lang="fr" dir="ltr"' in html
    hostile = lib.versions(f"{NUMBER}:op2")["en"]
    import dataclasses

    fake = dataclasses.replace(hostile, text="<script>alert(1)</script>")
    assert "<script>" not in versions_html({"en": fake})


def test_search_widget_shows_versions(lib: rl.Library) -> None:
    pytest.importorskip("ipywidgets")
    from reslens.widgets import SearchWidget

    view = SearchWidget(lib, debounce=0)
    view.open(f"{NUMBER}:op1")
    assert (
        "cessez-le-feu" in view.versions_html.value and "[2700:op1@zh]" in view.versions_html.value
    )
