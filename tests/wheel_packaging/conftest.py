"""The session's local DIALS for the packaging tests (as tests/client has it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cmsdials.testing import DialsServer


@pytest.fixture
def srv(dials_server: DialsServer) -> Iterator[DialsServer]:
    yield dials_server
