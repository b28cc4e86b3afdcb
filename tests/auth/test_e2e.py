"""Authentication end to end, over real sockets, against the local DIALS server.

Time is moved, never waited for: the server's clock (``srv.clock``) and the
client's (a :class:`FakeClock`) are advanced together; the device flow's sleep
is a fake that also plays the person who approves the device.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from auth_helpers import (
    DEVICE_TOKEN,
    REFRESH,
    WORKSPACES,
    Session,
    in_threads,
    list_workspaces,
    workspaces,
)

from cmsdials.auth._base import TokenState
from cmsdials.auth.client import AuthClient
from cmsdials.auth.device import Credentials
from cmsdials.auth.exceptions import DeviceCodeExpiredError, ImpossibleToRefreshTokenError
from cmsdials.auth.models import Device
from cmsdials.auth.secret_key import Credentials as SecretKeyCredentials
from cmsdials.exceptions import PermissionDeniedError
from cmsdials.transport import Transport

# -- secret key ---------------------------------------------------------------------------


def test_secret_key_success(srv: Any) -> None:
    result = workspaces(SecretKeyCredentials(token=srv.secret), srv.base_url)
    assert "tracker" in result["workspaces"]


def test_secret_key_rejected_with_403_without_the_secret(srv: Any) -> None:
    wrong = "wrong-secret-" + "x" * 20
    with pytest.raises(PermissionDeniedError) as info:
        workspaces(SecretKeyCredentials(token=wrong), srv.base_url)
    assert info.value.status_code == 403
    for text in (str(info.value), repr(info.value), info.value.body):
        assert wrong not in text
        assert srv.secret not in text


# -- device flow ----------------------------------------------------------------------------


def test_device_flow_pending_twice_then_authorized(
    session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    with session.auth_client() as auth:
        token = auth.device_auth_flow(interval=0.01)
    assert session.waits == [0.01, 0.01, 0.01]
    assert [r.status for r in session.requests(DEVICE_TOKEN)] == [400, 400, 200]
    assert token.expires_at == session.clock() + timedelta(seconds=token.expires_in)
    assert session.devices[-1].verification_uri_complete in capsys.readouterr().err
    creds = Credentials.from_authclient_token(token, None, auth)
    assert "tracker" in workspaces(creds, session.srv.base_url)["workspaces"]


def test_device_flow_slow_down_adds_five_seconds(session: Session) -> None:
    session.approve_after = 3
    with session.auth_client() as auth:
        original = auth.new_device

        def new_device() -> Device:
            device = original()
            session.srv.slow_down_device(device.device_code, times=1)
            return device

        auth.new_device = new_device  # type: ignore[method-assign]
        auth.device_auth_flow(interval=0.01)
    assert session.waits == pytest.approx([0.01, 5.01, 5.01, 5.01])
    codes = [r.status for r in session.requests(DEVICE_TOKEN)]
    assert codes == [400, 400, 400, 200]


def test_device_flow_expired_device_code_from_the_server(session: Session) -> None:
    session.approve_after = 100

    def sleep(seconds: float) -> None:
        session.waits.append(seconds)
        if len(session.waits) == 2:
            session.srv.clock.advance(601)  # only the server's clock: its answer decides

    with AuthClient(
        session.srv.base_url, clock=session.clock, sleep=sleep, interactive=True
    ) as auth:
        with pytest.raises(DeviceCodeExpiredError):
            auth.device_auth_flow(interval=0.01)
    assert len(session.requests(DEVICE_TOKEN)) == 2


def test_device_flow_expired_device_code_on_the_client_clock(session: Session) -> None:
    session.approve_after = 100

    def sleep(seconds: float) -> None:
        session.waits.append(seconds)
        session.advance(seconds)

    with AuthClient(
        session.srv.base_url, clock=session.clock, sleep=sleep, interactive=True
    ) as auth:
        with pytest.raises(DeviceCodeExpiredError):
            auth.device_auth_flow(interval=200)
    assert len(session.requests(DEVICE_TOKEN)) == 2  # at 200 s and 400 s; 600 s is too late


# -- bearer credentials ---------------------------------------------------------------------


def test_bearer_from_the_flow_then_from_the_cache_file(session: Session, tmp_path: Any) -> None:
    cache = str(tmp_path / "cache")
    with session.auth_client() as auth:
        first = Credentials.from_creds_file(cache, auth)
        assert len(session.requests(DEVICE_TOKEN)) == 3
        second = Credentials.from_creds_file(cache, auth)
    assert second.token == first.token
    assert len(session.requests(DEVICE_TOKEN)) == 3  # no new flow
    assert "tracker" in workspaces(second, session.srv.base_url)["workspaces"]


def test_stale_expired_invalid_transitions(session: Session, tmp_path: Any) -> None:
    cache = str(tmp_path / "cache")
    with session.auth_client() as auth:
        creds = Credentials.from_authclient_token(session.token(), cache, auth)
        with Transport(session.srv.base_url, auth=creds) as transport:
            assert creds.token_state is TokenState.FRESH
            list_workspaces(transport)
            assert session.requests(REFRESH) == []

            session.advance(280)  # stale: used, renewed in the background
            assert creds.token_state is TokenState.STALE
            stale_token = creds.token
            list_workspaces(transport)
            for t in threading.enumerate():
                if t.name == "cmsdials-token-refresh":
                    t.join(10)
            assert len(session.requests(REFRESH)) == 1
            assert creds.token != stale_token
            assert creds.token_state is TokenState.FRESH

            session.advance(301)  # expired: renewed before the request
            assert creds.token_state is TokenState.EXPIRED
            list_workspaces(transport)
            assert len(session.requests(REFRESH)) == 2
            assert creds.token_state is TokenState.FRESH

            session.advance(1801)  # refresh token expired too
            assert creds.token_state is TokenState.INVALID
            with pytest.raises(ImpossibleToRefreshTokenError):
                list_workspaces(transport)
            assert len(session.requests(REFRESH)) == 2
    statuses = [r.status for r in session.requests(WORKSPACES)]
    assert statuses == [200, 200, 200]


def test_invalid_cached_token_runs_the_device_flow_again(session: Session, tmp_path: Any) -> None:
    cache = str(tmp_path / "cache")
    with session.auth_client() as auth:
        Credentials.from_authclient_token(session.token(), cache, auth)
        session.advance(1801)
        creds = Credentials.from_creds_file(cache, auth)
    assert creds.token_state is TokenState.FRESH
    assert [r.status for r in session.requests(DEVICE_TOKEN)] == [400, 400, 200]


def test_token_rejected_by_the_server_is_renewed_once(session: Session, tmp_path: Any) -> None:
    with session.auth_client() as auth:
        creds = Credentials.from_authclient_token(session.token(), str(tmp_path), auth)
        session.srv.faults.inject("expire_token", route="workspaces")
        result = workspaces(creds, session.srv.base_url)
    assert "tracker" in result["workspaces"]
    assert [r.status for r in session.requests(WORKSPACES)] == [403, 200]
    assert len(session.requests(REFRESH)) == 1


def test_eight_threads_through_an_expiry_make_one_refresh(session: Session, tmp_path: Any) -> None:
    n_threads, per_thread = 8, 5
    with session.auth_client() as auth:
        creds = Credentials.from_authclient_token(session.token(), str(tmp_path), auth)
        with Transport(session.srv.base_url, auth=creds) as transport:
            list_workspaces(transport)
            session.advance(301)

            def work() -> None:
                for _ in range(per_thread):
                    list_workspaces(transport)

            errors = in_threads(n_threads, work)
    assert errors == []
    assert len(session.requests(REFRESH)) == 1
    data = session.requests(WORKSPACES)
    assert len(data) == 1 + n_threads * per_thread
    assert all(r.status == 200 for r in data)  # no request left with the expired token
    after = {_authorization(r) for r in data[1:]}
    assert after == {f"Bearer {creds.token}"}


def test_eight_threads_sharing_one_dials_through_an_expiry(session: Session, tmp_path: Any) -> None:
    from cmsdials import Dials

    n_threads = 8
    with session.auth_client() as auth:
        creds = Credentials.from_authclient_token(session.token(), str(tmp_path), auth)
        with Dials(creds, workspace="tracker", base_url=session.srv.base_url) as dials:
            dials.run.list()
            session.advance(301)

            def work() -> None:
                for _ in range(3):
                    dials.run.list()

            errors = in_threads(n_threads, work)
    assert errors == []
    assert len(session.requests(REFRESH)) == 1
    data = [r for r in session.requests() if r.path.startswith("/api/v1/run/")]
    assert len(data) == 1 + 3 * n_threads
    assert all(r.status == 200 for r in data)
    assert {_authorization(r) for r in data[1:]} == {f"Bearer {creds.token}"}


def test_classic_readme_examples(session: Session, tmp_path: Any, monkeypatch: Any) -> None:
    """The classic README's auth snippets, pointed at the local server."""
    from cmsdials import Dials

    monkeypatch.chdir(tmp_path)
    base_url = session.srv.base_url
    with Dials(SecretKeyCredentials(token=session.srv.secret), base_url=base_url) as dials:
        assert dials.run.list().results

    auth = AuthClient(base_url=base_url, clock=session.clock, sleep=session.sleep, interactive=True)
    token = auth.device_auth_flow()
    creds = Credentials.from_authclient_token(token, client=auth)
    with Dials(creds, base_url=base_url, workspace="tracker") as dials:
        assert dials.run.list().results
    assert (tmp_path / ".cache" / "creds").is_file()

    creds = Credentials.from_creds_file(cache_dir=".cache", client=auth)
    with Dials(creds, base_url=base_url) as dials:
        assert dials.run.list().results
    assert len(session.requests(DEVICE_TOKEN)) == 3  # one flow only
    auth.close()


def _authorization(request: Any) -> str:
    return str({k.lower(): v for k, v in dict(request.headers).items()}["authorization"])
