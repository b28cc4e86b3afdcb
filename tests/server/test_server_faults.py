"""Fault injection, from Python and through the control routes."""

from __future__ import annotations

import time

import httpx
import pytest

from cmsdials.testing import DialsServer


def test_status_fault_with_retry_after_counts_exactly(srv: DialsServer, api) -> None:
    srv.faults.inject("status", count=2, status=503, retry_after=3)
    first, second, third = (api.get("run/") for _ in range(3))
    assert [first.status_code, second.status_code, third.status_code] == [503, 503, 200]
    assert first.headers["retry-after"] == "3"
    assert srv.faults.pending == []


def test_429_is_drf_throttling(srv: DialsServer, api) -> None:
    srv.faults.inject("status", status=429, retry_after=1)
    response = api.get("run/")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"
    assert response.json()["detail"].startswith("Request was throttled")


def test_route_regex_selects_requests(srv: DialsServer, api) -> None:
    srv.faults.inject("status", route=r"/th1/$", status=500)
    assert api.get("run/").status_code == 200
    assert api.get("th1/14677060/367112/10/1/").status_code == 200  # not matched by /th1/$
    assert api.get("th1/").status_code == 500
    assert api.get("th1/").status_code == 200


def test_reset_cuts_the_body(srv: DialsServer, api) -> None:
    srv.faults.inject("reset", route="/th1/")
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("th1/", params={"page_size": 50})
    assert api.get("th1/", params={"page_size": 50}).status_code == 200
    cut = [r for r in srv.requests if r.fault == "reset"]
    assert cut and cut[-1].status == 200


def test_stall_exceeds_the_client_timeout(srv: DialsServer, make_client) -> None:
    srv.faults.inject("stall", stall_seconds=1.0)
    impatient = make_client(timeout=0.3)
    start = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        impatient.get("run/")
    assert time.monotonic() - start < 1.0
    patient = make_client(timeout=5.0)
    srv.faults.inject("stall", stall_seconds=0.2)
    assert patient.get("run/").status_code == 200


