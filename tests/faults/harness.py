"""What the fault-injection tests share: a corpus big enough for SQLite to reuse freed pages, a
change to it, ``reslens build`` in a subprocess (with ``RESLENS_FAULT``), the answers an index
gives, and the processes a build left behind (read from /proc: psutil is not a dependency)."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import reslens as rl
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.library import Library
from reslens.store.db import DB_NAME
from tests.minicorpus import RES_2002, akn, write_corpus

_TEXT = (
    "peace security council mission mandate report secretary general parties ceasefire "
    "sanctions embargo humanitarian access civilians protection women children elections "
    "monitoring troops police support transition dialogue reconciliation border refugees"
)
WORDS = tuple(_TEXT.split())
GENERATED = range(2100, 2160)
NEW_NUMBER = 2200

QUERIES = (
    "report on trafficking in persons in armed conflict",
    "ceasefire monitoring troops border",
    "sanctions embargo humanitarian access",
    "protect fishing villages on the northern lakes",
)


def _generated(folder: Path, number: int, rnd: random.Random) -> None:
    ops = [
        '<span class="italic">Requests</span> '
        + " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(20, 300)))
        for _ in range(6)
    ]
    pre = ["Recalling " + " ".join(rnd.choice(WORDS) for _ in range(30))]
    (folder / f"S_RES_{number}_12{number:05d}E.xml").write_text(
        akn(number, 2012, "2012-01-01", ops, pre), encoding="utf-8"
    )


def make_corpus(root: Path) -> Path:
    """The mini corpus plus 60 generated resolutions of 2012 (S/RES/2100–2159)."""
    corpus = write_corpus(root)
    folder = corpus / "unxml-scresolutions" / "Pre-2020" / "2012"
    folder.mkdir(parents=True)
    rnd = random.Random(11)
    for number in GENERATED:
        _generated(folder, number, rnd)
    return corpus


def change_corpus(corpus: Path) -> None:
    """Half of the generated resolutions go, 2002 changes its verbs, 2200 is new: a build of
    the changed corpus deletes, rewrites and adds (and SQLite reuses the freed pages)."""
    folder = corpus / "unxml-scresolutions" / "Pre-2020" / "2012"
    for number in list(GENERATED)[::2]:
        (folder / f"S_RES_{number}_12{number:05d}E.xml").unlink()
    (corpus / "unxml-scresolutions/Pre-2020/2011/S_RES_2002_1100002E.xml").write_text(
        RES_2002.replace("Decides", "Requests"), encoding="utf-8"
    )
    (folder / f"S_RES_{NEW_NUMBER}_1200999E.xml").write_text(
        akn(
            NEW_NUMBER,
            2012,
            "2012-06-01",
            ["Urges the parties to protect fishing villages on the northern lakes."],
            [],
        ),
        encoding="utf-8",
    )


@dataclass
class World:
    """Two corpora (before and after the change), a clean index of each and their answers."""

    old_corpus: Path
    new_corpus: Path
    old_index: Path
    new_index: Path
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    def fresh_index(self, target: Path) -> Path:
        """A copy of the clean index of the old corpus (what the killed build updates)."""
        shutil.copytree(self.old_index, target)
        return target


def make_world(root: Path) -> World:
    old = make_corpus(root / "old-corpus")
    new = make_corpus(root / "new-corpus")
    change_corpus(new)
    world = World(old, new, root / "old-index", root / "new-index")
    build(old, world.old_index, workers=1, embedder=FakeEmbedder())
    build(new, world.new_index, workers=1, embedder=FakeEmbedder())
    world.before = answers(world.old_index)
    world.after = answers(world.new_index)
    assert world.before != world.after
    return world


def answers(index: Path | Library) -> dict[str, Any]:
    """What an index answers (through a library opened now, or the one given): searches in
    every mode, similar paragraphs, the resolutions held, a paragraph that the change rewrites."""
    if isinstance(index, Library):
        return _answers(index)
    with rl.open(index) as lib:
        return _answers(lib)


def _answers(lib: Library) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for query in QUERIES:
        for mode in ("semantic", "lexical", "hybrid"):
            hits = lib.search(query, k=8, mode=mode)
            out[f"{mode}: {query}"] = [
                (key, f"{score:.6g}") for key, score in zip(hits["key"], hits["score"], strict=True)
            ]
    out["similar 2001:1"] = list(lib.similar("2001:1", k=5)["key"])
    out["2002:1"] = lib.paragraph("2002:1").verbs[0].lemma
    out["resolutions"] = [n for n, _, _ in lib.store.resolution_numbers()]
    return out


def integrity(index: Path) -> list[str]:
    """``PRAGMA integrity_check`` of the store (``["ok"]`` when sound)."""
    conn = sqlite3.connect(f"file:{index / DB_NAME}?mode=ro", uri=True)
    try:
        return [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:  # too damaged to check
        return [f"{type(exc).__name__}: {exc}"]
    finally:
        conn.close()


def leftovers(index: Path) -> list[str]:
    """Files of a writer that died, which a finished build must not leave behind."""
    return sorted(
        p.name
        for p in index.iterdir()
        if ".building" in p.name or ".ingesting" in p.name or p.name.endswith(".tmp")
    )


# -- subprocesses ------------------------------------------------------------------------------


def cli_env(tag: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESLENS_FAULT")}
    env.update(
        PYTHONPATH=os.pathsep.join(sys.path), RESLENS_TEST_TAG=tag, PYTHONUNBUFFERED="1", **extra
    )
    return env


def build_args(corpus: Path, index: Path, *more: str, workers: int = 2) -> list[str]:
    return [
        sys.executable,
        "-m",
        "reslens.views.cli",
        "build",
        "--corpus",
        str(corpus),
        "--index",
        str(index),
        "--backend",
        "fake",
        "--vectors",
        "--workers",
        str(workers),
        *more,
    ]


def run_build(
    corpus: Path, index: Path, *more: str, fault: str | None = None, tag: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``reslens build`` (fake embedder, two workers) to its end; with ``fault``, the stage
    where it kills itself."""
    extra = {"RESLENS_FAULT": fault} if fault else {}
    return subprocess.run(
        build_args(corpus, index, *more),
        capture_output=True,
        text=True,
        env=cli_env(tag or new_tag(), **extra),
        timeout=120,
        check=False,
    )


