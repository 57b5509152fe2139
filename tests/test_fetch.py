"""Tests of reslens.sources.fetch: archives built by hand, served from a local HTTP server."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reslens.errors import FetchError
from reslens.sources.fetch import (
    LOCK_FILE,
    PROVENANCE_FILE,
    FetchReport,
    Source,
    default_corpus_dir,
    fetch,
    load_sources,
)

ROOT = Path(__file__).resolve().parent.parent
UNXML_COMMIT = "6c4072a866bfd189176ae91d119cc4c66e3ff331"
CRUNSC_COMMIT = "ba7a562cd5daf59b43ca555578696c1992d9d695"
UNXML_TOP = f"SCresolutions-{UNXML_COMMIT}"
CRUNSC_TOP = f"cr-unsc-{CRUNSC_COMMIT}"
README_MD = b"# Machine-readable Security Council resolutions\n"
XML_2331 = b"<akomaNtoso><act><docNumber>2331</docNumber></act></akomaNtoso>\n"

# (name, kind, payload): kind is "file", "dir", "symlink", "hardlink" or "chardev";
# payload is the content of a file or the target of a link.
Member = tuple[str, str, bytes | str]


# --------------------------------------------------------------------------- helpers


def make_targz(members: list[Member], commit: str | None = UNXML_COMMIT) -> bytes:
    """A gzip tar like GitHub's, with the commit in the pax global header when given."""
    buf = io.BytesIO()
    pax = {"comment": commit} if commit else {}
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.PAX_FORMAT, pax_headers=pax) as tar:
        for name, kind, payload in members:
            info = tarfile.TarInfo(name)
            if kind == "file":
                assert isinstance(payload, bytes)
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
                continue
            assert isinstance(payload, str)
            info.type = {
                "dir": tarfile.DIRTYPE,
                "symlink": tarfile.SYMTYPE,
                "hardlink": tarfile.LNKTYPE,
                "chardev": tarfile.CHRTYPE,
            }[kind]
            info.linkname = payload
            tar.addfile(info)
    return buf.getvalue()


def unxml_archive(extra: list[Member] | None = None) -> bytes:
    return make_targz(
        [
            (f"{UNXML_TOP}/", "dir", ""),
            (f"{UNXML_TOP}/README.md", "file", README_MD),
            (f"{UNXML_TOP}/Pre-2020/2016/S_RES_2331_1700000.xml", "file", XML_2331),
            (f"{UNXML_TOP}/2020/English/S_RES_2504 (2020)-2000407E.xml", "file", b"<a/>\n"),
            *(extra or []),
        ]
    )


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file (hidden ones included) under ``root`` with its content."""
    out = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


class Server:
    """Serves ``files`` (URL path -> bytes) on 127.0.0.1; 404 for anything else."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        files = self.files

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def put(self, path: str, body: bytes) -> str:
        self.files[path] = body
        return self.base + path


