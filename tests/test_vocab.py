"""Unit tests of the corpus vocabulary and its repair decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from reslens.errors import SourceError
from reslens.language.vocab import Vocabulary, tokenize


def test_counts_are_case_insensitive_and_hyphen_parts_counted() -> None:
    vocab = Vocabulary.from_texts(["The Secretary-General", "the secretary-general and THE"])
    assert vocab.count("the") == 3
    assert vocab.count("SECRETARY-GENERAL") == 2
    assert vocab.count("general") == 2
    assert vocab.prefix_count("secretary") == 2
    assert "Secretary" in vocab
    assert "nothing" not in vocab
    assert vocab.pair_count("the", "secretary-general") == 2
    assert vocab.pair_count("general", "the") == 0  # never across two texts


def test_tokenize_keeps_compounds_and_drops_numbers() -> None:
    assert tokenize("post-conflict 2016 Council’s S/RES") == [
        "post-conflict",
        "council's",
        "s",
        "res",
    ]


def test_save_load_roundtrip(tmp_path: Path) -> None:
    vocab = Vocabulary.from_texts(["to prevent post-conflict violence", "to prevent it"])
    path = tmp_path / "vocab.tsv"
    vocab.save(path)
    assert path.read_text(encoding="utf-8").startswith("# reslens vocabulary v1\n")
    loaded = Vocabulary.load(path)
    for word in ("to", "prevent", "post-conflict", "post-", "conflict"):
        assert loaded.count(word) == vocab.count(word)
    assert loaded.pair_count("to", "prevent") == 2
    assert len(loaded) == len(vocab)


@pytest.mark.parametrize("content", ["", "word\t3\n", "# reslens vocabulary v1\nword\tthree\n"])
def test_load_rejects_bad_files(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError, match=r"bad\.tsv"):
        Vocabulary.load(path)


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"missing\.tsv"):
        Vocabulary.load(tmp_path / "missing.tsv")


def test_line_hyphen_rules() -> None:
    vocab = Vocabulary.from_texts(
        ["paragraph paragraph Secretary-General co-operation cooperation December " * 2]
        + ["December"] * 20
        + ["Decem-ber self-determination"]
    )
    assert vocab.join_line_hyphen("para", "graph") == "paragraph"
    assert vocab.join_line_hyphen("Secretary", "General") == "Secretary-General"
    assert vocab.join_line_hyphen("co", "operation") == "co-operation"  # both known, similar
    assert vocab.join_line_hyphen("Decem", "ber") == "December"  # 22 against a stray 1
    assert vocab.join_line_hyphen("self", "sufficiency") == "self-sufficiency"  # known prefix
    assert vocab.join_line_hyphen("implementa", "tion") == "implementation"  # syllable


def test_glued_hyphen() -> None:
    vocab = Vocabulary.from_texts(["Council-mandated missions and Council-mandated operations"])
    assert vocab.fix_glued_hyphen("Councilmandated") == "Council-mandated"
    assert vocab.fix_glued_hyphen("missions") is None  # known word: left alone
    assert vocab.fix_glued_hyphen("Unheardofword") is None


def test_should_join_fragments_but_not_real_pairs() -> None:
    text = "came into the room; went into the city; a round of talks; prevent it; for the people"
    vocab = Vocabulary.from_texts(
        [text] * 5 + ["in the room; to the city; a cat; in it; to it"] * 50
    )
    assert vocab.should_join("to", "preve", "nt", "it")  # a fragment is no word
    assert not vocab.should_join("came", "in", "to", "the")  # both words, pair plausible
    assert not vocab.should_join("for", "a", "round", "of")  # "around" never seen
