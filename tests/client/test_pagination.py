"""Cursor pagination end to end: many pages, max_pages, iterators, resume, progress, pandas."""

from __future__ import annotations

import gc
import re
import sys
import weakref
from typing import Any

import httpx
import pytest

from cmsdials import Dials
from cmsdials.filters import LumisectionHistogram1DFilters, RunFilters
from cmsdials.models import LumisectionHistogram1D
from cmsdials.pagination import ItemIterator, Page, PageIterator, next_token_of
from cmsdials.testing import DialsServer

from .helpers import api_requests

ME = "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"
KEY = ("dataset_id", "run_number", "ls_number", "me_id")


def expected_keys(srv: DialsServer, me: str = ME) -> list[tuple[int, ...]]:
    sql = f"SELECT {', '.join(KEY)} FROM th1 WHERE me = ? ORDER BY {', '.join(KEY)}"
    return [tuple(r) for r in srv.db("tracker").execute(sql, (me,))]


def keys(rows: list[Any]) -> list[tuple[int, ...]]:
    return [tuple(getattr(r, k) for k in KEY) for r in rows]


def fail_after(dials: Dials, srv: DialsServer, answers: int, **fault: Any) -> None:
    """Make the server fail the request that follows the client's ``answers``-th answer."""
    seen = 0

    def hook(response: httpx.Response) -> None:
        nonlocal seen
        seen += 1
        if seen == answers:
            srv.faults.inject(**{"kind": "status", "status": 500, **fault})

    dials.transport.http.event_hooks["response"].append(hook)


