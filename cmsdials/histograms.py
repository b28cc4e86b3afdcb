"""Several monitoring elements at once: ``dials.histograms(mes, filters)`` → :class:`HistogramSet`.

What users' code did by hand, once: choosing ``h1d`` or ``h2d`` per ME (from the
``dim`` of DIALS's own ME list, not a hard-coded table), looping ME x run, aligning
the MEs on (dataset, run, lumisection), joining OMS numbers.

How it fetches. The ME names (or ids) are checked against ``dials.mes.list()``
first: an unknown one is a :class:`ValueError` naming the closest names, before any
request for data. The filters are those both histogram routes take (``run_number``,
``dataset_id``, ``dataset__regex``, ``ls_number__gte``, ...; not ``me*`` or
``fields``). The query is planned once per dimension through the public seam
(``dials.<group>.plan``: lanes of runs, as ``workers=`` splits a pull) and every
ME's lanes are walked with ``dials.<group>.fetch_page``, all of them on one pool of
``workers`` threads: at most ``workers`` requests are in flight for the whole pull,
whatever the number of MEs. Each ME's rows come out in the route's key order, as
``list_all`` gives them.

With ``cache=`` (``True`` for the user's cache folder, or a folder), the MEs of each
group are one pull of the on-disk store (:mod:`cmsdials.store`, through
``list_all(cache=)``): its partitions (one per ME and run) are fetched ``workers`` at a
time, what it holds already is read back with no request, and the rows are the same.

A :class:`HistogramSet` is a mapping ME name → :class:`cmsdials.arrays.Histograms`
(stacked bins, edges, key columns, and the per-lumisection numbers and
``to_hist()`` of :mod:`cmsdials.derived`); ``pages[me]`` keeps each ME's rows.
"""

from __future__ import annotations

import difflib
import os
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .exceptions import DialsCursorLoopError, WalkCancelled
from .filters import Filters
from .pagination import Page
from .partitions import check_workers
from .progress import PageProgress, progress

if TYPE_CHECKING:
    import numpy.typing as npt
    import pandas as pd

    from .arrays import Histograms
    from .cmsdials import Dials
    from .endpoints import ListEndpoint
    from .oms import OMSTable
    from .partitions import Lane, Plan
    from .settings import RetriesType

__all__ = ["KEYS", "HistogramSet", "fetch_histograms"]

#: The key of a lumisection across MEs, in DIALS's key order.
KEYS = ("dataset_id", "run_number", "ls_number")
#: Filters set per ME (never taken from the caller).
_PER_ME = frozenset({"me", "me_id", "me__regex"})
_GROUPS = {1: "h1d", 2: "h2d"}


def _numpy() -> Any:
    from .arrays import require_numpy

    return require_numpy()


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "HistogramSet's tables need pandas, which is not installed: "
            "pip install 'cmsdials[pandas]'"
        ) from None
    return pandas


# -- checking the arguments (before any request) --------------------------------


def _me_names(mes: object, owner: str) -> list[str | int]:
    if isinstance(mes, str | int) and not isinstance(mes, bool):
        mes = [mes]
    if not isinstance(mes, Sequence) or isinstance(mes, bytes):
        raise TypeError(f"{owner}: mes must be a list of ME names or ids, not {type(mes).__name__}")
    names: list[str | int] = []
    for me in mes:
        if isinstance(me, bool) or not isinstance(me, str | int):
            raise TypeError(f"{owner}: an ME is a name (str) or an id (int), not {me!r}")
        if me in names:
            raise ValueError(f"{owner}: {me!r} is listed twice")
        names.append(me)
    if not names:
        raise ValueError(f"{owner}: mes is empty: name at least one monitoring element")
    return names


