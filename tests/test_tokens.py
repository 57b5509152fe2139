"""The stemmer: PyStemmer's C build, giving the stems of the pure-Python Snowball stemmer."""

from __future__ import annotations

from reslens.language import tokens

WORDS = [
    "freezing",
    "freezes",
    "frozen",
    "children",
    "abduction",
    "abducted",
    "kidnapping",
    "peacekeepers",
    "trafficking",
    "traffickers",
    "organizations",
    "organisations",
    "côte",
    "d'ivoire",
    "requests",
    "requested",
    "reaffirms",
    "reaffirming",
    "decides",
    "decided",
    "urges",
    "strongly",
    "calls",
    "upon",
    "generalizations",
    "running",
    "sexual",
    "violence",
    "humanitarian",
    "unimpeded",
    "2331",
    "op21",
    "à",
    "être",
]


def test_the_fast_stemmer_is_pystemmer() -> None:
    assert type(tokens._stemmer()).__module__ == "Stemmer"


def test_pystemmer_gives_the_pure_python_stems() -> None:
    from snowballstemmer.english_stemmer import EnglishStemmer  # type: ignore[import-untyped]

    slow = EnglishStemmer()
    for word in WORDS:
        word = word.lower()
        assert tokens.stem(word) == slow.stemWord(word), word
