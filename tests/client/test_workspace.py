"""Workspace routing, the unknown-workspace error, auth errors and the request headers."""

from __future__ import annotations

import logging
import platform

import httpx
import pytest

from cmsdials import Dials, __version__
from cmsdials.auth.secret_key import Credentials
from cmsdials.exceptions import PermissionDeniedError, WorkspaceNotFoundError
from cmsdials.filters import RunFilters
from cmsdials.testing import DialsServer

from .helpers import api_requests, query


@pytest.mark.parametrize("workspace", ["tracker", "jetmet", "csc", "ecal", "hcal"])
def test_each_workspace_is_routed(srv: DialsServer, creds: Credentials, workspace: str) -> None:
    with Dials(creds, workspace=workspace, base_url=srv.base_url) as dials:
        runs = dials.run.list_all(RunFilters(page_size=3), enable_progress=False)
        lumis = dials.lumi.count()
    stored = query(srv.db(workspace), "SELECT dataset_id, run_number FROM run ORDER BY 1, 2")
    assert [(r.dataset_id, r.run_number) for r in runs.results] == stored
    assert lumis == query(srv.db(workspace), "SELECT count(*) FROM lumisection")[0][0]
    seen = api_requests(srv)
    assert seen and all(r.headers.get("Workspace") == workspace for r in seen)


def test_without_workspace_no_header_and_the_default(dials: Dials, srv: DialsServer) -> None:
    assert dials.workspace.my_workspace() == {"workspace": "tracker"}
    runs = dials.run.list(RunFilters(page_size=100))
    stored = query(srv.db("tracker"), "SELECT dataset_id, run_number FROM run ORDER BY 1, 2")
    assert [(r.dataset_id, r.run_number) for r in runs.results] == stored
    assert all(r.headers.get("Workspace") is None for r in api_requests(srv))


def test_workspace_list(dials: Dials, srv: DialsServer) -> None:
    assert dials.workspace.list() == {"workspaces": srv.workspaces}


def test_unknown_workspace(srv: DialsServer, creds: Credentials) -> None:
    with Dials(creds, workspace="nowhere", base_url=srv.base_url) as dials:
        with pytest.raises(WorkspaceNotFoundError) as caught:
            dials.h1d.list()
    error = caught.value
    assert error.status_code == 404
    assert "Workspace 'nowhere' not found" in str(error)
    assert str(error).startswith("404 Client Error: Not Found for url: " + srv.base_url)
    sent = [r.path for r in api_requests(srv)]
    assert sent.count("/api/v1/th1/") == 1  # a 404 is not retried
    assert sent.count("/api/v1/workspaces/") == 1  # asked once, to name the valid ones
    assert error.workspaces == tuple(srv.workspaces) and "names are case-sensitive" in str(error)


def test_bad_secret(srv: DialsServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "not-the-secret-" + "x" * 20
    srv.faults.inject("status", status=503)  # a retry is logged too
    with Dials(Credentials(token=secret), base_url=srv.base_url) as dials:
        with pytest.raises(PermissionDeniedError) as caught:
            dials.run.list()
        error = caught.value
        assert str(error).startswith("403 Client Error: Forbidden for url: " + srv.base_url)
        assert error.detail and error.status_code == 403
        for text in (str(error), repr(error), repr(dials), repr(dials.run), error.body):
            assert secret not in text and srv.secret not in text
    assert "retrying GET" in caplog.text
    assert secret not in caplog.text and srv.secret not in caplog.text


def test_headers_on_every_request(dials: Dials, srv: DialsServer) -> None:
    dials.run.list()
    dials.h1d.get(dataset_id=14677060, run_number=367112, ls_number=10, me_id=1)
    seen = api_requests(srv)
    agent = (
        f"cmsdials/{__version__} (python/{platform.python_version()}, httpx/{httpx.__version__})"
    )
    assert [r.headers.get("User-Agent") for r in seen] == [agent, agent]
    assert all(r.headers.get("X-CLIENT-SECRET") == srv.secret for r in seen)


def test_one_pooled_connection_is_shared(dials: Dials, srv: DialsServer) -> None:
    assert dials.h1d.transport is dials.run.transport is dials.oms.transport
    assert dials.ml_bad_lumisection is dials.ml_bad_lumis
    connections: set[int] = set()

    def remember(response: httpx.Response) -> None:
        stream = response.extensions.get("network_stream")
        connections.add(id(stream))

    dials.transport.http.event_hooks["response"].append(remember)
    for _ in range(5):
        dials.run.list()
        dials.lumi.list()
    assert len(connections) == 1  # keep-alive: one connection for ten requests


def test_standalone_classic_client(srv: DialsServer, creds: Credentials) -> None:
    from cmsdials.clients.run.client import RunClient

    with RunClient(creds, "jetmet", srv.base_url) as client:
        runs = client.list_all(enable_progress=False)
    stored = query(srv.db("jetmet"), "SELECT dataset_id, run_number FROM run ORDER BY 1, 2")
    assert [(r.dataset_id, r.run_number) for r in runs.results] == stored
