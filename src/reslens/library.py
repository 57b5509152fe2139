"""The :class:`Library`: one object over an index directory, the entry point of the API."""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from reslens.analysis.tables import paragraphs_frame
from reslens.errors import NotFoundError, RefError, ReslensError, StoreError
from reslens.index.vectors import (
    Manifest,
    cached_encoder,
    index_embedder,
    load_index,
    read_manifest,
)
from reslens.language.refs import Ref, in_language, looks_like_ref, parse_ref
from reslens.library_history import HistoryMethods
from reslens.library_languages import LanguageMethods
from reslens.library_renewal import RenewalMethods
from reslens.models import OPERATIVE, Paragraph, Resolution, document_symbol
from reslens.search.filters import make_filters, year
from reslens.search.hybrid import Searcher
from reslens.search.results import frame
from reslens.search.semantic import SemanticIndex
from reslens.store.db import DB_NAME, Store
from reslens.store.queries import Filters, language_years, passage_count
from reslens.store.readers import commit_id, follows_commits, load_behind

if TYPE_CHECKING:
    import pandas as pd

    from reslens.analysis.align import Alignment
    from reslens.analysis.precedents import Precedents
    from reslens.analysis.redline import Redline
    from reslens.index.embedders import Embedder
    from reslens.store.coverage import Coverage

DEFAULT_INDEX = Path("index")


