"""pytest fixtures for a local DIALS: ``dials_server``, ``dials_base_url``, ``dials_secret``.

Enable with ``pytest_plugins = ["cmsdials.testing.pytest_plugin"]`` in a conftest.

``dials_server`` is one session-wide server (small data, seed 0, contract mode).
Every test that uses it is checked after it ran: a request that broke the
contract of ``openapi.json`` (or crashed the server) during the test fails that
test, with the offending requests in the message.  Faults left pending by a test
are cleared so they cannot leak into the next one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import DialsServer


@pytest.fixture(scope="session")
def _dials_session_server() -> Iterator[DialsServer]:
    server = DialsServer(size="small", seed=0, contract=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def dials_server(_dials_session_server: DialsServer) -> Iterator[DialsServer]:
    """The session's local DIALS; fails the test if it sent a non-conforming request."""
    server = _dials_session_server
    contract_before = len(server.contract_errors)
    errors_before = len(server.server_errors)
    yield server
    server.faults.clear()
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
