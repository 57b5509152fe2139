"""The build: source files → records → the SQLite store, incrementally and atomically.

A build holds the writer lock of the index directory (:mod:`reslens.index.lock`: one writer at
a time; the files a killed writer left are discarded first), checks the live store
(``PRAGMA quick_check``; a damaged one is read again from scratch), works on a copy of it
(``reslens.db.building``) and renames that over ``reslens.db`` only when it has finished, so a
killed build leaves the last good store in place. Unchanged source files (same sha256) are
skipped; changed ones are re-read; vanished ones are dropped. A file that cannot be read
becomes a row in ``problems`` and the rest goes on. Its parsing processes die with it
(:mod:`reslens.index.workers`); ``RESLENS_FAULT`` stops it at named stages for the tests
(:mod:`reslens.index.faults`).
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reslens.errors import ReslensError, SourceError, StoreError
from reslens.files import atomic_write_text, sha256_file
from reslens.index import search_arrays
from reslens.index.faults import fault_point
from reslens.index.ingested import is_ingested
from reslens.index.lock import writer_lock
from reslens.index.placing import _load_provenance, forget_file, place_resolution
from reslens.index.report import BuildReport as BuildReport
from reslens.index.vectors import (
    MANIFEST,
    Manifest,
    build_vectors,
    read_manifest,
    remove_stale_vectors,
    vectors_problem,
    write_manifest_file,
)
from reslens.index.workers import worker_pool
from reslens.models import Resolution
from reslens.sources.discover import CRUNSC, UNXML, SourceFile, discover
from reslens.store.db import DB_NAME, SourceRecord, Store, check_store
from reslens.version import __version__

if TYPE_CHECKING:
    from reslens.index.embedders import Embedder
    from reslens.sources.readers.metadata import AknMeta
    from reslens.sources.readers.reconcile import Disagreement

VOCABULARY = "vocabulary.tsv"


# The modules whose code decides what a source file becomes in the store: when any of them
# changes, a store built by the old code is read again from the sources.
_PARSER_MODULES = (
    "sources/limits.py",
    "sources/readers/akn.py",
    "sources/readers/akn_parts.py",
    "sources/readers/marks.py",
    "sources/readers/metadata.py",
    "sources/readers/reconcile.py",
    "sources/readers/crunsc.py",
    "sources/readers/pdf.py",
    "sources/readers/pdftext.py",
    "language/vocab.py",
    "language/verbs.py",
    "language/addressees.py",
    "language/units.py",
    "language/lexicon.py",
    "data/verbs.tsv",
    "data/member_states.txt",
    "language/states.py",
    "text.py",
    "models.py",
    "store/db.py",
)


def parser_fingerprint() -> str:
    """A hash of the reader and annotation code (and the verb lexicon)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in _PARSER_MODULES:
        path = root / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()[:16]


# -- reading (runs in worker processes) ----------------------------------------------------


@dataclass
class _ReadResult:
    source: SourceFile
    resolution: Resolution | None
    problem: str | None
    quirks: collections.Counter[str]
    document: AknMeta | None = None  # what an AKN file says of itself


def _read_one(args: tuple[str, SourceFile]) -> _ReadResult:
    root, source = args
    path = Path(root) / source.relpath
    quirks: collections.Counter[str] = collections.Counter()
    try:
        document: AknMeta | None = None
        if source.format == "akn":
            from reslens.sources.readers.akn import read_akn_with_meta

            res, document = read_akn_with_meta(path, quirks=quirks)
        else:
            res = read_source(path, source.format, quirks=quirks)
        if source.language and res.language != source.language:
            quirks["language differs from folder"] += 1
        res = replace(res, source_path=source.relpath)
        from reslens.language.verbs import annotate

        return _ReadResult(source, annotate(res), None, quirks, document)
    except ReslensError as exc:
        return _ReadResult(source, None, str(exc), quirks)
    except Exception as exc:  # a reader bug must not stop the build: report it by name
        return _ReadResult(
            source, None, f"{source.relpath}: unexpected {type(exc).__name__}: {exc}", quirks
        )


