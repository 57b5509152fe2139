"""The renewal part of the :class:`~reslens.library.Library`: two whole resolutions compared in
one call. A mixin, so that ``library.py`` stays one screenful of look-ups, search and comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reslens.store.readers import follows_commits

if TYPE_CHECKING:
    import numpy as np

    from reslens.analysis.align import Alignment
    from reslens.analysis.renewal import RenewalReport
    from reslens.index.vectors import Manifest
    from reslens.models import Resolution


class RenewalMethods:
    """Whole-resolution alignment and the renewal report."""

    if TYPE_CHECKING:  # provided by Library
        manifest: Manifest | None

        def resolution(self, ref: str | int, language: str = "en") -> Resolution: ...
        def cached_encode(self, texts: Sequence[str]) -> np.ndarray: ...

    def _align_whole(
        self, a: str | int, b: str | int, semantic: bool, preambles: bool, **options: Any
    ) -> tuple[Resolution, Resolution, Alignment]:
        from reslens.analysis.align_full import align_resolutions

        res_a, res_b = self.resolution(a), self.resolution(b)
        encode = self.cached_encode if semantic and self.manifest is not None else None
        result = align_resolutions(res_a, res_b, encode=encode, preambles=preambles, **options)
        return res_a, res_b, result

    @follows_commits
    def renewal_report(
        self, a: str | int, b: str | int, *, semantic: bool = True, **options: Any
    ) -> RenewalReport:
        """Everything that changed from resolution ``a`` to ``b`` (typically two renewals of one
        mandate): every paragraph, preambular included, aligned, with its status (``typography``
        for a change of quotes, dashes or spaces only), redline, change of verb, strength and
        addressees; and a summary at the top — dates and figures changed, obligations added,
        dropped, strengthened or weakened, addressees changed.

        Args:
            a: the earlier resolution (``2327``, ``"S/RES/2327 (2016)"``).
            b: the later one.
            semantic: embed with the index's model (needs a vector index); ``False``: lexical.
            **options: passed on to :func:`reslens.analysis.align_full.align_resolutions`.

        Returns:
            A :class:`~reslens.analysis.renewal.RenewalReport`: ``.summary``, ``.to_frame()``,
            ``.to_html(path)``; ``reslens.to_docx(report, path)`` writes Word with tracked
            changes.

        Examples:
            >>> report = lib.renewal_report(2327, 2406)  # doctest: +SKIP
            >>> print(report.summary)  # doctest: +SKIP
        """
        from reslens.analysis.renewal import renewal_report

        res_a, res_b, alignment = self._align_whole(a, b, semantic, True, **options)
        return renewal_report(res_a, res_b, alignment)
