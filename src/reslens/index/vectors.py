"""Paragraph vectors: passages, the embedding cache, the FAISS index and the manifest.

A paragraph longer than the model's window is embedded as several passages
(:func:`reslens.index.passages.split_passages`); row ``i`` of the FAISS index is the passage whose
``vid`` is ``i`` in the ``passages`` table of the store, and a paragraph scores by its best
passage.

Atomicity: the FAISS file is written under a new, content-addressed name
(``vectors-<hash>.faiss``) and the store that names it is renamed into place last, so the store
is the single commit point: a build killed at any moment leaves the previous store *and* the
vectors file it names untouched. ``manifest.json`` is a readable copy of the store's manifest,
written after the commit.

Integrity: the manifest records the size and CRC-32 of the vectors file. The file is checked
against them whenever it is opened and by every build, which writes it again when it differs:
a truncated or altered file is an error that names the repair, and ``reslens build`` repairs
it. A flat index is read without FAISS (:func:`read_flat`: its vectors go straight into an
aligned numpy matrix, each piece summed as it is read, one pass over the file).

The embedding cache (``embeddings.sqlite``) maps (model fingerprint, sha256 of text) to a
vector, so a rebuild embeds only new text; it survives ``--rebuild``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import struct
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from reslens.errors import MissingExtraError, StoreError
from reslens.files import atomic_write_text
from reslens.index.faults import fault_point
from reslens.store.db import SCHEMA_VERSION, Store
from reslens.version import __version__

if TYPE_CHECKING:
    from reslens.index.embedders import Embedder

MANIFEST = "manifest.json"
CACHE = "embeddings.sqlite"
MAX_WORDS = 150
OVERLAP_WORDS = 40

_PASSAGES_SQL = """
DROP TABLE IF EXISTS passages;
CREATE TABLE passages (
    vid INTEGER PRIMARY KEY,          -- row of the FAISS index
    paragraph_id INTEGER NOT NULL,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX passages_by_paragraph ON passages (paragraph_id);
"""


def import_faiss() -> Any:
    """Import faiss, or say which extra to install."""
    try:
        import faiss
    except ImportError as exc:
        raise MissingExtraError("faiss-cpu", "search") from exc
    # Batches of queries on a flat index are much faster through BLAS (measured ~7x for 100
    # queries here); the default threshold of 20 queries keeps small batches off BLAS.
    faiss.cvar.distance_compute_blas_threshold = 4
    return faiss


@dataclass(frozen=True)
class Manifest:
    """What an index directory holds; stored in the store's meta and in ``manifest.json``."""

    schema_version: int
    package_version: str
    model: str
    fingerprint: str
    dimension: int
    normalised: bool
    metric: str
    index_type: str
    vectors_file: str
    corpus_fingerprint: str
    languages: list[str]
    paragraphs: int
    passages: int
    distinct_texts: int
    max_words: int
    built_at: str
    #: size in bytes and CRC-32 (8 hex digits) of the vectors file; 0 and "" in manifests
    #: written before they were recorded (such a file is checked by the next build)
    vectors_bytes: int = 0
    vectors_crc32: str = ""

    def to_json(self) -> str:
        """The manifest as indented JSON."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse a manifest; anything but a JSON object of exactly the known fields, each of
        its type, naming a vectors file in the index directory, is a StoreError."""
        try:
            return cls(**_checked_fields(json.loads(text)))
        except ValueError as exc:
            raise StoreError(
                f"unreadable index manifest ({exc}); rebuild it with: reslens build"
            ) from exc


_VECTORS_NAME = re.compile(r"vectors-[a-z0-9]+-[0-9a-f]{16}\.faiss")
_TYPES: dict[str, type | tuple[type, ...]] = {"int": int, "str": str, "bool": bool}


def _checked_fields(data: object) -> dict[str, Any]:
    """``data`` if it is a valid manifest's fields; else ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"a JSON {type(data).__name__}, not an object")
    known = {f.name: f for f in fields(Manifest)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    for name, spec in known.items():
        if name not in data:
            if spec.default is MISSING:
                raise ValueError(f"no field {name!r}")
            continue
        value = data[name]
        if spec.type == "list[str]":
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        else:
            wanted = _TYPES[str(spec.type)]
            ok = isinstance(value, wanted) and (wanted is bool or not isinstance(value, bool))
        if not ok:
            raise ValueError(f"{name} is {value!r}, not of type {spec.type}")
    if not _VECTORS_NAME.fullmatch(data["vectors_file"]):
        raise ValueError(f"vectors_file {data['vectors_file']!r} is not a vectors file name")
    return data


class EmbeddingCache:
    """(model fingerprint, sha256 of text) → float32 vector, in a SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(path)
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, sha TEXT NOT NULL,"
            " vector BLOB NOT NULL, PRIMARY KEY (model, sha))"
        )

    def get(self, model: str, shas: Sequence[str], dimension: int) -> dict[str, np.ndarray]:
        """The cached vectors among ``shas``."""
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(shas), 900):
            chunk = list(shas[start : start + 900])
            rows = self.conn.execute(
                f"SELECT sha, vector FROM vectors WHERE model = ? AND sha IN "
                f"({','.join('?' * len(chunk))})",
                [model, *chunk],
            )
            for sha, blob in rows:
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape == (dimension,):
                    found[sha] = vector
        return found

    def put(self, model: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Store vectors."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
            ((model, sha, np.asarray(v, dtype=np.float32).tobytes()) for sha, v in items),
        )
        self.conn.commit()

    def close(self) -> None:
        """Close the file."""
        self.conn.close()


