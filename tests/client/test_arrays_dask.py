"""to_numpy() against hand-computed shapes and edges; to_dask() on a LocalCluster."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

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


def test_histograms_of_a_dataframe_equal_to_numpy(dials: Dials) -> None:
    np = pytest.importorskip("numpy")
    pytest.importorskip("pandas")
    from cmsdials.arrays import histograms

    for endpoint, me_id in ((dials.h1d, 1), (dials.h2d, None)):
        if me_id is None:
            me_id = endpoint.list({"page_size": 1}).results[0].me_id
        page = endpoint.list({"me_id": me_id, "page_size": 6})
        direct, framed = page.to_numpy(), histograms(page.to_pandas())
        assert np.array_equal(direct.values, framed.values)
        assert np.array_equal(direct.x_edges, framed.x_edges)
        assert (direct.y_edges is None) == (framed.y_edges is None)
        assert direct.keys.keys() == framed.keys.keys()
        for name in direct.keys:
            assert list(direct.keys[name]) == list(framed.keys[name])


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


@pytest.fixture(scope="module")
def cluster_client() -> Iterator[Any]:
    """A 2-process LocalCluster (as the issue asks), shared by the Dask tests."""
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("dask.distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _h1d_filters(dials: Dials) -> dict[str, Any]:
    runs = dials.run.list_all({"page_size": 500}, enable_progress=False).results
    return {
        "run_number__gte": runs[0].run_number,
        "run_number__lte": runs[-1].run_number,
        "me__regex": "PXLayer",
        "page_size": 100,
    }


def _same_rows(dials: Dials, frame: Any, filters: dict[str, Any]) -> None:
    assert frame.npartitions > 1
    got = frame.compute().reset_index(drop=True)
    want = dials.h1d.list_all(filters, enable_progress=False).to_pandas()
    assert got.equals(want)


def test_to_dask_on_a_local_cluster_equals_list_all(dials: Dials, cluster_client: Any) -> None:
    filters = _h1d_filters(dials)
    frame = dials.h1d.to_dask(filters, partitions=6)
    graph_text = repr(dict(frame.__dask_graph__())) + repr(frame) + str(frame.dask)
    secret = dials.transport.http.auth.token  # type: ignore[union-attr]
    assert secret not in graph_text
    assert all(secret not in str(key) for key in frame.__dask_keys__())
    _same_rows(dials, frame, filters)


@pytest.fixture(scope="module")
def realm_srv() -> Iterator[DialsServer]:
    """A local DIALS without contract checks: its Keycloak routes are not DIALS's spec."""
    from cmsdials.testing import serve

    with serve() as server:
        yield server


def test_to_dask_with_client_credentials_fetches_tokens_on_the_workers(
    realm_srv: DialsServer, cluster_client: Any
) -> None:
    srv = realm_srv
    from cmsdials.auth.client import AuthClient
    from cmsdials.auth.client_credentials import Credentials as ClientCredentials

    creds = ClientCredentials(
        srv.client_id, srv.client_secret, AuthClient(keycloak_url=srv.keycloak_url)
    )
    with Dials(creds, base_url=srv.base_url) as app:
        filters = _h1d_filters(app)
        frame = app.h1d.to_dask(filters, partitions=4)
        assert srv.client_secret not in repr(dict(frame.__dask_graph__()))
        srv.clear_requests()
        _same_rows(app, frame, filters)
    token_requests = [r for r in srv.requests if r.path.endswith("/api-access/token")]
    assert len(token_requests) >= 2  # each worker process got its own token


def test_to_dask_with_a_cached_login_reads_it_on_the_workers(
    realm_srv: DialsServer, cluster_client: Any, tmp_path: Path
) -> None:
    srv = realm_srv
    from cmsdials.auth import device
    from cmsdials.auth.client import AuthClient
    from cmsdials.auth.models import Token
    from cmsdials.testing.keycloak import PUBLIC_CLIENT_ID

    answer = srv.auth.realm.issue_token(client_id=PUBLIC_CLIENT_ID)
    token = Token.stamped(answer, datetime.now())
    creds = device.Credentials.from_authclient_token(
        token, cache_dir=tmp_path, client=AuthClient(keycloak_url=srv.keycloak_url)
    )
    with Dials(creds, base_url=srv.base_url) as person:
        filters = _h1d_filters(person)
        frame = person.h1d.to_dask(filters, partitions=4)
        assert answer["access_token"] not in repr(dict(frame.__dask_graph__()))
        _same_rows(person, frame, filters)


def test_to_dask_refuses_credentials_it_cannot_ship(srv: DialsServer) -> None:
    pytest.importorskip("dask.dataframe")
    import httpx

    class Custom(httpx.Auth):
        pass

    with Dials(Custom(), base_url=srv.base_url) as custom:
        with pytest.raises(TypeError, match="pass credentials="):
            custom.h1d.to_dask({"run_number__gte": 1})
