"""How a query split by runs is cut into lanes (``plan``).

The properties are checked on ``partitions.plan`` fed with made-up run lists
(hypothesis), against an exhaustive oracle; the consequences (rows in key order,
pages per lane) against the local DIALS.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmsdials import Dials
from cmsdials.adapter import api
from cmsdials.groups import group
from cmsdials.partitions import Lane, Plan, plan
from cmsdials.testing import DialsServer

from .helpers import api_requests

ME = "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"


def _plan(
    runs: Sequence[tuple[int, int, int]], query: Mapping[str, Any], parts: int, attribute: str
) -> Plan:
    """``plan`` of ``query`` when the run list answers ``runs`` (dataset, run, ls_count)."""
    rows = [{"dataset_id": d, "run_number": r, "ls_count": n} for d, r, n in runs]
    ops = api().group(group(attribute).route)
    return plan(ops, dict(query), parts, lambda op, q: rows, "test", parts=parts)


def _cost(ls_counts: Sequence[int], unit: int) -> int:
    """A lane's weight in ``unit``s of lumisections (a run of none still weighs one)."""
    return -(-sum(max(n, 1) for n in ls_counts) // unit)


def _best(segments: Sequence[Sequence[int]], parts: int, unit: int) -> int:
    """The oracle: the least possible cost of the heaviest lane, over every way of
    cutting each segment into consecutive ranges, at most ``parts`` ranges in all
    (or one per segment when there are more segments)."""

    @functools.cache
    def best(segment: int, start: int, left: int) -> float:
        weights = segments[segment]
        if start == len(weights):
            return best(segment + 1, 0, left) if segment + 1 < len(segments) else 0
        if left == 0:
            return math.inf
        return min(
            max(_cost(weights[start:end], unit), best(segment, end, left - 1))
            for end in range(start + 1, len(weights) + 1)
        )

    limit = max(parts, len(segments))
    return int(best(0, 0, limit))


def _lane_runs(lane: Lane) -> list[tuple[int, int]]:
    return [(r.dataset_id, r.run_number) for r in lane.runs]


def _covers(lane: Lane, dataset_id: int, run_number: int) -> bool:
    """Whether ``lane``'s filters let a row of this dataset and run through."""
    f = lane.filters
    return (
        f.get("dataset_id", dataset_id) == dataset_id
        and f.get("run_number__gte", run_number) <= run_number
        and f.get("run_number__lte", run_number) >= run_number
    )


run_lists = st.lists(
    st.tuples(
        st.integers(1, 4),  # dataset
        st.integers(1, 40),  # run
        st.integers(0, 300),  # ls_count
    ),
    min_size=1,
    max_size=10,
    unique_by=lambda t: (t[0], t[1]),
)


@settings(max_examples=300, deadline=None)
@given(
    runs=run_lists,
    parts=st.integers(2, 6),
    page_size=st.one_of(st.none(), st.integers(1, 400)),
    one_me=st.booleans(),
    # datasets after one another in run order (as a run range shows them), or mixed
    shift=st.booleans(),
)
def test_lanes_tile_the_runs_in_key_order_and_the_heaviest_is_as_light_as_can_be(
    runs: list[tuple[int, int, int]],
    parts: int,
    page_size: int | None,
    one_me: bool,
    shift: bool,
) -> None:
    if shift:  # dataset d's runs all above dataset d-1's
        runs = [(d, r + 100 * d, n) for d, r, n in runs]
    query: dict[str, Any] = {"run_number__gte": 1}
    if page_size is not None:
        query["page_size"] = page_size
    if one_me:
        query["me__regex"] = f"^{ME}$"
    made = _plan(runs, query, parts, "h1d")
    lanes = made.lanes
    keyed = sorted((d, r) for d, r, _ in runs)

    # Every run is in exactly one lane, the lanes in key order, and each lane's
    # filters let through its own runs and no other listed run.
    assert [run for lane in lanes for run in _lane_runs(lane)] == keyed
    for lane in lanes:
        assert [(d, r) for d, r in keyed if _covers(lane, d, r)] == _lane_runs(lane)
    datasets = sorted({d for d, _, _ in runs})
    last = max(r for _, r, _ in runs) + 2
    for d, r in [(d, r) for d in datasets for r in range(last)]:  # no gap: a run not
        assert sum(_covers(lane, d, r) for lane in lanes) == 1  # listed is in one lane
    follows = all(a[1] < b[1] for a, b in pairwise(keyed))
    one_sequence = len(datasets) > 1 and follows
    if len(lanes) > 1:  # a lane pins its dataset unless the runs are one sequence
        assert all(("dataset_id" in lane.filters) != one_sequence for lane in lanes)
    segments = (
        [[n for _, _, n in sorted(runs)]]
        if one_sequence or len(datasets) == 1
        else [[n for d, _, n in sorted(runs) if d == ds] for ds in datasets]
    )
    assert len(lanes) <= max(parts, len(segments))

    # The heaviest lane: whole pages when a lumisection is one row and the page size known.
    unit = page_size if (page_size is not None and one_me) else 1
    heaviest = max(_cost([r.ls_count for r in lane.runs], unit) for lane in lanes)
    assert heaviest == _best(segments, parts, unit)


def test_a_regex_pins_one_me_only_when_it_is_an_anchored_literal() -> None:
    runs = [(1, r, 300) for r in range(1, 9)]  # 2,400 lumisections
    escaped = "^PixelPhase1/Tracks/PXBarrel/charge\\_PXLayer\\_2$"
    lanes = {
        pattern: _plan(
            runs, {"run_number__gte": 1, "page_size": 500, "me__regex": pattern}, 2, "h1d"
        )
        for pattern in (f"^{ME}$", escaped, "PXLayer", f"^{ME}.*$")
    }
    # one row per lumisection: 3 pages of 500 in a lane at most (1,500 + 900)
    for pattern in (f"^{ME}$", escaped):
        assert [lane.ls_count for lane in lanes[pattern].lanes] == [1500, 900]
    # rows per lumisection unknown: halves by weight (1,200 + 1,200)
    for pattern in ("PXLayer", f"^{ME}.*$"):
        assert [lane.ls_count for lane in lanes[pattern].lanes] == [1200, 1200]
    # the lumisection route has one row per lumisection whatever the filters
    lumi = _plan(runs, {"run_number__gte": 1, "page_size": 500}, 2, "lumi")
    assert [lane.ls_count for lane in lumi.lanes] == [1500, 900]


def _by_lane(made: Plan, rows: Sequence[Any]) -> list[int]:
    return [sum(_covers(lane, r.dataset_id, r.run_number) for r in rows) for lane in made.lanes]


def test_one_me_lanes_end_on_whole_pages_against_the_local_dials(
    dials: Dials, srv: DialsServer
) -> None:
    page_size = 60
    filters = {"me": ME, "page_size": page_size, "run_number__gte": 0}
    workers = 4
    made = dials.h1d.plan(filters, workers=workers)
    serial = dials.h1d.list_all(filters, enable_progress=False).results
    per_lane = _by_lane(made, serial)
    assert sum(per_lane) == len(serial) and len(made.lanes) <= workers
    # One row per lumisection here: each lane's rows are its runs' ls_count.
    assert per_lane == [lane.ls_count for lane in made.lanes]
    datasets = sorted({r.dataset_id for r in serial})
    segments = [[r.ls_count for lane in made.lanes for r in lane.runs]]
    assert len(datasets) > 1 and all("dataset_id" not in lane.filters for lane in made.lanes)
    pages = [-(-n // page_size) for n in per_lane]
    assert max(pages) == _best(segments, workers, page_size)

    srv.clear_requests()
    concurrent = dials.h1d.list_all(filters, enable_progress=False, workers=workers)
    assert concurrent.results == serial
    th1 = [r for r in api_requests(srv) if r.path == "/api/v1/th1/"]
    assert len(th1) == sum(pages)


@pytest.mark.parametrize("attribute", ["h1d", "lumi"])
def test_datasets_sharing_runs_get_lanes_of_their_own(
    srv: DialsServer, creds: Any, attribute: str
) -> None:
    """hcal holds three datasets of the same runs: key order is not run order, so each
    lane pins its dataset and the rows still come in key (dataset, run) order."""
    with Dials(creds, workspace="hcal", base_url=srv.base_url) as hcal:
        endpoint = getattr(hcal, attribute)
        filters = {"run_number__gte": 0, "page_size": 25}
        made = endpoint.plan(filters, workers=4)
        assert len({lane.filters["dataset_id"] for lane in made.lanes}) == 3
        assert all("dataset_id" in lane.filters for lane in made.lanes)
        serial = endpoint.list_all(filters, enable_progress=False)
        concurrent = endpoint.list_all(filters, enable_progress=False, workers=4)
        assert concurrent.results == serial.results
        keys = [(r.dataset_id, r.run_number) for r in serial.results]
        assert keys == sorted(keys) and len({d for d, _ in keys}) == 3
        runs = [r for _, r in keys]
        assert runs != sorted(runs)  # run order would interleave the datasets
