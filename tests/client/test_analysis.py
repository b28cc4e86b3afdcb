"""Analysis-ready pulls (issue 21) against the local DIALS: several MEs at once, ``hist``
objects, per-lumisection numbers, OMS as a table, masks.

The jetmet workspace's dataset 15042670 has jet pT (ME 1, 1D, every lumisection) and
jet phi vs eta (ME 7, 2D, kept every fifth lumisection only), so the 2D ME misses
four lumisections of five in every run: the alignment has real gaps to fill.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cmsdials import Dials
from cmsdials.arrays import histograms
from cmsdials.endpoints import ListEndpoint
from cmsdials.filters import LumisectionHistogram1DFilters, OMSFilter, OMSPage
from cmsdials.histograms import HistogramSet
from cmsdials.lumi import LumiMask
from cmsdials.testing import DialsServer

from .helpers import api_requests

hist = pytest.importorskip("hist")

DATASET = 15042670
PT = "JetMET/Jet/Cleanedak4PFJetsCHS/Pt"
PHI_ETA = "JetMET/Jet/Cleanedak4PFJetsCHS/PhiVSEta"
STRIDE = 5  # the 2D ME's lumisections: every fifth (cmsdials.testing.catalog)


@pytest.fixture
def pair(jetmet: Dials) -> HistogramSet:
    return jetmet.histograms([PT, 7], {"dataset_id": DATASET}, workers=4, enable_progress=False)


def _direct(dials: Dials, group: str, me_id: int) -> Any:
    page = getattr(dials, group).list_all(
        {"dataset_id": DATASET, "me_id": me_id}, enable_progress=False
    )
    return page


# -- several MEs at once ----------------------------------------------------------


def test_a_1d_and_a_2d_me_fetched_from_their_groups(jetmet: Dials, pair: HistogramSet) -> None:
    assert list(pair) == [PT, PHI_ETA]  # names, in the order asked (7 was an id)
    assert pair.mes[PT].dim == 1 and pair.mes[PHI_ETA].dim == 2
    for me, group, me_id in ((PT, "h1d", 1), (PHI_ETA, "h2d", 7)):
        page = _direct(jetmet, group, me_id)
        want = page.to_numpy()
        got = pair[me]
        assert got.values.shape == want.values.shape and len(got) > 0
        np.testing.assert_array_equal(got.values, want.values)
        for key in ("dataset_id", "run_number", "ls_number"):
            np.testing.assert_array_equal(got.keys[key], want.keys[key])
        assert pair.pages is not None and pair.pages[me].results == page.results
    assert pair[PHI_ETA].ndim == 2 and pair[PT].ndim == 1


def test_aligned_over_runs_where_the_2d_me_misses_lumisections(pair: HistogramSet) -> None:
    pt, maps = pair[PT], pair[PHI_ETA]
    assert len(maps) < len(pt)  # the 2D ME really misses lumisections
    union = pair.lumisections()
    assert list(union.columns) == ["dataset_id", "run_number", "ls_number"]
    assert len(union) == len(pt) and not union.duplicated().any()
    assert union.equals(union.sort_values(list(union.columns)).reset_index(drop=True))
    assert set(union.run_number) == set(pt.keys["run_number"]) and union.run_number.nunique() > 1
    aligned = pair.aligned()
    a_pt, a_maps = aligned[PT], aligned[PHI_ETA]
    assert a_pt.values.shape == (len(union), 100)
    assert a_maps.values.shape == (len(union), *maps.values.shape[1:])
    for h in (a_pt, a_maps):
        np.testing.assert_array_equal(h.keys["ls_number"], union.ls_number.to_numpy())
        np.testing.assert_array_equal(h.keys["run_number"], union.run_number.to_numpy())
    # NaN exactly where the 2D ME has no row: lumisections not on its stride
    missing = a_maps.missing
    np.testing.assert_array_equal(missing, union.ls_number.to_numpy() % STRIDE != 0)
    assert not a_pt.missing.any()
    np.testing.assert_array_equal(a_maps.values[~missing], maps.values)
    np.testing.assert_array_equal(a_pt.values, pt.values)
    assert np.isnan(a_maps.integral()[missing]).all()
    assert not a_maps.empty()[missing].any()  # missing is not empty


def test_to_pandas_wide_and_long(pair: HistogramSet) -> None:
    wide = pair.to_pandas()
    assert list(wide.columns) == ["dataset_id", "run_number", "ls_number", PT, PHI_ETA]
    assert len(wide) == len(pair.lumisections())
    present = wide[PHI_ETA].notna().to_numpy()
    np.testing.assert_array_equal(present, wide.ls_number.to_numpy() % STRIDE == 0)
    first = wide[present].iloc[0]
    row = pair.pages[PHI_ETA].results[0] if pair.pages else None
    assert row is not None and (first.run_number, first.ls_number) == (
        row.run_number,
        row.ls_number,
    )
    np.testing.assert_array_equal(first[PHI_ETA], np.array(row.data))
    long = pair.to_pandas(wide=False)
    assert list(long.columns) == ["dataset_id", "run_number", "ls_number", "me", "me_id", "data"]
    assert len(long) == len(pair[PT]) + len(pair[PHI_ETA])
    assert long.groupby("me").size().to_dict() == {PT: len(pair[PT]), PHI_ETA: len(pair[PHI_ETA])}
    assert set(long.me_id) == {1, 7}


def test_workers_bound_the_requests_in_flight(
    jetmet: Dials, srv: DialsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = threading.Lock()
    now = [0]
    peak = [0]
    original = ListEndpoint.fetch_page

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        with lock:
            now[0] += 1
            peak[0] = max(peak[0], now[0])
        try:
            return original(self, *args, **kwargs)
        finally:
            with lock:
                now[0] -= 1

    monkeypatch.setattr(ListEndpoint, "fetch_page", counted)
    monkeypatch.setattr(srv, "latency_ms", 40.0)  # answers overlap, as in production
    names = [PT, "JetMET/Jet/Cleanedak4PFJetsCHS/Eta", "JetMET/MET/pfMETT1/Cleaned/MET", 7]
    filters = {"run_number__gte": 385000, "run_number__lte": 387000, "page_size": 20}
    three = jetmet.histograms(names, filters, workers=3, enable_progress=False)
    assert 1 < peak[0] <= 3
    peak[0] = 0
    serial = jetmet.histograms(names, filters, workers=1, enable_progress=False)
    assert peak[0] == 1
    for me in names[:3]:
        np.testing.assert_array_equal(three[me].values, serial[me].values)
    routes = {r.path for r in api_requests(srv)}
    assert {"/api/v1/th1/", "/api/v1/th2/", "/api/v1/mes/", "/api/v1/run/"} <= routes


def test_unknown_me_is_refused_before_any_data_request(jetmet: Dials, srv: DialsServer) -> None:
    with pytest.raises(ValueError, match=r"no monitoring element '.*/Ptt'.*closest: '.*/Pt'"):
        jetmet.histograms([PT, "JetMET/Jet/Cleanedak4PFJetsCHS/Ptt"], {"dataset_id": DATASET})
    assert [r.path for r in api_requests(srv)] == ["/api/v1/mes/"]
    with pytest.raises(ValueError, match="no monitoring element with id 999"):
        jetmet.histograms([999])
    with pytest.raises(ValueError, match="listed twice"):
        jetmet.histograms([PT, 1])
    with pytest.raises(ValueError, match="mes is empty"):
        jetmet.histograms([])


def test_filters_are_those_both_groups_take(jetmet: Dials, srv: DialsServer) -> None:
    with pytest.raises(TypeError, match="did you mean 'run_number__gte'"):
        jetmet.histograms([PT], {"run_number__gt": 1})
    with pytest.raises(TypeError, match="the MEs are the mes argument"):
        jetmet.histograms([PT], {"me_id": 3})
    with pytest.raises(TypeError, match="fields= is not taken"):
        jetmet.histograms([PT], {"fields": "run_number"})
    with pytest.raises(ValueError, match="workers"):
        jetmet.histograms([PT], workers=0)
    assert api_requests(srv) == []  # all of it checked before any request
    as_object = jetmet.histograms(
        [PT], LumisectionHistogram1DFilters(dataset_id=DATASET, run_number=385801)
    )
    assert set(as_object[PT].keys["run_number"]) == {385801}


# -- hist -------------------------------------------------------------------------


def test_to_hist_round_trips_with_to_numpy(jetmet: Dials) -> None:
    one_run = {"dataset_id": DATASET, "run_number": 385801}
    for group, me_id in (("h1d", 1), ("h2d", 7)):
        page = getattr(jetmet, group).list_all({**one_run, "me_id": me_id}, enable_progress=False)
        arrays = page.to_numpy()
        h = page.to_hist()
        assert isinstance(h, hist.Hist)
        lumi, *bins = h.axes
        assert isinstance(lumi, hist.axis.IntCategory) and lumi.name == "lumisection"
        assert list(lumi) == arrays.keys["ls_number"].tolist()
        assert all(isinstance(a, hist.axis.Regular) for a in bins)
        assert [a.name for a in bins] == (["x"] if group == "h1d" else ["x", "y"])
        assert h.name == page.results[0].me and bins[0].label.endswith("(x)")
        np.testing.assert_array_equal(bins[0].edges, arrays.x_edges)  # equal, bit for bit
        if group == "h1d":
            np.testing.assert_array_equal(h.values(), arrays.values)
        else:
            np.testing.assert_array_equal(bins[1].edges, arrays.y_edges)
            np.testing.assert_array_equal(h.values(), arrays.values.transpose(0, 2, 1))
        np.testing.assert_array_equal(h.values(flow=True), h.values())  # DIALS has no flow
        row = page.results[3]
        single = row.to_hist()
        assert [a.name for a in single.axes] == [a.name for a in bins]
        want = np.array(row.data) if group == "h1d" else np.array(row.data).T
        np.testing.assert_array_equal(single.values(), want)
        assert single.sum() == sum(np.ravel(row.data))


def test_to_hist_of_several_runs_numbers_rows(pair: HistogramSet) -> None:
    h = pair[PT].to_hist()
    lumi = h.axes["lumisection"]
    keys = pair[PT].keys
    assert len(set(keys["run_number"].tolist())) > 1
    assert list(lumi) == list(range(len(pair[PT]))) and lumi.label.startswith("row")
    assert lumi.metadata["run_number"] is keys["run_number"]
    assert lumi.metadata["ls_number"] is keys["ls_number"]
    np.testing.assert_array_equal(h[{"lumisection": hist.loc(5)}].values(), pair[PT].values[5])
    np.testing.assert_array_equal(h.values(), pair[PT].values)


def test_hist_extra_is_named_when_missing(jetmet: Dials, monkeypatch: pytest.MonkeyPatch) -> None:
    page = jetmet.h1d.list({"dataset_id": DATASET, "me_id": 1, "page_size": 3})
    monkeypatch.setitem(sys.modules, "hist", None)
    with pytest.raises(ImportError, match=r"cmsdials\[hist\]"):
        page.to_hist()
    with pytest.raises(ImportError, match=r"cmsdials\[hist\]"):
        page.results[0].to_hist()


# -- derived numbers ----------------------------------------------------------------


def test_derived_numbers_equal_numpy_and_hist(pair: HistogramSet) -> None:
    pt = pair[PT]
    centres = pt.x_centers
    h = pt.to_hist()
    integral = pt.integral()
    np.testing.assert_allclose(integral, h.project("lumisection").values())
    mean, std = pt.mean(), pt.std()
    median, deciles = pt.quantile(0.5), pt.quantile([0.1, 0.9])
    assert deciles.shape == (len(pt), 2)
    for i in range(0, len(pt), 7):
        weights = pt.values[i]
        assert integral[i] == h[i, :].sum()
        assert mean[i] == pytest.approx(np.average(centres, weights=weights), rel=1e-12)
        var = np.average((centres - np.average(centres, weights=weights)) ** 2, weights=weights)
        assert std[i] == pytest.approx(np.sqrt(var), rel=1e-12)
        for q, got in ((0.5, median[i]), (0.1, deciles[i, 0]), (0.9, deciles[i, 1])):
            assert got == np.quantile(centres, q, weights=weights, method="inverted_cdf")
    area = pt.normalize("area")
    np.testing.assert_allclose(area.values.sum(axis=1), 1.0)
    single = pt.to_hist()[5, :]  # one lumisection as a 1D hist: its density times widths
    np.testing.assert_allclose(area.values[5], single.density() * single.axes[0].widths)
    np.testing.assert_allclose(pt.normalize("max").values.max(axis=1), 1.0)
    lumi = np.linspace(0.5, 1.5, len(pt))
    np.testing.assert_allclose(pt.normalize(lumi).values, pt.values / lumi[:, None])
    with pytest.raises(ValueError, match="one number per row"):
        pt.normalize(lumi[:-1])
    with pytest.raises(ValueError, match="not known"):
        pt.normalize("sum")  # type: ignore[arg-type]
    assert not pt.empty().any()
    assert (pt.empty(threshold=float(integral.max())) == np.ones(len(pt), bool)).all()


def test_derived_numbers_of_2d_per_axis(pair: HistogramSet) -> None:
    maps = pair[PHI_ETA]
    with pytest.raises(ValueError, match="axis='x' or axis='y'"):
        maps.mean()
    np.testing.assert_allclose(maps.integral(), maps.values.sum(axis=(1, 2)))
    for axis, summed, centres in (("x", 1, maps.x_centers), ("y", 2, maps.y_centers)):
        projection = maps.values.sum(axis=summed)
        got = maps.mean(axis=axis)
        for i in range(0, len(maps), 5):
            assert got[i] == pytest.approx(np.average(centres, weights=projection[i]))
    np.testing.assert_allclose(maps.normalize("area").values.sum(axis=(1, 2)), 1.0)


def test_derived_numbers_of_empty_histograms() -> None:
    rows = [
        {"run_number": 1, "ls_number": ls, "x_min": 0.0, "x_max": 4.0, "x_bin": 4, "data": data}
        for ls, data in ((1, [0.0, 2.0, 2.0, 0.0]), (2, [0.0] * 4), (3, [0.0, 0.0, 0.0, 5.0]))
    ]
    h = histograms(rows)
    np.testing.assert_array_equal(h.integral(), [4.0, 0.0, 5.0])
    np.testing.assert_array_equal(h.empty(), [False, True, False])
    np.testing.assert_array_equal(h.empty(threshold=4), [True, True, False])
    for values in (h.mean(), h.std(), h.quantile(0.5), h.normalize("area").values[1]):
        assert (
            np.isnan(values[1]) if values.ndim == 1 and len(values) == 3 else np.isnan(values).all()
        )
    assert h.mean()[0] == 2.0 and h.std()[0] == 0.5 and h.quantile(0.5)[2] == 3.5
    assert h.quantile(0.0)[0] == np.quantile(
        h.x_centers, 0.0, weights=[0, 2, 2, 0], method="inverted_cdf"
    )
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        h.quantile(1.5)


# -- masks ---------------------------------------------------------------------------


def test_select_keeps_every_me_aligned(pair: HistogramSet) -> None:
    run = int(pair[PT].keys["run_number"][0])
    mask = LumiMask({str(run): [[1, 12], [20, 30]]})
    chosen = pair.select(mask)
    for me in pair:
        keys = chosen[me].keys
        assert set(keys["run_number"]) == {run}
        assert all(1 <= ls <= 12 or 20 <= ls <= 30 for ls in keys["ls_number"])
        assert chosen.pages is not None and pair.pages is not None
        assert chosen.pages[me].results == pair.pages[me].select(mask).results
    np.testing.assert_array_equal(chosen[PHI_ETA].keys["ls_number"], [5, 10, 20, 25, 30])
    assert len(chosen.lumisections()) == 23
    assert chosen.aligned()[PHI_ETA].missing.sum() == 23 - 5
    with pytest.raises(TypeError, match="LumiMask"):
        pair.select({"1": [[1, 2]]})


# -- OMS -----------------------------------------------------------------------------


def test_oms_table_follows_every_page_as_fetched_by_hand(dials: Dials, srv: DialsServer) -> None:
    run = 360392
    filters = [OMSFilter(attribute_name="run_number", value=run, operator="EQ")]
    table = dials.oms.table("lumisections", filters, [OMSPage("limit", 25)], enable_progress=False)
    by_hand: list[dict[str, Any]] = []
    offset = 0
    while True:
        answer = dials.oms.query(
            "lumisections", filters, [OMSPage("offset", offset), OMSPage("limit", 25)]
        )
        by_hand.extend(answer["data"])
        if answer["links"]["next"] is None:
            break
        offset += 25
    assert table.data == by_hand and table.pages == -(-len(by_hand) // 25) > 2
    assert table.total == len(by_hand) == answer["meta"]["totalResourceCount"]
    # consistent with DIALS: one OMS lumisection per lumisection DIALS counts for the run
    ls_count = max(r.ls_count for r in dials.run.list_all({"run_number": run}).results)
    assert [row["lumisection_number"] for row in table.rows] == list(range(1, ls_count + 1))
    frame = table.to_pandas()
    assert frame.index.names == ["run_number", "lumisection_number"]
    assert {"pileup", "recorded_lumi", "delivered_lumi", "init_lumi"} <= set(frame.columns)
    assert frame.recorded_lumi.between(0, frame.delivered_lumi.max()).all()
    assert str(frame.start_time.dtype).startswith("datetime64")
    two = dials.oms.table("lumisections", filters, [OMSPage("limit", 25)], max_pages=2)
    assert two.data == by_hand[:50] and two.pages == 2
    starting = dials.oms.table("lumisections", filters, [OMSPage("offset", 40)])
    assert starting.data == by_hand[40:]


def test_oms_runs_table_and_raw_query_unchanged(dials: Dials) -> None:
    every = [OMSFilter(attribute_name="run_number", value=1, operator="GE")]  # DIALS needs one
    raw = dials.oms.query("runs", every, [OMSPage("limit", 3)])
    assert set(raw) == {"data", "links", "meta"} and len(raw["data"]) == 3  # one raw page
    runs = dials.oms.table("runs", every, enable_progress=False).to_pandas()
    assert runs.index.name == "run_number" and runs.index.is_unique
    assert {"l1_rate", "hlt_physics_rate", "recorded_lumi", "fill_number"} <= set(runs.columns)
    dials_runs = {r.run_number for r in dials.run.list_all({"page_size": 500}).results}
    assert dials_runs <= set(runs.index)


def test_join_oms_on_run_and_lumisection(pair: HistogramSet, jetmet: Dials) -> None:
    runs = sorted(set(pair[PT].keys["run_number"].tolist()))
    oms = jetmet.oms.table(
        "lumisections",
        [OMSFilter(attribute_name="run_number", value=runs[0], operator="GE")],
        [OMSPage("limit", 1000)],
        enable_progress=False,
    )
    oms_runs = [OMSFilter(attribute_name="run_number", value=runs[0], operator="GE")]
    joined = pair.join(oms, columns=["pileup", "recorded_lumi"])
    assert len(joined) == len(pair.lumisections())
    assert joined.pileup.notna().all() and joined.recorded_lumi.notna().all()
    frame = oms.to_pandas()
    for i in (0, 17, len(joined) - 1):
        row = joined.iloc[i]
        assert row.pileup == frame.loc[(row.run_number, row.ls_number), "pileup"]
    per_run = pair.join(
        jetmet.oms.table("runs", oms_runs, enable_progress=False), columns=["l1_rate"]
    )
    assert (
        per_run.l1_rate.notna().all() and per_run.groupby("run_number").l1_rate.nunique().max() == 1
    )
    with pytest.raises(ValueError, match="did you mean 'pileup'"):
        pair.join(oms, columns=["pileupp"])


# -- CMS style -------------------------------------------------------------------------


def test_cms_style_plot(jetmet: Dials, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("mplhep")
    import matplotlib

    matplotlib.use("Agg")
    page = jetmet.h1d.list_all(
        {"dataset_id": DATASET, "run_number": 385801, "me_id": 1}, enable_progress=False
    )
    plain = page.plot()
    assert not any(t.get_text() == "CMS" for t in plain.texts) and plain.get_title()
    styled = page.plot(style="CMS", label="Preliminary")
    texts = [t.get_text() for t in styled.texts]
    assert "CMS" in texts and "Preliminary" in texts and styled.get_title() == ""
    assert page.results[0].plot(style="CMS", label="Private Work").texts
    with pytest.raises(ValueError, match="styles: CMS"):
        page.plot(style="ATLAS")
    with pytest.raises(ValueError, match="label= is the experiment label"):
        page.plot(label="Preliminary")
    monkeypatch.setitem(sys.modules, "mplhep", None)
    with pytest.raises(ImportError, match=r"cmsdials\[plot\]"):
        page.plot(style="CMS", label="Preliminary")
    import matplotlib.pyplot as plt

    plt.close("all")


# -- through the store ----------------------------------------------------------------


def test_cache_goes_through_the_store(jetmet: Dials, srv: DialsServer, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    filters = {"dataset_id": DATASET, "run_number__lte": 385801}
    direct = jetmet.histograms([PT, 7], filters, enable_progress=False)
    first = jetmet.histograms([PT, 7], filters, workers=3, cache=tmp_path, enable_progress=False)
    assert any(tmp_path.iterdir())  # the store's folders
    for me in direct:
        np.testing.assert_array_equal(first[me].values, direct[me].values)
        np.testing.assert_array_equal(first[me].keys["ls_number"], direct[me].keys["ls_number"])
    srv.clear_requests()
    again = jetmet.histograms([PT, 7], filters, workers=3, cache=tmp_path, enable_progress=False)
    data = [r.path for r in api_requests(srv) if r.path in ("/api/v1/th1/", "/api/v1/th2/")]
    assert data == []  # read back from the store
    for me in direct:
        np.testing.assert_array_equal(again[me].values, direct[me].values)


def test_a_failing_lane_stops_the_pull_with_the_typed_error(
    jetmet: Dials, srv: DialsServer
) -> None:
    from cmsdials.exceptions import ServerError

    srv.faults.inject("status", status=500, count=50, route="/th2/")
    with pytest.raises(ServerError) as caught:
        jetmet.histograms([PT, 7], {"dataset_id": DATASET}, workers=4, retries=0)
    assert caught.value.status_code == 500
    srv.faults.clear()
    srv.faults.inject("loop_next", count=2, route="/th1/")
    from cmsdials.exceptions import DialsCursorLoopError

    with pytest.raises(DialsCursorLoopError):
        jetmet.histograms([PT], {"dataset_id": DATASET, "page_size": 10})


class _Pages:
    """OMS answers without ``links`` (or with a ``next`` that does not move), to check the
    fallbacks of the paging loop; the rest of it is checked against the local DIALS."""

    def __init__(self, total: int, links: str | None = None) -> None:
        self.total = total
        self.links = links
        self.asked: list[dict[str, int]] = []

    def query(self, endpoint: str, filters: Any, pages: Any, retries: Any, timeout: Any) -> Any:
        window = {p.attribute_name: p.value for p in pages}
        self.asked.append(window)
        offset, limit = window["offset"], window.get("limit", 4)
        data = [
            {"attributes": {"run_number": i}}
            for i in range(offset, min(offset + limit, self.total))
        ]
        answer: dict[str, Any] = {"data": data, "meta": {"totalResourceCount": self.total}}
        if self.links == "stuck":
            answer["links"] = {"next": "https://oms/runs?page[offset]=0&page[limit]=4"}
        return answer


def test_oms_paging_fallbacks() -> None:
    from cmsdials.exceptions import DialsCursorLoopError
    from cmsdials.oms import fetch_table

    plain = _Pages(10)
    table = fetch_table(plain, "runs", enable_progress=False)  # type: ignore[arg-type]
    assert [r["run_number"] for r in table.rows] == list(range(10))
    assert [w["offset"] for w in plain.asked] == [0, 4, 8]
    assert table.to_pandas().index.name == "run_number"
    with pytest.raises(DialsCursorLoopError):
        fetch_table(_Pages(10, links="stuck"), "runs", enable_progress=False)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_pages"):
        fetch_table(plain, "runs", max_pages=0)  # type: ignore[arg-type]


def test_the_analysis_modules_import_nothing_heavy() -> None:
    import subprocess

    code = (
        "import sys\n"
        "import cmsdials, cmsdials.histograms, cmsdials.derived, cmsdials.oms, cmsdials.arrays\n"
        "import cmsdials.testing.oms\n"
        "heavy = ('numpy', 'pandas', 'hist', 'boost_histogram', 'mplhep', 'matplotlib')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_me_without_rows_in_the_selection(jetmet: Dials) -> None:
    # the 2D ME is kept every fifth lumisection: none of lumisections 1-4
    pull = jetmet.histograms([PT, 7], {"dataset_id": DATASET, "ls_number__lte": 4})
    assert len(pull[PHI_ETA]) == 0 and len(pull[PT]) > 0
    aligned = pull.aligned()
    assert aligned[PHI_ETA].missing.all() and aligned[PHI_ETA].values.shape[0] == len(pull[PT])
    assert pull.to_pandas()[PHI_ETA].isna().all()
    long = pull.to_pandas(wide=False)
    assert set(long.me) == {PT} and str(long.run_number.dtype) == "int64"
    with pytest.raises(ValueError, match="no row of"):
        pull[PHI_ETA].to_hist()
    assert len(pull.select(LumiMask({"385764": [[1, 2]]}))[PT]) == 2
