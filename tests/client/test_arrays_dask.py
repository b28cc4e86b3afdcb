"""to_numpy() against hand-computed shapes and edges; to_dask() on a LocalCluster."""

from __future__ import annotations

import sys

import pytest

from cmsdials import Dials
from cmsdials.testing import DialsServer


def test_to_numpy_1d_shapes_edges_and_keys(dials: Dials) -> None:
    np = pytest.importorskip("numpy")
    page = dials.h1d.list({"me_id": 1, "page_size": 7})
    rows = page.results
    h = page.to_numpy()
    x_min, x_max, x_bin = rows[0].x_min, rows[0].x_max, rows[0].x_bin
    assert h.values.shape == (7, x_bin) and h.values.dtype == np.float64
    assert h.y_edges is None and h.ndim == 1
    step = (x_max - x_min) / x_bin
    assert h.x_edges.shape == (x_bin + 1,)
    assert h.x_edges[0] == x_min and h.x_edges[-1] == x_max
    assert h.x_edges[1] == pytest.approx(x_min + step)
    assert h.x_centers[0] == pytest.approx(x_min + step / 2)
    for i, row in enumerate(rows):
        assert h.values[i].tolist() == [float(v) for v in row.data]
        assert h.keys["run_number"][i] == row.run_number
        assert h.keys["ls_number"][i] == row.ls_number
        assert h.keys["me"][i] == row.me


def test_to_numpy_2d_shapes_and_edges(dials: Dials) -> None:
    np = pytest.importorskip("numpy")
    me = dials.h2d.list({"page_size": 1}).results[0].me
    page = dials.h2d.list({"me": me, "page_size": 5})
    first = page.results[0]
    h = page.to_numpy()
    assert h.values.shape == (len(page.results), first.y_bin, first.x_bin)
    assert h.values.dtype == np.float64 and h.ndim == 2
    assert h.values[0, 1, 2] == float(first.data[1][2])  # data[y][x]
    assert h.y_edges is not None and h.y_edges.shape == (first.y_bin + 1,)
    assert h.y_edges[0] == first.y_min and h.y_edges[-1] == first.y_max
    assert list(h.keys["me_id"]) == [r.me_id for r in page.results]


def test_to_numpy_refuses_mixed_binnings(dials: Dials) -> None:
    pytest.importorskip("numpy")
    with pytest.raises(ValueError, match="select one ME"):
        dials.h1d.list({"page_size": 200}).to_numpy()


def test_to_dask_without_dask_names_the_extra(
    dials: Dials, srv: DialsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    srv.clear_requests()
    with pytest.raises(ImportError, match=r"cmsdials\[dask\]"):
        dials.h1d.to_dask({"run_number__gte": 1})
    assert srv.requests == []


def test_to_dask_on_a_local_cluster_equals_list_all(dials: Dials) -> None:
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("dask.distributed")
    runs = dials.run.list_all({"page_size": 500}, enable_progress=False).results
    filters = {
        "run_number__gte": runs[0].run_number,
        "run_number__lte": runs[-1].run_number,
        "me__regex": "PXLayer",
        "page_size": 100,
    }
    frame = dials.h1d.to_dask(filters, partitions=6)
    assert frame.npartitions > 1
    graph_text = repr(dict(frame.__dask_graph__())) + repr(frame)
    secret = dials.transport.http.auth.token  # type: ignore[union-attr]
    assert secret not in graph_text
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        got = frame.compute().reset_index(drop=True)
    want = dials.h1d.list_all(filters, enable_progress=False).to_pandas()
    assert got.equals(want)
