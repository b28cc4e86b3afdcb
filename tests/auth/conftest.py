"""Fixtures of the auth tests (helpers in auth_helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from auth_helpers import FakeAuthAPI, FakeClock, mock_auth_client

from cmsdials.auth.client import AuthClient


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