def _shared_filters(dials: Dials, filters: object, owner: str) -> dict[str, Any]:
    """The filters as wire-named values both histogram routes take, checked."""
    h1d, h2d = dials.h1d.filters_class.params(), dials.h2d.filters_class.params()
    shared = (set(h1d.by_wire) & set(h2d.by_wire)) - _PER_ME - {"next_token", "fields"}
    if filters is None:
        return {}
    if isinstance(filters, Filters):
        values = filters.model_dump(exclude_none=True)
    elif isinstance(filters, Mapping):
        values = dict(filters)
    else:
        raise TypeError(
            f"{owner}: filters must be a dict or a filter object, not {type(filters).__name__}"
        )
    for name in values:
        if name in _PER_ME:
            raise TypeError(f"{owner}: the MEs are the mes argument; leave {name!r} out of filters")
        if name == "fields":
            raise TypeError(f"{owner}: fields= is not taken: every ME needs its bins and binning")
        if name not in shared:
            close = difflib.get_close_matches(name, sorted(shared), n=3, cutoff=0.6)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise TypeError(
                f"{owner}: unknown filter {name!r}{hint} (the filters of both h1d and h2d: "
                f"{', '.join(sorted(shared))})"
            )
    checked: dict[str, Any] = h1d.convert(owner, values)
    return checked


def _resolve(names: list[str | int], known: Sequence[Any], owner: str) -> list[Any]:
    """The ME rows of DIALS's list for ``names`` (names or ids), in that order."""
    by_name = {str(me.me): me for me in known}
    by_id = {int(me.me_id): me for me in known if me.me_id is not None}
    found = []
    for name in names:
        me = by_id.get(name) if isinstance(name, int) else by_name.get(name)
        if me is None:
            if isinstance(name, int):
                raise ValueError(
                    f"{owner}: DIALS has no monitoring element with id {name} in this workspace "
                    f"(ids {min(by_id, default=0)}..{max(by_id, default=0)}: "
                    "dials.mes.list() lists them)"
                )
            close = difflib.get_close_matches(name, list(by_name), n=3, cutoff=0.5)
            if not close:  # a path that differs in its start: compare the last parts too
                leaf = name.rsplit("/", 1)[-1]
                close = [n for n in by_name if n.rsplit("/", 1)[-1] == leaf][:3]
            hint = f"; closest: {', '.join(map(repr, close))}" if close else ""
            raise ValueError(
                f"{owner}: DIALS has no monitoring element {name!r} in this workspace{hint} "
                "(dials.mes.list() lists them)"
            )
        if getattr(me, "dim", None) not in _GROUPS:
            raise ValueError(
                f"{owner}: DIALS's ME list gives {me.me!r} the dimension {me.dim!r}, not 1 or 2"
            )
        if me in found:
            raise ValueError(f"{owner}: {me.me!r} is listed twice (by name and by id)")
        found.append(me)
    return found


# -- fetching -------------------------------------------------------------------


class _Pull:
    """Every lane of every ME, on one pool of ``workers`` threads."""

    def __init__(
        self,
        workers: int,
        bar: PageProgress | None,
        retries: RetriesType,
        timeout: float | None,
    ) -> None:
        self.workers = workers
        self.bar = bar
        self.retries = retries
        self.timeout = timeout
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.lanes_left = 0
        self.rows = 0

    def walk(self, endpoint: ListEndpoint[Any, Any], plan: Plan, lane: Lane) -> list[Any]:
        rows: list[Any] = []
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            if self.stop.is_set():
                raise WalkCancelled("another lane failed, or the pull was interrupted")
            page = endpoint.fetch_page(
                plan, lane, cursor, retries=self.retries, timeout=self.timeout
            )
            rows.extend(page.results)
            cursor = page.next
            if cursor is not None:
                if cursor in seen:
                    raise DialsCursorLoopError(cursor, len(seen) + 1)
                seen.add(cursor)
            self._count(len(page.results), done=cursor is None)
            if cursor is None:
                return rows

    def _count(self, rows: int, done: bool) -> None:
        with self.lock:
            self.rows += rows
            self.lanes_left -= done
            if self.bar is not None:  # DIALS's pages do not say how many follow: no total
                self.bar.set_postfix_str(f"{self.lanes_left} partitions left")
                self.bar.page(rows=rows)

    def run(self, tasks: list[tuple[ListEndpoint[Any, Any], Plan, Lane]]) -> list[list[Any]]:
        """The rows of each task, in the tasks' order (the first error is raised)."""
        self.lanes_left = len(tasks)
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="cmsdials-mes")
        futures: list[Future[list[Any]]] = []
        try:
            futures = [pool.submit(self.walk, *task) for task in tasks]
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            failed = [f for f in futures if f in done and f.exception() is not None]
            if failed:
                error = failed[0].exception()
                assert error is not None
                raise error
            return [f.result() for f in futures]
        finally:
            self.stop.set()
            pool.shutdown(wait=True, cancel_futures=True)


