"""pytest fixtures for a local DIALS: ``dials_server``, ``dials_base_url``, ``dials_secret``,
and its Keycloak realm: ``dials_keycloak_url``, ``dials_client_id``, ``dials_client_secret``.

Enable with ``pytest_plugins = ["cmsdials.testing.pytest_plugin"]`` in a conftest.

``dials_server`` is one session-wide server (small data, seed 0, contract mode),
usable from fixtures of any scope.  After every test an autouse guard looks at
it: a request that broke the contract of ``openapi.json`` (or crashed the
server) while the test ran fails that test (an error at its teardown, with the
offending requests in the message), and faults the test left pending are
cleared so they cannot leak into the next test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import DialsServer

_SERVER_KEY = pytest.StashKey[DialsServer]()


@pytest.fixture(scope="session")
def dials_server(pytestconfig: pytest.Config) -> Iterator[DialsServer]:
    """The session's local DIALS (``serve(size="small", seed=0, contract=True)``)."""
    server = DialsServer(size="small", seed=0, contract=True)
    server.start()
    pytestconfig.stash[_SERVER_KEY] = server
    try:
        yield server
    finally:
        del pytestconfig.stash[_SERVER_KEY]
        server.stop()


@pytest.fixture(autouse=True)
def _dials_contract_guard(pytestconfig: pytest.Config) -> Iterator[None]:
    """Fail the test during which the session server saw a bad request or crashed."""
    running = pytestconfig.stash.get(_SERVER_KEY, None)
    contract_before = len(running.contract_errors) if running is not None else 0
    errors_before = len(running.server_errors) if running is not None else 0
    yield
    server = pytestconfig.stash.get(_SERVER_KEY, None)
    if server is None:
        return
    if server is not running:  # started during this test: it began with no errors
        contract_before = errors_before = 0
    server.faults.clear()
    server.row_tweaks.clear()
    broken = server.contract_errors[contract_before:]
    crashed = server.server_errors[errors_before:]
    problems = []
    if broken:
        problems.append(
            f"{len(broken)} request(s) did not conform to openapi.json:\n  " + "\n  ".join(broken)
        )
    if crashed:
        problems.append("the local DIALS crashed on:\n" + "\n".join(crashed))
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
