"""Partitioned, concurrent walks of a list route: ``workers=N`` of ``list_all`` / ``iter_*``.

DIALS pages with a cursor: one page after the other, a round trip each. To
fetch with ``N`` requests in flight, the query is split into **partitions**,
disjoint key ranges whose union is the query, each walked by its own cursor on
a worker thread over the client's one pooled connection pool. Partitions are in
the route's primary-key order and are merged one after the other, so the
result is exactly the serial result, in the same order, without duplicates.

How a query is split (:func:`plan`), from what DIALS itself reports:

* **by runs** (``h1d``, ``h2d``, ``lumi``: rows keyed by dataset, run, ...):
  the runs of the selection are read from the run list route (only
  ``dataset_id``, ``run_number``, ``ls_count``) with the filters both routes
  share, and cut into at most ``workers`` ranges of consecutive runs, the heaviest
  as light as can be (each lane's last page is usually short, so more lanes cost
  more round trips). When the query keeps one row per lumisection (``lumi``, or one
  ME: ``me_id=``, ``me=``, a literal ``me__regex='^name$'``) and names its
  ``page_size``, ranges end on whole pages (W7's 22,778 lumisections at 500 a
  page: 8 lanes of at most 6 pages, where lanes of equal weight need 7). When
  the datasets' runs follow each other (dataset after dataset, no run in two),
  key order is run order and a
  partition is the query plus a ``run_number`` range; otherwise each dataset is
  cut on its own and a partition also pins ``dataset_id=`` (there is then at
  least one per dataset, and a walk claims the heaviest first). The first and
  last range keep the query's own bounds, so the ranges tile it without gaps.
  The ranges cover every run of each dataset the run list names (a run DIALS
  has histograms of but not yet a run row is still inside a range, though with
  ranges of runs alone, one of another dataset would come out of key order); a
  dataset missing from the run list altogether would be missed, which DIALS's
  ingestion (runs are written with their lumisections) does not produce.
  This needs a query that bounds the runs or the datasets
  (``run_number__gte``/``__lte``, ``dataset_id``, ``dataset``,
  ``dataset__regex``): otherwise learning the partitions would mean listing
  every run DIALS holds;
* **by listed keys** (any group): when the query lists several values of its
  leading key field (``model_id__in=[...]`` of ``ml_bad_lumis``,
  ``id__in`` of ``ml_models_index``, ``dataset_id__in`` of ``run``), one
  partition per value, in key order. Key fields given exactly are skipped
  first (``model_id=3, dataset_id__in=[...]`` splits by dataset).

A query that cannot be split is walked serially, and the debug log says why.

``max_pages`` counts pages across partitions: you get the rows of the first
``max_pages`` pages in key order (partition after partition), a prefix of the
serial result. It is not the same rows as a serial ``max_pages`` walk, since
each partition's last page is usually short.

The state of a walk (:class:`WalkState`: each partition's filters, how many of
its rows were collected, its cursor) is plain picklable data; a ``Page``
returned by ``list_all(workers=...)`` carries it as ``page.state`` and
``resume_from=page`` continues every unfinished partition where it stopped.

Workers are daemon threads; Ctrl-C (or an error, or ``close()``) stops them:
none starts another request, a worker waiting for a retry stops at once, and
requests in flight are waited for a short grace period. A 429 /
``Retry-After`` answer holds every worker (:mod:`cmsdials.backoff`).
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
import warnings
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any, Generic, TypeVar

from . import adapter, backoff
from .pagination import (
    PAGINATION_PARAMS,
    Page,
    PageIterator,
    interrupted,
    is_paginated,
    rows_kept,
)
from .progress import LumisectionsDone, progress

__all__ = [
    "DEFAULT_PARTITIONS_PER_WORKER",
    "MAX_WORKERS",
    "Lane",
    "LaneState",
    "PartitionedPages",
    "Plan",
    "RunInfo",
    "Walk",
    "WalkState",
    "check_max_pages",
    "check_ranges",
    "check_workers",
    "collect_partitioned",
    "plan",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: The most workers one call may use: more would load DIALS (one database per
#: workspace) without making a pull faster. ``workers`` above it is refused.
MAX_WORKERS = 16
#: Partitions made per worker when splitting by runs: one, since every partition ends
#: with a short page (an extra round trip); ``list_all`` claims the heaviest first.
DEFAULT_PARTITIONS_PER_WORKER = 1
#: How long ``close()`` waits for requests in flight before it returns.
CLOSE_GRACE_SECONDS = 2.0
#: Pages a worker may hold ahead of the reader in ``iter_pages`` / ``iter_items``.
PAGES_AHEAD = 4

# The run list's key and weight fields, and the key fields a row keyed by run starts with.
RUN_GROUP = "run"
RUN_KEY = ("dataset_id", "run_number")
RUN_LUMISECTION = "ls_number"
RUN_WEIGHT = "ls_count"
RUN_COMPLETENESS = "ls_completeness"
RUN_BOUNDS = ("run_number__gte", "run_number__lte")
DATASET_FILTERS = ("dataset_id", "dataset", "dataset__regex")
RUN_PAGE_SIZE = 500


# -- checks (before any request) -------------------------------------------


def check_workers(workers: object, owner: str) -> int:
    """``workers`` as an int in ``1..MAX_WORKERS``, or a ValueError/TypeError saying so."""
    if isinstance(workers, bool) or not isinstance(workers, int):
        raise TypeError(f"{owner}: workers must be an int (1 to {MAX_WORKERS}), not {workers!r}")
    if workers < 1 or workers > MAX_WORKERS:
        raise ValueError(
            f"{owner}: workers={workers} is out of range: use 1 (serial, the default) to "
            f"{MAX_WORKERS} (the cap, so that one pull cannot flood DIALS)"
        )
    return workers


def check_max_pages(max_pages: object) -> int | None:
    if max_pages is not None and (
        isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1
    ):
        raise ValueError(f"max_pages must be None or a positive int, not {max_pages!r}")
    return max_pages


def check_ranges(query: Mapping[str, Any], owner: str) -> None:
    """Refuse bounds that contradict each other (``run_number__gte`` > ``run_number__lte``)."""
    for name, low in query.items():
        if not name.endswith("__gte") or low is None:
            continue
        stem = name[: -len("__gte")]
        high = query.get(stem + "__lte")
        exact = query.get(stem)
        try:
            if high is not None and low > high:
                raise ValueError(
                    f"{owner}: {stem}__gte={low!r} is above {stem}__lte={high!r}: no row can "
                    "match; fix the bounds"
                )
            if exact is not None and (exact < low or (high is not None and exact > high)):
                raise ValueError(
                    f"{owner}: {stem}={exact!r} is outside {stem}__gte={low!r}"
                    + (f" / {stem}__lte={high!r}" if high is not None else "")
                    + ": no row can match; fix the filters"
                )
        except TypeError:  # values that do not compare (strings against numbers): DIALS decides
            continue
    for name, high in query.items():
        if name.endswith("__lte") and high is not None:
            stem = name[: -len("__lte")]
            exact = query.get(stem)
            if stem + "__gte" not in query and exact is not None:
                try:
                    bad = exact > high
                except TypeError:
                    continue
                if bad:
                    raise ValueError(
                        f"{owner}: {stem}={exact!r} is above {stem}__lte={high!r}: no row can "
                        "match; fix the filters"
                    )


# -- the state of a walk (plain, picklable data) ---------------------------


@dataclass(frozen=True)
class LaneState:
    """One partition: its filters (added to the query; ``None`` drops a query filter),
    how many of its rows the page holds, and where its cursor stands."""

    filters: Mapping[str, Any]
    #: Rows of this partition in the page's ``results`` (in partition order).
    rows: int = 0
    #: The cursor URL of its first page not fetched (``None``: not started, or done).
    next: str | None = None
    done: bool = False
    #: Lumisections the run list reported in it (``None``: unknown): heavier lanes are
    #: claimed first when nothing waits for the pages in order (``list_all``).
    weight: int | None = None


@dataclass(frozen=True)
class WalkState:
    """Where a partitioned walk stands: ``resume_from=`` a page carrying it continues it."""

    #: The list route (``/api/v1/th1/``) and the query (wire names) the partitions refine.
    route: str
    query: Mapping[str, Any]
    lanes: tuple[LaneState, ...] = field(default_factory=tuple)

    @property
    def finished(self) -> bool:
        return all(lane.done for lane in self.lanes)

    @property
    def unfinished(self) -> int:
        return sum(not lane.done for lane in self.lanes)

    def __repr__(self) -> str:
        return (
            f"WalkState({self.route!r}, {len(self.lanes)} partitions, "
            f"{self.unfinished} unfinished, {sum(lane.rows for lane in self.lanes)} rows)"
        )


def lane_query(query: Mapping[str, Any], filters: Mapping[str, Any]) -> dict[str, Any]:
    """The query of one partition: ``query`` with ``filters`` set (``None`` removes)."""
    merged = dict(query)
    for name, value in filters.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    return merged


@dataclass(frozen=True, order=True)
class RunInfo:
    """A run as the run list reports it when a plan splits by runs."""

    dataset_id: int
    run_number: int
    #: Lumisections DIALS holds of it (the partitions' weight).
    ls_count: int
    #: The fraction of its lumisections ingested (``None``: DIALS does not say);
    #: below 1 the run is still being taken or ingested.
    ls_completeness: float | None = None

    @property
    def complete(self) -> bool | None:
        return None if self.ls_completeness is None else self.ls_completeness >= 1


@dataclass(frozen=True)
class Lane:
    """One partition of a :class:`Plan`: a disjoint key range of the query.

    ``filters`` refine the plan's query (a ``None`` value removes a filter of
    it); ``runs`` are the runs the run list reported inside the range (empty
    unless the plan splits by runs).
    """

    filters: Mapping[str, Any]
    runs: tuple[RunInfo, ...] = ()

    def query(self, base: Mapping[str, Any]) -> dict[str, Any]:
        """The whole query of this lane: ``base`` (the plan's query) refined by ``filters``."""
        return lane_query(base, self.filters)

    @property
    def ls_count(self) -> int | None:
        """Lumisections in the lane (the sum of its runs' ``ls_count``; ``None``: unknown)."""
        return sum(r.ls_count for r in self.runs) if self.runs else None

    @property
    def complete(self) -> bool | None:
        """Whether every run of the lane was complete when planned (``None``: unknown)."""
        flags = [r.complete for r in self.runs]
        if not flags or any(f is None for f in flags):
            return None
        return all(flags)


@dataclass(frozen=True)
class Plan:
    """What one query fetches: its checked wire query, split into lanes in key order.

    Made by ``dials.<group>.plan(filters, workers=...)``; each lane's pages come
    from ``dials.<group>.fetch_page(plan, lane, cursor)``. Plain, picklable data.
    """

    #: The list route (``/api/v1/th1/``).
    route: str
    #: The checked query (wire names), pagination keys left out.
    query: Mapping[str, Any]
    lanes: tuple[Lane, ...]
    #: How it was split (``"by runs (12)"``, ``"by model_id__in"``, ``"serial: <why>"``).
    how: str = ""

    @property
    def split(self) -> bool:
        return len(self.lanes) > 1

    @property
    def ls_count(self) -> int | None:
        """The lumisections the plan covers (known when it splits by runs)."""
        counts = [lane.ls_count for lane in self.lanes]
        return None if any(c is None for c in counts) else sum(c or 0 for c in counts)

    def lane_query(self, lane: Lane) -> dict[str, Any]:
        return lane.query(self.query)


# -- planning: partitions learned from DIALS -------------------------------

#: Reads every row of a list route (for the run list): ``(operation, query) -> rows``.
ListRows = Callable[[adapter.Operation, Mapping[str, Any]], Sequence[Mapping[str, Any]]]


def key_fields(ops: adapter.GroupOperations) -> tuple[str, ...]:
    """The primary key fields of a group's rows, in the order DIALS sorts them.

    They are the retrieve route's path parameters (a parameter that is no row
    field, as ``model_id`` of ``ml-models-index/{model_id}/``, is DRF's ``pk``:
    the ``id`` field).
    """
    if ops.retrieve is None or ops.list is None:
        return ()
    names = _row_fields(ops.list)
    keys = []
    for param in ops.retrieve.path_params:
        if param.wire in names:
            keys.append(param.wire)
        elif "id" in names:
            keys.append("id")
        else:
            return ()
    return tuple(keys)


def _row_fields(op: adapter.Operation) -> set[str]:
    """The field names of an operation's rows (the spec's schema, however it is referred to)."""
    rows = op.rows
    if rows is None:
        return set()
    if not rows.fields and rows.model:
        full = adapter.api().model(rows.model)
        rows = full if full is not None else rows
    return {f.name for f in rows.fields}


def _split_by_listed_keys(
    keys: Sequence[str], op: adapter.Operation, query: Mapping[str, Any]
) -> tuple[list[Lane] | None, str]:
    for key in keys:
        if query.get(key) is not None:
            continue  # pinned: the next key field orders the rows
        listed = query.get(key + "__in")
        if not isinstance(listed, list | tuple) or not listed:
            return None, f"the query neither fixes nor lists {key!r}"
        param = op.query.get(key)
        if param is None or param.kind != "int":
            return None, f"the route has no integer filter {key!r} to pin each listed value"
        values = sorted(set(listed))
        if len(values) == 1:
            continue
        return [Lane({key: value, key + "__in": None}) for value in values], f"by {key}__in"
    return None, "every key field is fixed"


def _split_by_runs(
    keys: Sequence[str],
    ops: adapter.GroupOperations,
    query: Mapping[str, Any],
    parts: int,
    list_rows: ListRows,
) -> tuple[list[Lane] | None, str]:
    from .groups import group

    run_route = group(RUN_GROUP).route
    op = ops.list
    assert op is not None
    if tuple(keys[:2]) != RUN_KEY or ops.route == run_route:
        return None, "its rows are not keyed by dataset and run"
    if not all(b in op.query for b in RUN_BOUNDS) or RUN_KEY[0] not in op.query:
        return None, "its list route has no run_number range filter"
    if query.get(RUN_KEY[1]) is not None:
        return None, "it asks for one run (run_number=)"
    if not any(query.get(name) is not None for name in (*RUN_BOUNDS, *DATASET_FILTERS)):
        return None, (
            "it bounds neither the runs (run_number__gte/__lte) nor the datasets "
            "(dataset_id, dataset, dataset__regex)"
        )
    run_ops = adapter.api().group(run_route)
    run_op = run_ops.list
    if run_op is None or not {*RUN_KEY, RUN_WEIGHT} <= _row_fields(run_op):
        return None, "DIALS's spec has no run list with ls_count"
    shared = {
        name: value
        for name, value in query.items()
        if name in run_op.query and name not in PAGINATION_PARAMS and value is not None
    }
    run_fields = _row_fields(run_op)
    wanted = (*RUN_KEY, RUN_WEIGHT) + (
        (RUN_COMPLETENESS,) if RUN_COMPLETENESS in run_fields else ()
    )
    run_query = {**shared, "fields": ",".join(wanted), "page_size": RUN_PAGE_SIZE}
    runs = sorted(
        {
            RunInfo(
                int(row[RUN_KEY[0]]),
                int(row[RUN_KEY[1]]),
                int(row.get(RUN_WEIGHT) or 0),
                _completeness(row.get(RUN_COMPLETENESS)),
            )
            for row in list_rows(run_op, run_query)
        }
    )
    if not runs:
        return None, "DIALS lists no run for it"
    return _run_ranges(runs, parts, _page_unit(keys, query)), f"by runs ({len(runs)})"


def _completeness(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _run_ranges(runs: Sequence[RunInfo], parts: int, unit: int = 1) -> list[Lane]:
    """Ranges of consecutive runs, at most ``parts`` of them (or one per dataset, if more),
    each as light as can be, in lumisections rounded up to a multiple of ``unit``.

    The runs are cut as one sequence when the datasets' runs follow each other (key
    order is then run order, so a range of runs needs no ``dataset_id``), else each
    dataset on its own. ``unit`` is the lumisections of one page when a lumisection is
    one row: every range then ends on a page's end, so no range has a short page
    that a wider cut would have saved.
    """
    ordered = sorted(set(runs))
    datasets = sorted({run.dataset_id for run in ordered})
    segments: list[tuple[int | None, list[RunInfo]]]
    if len(datasets) > 1 and all(a.run_number < b.run_number for a, b in pairwise(ordered)):
        segments = [(None, ordered)]
    else:
        segments = [(d, [run for run in ordered if run.dataset_id == d]) for d in datasets]
    capacity = _lightest_capacity([seg for _, seg in segments], parts, max(unit, 1))
    result: list[Lane] = []
    for dataset_id, seg in segments:
        chunks = _fill(seg, capacity)
        for j, chunk in enumerate(chunks):
            bounds: dict[str, Any] = {} if dataset_id is None else {RUN_KEY[0]: dataset_id}
            if j > 0:  # the first range keeps the query's own lower bound
                bounds[RUN_BOUNDS[0]] = chunk[0].run_number
            if j < len(chunks) - 1:  # ... and the last one its upper bound
                bounds[RUN_BOUNDS[1]] = chunks[j + 1][0].run_number - 1
            result.append(Lane(bounds, tuple(chunk)))
    return result


def _weight(run: RunInfo) -> int:
    return max(run.ls_count, 1)


def _fill(runs: Sequence[RunInfo], capacity: int) -> list[list[RunInfo]]:
    """``runs`` in order, cut so that each range holds as many as fit in ``capacity``
    (a run heavier than that alone)."""
    chunks: list[list[RunInfo]] = [[]]
    weight = 0
    for run in runs:
        if chunks[-1] and weight + _weight(run) > capacity:
            chunks.append([])
            weight = 0
        chunks[-1].append(run)
        weight += _weight(run)
    return chunks


def _lightest_capacity(segments: Sequence[Sequence[RunInfo]], parts: int, unit: int) -> int:
    """The least multiple of ``unit`` that cuts ``segments`` into at most ``parts`` ranges
    (or into one range each, when there are more segments than ``parts``)."""
    weights = [sum(_weight(run) for run in seg) for seg in segments]
    low = max(1, -(-sum(weights) // (max(parts, 1) * unit)))
    high = max(low, -(-max(weights) // unit))  # every segment in one range
    while low < high:
        middle = (low + high) // 2
        if sum(len(_fill(seg, middle * unit)) for seg in segments) <= parts:
            high = middle
        else:
            low = middle + 1
    return low * unit


def _rows_per_lumisection_is_one(keys: Sequence[str], query: Mapping[str, Any]) -> bool:
    """Whether the query keeps one row per lumisection: every key field after the
    lumisection is pinned (``me_id=``, or its name ``me=`` / a literal ``me__regex``)."""
    if len(keys) < 3 or keys[2] != RUN_LUMISECTION:
        return False
    for key in keys[3:]:
        name = key.removesuffix("_id")
        if query.get(key) is None and query.get(name) is None:
            pattern = query.get(name + "__regex") if name != key else None
            if not (isinstance(pattern, str) and _names_one(pattern)):
                return False
    return True


def _names_one(pattern: str) -> bool:
    """Whether a regex matches one exact string: ``^`` + literal + ``$``."""
    if not (pattern.startswith("^") and pattern.endswith("$")) or pattern.endswith("\\$"):
        return False
    body = re.sub(r"\\[^0-9A-Za-z]", "", pattern[1:-1])  # escaped punctuation is literal
    return not any(char in body for char in "\\.^$*+?{}[]|()")


def _page_unit(keys: Sequence[str], query: Mapping[str, Any]) -> int:
    """The lumisections of one page when a lumisection is one row (else 1: no page to align)."""
    size = query.get("page_size")
    if isinstance(size, bool) or not _rows_per_lumisection_is_one(keys, query):
        return 1
    try:
        return max(int(size), 1) if size is not None else 1
    except (TypeError, ValueError):
        return 1


def plan(
    ops: adapter.GroupOperations,
    query: Mapping[str, Any],
    workers: int,
    list_rows: ListRows,
    owner: str,
    *,
    parts: int | None = None,
) -> Plan:
    """The plan of ``query``: its partitions in key order (one lane when it cannot be split).

    Splitting by runs aims at ``parts`` partitions (default ``workers``).
    """
    target = parts if parts is not None else DEFAULT_PARTITIONS_PER_WORKER * workers
    op = ops.list
    reason = "its list route is not paginated"
    how = ""
    found: list[Lane] | None = None
    if op is not None and op.rows is not None and is_paginated(op.query):
        keys = key_fields(ops)
        if not keys:
            reason = "its rows have no known primary key"
        else:
            found, how = _split_by_listed_keys(keys, op, query)
            if found is None:
                by_runs, why = _split_by_runs(keys, ops, query, target, list_rows)
                if by_runs is None:
                    reason = f"{how}; {why}"
                else:
                    found, how = by_runs, why
    route = op.path if op is not None else ops.route
    if found is None or len(found) < 2:
        logger.debug("%s: walking serially: the query cannot be split (%s)", owner, reason)
        runs = found[0].runs if found else ()
        return Plan(route, query, (Lane({}, runs),), f"serial: {reason if not found else how}")
    logger.debug("%s: %d partitions %s, %d workers", owner, len(found), how, workers)
    return Plan(route, query, tuple(found), how)


# -- the walk ---------------------------------------------------------------

#: Fetches one page of one lane: ``(lane, cursor: its next URL, None for the first) -> Page``
#: (an endpoint's ``fetch_page`` with the plan bound).
LaneFetch = Callable[[Lane, "str | None"], Page[Any]]


class _Lane:
    """One partition during a walk: the workers' side and the reader's side."""

    def __init__(self, index: int, state: LaneState) -> None:
        self.index = index
        self.filters = dict(state.filters)
        self.lane = Lane(self.filters)
        self.weight = state.weight
        # workers' side
        self.cursor = state.next
        self.done = state.done
        self.claimed = state.done
        self.halted = False  # max_pages reached before this partition's next page
        self.buffer: deque[Page[Any]] = deque()
        self.fetched = 0
        # the reader's side
        self.rows = state.rows
        self.position = state.next
        self.read_done = state.done

    def state(self) -> LaneState:
        return LaneState(
            self.filters,
            self.rows,
            None if self.read_done else self.position,
            self.read_done,
            self.weight,
        )


class Walk:
    """The workers and the in-order reader of one partitioned walk.

    ``ahead`` bounds the pages a partition may hold unread (``None``: no bound,
    for ``list_all``, which keeps every row anyway).
    """

    def __init__(
        self,
        fetch: LaneFetch,
        state: WalkState,
        workers: int,
        *,
        max_pages: int | None = None,
        ahead: int | None = None,
        first_url: Callable[[Mapping[str, Any]], str] | None = None,
    ) -> None:
        self._fetch = fetch
        self.route = state.route
        self.query = dict(state.query)
        self.lanes = [_Lane(i, lane) for i, lane in enumerate(state.lanes)]
        # The order workers claim lanes in: key order while a reader waits for each page
        # in turn (``ahead``) or only a prefix is wanted (``max_pages``), else the heaviest
        # first (the shortest walk: every page is kept to the end, merged in key order).
        self._claims = list(self.lanes)
        if ahead is None and max_pages is None:
            self._claims.sort(key=lambda lane: -(lane.weight or 0))
        self.workers = workers
        self.max_pages = max_pages
        self.ahead = ahead
        self._first_url = first_url
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._closed = False
        self.error: BaseException | None = None
        self.error_lane: int | None = None
        self.pages_read = 0
        self.threads: list[threading.Thread] = []
        #: Each lane's lumisections (the plan's ``ls_count``), when known: the progress
        #: bar then shows a real percentage.
        self.ls_counts: tuple[int, ...] | None = None

    # -- workers --
    def start(self) -> None:
        if self.threads:
            return
        todo = sum(not lane.done for lane in self.lanes)
        for n in range(min(self.workers, todo)):
            thread = threading.Thread(target=self._work, name=f"cmsdials-worker-{n}", daemon=True)
            self.threads.append(thread)
            thread.start()

    def _work(self) -> None:
        backoff.set_cancel_event(self._stop)
        try:
            while True:
                with self._cond:
                    if self._stop.is_set():
                        return
                    lane = next((lane for lane in self._claims if not lane.claimed), None)
                    if lane is None:
                        return
                    lane.claimed = True
                self._walk_lane(lane)
        finally:
            backoff.set_cancel_event(None)

    def _needed(self, lane: _Lane) -> bool:
        """Whether the next page of ``lane`` can be among the first ``max_pages``."""
        if self.max_pages is None:
            return True
        before = sum(other.fetched for other in self.lanes[: lane.index + 1])
        return before < self.max_pages

    def _walk_lane(self, lane: _Lane) -> None:
        while True:
            with self._cond:
                while (
                    self.ahead is not None
                    and len(lane.buffer) >= self.ahead
                    and not self._stop.is_set()
                ):
                    self._cond.wait()
                if self._stop.is_set():
                    return
                if not self._needed(lane):
                    lane.halted = True
                    self._cond.notify_all()
                    return
                cursor = lane.cursor
            try:
                page = self._fetch(lane.lane, cursor)
            except BaseException as exc:  # noqa: BLE001 - handed to the reader
                with self._cond:
                    if not self._stop.is_set() and self.error is None:
                        self.error, self.error_lane = exc, lane.index
                    self._stop.set()
                    self._cond.notify_all()
                return
            with self._cond:
                lane.buffer.append(page)
                lane.fetched += 1
                lane.cursor = page.next
                if page.next is None:
                    lane.done = True
                self._cond.notify_all()
                if lane.done:
                    return

    # -- the reader --
    def pages(self) -> Iterator[tuple[_Lane, Page[Any]]]:
        """The pages in key order (partition after partition); raises a worker's error."""
        self.start()
        for lane in self.lanes:
            while True:
                if self.max_pages is not None and self.pages_read >= self.max_pages:
                    return
                with self._cond:
                    while (
                        not lane.buffer
                        and not lane.done
                        and not lane.halted
                        and self.error is None
                        and not self._closed
                    ):
                        self._cond.wait()
                    if lane.buffer:
                        page = lane.buffer.popleft()
                        self._cond.notify_all()
                    elif self.error is not None:
                        raise self.error
                    elif lane.done or lane.halted:
                        break
                    else:  # closed
                        return
                self._read(lane, page)
                yield lane, page

    def _read(self, lane: _Lane, page: Page[Any]) -> None:
        lane.rows += len(page.results)
        lane.position = page.next
        lane.read_done = page.next is None
        self.pages_read += 1

    def drain(self) -> Iterator[tuple[_Lane, Page[Any]]]:
        """After ``close()``: the pages fetched but not read, partition by partition."""
        with self._cond:
            taken = [(lane, list(lane.buffer)) for lane in self.lanes]
            for lane in self.lanes:
                lane.buffer.clear()
        for lane, pages in taken:
            for page in pages:
                self._read(lane, page)
                yield lane, page

    def close(self, grace: float = CLOSE_GRACE_SECONDS) -> None:
        """Stop every worker: no new request; wait ``grace`` s for those in flight."""
        self._stop.set()
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        import time

        deadline = time.monotonic() + grace
        for thread in self.threads:
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))
        alive = [t.name for t in self.threads if t.is_alive()]
        if alive:
            logger.debug("%d workers still finish a request in flight: %s", len(alive), alive)

    # -- where it stands --
    def state(self) -> WalkState:
        return WalkState(self.route, dict(self.query), tuple(lane.state() for lane in self.lanes))

    def next_url(self) -> str | None:
        """The first unfinished partition's next page (its first page if not started)."""
        for lane in self.lanes:
            if lane.read_done:
                continue
            if lane.position is not None:
                return lane.position
            if self._first_url is not None:
                return self._first_url(lane_query(self.query, lane.filters))
            return None
        return None

    @property
    def finished(self) -> bool:
        return all(lane.read_done for lane in self.lanes)


class PartitionedPages(PageIterator[T], Generic[T]):
    """``iter_pages(workers=N)``: the pages of every partition, in key order.

    Workers fetch up to :data:`PAGES_AHEAD` pages per partition ahead of you.
    ``state`` is where the reader stands (pass it, or a ``Page(state=...)``, as
    ``resume_from=``); ``close()`` (or leaving a ``with`` block) stops the workers.
    """

    def __init__(self, walk: Walk) -> None:
        super().__init__(_no_fetch, max_pages=walk.max_pages)
        self.walk = walk
        self._pages: Iterator[tuple[_Lane, Page[Any]]] | None = None
        self.next = walk.next_url()

    def __next__(self) -> Page[T]:
        if self.done:
            raise StopIteration
        if self._pages is None:
            self._pages = self.walk.pages()
        try:
            _, page = next(self._pages)
        except StopIteration:
            self._finish()
            raise
        except BaseException:
            self.close()
            self.next = self.walk.next_url()
            raise
        self.pages_fetched += 1
        self.next = self.walk.next_url()
        return page

    def _finish(self) -> None:
        self.close()
        self.done = self.walk.finished
        self._max_pages = 0  # exhausted either way
        self.next = self.walk.next_url()

    @property
    def state(self) -> WalkState:
        return self.walk.state()

    def close(self) -> None:
        self.walk.close()

    def __enter__(self) -> PartitionedPages[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        walk = getattr(self, "walk", None)
        if walk is not None:
            walk.close(grace=0.0)


def _no_fetch(token: str | None) -> Page[Any]:
    raise AssertionError("a partitioned walk fetches through its workers")


def collect_partitioned(
    walk: Walk,
    *,
    resume_from: Page[Any] | None = None,
    keep_failed: bool = False,
    enable_progress: bool | None = None,
    model: type[Any] | None = None,
) -> Page[Any]:
    """``list_all(workers=N)``: every partition's rows, merged in key order, in one Page.

    With ``keep_failed``, an error returns the rows of every partition fetched
    so far (those fetched after the error by other workers included), with
    ``exc_type``/``exc_formatted`` set and ``state`` ready for ``resume_from=``.
    """
    lanes = walk.lanes
    results: list[list[Any]] = [[] for _ in lanes]
    if resume_from is not None:  # the rows collected before, partition by partition
        offset = 0
        for lane, before in zip(lanes, walk.state().lanes, strict=True):
            results[lane.index] = list(resume_from.results[offset : offset + before.rows])
            offset += before.rows
    counts = walk.ls_counts if resume_from is None else None
    bar = progress(enable_progress, total=sum(counts) if counts else None)
    lumis = LumisectionsDone(counts) if counts and bar is not None else None
    rows = sum(len(r) for r in results)
    failure: tuple[str, str] | None = None
    stopped = False  # Ctrl-C: the rows so far travel on the KeyboardInterrupt
    try:
        with rows_kept() as page_read:
            for lane, page in walk.pages():
                results[lane.index].extend(page.results)
                rows += len(page.results)
                page_read()
                if bar is None:
                    continue
                bar.page(rows=len(page.results))
                if lumis is not None:
                    bar.advance_to(lumis.add(lane.index, page.results, lane.read_done))
                else:
                    done = sum(lane.read_done for lane in lanes)
                    bar.set_postfix_str(f"{done}/{len(lanes)} partitions")
    except KeyboardInterrupt:
        walk.close()
        for lane, page in walk.drain():
            results[lane.index].extend(page.results)
        stopped = True
    except Exception as exc:
        if not keep_failed:
            raise
        walk.close()
        for lane, page in walk.drain():
            results[lane.index].extend(page.results)
        failure = (type(exc).__name__, traceback.format_exc())
        warnings.warn(
            f"a request failed, returning the {sum(len(r) for r in results)} results fetched "
            f"so far ({type(exc).__name__}: {exc}); resume with resume_from=",
            RuntimeWarning,
            stacklevel=3,
        )
    finally:
        walk.close()
        if bar is not None:
            bar.close()
    merged = [row for lane_rows in results for row in lane_rows]
    state = walk.state()
    # Lane row counts must describe ``merged`` (resumed rows included).
    state = replace(
        state,
        lanes=tuple(replace(lane, rows=len(results[i])) for i, lane in enumerate(state.lanes)),
    )
    exc_type, exc_formatted = failure if failure is not None else (None, None)
    page = Page(merged, walk.next_url(), None, exc_type, exc_formatted, model=model, state=state)
    if stopped:
        raise interrupted(page, walk.pages_read) from None
    return page
