"""Bench driver for ours: ``cmsdials`` from this repository, through the classic public API.

W1-W4 and W6 are the very calls the classic driver makes (see ``_classic_api``); W5 walks
W1's rows through our item iterator, which holds one page at a time, and records the RSS
when the first item arrives so that constant memory can be checked against the peak.
Run with the repository's interpreter: ``python bench/drivers/ours.py SPEC.json``.
"""

from __future__ import annotations

import time

SETUP_STARTED = time.perf_counter()

import sys  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from typing import Any  # noqa: E402

from _classic_api import classic_api_workload, filter_class, make_dials  # noqa: E402
from _measure import (  # noqa: E402
    Observation,
    as_one_run,
    current_rss_mb,
    load_spec,
    package_versions,
    run_measured,
)


def iterate_workload(spec: dict[str, Any], dials: Any) -> Any:
    """W5: count the rows and sum the checksum field while iterating, keeping no row."""
    endpoint = getattr(dials, spec["group"])
    make_filters = filter_class(spec)
    filters: dict[str, Any] = spec["filters"]
    field: str = spec["checksum_field"]

    def workload(observation: Observation) -> tuple[int, int]:
        items: Iterator[Any] = endpoint.iter_items(make_filters(**filters))
        count = 0
        total = 0
        for item in items:
            if count == 0:
                observation.first_item_rss_mb = current_rss_mb()
            count += 1
            total += int(getattr(item, field))
        return count, total

    return workload


def scale_workload(spec: dict[str, Any], dials: Any) -> tuple[Any, Any]:
    """W7 (ours-w8: workers=8), W8 (to_dask on a LocalCluster), W9 (to_numpy), W10 (plot),
    W15 (several MEs at once, and the loop users write), W16 (to_hist)."""
    endpoint = getattr(dials, spec["group"])
    filters = filter_class(spec)(**spec["filters"])
    field: str = spec["checksum_field"]
    if spec["kind"] == "plot":
        return plot_workload(spec, endpoint, filters)
    if spec["kind"] == "mes":
        return mes_workload(spec, dials)
    if spec["kind"] == "hist":
        return hist_workload(spec, endpoint, filters)
    if spec["kind"] == "numpy":
        import numpy  # noqa: F401 - imported before the measured span, as the floor does

        def numpy_workload(_: Observation) -> Any:
            page = endpoint.list_all(filters, enable_progress=False)
            return page, page.to_numpy()

        def numpy_summary(result: Any) -> tuple[int, int]:
            page, arrays = result
            assert arrays.values.shape[0] == len(page.results)
            return len(page.results), sum(int(getattr(r, field)) for r in page.results)

        return numpy_workload, numpy_summary
    if spec["kind"] == "dask":
        from dask.distributed import Client, LocalCluster  # set up before the measured span

        cluster = LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        )
        Client(cluster)

        def dask_workload(_: Observation) -> Any:
            return endpoint.to_dask(filters).compute()

        return dask_workload, lambda frame: (len(frame), int(frame[field].sum()))

    def workers_workload(_: Observation) -> Any:
        return endpoint.list_all(filters, enable_progress=False, workers=8)

    return workers_workload, lambda page: (
        len(page.results),
        sum(int(getattr(r, field)) for r in page.results),
    )


def mes_workload(spec: dict[str, Any], dials: Any) -> tuple[Any, Any]:
    """W15: ``dials.histograms(mes, filters, workers=8)`` in long form (ours-mes), or the loop
    users write today (ours-loop): the run list, then ME x run serial ``list_all`` of the
    group they know the ME is in, each page ``to_pandas()``, then ``pd.concat``."""
    import pandas as pd  # imported before the measured span, for both

    from cmsdials.filters import (
        LumisectionHistogram1DFilters,
        LumisectionHistogram2DFilters,
        RunFilters,
    )

    mes: list[dict[str, Any]] = spec["mes"]
    filters: dict[str, Any] = spec["filters"]
    bounds = {k: v for k, v in filters.items() if k.startswith("run_number")}

    def ours(_: Observation) -> Any:
        pulled = dials.histograms([me["me"] for me in mes], filters, workers=8)
        return pulled.to_pandas(wide=False), pulled

    def loop(_: Observation) -> Any:
        runs = dials.run.list_all(RunFilters(**bounds), enable_progress=False).results
        numbers = sorted({run.run_number for run in runs})
        frames = []
        for me in mes:
            group = dials.h1d if me["dim"] == 1 else dials.h2d
            make = (
                LumisectionHistogram1DFilters if me["dim"] == 1 else LumisectionHistogram2DFilters
            )
            for number in numbers:
                page = group.list_all(
                    make(me=me["me"], run_number=number, page_size=filters["page_size"]),
                    enable_progress=False,
                )
                frames.append(page.to_pandas())
        return pd.concat(frames, ignore_index=True), None

    def summary(result: Any) -> tuple[int, int]:
        frame, pulled = result
        if pulled is None:
            return len(frame), int(frame["entries"].sum())
        rows = [row for page in pulled.pages.values() for row in page.results]
        assert len(frame) == len(rows)
        return len(rows), sum(int(row.entries) for row in rows)

    return (ours if spec["impl"] == "ours-mes" else loop), summary


