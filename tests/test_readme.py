"""The README's two commands are the ones CI runs, and its shown output is real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from reslens.index.build import BuildReport
from reslens.views.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _two_commands() -> list[str]:
    section = README.split("## Two commands", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README has no command block under 'Two commands'"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_make_demo_and_make_test() -> None:
    assert _two_commands() == ["make demo", "make test"]


def test_ci_runs_the_readme_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for command in _two_commands():
        assert re.search(rf"^{re.escape(command)}$", ci, re.M), f".ci/run does not run {command}"
        target = command.split()[1]
        assert re.search(rf"^{target}:", makefile, re.M), f"Makefile has no target {target}"


@pytest.mark.corpus
def test_readme_demo_output_is_what_the_cli_prints(real_build: tuple[Path, BuildReport]) -> None:
    shown = re.search(r"```text\n\$ reslens show \"([^\"]+)\"\n(.*?)```", README, re.S)
    assert shown, "the README shows no `reslens show` output"
    ref, expected = shown.group(1), shown.group(2)
    result = CliRunner().invoke(main, ["show", ref, "--index", str(real_build[0])])
    assert result.exit_code == 0, result.output
    assert result.output == expected
