"""Query expansion by pseudo-relevance feedback: users write "kidnap", "peace deal", "drones";
the Council writes "abduction", "peace agreement", "unmanned aerial systems". The first
semantic hits of a query usually speak the Council's language, so they are read as feedback:

- the **semantic side** searches again with the query vector moved towards the mean of the
  first ``FEEDBACK`` hits' best passages (Rocchio: ``q' = unit(q + BETA · mean)``), which
  finds the many near-repeats of a paragraph across yearly resolutions;
- the **lexical side** adds to the query's own stems the ``TERMS`` stems that weigh most
  (summed BM25 weight) in those hits and occur in at least two of them, each with a weight of
  at most ``GAMMA`` of an original word.

By default (``expand=None``) only short queries of the semantic and hybrid modes are
expanded — at most ``SHORT_QUERY`` words that are not stop words: a plain-language question
is short and lacks the Council's words; a pasted paragraph already has them, and feedback
only blurs it (on the 200 paragraph-length queries of ``bench/eval/pairs.jsonl``, expanding
every query took hybrid recall@10 from 0.985 to 0.975).

No rule names a query or a theme: everything comes from the corpus and the query's own hits.
The constants were chosen on the odd-numbered queries of ``bench/eval/plain_queries.jsonl``
and are reported on the even ones (``bench/eval_plain.py``).
"""

from __future__ import annotations

import numpy as np

from reslens.language.tokens import words
from reslens.linalg import unit

#: Queries of at most this many words (stop words left out) are expanded by default.
SHORT_QUERY = 12
#: Semantic hits read as feedback.
FEEDBACK = 5
#: Weight of the feedback centroid added to the query vector.
BETA = 0.6
#: Expansion stems added to a lexical query, and the weight of the strongest.
TERMS = 10
GAMMA = 0.6


def feedback_vector(
    query: np.ndarray, passages: np.ndarray, beta: float | None = None
) -> np.ndarray:
    """The query vector moved towards the mean of the feedback passages' vectors (by
    ``beta``, default :data:`BETA`)."""
    if len(passages) == 0:
        return np.asarray(query, dtype=np.float32)
    weight = BETA if beta is None else beta
    return np.asarray(unit(query + weight * passages.mean(axis=0)), dtype=np.float32)


def wanted(query: str, expand: bool | None, mode: str = "hybrid") -> bool:
    """Whether ``query`` is expanded: as ``expand`` says, or (None) when it is short and the
    mode has a semantic side (a lexical search stays lexical, without loading vectors, unless
    asked).

    Examples:
        >>> wanted("kidnapped schoolgirls", None), wanted("kidnapped schoolgirls", False)
        (True, False)
        >>> wanted("kidnapped schoolgirls", None, "lexical")
        False
    """
    if expand is not None:
        return expand
    return mode != "lexical" and len(words(query)) <= SHORT_QUERY
