"""The :class:`Library`: one object over an index directory, the entry point of the API."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reslens.coverage import Coverage
from reslens.errors import NotFoundError, RefError
from reslens.models import OPERATIVE, Paragraph, Resolution
from reslens.refs import Ref, parse_ref
from reslens.store import DB_NAME, Store

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_INDEX = Path("index")

PARAGRAPH_COLUMNS = [
    "key",
    "symbol",
    "date",
    "kind",
    "number",
    "section",
    "verbs",
    "strength",
    "addressees",
    "citations",
    "text",
]


class Library:
    """Resolutions and paragraphs of an index directory.

    Examples:
        >>> lib = Library("index")  # doctest: +SKIP
        >>> lib.paragraph("2331:21").verbs[0].lemma  # doctest: +SKIP
        'invites'
    """

    def __init__(self, index_dir: Path | str = DEFAULT_INDEX) -> None:
        self.index_dir = Path(index_dir)
        self.store = Store.open(self.index_dir / DB_NAME)

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        counts = self.store.counts()
        return (
            f"<Library {self.index_dir}: {counts['resolutions']:,} resolutions, "
            f"{counts['paragraphs']:,} paragraphs>"
        )

    # -- look-ups ---------------------------------------------------------------------------
    def resolution(self, ref: str | int, language: str = "en") -> Resolution:
        """One resolution with its paragraphs.

        Args:
            ref: a number (``2331``) or any reference form (``"S/RES/2331 (2016)"``).
            language: ISO 639-1 code.

        Raises:
            NotFoundError: the resolution is not in the store (see ``coverage()``).
        """
        number = ref if isinstance(ref, int) else parse_ref(str(ref)).resolution
        res = self.store.resolution(number, language)
        if res is None:
            hint = " (see reslens coverage for what the corpus lacks)"
            raise NotFoundError(f"S/RES/{number} [{language}] is not in the store{hint}")
        return res

    def paragraph(self, ref: str | Ref) -> Paragraph:
        """One paragraph, by any citation form: ``"S/RES/2331 (2016), para. 21"``, ``"2331:21"``.

        A bare number means the operative paragraph of that number; ``pp3`` asks for the third
        preambular paragraph.

        Raises:
            RefError: the reference names a resolution but no paragraph.
            NotFoundError: no such paragraph in the store.
        """
        parsed = ref if isinstance(ref, Ref) else parse_ref(ref)
        if parsed.number is None:
            raise RefError(f"{ref!r} names a resolution, not a paragraph; add e.g. ', para. 1'")
        key = parsed.key
        para = self.store.paragraph(key)
        if para is None:
            res = self.store.resolution(parsed.resolution, parsed.language or "en")
            if res is None:
                raise NotFoundError(f"S/RES/{parsed.resolution} is not in the store")
            ops = [p.number for p in res.paragraphs if p.kind == OPERATIVE]
            raise NotFoundError(
                f"{res.symbol} has no paragraph {key.split(':', 1)[1]}; "
                f"operative paragraphs: {', '.join(ops[:3])}…{ops[-1] if ops else ''}"
            )
        return para

    def paragraphs(self, ref: str | int, language: str = "en") -> pd.DataFrame:
        """The paragraphs of one resolution as a DataFrame (columns: ``PARAGRAPH_COLUMNS``)."""
        res = self.resolution(ref, language)
        return paragraphs_frame(res, res.paragraphs)

    def coverage(self) -> Coverage:
        """What the store holds and lacks (see :class:`reslens.coverage.Coverage`)."""
        return Coverage.from_store(self.store)

    def problems(self) -> pd.DataFrame:
        """Files that could not be read: columns path, kind, message."""
        import pandas as pd

        return pd.DataFrame(self.store.problems(), columns=["path", "kind", "message"])


def open(index_dir: Path | str = DEFAULT_INDEX) -> Library:
    """Open the index directory built by :func:`reslens.build`.

    Examples:
        >>> import reslens as rl
        >>> lib = rl.open("index")  # doctest: +SKIP
    """
    return Library(index_dir)


def paragraph_record(res: Resolution | None, para: Paragraph) -> dict[str, Any]:
    """One paragraph as a flat dictionary (the row shape of every paragraph table)."""
    lead = para.leading_verb
    return {
        "key": para.key,
        "symbol": res.symbol if res else f"S/RES/{para.resolution}",
        "date": res.date if res else None,
        "kind": para.kind,
        "number": para.number,
        "section": para.section,
        "verbs": ", ".join(v.lemma or v.text for v in para.verbs),
        "strength": lead.strength if lead else None,
        "addressees": ", ".join(para.addressees),
        "citations": ", ".join(str(c.number) for c in para.citations),
        "text": para.text,
    }


def paragraphs_frame(
    res: Resolution | None, paras: builtins.list[Paragraph] | tuple[Paragraph, ...]
) -> pd.DataFrame:
    """A DataFrame of paragraphs with the columns ``PARAGRAPH_COLUMNS``."""
    import pandas as pd

    return pd.DataFrame([paragraph_record(res, p) for p in paras], columns=PARAGRAPH_COLUMNS)
