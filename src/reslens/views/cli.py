"""The ``reslens`` command line: one command per public call, results formatted, errors as messages.

Heavy modules are imported inside the commands so that ``reslens --help`` stays fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reslens.version import __version__

if TYPE_CHECKING:
    from reslens.language.refs import Ref

from reslens.views.cli_browse import resolutions
from reslens.views.cli_common import (
    FORMATS,
    F,
    _author_option,
    _domain_errors,
    _emit,
    _file_option,
    _index_option,
    _is_docx,
    _is_xlsx,
    _short_label,
)
from reslens.views.cli_graph import evolution, history, lineage, obligations
from reslens.views.cli_lang import languages
from reslens.views.cli_renewal import renewal


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reslens")
def main() -> None:
    """Search, trace and compare the paragraphs of UN Security Council resolutions."""


@main.command()
@click.option(
    "--mirror",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Copy from a local mirror (e.g. ../shared/corpus) instead of downloading.",
)
@click.option(
    "--dest",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("corpus"),
    envvar="RESLENS_CORPUS_DIR",
    show_default=True,
    help="Where the raw sources go.",
)
@_domain_errors
def fetch(mirror: Path | None, dest: Path) -> None:
    """Fetch the pinned public sources into DEST (or copy them from --mirror)."""
    from reslens.sources.fetch import fetch as do_fetch

    report = do_fetch(dest, mirror=mirror, progress=lambda m: click.echo(m, err=True))
    click.echo(report.summary())


@main.command()
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("corpus"),
    envvar="RESLENS_CORPUS_DIR",
    show_default=True,
    help="Folder holding unxml-scresolutions/ and cr-unsc-gold/.",
)
@_index_option
@click.option("--rebuild", is_flag=True, help="Start from an empty store.")
@click.option("--workers", type=int, default=None, help="Parsing processes (default: cores).")
@click.option("--strict", is_flag=True, help="Exit non-zero when any file had a problem.")
@click.option(
    "--vectors/--no-vectors",
    default=None,
    help="Build the vector index (default: when the search extra is installed).",
)
@click.option("--model", default=None, help="sentence-transformers model name or folder.")
@click.option(
    "--backend",
    type=click.Choice(["auto", "onnx", "torch", "fake"]),
    default="auto",
    show_default=True,
    help="How paragraphs are embedded (fake: a model-free embedder for tests).",
)
@click.option(
    "--index-type",
    type=click.Choice(["flat", "hnsw"]),
    default="flat",
    show_default=True,
    help="Exact (flat) or approximate (hnsw) vector index.",
)
@click.option("--rebuild-vectors", is_flag=True, help="Re-embed even if nothing changed.")
@_domain_errors
def build(
    corpus_dir: Path,
    index_dir: Path,
    rebuild: bool,
    workers: int | None,
    strict: bool,
    vectors: bool | None,
    model: str | None,
    backend: str,
    index_type: str,
    rebuild_vectors: bool,
) -> None:
    """Read the corpus into the index directory and embed it (unchanged files are skipped)."""
    from reslens.index.build import build as do_build

    report = do_build(
        corpus_dir,
        index_dir,
        rebuild=rebuild,
        workers=workers,
        progress=lambda m: click.echo(m, err=True),
        vectors=vectors,
        model=model,
        backend=backend,
        index_type=index_type,
        rebuild_vectors=rebuild_vectors,
        progress_bar=sys.stderr.isatty(),
    )
    click.echo(report.summary())
    if strict and report.problems:
        raise click.ClickException(f"{len(report.problems)} problems (--strict)")


def _search_options(func: F) -> F:
    options = [
        click.option("-k", "k", type=int, default=10, show_default=True, help="Hits."),
        click.option("--since", type=int, default=None, help="From this year (inclusive)."),
        click.option("--until", type=int, default=None, help="Up to this year (inclusive)."),
        click.option(
            "--kind", type=click.Choice(["operative", "preambular"]), default=None, help="Kind."
        ),
        click.option("--verb", "verbs", multiple=True, help="Verb lemma or phrase (repeatable)."),
        click.option(
            "--min-strength", type=click.IntRange(1, 5), default=None, help="Strongest verb >= N."
        ),
        click.option(
            "--document",
            "documents",
            multiple=True,
            help="Kind of document (repeatable): resolution (default), prst, draft, or all.",
        ),
        click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True),
        _index_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command()
@click.argument("query", nargs=-1, required=True)
@_search_options
@click.option(
    "--mode",
    type=click.Choice(["hybrid", "semantic", "lexical"]),
    default="hybrid",
    show_default=True,
)
@click.option("--subject", "subjects", multiple=True, help="Subject/agenda word (repeatable).")
@click.option("--resolution", "resolutions", multiple=True, help="Only this resolution.")
@click.option("--chapter-vii/--not-chapter-vii", default=None, help="Chapter VII or not.")
@click.option(
    "--addressee",
    "addressees",
    multiple=True,
    help="Addressee name ('Member States', MONUSCO) or category (mission) (repeatable).",
)
@click.option("--sponsor", "sponsors", multiple=True, help="Sponsoring Member State (repeatable).")
@click.option(
    "--unanimous/--not-unanimous", default=None, help="No vote against nor abstention, or some."
)
@click.option(
    "--language",
    "--lang",
    "language",
    default="en",
    show_default=True,
    help="Paragraphs of this language (lexical only outside English; zh, ar: substrings).",
)
@click.option(
    "--expand/--no-expand",
    default=None,
    help="Query expansion from the first semantic hits (default: short queries, "
    "semantic and hybrid modes).",
)
@_domain_errors
def search(
    query: tuple[str, ...],
    k: int,
    since: int | None,
    until: int | None,
    kind: str | None,
    verbs: tuple[str, ...],
    min_strength: int | None,
    documents: tuple[str, ...],
    fmt: str,
    index_dir: Path,
    mode: str,
    subjects: tuple[str, ...],
    resolutions: tuple[str, ...],
    chapter_vii: bool | None,
    addressees: tuple[str, ...],
    sponsors: tuple[str, ...],
    unanimous: bool | None,
    language: str,
    expand: bool | None,
) -> None:
    """Find paragraphs like QUERY (semantic, lexical or hybrid), with filters. Quote a phrase
    ("sexual violence") to match it as a phrase."""
    # one query's matrix product needs no OpenBLAS thread pool, whose threads spin at import
    # (a third of a cold search's CPU time on 2 cores): unless the user chose, one thread
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if mode != "lexical":  # the model loads while the rest is imported and read
        from reslens.index.embedders import load_ahead

        load_ahead(index_dir, language)
    from reslens.library import Library

    with Library(index_dir) as lib:
        hits = lib.search_rows(
            " ".join(query),
            k,
            since=since,
            until=until,
            kind=kind,
            verbs=list(verbs),
            min_strength=min_strength,
            subjects=list(subjects),
            resolutions=list(resolutions),
            chapter_vii=chapter_vii,
            addressees=list(addressees),
            sponsors=list(sponsors),
            unanimous=unanimous,
            language=language,
            mode=mode,
            expand=expand,
            document=list(documents) or None,
        )
    _emit_hits(hits, fmt)


@main.command()
@click.argument("ref")
@_search_options
@click.option("--exclude-own", is_flag=True, help="Leave out the paragraph's own resolution.")
@_domain_errors
def similar(
    ref: str,
    k: int,
    since: int | None,
    until: int | None,
    kind: str | None,
    verbs: tuple[str, ...],
    min_strength: int | None,
    documents: tuple[str, ...],
    fmt: str,
    index_dir: Path,
    exclude_own: bool,
) -> None:
    """Paragraphs most like the paragraph REF (e.g. 2331:21), itself excluded."""
    from reslens.library import Library

    with Library(index_dir) as lib:
        hits = lib.similar(
            ref,
            k,
            exclude_own_resolution=exclude_own,
            since=since,
            until=until,
            kind=kind,
            verbs=list(verbs),
            min_strength=min_strength,
            document=list(documents) or None,
        )
    _emit_hits(hits, fmt)


@main.command()
@click.argument("a")
@click.argument("b")
@_index_option
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["auto", "text", "ansi", "html", "json"]),
    default="auto",
    show_default=True,
    help="auto: coloured on a terminal, [-plain-]{+text+} in files and pipes.",
)
@_file_option(
    "-o", "--output", "Write to this file instead of the terminal (.docx: Word, tracked changes)."
)
@_author_option
@_domain_errors
def compare(a: str, b: str, index_dir: Path, fmt: str, output: Path | None, author: str) -> None:
    """Word-level redline from A to B (paragraph references such as 2331:23, or free text)."""
    from reslens.library import Library

    with Library(index_dir) as lib:
        red = lib.compare(a, b)
    if _is_docx(output):
        from reslens.views.docx import write_redline

        labels = (_short_label(a), _short_label(b))
        click.echo(f"wrote {write_redline(red, output, labels=labels, author=author)}")
        click.echo(red.summary)
        return
    if fmt == "json":
        body = json.dumps(
            {
                "redline_ratio": red.similarity,
                "summary": red.summary,
                "verb_change": red.verb_change,
                "strength_change": red.strength_change,
                "ops": [{"tag": op.tag, "text": op.text} for op in red.ops],
            },
            ensure_ascii=False,
            indent=2,
        )
    elif fmt == "html":
        body = red.to_html()
    elif fmt == "ansi" or (fmt == "auto" and output is None and _colour()):
        body = red.summary + "\n" + red.to_ansi()
    else:
        body = red.summary + "\n" + red.to_text()
    if output is not None:
        output.write_text(body + "\n", encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(body)


@main.command()
@click.argument("draft", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_index_option
@click.option("-k", "k", type=int, default=3, show_default=True, help="Precedents per paragraph.")
@click.option("--threshold", type=float, default=None, help="No precedent below this similarity.")
@_file_option(
    "-o",
    "--output",
    "Write the report: .docx (Word, tracked changes, cited sources), .xlsx (the table) or HTML.",
)
@click.option(
    "--prefer",
    type=click.Choice(["similar", "recent"]),
    default="similar",
    show_default=True,
    help="recent: rank precedents above the threshold by cosine + 0.1 × recency (year).",
)
@click.option(
    "--changes",
    type=click.Choice(["accept", "reject"]),
    default="accept",
    show_default=True,
    help="A .docx DRAFT's tracked changes: read it with them accepted or rejected.",
)
@_author_option
@click.option(
    "--language",
    "--lang",
    "language",
    default="en",
    show_default=True,
    help="Also show each precedent in this language (fr, es, …) where the index has it.",
)
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@_domain_errors
def precedents(
    draft: Path,
    index_dir: Path,
    k: int,
    threshold: float | None,
    output: Path | None,
    prefer: str,
    changes: str,
    author: str,
    language: str,
    fmt: str,
) -> None:
    """For each paragraph of DRAFT (text, or a Word .docx): its closest precedents with
    redlines; flags new language."""
    import textwrap

    from reslens.library import Library

    language = language.strip().lower()
    with Library(index_dir) as lib:
        result = lib.precedents(
            draft,
            k=k,
            threshold=threshold,
            changes="reject" if changes == "reject" else "accept",
            language=language,
            prefer="recent" if prefer == "recent" else "similar",
        )
    title = f"Precedents of {draft.name}"
    if _is_xlsx(output):
        fmt = "xlsx"
    elif _is_docx(output):
        from reslens.views.docx import write_precedents

        click.echo(f"wrote {write_precedents(result, output, title=title, author=author)}")
    elif output is not None:
        output.write_text(result.to_html(title), encoding="utf-8")
        click.echo(f"wrote {output}")
    if fmt == "table":
        click.echo(result.summary())
        for para in result.paragraphs:
            rows = result.table[result.table["draft"] == para.number]
            best = rows.iloc[0]
            mark = "NO PRECEDENT" if para.number in result.without_precedent else "precedent"
            click.echo(
                f"{para.number:>4}  {mark:<12} best {best['score']:.2f}  "
                + (f"{best['citation']} [{best['key']}]  " if best["key"] else "")
                + (best["summary"] if isinstance(best["summary"], str) else "")
            )
            if language != "en" and best["key"]:
                if isinstance(best["version_key"], str):
                    text = textwrap.shorten(str(best["version_text"]), 100, placeholder=" …")
                    click.echo(f"      {language}: [{best['version_key']}] {text}")
                else:
                    click.echo(f"      {language}: no {language} text of {best['symbol']} here")
    else:
        _emit(result.table, fmt, output)


@main.command()
@click.argument("a")
@click.argument("b")
@_index_option
@click.option("--lexical", is_flag=True, help="Text similarity only (no embeddings).")
@click.option("--operative-only", is_flag=True, help="Leave the preambles out.")
@_file_option(
    "-o", "--output", "Also write the changes: .docx (Word, tracked changes) or an HTML table."
)
@_author_option
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@_domain_errors
def align(
    a: str,
    b: str,
    index_dir: Path,
    lexical: bool,
    operative_only: bool,
    output: Path | None,
    author: str,
    fmt: str,
) -> None:
    """Align the paragraphs of resolutions A and B (e.g. 2331 2388), preambles included."""
    from reslens.library import Library

    with Library(index_dir) as lib:
        result = lib.align(a, b, semantic=not lexical, preambles=not operative_only)
    if _is_xlsx(output):
        fmt = "xlsx"
    elif _is_docx(output):
        from reslens.views.docx import write_alignment

        click.echo(f"wrote {write_alignment(result, output, author=author)}")
    elif output is not None:
        page = f"<!doctype html><meta charset='utf-8'>{result._repr_html_()}"
        output.write_text(page, encoding="utf-8")
        click.echo(f"wrote {output}")
    frame = result.to_frame()
    if fmt == "table":
        click.echo(", ".join(f"{k} {v}" for k, v in result.counts().items() if v))
        _emit(frame.drop(columns=["a_text", "b_text", "redline"]), fmt)
    else:
        _emit(frame, fmt, output)


@main.command()
@click.argument("resolution", required=False)
@_index_option
@click.option(
    "--export",
    "export_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the whole citation graph (.graphml or .csv).",
)
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@_domain_errors
def citations(resolution: str | None, index_dir: Path, export_path: Path | None, fmt: str) -> None:
    """Resolutions that RESOLUTION cites and that cite it; or export the citation graph."""
    from reslens.library import Library

    if resolution is None and export_path is None:
        raise click.UsageError("give a RESOLUTION, or --export FILE")
    with Library(index_dir) as lib:
        if export_path is not None:
            kind = "csv" if export_path.suffix.lower() == ".csv" else "graphml"
            click.echo(f"wrote {lib.export_citations(export_path, kind)}")
        if resolution is not None:
            _emit(lib.citations(resolution), fmt)


def _colour() -> bool:
    import os

    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _emit_hits(hits: Any, fmt: str) -> None:
    """Search hits (a DataFrame, or the plain rows of ``Library.search_rows``) as ``fmt``; the
    terminal's list of hits needs no pandas."""
    if fmt == "table":
        from reslens.views.render import hits_text

        click.echo(hits_text(hits if isinstance(hits, list) else hits.to_dict("records")))
        return
    if isinstance(hits, list):
        from reslens.search.results import frame

        hits = frame(hits)
    _emit(hits.drop(columns=["highlight"]), fmt)


