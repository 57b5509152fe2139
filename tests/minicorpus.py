"""A tiny hand-written corpus laid out like the real one, for build, store and CLI tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"


def akn(
    number: int,
    year: int,
    date: str,
    operative: list[str],
    preamble: list[str],
    keywords: Sequence[str] = (),
) -> str:
    """A minimal AKN resolution: verbs in italics, one operative paragraph per item; the
    ``keywords`` become UNBIS ``<keyword>`` elements of the ``<classification>`` block."""
    classification = (
        '\n      <classification source="#DGACM">'
        + "".join(
            f'<keyword eId="keyword_{i}" value="{word}" showAs="{word}" dictionary="UNBIS"/>'
            for i, word in enumerate(keywords, 1)
        )
        + "</classification>"
        if keywords
        else ""
    )
    pre = "\n".join(
        f'<container name="p" eId="container_{i}"><p>{text}</p></container>'
        for i, text in enumerate(preamble, 2)
    )
    ops = "\n".join(
        f'<paragraph eId="para_{i}" class="SingleTxt"><num>{i}.</num>'
        f'<content eId="para_{i}__content"><p>{text}</p></content></paragraph>'
        for i, text in enumerate(operative, 1)
    )
    return f"""<akomaNtoso xmlns="{AKN_NS}">
  <statement name="resolution">
    <meta>
      <identification source="#DGACM">
        <FRBRWork>
          <FRBRthis value="/akn/un/statement/deliberation/unsc/{date}/{number}-{year}/!main/"/>
          <FRBRdate date="{date}" name="adoption"/>
        </FRBRWork>
        <FRBRExpression><FRBRlanguage language="eng"/></FRBRExpression>
      </identification>{classification}
    </meta>
    <coverPage>
      <p><docNumber refersTo="#symbol">S/RES/{number} ({year})</docNumber></p>
      <p><docTitle refersTo="#adoption">Adopted by the Security Council at its 1st meeting, on
        <docDate date="{date}" refersTo="#adoptionDate">{date}</docDate></docTitle></p>
    </coverPage>
    <preamble>
      <formula name="enactingFormula">
        <p><span class="italic">The Security Council</span>,</p>
      </formula>
      {pre}
    </preamble>
    <mainBody>
      {ops}
    </mainBody>
  </statement>
</akomaNtoso>
"""


RES_2001 = akn(
    2001,
    2010,
    "2010-05-04",
    [
        '<span class="italic">Requests</span> the Secretary-General to report on trafficking in '
        "persons in armed conflict;",
        '<span class="italic">Encourages</span> Member States to collect data, and '
        '<span class="italic">urges</span> all parties to cooperate;',
        '<span class="italic">Decides</span> to remain actively seized of the matter.',
    ],
    ['<span class="italic">Recalling</span> its resolution 1325 (2000),'],
)

RES_2002 = akn(
    2002,
    2011,
    "2011-01-20",
    [
        '<span class="italic">Decides</span> that the Secretary-General shall report on '
        "trafficking in persons, recalling resolution 2001 (2010);",
        '<span class="italic">Decides</span> to remain actively seized of the matter.',
    ],
    ['<span class="italic">Reaffirming</span> its resolution 2001 (2010),'],
)

CRUNSC_7 = """Resolution 7 (1946)
of 26 June 1946

The Security Council,

Having considered the situa-
tion in the area,

1. Requests the Secretary-General to submit a report
to the Security Council ;

2. Decides to remain seized of the
question.

Adopted unanimously at the
49th meeting.
"""


def write_corpus(root: Path) -> Path:
    """Lay out the mini corpus under ``root`` and return it."""
    pre = root / "unxml-scresolutions" / "Pre-2020"
    (pre / "2010").mkdir(parents=True)
    (pre / "2011").mkdir(parents=True)
    (pre / "2010" / "S_RES_2001_1000001E.xml").write_text(RES_2001, encoding="utf-8")
    (pre / "2011" / "S_RES_2002_1100002E.xml").write_text(RES_2002, encoding="utf-8")
    # the same resolution filed a second time under another year: a duplicate to set aside
    (pre / "2011" / "S_RES_2001_1000001E.xml").write_text(RES_2001, encoding="utf-8")
    # bad input: malformed XML, an empty file, a binary file
    (pre / "2011" / "S_RES_2003_broken.xml").write_text("<akomaNtoso><statement>", encoding="utf-8")
    (pre / "2011" / "S_RES_2004_empty.xml").write_bytes(b"")
    (pre / "2011" / "S_RES_2005_binary.xml").write_bytes(bytes(range(256)) * 4)
    (pre / "2011" / "desktop.ini").write_text("[x]", encoding="utf-8")
    gold = root / "cr-unsc-gold" / "data" / "res_en_gold"
    gold.mkdir(parents=True)
    (gold / "S_RES_0007_1946_EN_GOLD.txt").write_text(CRUNSC_7, encoding="utf-8")
    return root


def _it(verb: str) -> str:
    return f'<span class="italic">{verb}</span>'


#: Two renewals of a made-up mission, for the renewal report: a changed date and troop
#: ceiling, a typography-only edit, a stronger verb, a dropped and an added obligation.
RENEWAL_A = akn(
    3001,
    2015,
    "2015-03-30",
    [
        f"{_it('Decides')} to extend the mandate of the Mission until 31 March 2016;",
        f"{_it('Decides')} that the Mission shall comprise up to 13,000 troops;",
        f"{_it('Encourages')} Member States to contribute to the trust fund for the Mission;",
        f"{_it('Urges')} the parties to release all political prisoners without delay;",
        f"{_it('Decides')} to remain actively seized of the matter.",
    ],
    [
        f"{_it('Recalling')} its previous resolutions on the situation in the region,",
        f"{_it('Reaffirming')} its zero tolerance policy on sexual exploitation and abuse,",
    ],
)

RENEWAL_B = akn(
    3002,
    2016,
    "2016-03-29",
    [
        f"{_it('Decides')} to extend the mandate of the Mission until 31 March 2017;",
        f"{_it('Decides')} that the Mission shall comprise up to 17,000 troops;",
        f"{_it('Requests')} Member States to contribute to the trust fund for the Mission;",
        f"{_it('Demands')} that all parties cease hostilities immediately and respect the "
        "ceasefire;",
        f"{_it('Decides')} to remain actively seized of the matter.",
    ],
    [
        f"{_it('Recalling')} its previous resolutions on the situation in the region,",
        f"{_it('Reaffirming')} its zero-tolerance policy on sexual exploitation and abuse,",
    ],
)


def write_renewal_corpus(root: Path) -> Path:
    """Lay out the two renewals :data:`RENEWAL_A` and :data:`RENEWAL_B` under ``root``."""
    pre = root / "unxml-scresolutions" / "Pre-2020"
    for year, number, text in ((2015, 3001, RENEWAL_A), (2016, 3002, RENEWAL_B)):
        (pre / str(year)).mkdir(parents=True, exist_ok=True)
        (pre / str(year) / f"S_RES_{number}_1500001E.xml").write_text(text, encoding="utf-8")
    return root
