"""Tests of the reference parser: every accepted form, bad inputs, and a random fuzz."""

from __future__ import annotations

import random
import string

import pytest

from reslens.errors import RefError, ReslensError
from reslens.language.refs import ACCEPTED_FORMS, Ref, parse_ref


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("S/RES/2331 (2016), para. 21", "2331:op21"),
        ("S/RES/2331(2016) OP21", "2331:op21"),
        ("2331 OP21", "2331:op21"),
        ("2331:21", "2331:op21"),
        ("2331:op21", "2331:op21"),
        ("2331:pp3", "2331:pp3"),
        ("2331 PP3", "2331:pp3"),
        ("resolution 2331 (2016), paragraph 21", "2331:op21"),
        ("2331 para 2(c)", "2331:op2(c)"),
        ("2331", "2331"),
        ("res 2331 op 21", "2331:op21"),
        ("s/res/2331", "2331"),
        ("2331 para. 7 (d) (ii)", "2331:op7(d)(ii)"),
        ("2331:op21@fr", "2331:op21@fr"),
        ("  S/RES/1325 (2000) ", "1325"),
        ("2331 preambular paragraph 4", "2331:pp4"),
    ],
)
def test_accepted_forms(text: str, key: str) -> None:
    assert parse_ref(text).key == key


def test_fields() -> None:
    ref = parse_ref("S/RES/2331 (2016), para. 2(c)")
    assert ref == Ref(2331, "operative", "2", "(c)", "en", 2016)
    assert ref.paragraph_key == "2331:op2"
    assert parse_ref("2331").paragraph_key is None
    assert parse_ref("2331").kind is None


def test_every_documented_form_parses() -> None:
    for form in ACCEPTED_FORMS:
        expected = {"PRST": "S/PRST/2015/25", "2024": "S/2024/302"}
        symbol = next((v for k, v in expected.items() if k in form), None)
        if symbol is None:
            assert parse_ref(form).resolution == 2331
        else:
            assert parse_ref(form).key.split(":")[0] == symbol


@pytest.mark.parametrize(
    ("text", "key", "document"),
    [
        ("S/PRST/2015/25, para. 3", "S/PRST/2015/25:op3", "presidential statement"),
        ("S/PRST/2015/25 para. 3", "S/PRST/2015/25:op3", "presidential statement"),
        ("PRST/2015/25:3", "S/PRST/2015/25:op3", "presidential statement"),
        ("prst 2015/25 op 3", "S/PRST/2015/25:op3", "presidential statement"),
        ("S/PRST/2015/25:op3.2", "S/PRST/2015/25:op3.2", "presidential statement"),
        ("S/PRST/2015/25", "S/PRST/2015/25", "presidential statement"),
        ("S/2024/302", "S/2024/302", "draft not adopted"),
        ("S/2024/302:pp2", "S/2024/302:pp2", "draft not adopted"),
        ("S/2024/302 OP1@fr", "S/2024/302:op1@fr", "draft not adopted"),
        ("S/2024/302:op2(c)", "S/2024/302:op2(c)", "draft not adopted"),
    ],
)
def test_statements_and_drafts_are_read_back_from_their_keys(
    text: str, key: str, document: str
) -> None:
    ref = parse_ref(text)
    assert (ref.key, ref.document) == (key, document)
    assert parse_ref(ref.key) == ref or parse_ref(ref.key).key == key
    assert ref.resolution > 9999  # never a resolution number


def test_a_statement_has_no_preambular_paragraphs() -> None:
    with pytest.raises(RefError, match="no preambular"):
        parse_ref("S/PRST/2015/25:pp1")


@pytest.mark.parametrize(
    "text",
    ["", "   ", "abc", "2331 op", "2331:xx", "0", "S/RES/", "2331 (1800)", "23311", "2331:op0",
     "2331 op 21 extra", "op21", "2331::21", "-5"],
)  # fmt: skip
def test_bad_inputs(text: str) -> None:
    with pytest.raises(RefError) as info:
        parse_ref(text)
    assert "Accepted forms" in str(info.value)
    assert "2331:op21" in str(info.value)


def test_non_string() -> None:
    with pytest.raises(RefError):
        parse_ref(2331)  # type: ignore[arg-type]


def test_fuzz_only_referror() -> None:
    rng = random.Random(2331)
    alphabet = string.printable + "¶()/:@–é\u00a0"
    seeds = ["S/RES/", "2331", " op", "pp", "(2016)", ", para. ", ":", "(c)", "res "]
    for _ in range(3000):
        parts = [rng.choice(seeds) if rng.random() < 0.5 else "" for _ in range(3)]
        noise = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        text = "".join(parts) + noise if rng.random() < 0.5 else noise + "".join(parts)
        try:
            ref = parse_ref(text)
        except RefError:
            continue
        except ReslensError as exc:  # pragma: no cover - would be a bug
            pytest.fail(f"{text!r} raised {exc!r}")
        assert ref.resolution >= 1
        assert parse_ref(ref.key) == Ref(
            ref.resolution, ref.kind, ref.number, ref.point, ref.language, None
        )


@pytest.mark.parametrize(
    ("key", "cited", "back"),
    [
        ("2331:op21", "S/RES/2331 (2016), para. 21", "2331:op21"),
        ("2331:op2(c)", "S/RES/2331 (2016), para. 2 (c)", "2331:op2(c)"),
        ("2331:op2(c)(ii)", "S/RES/2331 (2016), para. 2 (c)(ii)", "2331:op2(c)(ii)"),
        ("2331:pp5", "S/RES/2331 (2016), preambular para. 5", "2331:pp5"),
        # a clause is cited by its paragraph, a language version as the English one
        ("2331:op21.3", "S/RES/2331 (2016), para. 21", "2331:op21"),
        ("2532:op1@fr", "S/RES/2532 (2020), para. 1", "2532:op1"),
        ("2331", "S/RES/2331 (2016)", "2331"),
    ],
)
def test_citation_is_read_back_by_parse_ref(key: str, cited: str, back: str) -> None:
    from reslens.language.refs import citation

    assert citation("S/RES/" + cited.split("/RES/")[1].split(")")[0] + ")", key) == cited
    assert parse_ref(cited).key == back


def test_citation_uses_the_rows_own_symbol() -> None:
    from reslens.language.refs import citation

    assert citation("S/PRST/2015/25", "PRST2015/25:op3") == "S/PRST/2015/25, para. 3"
    assert citation(None, "2331:op21") is None and citation("S/RES/1 (1946)", "") is None
    assert citation(float("nan"), "2331:op21") is None
