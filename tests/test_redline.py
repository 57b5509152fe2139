"""Tests for reslens.analysis.redline: tokens, ops, verb changes and the three renderings."""

from __future__ import annotations

import html
import io
import itertools
import random
import re
from pathlib import Path

import pytest

from reslens.analysis.redline import Op, Redline, Token, detokenize, diff_ops, redline, tokenize
from reslens.models import Verb

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _old(r: Redline) -> str:
    return "".join(op.text for op in r.ops if op.tag != "insert")


def _new(r: Redline) -> str:
    return "".join(op.text for op in r.ops if op.tag != "delete")


def _check_invariants(r: Redline) -> None:
    assert _old(r) == r.a
    assert _new(r) == r.b
    tags = [op.tag for op in r.ops]
    assert all(op.text for op in r.ops), "no empty ops"
    assert all(x != y for x, y in itertools.pairwise(tags)), "neighbours share a tag"
    for x, y in itertools.pairwise(tags):
        assert (x, y) != ("insert", "delete"), "a replacement is delete then insert"
    assert 0.0 <= r.similarity <= 1.0


# ---------------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------------


def test_tokenize_words_numbers_punctuation() -> None:
    text = "Requests the Secretary-General, in the Council's name, to report on 2331 (2016)."
    assert tokenize(text) == [
        "Requests", "the", "Secretary-General", ",", "in", "the", "Council's", "name", ",",
        "to", "report", "on", "2331", "(", "2016", ")", ".",
    ]  # fmt: skip


def test_tokenize_curly_apostrophe_numbers_and_dashes() -> None:
    assert tokenize("missions’ staff — 1,000 troops; 2.5 per cent") == [
        "missions", "’", "staff", "—", "1,000", "troops", ";", "2.5", "per", "cent",
    ]  # fmt: skip
    assert tokenize("Council’s anti-money-laundering") == ["Council’s", "anti-money-laundering"]


def test_tokens_keep_their_spacing() -> None:
    tokens = tokenize("to  act\n(now) ")
    assert [t.space for t in tokens] == ["", "  ", "\n", "", "", " "]
    assert tokens[-1] == ""  # trailing whitespace is a final empty token
    assert all(isinstance(t, Token) for t in tokens)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Decides to remain seized of the matter.",
        "  leading and trailing  \n",
        "Calls upon Member States:\n(a)\tThat have not yet done so;\r\n(b) To act",
        "S/RES/2331 (2016), para. 21 — «quoted» … ½ 10%",
        "<script>alert(1)</script>",
    ],
)
def test_tokens_rebuild_the_exact_text(text: str) -> None:
    assert detokenize(tokenize(text)) == text


# ---------------------------------------------------------------------------------------------
# Ops
# ---------------------------------------------------------------------------------------------


def test_identical_texts_give_one_equal_op() -> None:
    text = "Decides to remain actively seized of the matter."
    r = redline(text, text)
    assert r.ops == (Op("equal", text),)
    assert r.similarity == 1.0
    assert not r.changed
    assert r.to_text() == text


def test_empty_texts() -> None:
    r = redline("", "")
    assert r.ops == ()
    assert r.similarity == 1.0
    r = redline("", "Decides")
    assert r.ops == (Op("insert", "Decides"),)
    assert r.similarity == 0.0


def test_pure_insertion() -> None:
    r = redline("Urges all parties to act", "Urges all parties to act immediately")
    assert r.ops == (Op("equal", "Urges all parties to act"), Op("insert", " immediately"))
    assert r.to_text() == "Urges all parties to act {+immediately+}"
    assert r.stats() == {"kept": 5, "deleted": 0, "inserted": 1}


def test_pure_deletion() -> None:
    r = redline("Urges all parties to act fully and immediately", "Urges all parties to act")
    assert r.ops == (
        Op("equal", "Urges all parties to act"),
        Op("delete", " fully and immediately"),
    )
    assert r.to_text() == "Urges all parties to act [-fully and immediately-]"


def test_replacement_is_delete_then_insert() -> None:
    r = redline("to submit a report by 31 December", "to submit a report by 30 November")
    assert r.ops == (
        Op("equal", "to submit a report by"),
        Op("delete", " 31 December"),
        Op("insert", " 30 November"),
    )
    assert r.stats() == {"kept": 5, "deleted": 2, "inserted": 2}


def test_plain_text_format_exact() -> None:
    r = redline(
        "Requests the Secretary-General to report by 31 December 2017;",
        "Further requests the Secretary-General to report orally by 30 November 2018;",
    )
    assert r.to_text() == (
        "[-Requests-]{+Further requests+} the Secretary-General to report {+orally+} by "
        "[-31 December 2017-]{+30 November 2018+};"
    )
    assert str(r) == r.to_text()


def test_stopword_island_between_changes_is_absorbed() -> None:
    r = redline("requests the report", "urges the council")
    assert r.ops == (Op("delete", "requests the report"), Op("insert", "urges the council"))
    # a punctuation island too
    r = redline("alpha , beta", "gamma , delta")
    assert r.to_text() == "[-alpha , beta-]{+gamma , delta+}"


