"""Unit tests of verb detection, addressees, citations and annotation (inline fixtures)."""

from __future__ import annotations

from reslens.language.verbs import (
    annotate,
    detect_verbs,
    find_addressees,
    find_citations,
)
from reslens.models import Paragraph, Resolution, Verb


def _op(text: str, verbs: tuple[Verb, ...] = (), language: str = "en") -> Paragraph:
    return Paragraph("9999:op1", 9999, "operative", "1", 0, text, language=language, verbs=verbs)


def test_detect_leading_and_secondary() -> None:
    text = (
        "5. Decides to extend the mandate until 30 April; requests further that the "
        "Secretary-General report, and encourages Member States to contribute"
    )
    verbs = detect_verbs(text, "operative")
    assert [v.lemma for v in verbs] == ["decides", "requests", "encourages"]
    assert verbs[0].position == 3
    assert text[verbs[1].position :].startswith("requests further")
    assert all(v.source == "detected" for v in verbs)
    assert verbs[0].strength == 5


def test_detect_ignores_nouns_and_titles() -> None:
    text = "Requests the Panel to report on the requests received and on the notes verbales"
    assert [v.lemma for v in detect_verbs(text, "operative")] == ["requests"]
    assert detect_verbs("the appeals proceedings were completed", "operative") == ()


def test_detect_preambular() -> None:
    text = "Recalling its resolution 2195 (2014), and further recalling the Global Plan of Action,"
    verbs = detect_verbs(text, "preambular")
    assert [v.lemma for v in verbs] == ["recalls", "recalls"]
    assert detect_verbs("Deeply concerned by the violence,", "preambular")[0].lemma == (
        "expresses concern"
    )


def test_citations_lists_and_single() -> None:
    cites = find_citations(
        "Recalling resolutions 2195 (2014), 2240 (2015) and 2253 (2015) and its resolution 2331"
    )
    assert [(c.number, c.year) for c in cites] == [
        (2195, 2014),
        (2240, 2015),
        (2253, 2015),
        (2331, None),
    ]
    assert cites[0].text == "2195 (2014)"


def test_citations_exclusions() -> None:
    text = (
        "recalling General Assembly resolution 60/251 and resolution 1514 (XV), "
        "and the provisions of this resolution and of the present resolution"
    )
    assert find_citations(text) == ()
    assert [c.number for c in find_citations("resolutions 1267 (1999), 1989 (2011)")] == [
        1267,
        1989,
    ]
    ends = find_citations("resolutions 1820 (2008) to 2106 (2013)")
    assert [c.number for c in ends] == [1820, 2106]
    # duplicates collapse
    assert len(find_citations("resolution 1325 (2000) ... resolution 1325 (2000)")) == 1


def test_addressees() -> None:
    text = (
        "Calls upon all parties to armed conflict and Member States to act, "
        "requests the Secretary-General to report, urges the Government of Mali, UNMISS and "
        "the Committee established pursuant to resolution 1533 (2004) to cooperate"
    )
    verbs = detect_verbs(text, "operative")
    assert find_addressees(text, verbs) == (
        "parties to armed conflict",
        "Member States",
        "Secretary-General",
        "Government of Mali",
        "UNMISS",
        "Committee established pursuant to resolution 1533 (2004)",
    )
    committee = "Requests the Committee established pursuant to resolution 1533 (2004) to report"
    assert find_addressees(committee, detect_verbs(committee, "operative")) == (
        "Committee established pursuant to resolution 1533 (2004)",
    )
    demands = "Demands that all parties cease hostilities"
    assert find_addressees(demands, detect_verbs(demands, "operative")) == ("parties",)


def _found(text: str) -> tuple[str, ...]:
    return find_addressees(text, detect_verbs(text, "operative"))