def read_source(
    path: Path, fmt: str, *, quirks: collections.Counter[str] | None = None
) -> Resolution:
    """Read one source file of a known format into a Resolution (not yet annotated)."""
    if fmt == "akn":
        from reslens.sources.readers.akn import read_akn

        return read_akn(path, quirks=quirks)
    if fmt == "crunsc":
        from reslens.sources.readers.crunsc import read_crunsc

        return read_crunsc(path)
    raise SourceError(f"{path}: unknown source format {fmt!r}")


# -- the build ------------------------------------------------------------------------------


def build(
    corpus_dir: Path | str,
    index_dir: Path | str,
    *,
    rebuild: bool = False,
    workers: int | None = None,
    progress: Callable[[str], None] | None = None,
    vectors: bool | None = None,
    model: str | None = None,
    backend: str = "auto",
    embedder: Embedder | None = None,
    index_type: str = "flat",
    rebuild_vectors: bool = False,
    progress_bar: bool = False,
) -> BuildReport:
    """Read the corpus into the store of ``index_dir``, skipping files that did not change,
    then embed the English paragraphs into a FAISS index.

    Args:
        corpus_dir: folder holding ``unxml-scresolutions/`` and/or ``cr-unsc-gold/``.
        index_dir: the index directory (created when missing).
        rebuild: start from an empty store instead of updating the existing one.
        workers: processes that parse files (default: the number of cores).
        progress: called with short status lines.
        vectors: build the vector index; ``None``: when the search extra is installed.
        model: sentence-transformers model name or folder (default: the packaged one).
        backend: ``auto`` (ONNX where an export exists, else torch), ``onnx`` or ``torch``.
        embedder: an embedder object to use instead of ``model``/``backend``.
        index_type: ``flat`` (exact, default) or ``hnsw`` (approximate).
        rebuild_vectors: embed again even when nothing changed (the cache still applies).
        progress_bar: show a progress bar with ETA while embedding.

    Returns:
        A :class:`BuildReport`.

    Examples:
        >>> report = build("corpus", "index")  # doctest: +SKIP
        >>> print(report.summary())  # doctest: +SKIP
    """
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    corpus = Path(corpus_dir)
    index = Path(index_dir)
    if not (corpus / UNXML).is_dir() and not (corpus / CRUNSC).is_dir():
        raise ReslensError(
            f"{corpus} holds neither {UNXML}/ nor {CRUNSC}/; "
            "fetch the corpus first: reslens fetch --mirror ../shared/corpus"
        )
    index.mkdir(parents=True, exist_ok=True)
    with writer_lock(index, "build", say):
        store, final, work = _work_store(index, rebuild, say, metadata_fingerprint(corpus))
        report = BuildReport()
        try:
            changed = _update(store, corpus, report, workers, say)
            if changed or not (index / VOCABULARY).exists():
                _learn_vocabulary(store, index / (VOCABULARY + ".building"))
            changed = _update_ingested(store, index, report) or changed
            store.set_meta("package_version", __version__)
            store.set_meta("built_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
            fingerprint = corpus_fingerprint(store)
            store.set_meta("corpus_fingerprint", fingerprint)
            if search_arrays.refresh(store):
                say("search arrays: filter columns and BM25 postings computed")
            manifest = _manifest_or_none(store, say)
            fault_point("store")
            if _wants_vectors(vectors, embedder):
                from reslens.index.embedders import model_fingerprint

                if embedder is None:
                    embedder = build_embedder(model, backend, say)
                stale = (
                    changed
                    or rebuild_vectors
                    or manifest is None
                    or manifest.fingerprint != model_fingerprint(embedder)
                    or manifest.index_type != index_type
                    or vectors_problem(index, manifest) is not None  # missing or damaged
                )
                if stale:
                    manifest = build_vectors(
                        store,
                        index,
                        embedder,
                        model=embedder.model_id,
                        index_type=index_type,
                        corpus_fingerprint=fingerprint,
                        progress=progress_bar,
                        say=say,
                        rewrite=rebuild_vectors,
                    )
            elif changed and manifest is not None:
                store.set_meta("manifest", "")  # the old vectors no longer match the paragraphs
                manifest = None
            report.graph = _update_graph(store, index, embedder if manifest else None, say)
            report.counts = store.counts()
            store.conn.commit()
        finally:
            store.close()
        # The vocabulary first: a kill between the two renames leaves a store that is older
        # than the vocabulary, which the next build reads again, never the other way round.
        if (index / (VOCABULARY + ".building")).exists():
            os.replace(index / (VOCABULARY + ".building"), index / VOCABULARY)
        fault_point("commit")
        os.replace(work, final)  # the commit point: the store names its vectors file
        fault_point("installed")
        remove_stale_vectors(index, manifest.vectors_file if manifest else None)
        write_manifest_file(index, manifest)
        if manifest is None:
            (index / MANIFEST).unlink(missing_ok=True)
        report.problems = _problems(final)
        report.seconds = time.perf_counter() - started
        write_json_atomic(index / "build.json", _report_json(report))
    return report


def _manifest_or_none(store: Store, say: Callable[[str], None]) -> Manifest | None:
    """The store's manifest; an unreadable one is dropped (the vectors are built again)."""
    try:
        return read_manifest(store)
    except StoreError as exc:
        say(f"{str(exc).split('; ')[0]}: dropped, the vectors are built again")
        store.set_meta("manifest", "")
        return None


def _work_store(
    index: Path, rebuild: bool, say: Callable[[str], None], metadata: str
) -> tuple[Store, Path, Path]:
    """(the store a build writes, the live store, the work store's path): a copy of the live
    store, or a new one for a rebuild (also when the readers or the UN's metadata files
    changed). Called with the writer lock held, leftovers gone."""
    final = index / DB_NAME
    work = index / (DB_NAME + ".building")
    parsers = parser_fingerprint()
    if final.exists() and not rebuild:
        damage = check_store(final)
        if damage is not None:
            say(f"{final} is damaged ({damage}): every file is read again")
            rebuild = True
    if final.exists() and not rebuild:
        with Store.open(final) as old:
            if old.get_meta("parser_fingerprint") != parsers:
                say("the readers changed since the last build: every file is read again")
                rebuild = True
            elif old.get_meta("metadata_fingerprint") != metadata:
                say(
                    "the UN's metadata files changed since the last build: every file is read again"
                )
                rebuild = True
    if final.exists() and not rebuild:
        shutil.copy2(final, work)
    store = Store.create(work)
    store.set_meta("parser_fingerprint", parsers)
    store.set_meta("metadata_fingerprint", metadata)
    return store, final, work


def _update_graph(
    store: Store, index: Path, embedder: Embedder | None, say: Callable[[str], None]
) -> str:
    """Units, references and parent edges of what changed (:mod:`reslens.index.graph`); by
    wording only with an embedder (else by reference alone). Returns the summary line."""
    from reslens.index.graph import update_graph
    from reslens.index.vectors import CACHE, EmbeddingCache

    if embedder is None:
        return update_graph(store, None, say=say).summary()
    from reslens.index.embedders import model_fingerprint

    cache = EmbeddingCache(index / CACHE)
    try:
        return update_graph(
            store,
            embedder.encode,
            cache=cache,
            fingerprint=model_fingerprint(embedder),
            dimension=embedder.dimension,
            say=say,
        ).summary()
    finally:
        cache.close()


def build_embedder(model: str | None, backend: str, say: Callable[[str], None]) -> Embedder:
    """The embedder of a build: with ``auto``, ONNX fp32 (exported once, offline, and checked
    against torch) where onnxruntime is installed, else torch; same vectors either way."""
    from reslens.index.embedders import load_embedder, onnx_dir
    from reslens.index.onnx_export import export_onnx

    if backend == "auto" and _has("onnxruntime") and _has("torch"):
        folder = onnx_dir(model)
        if not (folder / "model.onnx").is_file():
            say(f"exporting the model to ONNX once, into {folder} …")
            try:
                export_onnx(model)
            except ReslensError as exc:
                say(f"ONNX export failed ({exc}); embedding with torch")
                return load_embedder(model, backend="torch")
    return load_embedder(model, backend=backend)


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _wants_vectors(vectors: bool | None, embedder: Embedder | None) -> bool:
    if vectors is not None:
        return vectors
    if embedder is not None:
        return True
    return _has("faiss") and (_has("onnxruntime") or _has("sentence_transformers"))


def _update(
    store: Store,
    corpus: Path,
    report: BuildReport,
    workers: int | None,
    say: Callable[[str], None],
) -> bool:
    """Bring the store in line with the corpus; True when anything changed."""
    found = discover(corpus)
    report.files = len(found.files)
    provenance = _load_provenance(store, corpus, say)
    store.set_meta("ignored", json.dumps({k: len(v) for k, v in found.ignored.items()}))
    digests = {s.relpath: sha256_file(corpus / s.relpath) for s in found.files}
    # Forget vanished and changed files first: forgetting a kept file releases its duplicates,
    # which must then be read again in this same build.
    for path, record in store.sources().items():
        if is_ingested(path):
            continue  # not a corpus file: see _update_ingested
        if path not in digests:
            forget_file(store, path, record)
            report.removed += 1
        elif digests[path] != record.sha256:
            forget_file(store, path, record)
    known = store.sources()
    todo: list[tuple[SourceFile, str, int]] = []
    for source in found.files:
        if source.relpath in known:
            report.unchanged += 1
        else:
            digest = digests[source.relpath]
            todo.append((source, digest, (corpus / source.relpath).stat().st_size))
    say(f"{len(todo)} files to read, {report.unchanged} unchanged")
    if not todo:
        return report.removed > 0
    from reslens.sources.readers.metadata import load_metadata
    from reslens.sources.readers.reconcile import check_votes, reconcile, with_link

    metadata = load_metadata(corpus / UNXML) if (corpus / UNXML).is_dir() else {}
    urls = _record_urls(corpus)
    sizes = {s.relpath: (d, size) for s, d, size in todo}
    for result in _read_all(corpus, [s for s, _, _ in todo], workers):
        report.read += 1
        report.quirks.update(result.quirks)
        digest, size = sizes[result.source.relpath]
        record = SourceRecord(
            result.source.relpath, digest, size, result.source.format, result.source.language
        )
        if result.resolution is None:
            store.put_source(replace(record, status="problem", note=result.problem))
            store.add_problem(result.source.relpath, "unreadable", result.problem or "")
            continue
        res = result.resolution
        disagreements: list[Disagreement] = []
        if res.source_format == "akn":
            res, disagreements = reconcile(res, result.document, metadata.get(res.number))
        res, wrong_votes = check_votes(res)
        disagreements.extend(wrong_votes)
        res = with_link(res, urls)
        record = replace(record, language=res.language, resolution=res.number)
        place_resolution(store, res, record, report, provenance)
        for disagreement in disagreements:  # a record that contradicts its document is reported
            message = disagreement.message(res.symbol, res.language)
            store.add_problem(record.path, "metadata", message)
        if report.read == 1:
            fault_point("reading")
        if report.read % 500 == 0:
            say(f"read {report.read}/{len(todo)}")
    return True


def _update_ingested(store: Store, index: Path, report: BuildReport) -> bool:
    """Bring the store in line with the files ``reslens ingest`` keeps in ``index/ingested/``:
    read those that are new, changed, or read with another vocabulary; forget those no longer
    recorded. True when anything changed."""
    from reslens.index.ingested import read_safely, recorded_files, remove_leftovers, signature
    from reslens.language.vocab import Vocabulary
    from reslens.sources.readers.reconcile import with_link

    remove_leftovers(index)
    vocab_path = index / (VOCABULARY + ".building")
    if not vocab_path.is_file():
        vocab_path = index / VOCABULARY
    vocab_digest = sha256_file(vocab_path)
    files = recorded_files(index)
    digests = {path: sha256_file(index / path) for path in files}
    wanted = {path: signature(files[path], digests[path], vocab_digest) for path in files}
    stored = json.loads(store.get_meta("ingested") or "{}")
    changed = False
    for path, record in store.sources().items():
        if is_ingested(path) and (path not in wanted or stored.get(path) != wanted[path]):
            forget_file(store, path, record)
            report.removed += int(path not in wanted)
            changed = True
    known = store.sources()
    report.files += len(files)
    vocabulary: Vocabulary | None = None
    for path, entry in sorted(files.items()):
        if path in known:
            report.unchanged += 1
            continue
        vocabulary = vocabulary or Vocabulary.load(vocab_path)
        report.read += 1
        changed = True
        file = index / path
        fmt = "pdf" if file.suffix.lower() == ".pdf" else "pdftext"
        record = SourceRecord(path, digests[path], file.stat().st_size, fmt, None)
        res = read_safely(file, vocabulary=vocabulary, number=entry.number, year=entry.year)
        if isinstance(res, str):
            store.put_source(replace(record, status="problem", note=res))
            store.add_problem(path, "unreadable", res)
            continue
        record = replace(record, format=res.source_format, language=res.language)
        record = replace(record, resolution=res.number)
        res = with_link(replace(res, source_path=path), {})  # the symbol link
        place_resolution(store, res, record, report)
    store.set_meta("ingested", json.dumps(wanted, sort_keys=True))
    return changed


def _read_all(
    corpus: Path, sources: Sequence[SourceFile], workers: int | None
) -> Iterable[_ReadResult]:
    jobs = [(str(corpus), s) for s in sources]
    n = workers if workers is not None else (os.cpu_count() or 1)
    if n <= 1 or len(jobs) < 4:
        yield from map(_read_one, jobs)
        return
    with worker_pool(n) as pool:  # workers that die with the build
        yield from pool.map(_read_one, jobs, chunksize=16)


def _learn_vocabulary(store: Store, target: Path) -> None:
    """Word counts of the born-digital English text: the vocabulary that repairs PDF text."""
    from reslens.language.vocab import Vocabulary

    rows = store.conn.execute(
        "SELECT p.text FROM paragraphs p JOIN resolutions r ON r.id = p.resolution_id "
        "WHERE r.language = 'en' AND r.source_format = 'akn' AND r.document = 'resolution'"
    )
    Vocabulary.from_texts(text for (text,) in rows).save(target)


def _record_urls(corpus: Path) -> dict[int, str]:
    """Resolution number → UN Digital Library record, from CR-UNSC's record table."""
    table = corpus / CRUNSC / "data" / "UNSC_Record-Table_2722.csv"
    out: dict[int, str] = {}
    if not table.is_file():
        return out
    import csv

    with table.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            try:
                out[int(row["res_no"])] = row["url_record"].strip()
            except (KeyError, ValueError):
                continue
    return out


def metadata_fingerprint(corpus: Path) -> str:
    """A hash over the files joined to the texts rather than read as texts — the UN's
    ``data_extract`` records and CR-UNSC's record table: when one changes, titles, votes,
    agenda items and links may change, so every file is read again."""
    digest = hashlib.sha256()
    files = sorted((corpus / UNXML / "data_extract").glob("*.json"))
    files.append(corpus / CRUNSC / "data" / "UNSC_Record-Table_2722.csv")
    for path in files:
        if path.is_file():
            digest.update(f"{path.relative_to(corpus)}\0{sha256_file(path)}\n".encode())
    return digest.hexdigest()[:16]


def corpus_fingerprint(store: Store) -> str:
    """A hash over (path, sha256) of every source read, and over the metadata files joined to
    them: equal corpora give equal prints."""
    digest = hashlib.sha256()
    digest.update(f"metadata\0{store.get_meta('metadata_fingerprint') or '-'}\n".encode())
    for path, record in sorted(store.sources().items()):
        digest.update(f"{path}\0{record.sha256}\n".encode())
    return digest.hexdigest()[:16]


def _problems(db: Path) -> list[tuple[str, str, str]]:
    with Store.open(db) as store:
        return store.problems()


def _report_json(report: BuildReport) -> dict[str, Any]:
    return {
        "files": report.files,
        "read": report.read,
        "unchanged": report.unchanged,
        "removed": report.removed,
        "problems": len(report.problems),
        "duplicates": report.duplicates,
        "quirks": dict(report.quirks.most_common()),
        "counts": report.counts,
        "seconds": round(report.seconds, 2),
    }


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to a temporary file beside ``path`` and rename it into place."""
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