def text_sha(text: str) -> str:
    """The cache key of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_passages(
    store: Store, languages: Sequence[str], max_words: int = MAX_WORDS
) -> list[tuple[int, int, str]]:
    """(paragraph_id, ordinal, text) of every passage of the paragraphs in ``languages``."""
    from reslens.index.passages import split_passages

    marks = ",".join("?" * len(languages))
    rows = store.conn.execute(
        f"SELECT id, text, points FROM paragraphs WHERE language IN ({marks})"
        " ORDER BY resolution, ordinal",
        list(languages),
    )
    out: list[tuple[int, int, str]] = []
    for pid, text, points_json in rows:
        points = [p["text"] for p in json.loads(points_json)]
        for ordinal, passage in enumerate(
            split_passages(text, points=points, max_words=max_words, overlap_words=OVERLAP_WORDS)
        ):
            out.append((int(pid), ordinal, passage))
    return out


def embed_passages(
    texts: Sequence[str],
    embedder: Embedder,
    cache: EmbeddingCache | None,
    *,
    progress: bool = False,
    say: Callable[[str], None] | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for ``texts`` (one row each), embedding only texts the cache lacks.

    Returns:
        (matrix, number of distinct texts embedded now).
    """
    from reslens.index.embedders import model_fingerprint

    fingerprint = model_fingerprint(embedder)
    shas = [text_sha(t) for t in texts]
    first: dict[str, int] = {}
    for i, sha in enumerate(shas):
        first.setdefault(sha, i)
    cached = cache.get(fingerprint, list(first), embedder.dimension) if cache else {}
    missing = [sha for sha in first if sha not in cached]
    if say:
        say(
            f"{len(texts):,} passages, {len(first):,} distinct, {len(cached):,} cached, "
            f"{len(missing):,} to embed with {embedder.model_id}"
        )
    if missing:
        started = time.perf_counter()
        vectors = embedder.encode([texts[first[s]] for s in missing], progress=progress)
        if say:
            seconds = time.perf_counter() - started
            say(
                f"embedded {len(missing):,} texts in {seconds:.1f} s "
                f"({len(missing) / max(seconds, 1e-9):.0f}/s)"
            )
        fresh = dict(zip(missing, vectors, strict=True))
        if cache:
            cache.put(fingerprint, fresh.items())
        cached.update(fresh)
    matrix = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    for i, sha in enumerate(shas):
        matrix[i] = cached[sha]
    return matrix, len(missing)


