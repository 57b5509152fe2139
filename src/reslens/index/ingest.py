"""``reslens ingest``: add PDF files (or text extracted from them) to a built index.

The text is repaired with the vocabulary the build learnt from the born-digital corpus
(``index/vocabulary.tsv``). Each file read is kept in ``index/ingested/`` and recorded
(:mod:`reslens.index.ingested`), so that every later build reads it again instead of dropping
it. A resolution already stored from a better source (AKN, CR-UNSC) is not replaced: the file is
recorded as a duplicate. A file that cannot be read — damaged, hostile (a compressed-stream
bomb), over a bound, or naming no valid resolution — is a problem of that file; the rest of the
batch goes in.

Like the build, ingest works on a copy of the store (``reslens.db.ingesting``) and renames it
into place at the end; the copy is removed whatever happens (and, after a killed ingest, by the
next one). When the index has vectors, the English paragraphs are embedded again with the
index's model, the embedding cache keeping the work to the new texts.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from reslens.errors import ReslensError, StoreError
from reslens.files import sha256_file
from reslens.index import search_arrays
from reslens.index.build import VOCABULARY, corpus_fingerprint
from reslens.index.ingested import (
    WORK,
    keep_copy,
    load_record,
    read_safely,
    save_record,
    signature,
)
from reslens.index.lock import writer_lock
from reslens.index.placing import forget_file, place_resolution
from reslens.index.report import BuildReport
from reslens.index.vectors import (
    MANIFEST,
    Manifest,
    build_vectors,
    read_manifest,
    remove_stale_vectors,
    write_manifest_file,
)
from reslens.language.vocab import Vocabulary
from reslens.models import Resolution
from reslens.sources.limits import check_number, check_year
from reslens.sources.readers.reconcile import with_link
from reslens.store.db import DB_NAME, SourceRecord, Store

if TYPE_CHECKING:
    from reslens.index.embedders import Embedder


@dataclass
class IngestReport:
    """What ingest did: resolutions added, files set aside, problems, notes (vectors)."""

    added: list[Resolution] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A few human lines."""
        lines = [
            f"added {res.symbol}: {len(res.operative())} operative and "
            f"{len(res.preambular())} preambular paragraphs "
            f"(kept as {res.source_path})"
            for res in self.added
        ]
        lines += [f"set aside {path}: {note}" for path, note in self.duplicates]
        lines += [
            f"problem: {path}: {message.removeprefix(f'{path}: ')}"
            for path, message in self.problems
        ]
        lines += self.notes
        return "\n".join(lines) or "nothing ingested"


def _fault_point(stage: str) -> None:
    """Kill this process here when ``RESLENS_FAULT`` names ``stage`` (for crash tests)."""
    if os.environ.get("RESLENS_FAULT") == stage:
        os.kill(os.getpid(), signal.SIGKILL)


def ingest_files(
    index_dir: Path | str,
    files: Sequence[Path],
    *,
    number: int | None = None,
    year: int | None = None,
    vectors: bool | None = None,
    embedder: Embedder | None = None,
    backend: str = "auto",
    say: Callable[[str], None] | None = None,
) -> IngestReport:
    """Add documents to the index ``index_dir``; each bad file is reported, the rest go in.

    Args:
        index_dir: a built index directory.
        files: PDF files, or ``.txt`` files of text extracted from PDFs.
        number: the resolution number, for files whose text does not print it.
        year: the year, likewise.
        vectors: embed the new paragraphs; ``None``: when the index has vectors and the search
            extra is installed. Without embedding, the index's vectors are dropped (they no
            longer match the store) with a note: ``reslens build`` makes them again.
        embedder: the embedder to use (default: the index's own model).
        backend: how to run the index's model (``auto``, ``onnx``, ``torch``).
        say: called with short status lines.

    Returns:
        An :class:`IngestReport`.

    Raises:
        ReslensError: ``number`` or ``year`` is not a possible resolution number or year;
            the index has no store or no vocabulary (build it first).

    Examples:
        >>> report = ingest_files("index", [Path("S_RES_1000.pdf")])  # doctest: +SKIP
        >>> print(report.summary())  # doctest: +SKIP
    """
    if number is not None:
        check_number(number, "--number")
    if year is not None:
        check_year(year, "--year")
    index = Path(index_dir)
    if not index.is_dir():
        raise StoreError(f"no store at {index / DB_NAME}; build one first: reslens build")
    with writer_lock(index, "ingest"):
        return _ingest_files(
            index,
            files,
            number=number,
            year=year,
            vectors=vectors,
            embedder=embedder,
            backend=backend,
            say=say,
        )