@pytest.fixture()
def server() -> Iterator[Server]:
    srv = Server()
    thread = threading.Thread(target=srv.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()
        thread.join()


def unxml_source(url: str, **changes: object) -> Source:
    base = Source(
        name="unxml-scresolutions",
        repository="UNxml/SCresolutions",
        commit=UNXML_COMMIT,
        url=url,
        folder="unxml-scresolutions",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- download mode


def test_download_extracts_good_archive_with_repository_layout(
    server: Server, tmp_path: Path
) -> None:
    body = unxml_archive()
    url = server.put("/unxml.tar.gz", body)
    messages: list[str] = []
    report = fetch(tmp_path, sources=[unxml_source(url)], progress=messages.append)

    target = tmp_path / "unxml-scresolutions"
    assert (target / "Pre-2020/2016/S_RES_2331_1700000.xml").read_bytes() == XML_2331
    assert (target / "2020/English/S_RES_2504 (2020)-2000407E.xml").is_file()
    assert not (target / UNXML_TOP).exists()  # the archive's top folder is stripped
    (rep,) = report.sources
    assert (rep.mode, rep.files, rep.copied, rep.sha256) == ("download", 3, 3, sha(body))
    assert rep.bytes == len(XML_2331) + len(b"<a/>\n") + len(README_MD)
    provenance = json.loads((target / PROVENANCE_FILE).read_text())
    assert provenance["commit"] == UNXML_COMMIT and provenance["sha256"] == sha(body)
    assert provenance["mode"] == "download" and provenance["tree_sha256"] == rep.tree_sha256
    assert provenance["files"] == {
        "README.md": sha(README_MD),
        "Pre-2020/2016/S_RES_2331_1700000.xml": sha(XML_2331),
        "2020/English/S_RES_2504 (2020)-2000407E.xml": sha(b"<a/>\n"),
    }
    assert messages and "unxml-scresolutions" in report.summary()
    # nothing but the target and the lock file is left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == [LOCK_FILE, "unxml-scresolutions"]


def test_download_keeps_only_listed_members(server: Server, tmp_path: Path) -> None:
    gold = b"Resolution 1 (1946)\nof 25 January 1946\n"
    body = make_targz(
        [
            (f"{CRUNSC_TOP}/", "dir", ""),
            (f"{CRUNSC_TOP}/README.md", "file", b"readme\n"),
            (f"{CRUNSC_TOP}/R-fobbe-proto-package/f.R", "file", b"x <- 1\n"),
            (f"{CRUNSC_TOP}/LICENSE", "file", b"GPL\n"),
            (f"{CRUNSC_TOP}/data/res_en_gold/S_RES_0001_1946_EN_GOLD.txt", "file", gold),
            (f"{CRUNSC_TOP}/data/UNSC_Record-Table_2722.csv", "file", b"res_no,url\n"),
            (f"{CRUNSC_TOP}/data/UNSC_Record-Pages_2636.csv", "file", b"old\n"),
            # a link outside the kept paths is skipped, not refused
            (f"{CRUNSC_TOP}/docs/link", "symlink", "/etc/passwd"),
        ],
        commit=CRUNSC_COMMIT,
    )
    source = Source(
        name="cr-unsc-gold",
        repository="SeanFobbe/cr-unsc",
        commit=CRUNSC_COMMIT,
        url=server.put("/crunsc.tar.gz", body),
        folder="cr-unsc-gold",
        keep=("data/res_en_gold/", "data/UNSC_Record-Table_2722.csv", "LICENSE"),
    )
    report = fetch(tmp_path, sources=[source])
    files = snapshot(tmp_path / "cr-unsc-gold")
    files.pop(PROVENANCE_FILE)
    assert files == {
        "LICENSE": b"GPL\n",
        "data/res_en_gold/S_RES_0001_1946_EN_GOLD.txt": gold,
        "data/UNSC_Record-Table_2722.csv": b"res_no,url\n",
    }
    assert any("4 archive file(s) outside" in w for w in report.sources[0].warnings)


def test_wrong_sha256_is_refused_and_previous_copy_kept(server: Server, tmp_path: Path) -> None:
    good = unxml_archive()
    url = server.put("/good.tar.gz", good)
    fetch(tmp_path, sources=[unxml_source(url, sha256=sha(good), size=len(good))])
    before = snapshot(tmp_path)

    bad_url = server.put("/bad.tar.gz", unxml_archive([(f"{UNXML_TOP}/x.xml", "file", b"x")]))
    with pytest.raises(FetchError, match="does not match"):
        fetch(tmp_path, sources=[unxml_source(bad_url, sha256=sha(good))])
    assert snapshot(tmp_path) == before
    assert not (tmp_path / LOCK_FILE).exists()  # a pinned hash needs no lock


def test_pinned_size_caps_the_download(server: Server, tmp_path: Path) -> None:
    body = unxml_archive()
    url = server.put("/a.tar.gz", body)
    with pytest.raises(FetchError, match=r"more than the size .* from sources\.json"):
        fetch(tmp_path, sources=[unxml_source(url, size=len(body) - 1)])
    with pytest.raises(FetchError, match="the cap of 100 bytes"):
        fetch(tmp_path, sources=[unxml_source(url, max_bytes=100)])
    assert snapshot(tmp_path) == {}


HOSTILE: dict[str, tuple[Member, str]] = {
    "absolute": (("/etc/evil.xml", "file", b"x"), "absolute path"),
    "dotdot": ((f"{UNXML_TOP}/../evil.xml", "file", b"x"), r"'\.\.'"),
    "dotdot-deep": ((f"{UNXML_TOP}/Pre-2020/../../../evil.xml", "file", b"x"), r"'\.\.'"),
    "symlink": ((f"{UNXML_TOP}/Pre-2020/passwd.xml", "symlink", "/etc/passwd"), "symlink"),
    "hardlink": (
        (f"{UNXML_TOP}/Pre-2020/h.xml", "hardlink", f"{UNXML_TOP}/README.md"),
        "hardlink",
    ),
    "device": ((f"{UNXML_TOP}/Pre-2020/tty", "chardev", ""), "special member"),
    "other-top": (("other-top/evil.xml", "file", b"x"), "outside the top folder"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_archive_is_refused_and_writes_nothing(
    case: str, server: Server, tmp_path: Path
) -> None:
    good_url = server.put("/good.tar.gz", unxml_archive())
    fetch(tmp_path, sources=[unxml_source(good_url)])
    before = snapshot(tmp_path)

    member, message = HOSTILE[case]
    url = server.put(f"/{case}.tar.gz", unxml_archive([member]))
    with pytest.raises(FetchError, match=message) as info:
        fetch(tmp_path, sources=[unxml_source(url)])
    assert member[0].split("/")[-1] in str(info.value)  # the message names the member
    assert snapshot(tmp_path) == before  # previous copy and lock untouched, no leftovers
    assert not (tmp_path.parent / "evil.xml").exists()


def test_archive_of_another_commit_is_refused(server: Server, tmp_path: Path) -> None:
    body = make_targz([(f"{UNXML_TOP}/a.xml", "file", b"a")], commit="f" * 40)
    url = server.put("/other.tar.gz", body)
    with pytest.raises(FetchError, match=r"commit f{40}"):
        fetch(tmp_path, sources=[unxml_source(url)])
    assert snapshot(tmp_path) == {}


def test_not_a_tar_archive_and_http_errors(server: Server, tmp_path: Path) -> None:
    url = server.put("/junk.tar.gz", b"this is not gzip")
    with pytest.raises(FetchError, match="cannot extract"):
        fetch(tmp_path, sources=[unxml_source(url)])
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(tmp_path, sources=[unxml_source(server.base + "/missing.tar.gz")])
    assert snapshot(tmp_path) == {}


def test_only_https_or_loopback_urls(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="only https"):
        fetch(tmp_path, sources=[unxml_source("http://example.org/a.tar.gz")])
    with pytest.raises(FetchError, match="only https"):
        fetch(tmp_path, sources=[unxml_source("file:///etc/passwd")])


def test_trust_on_first_use_lock_is_written_then_enforced(server: Server, tmp_path: Path) -> None:
    first = unxml_archive()
    url = server.put("/a.tar.gz", first)
    report = fetch(tmp_path, sources=[unxml_source(url)])
    assert any("TOFU" in w for w in report.warnings)
    lock = json.loads((tmp_path / LOCK_FILE).read_text())
    entry = lock["sources"]["unxml-scresolutions"]
    assert (entry["sha256"], entry["size"], entry["commit"]) == (
        sha(first),
        len(first),
        UNXML_COMMIT,
    )

    # same bytes again: verified against the lock, nothing new recorded
    again = fetch(tmp_path, sources=[unxml_source(url)])
    assert not again.warnings
    before = snapshot(tmp_path)

    # the server now serves other bytes under the same URL: refused, previous copy kept
    server.put("/a.tar.gz", unxml_archive([(f"{UNXML_TOP}/new.xml", "file", b"n")]))
    with pytest.raises(FetchError, match=r"from sources\.lock\.json"):
        fetch(tmp_path, sources=[unxml_source(url)])
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------- mirror mode


def make_mirror(root: Path) -> Path:
    unxml = root / "unxml-scresolutions"
    (unxml / "Pre-2020" / "2016").mkdir(parents=True)
    (unxml / "Pre-2020" / "2016" / "S_RES_2331_1700000.xml").write_bytes(XML_2331)
    (unxml / "README.txt").write_text(f"Snapshot commit: {UNXML_COMMIT}\n")
    gold = root / "cr-unsc-gold" / "data" / "res_en_gold"
    gold.mkdir(parents=True)
    (gold / "S_RES_0242_1967_EN_GOLD.txt").write_text("Resolution 242 (1967)\n")
    (root / "cr-unsc-gold" / "README.txt").write_text(f"Snapshot commit: {CRUNSC_COMMIT}\n")
    return root


def mirror_sources() -> list[Source]:
    crunsc = Source(
        name="cr-unsc-gold",
        repository="SeanFobbe/cr-unsc",
        commit=CRUNSC_COMMIT,
        url="https://example.invalid/never-fetched.tar.gz",
        folder="cr-unsc-gold",
    )
    return [unxml_source("https://example.invalid/never-fetched.tar.gz"), crunsc]


def test_mirror_copy_then_second_run_skips_everything(tmp_path: Path) -> None:
    mirror = make_mirror(tmp_path / "mirror")
    dest = tmp_path / "corpus"
    first = fetch(dest, mirror=mirror, sources=mirror_sources())
    assert [(s.mode, s.files, s.copied, s.skipped) for s in first.sources] == [
        ("mirror", 2, 2, 0),
        ("mirror", 2, 2, 0),
    ]
    assert not first.warnings
    copied = snapshot(dest)
    records = {k: json.loads(copied.pop(k)) for k in list(copied) if k.endswith(PROVENANCE_FILE)}
    assert copied == snapshot(mirror)
    # each source folder has a provenance record with the sha256 of every file copied
    assert sorted(records) == [f"{s.folder}/{PROVENANCE_FILE}" for s in reversed(mirror_sources())]
    for source in mirror_sources():
        record = records[f"{source.folder}/{PROVENANCE_FILE}"]
        assert (record["mode"], record["commit"]) == ("mirror", source.commit)
        assert record["files"] == {
            k.split("/", 1)[1]: sha(v) for k, v in copied.items() if k.startswith(source.folder)
        }

    second = fetch(dest, mirror=mirror, sources=mirror_sources())
    assert [(s.copied, s.skipped) for s in second.sources] == [(0, 2), (0, 2)]
    assert [s.tree_sha256 for s in second.sources] == [s.tree_sha256 for s in first.sources]

    # a damaged copy of the same size is detected by its sha256 and repaired
    damaged = dest / "unxml-scresolutions" / "Pre-2020" / "2016" / "S_RES_2331_1700000.xml"
    damaged.write_bytes(XML_2331.replace(b"2331", b"2332"))
    third = fetch(dest, mirror=mirror, sources=mirror_sources())
    assert [(s.copied, s.skipped) for s in third.sources] == [(1, 1), (0, 2)]
    assert damaged.read_bytes() == XML_2331


def test_mirror_never_follows_symlinks_out_of_the_mirror(tmp_path: Path) -> None:
    mirror = make_mirror(tmp_path / "mirror")
    secret = tmp_path / "secret.txt"
    secret.write_text("not corpus data")
    unxml = mirror / "unxml-scresolutions"
    (unxml / "leak.xml").symlink_to(secret)
    (unxml / "leakdir").symlink_to(tmp_path, target_is_directory=True)
    (unxml / "alias.xml").symlink_to(unxml / "Pre-2020" / "2016" / "S_RES_2331_1700000.xml")
    report = fetch(tmp_path / "corpus", mirror=mirror, sources=mirror_sources()[:1])
    target = tmp_path / "corpus" / "unxml-scresolutions"
    assert not (target / "leak.xml").exists() and not (target / "leakdir").exists()
    assert (target / "alias.xml").read_bytes() == XML_2331  # in-mirror link: copied as a file
    assert not (target / "alias.xml").is_symlink()
    assert any("leak.xml" in w for w in report.warnings)
    assert any("leakdir" in w for w in report.warnings)


def test_mirror_readme_without_the_commit_warns(tmp_path: Path) -> None:
    mirror = make_mirror(tmp_path / "mirror")
    (mirror / "unxml-scresolutions" / "README.txt").write_text("Snapshot commit: 0123abcd\n")
    report = fetch(tmp_path / "corpus", mirror=mirror, sources=mirror_sources())
    assert len(report.warnings) == 1 and UNXML_COMMIT in report.warnings[0]


def test_mirror_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    mirror = make_mirror(tmp_path / "mirror")
    with pytest.raises(FetchError, match=r"mirror folder .* not found"):
        fetch(tmp_path / "corpus", mirror=tmp_path / "nowhere", sources=mirror_sources())
    (mirror / "cr-unsc-gold" / "README.txt").unlink()
    (mirror / "cr-unsc-gold" / "data" / "res_en_gold" / "S_RES_0242_1967_EN_GOLD.txt").unlink()
    for d in ("res_en_gold", ""):
        (mirror / "cr-unsc-gold" / "data" / d).rmdir()
    (mirror / "cr-unsc-gold").rmdir()
    with pytest.raises(FetchError, match="cr-unsc-gold"):
        fetch(tmp_path / "corpus", mirror=mirror, sources=mirror_sources())


def test_mirror_onto_itself_is_refused(tmp_path: Path) -> None:
    mirror = make_mirror(tmp_path / "mirror")
    with pytest.raises(FetchError, match="same folder"):
        fetch(mirror, mirror=mirror, sources=mirror_sources())
    with pytest.raises(FetchError, match="same folder"):  # nor one inside the other
        fetch(mirror / "unxml-scresolutions", mirror=mirror, sources=mirror_sources())


# --------------------------------------------------------------------------- sources.json


def test_project_sources_json_pins_both_repositories() -> None:
    sources = {s.name: s for s in load_sources(ROOT / "corpus" / "sources.json")}
    assert sorted(sources) == ["cr-unsc-gold", "unxml-scresolutions"]
    unxml, gold = sources["unxml-scresolutions"], sources["cr-unsc-gold"]
    assert unxml.commit == UNXML_COMMIT and UNXML_COMMIT in unxml.url
    assert gold.commit == CRUNSC_COMMIT and CRUNSC_COMMIT in gold.url
    assert unxml.keep == () and "data/res_en_gold/" in gold.keep
    assert all(s.url.startswith("https://github.com/") for s in sources.values())


def test_default_paths_follow_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RESLENS_CORPUS_DIR", raising=False)
    assert default_corpus_dir() == Path("corpus")
    monkeypatch.setenv("RESLENS_CORPUS_DIR", str(tmp_path))
    assert default_corpus_dir() == tmp_path
    (tmp_path / "sources.json").write_text((ROOT / "corpus" / "sources.json").read_text())
    assert len(load_sources()) == 2
    with pytest.raises(FetchError, match="cannot read"):
        load_sources(tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("commit", "6c4072a", "malformed"),
        ("sha256", "abc", "64 lowercase hex"),
        ("folder", "../outside", "malformed"),
        ("keep", ["../etc"], "unsafe 'keep'"),
        ("url", "ftp://example.org/a.tar.gz", "only https"),
        ("sha265", None, "unknown field"),
        ("size", -1, "positive integer"),
    ],
)
def test_malformed_sources_are_refused(
    field: str, value: object, message: str, tmp_path: Path
) -> None:
    data = json.loads((ROOT / "corpus" / "sources.json").read_text())
    data["sources"][0][field] = value
    path = tmp_path / "sources.json"
    path.write_text(json.dumps(data))
    with pytest.raises(FetchError, match=message):
        load_sources(path)


def test_summary_lists_each_source_and_its_warnings(tmp_path: Path) -> None:
    mirror = make_mirror(tmp_path / "mirror")
    (mirror / "cr-unsc-gold" / "README.txt").unlink()
    report = fetch(tmp_path / "corpus", mirror=mirror, sources=mirror_sources())
    assert isinstance(report, FetchReport)
    lines = report.summary().splitlines()
    assert lines[0].startswith("unxml-scresolutions") and "2 files" in lines[0]
    assert lines[1].startswith("cr-unsc-gold")
    assert lines[2].startswith("  warning: mirror has no README.txt")
    assert lines[-1] == f"into {tmp_path / 'corpus'}"


# --------------------------------------------------------------------------- real corpus


@pytest.mark.corpus
def test_mirror_copy_of_the_real_corpus(corpus_dir: Path, tmp_path: Path) -> None:
    sources = load_sources(ROOT / "corpus" / "sources.json")
    report = fetch(tmp_path, mirror=corpus_dir, sources=sources)
    for rep in report.sources:
        expected = sum(len(names) for _d, _s, names in os.walk(corpus_dir / rep.target.name))
        on_disk = sum(len(names) for _d, _s, names in os.walk(rep.target))
        assert rep.files == expected == on_disk - 1  # and the provenance record
        record = json.loads((rep.target / PROVENANCE_FILE).read_text(encoding="utf-8"))
        assert len(record["files"]) == rep.files
        assert rep.copied == expected and rep.skipped == 0
    assert sum(r.files for r in report.sources) > 5000
    assert not report.warnings  # both mirror READMEs name the pinned commits


def test_mirror_symlink_loops_are_skipped_with_a_warning(tmp_path: Path) -> None:
    mirror = make_mirror(tmp_path / "mirror")
    unxml = mirror / "unxml-scresolutions"
    (unxml / "loop-a.xml").symlink_to(unxml / "loop-b.xml")
    (unxml / "loop-b.xml").symlink_to(unxml / "loop-a.xml")
    (unxml / "Pre-2020" / "self.xml").symlink_to(unxml / "Pre-2020" / "self.xml")
    report = fetch(tmp_path / "corpus", mirror=mirror, sources=mirror_sources()[:1])
    target = tmp_path / "corpus" / "unxml-scresolutions"
    assert (target / "Pre-2020" / "2016" / "S_RES_2331_1700000.xml").read_bytes() == XML_2331
    assert not any((target / n).exists() for n in ("loop-a.xml", "loop-b.xml", "Pre-2020/self.xml"))
    loops = [w for w in report.warnings if "symlink loop" in w]
    assert len(loops) == 3 and any("self.xml" in w for w in loops)


def test_a_looping_mirror_or_target_folder_is_a_fetch_error(tmp_path: Path) -> None:
    mirror = make_mirror(tmp_path / "mirror")
    dest = tmp_path / "corpus"
    dest.mkdir()
    (dest / "unxml-scresolutions").symlink_to(dest / "unxml-scresolutions")
    with pytest.raises(FetchError, match="unxml-scresolutions"):
        fetch(dest, mirror=mirror, sources=mirror_sources()[:1])
    (dest / "unxml-scresolutions").unlink()
    (dest / "unxml-scresolutions" / "Pre-2020").mkdir(parents=True)
    (dest / "unxml-scresolutions" / "Pre-2020" / "2016").symlink_to(
        dest / "unxml-scresolutions" / "Pre-2020" / "2016"
    )
    with pytest.raises(FetchError, match="2016"):
        fetch(dest, mirror=mirror, sources=mirror_sources()[:1])


@pytest.fixture()
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def modes(root: Path) -> dict[str, int]:
    """Permission bits of every file and folder under ``root`` (``root`` itself as ".")."""
    out = {".": stat.S_IMODE(root.stat().st_mode)}
    for dirpath, dirs, names in os.walk(root):
        for name in [*dirs, *names]:
            path = Path(dirpath) / name
            out[path.relative_to(root).as_posix()] = stat.S_IMODE(path.stat().st_mode)
    return out


def test_fetched_files_get_the_usual_permissions(
    server: Server, tmp_path: Path, umask_022: None
) -> None:
    """Files 0644 and folders 0755 under umask 022, as cp or git would leave them; never the
    0600 of a temporary file, in both ways in (before, mirror copies were 0600)."""
    mirror = make_mirror(tmp_path / "mirror")
    for path in (mirror / "unxml-scresolutions").rglob("*"):
        path.chmod(0o555 if path.is_dir() else 0o444)  # the shared mirror is read-only
    fetch(tmp_path / "copied", mirror=mirror, sources=mirror_sources())
    url = server.put("/unxml.tar.gz", unxml_archive())
    fetch(tmp_path / "downloaded", sources=[unxml_source(url)])
    for way in ("copied", "downloaded"):
        for source in (
            ("unxml-scresolutions", "cr-unsc-gold") if way == "copied" else ("unxml-scresolutions",)
        ):
            found = modes(tmp_path / way / source)
            files = {p: m for p, m in found.items() if (tmp_path / way / source / p).is_file()}
            folders = {p: m for p, m in found.items() if p not in files}
            assert len(files) >= 2 and set(files.values()) == {0o644}, (way, found)
            assert set(folders.values()) == {0o755}, (way, found)
    lock = tmp_path / "downloaded" / LOCK_FILE
    assert stat.S_IMODE(lock.stat().st_mode) == 0o644


def test_a_mirror_with_its_own_record_vouches_only_for_its_files(tmp_path: Path) -> None:
    """A mirror laid out by ``reslens fetch`` has a provenance record: a file planted in the
    mirror after that is copied but not recorded; files left in the target are not either."""
    mirror = make_mirror(tmp_path / "mirror")
    fetch(tmp_path / "first", mirror=mirror, sources=mirror_sources()[:1])
    fetched = tmp_path / "first" / "unxml-scresolutions"
    fetched.rename(mirror / "vouched")
    (mirror / "unxml-scresolutions").rename(mirror / "plain")
    (mirror / "vouched").rename(mirror / "unxml-scresolutions")
    unxml = mirror / "unxml-scresolutions"
    (unxml / "Pre-2020" / "2016" / "S_RES_2331_planted.xml").write_bytes(b"<fake/>")
    (unxml / "README.txt").write_text(f"Snapshot commit: {UNXML_COMMIT}\nchanged\n")
    dest = tmp_path / "corpus"
    (dest / "unxml-scresolutions").mkdir(parents=True)
    (dest / "unxml-scresolutions" / "left-over.xml").write_bytes(b"<old/>")
    report = fetch(dest, mirror=mirror, sources=mirror_sources()[:1])
    record = json.loads((dest / "unxml-scresolutions" / PROVENANCE_FILE).read_text())
    assert record["files"] == {"Pre-2020/2016/S_RES_2331_1700000.xml": sha(XML_2331)}
    assert (dest / "unxml-scresolutions" / "Pre-2020/2016/S_RES_2331_planted.xml").is_file()
    assert any("2 file(s) of the mirror are not in its own" in w for w in report.warnings)
    assert any("1 file(s)" in w and "not in the mirror" in w for w in report.warnings)
