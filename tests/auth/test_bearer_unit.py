"""Bearer credentials against a scripted auth API: states, refreshes, threads.

The clock is a fake one: the tests move time, they never sleep for it.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from typing import Any

import httpx
import pytest
from auth_helpers import FakeAuthAPI, FakeClock, make_token, mock_auth_client

from cmsdials.auth import bearer
from cmsdials.auth._base import TokenState
from cmsdials.auth.client import AuthClient
from cmsdials.auth.device import Credentials
from cmsdials.auth.exceptions import ImpossibleToRefreshTokenError
from cmsdials.exceptions import PermissionDeniedError
from cmsdials.transport import Transport


def creds_for(auth: AuthClient, clock: FakeClock, cache_dir: str, **kw: int) -> Credentials:
    return Credentials.from_authclient_token(make_token(clock, **kw), cache_dir, auth)


def test_the_2_1_path_is_a_deprecated_alias(
    auth: AuthClient, clock: FakeClock, cache_dir: str
) -> None:
    with pytest.deprecated_call(match="cmsdials.auth.device.Credentials"):
        creds = bearer.Credentials.from_authclient_token(make_token(clock), cache_dir, auth)
    assert isinstance(creds, Credentials)
    with pytest.deprecated_call():
        again = bearer.Credentials.from_creds_file(cache_dir, auth)
    assert again.token == creds.token
    fields = {k: v for k, v in vars(creds).items() if k in ("token", "token_type")}
    with pytest.deprecated_call():
        direct = bearer.Credentials(
            **fields,
            **{k: getattr(creds, k) for k in ("expires_at", "expires_in", "refresh_token")},
            **{k: getattr(creds, k) for k in ("refresh_expires_at", "refresh_expires_in")},
            cache_dir=cache_dir,
            client=auth,
        )
    assert isinstance(direct, Credentials) and direct.token == creds.token


def test_classic_constructor_positional(auth: AuthClient, clock: FakeClock, cache_dir: str) -> None:
    t = make_token(clock)
    creds = Credentials(
        t.access_token,
        t.expires_at,
        t.expires_in,
        t.refresh_expires_at,
        t.refresh_expires_in,
        t.refresh_token,
        t.token_type,
        cache_dir,
        auth,
    )
    assert creds.token_state is TokenState.FRESH
    headers: dict[str, str] = {}
    creds.before_request(headers)
    assert headers == {"Authorization": "Bearer access-token-0000-secret"}
    creds.apply(headers)
    assert creds.clock is auth.clock


def test_states_follow_the_clock(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    creds = creds_for(auth, clock, cache_dir, expires_in=300, refresh_expires_in=1800)
    assert creds.token_state is TokenState.FRESH
    clock.advance(269)  # 90 % of 300 s is 270 s
    assert creds.token_state is TokenState.FRESH
    clock.advance(2)
    assert creds.token_state is TokenState.STALE
    clock.advance(29)  # exactly at expiry
    assert creds.token_state is TokenState.EXPIRED
    clock.advance(1500)
    assert creds.token_state is TokenState.INVALID
    assert api.refreshes == 0  # looking at the state never refreshes


def test_expired_token_is_refreshed_before_the_request(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    creds = creds_for(auth, clock, cache_dir)
    clock.advance(301)
    headers: dict[str, str] = {}
    creds.before_request(headers)
    assert api.refreshes == 1
    assert headers["Authorization"] == f"Bearer {api.issued[-1]}"
    assert creds.token_state is TokenState.FRESH
    assert creds.expires_at == clock() + timedelta(seconds=300)


def test_stale_token_is_used_and_refreshed_once_in_the_background(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    creds = creds_for(auth, clock, cache_dir)
    clock.advance(280)
    gate = threading.Event()
    api.refresh_gate = gate  # hold the refresh until every request went out
    seen = []
    for _ in range(20):
        headers: dict[str, str] = {}
        creds.before_request(headers)
        seen.append(headers["Authorization"])
    assert set(seen) == {"Bearer access-token-0000-secret"}  # the stale token is still used
    background = [t for t in threading.enumerate() if t.name == "cmsdials-token-refresh"]
    assert len(background) == 1
    gate.set()
    background[0].join(5)
    assert api.refreshes == 1
    assert creds.token == api.issued[-1]
    assert creds.token_state is TokenState.FRESH


def test_failed_background_refresh_is_not_retried_per_request(
    auth: AuthClient,
    api: FakeAuthAPI,
    clock: FakeClock,
    cache_dir: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    creds = creds_for(auth, clock, cache_dir)
    api.refresh_status = 400
    clock.advance(280)
    for _ in range(5):
        creds.before_request({})
        for t in threading.enumerate():
            if t.name == "cmsdials-token-refresh":
                t.join(5)
    assert api.refreshes == 1
    assert "background token refresh failed" in caplog.text
    clock.advance(30)  # now expired: the blocking refresh reports the refusal
    with pytest.raises(ImpossibleToRefreshTokenError):
        creds.before_request({})


def test_invalid_token_raises_at_request_time(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    creds = creds_for(auth, clock, cache_dir)
    clock.advance(1801)
    with pytest.raises(ImpossibleToRefreshTokenError) as info:
        creds.before_request({})
    assert "secret" not in str(info.value)
    assert api.refreshes == 0


def test_invalid_token_at_construction_runs_the_device_flow(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    token = make_token(clock)
    clock.advance(1801)
    creds = Credentials.from_authclient_token(token, cache_dir, auth)
    assert creds.token == api.issued[-1]
    assert creds.token_state is TokenState.FRESH
    assert [r.url.path for r in api.requests][:2] == [
        "/api/v1/auth/new-device/",
        "/api/v1/auth/device-token/",
    ]


def test_expired_token_at_construction_is_refreshed(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    token = make_token(clock)
    clock.advance(400)
    creds = Credentials.from_authclient_token(token, cache_dir, auth)
    assert api.refreshes == 1
    assert creds.token == api.issued[-1]


def test_refused_refresh_at_construction_falls_back_to_the_device_flow(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    token = make_token(clock)
    clock.advance(400)
    api.refresh_status = 500  # what DIALS answers for an unknown refresh token
    creds = Credentials.from_authclient_token(token, cache_dir, auth)
    assert api.refreshes == 1
    assert creds.token == api.issued[-1]
    assert any(r.url.path.endswith("/new-device/") for r in api.requests)


def test_refresh_does_not_send_the_old_access_token(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    creds = creds_for(auth, clock, cache_dir)
    clock.advance(301)
    creds.before_request({})
    (refresh,) = [r for r in api.requests if r.url.path.endswith("/refresh-token/")]
    assert "Authorization" not in refresh.headers
    assert json.loads(refresh.content) == {"refresh_token": "refresh-token-0000-secret"}


def test_eight_threads_through_an_expiry_make_one_refresh(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    api.issued.append("access-token-0000-secret")
    creds = creds_for(auth, clock, cache_dir)
    clock.advance(301)
    api.refresh_gate = threading.Event()
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def work(transport: Transport) -> None:
        barrier.wait()
        response = transport.http.get("/api/v1/auth/workspaces/")
        statuses.append(response.status_code)

    mock = httpx.MockTransport(api.handler)
    with Transport("http://dials.test/", auth=creds, http_transport=mock) as transport:
        threads = [threading.Thread(target=work, args=(transport,)) for _ in range(8)]
        for t in threads:
            t.start()
        threading.Timer(0.2, api.refresh_gate.set).start()
        for t in threads:
            t.join(10)
    assert statuses == [200] * 8
    assert api.refreshes == 1
    data = [r for r in api.requests if r.url.path.endswith("/workspaces/")]
    assert {r.headers["Authorization"] for r in data} == {f"Bearer {api.issued[-1]}"}


def test_on_rejected_refreshes_once_for_many_threads(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    api.issued.append("access-token-0000-secret")
    creds = creds_for(auth, clock, cache_dir)
    api.issued.append("revoked-on-the-server")  # the server no longer takes ours
    barrier = threading.Barrier(8)
    results: list[object] = []

    def work(transport: Transport) -> None:
        barrier.wait()
        results.append(transport.send(lambda: transport.http.get("/api/v1/auth/workspaces/")))

    mock = httpx.MockTransport(api.handler)
    with Transport("http://dials.test/", auth=creds, http_transport=mock) as transport:
        threads = [threading.Thread(target=work, args=(transport,)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
    assert len(results) == 8
    assert api.refreshes == 1


def test_a_rejected_token_whose_refresh_is_refused_asks_to_log_in_again(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    creds = creds_for(auth, clock, cache_dir)
    api.issued.append("revoked-on-the-server")
    api.refresh_status = 403
    mock = httpx.MockTransport(api.handler)
    with Transport("http://dials.test/", auth=creds, http_transport=mock) as transport:
        with pytest.raises(ImpossibleToRefreshTokenError, match="log in again"):
            transport.send(lambda: transport.http.get("/api/v1/auth/workspaces/"))
    assert api.refreshes == 1


def test_one_renewal_and_one_retry_then_the_403(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    creds = creds_for(auth, clock, cache_dir)
    api.issued.append("nothing-we-hold")  # every token of ours is refused, also the new one
    real = api._token

    def token() -> dict[str, object]:
        answer = real()
        api.issued.append("still-not-ours")
        return answer

    api._token = token  # type: ignore[method-assign]
    mock = httpx.MockTransport(api.handler)
    with Transport("http://dials.test/", auth=creds, http_transport=mock) as transport:
        with pytest.raises(PermissionDeniedError):
            transport.send(lambda: transport.http.get("/api/v1/auth/workspaces/"))
    assert api.refreshes == 1
    data = [r for r in api.requests if r.url.path.endswith("/workspaces/")]
    assert len(data) == 2


def test_repr_and_str_hide_the_tokens(auth: AuthClient, clock: FakeClock, cache_dir: str) -> None:
    creds = creds_for(auth, clock, cache_dir)
    for text in (repr(creds), str(creds)):
        assert "secret" not in text
        assert "FRESH" in text


def test_works_as_the_auth_of_an_httpx_client(
    api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    auth = mock_auth_client(api, clock)
    api.issued.append("access-token-0000-secret")
    creds = creds_for(auth, clock, cache_dir)
    with httpx.Client(transport=httpx.MockTransport(api.handler), auth=creds) as http:
        assert http.get("http://dials.test/api/v1/auth/workspaces/").status_code == 200
        clock.advance(600)
        assert http.get("http://dials.test/api/v1/auth/workspaces/").status_code == 200
    assert api.refreshes == 1


def test_a_user_subclass_of_base_credentials_plugs_in(clock: FakeClock) -> None:
    """Custom credentials written against the classic base class: apply + refresh."""
    from cmsdials.auth._base import BaseCredentials

    class Rotating(BaseCredentials):
        def __init__(self) -> None:
            super().__init__(clock=clock)
            self.refreshes = 0
            self.refresh()

        def refresh(self) -> None:
            self.refreshes += 1
            self.token = f"rotating-{self.refreshes}"
            self.expires_in = 60
            self.expires_at = clock() + timedelta(seconds=60)

        def apply(self, headers: Any) -> None:
            headers["X-Custom"] = str(self.token)

    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["X-Custom"])
        return httpx.Response(200, json={})

    creds = Rotating()
    with Transport(
        "http://dials.test/", auth=creds, http_transport=httpx.MockTransport(handler)
    ) as t:
        t.http.get("/api/v1/run/")
        clock.advance(61)
        t.http.get("/api/v1/run/")
    assert seen == ["rotating-1", "rotating-2"]
