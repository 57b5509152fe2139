"""The outcome of a build (and of the placing of files an ingest shares with it)."""

from __future__ import annotations

import collections
from dataclasses import dataclass, field


@dataclass
class BuildReport:
    """The outcome of a build."""

    files: int = 0
    read: int = 0
    unchanged: int = 0
    removed: int = 0
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    quirks: collections.Counter[str] = field(default_factory=collections.Counter)
    counts: dict[str, int] = field(default_factory=dict)
    graph: str = ""
    seconds: float = 0.0

    def summary(self) -> str:
        """A few human lines."""
        lines = [
            f"{self.files} source files: {self.read} read, {self.unchanged} unchanged, "
            f"{self.removed} removed, {len(self.problems)} problems, "
            f"{len(self.duplicates)} duplicates set aside ({self.seconds:.1f} s)",
            "store: " + ", ".join(f"{k} {v:,}" for k, v in self.counts.items()),
        ]
        if self.graph:
            lines.append(self.graph)
        for path, kind, message in self.problems[:20]:
            lines.append(f"problem: {path}: {kind}: {message}")
        if len(self.problems) > 20:
            lines.append(f"... and {len(self.problems) - 20} more problems (reslens coverage)")
        return "\n".join(lines)
