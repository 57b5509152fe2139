"""Sponsor lists split into Member States: "A, B and C", with names that contain "and"."""

from __future__ import annotations

from pathlib import Path

import pytest

from reslens.language.states import is_member_state, member_states, split_names
from reslens.sources.readers.akn import read_akn

FIXTURE = Path(__file__).parent / "fixtures" / "akn" / "mini_2999.xml"


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        (
            "United Kingdom of Great Britain and Northern Ireland and United States of America",
            ("United Kingdom of Great Britain and Northern Ireland", "United States of America"),
        ),
        (
            "Russian Federation and United States of America",
            ("Russian Federation", "United States of America"),
        ),
        ("Bosnia and Herzegovina", ("Bosnia and Herzegovina",)),
        ("Germany, Japan and Trinidad and Tobago", ("Germany", "Japan", "Trinidad and Tobago")),
        (
            "Saint Vincent and the Grenadines and Saint Kitts and Nevis",
            ("Saint Vincent and the Grenadines", "Saint Kitts and Nevis"),
        ),
        (
            "Uruguay and Bolivarian Republic of Venezuela",
            ("Uruguay", "Bolivarian Republic of Venezuela"),
        ),
        ("Antigua and Barbuda, France, and Togo", ("Antigua and Barbuda", "France", "Togo")),
        ("France, France and Ghana", ("France", "Ghana")),  # once each
        ("the African Union and Ghana", ("the African Union", "Ghana")),  # not a state: kept
        ("", ()),
    ],
)
def test_split_names(raw: str, names: tuple[str, ...]) -> None:
    assert split_names(raw) == names


def test_the_list_holds_the_193_member_states() -> None:
    canonical = set(member_states().values())
    assert len(canonical) == 193
    assert is_member_state("Türkiye") and is_member_state("Turkey")
    assert is_member_state("côte d'ivoire") and not is_member_state("Northern Ireland")


def test_the_akn_reader_splits_the_last_two_sponsors(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        'by="France, Ghana"',
        'by="France, United Kingdom of Great Britain and Northern Ireland and United States of '
        'America"',
    )
    path = tmp_path / "S_RES_2999_1.xml"
    path.write_text(text, encoding="utf-8")
    res = read_akn(path)
    assert res.sponsors == (
        "France",
        "United Kingdom of Great Britain and Northern Ireland",
        "United States of America",
        "Japan",
    )
