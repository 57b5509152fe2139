"""Unit tests of the verb lexicon and the obligation ladder (tiny inline fixtures)."""

from __future__ import annotations

import pytest

from reslens.language.lexicon import (
    LADDER,
    OFF_LADDER,
    STRENGTH_NAMES,
    Lexicon,
    family_of,
    lemmatize,
    normalize_phrase,
    strength_of,
)

TSV = (
    "phrase\tlemma\tkind\tcount\tfamily\tstrength\n"
    "requests\trequests\toperative\t10\trequest\t4\n"
    "recalling\trecalls\tpreambular\t8\tacknowledgement\t1\n"
    "aka\t\toperative\t3\t\t\n"
)


@pytest.mark.parametrize(
    ("phrase", "lemma"),
    [
        ("requests further", "requests"),
        ("further requests", "requests"),
        ("also requests", "requests"),
        ("Strongly condemns", "condemns"),
        ("calls upon", "calls upon"),
        ("calls on", "calls upon"),
        ("takes note", "takes note"),
        ("Taking note", "takes note"),
        ("expresses its deep concern", "expresses concern"),
        ("Recalling", "recalls"),
        ("Noting", "notes"),
        ("Stressing", "stresses"),
        ("Regretting", "regrets"),
        ("Emphasising", "emphasizes"),
        ("recognises", "recognizes"),
        ("Deeply concerned", "expresses concern"),
        ("Having considered", "considers"),
        ("reiterates its demand", "demands"),
        ("Bearing in mind", "bears in mind"),
        ("looks forward", "looks forward"),
        ("Acting", "acts"),
        ("and in this regard welcomes", "welcomes"),
        ("welcoming and encouraging", "welcomes"),
        ("description", ""),
        ("inter alia", ""),
    ],
)
def test_lemmatize(phrase: str, lemma: str) -> None:
    lex = Lexicon.load()
    assert lemmatize(phrase, "", lex.known) == lemma


def test_lemmatize_uses_following_words() -> None:
    assert lemmatize("calls", "upon all parties") == "calls upon"
    assert lemmatize("calls", "in this regard for the support") == "calls for"
    assert lemmatize("expresses", "its intention to review") == "expresses intention"
    assert lemmatize("expresses", "the hope that") == "expresses hope"


def test_normalize_phrase() -> None:
    assert normalize_phrase("  Requests\u00a0 further, ") == "requests further"
    assert normalize_phrase("re\u2010emphasizing") == "re-emphasizing"


def test_ladder_order_and_names() -> None:
    assert STRENGTH_NAMES[5] == "decision"
    assert strength_of("decides") > strength_of("requests") > strength_of("encourages")  # type: ignore[operator]
    assert strength_of("encourages") > strength_of("welcomes") > strength_of("notes")  # type: ignore[operator]
    assert strength_of("condemns") is None
    assert family_of("condemns") == "condemnation"
    assert strength_of("frobnicates") is None
    assert family_of("frobnicates") == ""


def test_every_family_is_named_or_off_ladder() -> None:
    for family, strength in LADDER.values():
        if strength is None:
            assert family in OFF_LADDER
        else:
            assert STRENGTH_NAMES[strength] == family


def test_classify_fills_verb() -> None:
    verb = Lexicon.load().classify("Further requests", position=7, source="detected")
    assert (verb.text, verb.lemma, verb.family, verb.strength) == (
        "Further requests",
        "requests",
        "request",
        4,
    )
    assert (verb.position, verb.source) == (7, "detected")


def test_classify_unknown() -> None:
    verb = Lexicon.load().classify("frobnicates wildly")
    assert verb.lemma == ""
    assert verb.strength is None


def test_from_tsv_small() -> None:
    lex = Lexicon.from_tsv(TSV)
    assert lex.lemma("Recalling") == "recalls"
    assert lex.lemma("aka") == ""
    assert lex.phrases("operative") == ["requests"]


def test_shipped_tsv_is_sorted_and_small() -> None:
    lex = Lexicon.load()
    counts = [e.count for e in lex.entries]
    assert counts == sorted(counts, reverse=True)
    assert len(lex.entries) > 500
    assert Lexicon.load() is lex  # cached
    # Every frequent lemma of the shipped data is on the ladder or off it with a reason.
    total = sum(counts)
    mass: dict[str, int] = {}
    for e in lex.entries:
        mass[e.lemma] = mass.get(e.lemma, 0) + e.count
    for lemma, n in mass.items():
        if lemma and n / total >= 0.001:
            family, strength = LADDER[lemma]
            assert strength is not None or family in OFF_LADDER