def new_index(dimension: int, index_type: str) -> Any:
    """An empty FAISS index: exact inner product (``flat``) or HNSW (``hnsw``, approximate)."""
    faiss = import_faiss()
    if index_type == "flat":
        return faiss.IndexFlatIP(dimension)
    if index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
        return index
    raise StoreError(f"unknown index type {index_type!r} (flat, hnsw)")


def build_vectors(
    store: Store,
    index_dir: Path,
    embedder: Embedder,
    *,
    model: str,
    languages: Sequence[str] = ("en",),
    index_type: str = "flat",
    corpus_fingerprint: str = "",
    progress: bool = False,
    say: Callable[[str], None] | None = None,
    rewrite: bool = False,
) -> Manifest:
    """Write passages into ``store`` and a new FAISS file into ``index_dir``.

    A vectors file of the same content (hence name) is kept when its size and checksum are
    right, and written again when they are not, or when ``rewrite`` is set.
    The store is not committed here: the caller renames it into place, which commits both.
    """
    from reslens.index.embedders import model_fingerprint

    faiss = import_faiss()
    passages = make_passages(store, languages)
    store.conn.executescript(_PASSAGES_SQL)
    store.conn.executemany(
        "INSERT INTO passages VALUES (?, ?, ?, ?)",
        ((vid, pid, ordinal, text) for vid, (pid, ordinal, text) in enumerate(passages)),
    )
    fault_point("embedding")
    cache = EmbeddingCache(index_dir / CACHE)
    try:
        matrix, _ = embed_passages(
            [t for _, _, t in passages], embedder, cache, progress=progress, say=say
        )
    finally:
        cache.close()
    index = new_index(embedder.dimension, index_type)
    if len(matrix):
        index.add(matrix)
    digest = hashlib.sha256(matrix.tobytes()).hexdigest()[:16]
    name = f"vectors-{index_type}-{digest}.faiss"
    data = faiss.serialize_index(index)
    size, crc = len(data), f"{zlib.crc32(data):08x}"
    target = index_dir / name
    if rewrite or file_checksum(target) != (size, crc):  # new, or damaged: (re)write it
        _write_vectors(target, data)
    manifest = Manifest(
        schema_version=SCHEMA_VERSION,
        package_version=__version__,
        model=model,
        fingerprint=model_fingerprint(embedder),
        dimension=embedder.dimension,
        normalised=True,
        metric="inner_product",
        index_type=index_type,
        vectors_file=name,
        corpus_fingerprint=corpus_fingerprint,
        languages=list(languages),
        paragraphs=len({pid for pid, _, _ in passages}),
        passages=len(passages),
        distinct_texts=len({t for _, _, t in passages}),
        max_words=MAX_WORDS,
        built_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        vectors_bytes=size,
        vectors_crc32=crc,
    )
    store.set_meta("manifest", manifest.to_json())
    return manifest


