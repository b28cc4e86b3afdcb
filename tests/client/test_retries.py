"""Retries against injected faults, counting the requests the server saw."""

from __future__ import annotations

import pytest
from urllib3.util import Retry

from cmsdials import Dials
from cmsdials.auth.secret_key import Credentials
from cmsdials.exceptions import (
    DialsConnectionError,
    DialsTimeoutError,
    RateLimitError,
    ServerError,
)
from cmsdials.filters import LumisectionHistogram1DFilters
from cmsdials.testing import DialsServer

from .helpers import api_requests

KEY = {"dataset_id": 14677060, "run_number": 367112, "ls_number": 10, "me_id": 1}


def statuses(srv: DialsServer) -> list[int]:
    return [r.status for r in api_requests(srv)]


def test_retry_object_on_503(srv: DialsServer, no_sleep: list[float]) -> None:
    srv.faults.inject("status", count=2, status=503)
    retry = Retry(total=3, backoff_factor=0.1, status_forcelist=[503])
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as client:
        row = client.h1d.get(**KEY, retries=retry)
    assert (row.run_number, row.me_id) == (367112, 1)
    assert statuses(srv) == [503, 503, 200]
    assert no_sleep == [0.0, 0.2]  # urllib3's backoff: 0, then 0.1 * 2


def test_retry_object_exhausted(srv: DialsServer, no_sleep: list[float]) -> None:
    srv.faults.inject("status", count=5, status=502)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as client:
        with pytest.raises(ServerError) as caught:
            client.h1d.list(retries=Retry(total=2, status_forcelist=[502]))
    assert caught.value.status_code == 502
    assert statuses(srv) == [502, 502, 502]


def test_retry_object_without_forcelist_does_not_retry_503(srv: DialsServer) -> None:
    srv.faults.inject("status", count=1, status=503)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as client:
        with pytest.raises(ServerError):  # exactly what urllib3 does with this Retry
            client.h1d.list(retries=Retry(total=3, backoff_factor=0.1))
    assert statuses(srv) == [503]


def test_default_policy_retries_503(srv: DialsServer, no_sleep: list[float]) -> None:
    srv.faults.inject("status", count=2, status=503)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as client:
        page = client.run.list()
    assert page.results
    assert statuses(srv) == [503, 503, 200]
    assert no_sleep[0] == 0.0 and 1.0 <= no_sleep[1] <= 1.25  # backoff with jitter


def test_default_policy_honours_retry_after_on_429(srv: DialsServer, no_sleep: list[float]) -> None:
    srv.faults.inject("status", count=1, status=429, retry_after=2)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as client:
        client.run.list()
    assert statuses(srv) == [429, 200]
    assert no_sleep == [2.0]


def test_default_policy_gives_up(srv: DialsServer, no_sleep: list[float]) -> None:
    srv.faults.inject("status", count=10, status=429, retry_after=1)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as client:
        with pytest.raises(RateLimitError) as caught:
            client.run.list()
    assert caught.value.retry_after == 1.0
    assert "Request was throttled" in str(caught.value)
    assert statuses(srv) == [429] * 5  # the first try and four retries
    assert no_sleep == [1.0] * 4


def test_default_policy_retries_a_connection_reset(srv: DialsServer, no_sleep: list[float]) -> None:
    srv.faults.inject("reset", count=2)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as client:
        row = client.h1d.get(**KEY)
    assert row.me_id == 1
    assert len(api_requests(srv)) == 3
    assert [r.fault for r in api_requests(srv)] == ["reset", "reset", None]


def test_reset_beyond_the_read_budget(srv: DialsServer, no_sleep: list[float]) -> None:
    srv.faults.inject("reset", count=5)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as client:
        with pytest.raises(DialsConnectionError) as caught:
            client.h1d.get(**KEY)
    assert "/api/v1/th1/14677060/367112/10/1/" in str(caught.value)
    assert len(api_requests(srv)) == 3  # the default policy retries read errors twice


def test_int_retries_on_resets(srv: DialsServer, no_sleep: list[float]) -> None:
    srv.faults.inject("reset", count=3)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as client:
        client.h1d.get(**KEY, retries=3)
    assert len(api_requests(srv)) == 4


def test_retries_zero_and_dials_wide_default(srv: DialsServer) -> None:
    srv.faults.inject("status", count=1, status=503)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url, retries=0) as client:
        with pytest.raises(ServerError):
            client.run.list()
    assert statuses(srv) == [503]


def test_every_page_of_list_all_is_retried(srv: DialsServer, no_sleep: list[float]) -> None:
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as client:
        seen = 0

        def hook(response: object) -> None:
            nonlocal seen
            seen += 1
            if seen == 2:  # after the second page: the third answers 503 once
                srv.faults.inject("status", count=1, status=503)

        client.transport.http.event_hooks["response"].append(hook)
        data = client.h1d.list_all(
            LumisectionHistogram1DFilters(me_id=1, page_size=200),
            max_pages=4,
            retries=Retry(total=5, backoff_factor=0.1, status_forcelist=[503]),
            enable_progress=False,
        )
    assert len(data.results) == 800
    assert statuses(srv) == [200, 200, 503, 200, 200]


def test_timeout_is_its_own_error(srv: DialsServer) -> None:
    srv.faults.inject("stall", count=1, stall_seconds=0.5)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url, timeout=0.1) as client:
        with pytest.raises(DialsTimeoutError):
            client.run.list(retries=0)
    assert [r.fault for r in api_requests(srv)] == ["stall"]
