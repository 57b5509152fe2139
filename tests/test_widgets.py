"""The Jupyter widgets over a mini index (fake embedder): they call the Library, show its
answers, escape every text they render, and degrade to a message without ipywidgets."""

from __future__ import annotations

import html
import re

import pytest

pytest.importorskip("faiss")
pytest.importorskip("ipywidgets")

import reslens as rl
from reslens.errors import MissingExtraError
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.views import widgets
from reslens.views.html import Debouncer
from reslens.views.widgets import CompareWidget, SearchWidget, TimelineWidget
from tests.minicorpus import akn, write_corpus

# Markup in the XML text: the parser turns it into literal "<script>" in the paragraph text.
HOSTILE = (
    '<span class="italic">Requests</span> the Secretary-General to report on trafficking in '
    "persons &lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(2)&gt; "
    "in armed conflict;"
)


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> rl.Library:
    root = tmp_path_factory.mktemp("widgets")
    corpus = write_corpus(root / "corpus")
    extra = corpus / "unxml-scresolutions" / "Pre-2020" / "2012"
    extra.mkdir()
    (extra / "S_RES_2010_1200001E.xml").write_text(
        akn(2010, 2012, "2012-03-01", [HOSTILE, "Decides to remain seized of the matter."], []),
        encoding="utf-8",
    )
    build(corpus, root / "index", workers=1, embedder=FakeEmbedder())
    return rl.open(root / "index", embedder=FakeEmbedder())


def _tags(html_text: str) -> set[str]:
    """Names of the HTML elements in a rendered fragment."""
    return {m.lower() for m in re.findall(r"<\s*([a-zA-Z]+)", html_text)}


def _assert_escaped(html_text: str) -> None:
    assert "script" not in _tags(html_text)
    assert "img" not in _tags(html_text)
    assert "<script" not in html_text and "<img" not in html_text
    assert "&lt;script&gt;" in html_text


