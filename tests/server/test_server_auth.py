"""Bearer tokens and the device flow, with the server clock instead of sleeping."""

from __future__ import annotations

import httpx
import pytest

from cmsdials.testing import DialsServer


@pytest.fixture
def srv(srv_v112: DialsServer) -> DialsServer:
    """DIALS's own device flow: a route of v1.12.0, gone from the current API (Keycloak)."""
    return srv_v112


def _post(srv: DialsServer, route: str, body: object) -> httpx.Response:
    return httpx.post(srv.base_url + f"api/v1/auth/{route}/", json=body, timeout=10)


def _new_device(srv: DialsServer) -> dict:
    response = httpx.get(srv.base_url + "api/v1/auth/new-device/", timeout=10)
    assert response.status_code == 200
    device = response.json()
    assert set(device) == {"device_code", "verification_uri_complete", "expires_in"}
    return device


def _bearer_get(srv: DialsServer, token: str) -> httpx.Response:
    return httpx.get(
        srv.base_url + "api/v1/run/", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


def test_device_flow_pending_slow_down_success_and_spent(srv: DialsServer) -> None:
    device = _new_device(srv)
    code = {"device_code": device["device_code"]}
    pending = _post(srv, "device-token", code)
    assert pending.status_code == 400
    assert pending.json() == {
        "detail": "The authorization request is still pending",
        "code": "authorization_pending",
    }
    srv.slow_down_device(device["device_code"], times=2)
    for _ in range(2):
        assert _post(srv, "device-token", code).json()["code"] == "slow_down"
    assert _post(srv, "device-token", code).json()["code"] == "authorization_pending"
    srv.approve_device(device["device_code"])
    token = _post(srv, "device-token", code)
    assert token.status_code == 200
    body = token.json()
    assert {
        "access_token",
        "refresh_token",
        "expires_in",
        "refresh_expires_in",
        "token_type",
        "session_state",
        "scope",
    } <= set(body)
    assert body["token_type"] == "Bearer"
    assert _bearer_get(srv, body["access_token"]).status_code == 200
    spent = _post(srv, "device-token", code)
    assert spent.status_code == 400 and spent.json()["code"] == "invalid_grant"


def test_device_code_expires_with_the_clock(srv: DialsServer) -> None:
    device = _new_device(srv)
    srv.clock.advance(device["expires_in"] + 1)
    expired = _post(srv, "device-token", {"device_code": device["device_code"]})
    assert expired.status_code == 400 and expired.json()["code"] == "expired_token"


def test_visiting_the_verification_uri_approves(srv: DialsServer) -> None:
    device = _new_device(srv)
    assert httpx.get(device["verification_uri_complete"]).status_code == 200
    response = _post(srv, "device-token", {"device_code": device["device_code"]})
    assert response.status_code == 200


def test_missing_fields_answer_400_plain_text(srv: DialsServer) -> None:
    for route in ("device-token", "refresh-token"):
        response = _post(srv, route, {})
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("text/plain")


def test_bearer_expiry_and_refresh(srv: DialsServer) -> None:
    token = srv.issue_token(expires_in=60, refresh_expires_in=600)
    assert _bearer_get(srv, token["access_token"]).status_code == 200
    srv.clock.advance(61)
    expired = _bearer_get(srv, token["access_token"])
    assert expired.status_code == 403 and expired.json()["code"] == "token_not_valid"
    renewed = _post(srv, "refresh-token", {"refresh_token": token["refresh_token"]})
    assert renewed.status_code == 200
    assert _bearer_get(srv, renewed.json()["access_token"]).status_code == 200
    srv.clock.advance(601)
    too_late = _post(srv, "refresh-token", {"refresh_token": token["refresh_token"]})
    assert too_late.status_code == 500  # DIALS fails on a dead refresh token


def test_unknown_refresh_token_is_a_500(srv: DialsServer) -> None:
    response = _post(srv, "refresh-token", {"refresh_token": "nope"})
    assert response.status_code == 500 and "text/html" in response.headers["content-type"]


def test_control_helpers_reject_unknown_codes(srv: DialsServer) -> None:
    with pytest.raises(KeyError):
        srv.approve_device("unknown")
