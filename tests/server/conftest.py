"""Fixtures of the local DIALS server's own tests: one contract-mode server per session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from cmsdials.testing import DialsServer, serve


@pytest.fixture(scope="session")
def server() -> Iterator[DialsServer]:
    with serve(size="small", seed=0, contract=True) as srv:
        yield srv


@pytest.fixture(scope="session")
def server_v112() -> Iterator[DialsServer]:
    """A second session server speaking DIALS v1.12.0 (``api="v1.12"``)."""
    with serve(size="small", seed=0, contract=True, api="v1.12") as srv:
        yield srv


def _clean(server: DialsServer) -> Iterator[DialsServer]:
    server.faults.clear()
    server.row_tweaks.clear()
    crashes = len(server.server_errors)
    yield server
    server.faults.clear()
    server.row_tweaks.clear()
    new = server.server_errors[crashes:]
    assert new == [], "the server crashed:\n" + "\n".join(new)


@pytest.fixture
def srv(server: DialsServer) -> Iterator[DialsServer]:
    """The session server with no pending faults or row tweaks before and after the test."""
    yield from _clean(server)


@pytest.fixture
def srv_v112(server_v112: DialsServer) -> Iterator[DialsServer]:
    """The v1.12 session server, cleaned like ``srv``."""
    yield from _clean(server_v112)


def client(srv: DialsServer, workspace: str | None = None, timeout: float = 10.0) -> httpx.Client:
    headers = {"X-CLIENT-SECRET": srv.secret}
    if workspace is not None:
        headers["Workspace"] = workspace
    return httpx.Client(base_url=srv.base_url + "api/v1/", headers=headers, timeout=timeout)


@pytest.fixture
def make_client(srv: DialsServer) -> Iterator[Callable[..., httpx.Client]]:
    """``make_client(workspace=None, timeout=10.0)``: more clients, closed after the test."""
    made: list[httpx.Client] = []

    def make(workspace: str | None = None, timeout: float = 10.0) -> httpx.Client:
        made.append(client(srv, workspace, timeout))
        return made[-1]

    yield make
    for c in made:
        c.close()


@pytest.fixture
def api(srv: DialsServer) -> Iterator[httpx.Client]:
    """An httpx client on the default workspace (tracker), authenticated by the secret."""
    with client(srv) as c:
        yield c


@pytest.fixture
def jetmet(srv: DialsServer) -> Iterator[httpx.Client]:
    with client(srv, "jetmet") as c:
        yield c


@pytest.fixture
def api_v112(srv_v112: DialsServer) -> Iterator[httpx.Client]:
    """An httpx client of the v1.12 server's default workspace."""
    with client(srv_v112) as c:
        yield c


@pytest.fixture
def jetmet_v112(srv_v112: DialsServer) -> Iterator[httpx.Client]:
    with client(srv_v112, "jetmet") as c:
        yield c


def _walk(
    c: httpx.Client, path: str, params: Any = None, limit: int = 1000
) -> list[dict[str, Any]]:
    """Every result of a paginated route, following ``next``."""
    results: list[dict[str, Any]] = []
    response = c.get(path, params=params)
    for _ in range(limit):
        assert response.status_code == 200, response.text
        page = response.json()
        results.extend(page["results"])
        if page["next"] is None:
            return results
        response = c.get(page["next"])
    raise AssertionError("too many pages")


@pytest.fixture
def walk() -> Callable[..., list[dict[str, Any]]]:
    """``walk(client, path, params)``: every result of a paginated route."""
    return _walk
