"""Tests of reslens.index.passages.split_passages."""

from __future__ import annotations

import random

import pytest

from reslens.index.passages import split_passages

INTRO = "Calls upon Member States:"
POINTS = [
    "(a) That have not yet done so, to consider ratifying the Convention against "
    "Transnational Organized Crime and its Protocol on trafficking in persons;",
    "(b) To take decisive and immediate action to prevent, criminalize, investigate and "
    "prosecute those who engage in trafficking in persons;",
    "(c) To strengthen international cooperation, including mutual legal assistance;",
]


def _words(passages: list[str]) -> set[str]:
    return {w for p in passages for w in p.split()}


def test_short_paragraph_is_one_passage() -> None:
    assert split_passages("  Decides to remain\n seized of the matter. ") == [
        "Decides to remain seized of the matter."
    ]
    assert split_passages("") == []


def test_long_paragraph_split_by_points_with_intro() -> None:
    text = " ".join([INTRO, *POINTS])
    passages = split_passages(text, points=POINTS, max_words=30, overlap_words=5)
    assert len(passages) == 3
    assert all(p.startswith(INTRO) for p in passages)
    assert passages[1] == f"{INTRO} {POINTS[1]}"
    assert all(len(p.split()) <= 30 for p in passages)


def test_points_without_labels_and_grouping() -> None:
    text = " ".join([INTRO, *POINTS])
    bare = [p.split(" ", 1)[1] for p in POINTS]
    passages = split_passages(text, points=bare, max_words=40, overlap_words=5)
    assert passages[0] == f"{INTRO} {POINTS[0]}"
    # (b) and (c) fit together under 40 words with the intro; (a)+(b) do not
    assert passages[1] == f"{INTRO} {POINTS[1]} {POINTS[2]}"


def test_long_intro_is_its_own_passage() -> None:
    intro = "Recalling " + " ".join(f"word{i}" for i in range(20)) + ", decides:"
    text = " ".join([intro, *POINTS])
    passages = split_passages(text, points=POINTS, max_words=30, overlap_words=5)
    assert passages[0] == intro
    assert not passages[1].startswith("Recalling")


def test_sentence_windows_overlap() -> None:
    sentences = [f"Sentence {i} has exactly six words." for i in range(12)]
    passages = split_passages(" ".join(sentences), max_words=20, overlap_words=6)
    assert all(len(p.split()) <= 20 for p in passages)
    assert passages[0].startswith("Sentence 0") and passages[1].startswith("Sentence 2")
    assert passages[-1].endswith("Sentence 11 has exactly six words.")


def test_clause_longer_than_limit_is_cut_into_word_windows() -> None:
    text = " ".join(f"w{i}" for i in range(100))
    passages = split_passages(text, max_words=30, overlap_words=10)
    assert all(len(p.split()) <= 30 for p in passages)
    assert passages[1].split()[0] == "w20"
    assert _words(passages) == set(text.split())


def test_token_bound_is_respected() -> None:
    text = " ".join(["internationalization"] * 40 + ["is", "long."] * 10)

    def count(t: str) -> int:
        return sum(5 if len(w) > 10 else 1 for w in t.split())

    passages = split_passages(text, max_words=100, count_tokens=count, max_tokens=64)
    assert all(count(p) <= 64 for p in passages)
    assert " ".join(passages).count("internationalization") >= 40


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        split_passages("x", max_words=10, overlap_words=10)


def test_every_word_is_kept_property() -> None:
    rng = random.Random(2331)
    vocab = ["decides", "requests", "mission", "(a)", "(ii)", "a.", "–", "further;", "report."]
    vocab += ["Council:", "States,", "peace", "security", "x" * 30]
    for _ in range(300):
        n = rng.randint(0, 400)
        words = [rng.choice(vocab) + str(rng.randint(0, 9)) * rng.randint(0, 1) for _ in range(n)]
        words = [f"{w}#{i}" if rng.random() < 0.9 else w for i, w in enumerate(words)]
        text = " ".join(words)
        starts = sorted(rng.sample(range(1, n), min(rng.randint(0, 6), n - 1))) if n > 2 else []
        points = [" ".join(words[s : s + rng.randint(1, 12)]) for s in starts]
        if rng.random() < 0.2:
            points.append("not in the text at all")
        max_words = rng.randint(5, 120)
        overlap = rng.randint(0, max_words - 1)
        passages = split_passages(text, points=points, max_words=max_words, overlap_words=overlap)
        assert _words(passages) == set(words)
        assert all(len(p.split()) <= max_words for p in passages)
        assert all(w in text for p in passages for w in p.split())
        if n <= max_words:
            assert passages == ([text] if n else [])