def _through_store(
    endpoints: Mapping[int, ListEndpoint[Any, Any]],
    chosen: list[Any],
    values: Mapping[str, Any],
    cache: bool | str | os.PathLike[str],
    workers: int,
    enable_progress: bool | None,
    retries: RetriesType,
    timeout: float | None,
) -> dict[str, Page[Any]]:
    """``cache=``: each group's MEs as one pull of the store (``list_all(cache=)``, its
    partitions one per ME and run, ``workers`` of them at once), split by ME."""
    pages: dict[str, Page[Any]] = {}
    for dim in sorted({int(me.dim) for me in chosen}):
        mine = [me for me in chosen if int(me.dim) == dim]
        regex = "^(" + "|".join(re.escape(str(me.me)) for me in mine) + ")$"
        endpoint = endpoints[dim]
        page = endpoint.list_all(
            {**values, "me__regex": regex},
            enable_progress=enable_progress,
            retries=retries,
            timeout=timeout,
            workers=workers,
            cache=cache,
        )
        by_id: dict[int, list[Any]] = {int(me.me_id): [] for me in mine}
        for row in page.results:
            by_id[int(row.me_id)].append(row)
        for me in mine:
            pages[str(me.me)] = Page(by_id[int(me.me_id)], model=endpoint.model)
    return {str(me.me): pages[str(me.me)] for me in chosen}


def fetch_histograms(
    dials: Dials,
    mes: Sequence[str | int] | str | int,
    filters: Filters | Mapping[str, Any] | None = None,
    *,
    workers: int = 1,
    cache: bool | str | os.PathLike[str] | None = None,
    enable_progress: bool | None = None,
    retries: RetriesType = None,
    timeout: float | None = None,
) -> HistogramSet:
    """The body of ``Dials.histograms`` (see the module doc)."""
    owner = "dials.histograms()"
    workers = check_workers(workers, owner)
    names = _me_names(mes, owner)
    values = _shared_filters(dials, filters, owner)
    chosen = _resolve(names, dials.mes.list(retries=retries, timeout=timeout), owner)
    endpoints: dict[int, ListEndpoint[Any, Any]] = {
        dim: getattr(dials, group) for dim, group in _GROUPS.items()
    }
    if cache is not None and cache is not False:
        stored = _through_store(
            endpoints, chosen, values, cache, workers, enable_progress, retries, timeout
        )
        return HistogramSet.from_pages(stored, {str(me.me): me for me in chosen})
    dims = sorted({int(me.dim) for me in chosen})
    parts = workers  # per ME; the pool bounds the requests in flight anyway
    with ThreadPoolExecutor(max_workers=min(workers, len(dims))) as planner:
        made = {
            dim: planner.submit(
                endpoints[dim].plan,
                values,
                workers=workers,
                parts=parts,
                retries=retries,
                timeout=timeout,
            )
            for dim in dims
        }
        bases = {dim: future.result() for dim, future in made.items()}
    tasks: list[tuple[ListEndpoint[Any, Any], Plan, Lane]] = []
    spans: list[tuple[int, int]] = []
    for me in chosen:
        base = bases[int(me.dim)]
        plan = replace(base, query={**base.query, "me_id": int(me.me_id)})
        spans.append((len(tasks), len(tasks) + len(plan.lanes)))
        tasks.extend((endpoints[int(me.dim)], plan, lane) for lane in plan.lanes)
    bar = progress(enable_progress)
    try:
        results = _Pull(workers, bar, retries, timeout).run(tasks)
    finally:
        if bar is not None:
            bar.close()
    pages: dict[str, Page[Any]] = {}
    for me, (start, end) in zip(chosen, spans, strict=True):
        rows = [row for lane_rows in results[start:end] for row in lane_rows]
        pages[str(me.me)] = Page(rows, model=endpoints[int(me.dim)].model)
    return HistogramSet.from_pages(pages, {str(me.me): me for me in chosen})


