"""Fixtures of the auth tests (helpers in auth_helpers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from auth_helpers import FakeAuthAPI, FakeClock, Session, mock_auth_client

from cmsdials.auth import client as client_module
from cmsdials.auth.client import AuthClient
from cmsdials.auth.models import Device


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def api() -> FakeAuthAPI:
    return FakeAuthAPI()


@pytest.fixture
def auth(api: FakeAuthAPI, clock: FakeClock) -> Iterator[AuthClient]:
    client = mock_auth_client(api, clock)
    yield client
    client.close()


@pytest.fixture
def cache_dir(tmp_path: Path) -> str:
    return str(tmp_path / "cache")


@pytest.fixture(scope="module")
def srv() -> Iterator[Any]:
    from cmsdials.testing import serve  # imported here: the unit tests do without it

    with serve(size="small", seed=0) as server:
        yield server


@pytest.fixture
def session(srv: Any, monkeypatch: pytest.MonkeyPatch) -> Session:
    s = Session(srv)
    original: Callable[[Device], None] = client_module.show_verification_url

    def show(device: Device) -> None:
        s.devices.append(device)
        original(device)

    monkeypatch.setattr(client_module, "show_verification_url", show)
    return s
