"""Helpers of the cmsdials-layer tests."""

from __future__ import annotations

import sqlite3
from typing import Any

from cmsdials.testing import DialsServer


def query(db: sqlite3.Connection, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in db.execute(sql, params)]


def api_requests(server: DialsServer) -> list[Any]:
    """The API requests the server received (its control routes excluded).

    The local server records a request when it arrives and its status before
    answering, so the log is complete whenever the client has its answer.
    """
    return [r for r in list(server.requests) if r.path.startswith("/api/")]


def spec_schema(name: str) -> dict[str, Any]:
    """A component schema of the committed ``openapi.json`` (what the client was generated from)."""
    import json
    from pathlib import Path

    doc = json.loads((Path(__file__).resolve().parents[2] / "openapi.json").read_text())
    schema: dict[str, Any] = doc["components"]["schemas"][name]
    return schema
