"""The CLI: every command has help; domain errors are messages with exit 1, never tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reslens.views.cli import main
from tests.minicorpus import write_corpus

COMMANDS = sorted(main.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and len(result.output.splitlines()) > 3


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from reslens.views.cli import main\n"
        "heavy = [m for m in ('pandas', 'lxml', 'torch', 'faiss', 'numpy') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    corpus = write_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    result = CliRunner().invoke(
        main,
        ["build", "--corpus", str(corpus), "--index", str(index), "--workers", "1", "--no-vectors"],
    )
    assert result.exit_code == 0, result.output
    assert "3 problems" in result.output
    return index


def test_build_strict_fails_on_problems(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    args = [
        "build",
        "--corpus",
        str(corpus),
        "--index",
        str(tmp_path / "i"),
        "--strict",
        "--no-vectors",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "S_RES_2003_broken.xml" in result.output


def test_show_paragraph_table_and_json(built: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["show", "2001 OP2", "--index", str(built)])
    assert result.exit_code == 0, result.output
    assert "S/RES/2001 (2010), para. 2" in result.output
    assert "urges (urges: request, 4)" in result.output
    result = runner.invoke(main, ["show", "2001:op1", "--index", str(built), "-f", "json"])
    data = json.loads(result.output)
    assert data["paragraph"]["key"] == "2001:op1"
    assert data["resolution"]["symbol"] == "S/RES/2001 (2010)"


def test_show_resolution_and_csv(built: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["show", "S/RES/2002 (2011)", "--index", str(built)])
    assert result.exit_code == 0 and "2 operative paragraphs" in result.output
    result = runner.invoke(main, ["show", "2002", "--index", str(built), "-f", "csv"])
    assert result.output.splitlines()[0].startswith("key,symbol,citation,date")


def test_coverage_command(built: Path) -> None:
    result = CliRunner().invoke(main, ["coverage", "--index", str(built), "-f", "json"])
    data = json.loads(result.output)
    assert data["counts"] == {"akn": 2, "crunsc": 1}
    assert len(data["problems"]) == 3 and len(data["duplicates"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "2001:op9"], "has no paragraph"),
        (["show", "not a ref at all"], "Error:"),
        (["show", "4000:1"], "not in the store"),
    ],
)
def test_errors_are_messages(built: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, [*args, "--index", str(built)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_index_is_a_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["show", "2331:21", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1 and "reslens build" in result.output


@pytest.fixture()
def built_with_french(tmp_path: Path) -> Path:
    """The mini corpus plus a French text of S/RES/2001 (filed as the real corpus files one)."""
    from tests.minicorpus import RES_2001

    corpus = write_corpus(tmp_path / "corpus")
    french = RES_2001.replace('language="eng"', 'language="fra"').replace(
        "Secretary-General to report", "Secrétaire général de faire rapport"
    )
    folder = corpus / "unxml-scresolutions" / "2010" / "French"
    folder.mkdir(parents=True)
    (folder / "S_RES_2001_1000001F.xml").write_text(french, encoding="utf-8")
    index = tmp_path / "index"
    args = ["build", "--corpus", str(corpus), "--index", str(index), "--no-vectors"]
    result = CliRunner().invoke(main, [*args, "--workers", "1"])
    assert result.exit_code == 0, result.output
    return index


@pytest.mark.parametrize("ref", ["2001:op1", "S/RES/2001 (2010), para. 1"])
def test_show_language_option_picks_the_text(built_with_french: Path, ref: str) -> None:
    runner = CliRunner()
    index = ["--index", str(built_with_french)]
    french = runner.invoke(main, ["show", ref, "--language", "fr", *index])
    assert french.exit_code == 0, french.output
    assert "[2001:op1@fr]" in french.output and "Secrétaire général" in french.output
    english = runner.invoke(main, ["show", ref, *index])
    assert "[2001:op1]" in english.output and "Secretary-General to report" in english.output
    # the @fr form and the option say the same; JSON and a whole resolution follow the option
    at_form = runner.invoke(main, ["show", ref + "@fr", *index])
    assert at_form.exit_code == 0 and at_form.output == french.output
    data = json.loads(
        runner.invoke(main, ["show", ref, "--language", "fr", "-f", "json", *index]).output
    )
    assert data["paragraph"]["key"] == "2001:op1@fr"
    whole = runner.invoke(main, ["show", "2001", "--language", "fr", "-f", "csv", *index])
    assert "2001:op1@fr" in whole.output


def test_show_language_option_and_at_form_must_agree(built_with_french: Path) -> None:
    index = ["--index", str(built_with_french)]
    result = CliRunner().invoke(main, ["show", "2001:op1@fr", "--language", "de", *index])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "@fr" in result.output and "de" in result.output
    missing = CliRunner().invoke(main, ["show", "2002:op1", "--language", "fr", *index])
    assert missing.exit_code == 1 and "not in the store" in missing.output


HUGE = str(10**20)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "trafficking", "--since", HUGE], "--since"),
        (["search", "trafficking", "--until", "-" + HUGE, "--mode", "lexical"], "--until"),
        (["search", "trafficking", "--resolution", "99999", "--mode", "lexical"], "Error:"),
        (["similar", "2001:op1", "--since", HUGE], "Error:"),
    ],
)
def test_huge_numbers_are_messages(built: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, [*args, "--index", str(built)])
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    assert message in result.output


def test_lexical_search_with_a_huge_k_returns_every_hit(built: Path) -> None:
    import reslens as rl

    with rl.open(built) as lib:
        hits = lib.search("trafficking", k=10**20, mode="lexical")
    assert len(hits) == 2
    result = CliRunner().invoke(main, ["search", "trafficking", "-k", HUGE, "--index", str(built)])
    assert result.exit_code == 0 and "[2002:op1]" in result.output


def test_a_symlink_loop_in_a_mirror_is_no_traceback(tmp_path: Path) -> None:
    from tests.test_fetch import make_mirror

    mirror = make_mirror(tmp_path / "mirror")
    unxml = mirror / "unxml-scresolutions"
    (unxml / "a.xml").symlink_to(unxml / "b.xml")
    (unxml / "b.xml").symlink_to(unxml / "a.xml")
    dest = tmp_path / "corpus"
    dest.mkdir()
    (dest / "sources.json").write_text(
        (Path(__file__).resolve().parent.parent / "corpus" / "sources.json").read_text()
    )
    result = CliRunner().invoke(main, ["fetch", "--mirror", str(mirror), "--dest", str(dest)])
    assert result.exit_code == 0, result.output
    assert "symlink loop" in result.output
    (dest / "cr-unsc-gold").rename(dest / "elsewhere")
    (dest / "cr-unsc-gold").symlink_to(dest / "cr-unsc-gold")
    result = CliRunner().invoke(main, ["fetch", "--mirror", str(mirror), "--dest", str(dest)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "symlink loop" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_turns_errors_into_messages(command: str) -> None:
    callback = main.commands[command].callback  # type: ignore[attr-defined]
    assert getattr(callback, "__wrapped__", None) is not None, f"{command} is not wrapped"


def test_an_unexpected_error_is_a_message_not_a_traceback(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reslens.library

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something no one planned for")

    monkeypatch.setattr(reslens.library.Library, "coverage", broken)
    result = CliRunner().invoke(main, ["coverage", "--index", str(built)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "RuntimeError: something no one planned for" in result.output
    assert "RESLENS_DEBUG" in result.output
    monkeypatch.setenv("RESLENS_DEBUG", "1")  # developers get the traceback
    result = CliRunner().invoke(main, ["coverage", "--index", str(built)])
    assert isinstance(result.exception, RuntimeError)
