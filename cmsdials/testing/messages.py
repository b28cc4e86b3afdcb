"""The request and response values passed between the HTTP layer and the views."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson


class Headers(Mapping[str, str]):
    """Request headers with case-insensitive lookup (the last of repeated names wins)."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._items = list(items)
        self._map = {name.lower(): value for name, value in self._items}
        self._names = {name.lower(): name for name, _ in self._items}

    def __getitem__(self, key: str) -> str:
        return self._map[key.lower()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._map

    def __iter__(self) -> Iterator[str]:
        return iter(self._names.values())

    def __len__(self) -> int:
        return len(self._map)

    def raw_items(self) -> list[tuple[str, str]]:
        """Every header line as received, in order."""
        return list(self._items)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


@dataclass
class Request:
    """One parsed HTTP request."""

    method: str
    path: str
    query_string: str
    query: dict[str, list[str]]
    headers: Headers
    body: bytes = b""
    #: ``host[:port]`` used to build absolute ``next``/``previous`` links.
    host: str = "127.0.0.1"
    peer: str = "127.0.0.1"
    #: ``http`` or ``https`` (the server's), the scheme of absolute links.
    scheme: str = "http"


@dataclass
class Response:
    """One HTTP answer."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)


def json_response(
    status: int, payload: Any, headers: list[tuple[str, str]] | None = None
) -> Response:
    return Response(status, orjson.dumps(payload), "application/json", headers or [])


def text_response(status: int, text: str) -> Response:
    return Response(status, text.encode(), "text/plain; charset=utf-8")


_HTML = """<!doctype html>
<html lang="en">
<head>
  <title>{title}</title>
</head>
<body>
  <h1>{title}</h1><p>{text}</p>
</body>
</html>
<!-- {nonce} -->
"""


def html_response(status: int, title: str, text: str = "") -> Response:
    """Django's plain error pages; like DIALS's, each carries a random comment."""
    body = _HTML.format(title=title, text=text, nonce=secrets.token_hex(12))
    return Response(status, body.encode(), "text/html; charset=utf-8")


def not_found_page() -> Response:
    return html_response(404, "Not Found", "The requested resource was not found on this server.")


def server_error_page() -> Response:
    return html_response(500, "Server Error (500)")