def test_search_shows_the_library_hits(lib: rl.Library) -> None:
    view = SearchWidget(lib, debounce=0)
    hits = view.run("trafficking in persons")
    expected = lib.search("trafficking in persons", **{**view.filters(), "k": 10})
    assert list(hits["key"]) == list(expected["key"])
    assert view.results.value.count('class="reslens-hit"') == len(hits) > 0
    assert "S/RES/2010 (2012)" in view.results.value
    assert f"{len(hits)} hits" in view.status.value
    _assert_escaped(view.results.value)
    # the choice list offers every hit; choosing one opens paragraph, similar and lineage
    keys = [value for _, value in view.choice.options if value]
    assert keys == list(hits["key"])
    view.choice.value = "2010:op1"
    assert view.opened == "2010:op1"
    _assert_escaped(view.paragraph_html.value)
    assert "S/RES/2010 (2012)" in view.paragraph_html.value
    assert 'class="reslens-similar-row"' in view.similar_html.value
    assert "First appearance" not in view.lineage_html.value  # traced when its tab opens
    view.detail.selected_index = 2
    assert "First appearance" in view.lineage_html.value
    _assert_escaped(view.lineage_html.value)
    assert view.lineage_plot.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_one_search_per_run(lib: rl.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    view = SearchWidget(lib, debounce=0)
    calls: list[str] = []
    search = lib.search

    def counting(query: str, **kwargs: object) -> object:
        calls.append(query)
        return search(query, **kwargs)

    monkeypatch.setattr(lib, "search", counting)
    view.run("trafficking")  # puts the query in the box, which does not search again
    assert calls == ["trafficking"]
    view.query.value = "armed conflict"  # typed (no pause with debounce=0): one search
    assert calls == ["trafficking", "armed conflict"]


def test_search_filters_are_the_library_arguments(lib: rl.Library) -> None:
    view = SearchWidget(lib, debounce=0)
    assert lib.years() == (1946, 2012)
    view.years.value = (2011, 2012)
    view.kind.value = "operative"
    view.strength.value = 4
    view.verbs.value = "requests, decides"
    view.resolutions.value = "2001; 2010"
    filters = view.filters()
    assert filters["since"] == 2011 and filters["until"] is None
    assert filters["verbs"] == ["requests", "decides"]
    assert filters["resolutions"] == ["2001", "2010"]
    hits = view.run("report trafficking")
    assert set(hits["key"]) == {"2010:op1", "2010:op2"}  # 2001 is from 2010: before `since`
    assert list(hits["key"]) == list(lib.search("report trafficking", **filters)["key"])
    view.resolutions.value = "9999"  # observed: searches again, nothing found, no error
    assert "No paragraph matches" in view.results.value


def test_search_errors_are_shown_not_raised(lib: rl.Library) -> None:
    view = SearchWidget(lib, debounce=0)
    view.verbs.value = "<b>nonsense</b>"
    view.run("trafficking")
    view.open("2010:op99")
    assert "reslens-error" in view.paragraph_html.value
    assert "<b>" not in view.paragraph_html.value


def test_compare_paragraphs_and_texts(lib: rl.Library) -> None:
    view = CompareWidget(lib)
    redline = view.run("2001:op1", "2002:op1")
    assert redline is not None and "requests → decides" in view.status.value
    assert "<del>" in view.output.value and "<ins>" in view.output.value
    view.run("2010:op1", "Requests the Secretary-General to report <script>x()</script>.")
    _assert_escaped(view.output.value)


def test_compare_resolutions_aligns_them(lib: rl.Library) -> None:
    view = CompareWidget(lib, "2001", "S/RES/2002 (2011)")
    alignment = view.result
    assert alignment is not None and alignment.__class__.__name__ == "Alignment"
    assert "S/RES/2001 (2010) → S/RES/2002 (2011)" in view.status.value
    assert 'class="reslens-aligned"' in view.output.value
    view.show.value = "all"
    assert "identical" in view.output.value
    pairs = [value for _, value in view.pair.options if value is not None]
    assert pairs
    view.pair.value = pairs[0]
    assert "reslens-redline" in view.pair_html.value


def test_timeline_plots_and_opens_a_bar(lib: rl.Library) -> None:
    view = TimelineWidget(lib, "2001:op1", threshold=0.3)
    evolution = view.evolution
    assert evolution is not None and len(evolution.paragraphs) > 0
    assert view.plot.value[:4] == b"\x89PNG"
    periods = [value for _, value in view.period.options if value is not None]
    view.period.value = periods[-1]
    assert 'class="reslens-period-row"' in view.paragraphs_html.value
    frame = view.open(2012)
    assert list(frame["key"]) == list(evolution.paragraphs_of(2012)["key"])
    _assert_escaped(view.paragraphs_html.value)


def test_without_ipywidgets_a_clear_message(
    lib: rl.Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(widgets.base, "_ipywidgets", lambda: None)
    assert not widgets.available()
    view = SearchWidget(lib, "trafficking")
    bundle = view._repr_mimebundle_()
    assert "pip install 'reslens[notebook]'" in bundle["text/plain"]
    assert "reslens[notebook]" in bundle["text/html"]
    with pytest.raises(MissingExtraError, match="reslens\\[notebook\\]"):
        view.run("trafficking")
    assert CompareWidget(lib, "2001", "2002").view is None
    assert TimelineWidget(lib, "x").view is None


def test_debouncer_runs_once_after_typing_pauses() -> None:
    import asyncio

    calls: list[int] = []

    async def typing() -> None:
        debounced = Debouncer(0.05, lambda: calls.append(1))
        for _ in range(5):
            debounced()
            await asyncio.sleep(0.001)
        assert calls == []
        await asyncio.sleep(0.2)

    asyncio.run(typing())
    assert calls == [1]
    Debouncer(0.05, lambda: calls.append(2))()  # no loop running: at once
    assert calls == [1, 2]


def test_widget_displays_as_an_ipywidget(lib: rl.Library) -> None:
    bundle = SearchWidget(lib, debounce=0)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_callbacks_on_another_thread(lib: rl.Library) -> None:
    """JupyterLab (ipykernel 7) runs widget callbacks on a subshell thread, not the thread
    that opened the library: the store must answer there too."""
    import threading

    view = SearchWidget(lib, debounce=0)
    done: list[str] = []
    worker = threading.Thread(target=lambda: (view.run("trafficking"), done.append("ran")))
    worker.start()
    worker.join()
    assert done == ["ran"]
    assert "reslens-error" not in view.status.value and "hits" in view.status.value


def test_enter_searches_at_once(lib: rl.Library) -> None:
    view = SearchWidget(lib, debounce=10.0)
    view.query.value = "trafficking"
    view.query._submission_callbacks(view.query)  # what a press of Enter calls
    assert "hits" in view.status.value


def test_aligning_again_embeds_nothing_new(
    lib: rl.Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Texts the model embeds for an alignment (sub-points, pieces) are kept for the session."""
    calls: list[list[str]] = []
    encode = lib.encode

    def counting(texts: list[str]) -> object:
        calls.append(list(texts))
        return encode(texts)

    monkeypatch.setattr(lib, "encode", counting)
    monkeypatch.setattr(lib, "encode_memo", {})
    texts = ["a sub-point never indexed", "Decides to remain seized of the matter."]
    first = lib.cached_encode(texts)
    assert calls == [["a sub-point never indexed"]]  # the other is in the index's cache
    second = lib.cached_encode(texts)
    assert calls == [["a sub-point never indexed"]]
    assert (first == second).all()


def test_compare_shows_dropped_text_and_refuses_mixed_references(lib: rl.Library) -> None:
    view = CompareWidget(lib, "2001", "2010")
    alignment = view.result
    assert alignment is not None and alignment.__class__.__name__ == "Alignment"
    dropped = [row for row in alignment.rows if row.status == "dropped"]
    assert dropped, alignment
    view.show.value = "all"
    rows = re.findall(r'<tr class="reslens-aligned".*?</tr>', view.output.value, re.S)
    dropped_rows = [r for r in rows if ">dropped<" in r]
    assert len(dropped_rows) == len(dropped)
    for row, para in zip(dropped_rows, dropped, strict=True):
        assert html.escape(para.a_text[:40]) in row  # a dropped row shows the text it lost
    # one resolution and one paragraph: a clear message, and the old alignment is gone
    assert view.run("2001", "2002:op1") is None
    assert "not one of each" in view.status.value
    assert view.result is None and view.output.value == "" and not view.pair.options


def test_errors_in_callbacks_reach_the_status_line(
    lib: rl.Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = TimelineWidget(lib, "2001:op1", threshold=0.3)
    assert view.evolution is not None

    def broken(period: object) -> object:
        raise RuntimeError("boom <b>")

    monkeypatch.setattr(view.evolution, "paragraphs_of", broken)
    view.period.value = next(v for _, v in view.period.options if v is not None)
    assert "RuntimeError: boom &lt;b&gt;" in view.status.value
    monkeypatch.undo()
    view.threshold.value = 0.95  # redraws at once, with the new threshold
    assert view.evolution is None or view.evolution.threshold == 0.95
    assert "0.95" in view.status.value


def _busy_during(view: object, monkeypatch: pytest.MonkeyPatch, name: str) -> list[dict]:
    """Patch ``lib.<name>`` to record what the widget shows while the call runs."""
    lib = view.lib  # type: ignore[attr-defined]
    seen: list[dict] = []
    call = getattr(lib, name)

    def recording(*args: object, **kwargs: object) -> object:
        seen.append(
            {
                "status": view.status.value,  # type: ignore[attr-defined]
                "classes": list(view.view._dom_classes),  # type: ignore[attr-defined]
                "go": view.go.disabled,  # type: ignore[attr-defined]
            }
        )
        return call(*args, **kwargs)

    monkeypatch.setattr(lib, name, recording)
    return seen


def _assert_busy_then_idle(view: object, seen: list[dict]) -> None:
    assert seen, "the call was not made"
    for state in seen:
        assert "Working…" in state["status"] and "reslens-busy" in state["status"]
        assert widgets.base.BUSY_CLASS in state["classes"]
        assert state["go"] is True
    assert "reslens-busy" not in view.status.value  # type: ignore[attr-defined]
    assert widgets.base.BUSY_CLASS not in view.view._dom_classes  # type: ignore[attr-defined]
    assert view.go.disabled is False  # type: ignore[attr-defined]


def test_compare_is_busy_and_clears_the_last_result(
    lib: rl.Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = CompareWidget(lib, "2001", "2002")
    assert 'class="reslens-aligned"' in view.output.value
    stale: list[str] = []
    seen = _busy_during(view, monkeypatch, "align")
    align = lib.align

    def watching(*args: object, **kwargs: object) -> object:
        stale.append(view.output.value)
        return align(*args, **kwargs)

    monkeypatch.setattr(lib, "align", watching)
    view.run("2001", "2010")
    _assert_busy_then_idle(view, seen)
    assert stale == [""], "the last alignment stayed on screen during the new one"
    assert "S/RES/2001 (2010) → S/RES/2010 (2012)" in view.status.value
    # an error: the status says it, the busy state is gone, the buttons work again
    monkeypatch.setattr(lib, "align", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("x")))
    view.run("2001", "2002")
    assert "RuntimeError: x" in view.status.value and not view.go.disabled
    assert widgets.base.BUSY_CLASS not in view.view._dom_classes and view.output.value == ""


def test_search_and_timeline_are_busy(lib: rl.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    search = SearchWidget(lib, debounce=0)
    seen = _busy_during(search, monkeypatch, "search")
    search.run("trafficking")
    _assert_busy_then_idle(search, seen)
    assert "hits" in search.status.value
    timeline = TimelineWidget(lib)
    seen = _busy_during(timeline, monkeypatch, "evolution")
    timeline.run("2001:op1")
    _assert_busy_then_idle(timeline, seen)
    # a click on a bar: every bar disabled while its paragraphs are read, then as before
    before = [bar.disabled for bar in timeline.bars.children]
    assert timeline.evolution is not None and not all(before)
    during: list[list[bool]] = []
    paragraphs_of = timeline.evolution.paragraphs_of

    def reading(period: object) -> object:
        during.append([bar.disabled for bar in timeline.bars.children])
        return paragraphs_of(period)  # type: ignore[arg-type]

    monkeypatch.setattr(timeline.evolution, "paragraphs_of", reading)
    clickable = next(b for b, off in zip(timeline.bars.children, before, strict=True) if not off)
    clickable.click()
    assert during == [[True] * len(before)]
    assert [bar.disabled for bar in timeline.bars.children] == before
    assert 'class="reslens-period-row"' in timeline.paragraphs_html.value


def test_images_are_hidden_until_they_hold_a_plot(lib: rl.Library) -> None:
    search = SearchWidget(lib, debounce=0)
    assert search.lineage_plot.layout.display == "none" and search.lineage_plot.value == b""
    search.run("trafficking")
    search.open("2010:op1")
    assert search.lineage_plot.layout.display == "none"  # lineage not traced yet
    search.detail.selected_index = 2
    assert search.lineage_plot.layout.display is None
    assert search.lineage_plot.value[:4] == b"\x89PNG"
    search.open("2001:op1")  # another paragraph: the old plot goes
    assert search.lineage_plot.layout.display is None  # the Lineage tab is open: traced again
    search.detail.selected_index = 0
    search.open("2010:op2")
    assert search.lineage_plot.layout.display == "none" and search.lineage_plot.value == b""
    timeline = TimelineWidget(lib)
    assert timeline.plot.layout.display == "none"
    timeline.run("2001:op1")
    assert timeline.plot.layout.display is None and timeline.plot.value[:4] == b"\x89PNG"
    timeline.run("")  # nothing to draw: the plot stays
    timeline.threshold.value = 0.95  # redrawn; whatever it finds, never an empty image shown
    assert (timeline.plot.layout.display == "none") == (timeline.plot.value == b"")


def test_similar_hits_open_like_search_hits(lib: rl.Library) -> None:
    view = SearchWidget(lib, debounce=0)
    view.run("trafficking")
    view.open("2010:op1")
    similar = [value for _, value in view.similar_choice.options if value]
    expected = lib.similar("2010:op1", k=8, exclude_own_resolution=True)
    assert similar == list(expected["key"]) and similar
    view.detail.selected_index = 1  # the Similar tab
    view.similar_choice.value = similar[0]
    assert view.opened == similar[0]
    assert view.detail.selected_index == 0  # the opened paragraph is shown
    para = lib.paragraph(similar[0])
    assert html.escape(para.text[:30]) in view.paragraph_html.value
    assert 'class="reslens-similar-row"' in view.similar_html.value  # its own similar ones
    view.detail.selected_index = 2
    assert "First appearance" in view.lineage_html.value


def test_sort_by_date_or_score_without_searching_again(
    lib: rl.Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = SearchWidget(lib, debounce=0)
    hits = view.run("trafficking in persons")
    assert hits["date"].nunique() > 1
    calls: list[str] = []
    monkeypatch.setattr(lib, "search", lambda *a, **k: calls.append("search"))

    def shown() -> list[str]:
        return re.findall(r'class="reslens-hit" data-key="([^"]+)"', view.results.value)

    assert shown() == list(hits["key"])
    view.sort.value = "newest"
    newest = shown()
    dates = [hits.set_index("key").loc[k, "date"] for k in newest]
    assert dates == sorted(dates, reverse=True) and sorted(newest) == sorted(hits["key"])
    assert [v for _, v in view.choice.options if v] == newest  # the choice follows the table
    view.sort.value = "oldest"
    dates = [hits.set_index("key").loc[k, "date"] for k in shown()]
    assert dates == sorted(dates)
    view.sort.value = "score"
    assert shown() == list(hits["key"])
    assert calls == [] and list(view.hits["key"]) == list(hits["key"])
