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
from reslens.analysis.redline import redline
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

DATE = "2026-03-04T05:06:07Z"
AUTHOR = "Ana María"


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Three written files and their LibreOffice conversions (one soffice run)."""
    soffice = find_soffice()
    if soffice is None:
        reason = "LibreOffice (soffice) is not installed: scripts/install_libreoffice.sh"
        if os.environ.get("RESLENS_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(f"{reason} (RESLENS_REQUIRE_LIBREOFFICE=1)")
        pytest.skip(reason)
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