def _write_vectors(target: Path, data: Any) -> None:
    """Write the serialised index to ``target`` through a temporary file and a rename."""
    tmp = target.with_name(target.name + ".building")
    with open(tmp, "wb") as out:
        out.write(data[: len(data) // 2])
        out.flush()
        fault_point("vectors-write")
        out.write(data[len(data) // 2 :])
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)
    fault_point("vectors-rename")


def file_checksum(path: Path) -> tuple[int, str] | None:
    """(size in bytes, CRC-32 as 8 hex digits) of a file, or None when there is none."""
    crc = 0
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                crc = zlib.crc32(chunk, crc)
            size = handle.tell()
    except FileNotFoundError:
        return None
    return size, f"{crc:08x}"


def vectors_problem(index_dir: Path, manifest: Manifest) -> str | None:
    """What is wrong with the vectors file of ``manifest``: None when it is there and has the
    recorded size and checksum."""
    path = index_dir / manifest.vectors_file
    found = file_checksum(path)
    if found is None:
        return "missing"
    if not manifest.vectors_crc32:
        return "no checksum recorded"
    size, crc = found
    if size != manifest.vectors_bytes:
        return f"{size} bytes, the store expects {manifest.vectors_bytes}"
    if crc != manifest.vectors_crc32:
        return f"checksum {crc}, the store expects {manifest.vectors_crc32}"
    return None


def read_manifest(store: Store) -> Manifest | None:
    """The manifest committed with the store, or None when it has no vectors."""
    raw = store.get_meta("manifest")
    if not raw:
        return None
    try:
        return Manifest.from_json(raw)
    except StoreError as exc:
        raise StoreError(f"{store.path}: {exc}") from exc


def load_index(index_dir: Path, manifest: Manifest, passages: int) -> Any:
    """The vectors named by the manifest, checked against its recorded size and checksum and
    against the store: a flat index's as a float32 matrix (row ``vid``), read without FAISS
    and summed in the same pass; an HNSW index as its FAISS index."""
    path = index_dir / manifest.vectors_file
    how = "rebuild it with: reslens build"
    if manifest.index_type == "flat":
        try:
            matrix = read_flat(path, manifest)
        except FileNotFoundError:
            raise StoreError(f"{path} is missing; {how}") from None
        except ValueError as exc:
            raise StoreError(f"{path} is corrupted ({exc}); {how}") from exc
        if matrix is not None:
            if len(matrix) != passages:
                raise StoreError(
                    f"{path} holds {len(matrix)} vectors of dimension {manifest.dimension}, the "
                    f"store expects {passages}; {how}"
                )
            return matrix
    faiss = import_faiss()
    problem = vectors_problem(index_dir, manifest)
    if problem == "missing":
        raise StoreError(f"{path} is missing; {how}")
    if problem is not None and problem != "no checksum recorded":  # older indexes: no sum
        raise StoreError(f"{path} is corrupted ({problem}); {how}")
    try:
        index = faiss.read_index(str(path))
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        raise StoreError(f"{path} is corrupted ({first[:120]}); {how}") from exc
    if index.d != manifest.dimension or index.ntotal != passages:
        raise StoreError(
            f"{path} holds {index.ntotal} vectors of dimension {index.d}, the store expects "
            f"{passages} of dimension {manifest.dimension}; {how}"
        )
    return index


#: The head of a FAISS ``IndexFlatIP`` file: fourcc, dimension, count, two unused fields,
#: is_trained, metric (0: inner product), then the number of floats that follow.
_FLAT_HEAD = struct.Struct("<4siqqq?iQ")
#: Bytes read (and summed) at a time: small enough to be summed while still in the cache.
_CHUNK = 1 << 21


def read_flat(path: Path, manifest: Manifest) -> np.ndarray | None:
    """The vectors of a flat inner-product FAISS file as an aligned float32 matrix, its CRC-32
    computed while it is read (one pass over the file, each piece summed while in the cache)
    and compared with the manifest's.

    Returns:
        The matrix, or None when the file does not start as a flat inner-product index of
        the manifest's dimension written by this FAISS format (FAISS then reads it).

    Raises:
        FileNotFoundError: no file.
        ValueError: a size or checksum other than the recorded ones, or a head that does
            not match the file's size.
    """
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if manifest.vectors_crc32 and size != manifest.vectors_bytes:
            raise ValueError(f"{size} bytes, the store expects {manifest.vectors_bytes}")
        head = handle.read(_FLAT_HEAD.size)
        if len(head) < _FLAT_HEAD.size:
            raise ValueError(f"{size} bytes, too short for a vectors file")
        fourcc, d, ntotal, _, _, _, metric, floats = _FLAT_HEAD.unpack(head)
        if fourcc != b"IxFI" or metric != 0 or d != manifest.dimension:
            return None
        if ntotal < 0 or floats != ntotal * d or size != _FLAT_HEAD.size + 4 * floats:
            raise ValueError(f"{size} bytes, its head says {ntotal} vectors of dimension {d}")
        matrix = np.empty((ntotal, d), dtype=np.float32)
        view = matrix.reshape(-1).view(np.uint8).data  # writes go into the matrix
        crc = zlib.crc32(head)
        for start in range(0, len(view), _CHUNK):
            piece = view[start : start + _CHUNK]
            if handle.readinto(piece) != len(piece):
                raise ValueError("the file ended early")
            crc = zlib.crc32(piece, crc)
    if manifest.vectors_crc32 and f"{crc:08x}" != manifest.vectors_crc32:
        raise ValueError(f"checksum {crc:08x}, the store expects {manifest.vectors_crc32}")
    return matrix


def index_embedder(manifest: Manifest, backend: str = "auto") -> Embedder:
    """The query embedder of an index: the model its manifest names (the fake embedder of an
    index built for tests), checked against the manifest's fingerprint.

    Raises:
        StoreError: when the model loaded is not the one that embedded the index.
    """
    from reslens.index.embedders import (
        FakeEmbedder,
        load_embedder,
        model_fingerprint,
        model_source,
    )

    if manifest.model.startswith("reslens/fake-"):
        embedder: Embedder = FakeEmbedder(manifest.dimension)
    else:
        embedder = load_embedder(model_source(manifest.model), backend=backend)
    if model_fingerprint(embedder).split(":")[:2] != manifest.fingerprint.split(":")[:2]:
        raise StoreError(
            f"the query model {model_fingerprint(embedder)} does not match the index "
            f"({manifest.fingerprint}); rebuild with: reslens build --rebuild-vectors"
        )
    return embedder


def remove_stale_vectors(index_dir: Path, keep: str | None) -> None:
    """Delete vectors files other than ``keep`` (and leftovers of killed builds)."""
    for path in index_dir.glob("vectors-*.faiss*"):
        if path.name != keep:
            path.unlink(missing_ok=True)


def write_manifest_file(index_dir: Path, manifest: Manifest | None) -> None:
    """Write ``manifest.json`` atomically (a readable copy of the store's manifest)."""
    if manifest is None:
        return
    atomic_write_text(index_dir / MANIFEST, manifest.to_json())


MEMO_LIMIT = 50_000
"""Most texts a :func:`cached_encoder` memo keeps (≈ 77 MB at 384-d)."""


def cached_encoder(
    encode: Callable[[list[str]], np.ndarray],
    index_dir: Path,
    manifest: Manifest | None,
    memo: dict[str, np.ndarray],
) -> Callable[[list[str]], np.ndarray]:
    """``encode`` that first looks texts up in the index's embedding cache, then in ``memo``.

    Paragraph passages were embedded when the index was built, so aligning two indexed
    resolutions runs the model only for their sub-points and clause-sized pieces. The cache
    file is read, never written; what the model embeds is kept in ``memo`` (up to
    ``MEMO_LIMIT`` texts; the caller owns it, e.g. a library for its session), so aligning
    again does not embed again.
    """
    path = index_dir / CACHE
    if manifest is None or not path.is_file():
        return encode
    fingerprint, dimension = manifest.fingerprint, manifest.dimension

    def cached(texts: list[str]) -> np.ndarray:
        shas = [text_sha(t) for t in texts]
        cache = EmbeddingCache(path)
        try:
            found = cache.get(fingerprint, list(dict.fromkeys(shas)), dimension)
        finally:
            cache.close()
        for sha in shas:
            if sha not in found and sha in memo:
                found[sha] = memo[sha]
        missing = list(dict.fromkeys(t for t, s in zip(texts, shas, strict=True) if s not in found))
        if missing:
            if len(memo) + len(missing) > MEMO_LIMIT:
                memo.clear()
            for text, vector in zip(missing, encode(missing), strict=True):
                found[text_sha(text)] = memo[text_sha(text)] = np.asarray(vector, np.float32)
        return np.vstack([found[s] for s in shas]).astype(np.float32)

    return cached
