"""The language part of the :class:`~reslens.library.Library`: a paragraph in every language
the index holds, and how the language versions of a resolution line up. A mixin, like
:mod:`reslens.library_history`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reslens.errors import NotFoundError, RefError
from reslens.language.refs import Ref, parse_ref
from reslens.store.readers import follows_commits

if TYPE_CHECKING:
    import pandas as pd

    from reslens.models import Paragraph
    from reslens.store.db import Store
    from reslens.store.versions import VersionAlignment


class LanguageMethods:
    """Versions of a paragraph and alignment of a resolution's language versions."""

    if TYPE_CHECKING:  # provided by Library
        store: Store

        def paragraph(self, ref: str | Ref, language: str | None = None) -> Paragraph: ...

    @follows_commits
    def versions(self, ref: str | Ref) -> dict[str, Paragraph]:
        """The paragraph ``ref`` in every language the index holds it in: language → paragraph,
        English first, then Arabic, Chinese, French, Russian, Spanish, German.

        Examples:
            >>> {lang: p.key for lang, p in lib.versions("2532:op1").items()}  # doctest: +SKIP
            {'en': '2532:op1', 'ar': '2532:op1@ar', 'zh': '2532:op1@zh', ...}
        """
        parsed = ref if isinstance(ref, Ref) else parse_ref(ref)
        if parsed.number is None:
            raise RefError(f"{ref!r} names a resolution, not a paragraph; add e.g. ', para. 1'")
        key = parsed.paragraph_key or parsed.key
        from reslens.store.versions import paragraph_versions

        found = paragraph_versions(self.store, key)
        if not found:
            self.paragraph(parsed)  # the error that says what the resolution has
        return found

    @follows_commits
    def language_alignment(self, ref: str | int) -> VersionAlignment:
        """The language versions of one resolution matched paragraph by paragraph (kind and
        number), with every structural difference from the English version: a paragraph
        missing or extra, another order, other sub-points. ``.mismatch_frame()`` lists them,
        ``.to_frame()`` shows the sub-points of every version.

        Examples:
            >>> lib.language_alignment(2532).summary()  # doctest: +SKIP
        """
        number = ref if isinstance(ref, int) else parse_ref(str(ref)).resolution
        from reslens.store.versions import version_alignment

        alignment = version_alignment(self.store, number)
        if alignment is None:
            raise NotFoundError(f"S/RES/{number} is not in the store in any language")
        return alignment

    @follows_commits
    def language_mismatches(self) -> pd.DataFrame:
        """Every structural difference between language versions, over the whole index:
        columns ``resolution``, ``paragraph``, ``citation``, ``language``, ``issue``,
        ``detail``, ``url`` (the link to the language version the difference is in)."""
        import pandas as pd

        from reslens.store.versions import MISMATCH_COLUMNS, version_alignments

        differing = [a for a in version_alignments(self.store) if a.mismatches]
        if not differing:
            return pd.DataFrame(columns=["resolution", *MISMATCH_COLUMNS])
        frames = [a.mismatch_frame().assign(resolution=a.resolution) for a in differing]
        table = pd.concat(frames, ignore_index=True)
        return table[["resolution", *MISMATCH_COLUMNS]]
