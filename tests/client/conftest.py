"""Fixtures of the cmsdials-layer tests: a ``Dials`` on the session's local DIALS.

``srv`` is the session server (the ``dials_server`` fixture of
``cmsdials.testing``) with its request log cleared before each test and any
fault left over cleared after it, so tests that inject faults disturb no other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cmsdials import Dials
from cmsdials.auth.secret_key import Credentials
from cmsdials.testing import DialsServer


@pytest.fixture
def srv(dials_server: DialsServer) -> Iterator[DialsServer]:
    dials_server.faults.clear()
    dials_server.clear_requests()
    yield dials_server
    dials_server.faults.clear()


@pytest.fixture
def creds(dials_secret: str) -> Credentials:
    return Credentials(token=dials_secret)


@pytest.fixture
def dials(srv: DialsServer, creds: Credentials) -> Iterator[Dials]:
    with Dials(creds, base_url=srv.base_url) as client:
        yield client


@pytest.fixture
def jetmet(srv: DialsServer, creds: Credentials) -> Iterator[Dials]:
    with Dials(creds, workspace="jetmet", base_url=srv.base_url) as client:
        yield client


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the retry waits of every Transport instead of sleeping them."""
    sleeps: list[float] = []
    from cmsdials.transport import Transport

    original = Transport.__init__

    def init(self: Transport, *args: Any, **kwargs: Any) -> None:
        kwargs["sleep"] = sleeps.append
        original(self, *args, **kwargs)

    monkeypatch.setattr(Transport, "__init__", init)
    return sleeps
