"""ONNX export: turn a sentence-transformers model into the folder :class:`OnnxEmbedder` reads.

:func:`export_onnx` traces the transformer to ``model.onnx`` (optionally also a dynamically
quantised ``model_int8.onnx``), saves ``tokenizer.json`` and writes ``reslens_onnx.json`` with
the pooling, normalisation, window and lower-casing the sentence-transformers configuration
declares; it then checks the export's vectors against the torch model's before moving the
folder into place. It needs torch, sentence-transformers and onnxruntime (the ``search`` extra),
all imported lazily.

This module builds on :mod:`reslens.index.embedders` and is never imported by it: whoever wants
an export (``reslens build`` with the ``auto`` backend, ``scripts/export_onnx.py``) calls
:func:`export_onnx` and then loads the result with
:func:`reslens.index.embedders.load_embedder`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from reslens.errors import ReslensError
from reslens.index.embedders import (
    ONNX_META,
    OnnxEmbedder,
    _load_sentence_transformer,
    _resolve,
    _st_dimension,
    onnx_dir,
)

_POOLINGS = ("mean", "cls", "max")
_SAMPLE_TEXTS = (
    "Decides to extend the mandate of the Mission until 31 December 2017.",
    "Requests the Secretary-General to report to the Council every 90 days on the "
    "implementation of this resolution, including on the protection of civilians, the "
    "situation of women and children in armed conflict and the safety of peacekeepers;",
    "Condemns",
    "",
    "Recalling its resolutions 1325 (2000), 1820 (2008) and 2331 (2016) on trafficking in "
    "persons, and reaffirming its strong commitment to the sovereignty, independence, unity "
    "and territorial integrity of the country, " * 4,
)
"""Texts whose vectors the export must reproduce: short, long, empty, and past the window."""


@dataclass(frozen=True)
class ExportReport:
    """What :func:`export_onnx` wrote and how closely it matches the torch model."""

    folder: Path
    model_id: str
    max_abs_diff: float
    seconds: float
    int8: bool


def _st_settings(st: Any) -> dict[str, Any]:
    names = [type(m).__name__ for m in st]
    if not names or names[0] != "Transformer" or len(names) > 3:
        raise ReslensError(f"cannot export modules {names}: expected Transformer, Pooling")
    pooling = "cls"
    if len(names) > 1:
        if names[1] != "Pooling":
            raise ReslensError(f"cannot export modules {names}: second must be Pooling")
        mode = getattr(st[1], "pooling_mode", None)
        if not isinstance(mode, str):
            config = st[1].get_config_dict()
            mode = next((m for m in _POOLINGS if config.get(f"pooling_mode_{m}_tokens")), "")
            mode = "cls" if config.get("pooling_mode_cls_token") else mode
        pooling = mode
    if pooling not in _POOLINGS:
        raise ReslensError(f"cannot export pooling mode {pooling!r}")
    return {
        "pooling": pooling,
        "normalize": len(names) == 3 and names[2] == "Normalize",
        "max_seq_length": int(st.max_seq_length),
        "lowercase": bool(getattr(st[0], "do_lower_case", False)),
        "dimension": _st_dimension(st),
    }


def export_onnx(
    model: str | None = None,
    out_dir: str | Path | None = None,
    *,
    int8: bool = False,
    atol: float = 1e-4,
) -> ExportReport:
    """Export a sentence-transformers model to ONNX, offline, and verify it.

    The transformer is exported with eager attention (its traced graph is both correct on
    padded batches and faster in onnxruntime than the SDPA one), with dynamic batch and
    sequence axes. Its vectors are compared with the torch vectors on sample texts; the export
    is moved into place only when they agree within ``atol``.

    Args:
        model: model name or folder; ``None`` for the packaged default.
        out_dir: target folder; default :func:`onnx_dir` for the model.
        int8: also write a dynamically quantised ``model_int8.onnx``.
        atol: largest allowed absolute difference of any vector component.

    Returns:
        An :class:`ExportReport`.

    Raises:
        ReslensError: when the model cannot be exported or the export disagrees with torch.
    """
    started = time.perf_counter()
    model_id, target = _resolve(model)
    folder = Path(out_dir) if out_dir is not None else onnx_dir(model)
    st = _load_sentence_transformer(
        target, offline=Path(target).is_dir(), model_kwargs={"attn_implementation": "eager"}
    )
    settings = _st_settings(st)
    import torch

    class _Wrapper(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    inner = st[0].auto_model.eval()
    example = st.tokenizer(
        ["a short text", "a somewhat longer text, so that the batch is padded"],
        padding=True,
        return_tensors="pt",
    )
    names = ["input_ids", "attention_mask", "token_type_ids"]
    zeros = torch.zeros_like(example["input_ids"])
    args = tuple(example.get(n, zeros) for n in names)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=folder.parent))
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer and exporter chatter, checked below
            torch.onnx.export(
                _Wrapper(inner),
                args,
                str(tmp / "model.onnx"),
                input_names=names,
                output_names=["token_embeddings"],
                dynamic_axes={n: {0: "batch", 1: "sequence"} for n in [*names, "token_embeddings"]},
                opset_version=17,
                dynamo=False,
            )
        st.tokenizer.backend_tokenizer.save(str(tmp / "tokenizer.json"))
        meta = {"model_id": model_id, "source": target, **settings}
        (tmp / ONNX_META).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        reference = np.asarray(
            st.encode(list(_SAMPLE_TEXTS), convert_to_numpy=True, normalize_embeddings=True),
            dtype=np.float32,
        )
        got = OnnxEmbedder(tmp).encode(list(_SAMPLE_TEXTS), batch_size=3)
        diff = float(np.abs(got - reference).max())
        if not diff <= atol:
            raise ReslensError(f"ONNX export of {model_id} differs from torch by {diff:.2e}")
        meta["max_abs_diff"] = diff
        (tmp / ONNX_META).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        if int8:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantize_dynamic(
                tmp / "model.onnx", tmp / "model_int8.onnx", weight_type=QuantType.QInt8
            )
        tmp.chmod(0o755)
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return ExportReport(folder, model_id, diff, time.perf_counter() - started, int8)


__all__ = ["ExportReport", "export_onnx"]
