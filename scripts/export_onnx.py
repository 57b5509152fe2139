"""Export a sentence-transformers model to ONNX for reslens, offline, and verify it.

Usage::

    python scripts/export_onnx.py                      # the packaged all-MiniLM-L6-v2
    python scripts/export_onnx.py --model PATH_OR_NAME --out DIR --int8

By default the export goes to ``~/.cache/reslens/onnx/<model-id-slug>/`` (``$RESLENS_CACHE``
replaces ``~/.cache/reslens``), where ``reslens.index.embedders.load_embedder()`` finds it and
then uses
onnxruntime instead of torch. The vectors of the export are checked against the torch model's;
the export is kept only when they agree within ``--atol``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from reslens.errors import ReslensError
from reslens.index.onnx_export import export_onnx


def main(argv: list[str] | None = None) -> int:
    """Run the export; return the process exit code."""
    parser = argparse.ArgumentParser(description="Export an embedding model to ONNX.")
    parser.add_argument("--model", default=None, help="model name or folder (default: packaged)")
    parser.add_argument("--out", type=Path, default=None, help="target folder (default: cache)")
    parser.add_argument("--int8", action="store_true", help="also write a quantised model")
    parser.add_argument("--atol", type=float, default=1e-4, help="largest allowed difference")
    args = parser.parse_args(argv)
    try:
        report = export_onnx(args.model, args.out, int8=args.int8, atol=args.atol)
    except ReslensError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"exported {report.model_id} to {report.folder} in {report.seconds:.1f} s; "
        f"max abs diff vs torch {report.max_abs_diff:.2e}"
        + (" (+ model_int8.onnx)" if report.int8 else "")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
