"""The workloads W1-W6, with filters picked from the server's own data.

The orchestrator asks the server which monitoring elements and runs it holds (raw httpx,
no client under test involved), picks filters that reach each workload's size, and fetches
the selection once to learn the exact row count and a checksum (the sum of one integer
field). Every driver run must reproduce both, so a run that fetched the wrong rows is an
error, never a fast result.
"""

from __future__ import annotations

import importlib.util
import re
import ssl
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

API_PREFIX = "api/v1/"


@dataclass(frozen=True)
class Scale:
    """How big each workload is: the issue's minimums (full) or a few pages (smoke)."""

    h1d_rows: int
    h1d_page_size: int
    h2d_rows: int
    h2d_page_size: int
    h2d_bins: tuple[int, int] | None
    gets: int
    lumi_pages: int
    lumi_page_size: int
    #: W10: lumisections of the heat map.
    plot_rows: int
    #: W15: monitoring elements pulled at once.
    mes: int
    #: W14: runs of the golden JSON, and (run, lumisection) pairs asked.
    lumi_runs: int = 2_000
    lumi_pairs: int = 10_000_000


FULL = Scale(
    h1d_rows=20_000,
    h1d_page_size=500,
    h2d_rows=2_000,
    h2d_page_size=100,
    h2d_bins=(50, 50),
    gets=1_000,
    lumi_pages=200,
    lumi_page_size=10,
    plot_rows=2_000,
    mes=8,
)
SMOKE = Scale(
    h1d_rows=300,
    h1d_page_size=100,
    h2d_rows=40,
    h2d_page_size=20,
    h2d_bins=None,
    gets=20,
    lumi_pages=5,
    lumi_page_size=10,
    plot_rows=200,
    mes=3,
    lumi_runs=200,
    lumi_pairs=100_000,
)

ALL_IMPLS = (
    "ours",
    "ours-w8",
    "ours-dask",
    "classic",
    "classic-2.1.0",
    "floor",
    "floor-orjson",
    "floor-mpl",
    "ours-store",
    "ours-store-kill",
    "floor-parquet",
    "ours-mes",
    "ours-loop",
    "floor-hist",
    "floor-searchsorted",
    "loop-dict",
)
#: The simulated round trip and query time of W7/W8 (a second server, same data).
LATENCY_MS = 100.0


@dataclass
class Workload:
    """One workload as handed to the drivers (serialized into their spec file)."""

    name: str
    title: str
    kind: str  # list_all | list_all_pandas | get | iter | dask | numpy | plot | store*
    group: str  # the Dials attribute: h1d, h2d, lumi
    route: str  # the list route under api/v1/: th1/, th2/, lumisection/
    filter_class: str
    filters: dict[str, Any]
    checksum_field: str
    expected_rows: int
    expected_checksum: int
    minimum_rows: int
    impls: tuple[str, ...] = ("ours", "classic", "classic-2.1.0", "floor", "floor-orjson")
    keys: list[dict[str, int]] = field(default_factory=list)
    #: Served by the second server, whose every answer waits this long (W7, W8).
    latency_ms: float = 0.0
    #: Only the first ``max_pages`` pages (W10), else every page.
    max_pages: int | None = None
    #: W15: the monitoring elements (``me``, ``me_id``, ``dim``) pulled together.
    mes: list[dict[str, Any]] = field(default_factory=list)
    #: W16: how many times the measured call is repeated (a short call, timed whole).
    repeat: int = 1
    notes: list[str] = field(default_factory=list)

    def applies_to(self, impl: str) -> bool:
        return impl in self.impls

    def spec(self, impl: str, base_url: str, secret: str) -> dict[str, Any]:
        body = asdict(self)
        body.update(impl=impl, base_url=base_url, secret=secret)
        return body

    def describe(self) -> dict[str, Any]:
        """What the results record about the workload (without the W3 key list)."""
        body = asdict(self)
        body["keys"] = len(self.keys)
        return body