def test_many_pages_follow_the_cursor(dials: Dials, srv: DialsServer) -> None:
    expected = expected_keys(srv)
    pages = -(-len(expected) // 50)
    assert pages > 20
    everything = dials.h1d.list_all(LumisectionHistogram1DFilters(me=ME, page_size=50))
    assert keys(everything.results) == expected
    seen = api_requests(srv)
    assert len(seen) == pages
    assert "next_token" not in seen[0].query
    for request in seen:  # every page carries the filters, every page but the first a cursor
        assert request.query["me"] == [ME] and request.query["page_size"] == ["50"]
    assert all("next_token" in r.query for r in seen[1:])


def test_max_pages(dials: Dials, srv: DialsServer) -> None:
    expected = expected_keys(srv)
    data = dials.h1d.list_all(
        LumisectionHistogram1DFilters(me=ME, page_size=10), max_pages=5, enable_progress=False
    )
    assert keys(data.results) == expected[:50]
    assert data.next is not None and data.exc_type is None
    assert len(api_requests(srv)) == 5
    with pytest.raises(ValueError, match="max_pages"):
        dials.h1d.list_all(max_pages=-1)


def test_list_all_without_filters(dials: Dials, srv: DialsServer) -> None:
    # the classic README calls list_all() with no filter (the classic crashes on it)
    runs = dials.run.list_all()
    stored = [
        tuple(r) for r in srv.db().execute("SELECT dataset_id, run_number FROM run ORDER BY 1, 2")
    ]
    assert [(r.dataset_id, r.run_number) for r in runs.results] == stored


def test_item_iterator_is_lazy(dials: Dials, srv: DialsServer) -> None:
    expected = expected_keys(srv)
    items = dials.h1d.iter_items(LumisectionHistogram1DFilters(me=ME, page_size=100))
    assert isinstance(items, ItemIterator)
    assert api_requests(srv) == []  # nothing is fetched before the first item is asked for
    first = next(items)
    assert isinstance(first, LumisectionHistogram1D)
    assert len(api_requests(srv)) == 1
    rest = list(items)
    assert keys([first, *rest]) == expected
    assert items.done and items.next is None
    pages = -(-len(expected) // 100)
    assert len(api_requests(srv)) == pages


def test_item_iterator_holds_one_page(dials: Dials) -> None:
    filters = LumisectionHistogram1DFilters(me=ME, page_size=50)
    items = dials.h1d.iter_items(filters)
    first_page_row = weakref.ref(next(items))
    for _ in range(49 + 50):  # the rest of page 1, and page 2
        next(items)
    next(items)  # the first row of page 3
    gc.collect()
    assert first_page_row() is None  # page 1 is gone: the iterator holds no more than a page
    current = next(items)
    assert weakref.ref(current)() is current
    collected = dials.h1d.list_all(filters, max_pages=3, enable_progress=False)
    kept = weakref.ref(collected.results[0])
    gc.collect()
    assert kept() is not None


def test_page_iterator_resumes_from_its_position(dials: Dials, srv: DialsServer) -> None:
    expected = [
        tuple(r) for r in srv.db().execute("SELECT dataset_id, run_number FROM run ORDER BY 1, 2")
    ]
    pages = dials.run.iter_pages(RunFilters(page_size=4))
    assert isinstance(pages, PageIterator)
    first = next(pages)
    assert pages.next == first.next and first.next is not None
    rest = dials.run.iter_items(RunFilters(page_size=4), resume_from=pages.next)
    got = [(r.dataset_id, r.run_number) for r in first.results] + [
        (r.dataset_id, r.run_number) for r in rest
    ]
    assert got == expected


def test_keep_failed_in_the_middle_then_resume(dials: Dials, srv: DialsServer) -> None:
    expected = expected_keys(srv)
    filters = LumisectionHistogram1DFilters(me=ME, page_size=100)
    fail_after(dials, srv, answers=3)  # pages 1-3 arrive, page 4 answers 500
    with pytest.warns(RuntimeWarning, match="returning the 300 results"):
        data = dials.h1d.list_all(filters, keep_failed=True, enable_progress=False)
    assert keys(data.results) == expected[:300]
    assert data.exc_type == "ServerError"
    assert data.exc_formatted is not None and "500 Server Error" in data.exc_formatted
    assert data.next is not None
    failed_request = api_requests(srv)[-1]
    assert failed_request.status == 500
    assert failed_request.query["next_token"] == [next_token_of(data.next)]

    dials.transport.http.event_hooks["response"].clear()
    srv.clear_requests()
    resumed = dials.h1d.list_all(filters, keep_failed=True, resume_from=data)
    assert keys(resumed.results) == expected  # nothing lost, nothing twice
    assert resumed.exc_type is None and resumed.next is None
    first_resumed = api_requests(srv)[0]
    assert first_resumed.query["next_token"] == [next_token_of(data.next)]
    assert len(data.results) == 300  # the failed page object is not modified


def test_keep_failed_on_the_first_page_then_resume(dials: Dials, srv: DialsServer) -> None:
    expected = expected_keys(srv)
    filters = LumisectionHistogram1DFilters(me=ME, page_size=200)
    srv.faults.inject("status", status=503, count=1)
    with pytest.warns(RuntimeWarning):
        data = dials.h1d.list_all(filters, keep_failed=True, retries=0, enable_progress=False)
    assert data.results == [] and data.next is None
    assert data.exc_type == "ServerError"
    resumed = dials.h1d.list_all(filters, keep_failed=True, resume_from=data)
    assert keys(resumed.results) == expected
    pages = -(-len(expected) // 200)
    assert [r.status for r in api_requests(srv)] == [503] + [200] * pages


def test_keep_failed_after_a_connection_reset(dials: Dials, srv: DialsServer) -> None:
    expected = expected_keys(srv)
    filters = LumisectionHistogram1DFilters(me=ME, page_size=300)
    fail_after(dials, srv, answers=2, kind="reset")
    with pytest.warns(RuntimeWarning):
        data = dials.h1d.list_all(filters, keep_failed=True, retries=0, enable_progress=False)
    assert data.exc_type == "DialsConnectionError"
    assert keys(data.results) == expected[:600]
    dials.transport.http.event_hooks["response"].clear()
    resumed = dials.h1d.list_all(filters, resume_from=data, enable_progress=False)
    assert keys(resumed.results) == expected


def test_resume_after_max_pages(dials: Dials, srv: DialsServer) -> None:
    expected = expected_keys(srv)
    filters = LumisectionHistogram1DFilters(me=ME, page_size=100)
    data = dials.h1d.list_all(filters, max_pages=5, keep_failed=True, enable_progress=False)
    assert keys(data.results) == expected[:500] and data.next is not None
    data = dials.h1d.list_all(filters, max_pages=5, keep_failed=True, resume_from=data)
    assert keys(data.results) == expected[:1000] and data.next is not None
    data = dials.h1d.list_all(filters, max_pages=5, keep_failed=True, resume_from=data)
    assert keys(data.results) == expected and data.next is None
    pages = -(-len(expected) // 100)
    assert 10 < pages <= 15
    assert len(api_requests(srv)) == pages


def test_without_keep_failed_the_error_is_raised(dials: Dials, srv: DialsServer) -> None:
    from cmsdials.exceptions import ServerError

    fail_after(dials, srv, answers=1)
    with pytest.raises(ServerError):
        dials.h1d.list_all(LumisectionHistogram1DFilters(me=ME, page_size=100))


def test_resume_from_a_complete_page_fetches_nothing(dials: Dials, srv: DialsServer) -> None:
    done = dials.run.list_all(RunFilters(page_size=50), enable_progress=False)
    srv.clear_requests()
    with pytest.warns(RuntimeWarning, match="nothing left to fetch"):
        again = dials.run.list_all(RunFilters(page_size=50), resume_from=done)
    assert again.results == done.results and again.next is None
    assert api_requests(srv) == []


def test_progress_bar(dials: Dials, capsys: pytest.CaptureFixture[str]) -> None:
    filters = LumisectionHistogram1DFilters(me=ME, page_size=10)
    dials.h1d.list_all(filters, max_pages=5)  # stderr is no terminal here: silent by default
    assert capsys.readouterr().err == ""
    dials.h1d.list_all(filters, max_pages=5, enable_progress=True)
    err = capsys.readouterr().err
    assert "Progress: 5 pages" in err and "50 rows" in err and "%" not in err
    dials.h1d.list_all(filters, max_pages=3, enable_progress=False)
    assert "Progress" not in capsys.readouterr().err
    dials.run.list_all(RunFilters(page_size=500), enable_progress=True)  # one page
    assert "Progress: 1 pages" in capsys.readouterr().err


def test_no_progress_bar_without_tqdm(
    dials: Dials, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    page = dials.run.list_all(RunFilters(page_size=5))
    assert page.results and "Progress" not in capsys.readouterr().err  # batch: silent
    dials.run.list_all(RunFilters(page_size=500), enable_progress=True)
    err = capsys.readouterr().err  # cmsdials' own line
    assert re.fullmatch(r"\rProgress: 1 pages, \d+ rows, [\d.]+ pages/s\n", err), err


def test_to_pandas_columns(dials: Dials, srv: DialsServer) -> None:
    data = dials.h1d.list_all(LumisectionHistogram1DFilters(me=ME, page_size=100), max_pages=2)
    frame = data.to_pandas()
    assert list(frame.columns) == list(LumisectionHistogram1D.model_fields)
    assert len(frame) == 200
    assert isinstance(frame["data"].iloc[0], list) and len(frame["data"].iloc[0]) == 100
    assert list(frame["run_number"]) == [r.run_number for r in data.results]
    assert set(frame["me"]) == {ME}

    datasets = dials.dataset_index.list().to_pandas()
    assert list(datasets.columns) == list(dials.dataset_index.model.model_fields)
    assert str(datasets["last_modification_date"].dtype).startswith("datetime64")

    empty = dials.run.list(RunFilters(run_number=1))
    assert empty.results == []
    assert list(empty.to_pandas().columns) == list(dials.run.model.model_fields)


def test_to_pandas_without_pandas(dials: Dials, monkeypatch: pytest.MonkeyPatch) -> None:
    page = dials.run.list()
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'cmsdials\[pandas\]'"):
        page.to_pandas()


def test_fields_gives_plain_dict_rows(dials: Dials, srv: DialsServer) -> None:
    expected = expected_keys(srv)
    filters = LumisectionHistogram1DFilters(
        me=ME, fields=["run_number", "ls_number"], page_size=300
    )
    data = dials.h1d.list_all(filters, enable_progress=False)
    assert all(isinstance(row, dict) for row in data.results)
    assert [(r["run_number"], r["ls_number"]) for r in data.results] == [
        (k[1], k[2]) for k in expected
    ]
    assert set(data.results[0]) == {"run_number", "ls_number"}
    assert api_requests(srv)[0].query["fields"] == ["run_number,ls_number"]
    frame = data.to_pandas()
    assert sorted(frame.columns) == ["ls_number", "run_number"] and len(frame) == len(expected)
    assert data.model_dump()["results"][0] == data.results[0]
    one = dials.h1d.list(filters)
    assert one.results == data.results[:300]


def test_page_model_dump(dials: Dials) -> None:
    page = dials.run.list(RunFilters(page_size=2))
    dumped = page.model_dump()
    assert dumped["next"] == page.next and dumped["exc_type"] is None
    assert dumped["results"] == [row.model_dump() for row in page.results]
    assert set(dumped["results"][0]) >= {"dataset_id", "run_number", "ls_count"}


def test_page_is_the_classic_paginated_class() -> None:
    from cmsdials.clients.h1d.models import PaginatedLumisectionHistogram1DList

    page: Page[Any] = PaginatedLumisectionHistogram1DList(results=[], next=None, previous=None)
    assert isinstance(page, Page) and page.exc_type is None and page.exc_formatted is None
