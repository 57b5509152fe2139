"""Check the shape of ``src/reslens``: layers, import cycles and module size.

Every import counts, at any depth of a module (inside functions and ``if TYPE_CHECKING:``
blocks too), because each one is a dependency a reader has to follow. The checks:

1. **Layers.** A module may import only from its own layer or the layers before it, in the
   order of the data flow (``LAYERS`` below).
2. **No cycles.** The graph of imports between modules of the package has no cycle.
3. **Size.** No module is longer than ``MAX_LINES`` lines.

Usage: ``python scripts/check_architecture.py [SRC_DIR]``; exit 1 with a list of problems.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MAX_LINES = 650
PACKAGE = "reslens"

#: The data flow, first to last. A module's layer is the first prefix that matches it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "base",
        (
            "reslens.version",
            "reslens.errors",
            "reslens.models",
            "reslens.text",
            "reslens.linalg",
            "reslens.files",
        ),
    ),
    ("language", ("reslens.language",)),
    ("sources", ("reslens.sources",)),
    ("store", ("reslens.store",)),
    ("index", ("reslens.index",)),
    ("search", ("reslens.search",)),
    ("analysis", ("reslens.analysis",)),
    ("library", ("reslens.library", "reslens.library_history", "reslens.library_languages")),
    ("views", ("reslens.views",)),
    ("package", ("reslens.widgets", "reslens")),
]


def layer_of(module: str) -> int:
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                return rank
    raise SystemExit(f"{module}: in no layer of LAYERS; add it to {__file__}")


def modules(src: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted((src / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``path`` imports (a name imported from a package that is a
    module of its own counts as that module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base]
            targets += [f"{base}.{alias.name}" for alias in node.names]
        # ``from reslens.index import embedders`` names a module; ``from reslens.store import
        # Store`` names a class, and counts as the package it comes from
        out.update(target for target in targets if target in known)
    out.discard(name)
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def check(src: Path) -> list[str]:
    known = modules(src)
    graph = {name: imports(path, name, known) for name, path in known.items()}
    problems: list[str] = []
    for name, targets in sorted(graph.items()):
        for target in sorted(targets):
            if target.startswith(name + "."):
                continue  # a package's own __init__ gathers its modules
            if layer_of(target) > layer_of(name):
                problems.append(
                    f"layer: {name} ({LAYERS[layer_of(name)][0]}) imports {target} "
                    f"({LAYERS[layer_of(target)][0]}), a later layer"
                )
    for component in cycles(graph):
        problems.append("cycle: " + " ↔ ".join(component))
    for path in sorted(known.values()):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            problems.append(f"size: {path} has {lines} lines (at most {MAX_LINES})")
    return problems


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "src"
    problems = check(src)
    for problem in problems:
        print(problem)
    count = len(modules(src))
    print(f"{count} modules: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
