"""The whole real corpus built into a store: counts per source, spot checks from every era."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import reslens as rl
from reslens.index.build import BuildReport, build
from reslens.views.cli import main

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def lib(real_build: tuple[Path, BuildReport]) -> rl.Library:
    return rl.open(real_build[0])


def test_counts_per_source(lib: rl.Library) -> None:
    cov = lib.coverage()
    assert len(cov.by_source["akn"]) == 1538  # 1542 English files less 4 duplicates
    assert len(cov.by_source["crunsc"]) == 898  # 902 files less 542/778 (wrong text) and 1445/1454
    assert cov.by_source["crunsc"][0] == 1 and cov.by_source["akn"][-1] == 2825
    for language in ("fr", "es", "ru", "ar", "zh", "de"):
        assert cov.languages[language] > 200
    # the known gaps are reported, never filled
    assert set(range(900, 1285)) - {902} <= set(cov.missing)
    assert {2510, 2589, 2762} <= set(cov.missing)
    assert cov.other_languages_only[2510] == ["ar", "es", "fr", "ru", "zh"]


def test_problems_and_duplicates_are_the_known_ones(lib: rl.Library) -> None:
    cov = lib.coverage()
    statements = [(p, k, m) for p, k, m in cov.problems if "/PRST/" in p and k != "metadata"]
    names = sorted(
        Path(p).name for p, kind, _ in cov.problems if "/PRST/" not in p and kind != "metadata"
    )
    assert names == [
        "S_PRST_2020_11.xml",  # a presidential statement filed among the resolutions
        "S_RES_0542_1983_EN_GOLD.txt",  # holds the text of 538
        "S_RES_0778_1992_EN_GOLD.txt",  # holds the text of 773
    ]
    # 119 statements of 2000-2009 are not well-formed XML (their title's <p><docTitle> was
    # typed as an unclosed <paragraph>): each is a problem of its own, the rest goes in
    assert len(statements) == 119
    assert {k for _, k, _ in statements} == {"unreadable"}
    assert all("Opening and ending tag mismatch: paragraph" in m for _, _, m in statements)
    assert {int(p.split("/PRST/")[1][:4]) for p, _, _ in statements} == set(range(2000, 2010))
    # metadata that contradicts its document (issue 13), by field, with the reason of each:
    found: dict[str, set[tuple[int, str]]] = {}
    for _, kind, message in cov.problems:
        if kind == "metadata":
            field, symbol = message.split(": ", 2)[:2]
            if not symbol.startswith("S/RES/"):
                continue  # a statement's, checked below
            number, language = int(symbol.split("/")[2].split()[0]), symbol[-3:-1]
            found.setdefault(field, set()).add((number, language))
    assert cov.metadata == {"date": 4, "meeting": 2, "symbol": 35, "title": 48, "vote": 22}
    # a presidential statement's file whose docNumber is a resolution's: the statement's own
    # symbol (file name, cover) kept, the disagreement reported
    assert any(
        kind == "metadata" and "S/PRST/2007/22" in message and "S/RES/1626 (2005)" in message
        for _, kind, message in cov.problems
    )
    # symbol: 30 translations made from a copy of another resolution's file print its symbol
    # (the cover title and the file name win), 4 print the wrong year (the cover title and the
    # adoption date win); 3 of the 34 are copies filed under two years, set aside
    assert {language for _, language in found["symbol"]} == {"de", "es", "fr"}
    assert {(2510, "fr"), (2510, "es"), (2578, "de"), (2816, "de"), (2574, "de")} <= found["symbol"]
    # title: the UN's records of 12 resolutions open their title with another number or year;
    # the title of each language version is corrected
    titled = {number for number, language in found["title"] if language == "en"}
    assert titled == {1771, 1831, 1839, 2132, 2183, 2316, 2663, 2667, 2674, 2729, 2742, 2803}
    # date: 1609 marked up as adopted on 22 June 2005 but printed and issued on 24 June (the
    # record's date, kept); the record of 2423 (2018) says 29 June 2016 (the document's date
    # kept); the French 2655 and the German 2740 print an adoption date their date of issue
    # and the record contradict
    assert found["date"] == {(1609, "en"), (2423, "en"), (2655, "fr"), (2740, "de")}
    # meeting: the French 2632 and the Arabic 2725 print another meeting number than the
    # record (and the other languages); the document's kept, reported
    assert found["meeting"] == {(2632, "fr"), (2725, "ar")}
    set_aside = {Path(p).name for p, _ in cov.duplicates}
    for number in (2193, 2194, 2195):
        assert any(f"_{number}_" in name for name in set_aside)
        assert "/2014/" in lib.resolution(number).source_path  # kept under its own year
    assert "S_RES_2464 (2019)-1906112E.xml" in set_aside


def test_metadata_is_checked_against_the_documents(lib: rl.Library) -> None:
    """Issue 13, on the whole corpus (before: 12 English titles naming another resolution, 16
    English resolutions since 2000 without a title, 102 without a link; 650 of all rows)."""
    import re

    rows = lib.store.conn.execute(
        "SELECT number, year, language, title, url FROM resolutions WHERE document = 'resolution'"
    ).fetchall()
    lead = re.compile(r"Security Council resolution (\d+)(?: \((\d{4})\))?")
    other = [
        (n, lang)
        for n, y, lang, title, _ in rows
        if title
        and (m := lead.match(title))
        and (int(m.group(1)) != n or (m.group(2) and int(m.group(2)) != y))
    ]
    assert other == []
    assert [n for n, _, lang, title, _ in rows if lang == "en" and n >= 1285 and not title] == []
    assert [n for n, _, _, _, url in rows if not url] == []
    res = lib.resolution(2729)
    assert res.title is not None and res.title.startswith("Security Council resolution 2729 (2024)")
    assert res.url == "https://undocs.org/S/RES/2729(2024)"
    assert lib.resolution(2820).title == "Resolution 2820 (2026)"  # the document's heading
    assert lib.resolution(2331).url == "https://digitallibrary.un.org/record/853237"
    assert (lib.resolution(1609).date, lib.resolution(2423).date) == ("2005-06-24", "2018-06-28")
    # symbol links: 650 resolutions without a record, the 640 statements and 132 drafts
    links = {"digital library": 3572, "symbol link": 650 + 640 + 132, "none": 0}
    assert lib.coverage().links == links


def test_votes_are_ones_a_council_could_cast(lib: rl.Library) -> None:
    """Counts against the names listed and the Council's size (every language: 22 rows)."""
    rows = lib.store.conn.execute(
        "SELECT number, year, language, votes FROM resolutions WHERE document = 'resolution'"
    ).fetchall()
    for number, year, _, votes in rows:
        counts = json.loads(votes)["counts"]
        assert counts is None or sum(counts) <= (15 if year >= 1966 else 11), number
    assert lib.resolution(1559).vote_counts == (9, 0, 6)  # stored 15-0-0 over 6 abstainers
    assert lib.resolution(2521).vote_counts == (12, 0, 3)  # stored 15-0-3
    assert lib.resolution(498).vote_counts is None  # "73 votes" in the 1981 text
    # German files name every member in favour and the abstaining ones again, under 15-0-0
    assert lib.resolution(2780, "de").vote_counts == lib.resolution(2780).vote_counts == (13, 0, 2)
    assert "CÔTE D'IVOIRE" in lib.resolution(2403).votes_for


