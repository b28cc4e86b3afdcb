"""A pull keeps its rows out of the cyclic garbage collector's way, and leaves it as it was.

``list_all`` pauses automatic collection while it gathers rows (they all survive, so
each collection would only walk them again) and puts the collector back as it found
it, whatever happens; a response leaves no reference cycle behind, so its body is
freed as soon as it is decoded, collector or not.
"""

from __future__ import annotations

import _thread
import contextlib
import gc
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from cmsdials import Dials
from cmsdials.exceptions import Interrupted, ServerError
from cmsdials.pagination import YOUNG_COLLECTION_PAGES
from cmsdials.testing import DialsServer

ME_REGEX = "PXLayer_2$"


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()
    gc.unfreeze()


def _filters(dials: Dials, page_size: int = 25) -> dict[str, Any]:
    return {"me__regex": ME_REGEX, "page_size": page_size, "run_number__gte": 0}


def _collections(generation: int) -> int:
    return int(gc.get_stats()[generation]["collections"])


@pytest.mark.parametrize("workers", [1, 4])
def test_no_automatic_collection_while_rows_are_gathered(
    dials: Dials, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cmsdials.pagination as pagination
    import cmsdials.partitions as partitions

    starts: list[int] = []

    def watch(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            starts.append(int(info["generation"]))

    def pull() -> tuple[list[Any], list[int]]:
        gc.collect()  # the young generation's count starts from zero
        starts.clear()
        gc.callbacks.append(watch)
        try:
            page = dials.h1d.list_all(filters, enable_progress=False, workers=workers)
        finally:
            gc.callbacks.remove(watch)
        return page.results, list(starts)

    gc.enable()
    filters = _filters(dials)
    rows, ours = pull()
    assert 1 < -(-len(rows) // 25) < YOUNG_COLLECTION_PAGES  # no periodic collection here

    # the same pull with the collector left alone, as a reference
    @contextlib.contextmanager
    def untouched() -> Iterator[Any]:
        yield lambda: None

    monkeypatch.setattr(pagination, "rows_kept", untouched)
    monkeypatch.setattr(partitions, "rows_kept", untouched)
    same, reference = pull()
    assert same == rows
    assert len(reference) >= 5  # the collector runs again and again over the rows ...
    assert len(ours) <= 1 and 2 not in ours  # ... but not during ours (planning aside)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_long_pull_frees_young_garbage_every_so_many_pages(
    dials: Dials, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cmsdials.pagination as pagination

    monkeypatch.setattr(pagination, "YOUNG_COLLECTION_PAGES", 3)
    gc.enable()
    before = _collections(0)
    page = dials.h1d.list_all(_filters(dials), enable_progress=False)
    pages = -(-len(page.results) // 25)
    assert _collections(0) - before >= pages // 3


def test_a_collector_switched_off_stays_off(dials: Dials) -> None:
    gc.disable()
    dials.h1d.list_all(_filters(dials), enable_progress=False, workers=2)
    assert not gc.isenabled()


def test_objects_someone_froze_stay_frozen(dials: Dials) -> None:
    gc.enable()
    gc.freeze()  # as a server that forks does
    frozen = gc.get_freeze_count()
    assert frozen > 0
    dials.h1d.list_all(_filters(dials), enable_progress=False)
    # still frozen (unfreezing would leave 0; a few frozen objects were freed meanwhile)
    assert gc.get_freeze_count() > 0.9 * frozen and gc.isenabled()


def test_the_collector_is_back_after_an_error_and_after_ctrl_c(
    dials: Dials, srv: DialsServer
) -> None:
    gc.enable()
    srv.faults.inject("status", status=500, route=r"/th1/$", query="next_token=")
    with pytest.raises(ServerError):
        dials.h1d.list_all(_filters(dials), enable_progress=False, retries=0)
    assert gc.isenabled()

    srv.faults.inject("stall", route=r"/th1/$", query="next_token=", stall_seconds=5)
    timer = threading.Timer(0.5, _thread.interrupt_main)  # what Ctrl-C does
    timer.start()
    try:
        with pytest.raises(Interrupted):
            dials.h1d.list_all(_filters(dials), enable_progress=False)
    finally:
        timer.cancel()
    assert gc.isenabled()


def test_pulls_in_two_threads_give_the_collector_back_once_both_end(dials: Dials) -> None:
    gc.enable()
    filters = _filters(dials, page_size=10)
    started = threading.Barrier(2)
    states: list[bool] = []

    def pull() -> None:
        started.wait()
        dials.h1d.list_all(filters, enable_progress=False, workers=2)
        states.append(True)

    threads = [threading.Thread(target=pull) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert states == [True, True] and gc.isenabled()


def test_a_response_leaves_no_reference_cycle(dials: Dials) -> None:
    """The body of a page is freed when the page is decoded, not at the next collection.

    (The local DIALS serves from threads of this process: its own garbage is not ours.)"""
    dials.h1d.list(_filters(dials))  # the connection is open
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds unreachable stays in gc.garbage
    try:
        for _ in range(3):
            dials.h1d.list(_filters(dials))
            dials.run.list({"page_size": 5})
        gc.collect()
        responses = [o for o in gc.garbage if isinstance(o, httpx.Response)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert responses == []
