"""Helpers of the cmsdials-layer tests."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from cmsdials.testing import DialsServer


def query(db: sqlite3.Connection, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in db.execute(sql, params)]


def api_requests(server: DialsServer, expect: int = 0) -> list[Any]:
    """The API requests the server received (its control routes excluded).

    The local server records a request just after sending its answer, so the
    last one may not be in ``server.requests`` yet when the client returns:
    wait (up to 3 s) for ``expect`` records, then a moment for any extra one.
    """
    deadline = time.monotonic() + 3.0
    while len(_api(server)) < expect and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.03)
    return _api(server)


def _api(server: DialsServer) -> list[Any]:
    return [r for r in list(server.requests) if r.path.startswith("/api/")]


def settle(server: DialsServer) -> None:
    """Wait until the server's request log stops growing (for 30 ms; at most 3 s)."""
    deadline = time.monotonic() + 3.0
    seen = -1
    while time.monotonic() < deadline:
        now = len(server.requests)
        if now == seen:
            return
        seen = now
        time.sleep(0.03)