def test_2331(lib: rl.Library) -> None:
    res = lib.resolution("S/RES/2331 (2016)")
    assert len(res.operative()) == 24
    assert res.date == "2016-12-20" and res.agenda_item and res.vote_counts == (15, 0, 0)
    p2 = lib.paragraph("2331 OP2")
    assert p2.intro == "Calls upon Member States:"
    assert [p.label for p in p2.points] == ["(a)", "(b)", "(c)", "(d)"]
    p21 = lib.paragraph("S/RES/2331 (2016), para. 21")
    assert [(v.lemma, v.strength) for v in p21.verbs] == [
        ("invites", 3),
        ("requests", 4),
        ("requests", 4),
    ]
    assert "Secretary-General" in p21.addressees
    pp6 = lib.paragraph("2331:pp6")
    assert [c.number for c in pp6.citations] == [2195, 2253, 2242]


def test_2388_and_its_citation_of_2331(lib: rl.Library) -> None:
    res = lib.resolution(2388)
    assert len(res.operative()) == 35
    cited = {c.number for p in res.paragraphs for c in p.citations}
    assert 2331 in cited


@pytest.mark.parametrize(
    ("ref", "start", "lemma"),
    [
        ("242:1", "Affirms that the fulfilment of Charter principles", "affirms"),
        ("660:2", "Demands that Iraq withdraw immediately", "demands"),
        (
            "678:2",
            "Authorizes Member States co-operating with the Government of Kuwait",
            "authorizes",
        ),
        ("32:2", "Calls upon the Government of the Netherlands", "calls upon"),
    ],
)
def test_spot_checks_1946_1993(lib: rl.Library, ref: str, start: str, lemma: str) -> None:
    para = lib.paragraph(ref)
    assert para.text.startswith(start)
    assert para.verbs[0].lemma == lemma and para.verbs[0].source == "detected"
    assert "\n" not in para.text and "para-" not in para.text


def test_1946_1993_dates_and_preambles(lib: rl.Library) -> None:
    res = lib.resolution(242)
    assert res.date == "1967-11-22" and len(res.preambular()) == 3
    assert lib.resolution(678).preambular()[0].citations  # "Recalling ... its resolutions 660 ..."


def test_second_build_reads_nothing(real_build: tuple[Path, BuildReport], corpus_dir: Path) -> None:
    index, first = real_build
    assert first.read == first.files and first.seconds > 0
    again = build(corpus_dir, index, vectors=False)
    assert again.read == 0 and again.unchanged == first.files


def test_cli_show_on_the_real_index(real_build: tuple[Path, BuildReport]) -> None:
    result = CliRunner().invoke(main, ["show", "2331:21", "--index", str(real_build[0])])
    assert result.exit_code == 0, result.output
    assert "S/RES/2331 (2016), para. 21 — adopted 2016-12-20" in result.output
    assert "requests further (requests: request, 4)" in result.output


def test_seed_ingest_is_set_aside_behind_the_akn_text(
    real_build: tuple[Path, BuildReport], seed_dir: Path, tmp_path: Path
) -> None:
    import shutil

    index = tmp_path / "index"
    shutil.copytree(real_build[0], index)
    seed = seed_dir / "S_RES_2331_2016_page8_pdf_extract.txt"
    result = CliRunner().invoke(main, ["ingest", str(seed), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "kept from unxml-scresolutions/Pre-2020/2016/" in result.output
    result = CliRunner().invoke(
        main, ["ingest", str(seed), "--number", "1000", "--year", "1995", "--index", str(index)]
    )
    assert "added S/RES/1000 (1995): 4 operative" in result.output
    para = rl.open(index).paragraph("1000:23")
    assert "Council-mandated" in para.text and "prevent and counter" in para.text