class Paused:
    """``reslens build`` stopped at a stage (``RESLENS_FAULT=<stage>:wait``) until released."""

    def __init__(
        self, corpus: Path, index: Path, stage: str, *more: str, tag: str | None = None
    ) -> None:
        self.tag = tag or new_tag()
        self.proc = subprocess.Popen(
            build_args(corpus, index, *more),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(self.tag, RESLENS_FAULT=f"{stage}:wait"),
        )
        assert self.proc.stderr is not None
        self.said: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.said.append(line)
            if line.startswith(f"reslens fault: waiting at {stage}"):
                return
        self.proc.kill()
        raise AssertionError(f"the build never reached {stage}: {''.join(self.said)}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def release(self) -> tuple[int, str, str]:
        """Let the build go on to its end: (exit code, stdout, rest of stderr)."""
        out, err = self.proc.communicate("\n", timeout=120)
        return self.proc.returncode, out, "".join(self.said) + err

    def kill(self) -> None:
        """SIGKILL the build (if it still runs) and wait for it; its pipes are closed, not read
        to the end (surviving children may hold them open)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()


def new_tag() -> str:
    return uuid.uuid4().hex


def tagged_processes(tag: str) -> list[int]:
    """Live (not zombie) processes whose environment carries ``RESLENS_TEST_TAG=tag``: a build
    started with that tag and every process it started, whoever their parent is now."""
    marker = f"RESLENS_TEST_TAG={tag}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            environ = Path(f"/proc/{entry}/environ").read_bytes()
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if marker in environ.split(b"\0") and stat.rsplit(")", 1)[1].split()[0] != "Z":
            found.append(int(entry))
    return found


def survivors(tag: str, seconds: float = 10.0) -> list[int]:
    """The processes of ``tag`` still alive after waiting up to ``seconds`` for them to go;
    any found are killed (they are this test's own), so a failing test leaves none."""
    deadline = time.monotonic() + seconds
    alive = tagged_processes(tag)
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = tagged_processes(tag)
    for pid in alive:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return alive