@main.command()
@click.argument("ref")
@_index_option
@click.option(
    "--language",
    "--lang",
    "language",
    default=None,
    help="ISO 639-1 language code (default: the reference's @xx, else en); 'all': the "
    "paragraph in every language held, English first.",
)
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@_domain_errors
def show(ref: str, index_dir: Path, language: str | None, fmt: str) -> None:
    """Show a paragraph (2331:21, "S/RES/2331 (2016), para. 21") or a resolution (2331)."""
    from reslens.library import Library
    from reslens.views.render import paragraph_text, resolution_text, to_jsonable

    if language is not None and language.strip().lower() == "all":
        from reslens.language.refs import parse_ref
        from reslens.views.cli_lang import show_all_languages

        with Library(index_dir) as lib:
            show_all_languages(lib, parse_ref(ref), fmt)
        return
    parsed = _ref_in_language(ref, language)
    with Library(index_dir) as lib:
        res = lib.resolution(parsed.resolution, parsed.language)
        if parsed.number is None:
            if fmt == "table":
                click.echo(resolution_text(res))
            else:
                _emit(lib.paragraphs(res.number, res.language), fmt)
            return
        para = lib.paragraph(parsed)
        if fmt == "json":
            click.echo(json.dumps(to_jsonable(res, para), indent=2, ensure_ascii=False))
        elif fmt in ("csv", "xlsx"):
            from reslens.analysis.tables import paragraphs_frame

            _emit(paragraphs_frame(res, [para]), fmt)
        else:
            click.echo(paragraph_text(res, para))


