"""Bench driver for the floor: the least a client can do to fetch the same rows.

One keep-alive ``httpx.Client`` with the ``X-CLIENT-SECRET`` header, ``json.loads`` of each
page body, following ``next`` until it is null, building no models. W6 ends with
``pandas.DataFrame(rows)``. Runs with the repository's interpreter.
"""

from __future__ import annotations

import time

SETUP_STARTED = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402
from _measure import (  # noqa: E402
    Observation,
    as_one_run,
    load_spec,
    package_versions,
    run_measured,
    summarize_rows,
)

API_PREFIX = "api/v1/"


#: The page decoder: stdlib json (``floor``) or orjson, as ours decodes (``floor-orjson``).
LOADS: Any = json.loads


def fetch_all(client: httpx.Client, url: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of a cursor-paginated list route, page after page."""
    rows: list[dict[str, Any]] = []
    response = client.get(url, params=params)
    while True:
        if response.status_code != 200:
            raise SystemExit(f"floor: HTTP {response.status_code} for {response.url}")
        page = LOADS(response.content)
        rows.extend(page["results"])
        next_url = page["next"]
        if next_url is None:
            return rows
        response = client.get(next_url)


def get_one(client: httpx.Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"floor: HTTP {response.status_code} for {response.url}")
    row: dict[str, Any] = json.loads(response.content)
    return row


def hist_floor(
    spec: dict[str, Any], client: httpx.Client, route_url: str, params: dict[str, Any], impl: str
) -> None:
    """W16: the arrays of W2's rows stacked before the span (as ``to_numpy()`` gives them);
    measured: ``hist.Hist`` with the same axes (an IntCategory of the rows, Regular x and y
    without flow) and the bins written into its view, as one writes it by hand."""
    import hist
    import numpy

    rows = fetch_all(client, route_url, params)
    first = rows[0]
    values = numpy.asarray([row["data"] for row in rows], dtype=numpy.float64)

    def workload(_: Observation) -> list[Any]:
        made = []
        for _ in range(spec["repeat"]):
            h = hist.Hist(
                hist.axis.IntCategory(list(range(len(rows))), name="lumisection", overflow=False),
                hist.axis.Regular(
                    first["x_bin"], first["x_min"], first["x_max"], name="x", flow=False
                ),
                hist.axis.Regular(
                    first["y_bin"], first["y_min"], first["y_max"], name="y", flow=False
                ),
                storage=hist.storage.Double(),
            )
            h.view(flow=False)[...] = values.transpose(0, 2, 1)
            made.append(h)
        return made

    run_measured(
        spec,
        impl,
        workload,
        lambda _: summarize_rows(rows, spec["checksum_field"]),
        _versions(),
        SETUP_STARTED,
    )


def main() -> None:
    global LOADS
    spec = load_spec(sys.argv)
    impl = spec.get("impl", "floor")
    if impl == "floor-orjson":
        import orjson

        LOADS = orjson.loads
    kind = spec["kind"]
    field = spec["checksum_field"]
    route_url = spec["base_url"] + API_PREFIX + spec["route"]
    params = {key: str(value) for key, value in spec.get("filters", {}).items()}
    client = httpx.Client(headers={"X-CLIENT-SECRET": spec["secret"]}, timeout=60.0)

    if kind == "hist":  # W16's floor: hist.Hist built by hand from the same arrays
        hist_floor(spec, client, route_url, params, impl)
    elif kind == "plot":  # W10's floor: matplotlib's own pcolormesh of the same arrays
        plot_floor(spec, client, route_url, params, impl)
    elif kind == "numpy":  # W9's floor: decode + numpy.asarray of the bins
        import numpy

        def numpy_workload(_: Observation) -> tuple[list[dict[str, Any]], Any]:
            rows = fetch_all(client, route_url, params)
            return rows, numpy.asarray([row["data"] for row in rows], dtype=numpy.float64)

        def numpy_summary(result: tuple[list[dict[str, Any]], Any]) -> tuple[int, int]:
            return summarize_rows(result[0], field)

        run_measured(spec, impl, numpy_workload, numpy_summary, _versions(), SETUP_STARTED)
    elif kind in ("store", "store_read"):
        store_floor(spec, client, route_url, impl)
    elif kind == "list_all":

        def workload(_: Observation) -> list[dict[str, Any]]:
            return fetch_all(client, route_url, params)

        def summarize(rows: list[dict[str, Any]]) -> tuple[int, int]:
            return summarize_rows(rows, field)

        run_measured(spec, impl, workload, summarize, _versions(), SETUP_STARTED)
    elif kind == "list_all_pandas":
        import pandas

        def frame_workload(_: Observation) -> pandas.DataFrame:
            frame: pandas.DataFrame = pandas.DataFrame(fetch_all(client, route_url, params))
            return frame

        def frame_summary(frame: pandas.DataFrame) -> tuple[int, int]:
            return len(frame), int(frame[field].sum())

        run_measured(spec, impl, frame_workload, frame_summary, _versions(), SETUP_STARTED)
    elif kind == "get":
        keys: list[dict[str, int]] = spec["keys"]

        def get_workload(_: Observation) -> list[dict[str, Any]]:
            return [
                get_one(
                    client,
                    f"{route_url}{key['dataset_id']}/{key['run_number']}/"
                    f"{key['ls_number']}/{key['me_id']}/",
                )
                for key in keys
            ]

        def get_summary(rows: list[dict[str, Any]]) -> tuple[int, int]:
            return summarize_rows(rows, field)

        run_measured(spec, impl, get_workload, get_summary, _versions(), SETUP_STARTED)
    else:
        raise SystemExit(f"floor: workload kind {kind!r} does not apply")
    client.close()


def fetch_pages(
    client: httpx.Client, url: str, params: dict[str, Any], pages: int
) -> list[dict[str, Any]]:
    """The rows of the first ``pages`` pages."""
    rows: list[dict[str, Any]] = []
    response = client.get(url, params=params)
    for _ in range(pages):
        if response.status_code != 200:
            raise SystemExit(f"floor: HTTP {response.status_code} for {response.url}")
        page = LOADS(response.content)
        rows.extend(page["results"])
        if page["next"] is None:
            break
        response = client.get(page["next"])
    return rows


def plot_floor(
    spec: dict[str, Any], client: httpx.Client, url: str, params: dict[str, Any], impl: str
) -> None:
    """W10's floor: the arrays page.plot() draws (bins stacked, lumisection and bin edges)
    made before the measured span; measured: pcolormesh + colorbar, drawn on Agg."""
    import numpy
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = fetch_pages(client, url, params, spec["max_pages"])[: spec["expected_rows"]]
    as_one_run(rows)
    first = rows[0]
    values = numpy.asarray([row["data"] for row in rows], dtype=numpy.float64)
    ls = numpy.asarray([row["ls_number"] for row in rows], dtype=numpy.int64)
    ls_edges = numpy.append(ls - 0.5, ls[-1] + 0.5)
    x_edges = numpy.linspace(first["x_min"], first["x_max"], int(first["x_bin"]) + 1)
    field = spec["checksum_field"]

    def workload(_: Observation) -> Any:
        figure = Figure(figsize=(10, 5))
        canvas = FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        mesh = ax.pcolormesh(ls_edges, x_edges, values.T)
        figure.colorbar(mesh, ax=ax)
        canvas.draw()
        return figure

    def summary(_: Any) -> tuple[int, int]:
        return summarize_rows(rows, field)

    run_measured(spec, impl, workload, summary, _versions(), SETUP_STARTED)


def store_floor(spec: dict[str, Any], client: httpx.Client, url: str, impl: str) -> None:
    """W11's floor: the pages of the store's partitions (learned with cmsdials before the
    measured span) fetched raw, decoded with orjson, written with pyarrow by hand.
    W12's floor: ``pyarrow.parquet.read_table(folder).to_pandas()`` of a store cmsdials
    filled before the measured span (the same files ours reads)."""
    import os
    import tempfile

    import orjson
    import pandas  # noqa: F401 - imported before the measured span, as ours does
    import pyarrow
    import pyarrow.parquet as pq

    from cmsdials import Dials
    from cmsdials.auth.secret_key import Credentials

    field = spec["checksum_field"]
    dials = Dials(Credentials(token=spec["secret"]), base_url=spec["base_url"])
    endpoint = getattr(dials, spec["group"])
    folder = os.path.join(tempfile.mkdtemp(prefix="bench-floor-"), "store")
    if spec["kind"] == "store_read":
        endpoint.store(spec["filters"], folder, enable_progress=False)

        def read(_: Observation) -> Any:
            return pq.read_table(folder).to_pandas()

        run_measured(
            spec, impl, read, lambda f: (len(f), int(f[field].sum())), _versions(), SETUP_STARTED
        )
        return
    from cmsdials.store.selection import analyse, fetch_plan, make_parts

    sel = analyse(endpoint, spec["filters"], "bench")
    parts, _ = make_parts(endpoint, sel, retries=None, timeout=None)
    plan = fetch_plan(sel, parts)
    queries = [
        (part.pid, {k: str(v) for k, v in plan.lane_query(lane).items()})
        for part, lane in zip(parts, plan.lanes, strict=True)
    ]

    def workload(_: Observation) -> int:
        rows_written = 0
        for pid, params in queries:
            rows: list[dict[str, Any]] = []
            response = client.get(url, params=params)
            while True:
                page = orjson.loads(response.content)
                rows.extend(page["results"])
                if page["next"] is None:
                    break
                response = client.get(page["next"])
            target = os.path.join(folder, pid + ".parquet")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            pq.write_table(pyarrow.Table.from_pylist(rows), target)
            rows_written += len(rows)
        return rows_written

    def summary(_: int) -> tuple[int, int]:
        table = pq.read_table(folder)
        return table.num_rows, int(sum(table[field].to_pylist()))

    run_measured(spec, impl, workload, summary, _versions(), SETUP_STARTED)


def _versions() -> dict[str, str]:
    return package_versions(["httpx", "httpcore", "pandas", "numpy", "matplotlib"])


if __name__ == "__main__":
    main()