def hist_workload(spec: dict[str, Any], endpoint: Any, filters: Any) -> tuple[Any, Any]:
    """W16: ``to_hist()`` of the arrays of W2's rows (fetched and stacked before the span)."""
    import hist  # noqa: F401 - imported before the measured span, as the floor does

    page = endpoint.list_all(filters, enable_progress=False)
    arrays = page.to_numpy()
    field: str = spec["checksum_field"]

    def workload(_: Observation) -> Any:
        return [arrays.to_hist() for _ in range(spec["repeat"])]

    def summary(made: Any) -> tuple[int, int]:
        assert made[0].values().shape[0] == len(page.results)
        return len(page.results), sum(int(getattr(r, field)) for r in page.results)

    return workload, summary


def plot_workload(spec: dict[str, Any], endpoint: Any, filters: Any) -> tuple[Any, Any]:
    """W10: ``page.plot(ax=...)`` of the page fetched before the measured span, drawn on Agg."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from cmsdials import plotting  # noqa: F401 - imported before the measured span

    page = endpoint.list_all(filters, enable_progress=False, max_pages=spec["max_pages"])
    page.results = page.results[: spec["expected_rows"]]
    as_one_run([row.__dict__ for row in page.results])
    field: str = spec["checksum_field"]

    def workload(_: Observation) -> Any:
        figure = Figure(figsize=(10, 5))
        canvas = FigureCanvasAgg(figure)
        page.plot(ax=figure.add_subplot())
        canvas.draw()
        return figure

    def summary(_: Any) -> tuple[int, int]:
        return len(page.results), sum(int(getattr(r, field)) for r in page.results)

    return workload, summary


def store_workload(spec: dict[str, Any], dials: Any) -> tuple[Any, Any]:
    """W11 (a pull into a new store, serial), W12 (W11's store read back into pandas: the
    store is filled before the measured span) and W13 (ours-store: one workers=8 pull;
    ours-store-kill: a forked pull SIGKILLed after half the partitions, then run again)."""
    import os
    import signal
    import tempfile

    import pandas  # noqa: F401 - imported before the measured span, as the floor does
    import pyarrow.parquet

    import cmsdials.store

    endpoint = getattr(dials, spec["group"])
    filters = filter_class(spec)(**spec["filters"])
    field: str = spec["checksum_field"]
    path = os.path.join(tempfile.mkdtemp(prefix="bench-store-"), "store")
    kind = spec["kind"]
    workers = 8 if kind == "store_resume" else 1

    def pull(observation: Observation) -> Any:
        pulled = endpoint.store(filters, path, workers=workers, enable_progress=False)
        observation.extra["requests"] = pulled.stats.requests
        observation.extra["json_bytes"] = pulled.stats.bytes
        observation.extra["store_bytes"] = cmsdials.store.open(path).size()
        return pulled

    def table_summary(pulled: Any) -> tuple[int, int]:
        table = pulled.to_arrow()
        return table.num_rows, int(pyarrow.compute.sum(table[field]).as_py() or 0)

    import pyarrow.compute

    if kind == "store":
        return pull, table_summary
    if kind == "store_read":
        endpoint.store(filters, path, enable_progress=False)  # filled before the span

        def read(observation: Observation) -> Any:
            pulled = endpoint.store(filters, path, enable_progress=False)
            observation.extra["requests"] = pulled.stats.requests
            return pulled.to_pandas()

        return read, lambda frame: (len(frame), int(frame[field].sum()))
    if spec["impl"] == "ours-store":
        return pull, table_summary

    def killed_then_resumed(observation: Observation) -> Any:
        child = os.fork()
        if child == 0:  # the job that gets killed
            try:
                endpoint.store(filters, path, workers=workers, enable_progress=False)
            finally:
                os._exit(0)
        parts_dir = os.path.join(path, "_parts")
        pulls_dir = os.path.join(path, "_pulls")
        planned = None
        done = 0
        while True:
            if planned is None and os.path.isdir(pulls_dir):
                names = [n for n in os.listdir(pulls_dir) if n.endswith(".json") and n[0] != "."]
                if names:
                    with open(os.path.join(pulls_dir, names[0]), "rb") as handle:
                        import json

                        planned = len(json.loads(handle.read())["parts"])
            if planned is not None and os.path.isdir(parts_dir):
                done = sum(n.endswith(".json") and n[0] != "." for n in os.listdir(parts_dir))
                if done * 2 >= planned:
                    break
            if os.waitpid(child, os.WNOHANG) != (0, 0):  # it ended first (tiny data)
                observation.extra["killed_after_parts"] = None
                return pull(observation)
            time.sleep(0.005)
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        observation.extra["killed_after_parts"] = done
        return pull(observation)

    return killed_then_resumed, table_summary


def main() -> None:
    spec = load_spec(sys.argv)
    dials = make_dials(spec)
    versions = package_versions(
        ["cmsdials", "httpx", "httpcore", "attrs", "orjson", "pandas", "numpy", "matplotlib"]
    )
    impl = spec.get("impl", "ours")
    if impl.startswith("ours-store"):
        workload, summarize = store_workload(spec, dials)
        run_measured(spec, impl, workload, summarize, versions, SETUP_STARTED)
    elif impl != "ours" or spec["kind"] in ("numpy", "plot", "hist"):
        workload, summarize = scale_workload(spec, dials)
        run_measured(spec, impl, workload, summarize, versions, SETUP_STARTED)
    elif spec["kind"] == "iter":
        workload = iterate_workload(spec, dials)
        run_measured(spec, "ours", workload, lambda summary: summary, versions, SETUP_STARTED)
    else:
        workload, summarize = classic_api_workload(spec, dials)
        run_measured(spec, "ours", workload, summarize, versions, SETUP_STARTED)
    dials_close = getattr(dials, "close", None)
    if dials_close is not None:
        dials_close()


if __name__ == "__main__":
    main()
