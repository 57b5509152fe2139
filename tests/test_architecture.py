"""The shape of the package: layers, no import cycles, no oversized module
(scripts/check_architecture.py, also run by ``make lint``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_architecture", ROOT / "scripts" / "check_architecture.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_package_has_no_cycle_no_upward_import_no_oversized_module(
    checker: ModuleType,
) -> None:
    assert checker.check(ROOT / "src") == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "reslens" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_a_cycle_through_a_type_checking_import_is_found(
    checker: ModuleType, tmp_path: Path
) -> None:
    src = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "library.py": "from reslens.analysis.align import align\n",
            "analysis/__init__.py": "",
            "analysis/align.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from reslens.library import Library\n"
            ),
        },
    )
    problems = checker.check(src)
    assert any(p.startswith("cycle: ") and "reslens.library" in p for p in problems)
    assert any(p.startswith("layer: reslens.analysis.align") for p in problems)


def test_a_function_local_upward_import_and_a_long_module_are_found(
    checker: ModuleType, tmp_path: Path
) -> None:
    src = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "store/__init__.py": "",
            "store/db.py": "def f():\n    from reslens.search import hybrid\n",
            "search/__init__.py": "",
            "search/hybrid.py": "x = 1\n" * (checker.MAX_LINES + 1),
        },
    )
    problems = checker.check(src)
    assert any("reslens.store.db (store) imports reslens.search.hybrid" in p for p in problems)
    assert any(p.startswith("size: ") and "hybrid.py" in p for p in problems)