def test_addressees_of_decisions() -> None:
    # the sanctions formula: the States that shall act
    assert _found("Decides that all Member States shall freeze without delay the funds") == (
        "Member States",
    )
    assert _found(
        "Decides that, until 31 July 2021, all States shall, for a period of one "
        "year, take the necessary measures"
    ) == ("Member States",)
    assert _found("Decides that the Committee shall designate individuals") == ("Committee",)
    # the Council's own acts name no one
    assert _found("Decides that the measures imposed by paragraph 1 shall apply") == ()
    assert _found("Decides that the mandate of UNMISS shall be extended until 2025") == ()
    assert _found("Decides to extend the mandate of MONUSCO until 20 December 2025") == ()


def test_addressees_lists_subsets_and_channels() -> None:
    assert _found(
        "Encourages regional organizations, including the AU, ECCAS and ECOWAS, to cooperate"
    ) == (
        "regional organizations",
        "African Union",
        "Economic Community of Central African States",
        "Economic Community of West African States",
    )
    # a channel is no addressee
    assert _found(
        "Requests the Secretary-General, through his Special Representative, to report"
    ) == ("Secretary-General",)
    assert _found("Requests ECOWAS, through the command of its force, and France to report") == (
        "Economic Community of West African States",
        "France",
    )
    # a further directive verb inside the clause
    assert _found(
        "Requests the Secretary-General to consider the impacts and, in this "
        "context, encourages MINUSMA to manage them"
    ) == ("Secretary-General", "MINUSMA")
    # no trailing words kept, missions by their acronym
    assert _found("Requests MONUC and the United Nations Operation in Burundi (ONUB) to help") == (
        "MONUC",
        "ONUB",
    )
    assert _found("Calls upon the Government of the DRC to act") == (
        "Government of the Democratic Republic of the Congo",
    )


def test_addressee_categories() -> None:
    from reslens.language.addressees import category

    assert category("Member States") == "member_states"
    assert category("Economic Community of West African States") == "regional_org"
    assert category("Special Representative of the Secretary-General for Iraq") == "un_official"
    assert category("United Nations Country Team") == "un_body"
    assert category("Houthis") == "parties"


def test_addressees_only_for_addressing_verbs() -> None:
    text = "Welcomes the Panel of Experts' report"
    assert find_addressees(text, detect_verbs(text, "operative")) == ()


def test_annotate_classifies_markup_and_repairs_broken_spans() -> None:
    text = "Calls upon Member States to act, and underscores in this regard the importance of it"
    pos = text.index("and underscores")
    broken = Verb("and underscores in this reg", position=pos)
    para = _op(text, (Verb("Calls upon", position=0), broken))
    res = annotate(Resolution(9999, 2020, paragraphs=(para,)))
    verbs = res.paragraphs[0].verbs
    assert [v.lemma for v in verbs] == ["calls upon", "underscores"]
    assert verbs[1].text == "and underscores in this regard"
    assert all(v.source == "markup" for v in verbs)
    assert res.paragraphs[0].addressees == ("Member States",)
    assert para.verbs[0].lemma == ""  # the input is not modified


def test_annotate_detects_when_no_markup_and_cites() -> None:
    para = _op("Requests the Secretary-General to implement resolution 2331 (2016)")
    out = annotate(Resolution(9999, 2020, paragraphs=(para,))).paragraphs[0]
    assert [v.lemma for v in out.verbs] == ["requests"]
    assert out.verbs[0].source == "detected"
    assert [c.number for c in out.citations] == [2331]
    assert out.addressees == ("Secretary-General",)


def test_annotate_other_language_keeps_markup_verbs() -> None:
    para = _op("Prie le Secrétaire général", (Verb("Prie", position=0, strength=4),), "fr")
    out = annotate(Resolution(9999, 2020, language="fr", paragraphs=(para,))).paragraphs[0]
    assert out.verbs == (Verb("Prie", position=0, strength=None),)
    assert out.addressees == ()


def test_annotate_preambular_has_no_addressees() -> None:
    para = Paragraph("9999:pp1", 9999, "preambular", "1", 0, "Urging Member States to act,")
    out = annotate(Resolution(9999, 2020, paragraphs=(para,))).paragraphs[0]
    assert [v.lemma for v in out.verbs] == ["urges"]
    assert out.addressees == ()