def test_island_next_to_a_pure_insertion_or_deletion_is_kept() -> None:
    assert redline("act the now", "act fully the now soon").to_text() == (
        "act {+fully+} the now {+soon+}"
    )
    assert redline("a x , y b", "a , b").to_text() == "a [-x-] , [-y-] b"


def test_content_word_island_is_kept() -> None:
    r = redline("requests States report", "urges States comply")
    assert r.to_text() == "[-requests-]{+urges+} States [-report-]{+comply+}"


def test_edge_stopwords_are_not_islands() -> None:
    # "the" at the start is not between two changes: it stays equal
    r = redline("the report", "the council")
    assert r.ops[0] == Op("equal", "the")


def test_case_matters() -> None:
    r = redline("Member States", "member States")
    assert r.to_text() == "[-Member-]{+member+} States"


def test_whitespace_differences_are_kept_but_not_shown() -> None:
    a, b = "to  act\nnow ", "to act now"
    r = redline(a, b)
    _check_invariants(r)
    assert not r.changed
    assert r.similarity == 1.0
    assert r.to_text() == "to act now"
    assert r.stats() == {"kept": 3, "deleted": 0, "inserted": 0}


def test_diff_ops_returns_similarity() -> None:
    ops, similarity = diff_ops("a b c d", "a b x d")
    assert similarity == pytest.approx(2 * 3 / 8)
    assert [op.tag for op in ops] == ["equal", "delete", "insert", "equal"]


@pytest.mark.parametrize("seed", range(300))
def test_ops_rebuild_both_texts_random_edits(seed: int) -> None:
    rng = random.Random(seed)
    vocab = [
        "the", "of", "to", "and", "Council", "requests", "urges", "Member", "States",
        "Secretary-General", "report", ",", ";", "(", ")", "2016", "data", "armed", "conflict",
        "trafficking", "in", "persons", "Council's",
    ]  # fmt: skip
    spaces = [" ", " ", " ", " ", "  ", "\n", ""]
    words = [rng.choice(vocab) for _ in range(rng.randint(0, 25))]
    edited = list(words)
    for _ in range(rng.randint(0, 6)):
        action = rng.choice(("insert", "delete", "replace", "swap"))
        pos = rng.randint(0, len(edited))
        if action == "insert":
            edited.insert(pos, rng.choice(vocab))
        elif edited and pos < len(edited):
            if action == "delete":
                del edited[pos]
            elif action == "replace":
                edited[pos] = rng.choice(vocab)
            elif pos + 1 < len(edited):
                edited[pos], edited[pos + 1] = edited[pos + 1], edited[pos]
    a = "".join(rng.choice(spaces) + w for w in words) + rng.choice(["", " ", "\n"])
    b = "".join(rng.choice(spaces) + w for w in edited) + rng.choice(["", " "])
    r = redline(a, b)
    _check_invariants(r)
    # every rendering keeps the words: the plain text without its deletions is b (up to
    # spacing, as a deletion's leading space is shown outside its marker), and the
    # side-by-side columns unescape back to a and b exactly
    shown = re.sub(r"\[-.*?-\]", "", r.to_text(), flags=re.S)
    assert "".join(shown.replace("{+", "").replace("+}", "").split()) == "".join(b.split())
    cells = re.findall(r'<td class="rl-text">(.*?)</td>', r.side_by_side_html(), re.S)
    assert [html.unescape(re.sub(r"</?(?:del|ins)>", "", c)) for c in cells] == [a, b]
    if a == b:
        assert r.similarity == 1.0
        assert not r.changed


# ---------------------------------------------------------------------------------------------
# Verbs
# ---------------------------------------------------------------------------------------------


def test_verb_change_encourages_to_requests() -> None:
    r = redline(
        "Encourages Member States to share information on trafficking;",
        "Requests Member States to share information on trafficking;",
    )
    assert r.verb_change == "encourages → requests"
    assert (r.strength_a, r.strength_b, r.strength_change) == (3, 4, 1)
    assert r.summary == "encourages → requests: strength 3 → 4"
    assert r.to_text() == (
        "[-Encourages-]{+Requests+} Member States to share information on trafficking;"
    )


def test_no_change_in_verb() -> None:
    r = redline("Further requests the Secretary-General to report", "Requests the Council")
    assert r.verb_change is None
    assert r.strength_change == 0
    assert r.summary == "no change in operative verb (requests, strength 4)"


def test_weakening_and_off_ladder() -> None:
    r = redline("Decides that all States shall act", "Welcomes that all States act")
    assert r.strength_change == -3
    assert r.summary == "decides → welcomes: strength 5 → 2"
    r = redline("Condemns the attacks", "Decides to act on the attacks")
    assert r.strength_a is None and r.strength_change is None
    assert r.summary == "condemns → decides: strength none → 5"
    r = redline("Condemns the attacks", "Strongly condemns the attacks")
    assert r.summary == "no change in operative verb (condemns, condemnation)"
    assert redline("the attacks", "all attacks").summary == "no operative verb found"


