"""One request pipeline: every list call checks its query once, then plans and fetches
through the public seam ``plan`` / ``fetch_page`` (against the local DIALS).

The counts are taken by wrapping the real functions (they still run): the number of
checks of a query per call, and that every page a call returns came from ``fetch_page``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cmsdials import Dials
from cmsdials.auth.secret_key import Credentials
from cmsdials.endpoints import ListEndpoint
from cmsdials.filters import LumisectionHistogram1DFilters, ParamSet
from cmsdials.testing import DialsServer

from .helpers import api_requests


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {"select": 0, "fetch_page": 0}

    def count(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(ParamSet, "select", count("select", ParamSet.select))
    monkeypatch.setattr(ListEndpoint, "fetch_page", count("fetch_page", ListEndpoint.fetch_page))
    return counts


def _bounds(dials: Dials) -> dict[str, Any]:
    runs = dials.run.list_all({"page_size": 500}, enable_progress=False).results
    return {"run_number__gte": runs[0].run_number, "run_number__lte": runs[-1].run_number}


def _h1d_pages(srv: DialsServer) -> int:
    return sum(r.path == "/api/v1/th1/" for r in api_requests(srv))


@pytest.mark.parametrize("workers", [1, 4])
def test_list_all_checks_the_query_once_and_fetches_every_page_through_fetch_page(
    dials: Dials, srv: DialsServer, counted: dict[str, int], workers: int
) -> None:
    filters = LumisectionHistogram1DFilters(me__regex="PXLayer", page_size=50, **_bounds(dials))
    counted.update(select=0, fetch_page=0)
    srv.clear_requests()
    page = dials.h1d.list_all(filters, enable_progress=False, workers=workers)
    assert page.results and counted["select"] == 1
    assert counted["fetch_page"] == _h1d_pages(srv) > 1


def test_list_iter_items_and_plan_check_once(
    dials: Dials, srv: DialsServer, counted: dict[str, int]
) -> None:
    filters = {"me__regex": "PXLayer", "page_size": 30, **_bounds(dials)}
    for call in (
        lambda: dials.h1d.list(filters),
        lambda: list(dials.h1d.iter_items(filters, max_pages=3)),
        lambda: list(dials.h1d.iter_items(filters, max_pages=3, workers=3)),
        lambda: dials.h1d.plan(filters, workers=3),
    ):
        counted.update(select=0, fetch_page=0)
        srv.clear_requests()
        call()
        assert counted["select"] == 1
        assert counted["fetch_page"] == _h1d_pages(srv)


def test_list_follows_the_cursor_of_its_filters_through_fetch_page(
    dials: Dials, counted: dict[str, int]
) -> None:
    first = dials.h1d.list({"page_size": 5})
    assert first.next is not None
    token = first.next.split("next_token=")[1].split("&")[0]
    second = dials.h1d.list({"page_size": 5, "next_token": token})
    plan = dials.h1d.plan({"page_size": 5})
    assert second.results == dials.h1d.fetch_page(plan, 0, first.next).results
    assert second.results != first.results
    assert counted["fetch_page"] == 3


def test_list_all_with_workers_claims_the_heaviest_lanes_first(
    srv: DialsServer, creds: Credentials
) -> None:
    # hcal's three datasets share runs: a lane per dataset, more lanes than workers
    dials = Dials(creds, workspace="hcal", base_url=srv.base_url)  # closed by the fixture's srv
    filters = {"page_size": 20, "run_number__gte": 0}
    workers = 2
    plan = dials.h1d.plan(filters, workers=workers)
    weights = sorted({lane.ls_count or 0 for lane in plan.lanes}, reverse=True)
    assert len(plan.lanes) > workers and len(weights) > workers
    heaviest = sorted(plan.lanes, key=lambda lane: -(lane.ls_count or 0))[:workers]
    assert heaviest != list(plan.lanes[:workers])  # key order would start elsewhere
    srv.clear_requests()
    page = dials.h1d.list_all(filters, enable_progress=False, workers=workers)
    assert page.state is not None and page.state.finished
    firsts = [
        r for r in api_requests(srv) if r.path == "/api/v1/th1/" and "next_token" not in r.query
    ]
    assert len(firsts) == len(plan.lanes)
    started = [dict(sorted((k, v[-1]) for k, v in r.query.items())) for r in firsts[:workers]]
    expected = [{k: str(v) for k, v in sorted(plan.lane_query(lane).items())} for lane in heaviest]
    assert sorted(map(repr, started)) == sorted(map(repr, expected))
