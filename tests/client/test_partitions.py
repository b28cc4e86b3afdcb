"""workers=N: partitioned concurrent walks against the local DIALS (issue 11).

Every assertion compares rows with a serial walk over real HTTP; nothing is timed.
"""

from __future__ import annotations

import _thread
import logging
import pickle
import threading
from typing import Any

import pytest

from cmsdials import Dials
from cmsdials.backoff import RetryAfterGate
from cmsdials.exceptions import DialsHTTPError
from cmsdials.pagination import Page
from cmsdials.partitions import MAX_WORKERS, PartitionedPages, WalkState
from cmsdials.testing import DialsServer


def _runs(dials: Dials) -> list[Any]:
    return dials.run.list_all({"page_size": 500}, enable_progress=False).results


def _filters(dials: Dials, attribute: str) -> tuple[dict[str, Any], bool]:
    """Filters for a list group, and whether its query can be split."""
    runs = _runs(dials)
    first, last = runs[0].run_number, runs[-1].run_number
    if attribute == "h1d":
        return {"run_number__gte": first, "run_number__lte": last, "page_size": 40}, True
    if attribute == "h2d":
        return {"run_number__gte": first, "page_size": 20}, True
    if attribute == "lumi":
        return {"run_number__lte": last, "page_size": 10}, True
    if attribute == "run":
        datasets = sorted({r.dataset_id for r in runs})
        return {"dataset_id__in": datasets, "page_size": 3}, len(datasets) > 1
    if attribute == "ml_models_index":
        ids = [m.id for m in dials.ml_models_index.list_all(enable_progress=False).results]
        return {"id__in": ids, "page_size": 2}, len(ids) > 1
    if attribute == "ml_bad_lumis":
        ids = [m.id for m in dials.ml_models_index.list_all(enable_progress=False).results]
        return {"model_id__in": ids, "page_size": 5}, len(ids) > 1
    if attribute == "file_index":
        return {"dataset_id": runs[0].dataset_id, "page_size": 5}, False
    return {"page_size": 5} if attribute != "mes" else {}, False


GROUPS = [
    "dataset_index",
    "file_index",
    "h1d",
    "h2d",
    "lumi",
    "run",
    "mes",
    "ml_models_index",
    "ml_bad_lumis",
]


@pytest.mark.parametrize("attribute", GROUPS)
def test_serial_equals_concurrent_for_every_group(
    dials: Dials, jetmet: Dials, attribute: str, caplog: pytest.LogCaptureFixture
) -> None:
    if attribute.startswith("ml_"):
        dials = jetmet  # the workspace with ML models
    endpoint = getattr(dials, attribute)
    filters, splits = _filters(dials, attribute)
    serial = endpoint.list_all(filters, enable_progress=False)
    with caplog.at_level(logging.DEBUG, logger="cmsdials"):
        concurrent = endpoint.list_all(filters, enable_progress=False, workers=4)
    if attribute == "mes":  # the classic's mes.list_all(): one unpaginated list
        assert concurrent == serial and serial
        assert "walking serially" in caplog.text
        return
    assert concurrent.results == serial.results
    assert len(serial.results) > 0
    keys = [tuple(sorted(vars(r).items(), key=str)) for r in concurrent.results]
    assert len(set(map(str, keys))) == len(keys)  # no duplicates
    if splits:
        assert isinstance(concurrent.state, WalkState)
        assert len(concurrent.state.lanes) > 1 and concurrent.state.finished
        assert concurrent.next is None
        items = list(endpoint.iter_items(filters, workers=3))
        assert items == serial.results
    else:
        assert concurrent.state is None
        assert "walking serially" in caplog.text


def test_max_pages_is_a_prefix_and_resume_gives_the_rest(dials: Dials) -> None:
    filters, _ = _filters(dials, "h1d")
    serial = dials.h1d.list_all(filters, enable_progress=False).results
    part = dials.h1d.list_all(filters, enable_progress=False, workers=4, max_pages=3)
    assert part.results == serial[: len(part.results)]
    assert part.state is not None and not part.state.finished and part.next is not None
    rest = dials.h1d.list_all(filters, enable_progress=False, workers=4, resume_from=part)
    assert rest.results == serial
    pages = list(dials.h1d.iter_pages(filters, workers=4, max_pages=3))
    assert len(pages) == 3


