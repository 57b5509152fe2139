"""A real client opens the .docx files reslens writes: LibreOffice (headless) converts each to
flat ODF, and the tracked changes and comments it lists are the ones written — same count,
order, kind, text, author and date.

Marked ``libreoffice``: skipped when ``soffice`` is missing, unless
RESLENS_REQUIRE_LIBREOFFICE=1 (CI sets it; ``scripts/install_libreoffice.sh`` installs Debian's
``libreoffice-writer-nogui``), in which case a missing LibreOffice is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import reslens as rl
from reslens.analysis.precedents import parse_draft
from reslens.analysis.redline import redline
from reslens.sources.readers.docx import draft_text
from reslens.views.docx import redline_pieces, write_alignment, write_precedents, write_redline
from tests.docxcheck import (
    convert,
    docx_comments,
    docx_revisions,
    find_soffice,
    odf_comments,
    odf_links,
    odf_revisions,
)
from tests.test_docx import NEW, OLD, _alignment, _precedents

pytestmark = pytest.mark.libreoffice

#: A draft as LibreOffice keeps it: a numbered list with a sub-list, and two tracked changes
#: by two delegations (Encourages → Requests).
DRAFT_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <text:list-style style:name="L1">
   <text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"/>
   <text:list-level-style-number text:level="2" style:num-prefix="(" style:num-suffix=")"
    style:num-format="a"/>
  </text:list-style>
 </office:automatic-styles>
 <office:body><office:text>
  <text:tracked-changes>
   <text:changed-region text:id="c1"><text:insertion><office:change-info>
    <dc:creator>Delegation A</dc:creator><dc:date>2026-01-05T10:00:00</dc:date>
   </office:change-info></text:insertion></text:changed-region>
   <text:changed-region text:id="c2"><text:deletion><office:change-info>
    <dc:creator>Delegation B</dc:creator><dc:date>2026-01-06T10:00:00</dc:date>
   </office:change-info><text:p>Encourages</text:p></text:deletion></text:changed-region>
  </text:tracked-changes>
  <text:p>The Security Council,</text:p>
  <text:p>Recalling its resolution 2331 (2016),</text:p>
  <text:list text:style-name="L1">
   <text:list-item><text:p><text:change text:change-id="c2"/><text:change-start
    text:change-id="c1"/>Requests<text:change-end text:change-id="c1"/> the Secretary-General
    to improve the collection of data on trafficking in persons in armed conflict;</text:p>
   </text:list-item>
   <text:list-item>
    <text:p>Decides to establish a fund for reparations to victims of trafficking:</text:p>
    <text:list>
     <text:list-item><text:p>paid from the confiscated assets of traffickers;</text:p>
     </text:list-item>
     <text:list-item><text:p>administered by the Secretary-General;</text:p></text:list-item>
    </text:list>
   </text:list-item>
   <text:list-item><text:p>Decides to remain seized of the matter.</text:p></text:list-item>
  </text:list>
 </office:text></office:body>
</office:document>
"""

DATE = "2026-03-04T05:06:07Z"
AUTHOR = "Ana María"


def _soffice() -> str:
    soffice = find_soffice()
    if soffice is None:
        reason = "LibreOffice (soffice) is not installed: scripts/install_libreoffice.sh"
        if os.environ.get("RESLENS_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(f"{reason} (RESLENS_REQUIRE_LIBREOFFICE=1)")
        pytest.skip(reason)
    return soffice


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Three written files and their LibreOffice conversions (one soffice run)."""
    soffice = _soffice()
    root = tmp_path_factory.mktemp("libreoffice")
    kw = {"author": AUTHOR, "date": DATE}
    written = {
        "redline": write_redline(rl.redline(OLD, NEW), root / "redline.docx", **kw),  # type: ignore[arg-type]
        "alignment": write_alignment(_alignment(), root / "alignment.docx", **kw),  # type: ignore[arg-type]
        "precedents": write_precedents(_precedents(), root / "precedents.docx", **kw),  # type: ignore[arg-type]
    }
    out = convert(soffice, list(written.values()), root / "out", root / "profile")
    return {name: (path, out[path]) for name, path in written.items()}


@pytest.mark.parametrize("name", ["redline", "alignment", "precedents"])
def test_libreoffice_lists_the_revisions_written(
    converted: dict[str, tuple[Path, Path]], name: str
) -> None:
    docx, fodt = converted[name]
    written = docx_revisions(docx)
    listed = odf_revisions(fodt)
    assert written, "nothing was written as a tracked change"
    assert len(listed) == len(written)
    for (kind, author, _, text), (o_kind, o_author, o_date, o_text) in zip(
        written, listed, strict=True
    ):
        assert (o_kind, o_author, o_text) == (kind, author, text)
        assert o_author == AUTHOR and o_date.rstrip("Z") == DATE.rstrip("Z")


def test_the_redline_libreoffice_lists_is_the_redline_computed(
    converted: dict[str, tuple[Path, Path]],
) -> None:
    expected = [
        ("deletion" if tag == "delete" else "insertion", text)
        for tag, text in redline_pieces(redline(OLD, NEW).ops)
        if tag != "equal"
    ]
    listed = [(kind, text) for kind, _, _, text in odf_revisions(converted["redline"][1])]
    assert listed == expected
    assert ("deletion", "Encourages") in listed and ("insertion", "Requests all") in listed


def test_libreoffice_shows_every_comment_with_its_citation_and_link(
    converted: dict[str, tuple[Path, Path]],
) -> None:
    for name in ("alignment", "precedents"):
        docx, fodt = converted[name]
        assert odf_comments(fodt) == docx_comments(docx)
    comments = [text for _, text in odf_comments(converted["precedents"][1])]
    assert "S/RES/2319 (2016), preambular para. 1 [2319:pp1]" in comments[0]
    assert "https://digitallibrary.un.org/record/849915" in comments[0]
    assert "https://digitallibrary.un.org/record/849915" in odf_links(converted["precedents"][1])
    assert comments[2].startswith("No precedent")


def test_a_draft_saved_by_libreoffice_as_docx_reads_with_its_numbers_and_changes(
    tmp_path: Path,
) -> None:
    source = tmp_path / "draft.fodt"
    source.write_text(DRAFT_FODT, encoding="utf-8")
    draft = convert(_soffice(), [source], tmp_path, tmp_path / "profile", to="docx")[source]
    accepted = [(x.label, x.text[:24]) for x in rl.read_docx(draft)]
    assert accepted == [
        (None, "The Security Council,"),
        (None, "Recalling its resolution"),
        ("1.", "Requests the Secretary-G"),
        ("2.", "Decides to establish a f"),
        ("(a)", "paid from the confiscate"),
        ("(b)", "administered by the Secr"),
        ("3.", "Decides to remain seized"),
    ]
    rejected = rl.read_docx(draft, changes="reject")
    assert rejected[2].label == "1." and rejected[2].text.startswith("Encourages the Secretary")
    text = draft_text(rl.read_docx(draft))
    assert [p.number for p in parse_draft(text)] == ["pp1", "1", "2", "3"]
