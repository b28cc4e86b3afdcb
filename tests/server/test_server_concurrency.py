"""Many clients at once: the threaded server and the connection pool hold up."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from cmsdials.testing import DialsServer
from cmsdials.testing.server import _is_loopback


def test_parallel_clients_get_consistent_pages(srv: DialsServer) -> None:
    url = srv.base_url + "api/v1/th1/"
    params = {"me__regex": "charge_PXLayer", "page_size": 50}
    expected = httpx.get(url, params=params, headers={"X-CLIENT-SECRET": srv.secret}).json()

    def fetch(_: int) -> list[object]:
        with httpx.Client(headers={"X-CLIENT-SECRET": srv.secret}, timeout=20) as c:
            return [c.get(url, params=params).json() for _ in range(10)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        pages = [page for batch in pool.map(fetch, range(8)) for page in batch]
    assert len(pages) == 80 and all(page == expected for page in pages)
    assert srv.server_errors == []


def test_control_routes_are_loopback_only() -> None:
    assert _is_loopback("127.0.0.1") and _is_loopback("::1")
    assert not _is_loopback("10.0.0.7") and not _is_loopback("not-an-address")