def _ingest_files(
    index_dir: Path,
    files: Sequence[Path],
    *,
    number: int | None,
    year: int | None,
    vectors: bool | None,
    embedder: Embedder | None,
    backend: str,
    say: Callable[[str], None] | None,
) -> IngestReport:
    """:func:`ingest_files` under the writer lock."""
    index = Path(index_dir)
    final = index / DB_NAME
    if not final.is_file():
        raise StoreError(f"no store at {final}; build one first: reslens build")
    vocab_path = index / VOCABULARY
    if not vocab_path.is_file():
        raise StoreError(f"{vocab_path} is missing; build the index first: reslens build")
    vocabulary = Vocabulary.load(vocab_path)
    work = index / WORK
    report = IngestReport()
    manifest: Manifest | None = None
    try:
        work.unlink(missing_ok=True)  # left by an ingest that was killed
        shutil.copy2(final, work)
        store = Store.create(work)
        try:
            placed = _place_files(store, index, files, vocabulary, number, year, report)
            manifest = read_manifest(store)
            if placed:
                store.set_meta("corpus_fingerprint", corpus_fingerprint(store))
                search_arrays.refresh(store)
                manifest = _revector(
                    store, index, manifest, vectors, embedder, backend, report, say
                )
            store.conn.commit()
        finally:
            store.close()
        _fault_point("ingest-commit")
        os.replace(work, final)  # the commit point: the store names its vectors file
    finally:
        work.unlink(missing_ok=True)
    remove_stale_vectors(index, manifest.vectors_file if manifest else None)
    write_manifest_file(index, manifest)
    if manifest is None:
        (index / MANIFEST).unlink(missing_ok=True)
    return report


def _place_files(
    store: Store,
    index: Path,
    files: Sequence[Path],
    vocabulary: Vocabulary,
    number: int | None,
    year: int | None,
    report: IngestReport,
) -> bool:
    """Read each file, keep a copy of the readable ones and store them; True when any was."""
    entries = load_record(index)
    vocab_digest = sha256_file(index / VOCABULARY)
    signatures: dict[str, str] = json.loads(store.get_meta("ingested") or "{}")
    placed = False
    for path in files:
        res = read_safely(Path(path), vocabulary=vocabulary, number=number, year=year)
        if isinstance(res, str):
            report.problems.append((str(path), res))
            store.add_problem(str(path), "unreadable", res)
            continue
        entry = keep_copy(index, Path(path), number=number, year=year)
        entries[entry.name] = entry
        save_record(index, entries)  # before the store: a killed ingest is read in later
        old = store.sources().get(entry.path)
        if old is not None:  # the same name ingested before: this copy replaces it
            forget_file(store, entry.path, old)
        record = SourceRecord(
            entry.path,
            entry.sha256,
            (index / entry.path).stat().st_size,
            res.source_format,
            res.language,
            res.number,
        )
        res = with_link(replace(res, source_path=entry.path), {})  # the symbol link
        outcome = BuildReport()
        place_resolution(store, res, record, outcome)
        if outcome.duplicates and outcome.duplicates[-1][0] == entry.path:
            report.duplicates.append(outcome.duplicates[-1])
        else:
            report.added.append(res)
        signatures[entry.path] = signature(entry, entry.sha256, vocab_digest)
        placed = True
        _fault_point("ingest-read")
    store.set_meta("ingested", json.dumps(signatures, sort_keys=True))
    return placed


def _revector(
    store: Store,
    index: Path,
    manifest: Manifest | None,
    vectors: bool | None,
    embedder: Embedder | None,
    backend: str,
    report: IngestReport,
    say: Callable[[str], None] | None,
) -> Manifest | None:
    """Embed the store's paragraphs again (new texts only: the cache has the others), or drop
    the vectors that no longer match it; the new manifest, or None."""
    if manifest is None:
        report.notes.append("note: the index has no vectors to add to; reslens build makes them")
        return None
    reason = None
    if vectors is False:
        reason = "not asked to embed"
    elif embedder is None and importlib.util.find_spec("faiss") is None:
        reason = "the search extra is not installed (pip install 'reslens[search]')"
    else:
        try:
            embedder = embedder or _index_embedder(manifest, backend, say)
            from reslens.index.embedders import model_fingerprint

            if model_fingerprint(embedder) != manifest.fingerprint:
                reason = f"{model_fingerprint(embedder)} is not the index's {manifest.fingerprint}"
        except ReslensError as exc:
            reason = str(exc)
    if reason is not None or embedder is None:
        store.set_meta("manifest", "")
        report.notes.append(
            f"note: the new paragraphs were not embedded ({reason}); the vectors are dropped "
            "until the next reslens build"
        )
        return None
    manifest = build_vectors(
        store,
        index,
        embedder,
        model=manifest.model,
        index_type=manifest.index_type,
        corpus_fingerprint=store.get_meta("corpus_fingerprint") or "",
        say=say,
    )
    _fault_point("ingest-vectors")
    return manifest


def _index_embedder(
    manifest: Manifest, backend: str, say: Callable[[str], None] | None
) -> Embedder:
    """The embedder of the index's own model (the fake one of a test index included)."""
    from reslens.index.build import build_embedder
    from reslens.index.embedders import DEFAULT_MODEL_ID, FakeEmbedder

    if manifest.model.startswith("reslens/fake-"):
        return FakeEmbedder(manifest.dimension)
    model = None if manifest.model == DEFAULT_MODEL_ID else manifest.model
    return build_embedder(model, backend, say or (lambda _msg: None))