def test_resume_is_exact_after_a_failure_in_a_middle_partition(
    dials: Dials, srv: DialsServer
) -> None:
    filters, _ = _filters(dials, "h1d")
    serial = dials.h1d.list_all(filters, enable_progress=False).results
    plan = dials.h1d.list_all(filters, enable_progress=False, workers=4, max_pages=1).state
    assert plan is not None and len(plan.lanes) >= 3
    # a partition in the middle: not the first of its dataset (it has a lower run bound)
    middle = next(
        lane.filters
        for lane in plan.lanes[len(plan.lanes) // 2 :] + plan.lanes[1:]
        if "run_number__gte" in lane.filters
    )
    bound = middle["run_number__gte"]
    # Its second page fails (500, not retried), whichever worker asks for it.
    second_page = rf"(?=.*next_token=)(?=.*run_number__gte={bound}(&|$))"
    srv.faults.inject("status", status=500, route=r"/th1/$", query=second_page)
    with pytest.warns(RuntimeWarning, match="resume with resume_from="):
        failed = dials.h1d.list_all(filters, enable_progress=False, workers=4, keep_failed=True)
    assert failed.exc_type == "ServerError"  # the 500
    assert failed.state is not None and not failed.state.finished
    broken = [lane for lane in failed.state.lanes if not lane.done]
    assert any(lane.filters == middle and lane.next is not None for lane in broken)
    assert len(failed.results) < len(serial)
    assert set(map(repr, failed.results)) <= set(map(repr, serial))
    kept = pickle.loads(pickle.dumps(failed))  # the state travels, e.g. to another process
    assert kept.state == failed.state and kept.results == failed.results
    resumed = dials.h1d.list_all(filters, enable_progress=False, workers=2, resume_from=kept)
    assert resumed.results == serial
    assert resumed.exc_type is None and resumed.state is not None and resumed.state.finished


def test_an_error_without_keep_failed_raises(dials: Dials, srv: DialsServer) -> None:
    filters, _ = _filters(dials, "h1d")
    srv.faults.inject("status", status=500, route=r"/th1/$", query="run_number__gte")
    with pytest.raises(DialsHTTPError):
        dials.h1d.list_all(filters, enable_progress=False, workers=4)
    assert _worker_threads_end()


def test_resume_from_another_query_is_refused(dials: Dials, srv: DialsServer) -> None:
    filters, _ = _filters(dials, "h1d")
    part = dials.h1d.list_all(filters, enable_progress=False, workers=4, max_pages=1)
    with pytest.raises(ValueError, match="another query"):
        dials.h1d.list_all({**filters, "me_id": 1}, workers=4, resume_from=part)


@pytest.mark.parametrize("workers", [0, -1, MAX_WORKERS + 1])
def test_bad_workers_are_refused_before_any_request(
    dials: Dials, srv: DialsServer, workers: int
) -> None:
    srv.clear_requests()
    for call in (dials.h1d.list_all, dials.h1d.iter_items, dials.h1d.iter_pages):
        with pytest.raises(ValueError, match=f"workers={workers} is out of range"):
            call({"run_number__gte": 1}, workers=workers)
    with pytest.raises(TypeError, match="workers must be an int"):
        dials.h1d.list_all(workers=True)  # type: ignore[arg-type]
    assert srv.requests == []


def test_contradicting_bounds_are_refused_before_any_request(
    dials: Dials, srv: DialsServer
) -> None:
    srv.clear_requests()
    with pytest.raises(ValueError, match=r"run_number__gte=10 is above run_number__lte=5"):
        dials.h1d.list_all({"run_number__gte": 10, "run_number__lte": 5}, workers=4)
    with pytest.raises(ValueError, match=r"run_number=3 is outside"):
        dials.lumi.list_all({"run_number": 3, "run_number__gte": 5})
    assert srv.requests == []


def _worker_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("cmsdials-worker-")]


def _worker_threads_end() -> bool:
    for thread in _worker_threads():
        thread.join(30)  # a guard against a hang, not a timing assertion
    return not _worker_threads()


def test_ctrl_c_stops_every_worker(dials: Dials, srv: DialsServer) -> None:
    filters, _ = _filters(dials, "lumi")
    filters["page_size"] = 2
    serial_pages = len(list(dials.lumi.iter_pages(filters)))
    srv.clear_requests()
    seen = threading.Event()

    def interrupt_after_some_pages() -> None:
        while len(srv.requests) < 6:
            if seen.wait(0.01):
                return
        _thread.interrupt_main()  # what Ctrl-C does to the main thread

    srv.latency_ms = 100.0  # requests in flight when the interrupt comes
    try:
        helper = threading.Thread(target=interrupt_after_some_pages, daemon=True)
        helper.start()
        with pytest.raises(KeyboardInterrupt):
            dials.lumi.list_all(filters, enable_progress=False, workers=4)
        seen.set()
        at_interrupt = len(srv.requests)
        assert _worker_threads_end()
    finally:
        srv.latency_ms = 0.0
    # No worker started a request after the interrupt (those in flight at most finished).
    assert len(srv.requests) <= at_interrupt + 4
    assert len(srv.requests) < serial_pages
    # The client is intact: the pool serves the next call.
    assert dials.lumi.list(filters).results


def test_closing_a_partitioned_iterator_stops_its_workers(dials: Dials) -> None:
    filters, _ = _filters(dials, "h1d")
    pages = dials.h1d.iter_pages(filters, workers=4)
    assert isinstance(pages, PartitionedPages)
    with pages:
        first = next(pages)
    assert first.results
    assert _worker_threads_end()
    state = pages.state
    assert state.lanes[0].rows == len(first.results)
    rest = dials.h1d.list_all(
        filters, enable_progress=False, resume_from=Page(first.results, state=state), workers=2
    )
    assert rest.results == dials.h1d.list_all(filters, enable_progress=False).results


class _RecordingGate(RetryAfterGate):
    def __init__(self) -> None:
        super().__init__()
        self.held: list[str] = []
        self.waited: list[str] = []

    def hold(self, seconds: float) -> None:
        self.held.append(threading.current_thread().name)
        super().hold(seconds)

    def remaining(self) -> float:
        left = super().remaining()
        if left > 0:
            self.waited.append(threading.current_thread().name)
        return left


def test_429_slows_every_worker(dials: Dials, srv: DialsServer) -> None:
    filters, _ = _filters(dials, "h1d")
    serial = dials.h1d.list_all(filters, enable_progress=False).results
    gate = _RecordingGate()
    dials.transport.slowdown = gate
    srv.faults.inject("status", status=429, retry_after=1, route=r"/th1/$", query="next_token")
    got = dials.h1d.list_all(filters, enable_progress=False, workers=4)
    assert got.results == serial
    assert len(gate.held) == 1
    assert set(gate.waited) - set(gate.held), "no other worker waited for the 429's Retry-After"