def _ref_in_language(ref: str, language: str | None) -> Ref:
    """``ref`` parsed, in ``language`` unless the reference names its own (``2331:21@fr``);
    the two naming different languages is a usage error."""
    import dataclasses
    import re

    from reslens.language.refs import parse_ref

    parsed = parse_ref(ref)
    if language is None:
        return parsed
    language = language.strip().lower()
    if re.search(r"@[a-z]{2}\s*$", ref, re.IGNORECASE):
        if parsed.language != language:
            raise click.UsageError(
                f"{ref!r} names the @{parsed.language} text but --language says {language}"
            )
        return parsed
    return dataclasses.replace(parsed, language=language)


@main.command()
@_index_option
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@_domain_errors
def coverage(index_dir: Path, fmt: str) -> None:
    """Which resolutions the index holds per source, the gaps, duplicates and problems."""
    from reslens.library import Library

    with Library(index_dir) as lib:
        cov = lib.coverage()
    if fmt == "json":
        click.echo(json.dumps(cov.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(cov.summary())


@main.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@_index_option
@click.option("--number", type=int, default=None, help="Resolution number, when the text lacks it.")
@click.option("--year", type=int, default=None, help="Resolution year, when the text lacks it.")
@click.option("--strict", is_flag=True, help="Exit non-zero when any file had a problem.")
@_domain_errors
def ingest(
    files: tuple[Path, ...], index_dir: Path, number: int | None, year: int | None, strict: bool
) -> None:
    """Add PDF files (or PDF-extracted .txt) to the index."""
    from reslens.index.ingest import ingest_files

    report = ingest_files(index_dir, list(files), number=number, year=year)
    click.echo(report.summary())
    if strict and report.problems:
        raise click.ClickException(f"{len(report.problems)} problems (--strict)")


for _command in (lineage, history, obligations, resolutions, languages, evolution, renewal):
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