class DiscoveryError(RuntimeError):
    """The server's data cannot provide a workload."""


class Probe:
    """Raw, model-free reads of the bench server used to choose the workloads."""

    def __init__(self, base_url: str, secret: str, ca_file: str | None = None) -> None:
        self.api = base_url + API_PREFIX
        verify: ssl.SSLContext | bool = (
            ssl.create_default_context(cafile=ca_file) if ca_file is not None else True
        )
        self.client = httpx.Client(
            headers={"X-CLIENT-SECRET": secret}, timeout=120.0, verify=verify
        )

    def close(self) -> None:
        self.client.close()

    def tls_session(self) -> dict[str, str] | None:
        """TLS version and cipher of a connection to the server (None over plain HTTP)."""
        if not self.api.startswith("https:"):
            return None
        response = self.client.get(self.api + "run/", params={"page_size": 1})
        stream = response.extensions.get("network_stream")
        ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
        if ssl_object is None:
            return None
        cipher = ssl_object.cipher()
        return {
            "version": str(ssl_object.version()),
            "cipher": str(cipher[0]) if cipher else "?",
        }

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        response = self.client.get(self.api + path, params=params)
        if response.status_code != 200:
            raise DiscoveryError(
                f"GET {response.url} answered {response.status_code}: {response.text[:300]}"
            )
        return response.json()

    def fetch_all(self, route: str, params: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
        """All rows of a paginated route and the number of pages it took."""
        page = self.get(route, params)
        rows: list[dict[str, Any]] = list(page["results"])
        pages = 1
        while page["next"] is not None:
            response = self.client.get(page["next"])
            if response.status_code != 200:
                raise DiscoveryError(f"GET {response.url} answered {response.status_code}")
            page = response.json()
            rows.extend(page["results"])
            pages += 1
        return rows, pages


def _prefix_totals(counts: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Row totals of every ``/``-prefix of the ME names, and of each exact name.

    Keys are regular expressions: ``^<escaped prefix>`` for a prefix ending in ``/`` and
    ``^<escaped name>$`` for one name.
    """
    totals: dict[str, int] = defaultdict(int)
    for name, count in counts:
        parts = name.split("/")
        for end in range(1, len(parts)):
            totals["^" + re.escape("/".join(parts[:end]) + "/")] += count
        totals["^" + re.escape(name) + "$"] += count
    return totals


def choose_regex(counts: Sequence[tuple[str, int]], minimum: int) -> str:
    """The ME regex whose row total is the smallest one reaching ``minimum``.

    If none reaches it, the largest selection (the caller reports the shortfall).
    """
    if not counts:
        raise DiscoveryError("the server lists no monitoring element of this kind")
    totals = _prefix_totals(counts)
    reaching = [(total, len(regex), regex) for regex, total in totals.items() if total >= minimum]
    if reaching:
        return min(reaching)[2]
    return max((total, -len(regex), regex) for regex, total in totals.items())[2]


def _mes(probe: Probe, dim: int) -> list[dict[str, Any]]:
    listed = probe.get("mes/", {"dim": dim})
    rows: list[dict[str, Any]] = listed["results"] if isinstance(listed, dict) else listed
    return [row for row in rows if int(row.get("dim", dim)) == dim]


def _checksum(rows: Iterable[dict[str, Any]], name: str) -> int:
    return sum(int(row[name]) for row in rows)


def _shortfall(title: str, got: int, minimum: int, unit: str) -> list[str]:
    if got >= minimum:
        return []
    return [f"{title}: the server's data gives {got} {unit}, below the {minimum} asked for"]


def _bins(row: dict[str, Any]) -> tuple[int, int]:
    data = row.get("data") or []
    if data and isinstance(data[0], list):
        return len(data), len(data[0])
    return int(row.get("y_bin") or 0), int(row.get("x_bin") or 0)


def discover(probe: Probe, scale: Scale) -> list[Workload]:
    """W1-W16 for this server's data at this scale."""
    # W1, W5, W6: a th1 ME selection of at least h1d_rows rows.
    th1 = [(str(m["me"]), int(m.get("count") or 0)) for m in _mes(probe, 1)]
    h1d_regex = choose_regex(th1, scale.h1d_rows)
    h1d_filters: dict[str, Any] = {"me__regex": h1d_regex, "page_size": scale.h1d_page_size}
    h1d_rows, h1d_pages = probe.fetch_all("th1/", h1d_filters)
    h1d_notes = _shortfall("W1", len(h1d_rows), scale.h1d_rows, "rows")
    h1d_sum = _checksum(h1d_rows, "entries")
    h1d_title = f"{len(h1d_rows):,} th1 rows, page_size={scale.h1d_page_size} ({h1d_pages} pages)"

    # W2: a th2 ME selection (of the wanted binning) of at least h2d_rows rows.
    th2: list[tuple[str, int]] = []
    for me in _mes(probe, 2):
        if scale.h2d_bins is not None:
            sample = probe.get("th2/", {"me": me["me"], "page_size": 1})["results"]
            if not sample or _bins(sample[0]) != scale.h2d_bins:
                continue
        th2.append((str(me["me"]), int(me.get("count") or 0)))
    if not th2:
        raise DiscoveryError(f"the server has no th2 ME binned {scale.h2d_bins}")
    h2d_filters: dict[str, Any] = {
        "me__regex": choose_regex(th2, scale.h2d_rows),
        "page_size": scale.h2d_page_size,
    }
    h2d_rows, _ = probe.fetch_all("th2/", h2d_filters)
    if scale.h2d_bins is not None and any(_bins(row) != scale.h2d_bins for row in h2d_rows):
        raise DiscoveryError(f"the W2 selection {h2d_filters} mixes binnings")
    h2d_notes = _shortfall("W2", len(h2d_rows), scale.h2d_rows, "rows")
    bins = "x".join(map(str, _bins(h2d_rows[0]))) if h2d_rows else "?"
    h2d_title = f"{len(h2d_rows):,} th2 rows of {bins} bins, page_size={scale.h2d_page_size}"

    # W3: keys spread evenly over W1's rows, the same list for every implementation.
    step = max(1, len(h1d_rows) // max(1, scale.gets))
    picked = h1d_rows[::step][: scale.gets]
    keys = [
        {k: int(row[k]) for k in ("dataset_id", "run_number", "ls_number", "me_id")}
        for row in picked
    ]
    get_notes = _shortfall("W3", len(keys), scale.gets, "keys")

    # W4: consecutive runs of one dataset holding at least lumi_pages pages of lumisections.
    lumi_filters = _lumi_selection(probe, scale.lumi_pages * scale.lumi_page_size)
    lumi_filters["page_size"] = scale.lumi_page_size
    lumi_rows, lumi_pages = probe.fetch_all("lumisection/", lumi_filters)
    lumi_notes = _shortfall("W4", lumi_pages, scale.lumi_pages, "pages")

    # W10: the first plot_rows rows of the th1 ME with the most rows, as one run's lumisections.
    plot_me = max(th1, key=lambda item: (item[1], item[0]))[0]
    plot_filters: dict[str, Any] = {"me": plot_me, "page_size": scale.h1d_page_size}
    plot_pages = -(-scale.plot_rows // scale.h1d_page_size)
    plot_rows = probe.fetch_all("th1/", plot_filters)[0][: scale.plot_rows]
    plot_notes = _shortfall("W10", len(plot_rows), scale.plot_rows, "rows")
    plot_notes.append(
        "the local data has no run this long (its runs have at most 280 lumisections): the "
        f"drivers renumber these {len(plot_rows):,} rows as lumisections 1..{len(plot_rows):,} "
        "of the first row's run, before the measured span"
    )
    plot_bins = len(plot_rows[0]["data"]) if plot_rows else 0

    h1d: dict[str, Any] = {
        "group": "h1d",
        "route": "th1/",
        "filter_class": "LumisectionHistogram1DFilters",
        "filters": h1d_filters,
        "checksum_field": "entries",
        "expected_rows": len(h1d_rows),
        "expected_checksum": h1d_sum,
        "minimum_rows": scale.h1d_rows,
        "notes": h1d_notes,
    }
    h2d: dict[str, Any] = {
        "group": "h2d",
        "route": "th2/",
        "filter_class": "LumisectionHistogram2DFilters",
        "filters": h2d_filters,
        "checksum_field": "entries",
        "expected_rows": len(h2d_rows),
        "expected_checksum": _checksum(h2d_rows, "entries"),
        "minimum_rows": scale.h2d_rows,
        "notes": h2d_notes,
    }
    return [
        Workload(name="W1", title=f"h1d.list_all: {h1d_title}", kind="list_all", **h1d),
        Workload(name="W2", title=f"h2d.list_all: {h2d_title}", kind="list_all", **h2d),
        Workload(
            name="W3",
            title=f"h1d.get x {len(keys):,}, sequential",
            kind="get",
            group="h1d",
            route="th1/",
            filter_class="LumisectionHistogram1DFilters",
            filters={},
            checksum_field="entries",
            expected_rows=len(keys),
            expected_checksum=_checksum(picked, "entries"),
            minimum_rows=scale.gets,
            keys=keys,
            notes=get_notes,
        ),
        Workload(
            name="W4",
            title=(
                f"lumi.list_all: {len(lumi_rows):,} rows, "
                f"page_size={scale.lumi_page_size} ({lumi_pages} pages)"
            ),
            kind="list_all",
            group="lumi",
            route="lumisection/",
            filter_class="LumisectionFilters",
            filters=lumi_filters,
            checksum_field="ls_number",
            expected_rows=len(lumi_rows),
            expected_checksum=_checksum(lumi_rows, "ls_number"),
            minimum_rows=scale.lumi_pages * scale.lumi_page_size,
            notes=lumi_notes,
        ),
        Workload(
            name="W5",
            title=f"W1 through our item iterator: {h1d_title}",
            kind="iter",
            impls=("ours",),
            **h1d,
        ),
        Workload(
            name="W6",
            title=f"W1 then to_pandas(): {h1d_title}",
            kind="list_all_pandas",
            **h1d,
        ),
        Workload(
            name="W7",
            title=f"W1 at {LATENCY_MS:g} ms latency: serial, workers=8, classic: {h1d_title}",
            kind="list_all",
            impls=("ours", "ours-w8", "classic"),
            latency_ms=LATENCY_MS,
            **{**h1d, "filters": _with_run_range(probe, h1d_filters)},
        ),
        Workload(
            name="W8",
            title=f"W7 through to_dask() on a 2-worker LocalCluster: {h1d_title}",
            kind="dask",
            impls=("ours-dask",),
            latency_ms=LATENCY_MS,
            **{**h1d, "filters": _with_run_range(probe, h1d_filters)},
        ),
        Workload(
            name="W9",
            title=f"W2 through to_numpy(): {h2d_title}",
            kind="numpy",
            impls=("ours", "floor-orjson"),
            **h2d,
        ),
        Workload(
            name="W10",
            title=(
                f"page.plot(): a {len(plot_rows):,}-lumisection x {plot_bins}-bin heat map "
                "drawn on Agg, vs pcolormesh + colorbar of the same arrays"
            ),
            kind="plot",
            impls=("ours", "floor-mpl"),
            **{
                **h1d,
                "filters": plot_filters,
                "expected_rows": len(plot_rows),
                "expected_checksum": _checksum(plot_rows, "entries"),
                "minimum_rows": scale.plot_rows,
                "notes": plot_notes,
            },
            max_pages=plot_pages,
        ),
        Workload(
            name="W11",
            title=f"W1 into a store (h1d.store, serial) vs raw fetch + write_table: {h1d_title}",
            kind="store",
            impls=("ours-store", "floor-parquet"),
            **h1d,
        ),
        Workload(
            name="W12",
            title=f"W11's store read back into pandas vs read_table().to_pandas(): {h1d_title}",
            kind="store_read",
            impls=("ours-store", "floor-parquet"),
            **h1d,
        ),
        Workload(
            name="W13",
            title=(
                f"W7's selection at {LATENCY_MS:g} ms latency into a store, workers=8: killed "
                f"(SIGKILL) after half the partitions then run again, vs one pull: {h1d_title}"
            ),
            kind="store_resume",
            impls=("ours-store", "ours-store-kill"),
            latency_ms=LATENCY_MS,
            **{**h1d, "filters": _with_run_range(probe, h1d_filters)},
        ),
        lumi_workload(scale),
        *analysis_workloads(probe, scale, h1d_filters, h2d, h2d_title),
        startup_workload(),
    ]


#: W16: to_hist() is repeated in the measured span (one call is a few milliseconds).
HIST_REPEAT = 10


def analysis_workloads(
    probe: Probe, scale: Scale, h1d_filters: dict[str, Any], h2d: dict[str, Any], h2d_title: str
) -> list[Workload]:
    """W15 (several MEs at once vs the ME x run loop) and W16 (to_hist of W2's rows)."""
    bounds = _with_run_range(probe, {})
    every = [(me, 1) for me in _mes(probe, 1)] + [(me, 2) for me in _mes(probe, 2)]
    every.sort(key=lambda item: (-int(item[0].get("count") or 0), str(item[0]["me"])))
    chosen = [
        {"me": str(me["me"]), "me_id": int(me["me_id"]), "dim": dim}
        for me, dim in every[: scale.mes]
    ]
    rows: list[dict[str, Any]] = []
    for me in chosen:
        route = "th1/" if me["dim"] == 1 else "th2/"
        params = {**bounds, "me_id": me["me_id"], "page_size": h1d_filters["page_size"]}
        rows.extend(probe.fetch_all(route, params)[0])
    dims = "/".join(str(sum(m["dim"] == d for m in chosen)) for d in (1, 2))
    return [
        Workload(
            name="W15",
            title=(
                f"{len(chosen)} MEs ({dims} 1D/2D) over W7's run range at {LATENCY_MS:g} ms "
                f"latency: dials.histograms(workers=8).to_pandas(wide=False) vs the ME x run "
                f"loop of serial list_all + pd.concat: {len(rows):,} rows"
            ),
            kind="mes",
            group="h1d",
            route="th1/",
            filter_class="LumisectionHistogram1DFilters",
            filters={**bounds, "page_size": h1d_filters["page_size"]},
            checksum_field="entries",
            expected_rows=len(rows),
            expected_checksum=_checksum(rows, "entries"),
            minimum_rows=0,
            impls=("ours-mes", "ours-loop"),
            latency_ms=LATENCY_MS,
            mes=chosen,
        ),
        Workload(
            name="W16",
            title=(
                f"to_hist() of W2's rows x {HIST_REPEAT} (from page.to_numpy()'s arrays) vs "
                f"hist.Hist built by hand from the same arrays: {h2d_title}"
            ),
            kind="hist",
            impls=("ours", "floor-hist"),
            repeat=HIST_REPEAT,
            **h2d,
        ),
    ]


#: W14's data seed (the golden JSON and the pairs are made from it by every driver).
LUMI_SEED = 14


def lumi_workload(scale: Scale) -> Workload:
    """W14: ``mask(runs, lumis)`` of random pairs against a golden JSON; no server involved.

    The data is made by ``bench/drivers/_lumi_data.py`` from a seed, here (for the expected
    count of pairs inside, by a dense table) and in each driver (before its measured span).
    """
    where = Path(__file__).resolve().parent / "drivers" / "_lumi_data.py"
    found = importlib.util.spec_from_file_location("_lumi_data", where)
    assert found is not None and found.loader is not None
    data: Any = importlib.util.module_from_spec(found)
    found.loader.exec_module(data)
    golden = data.golden_json(scale.lumi_runs, LUMI_SEED)
    runs, lumis = data.pairs(golden, scale.lumi_pairs, LUMI_SEED)
    ranges = sum(len(r) for r in golden.values())
    return Workload(
        name="W14",
        title=(
            f"mask(runs, lumis): {scale.lumi_pairs:,} random (run, lumisection) pairs against "
            f"a {scale.lumi_runs:,}-run golden JSON ({ranges:,} ranges), vs np.searchsorted "
            "over the sorted bounds and vs a dict-of-ranges Python loop"
        ),
        kind="lumi",
        group="",
        route="",
        filter_class="",
        filters={"runs": scale.lumi_runs, "pairs": scale.lumi_pairs, "seed": LUMI_SEED},
        checksum_field="inside",
        expected_rows=scale.lumi_pairs,
        expected_checksum=data.reference_count(golden, runs, lumis),
        minimum_rows=scale.lumi_pairs,
        impls=("ours", "floor-searchsorted", "loop-dict"),
        notes=["no server: the data is made from a seed before each measured span"],
    )


def startup_workload() -> Workload:
    """W17: the wall time of ``dials --help`` (the console script) vs ``python -c "import
    cmsdials"``, each a fresh ``python -E -s`` process; no server involved."""
    return Workload(
        name="W17",
        title='start-up: `dials --help` vs `python -c "import cmsdials"` (fresh processes)',
        kind="startup",
        group="",
        route="",
        filter_class="",
        filters={},
        checksum_field="exit_status",
        expected_rows=1,
        expected_checksum=0,
        minimum_rows=1,
        impls=("ours", "floor"),
        notes=["no server: each run times one child process, started by the driver"],
    )


def _with_run_range(probe: Probe, filters: dict[str, Any]) -> dict[str, Any]:
    """W1's filters bounded by the first and last run the server holds: the same rows,
    and a query that ``workers=`` can split (a query bounding no run is walked serially)."""
    runs, _ = probe.fetch_all("run/", {"page_size": 500, "fields": "run_number"})
    numbers = [int(run["run_number"]) for run in runs]
    return {**filters, "run_number__gte": min(numbers), "run_number__lte": max(numbers)}


def _lumi_selection(probe: Probe, minimum: int) -> dict[str, Any]:
    """Filters for consecutive runs of one dataset with at least ``minimum`` lumisections.

    Runs are read from ``run/`` with their ``ls_count``; the shortest window of consecutive
    runs reaching ``minimum`` wins (else the dataset with the most lumisections).
    """
    runs, _ = probe.fetch_all("run/", {"page_size": 500})
    by_dataset: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for run in runs:
        by_dataset[int(run["dataset_id"])].append((int(run["run_number"]), int(run["ls_count"])))
    best: tuple[int, int, int, int] | None = None  # (total, dataset_id, first, last)
    largest: tuple[int, int, int, int] | None = None
    for dataset_id, dataset_runs in by_dataset.items():
        dataset_runs.sort()
        total_all = sum(count for _, count in dataset_runs)
        whole = (total_all, dataset_id, dataset_runs[0][0], dataset_runs[-1][0])
        largest = whole if largest is None or whole > largest else largest
        start = 0
        total = 0
        for end, (_, count) in enumerate(dataset_runs):
            total += count
            while total - dataset_runs[start][1] >= minimum:
                total -= dataset_runs[start][1]
                start += 1
            if total >= minimum:
                window = (total, dataset_id, dataset_runs[start][0], dataset_runs[end][0])
                best = window if best is None or window < best else best
    chosen = best or largest
    if chosen is None:
        raise DiscoveryError("the server lists no run")
    _, dataset_id, first, last = chosen
    return {"dataset_id": dataset_id, "run_number__gte": first, "run_number__lte": last}