# -- the result -------------------------------------------------------------------


class HistogramSet(Mapping[str, "Histograms"]):
    """ME name → :class:`~cmsdials.arrays.Histograms`, in the order the MEs were asked.

    ``mes[name]`` is DIALS's row of the ME (``me_id``, ``dim``, ``count``); ``pages[name]``
    its rows as fetched (``None`` after ``aligned()``/``select()``, which make new arrays).
    """

    def __init__(
        self,
        histograms: Mapping[str, Histograms],
        mes: Mapping[str, Any] | None = None,
        pages: Mapping[str, Page[Any]] | None = None,
    ) -> None:
        self._histograms = dict(histograms)
        self.mes: dict[str, Any] = dict(mes or {})
        self.pages: dict[str, Page[Any]] | None = dict(pages) if pages is not None else None

    @classmethod
    def from_pages(cls, pages: Mapping[str, Page[Any]], mes: Mapping[str, Any]) -> HistogramSet:
        """Each ME's page to arrays (``page.to_numpy()``)."""
        return cls({name: page.to_numpy() for name, page in pages.items()}, mes, pages)

    # -- the mapping ------------------------------------------------------------
    def __getitem__(self, me: str) -> Histograms:
        try:
            return self._histograms[me]
        except KeyError:
            close = difflib.get_close_matches(str(me), list(self._histograms), n=2, cutoff=0.5)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise KeyError(f"{me!r} is not an ME of this set{hint}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._histograms)

    def __len__(self) -> int:
        return len(self._histograms)

    def __repr__(self) -> str:
        inner = ", ".join(f"{me!r}: {len(h)} rows" for me, h in self._histograms.items())
        return f"HistogramSet({{{inner}}})"

    # -- lumisections -----------------------------------------------------------
    def _records(self, h: Histograms) -> npt.NDArray[Any]:
        xp = _numpy()
        dtype = xp.dtype([(k, xp.int64) for k in KEYS])
        records: npt.NDArray[Any] = xp.empty(len(h), dtype=dtype)
        for k in KEYS:
            if len(h) and k not in h.keys:
                raise ValueError(f"the rows have no {k}: a lumisection needs {', '.join(KEYS)}")
            records[k] = h.keys[k] if len(h) else []
        return records

    def _union(self) -> npt.NDArray[Any]:
        xp = _numpy()
        every = [self._records(h) for h in self._histograms.values()]
        union: npt.NDArray[Any] = xp.unique(xp.concatenate(every)) if every else xp.array([])
        return union

    def lumisections(self) -> pd.DataFrame:
        """Every (dataset_id, run_number, ls_number) some ME has a row of, sorted, once."""
        pdx = _pandas()
        union = self._union()
        frame: pd.DataFrame = pdx.DataFrame({k: union[k] for k in KEYS}, columns=list(KEYS))
        return frame

    def aligned(self) -> HistogramSet:
        """Every ME stacked on :meth:`lumisections` (the same rows, in the same order, for
        all): a lumisection an ME has no row of is a row of NaN (``h.missing`` is True
        there, and its numbers are NaN). An ME with no row at all keeps shape ``(n, 0)``."""
        xp = _numpy()
        union = self._union()
        keys = {k: union[k].copy() for k in KEYS}
        made: dict[str, Histograms] = {}
        for me, h in self._histograms.items():
            shape = (len(union), *h.values.shape[1:])
            values = xp.full(shape, xp.nan)
            if len(h):
                values[xp.searchsorted(union, self._records(h))] = h.values
            made[me] = replace(h, values=values, keys=dict(keys))
        return HistogramSet(made, self.mes)

    def select(self, mask: Any) -> HistogramSet:
        """The rows whose (run_number, ls_number) is in ``mask``, for every ME alike.

        ``mask`` is a :class:`cmsdials.lumi.LumiMask` (or anything called as
        ``mask(runs, lumis)`` returning one bool per row, as coffea's ``LumiMask``)."""
        if not callable(mask):
            raise TypeError(
                f"select(): mask must be a cmsdials.lumi.LumiMask (mask(runs, lumis) -> bools), "
                f"not {type(mask).__name__}"
            )
        xp = _numpy()
        made: dict[str, Histograms] = {}
        pages: dict[str, Page[Any]] = {}
        for me, h in self._histograms.items():
            if not len(h):
                made[me] = h
                if self.pages is not None:
                    pages[me] = self.pages[me]
                continue
            keep = xp.asarray(mask(h.keys["run_number"], h.keys["ls_number"]), dtype=bool)
            if keep.shape != (len(h),):
                raise ValueError(f"select(): the mask gave {keep.shape} flags for {len(h)} rows")
            made[me] = replace(
                h, values=h.values[keep], keys={k: v[keep] for k, v in h.keys.items()}
            )
            if self.pages is not None:
                page = self.pages[me]
                kept = [r for r, k in zip(page.results, keep, strict=True) if k]
                pages[me] = Page(kept, model=page.model)
        return HistogramSet(made, self.mes, pages if self.pages is not None else None)

    # -- tables -----------------------------------------------------------------
    def to_pandas(self, wide: bool = True) -> pd.DataFrame:
        """``wide=True``: one row per lumisection (:meth:`lumisections`), one column per ME
        holding that lumisection's bins as an array (``(x_bin,)`` or ``(y_bin, x_bin)``),
        ``None`` where the ME has no row. ``wide=False``: the long form, one row per ME and
        lumisection, with columns ``dataset_id, run_number, ls_number, me, me_id, data``."""
        pdx = _pandas()
        if not wide:
            frames = []
            for me, h in self._histograms.items():
                if not len(h):  # (an empty frame would turn the key columns into floats)
                    continue
                me_id = self.mes[me].me_id if me in self.mes else None
                frame = pdx.DataFrame({k: h.keys[k] for k in KEYS if k in h.keys})
                frame["me"] = me
                frame["me_id"] = me_id
                frame["data"] = list(h.values)
                frames.append(frame)
            columns = [*KEYS, "me", "me_id", "data"]
            if not frames:
                empty: pd.DataFrame = pdx.DataFrame(columns=columns)
                return empty
            long: pd.DataFrame = pdx.concat(frames, ignore_index=True)
            return long
        aligned = self.aligned()
        frame = self.lumisections()
        for me, h in aligned.items():
            missing = h.missing
            frame[me] = [
                None if gone else bins for bins, gone in zip(h.values, missing, strict=True)
            ]
        return frame

    def join(self, oms: OMSTable, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """``to_pandas()`` (wide) with ``columns`` of an OMS table (all when ``None``) on
        (run, lumisection): an OMS ``lumisections`` table matches ``run_number`` and
        ``ls_number``, a ``runs`` table ``run_number`` alone. A lumisection OMS lacks gets
        NaN."""
        table = oms.to_pandas()
        names = list(table.columns) if columns is None else list(columns)
        unknown = [c for c in names if c not in table.columns]
        if unknown:
            close = difflib.get_close_matches(unknown[0], list(table.columns), n=3, cutoff=0.5)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise ValueError(
                f"join(): the OMS table has no column {unknown[0]!r}{hint} "
                f"(columns: {', '.join(map(str, table.columns))})"
            )
        on = ["run_number", "ls_number"][: len(table.index.names)]
        right = table[names].copy()
        right.index = right.index.set_names(on)
        frame = self.to_pandas(wide=True)
        joined: pd.DataFrame = frame.join(right, on=on if len(on) > 1 else on[0])
        return joined
