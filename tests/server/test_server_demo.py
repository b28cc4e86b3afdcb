"""The README's basic example (``python -m cmsdials.testing.demo``) against the local DIALS."""

from __future__ import annotations

import pytest

from cmsdials.testing import DialsServer
from cmsdials.testing.demo import run_example


def test_readme_basic_example(srv: DialsServer, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pandas")
    before = len(srv.contract_errors)
    srv.clear_requests()
    run_example(srv.base_url, srv.keycloak_url, srv.client_id, srv.client_secret)
    out = capsys.readouterr().out
    assert (
        "fetched 50 rows (max_pages=5) of the ME\n  PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"
        in out
    )
    pages = [r for r in srv.requests if r.path == "/api/v1/th1/"]
    assert all(r.headers["Authorization"].startswith("Bearer ") for r in pages)
    assert all("X-CLIENT-SECRET" not in r.headers for r in pages)
    assert len(pages) == 5 and all(r.status == 200 for r in pages)
    assert srv.contract_errors[before:] == []
