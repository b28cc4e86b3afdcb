"""What a pull selects, cut into the store's partitions.

A query is split along its group's keys into **dimensions** that a store can
hold piece by piece, and a **base**: every other filter, which all the pulls of
one store share (another base under the same folder is refused).

* the **ME** dimension (histogram groups, whose rows are keyed by ``me_id``),
  when the query names monitoring elements (``me``, ``me__regex``, ``me_id``):
  one partition per monitoring element, resolved with one request to the
  ``mes`` route (none for ``me_id=``);
* the **run** dimension (``h1d``, ``h2d``, ``lumi``: rows keyed by dataset and
  run), when the query bounds the runs or the datasets: one partition per run
  of one dataset, the runs read from DIALS's run list with their ``ls_count``
  and ``ls_completeness`` (through ``dials.<group>.plan``);
* otherwise the lanes of ``dials.<group>.plan`` (one per listed key of an
  ``__in`` filter, or the whole query).

So widening a pull (a longer run range, another ME) adds partitions and keeps
the ones stored. The rows of a run that DIALS holds but its run list does not
name are not in any run partition (as in the partitioned walks of
``workers=``); DIALS's ingestion writes a run with its lumisections.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import adapter
from ..partitions import (
    DATASET_FILTERS,
    RUN_BOUNDS,
    RUN_GROUP,
    RUN_KEY,
    Lane,
    Plan,
    RunInfo,
    check_ranges,
    key_fields,
)
from .layout import digest

if TYPE_CHECKING:
    from ..endpoints import ListEndpoint

__all__ = ["Part", "Selection", "analyse"]

ME_KEY = "me_id"
ME_SELECTORS = ("me", "me__regex", "me_id")
PAGING = ("page_size", "next_token")


@dataclass(frozen=True)
class Part:
    """One partition: its id (also its file name), its filters over the base, its runs."""

    pid: str
    filters: Mapping[str, Any]
    runs: tuple[RunInfo, ...] = ()

    @property
    def complete(self) -> bool | None:
        """Whether DIALS said its runs were complete when planned (``None``: unknown)."""
        return Lane(self.filters, self.runs).complete

    @property
    def ls_count(self) -> int | None:
        return Lane(self.filters, self.runs).ls_count

    def to_json(self) -> dict[str, Any]:
        return {
            "pid": self.pid,
            "filters": dict(self.filters),
            "runs": [
                [r.dataset_id, r.run_number, r.ls_count, r.ls_completeness] for r in self.runs
            ],
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Part:
        runs = tuple(RunInfo(int(d), int(r), int(n), c) for d, r, n, c in value.get("runs", ()))
        return cls(str(value["pid"]), dict(value.get("filters", {})), runs)


@dataclass(frozen=True)
class Selection:
    """A checked query, its dimensions and base (no request made yet)."""

    group: str
    route: str
    #: The checked wire query, normalised (``run_number=X`` → ``__gte``/``__lte``), no paging.
    query: Mapping[str, Any]
    #: ``page_size`` (and other paging keys) as given: they change pages, not rows.
    paging: Mapping[str, Any]
    base: Mapping[str, Any]
    dims: tuple[str, ...]
    #: The keys of the rows, in the order DIALS sorts them.
    keys: tuple[str, ...]

    @property
    def pull_id(self) -> str:
        return digest({"group": self.group, "query": dict(self.query)})

    def identity(self, server: str, workspace: str | None) -> dict[str, Any]:
        """What every pull of one store shares (its header says it)."""
        return {
            "group": self.group,
            "route": self.route,
            "server": server,
            "workspace": workspace,
            "base": dict(self.base),
            "dims": list(self.dims),
        }


def analyse(endpoint: ListEndpoint[Any, Any], filters: Any, owner: str) -> Selection:
    """The selection of ``filters`` for ``endpoint`` (checks only; no request)."""
    op = endpoint.list_operation
    query = endpoint.checked_query(filters, owner)
    paging = {k: query.pop(k) for k in PAGING if k in query}
    paging.pop("next_token", None)
    if (
        query.get(RUN_KEY[1]) is not None
        and not any(b in query for b in RUN_BOUNDS)
        and all(b in op.query for b in RUN_BOUNDS)
    ):
        run = query.pop(RUN_KEY[1])
        query[RUN_BOUNDS[0]] = run
        query[RUN_BOUNDS[1]] = run
    check_ranges(query, owner)
    ops = endpoint.operations
    keys = key_fields(ops)
    dims: list[str] = []
    me_dim = (
        ME_KEY in keys
        and ME_KEY in op.query
        and any(query.get(s) is not None for s in ME_SELECTORS)
    )
    if me_dim:
        dims.append("me")
    from ..groups import group as group_of

    run_dim = (
        tuple(keys[:2]) == RUN_KEY
        and ops.route != group_of(RUN_GROUP).route
        and all(b in op.query for b in RUN_BOUNDS)
        and RUN_KEY[0] in op.query
        and any(query.get(name) is not None for name in (*RUN_BOUNDS, *DATASET_FILTERS))
        and not any(query.get(f"{k}__in") is not None for k in RUN_KEY)
    )
    if run_dim:
        dims.append("run")
    dropped = set(ME_SELECTORS if me_dim else ()) | set(
        (*RUN_BOUNDS, *DATASET_FILTERS) if run_dim else ()
    )
    base = {k: v for k, v in query.items() if k not in dropped and v is not None}
    return Selection(
        endpoint.name, op.path, dict(sorted(query.items())), paging, base, tuple(dims), keys
    )


def _histogram_dim(op: adapter.Operation) -> int | None:
    """1 or 2 for histogram rows (their ``data`` is a list, or a list of lists)."""
    from .schema import row_fields

    for f in row_fields(op):
        if f.name == "data":
            shape = f.shape.without_null()
            if shape.kind.startswith("list") and shape.items is not None:
                return 2 if shape.items.without_null().kind.startswith("list") else 1
    return None


def resolve_mes(endpoint: ListEndpoint[Any, Any], sel: Selection, **call: Any) -> list[int]:
    """The ``me_id`` of every monitoring element the query names (one request, unless
    it names one by ``me_id`` alone)."""
    query = sel.query
    given = query.get(ME_KEY)
    names = {k: query[k] for k in ("me", "me__regex") if query.get(k) is not None}
    if not names:
        return [int(given)] if given is not None else []
    mes = endpoint.sibling("mes")
    mes_query: dict[str, Any] = dict(names)
    dim = _histogram_dim(endpoint.list_operation)
    if dim is not None and "dim" in mes.list_operation.query:
        mes_query["dim"] = dim
    rows: list[Any] = mes.list(mes_query, **call)  # type: ignore[assignment]
    ids = sorted({int(row.me_id) for row in rows})
    if given is not None:
        ids = [i for i in ids if i == int(given)]
    return ids


def make_parts(
    endpoint: ListEndpoint[Any, Any], sel: Selection, *, retries: Any, timeout: Any
) -> tuple[list[Part], str]:
    """The partitions of ``sel`` learned from DIALS, in key order, and how it was split."""
    call = {"retries": retries, "timeout": timeout}
    me_ids: list[int | None] = [None]
    if "me" in sel.dims:
        me_ids = list(resolve_mes(endpoint, sel, **call))
    lanes: list[tuple[str, dict[str, Any], tuple[RunInfo, ...]]] = []
    if "run" in sel.dims:
        plan = endpoint.plan(dict(sel.query), parts=1_000_000, **call)
        runs = sorted({run for lane in plan.lanes for run in lane.runs})
        for run in runs:
            bounds = {
                RUN_KEY[0]: run.dataset_id,
                RUN_BOUNDS[0]: run.run_number,
                RUN_BOUNDS[1]: run.run_number,
            }
            lanes.append((f"ds-{run.dataset_id}/run-{run.run_number}", bounds, (run,)))
        how = f"{len(me_ids) if me_ids != [None] else 'all'} MEs x {len(runs)} runs"
    else:
        query = {k: v for k, v in sel.query.items() if not ("me" in sel.dims and k in ME_SELECTORS)}
        split = endpoint.plan(query, **call) if _may_split(sel) else None
        if split is None or not split.split:
            lanes.append(("all", {}, split.lanes[0].runs if split is not None else ()))
        else:
            for lane in split.lanes:
                lanes.append((f"q-{digest(dict(lane.filters))}", dict(lane.filters), lane.runs))
        how = split.how if split is not None else "one partition"
    parts = []
    for me_id in me_ids:
        for name, filters, lane_runs in lanes:
            if me_id is None:
                parts.append(Part(name, filters, lane_runs))
            else:
                parts.append(Part(f"me-{me_id}/{name}", {ME_KEY: me_id, **filters}, lane_runs))
    return parts, how


def _may_split(sel: Selection) -> bool:
    """Whether the plan may split the query by listed keys (only then is it asked)."""
    return any(k.endswith("__in") and isinstance(v, list | tuple) for k, v in sel.query.items())


def fetch_plan(sel: Selection, parts: list[Part]) -> Plan:
    """The seam's :class:`Plan` of the partitions: the base (with paging) and one lane each."""
    return Plan(
        sel.route,
        {**sel.base, **sel.paging},
        tuple(Lane(p.filters, p.runs) for p in parts),
        "store",
    )
