"""The docstring examples of every module of the package, run as doctests.

Examples that need an index, the corpus or a model are marked ``# doctest: +SKIP`` in the
source and doctest skips them; every other example must give the output it shows.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import reslens
from reslens.errors import MissingExtraError

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def module_names(path: list[str], prefix: str) -> Iterator[str]:
    """Every module and package under ``path`` (found by pkgutil without importing them)."""
    for info in pkgutil.iter_modules(path, prefix):
        yield info.name
        if info.ispkg:
            yield from module_names(
                [str(Path(p) / info.name.rsplit(".", 1)[1]) for p in path], f"{info.name}."
            )


MODULES = ["reslens", *module_names(list(reslens.__path__), "reslens.")]


def test_the_walk_finds_the_package() -> None:
    """A walk that found nothing would make every doctest test below vacuous."""
    assert len(MODULES) == len(set(MODULES)) > 30
    for name in (
        "reslens.library",
        "reslens.search.hybrid",
        "reslens.store.queries",
        "reslens.index.vectors",
        "reslens.analysis.redline",
        "reslens.views.widgets.search",
    ):
        assert name in MODULES


def _import(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except (MissingExtraError, ModuleNotFoundError) as exc:
        missing = getattr(exc, "name", None) or getattr(exc, "package", None)
        if missing and not str(missing).startswith("reslens"):
            pytest.skip(f"{name} needs an optional extra that is not installed: {exc}")
        raise


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = _import(name)
    assert isinstance(module, ModuleType)
    # examples that write files (tempfile, relative paths) write under tmp_path
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    result = doctest.testmod(module, optionflags=FLAGS, report=True, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed"


@pytest.mark.parametrize(
    "name",
    [
        "reslens.analysis.redline",
        "reslens.files",
        "reslens.index.embedders",
        "reslens.language.lexicon",
        "reslens.language.refs",
        "reslens.language.verbs",
    ],
)
def test_examples_are_run_not_only_skipped(name: str) -> None:
    """These modules have examples that doctest really runs (not all ``+SKIP``)."""
    finder = doctest.DocTestFinder()
    module = importlib.import_module(name)
    examples = [
        example
        for test in finder.find(module)
        for example in test.examples
        if not example.options.get(doctest.SKIP)
    ]
    assert examples, f"{name} has no example that runs"