class Library(HistoryMethods, LanguageMethods, RenewalMethods):
    """Resolutions and paragraphs of an index directory.

    Each call first checks (one ``os.stat``) whether a build or ingest has committed since,
    and if so re-opens the index: a notebook's library answers from the new index after a
    rebuild, and from the last commit while a writer works.

    Examples:
        >>> lib = Library("index")  # doctest: +SKIP
        >>> lib.paragraph("2331:21").verbs[0].lemma  # doctest: +SKIP
        'invites'
    """

    def __init__(
        self,
        index_dir: Path | str = DEFAULT_INDEX,
        *,
        model: str | None = None,
        backend: str = "auto",
        embedder: Embedder | None = None,
    ) -> None:
        self.index_dir = Path(index_dir)
        self._backend = backend
        self._embedder = self._given = embedder
        self._wanted = embedder.model_id if embedder is not None else model
        #: sha256 of a text → its vector, for texts embedded at query time (alignments)
        self.encode_memo: dict[str, np.ndarray] = {}
        self._calls = threading.local()
        self._loading = threading.RLock()  # held while the query model loads
        self._reading = threading.RLock()  # held while the vectors are read
        self.manifest: Manifest | None = None
        self._open()

    def _open(self) -> None:
        """Open (again) the store as last committed, its manifest and, lazily, its vectors."""
        path = self.index_dir / DB_NAME
        commit = commit_id(path)  # taken first: a commit after it is followed next call
        store = Store.open(path)
        try:
            manifest = read_manifest(store)
            from reslens.index.embedders import same_model

            if manifest and self._wanted and not same_model(self._wanted, manifest.model):
                raise StoreError(
                    f"{self.index_dir} was built with {manifest.model}, not {self._wanted}; "
                    f"rebuild it with: reslens build --model {self._wanted}"
                )
        except BaseException:
            store.close()
            raise
        old = self.manifest
        with self._loading, self._reading:  # a model or vectors loading behind finish first
            if old is not None and (manifest is None or manifest.fingerprint != old.fingerprint):
                self.encode_memo.clear()  # vectors of another model
                self._embedder = self._given  # one loaded from the old manifest is reloaded
            # the store replaced is left to close with its last reference: a thread may read it
            self.store, self.manifest, self._commit = store, manifest, commit
            self._semantic: SemanticIndex | None = None
            self._searcher: Searcher | None = None

    def _follow_commits(self) -> None:
        """Re-open the index when a writer has committed since (one ``os.stat``)."""
        seen = commit_id(self.index_dir / DB_NAME)
        if seen is not None and seen != self._commit:
            self._open()

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @follows_commits
    def __repr__(self) -> str:
        counts = self.store.counts()
        return (
            f"<Library {self.index_dir}: {counts['resolutions']:,} resolutions, "
            f"{counts['paragraphs']:,} paragraphs>"
        )

    # -- look-ups ---------------------------------------------------------------------------
    @follows_commits
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
            raise NotFoundError(f"{document_symbol(number)} [{language}] is not in the store{hint}")
        return res

    @follows_commits
    def paragraph(self, ref: str | Ref, language: str | None = None) -> Paragraph:
        """One paragraph, by any citation form: ``"S/RES/2331 (2016), para. 21"``, ``"2331:21"``.

        A bare number means the operative paragraph of that number; ``pp3`` asks for the third
        preambular paragraph. ``language`` (``"fr"``) asks for that language's version, as
        ``"2331:21@fr"`` does; see :meth:`versions` for all of them.

        Raises:
            RefError: the reference names a resolution but no paragraph, or another language.
            NotFoundError: no such paragraph in the store.
        """
        parsed = ref if isinstance(ref, Ref) else parse_ref(ref)
        if language is not None:
            parsed = in_language(parsed, language)
        if parsed.number is None:
            raise RefError(f"{ref!r} names a resolution, not a paragraph; add e.g. ', para. 1'")
        key = parsed.key
        para = self.store.paragraph(key)
        if para is None:
            res = self.store.resolution(parsed.resolution, parsed.language or "en")
            if res is None:
                raise NotFoundError(f"{document_symbol(parsed.resolution)} is not in the store")
            ops = [p.number for p in res.paragraphs if p.kind == OPERATIVE]
            raise NotFoundError(
                f"{res.symbol} has no paragraph {key.split(':', 1)[1]}; "
                f"operative paragraphs: {', '.join(ops[:3])}…{ops[-1] if ops else ''}"
            )
        return para

    @follows_commits
    def resolutions(
        self,
        *,
        agenda: str | None = None,
        country: str | None = None,
        mission: str | None = None,
        since: int | None = None,
        until: int | None = None,
        chapter_vii: bool | None = None,
        language: str = "en",
    ) -> pd.DataFrame:
        """The resolutions that pass every filter given, by number: symbol, resolution, date, year,
        title, agenda_item, chapter_vii, vote (``"15-0-0"``), unanimous, sponsors, url.

        Args:
            agenda: a part of the agenda item (case-insensitive; items exist from 2000).
            country: a Member State, any spelling of ``data/member_states.txt``, found as a
                word in the title, agenda item or UNBIS subjects.
            mission: a mission's acronym (``"UNMISS"``), as a word in the title or a paragraph.
            since / until: adoption years, inclusive.
            chapter_vii: only Chapter VII resolutions (or only others).
            language: the resolutions of this language.

        Examples:
            >>> lib.resolutions(agenda="Sudan", since=2020)  # doctest: +SKIP
        """
        from reslens.analysis.browse import resolution_table

        return resolution_table(
            self.store,
            agenda=agenda,
            country=country,
            mission=mission,
            since=year("since", since),
            until=year("until", until),
            chapter_vii=chapter_vii,
            language=language,
        )

    @follows_commits
    def latest(self, item: str, n: int = 2) -> pd.DataFrame:
        """The ``n`` latest resolutions of a mission or agenda item, newest first (the table of
        :meth:`resolutions`): "the latest renewal of UNMISS and the one before it".

        An acronym (``"UNMISS"``) means the resolutions that extend or renew that mission's
        mandate (those naming it where none does); other words, a part of the agenda item.

        Examples:
            >>> new, old = lib.latest("UNMISS").resolution  # doctest: +SKIP
            >>> lib.align(old, new)  # doctest: +SKIP
        """
        from reslens.analysis.browse import latest_resolutions

        return latest_resolutions(self.store, item, n)

    @follows_commits
    def years(self, language: str = "en") -> tuple[int, int]:
        """The first and last adoption years in the index (for ``since``/``until``)."""
        years = language_years(self.store, language)
        if years is None:
            raise NotFoundError(f"no {language} resolutions in {self.index_dir}")
        return years

    @follows_commits
    def paragraphs(self, ref: str | int, language: str = "en") -> pd.DataFrame:
        """The paragraphs of one resolution as a DataFrame (columns: ``PARAGRAPH_COLUMNS``)."""
        res = self.resolution(ref, language)
        return paragraphs_frame(res, res.paragraphs)

    # -- search -----------------------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        """The query embedder (loaded on first use; the index's own model)."""
        with self._loading:
            return self._load_embedder()

    def _load_behind(self) -> None:
        """Load the query model and the vectors in threads (mostly without the GIL) while the
        search reads its arrays; it then waits for them (and meets any failure again)."""
        if self._embedder is None:
            load_behind(self._loading, self._load_embedder)
        if self._semantic is None:
            load_behind(self._reading, functools.partial(self._semantic_index, follow=False))

    def _load_embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = index_embedder(self._require_vectors(), self._backend)
        return self._embedder

    def _require_vectors(self) -> Manifest:
        if self.manifest is None:
            raise StoreError(
                f"{self.index_dir} has no vector index; build one with: reslens build "
                "(needs: pip install 'reslens[search]')"
            )
        return self.manifest

    def _semantic_index(self, follow: bool = True) -> SemanticIndex:
        with self._reading:
            if self._semantic is None:
                manifest = self._require_vectors()
                try:
                    index = load_index(self.index_dir, manifest, passage_count(self.store))
                except StoreError:
                    if not follow or commit_id(self.index_dir / DB_NAME) in (self._commit, None):
                        raise
                    self._open()  # a commit since this call began removed the file: follow it
                    return self._semantic_index()
                self._semantic = SemanticIndex.load(self.store, index)
            return self._semantic

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts with the index's model (unit float32 rows)."""
        return self.embedder.encode(list(texts))

    @follows_commits
    def cached_encode(self, texts: Sequence[str]) -> np.ndarray:
        """:meth:`encode` that first reads the index's embedding cache, then this library's
        session memo (``encode_memo``), and embeds only what neither holds."""
        encode = cached_encoder(self.encode, self.index_dir, self.manifest, self.encode_memo)
        return encode(list(texts))

    @property
    @follows_commits
    def searcher(self) -> Searcher:
        """The search over this library's store, index and query model (one per commit: it
        keeps the filter masks and BM25 postings it has read)."""
        if self._searcher is None:
            semantic = self._semantic_index if self.manifest is not None else None
            languages = self.manifest.languages if self.manifest is not None else ()
            self._searcher = Searcher(
                self.store, semantic, self.encode, languages, self._load_behind
            )
        return self._searcher

    @follows_commits
    def search(
        self,
        query: str | Sequence[str],
        k: int = 10,
        *,
        since: int | None = None,
        until: int | None = None,
        kind: str | None = None,
        verbs: str | Sequence[str] | None = None,
        min_strength: int | None = None,
        subjects: str | Sequence[str] | None = None,
        resolutions: int | str | Sequence[int | str] | None = None,
        exclude_resolutions: int | str | Sequence[int | str] | None = None,
        chapter_vii: bool | None = None,
        addressees: str | Sequence[str] | None = None,
        sponsors: str | Sequence[str] | None = None,
        unanimous: bool | None = None,
        language: str = "en",
        mode: str = "hybrid",
        embeddings: np.ndarray | None = None,
        expand: bool | None = None,
        document: str | Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Paragraphs like ``query``: semantic, lexical (BM25) or hybrid (rank fusion).

        Args:
            query: a text, or a list of texts (a batch: the table's ``query`` column says
                which row answers which).
            k: hits per query.
            since / until: adoption years, inclusive.
            kind: ``operative`` or ``preambular``.
            verbs: verb lemmas or phrases (any matches), e.g. ``["requests", "decides"]``.
            min_strength: the paragraph's strongest verb is at least this rung (1–5).
            subjects: words matched against UNBIS subjects, keywords and agenda item.
            resolutions: restrict to these resolution numbers.
            exclude_resolutions: never return paragraphs of these resolutions.
            chapter_vii: only Chapter VII resolutions (or only others).
            addressees: addressee names (``"Member States"``, ``"MONUSCO"``; matched
                case-insensitively as the extractor writes them) or categories
                (``"mission"``, ``"committee_panel"``; ``docs/columns.md``); any matches.
            sponsors: Member States of which any sponsored the resolution.
            unanimous: only resolutions adopted with no vote against and no abstention (or
                only others); unknown votes match neither.
            language: paragraphs of this language (vectors: English).
            mode: ``semantic``, ``lexical`` or ``hybrid``.
            embeddings: precomputed query vectors (one row per query), skipping the model.
            expand: query expansion from the query's first semantic hits (pseudo-relevance
                feedback, :mod:`reslens.search.expansion`): finds the Council's words for
                plain ones ("kidnap" → "abduction"); one more semantic search per query.
                None (default): short queries (at most 12 words that are not stop words)
                in the semantic and hybrid modes; True / False: every query / none.
            document: ``None`` (resolutions), ``"all"``, or kinds: ``"prst"``, ``"draft"``.

        Returns:
            A DataFrame with the columns ``reslens.search.results.SEARCH_COLUMNS``: query, rank,
            key,
            symbol, date, year, number, kind, verbs, strength, score, semantic_score,
            lexical_score, text, passage (the best-matching passage), highlight (query words
            marked ``[like this]``), url.

        Examples:
            >>> lib.search("collection of data on trafficking", k=5, since=2010,
            ...            verbs=["requests"])  # doctest: +SKIP
        """
        filters = make_filters(
            since=since,
            until=until,
            kind=kind,
            verbs=verbs,
            min_strength=min_strength,
            subjects=subjects,
            resolutions=resolutions,
            exclude_resolutions=exclude_resolutions,
            chapter_vii=chapter_vii,
            language=language,
            addressees=addressees,
            sponsors=sponsors,
            unanimous=unanimous,
            document=document,
        )
        queries = [query] if isinstance(query, str) else list(query)
        return frame(self._search(queries, k, filters, mode, embeddings, expand))

    @follows_commits
    def search_rows(
        self,
        query: str | Sequence[str],
        k: int = 10,
        *,
        mode: str = "hybrid",
        embeddings: np.ndarray | None = None,
        expand: bool | None = None,
        **filters: Any,
    ) -> list[dict[str, Any]]:
        """The rows of :meth:`search`'s table as plain dicts (keys: ``SEARCH_COLUMNS``), read
        without importing pandas: what ``reslens search`` prints.

        Args:
            query, k, mode, embeddings, expand: as in :meth:`search`.
            **filters: the filters of :meth:`search` (``since=2010``, ``verbs=["requests"]``…).

        Examples:
            >>> lib.search_rows("sexual violence", k=1)[0]["key"]  # doctest: +SKIP
            '2467:op1'
        """
        queries = [query] if isinstance(query, str) else list(query)
        return self._search(queries, k, make_filters(**filters), mode, embeddings, expand)

    @follows_commits
    def similar(
        self,
        ref: str | Ref,
        k: int = 10,
        *,
        exclude_own_resolution: bool = False,
        since: int | None = None,
        until: int | None = None,
        kind: str | None = None,
        verbs: str | Sequence[str] | None = None,
        min_strength: int | None = None,
        document: str | Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Paragraphs most like the paragraph ``ref`` (itself excluded), semantically.

        Args:
            ref: a paragraph reference (``"2331:21"``).
            k: hits.
            exclude_own_resolution: leave out the paragraph's own resolution.
            since, until, kind, verbs, min_strength, document: filters as in :meth:`search`.

        Returns:
            The same table as :meth:`search` (its ``query`` column holds the key).
        """
        para = self.paragraph(ref)
        semantic = self._semantic_index()
        pid = self.store.paragraph_id(para.key)
        vids = semantic.vids_of({pid})
        if len(vids) == 0:
            raise ReslensError(f"{para.key} has no vectors (only {self._languages()} are indexed)")
        vector = semantic.paragraph_vectors([pid])
        filters = make_filters(
            since=since,
            until=until,
            kind=kind,
            verbs=verbs,
            min_strength=min_strength,
            language=para.language,
            exclude=(para.key,),
            exclude_resolutions=(para.resolution,) if exclude_own_resolution else (),
            document=document,
        )
        return frame(self._search([para.key], k, filters, "semantic", vector))

    def _languages(self) -> str:
        return ", ".join(self.manifest.languages) if self.manifest else "none"

    def _search(
        self,
        queries: list[str],
        k: int,
        filters: Filters,
        mode: str,
        embeddings: np.ndarray | None,
        expand: bool | None = False,
    ) -> list[dict[str, Any]]:
        if mode == "semantic" and self.manifest is None:
            self._require_vectors()
        return self.searcher.rows(queries, k, filters, mode, embeddings, expand)

    # -- comparison -------------------------------------------------------------------------
    @follows_commits
    def compare(self, a: str | Ref, b: str | Ref) -> Redline:
        """A word-level redline from ``a`` to ``b``, each a paragraph reference or free text.

        Returns:
            A :class:`~reslens.analysis.redline.Redline`: edit operations, similarity, and the
            change of
            operative verb and strength (``"encourages → requests: strength 3 → 4"``). It renders
            as HTML in Jupyter, ``.to_text()`` as ``[-deleted-]{+inserted+}``.

        Examples:
            >>> lib.compare("2331:op23", "2388:op34").summary  # doctest: +SKIP
        """
        from reslens.analysis.redline import redline

        para_a, text_a = self._paragraph_or_text(a)
        para_b, text_b = self._paragraph_or_text(b)
        either = para_b or para_a
        kind = either.kind if either else "operative"
        return redline(
            text_a,
            text_b,
            kind=kind,
            verbs_a=para_a.verbs if para_a else None,
            verbs_b=para_b.verbs if para_b else None,
        )

    @follows_commits
    def precedents(
        self,
        draft: str | Path,
        *,
        k: int = 3,
        threshold: float | None = None,
        since: int | None = None,
        until: int | None = None,
        changes: Literal["accept", "reject"] = "accept",
        language: str = "en",
        prefer: Literal["similar", "recent"] = "similar",
    ) -> Precedents:
        """Drafting support: the closest precedents of each paragraph of ``draft`` (text, or a
        ``Path`` to a text or Word .docx file, its tracked ``changes`` accepted or rejected), with
        redlines, and the paragraphs with no precedent above ``threshold`` (cosine similarity;
        default ``reslens.analysis.precedents.DEFAULT_THRESHOLD``). ``language="fr"`` adds each
        precedent's French text where the index has it (``version_key``, ``version_text``).
        ``prefer="recent"`` ranks the precedents at or above the threshold by ``weighted_score``:
        the cosine plus ``RECENCY_WEIGHT`` (0.1) times the year's place in the index's span.

        Examples:
            >>> draft = "1. Requests the Secretary-General to report ..."
            >>> lib.precedents(draft).without_precedent  # doctest: +SKIP
        """
        from reslens.analysis.precedents import DEFAULT_THRESHOLD, precedents

        def search(texts: list[str], k: int, since: int | None, until: int | None) -> pd.DataFrame:
            return self.search(texts, k, since=since, until=until, mode="semantic")

        def origin(key: str) -> str | None:
            try:
                return self.lineage(key, max_nodes=200).first_appearance
            except ReslensError:
                return None  # no graph in this index, or a key it lacks

        return precedents(
            search,
            draft,
            origin=origin,
            k=k,
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            since=since,
            until=until,
            changes=changes,
            language=language,
            version=lambda key: self._version(key, language),
            prefer=prefer,
            years=self.years() if prefer == "recent" else None,
        )

    def _version(self, key: str, language: str) -> tuple[str, str] | None:
        para = self.versions(key).get(language)
        return None if para is None else (para.key, para.text)

    @follows_commits
    def align(
        self,
        a: str | int,
        b: str | int,
        *,
        semantic: bool = True,
        preambles: bool = True,
        **options: Any,
    ) -> Alignment:
        """Map the paragraphs of resolution ``a`` onto those of ``b`` one to one (optimal
        assignment), preambles included, down to sub-points, labelled identical / typography /
        modified / moved / new / dropped / split / merged; ``.to_frame()`` has the redline of
        every changed pair. :meth:`renewal_report` adds verbs, addressees and a summary.

        Args:
            a: the earlier resolution (``2331``, ``"S/RES/2331 (2016)"``).
            b: the later one.
            semantic: embed with the index's model (needs a vector index); ``False``: lexical.
            preambles: align the preambular paragraphs too, and paragraphs that change kind
                (:func:`reslens.analysis.align_full.align_resolutions`); ``False``: the
                operative paragraphs only.
            **options: passed on (``threshold``, ``preamble_threshold``, …).

        Examples:
            >>> lib.align(2331, 2388).to_frame()  # doctest: +SKIP
        """
        import dataclasses

        res_a, res_b, result = self._align_whole(a, b, semantic, preambles, **options)
        return dataclasses.replace(result, a_url=res_a.url, b_url=res_b.url)

    def _paragraph_or_text(self, value: str | Ref) -> tuple[Paragraph | None, str]:
        """A reference names a paragraph (or a clause or sub-point: its unit's text, and no
        paragraph, so that its own verbs are read); anything else is free text (a draft)."""
        if not isinstance(value, Ref) and not looks_like_ref(value):
            return None, value
        ref = value if isinstance(value, Ref) else parse_ref(value)
        if ref.clause is not None or ref.point is not None:
            from reslens.analysis.obligations import units_of

            self.paragraph(ref.paragraph_key or ref.key)
            return None, " ".join(u.text for u in units_of(self.store, ref.key))
        para = self.paragraph(ref)
        return para, para.text

    @follows_commits
    def coverage(self) -> Coverage:
        """What the store holds and lacks (see :class:`reslens.store.coverage.Coverage`)."""
        from reslens.store.coverage import Coverage

        return Coverage.from_store(self.store)

    @follows_commits
    def problems(self) -> pd.DataFrame:
        """Files that could not be read: columns path, kind, message."""
        import pandas as pd

        return pd.DataFrame(self.store.problems(), columns=["path", "kind", "message"])


def open(
    index_dir: Path | str = DEFAULT_INDEX,
    *,
    model: str | None = None,
    backend: str = "auto",
    embedder: Embedder | None = None,
) -> Library:
    """Open the index directory built by :func:`reslens.index.build`.

    Args:
        index_dir: the index directory.
        model: the model the caller expects; a different one in the manifest is an error.
        backend: how queries are embedded: ``auto`` (ONNX where exported, else torch),
            ``onnx`` or ``torch``.
        embedder: an embedder object for queries (must be the index's model).

    Examples:
        >>> import reslens as rl
        >>> lib = rl.open("index")  # doctest: +SKIP
    """
    return Library(index_dir, model=model, backend=backend, embedder=embedder)