def test_given_verbs_are_used_instead_of_detection() -> None:
    verb = Verb("Decides", lemma="decides", strength=5, family="decision")
    r = redline("Encourages States", "Requests States", verbs_a=[verb], verbs_b=())
    assert r.verbs_a == (verb,)
    assert r.verbs_b == ()
    assert r.verb_change == "decides → (none)"
    assert r.strength_change is None


def test_preambular_kind() -> None:
    r = redline("Recalling its resolution 2195 (2014),", "Reaffirming its resolution 2195 (2014),",
                kind="preambular")  # fmt: skip
    assert r.summary == "recalls → reaffirms: strength 1 → 2"


# ---------------------------------------------------------------------------------------------
# Renderings
# ---------------------------------------------------------------------------------------------

_EVIL_A = "Requests <script>alert(1)</script> the Secretary-General & co."
_EVIL_B = 'Urges <img src=x onerror=alert(1)> the "Secretary-General" & co.'


def test_html_escapes_everything() -> None:
    r = redline(_EVIL_A, _EVIL_B)
    for out in (r.to_html(), r.side_by_side_html(labels=("<b>old</b>", "new")), r._repr_html_()):
        assert "<script>" not in out
        assert "<img" not in out
        assert "<b>" not in out
        assert "&lt;script&gt;" in out or "&lt;img" in out
        assert out.startswith('<div class="reslens-redline">')
        assert out.count("<div") == out.count("</div>")
    for out in (r.to_html(), r.side_by_side_html(labels=("<b>old</b>", "new"))):
        tags = set(re.findall(r"</?([a-zA-Z]+)", out))
        assert tags <= {"div", "style", "del", "ins", "table", "tr", "th", "td"}
    html_out = r.to_html()
    assert "&amp; co." in html_out
    assert "<del>" in html_out and "<ins>" in html_out and "<style>" in html_out
    # the columns of the side-by-side view unescape back to the exact texts
    cells = re.findall(r'<td class="rl-text">(.*?)</td>', r.side_by_side_html(), re.S)
    old_text, new_text = (html.unescape(re.sub(r"</?(?:del|ins)>", "", c)) for c in cells)
    assert (old_text, new_text) == (_EVIL_A, _EVIL_B)


def test_html_escapes_kept_and_inserted_text() -> None:
    same = redline(_EVIL_B, _EVIL_B).to_html()
    assert html.escape(_EVIL_B) in same
    assert "&lt;img src=x onerror=alert(1)&gt;" in same
    added = redline("x", "x <script>alert(1)</script>").to_html()
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in added


def test_html_structure_on_small_example() -> None:
    r = redline("to act", "to act now")
    assert r.to_html(summary=False).endswith(
        '<div class="rl-text">to act <ins>now</ins></div></div>'
    )
    assert r._repr_html_() == r.to_html()


def test_side_by_side_columns() -> None:
    r = redline("Encourages States to act", "Requests States to act now")
    out = r.side_by_side_html()
    old_col, new_col = out.split('<td class="rl-text">')[1:]
    assert "<del>Encourages</del>" in old_col and "<ins>" not in old_col
    assert "<ins>Requests</ins>" in new_col and "<del>" not in new_col
    assert "to act</td>" in old_col  # no stray space from the insertion
    assert "<ins>now</ins>" in new_col


def test_ansi_colours() -> None:
    r = redline("Encourages States", "Requests States")
    assert r.to_ansi() == "\x1b[31;9mEncourages\x1b[0m\x1b[32;4mRequests\x1b[0m States"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_auto_picks_ansi_only_for_a_colour_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    r = redline("Encourages States", "Requests States")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert r.auto(_Tty()) == r.to_ansi()
    assert r.auto(io.StringIO()) == r.to_text()
    monkeypatch.setenv("NO_COLOR", "1")
    assert r.auto(_Tty()) == r.to_text()


# ---------------------------------------------------------------------------------------------
# Real corpus
# ---------------------------------------------------------------------------------------------


@pytest.mark.corpus
def test_real_paragraphs_2331_to_2388(corpus_dir: Path) -> None:
    from reslens.language.verbs import annotate
    from reslens.sources.readers.akn import read_akn

    root = corpus_dir / "unxml-scresolutions" / "Pre-2020"
    old = annotate(read_akn(next((root / "2016").glob("S_RES_2331_*E.xml"))))
    new = annotate(read_akn(next((root / "2017").glob("S_RES_2388_*E.xml"))))
    for pa in old.operative():
        for pb in new.operative()[:8]:
            _check_invariants(redline(pa.text, pb.text, verbs_a=pa.verbs, verbs_b=pb.verbs))
    op1_a, op1_b = old.operative()[0], new.operative()[0]
    r = redline(op1_a.text, op1_b.text, verbs_a=op1_a.verbs, verbs_b=op1_b.verbs)
    assert r.to_text().startswith(
        "[-Condemns-]{+Reaffirms its condemnation+} in the strongest terms {+of+} all instances"
    )
    assert r.verb_change is None  # "Reaffirms its condemnation" keeps the lemma "condemns"
    assert r.similarity > 0.75