def test_expire_token(srv: DialsServer) -> None:
    token = srv.issue_token()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    url = srv.base_url + "api/v1/run/"
    srv.faults.inject("expire_token")
    response = httpx.get(url, headers=headers)
    assert response.status_code == 403 and response.json()["code"] == "token_not_valid"
    assert httpx.get(url, headers=headers).status_code == 403  # expired for good
    fresh = srv.issue_token()["access_token"]
    assert httpx.get(url, headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_clear_and_validation(srv: DialsServer, api) -> None:
    srv.faults.inject("status", count=5)
    srv.faults.clear()
    assert api.get("run/").status_code == 200
    with pytest.raises(ValueError):
        srv.faults.inject("explode")
    with pytest.raises(ValueError):
        srv.faults.inject("status", status=200)


def test_requests_are_recorded(srv: DialsServer, api) -> None:
    srv.clear_requests()
    api.get("run/", params={"run_number__gte": 1}, headers={"Workspace": "tracker"})
    (recorded,) = srv.requests
    assert (recorded.method, recorded.path, recorded.status) == ("GET", "/api/v1/run/", 200)
    assert recorded.query == {"run_number__gte": ["1"]}
    assert recorded.headers["workspace"] == recorded.headers["WORKSPACE"] == "tracker"


def test_control_routes(srv_v112: DialsServer) -> None:
    srv = srv_v112  # the device flow below is DIALS's own, a route of v1.12.0 only
    control = srv.base_url + "_control/"
    auth = {"X-CLIENT-SECRET": srv.secret}
    assert httpx.post(control + "faults", json={"kind": "status"}).status_code == 403
    injected = httpx.post(
        control + "faults", json={"kind": "status", "status": 502, "count": 1}, headers=auth
    )
    assert injected.status_code == 200
    assert httpx.get(control + "faults", headers=auth).json()[0]["kind"] == "status"
    assert httpx.get(srv.base_url + "api/v1/run/", headers=auth).status_code == 502
    device = httpx.get(srv.base_url + "api/v1/auth/new-device/").json()
    approve = httpx.post(
        control + "approve-device", json={"device_code": device["device_code"]}, headers=auth
    )
    assert approve.status_code == 200
    token = httpx.post(
        srv.base_url + "api/v1/auth/device-token/", json={"device_code": device["device_code"]}
    )
    assert token.status_code == 200
    now = httpx.post(control + "clock/advance", json={"seconds": 1}, headers=auth).json()["now"]
    assert now >= srv.clock.now() - 5
    assert httpx.post(control + "faults", json={"kind": "nope"}, headers=auth).status_code == 400
    assert httpx.delete(control + "faults", headers=auth).status_code == 200


# -- the faults of issue 12 -----------------------------------------------------------------


def test_body_faults_answer_200_with_what_is_not_json(srv: DialsServer, api) -> None:
    whole = api.get("th1/", params={"page_size": 5})
    srv.faults.inject("cut_body", route="/th1/")
    cut = api.get("th1/", params={"page_size": 5})
    assert cut.status_code == 200 and cut.headers["content-type"] == "application/json"
    assert 0 < len(cut.content) < len(whole.content)
    assert whole.content.startswith(cut.content[:20])  # the same answer, cut (no nonce in it)
    srv.faults.inject("html_body", route="/th1/")
    page = api.get("th1/", params={"page_size": 5})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.lower().startswith("<!doctype html") and page.text.rstrip().endswith("-->")
    srv.faults.inject("invalid_body", route="/th1/")
    invalid = api.get("th1/", params={"page_size": 5})
    assert invalid.status_code == 200 and invalid.content.startswith(b"{{")
    with pytest.raises(ValueError):
        invalid.json()


def test_loop_next_points_the_last_page_back_at_the_second(srv: DialsServer, api) -> None:
    srv.faults.inject("loop_next", count=3, route="/run/")
    first = api.get("run/", params={"page_size": 2}).json()
    second_url = first["next"]
    second = api.get(second_url).json()
    assert second["next"] not in (None, second_url)
    third = api.get(second["next"]).json()
    assert third["next"] == second_url  # back to the second page: a loop of two
    assert srv.faults.pending == []


def test_redirect_answers_a_location(srv: DialsServer, api) -> None:
    srv.faults.inject("redirect", location="https://sso.example.org/login")
    answer = api.get("run/")
    assert (
        answer.status_code == 302 and answer.headers["location"] == "https://sso.example.org/login"
    )
    srv.faults.inject("redirect", status=307)
    assert api.get("run/").status_code == 307


def test_drip_sends_the_body_slowly_but_whole(srv: DialsServer, api) -> None:
    whole = api.get("run/", params={"page_size": 1}).content
    srv.faults.inject("drip", route="/run/", drip_bytes=max(1, len(whole) // 4), drip_seconds=0.05)
    with api.stream("GET", "run/", params={"page_size": 1}) as answer:
        chunks = list(answer.iter_raw())
    assert b"".join(chunks) == whole and len(chunks) >= 2
    assert srv.requests[-1].fault == "drip"


def test_malformed_retry_after_values_are_sent_as_given(srv: DialsServer, api) -> None:
    for value in ("soon", "-5", "1.5", ""):
        srv.faults.inject("status", status=503, retry_after=value)
        assert api.get("run/").headers["retry-after"] == value


def test_new_fault_kinds_through_the_control_route(srv: DialsServer, api) -> None:
    control = httpx.post(
        srv.base_url + "_control/faults",
        json={"kind": "drip", "drip_bytes": 4, "drip_seconds": 0.0, "route": "/run/"},
        headers={"X-CLIENT-SECRET": srv.secret},
    )
    assert control.status_code == 200 and control.json() == {"kind": "drip", "count": 1}
    assert api.get("run/").status_code == 200
    with pytest.raises(ValueError, match="drip_bytes"):
        srv.faults.inject("drip", drip_bytes=0)
