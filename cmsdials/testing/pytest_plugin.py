"""pytest fixtures for a local DIALS: ``dials_server``, ``dials_base_url``, ``dials_secret``,
and its Keycloak realm: ``dials_keycloak_url``, ``dials_client_id``, ``dials_client_secret``.

Enable with ``pytest_plugins = ["cmsdials.testing.pytest_plugin"]`` in a conftest.

``dials_server`` is one session-wide server (small data, seed 0, contract mode),
usable from fixtures of any scope.  ``dials_server_v1_12`` is its twin speaking
DIALS v1.12.0 (``api="v1.12"``: the older routes and row shapes), for tests of
a client's tolerance of an older server; it starts on first use only.  After
every test an autouse guard looks at every session server started: a request
that broke the contract of its spec (or crashed the server) while the test ran
fails that test (an error at its teardown, with the offending requests in the
message), and faults and row tweaks the test left are cleared so they cannot
leak into the next test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .routes import Api
from .server import DialsServer

_SERVERS_KEY = pytest.StashKey[dict[str, DialsServer]]()


def _servers(config: pytest.Config) -> dict[str, DialsServer]:
    """The running session servers, by API."""
    return config.stash.setdefault(_SERVERS_KEY, {})


def _session_server(pytestconfig: pytest.Config, api: Api) -> Iterator[DialsServer]:
    server = DialsServer(size="small", seed=0, contract=True, api=api)
    server.start()
    servers = _servers(pytestconfig)
    servers[api] = server
    try:
        yield server
    finally:
        servers.pop(api, None)
        server.stop()


@pytest.fixture(scope="session")
def dials_server(pytestconfig: pytest.Config) -> Iterator[DialsServer]:
    """The session's local DIALS (``serve(size="small", seed=0, contract=True)``)."""
    yield from _session_server(pytestconfig, "current")


@pytest.fixture(scope="session")
def dials_server_v1_12(pytestconfig: pytest.Config) -> Iterator[DialsServer]:
    """A session-wide local DIALS v1.12.0 (``serve(..., contract=True, api="v1.12")``)."""
    yield from _session_server(pytestconfig, "v1.12")


@pytest.fixture(autouse=True)
def _dials_contract_guard(pytestconfig: pytest.Config) -> Iterator[None]:
    """Fail the test during which a session server saw a bad request or crashed."""
    running = dict(_servers(pytestconfig))
    before = {
        api: (len(server.contract_errors), len(server.server_errors))
        for api, server in running.items()
    }
    yield
    problems = []
    for api, server in sorted(_servers(pytestconfig).items()):
        if running.get(api) is not server:  # started during this test: it began clean
            contract_before, errors_before = 0, 0
        else:
            contract_before, errors_before = before[api]
        server.faults.clear()
        server.row_tweaks.clear()
        broken = server.contract_errors[contract_before:]
        crashed = server.server_errors[errors_before:]
        name = "the local DIALS" if api == "current" else f"the local DIALS {api}"
        if broken:
            problems.append(
                f"{len(broken)} request(s) to {name} did not conform to its spec:\n  "
                + "\n  ".join(broken)
            )
        if crashed:
            problems.append(f"{name} crashed on:\n" + "\n".join(crashed))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def dials_base_url(dials_server: DialsServer) -> str:
    """``http://127.0.0.1:PORT/`` of the session's local DIALS."""
    return dials_server.base_url


@pytest.fixture
def dials_secret(dials_server: DialsServer) -> str:
    """The ``X-CLIENT-SECRET`` the session's local DIALS accepts."""
    return dials_server.secret


@pytest.fixture
def dials_keycloak_url(dials_server: DialsServer) -> str:
    """The session's local Keycloak (``AuthClient(keycloak_url=...)``)."""
    return dials_server.keycloak_url


@pytest.fixture
def dials_client_id(dials_server: DialsServer) -> str:
    """The client id of the realm's registered application (client credentials)."""
    return dials_server.client_id


@pytest.fixture
def dials_client_secret(dials_server: DialsServer) -> str:
    """The client secret of the realm's registered application."""
    return dials_server.client_secret
