"""AuthClient and the device flow against a scripted auth API (no real waiting)."""

from __future__ import annotations

import sys
import threading
import types
from datetime import timedelta
from typing import Any

import pytest
from auth_helpers import FakeAuthAPI, FakeClock, FakeSleep

from cmsdials.auth import client as client_module
from cmsdials.auth.client import AuthClient
from cmsdials.auth.exceptions import (
    AuthError,
    DeviceCodeExpiredError,
    KeycloakError,
    PendingAuthorizationError,
    SlowDownError,
)
from cmsdials.exceptions import DialsError


def test_classic_attributes() -> None:
    with AuthClient() as auth:
        assert auth.base_url == "https://cmsdials-api.web.cern.ch/"
        assert auth.api_url == "https://cmsdials-api.web.cern.ch/api/v1/"
    with AuthClient("http://localhost:8000", "api", "v1") as auth:
        assert auth.api_url == "http://localhost:8000/api/v1/"


def test_errors_are_in_the_one_hierarchy() -> None:
    assert issubclass(SlowDownError, PendingAuthorizationError)
    assert issubclass(PendingAuthorizationError, AuthError)
    assert issubclass(DeviceCodeExpiredError, DialsError)


def test_new_device(auth: AuthClient) -> None:
    device = auth.new_device()
    assert device.device_code == "device-code-secret"
    assert device.expires_in == 600


def test_device_token_pending_slow_down_expired_and_other_errors(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock
) -> None:
    api.poll_answers = ["authorization_pending", "slow_down", "expired_token", "invalid_grant"]
    with pytest.raises(PendingAuthorizationError) as pending:
        auth.device_token("device-code-secret")
    assert not isinstance(pending.value, SlowDownError)
    with pytest.raises(SlowDownError):
        auth.device_token("device-code-secret")
    with pytest.raises(DeviceCodeExpiredError):
        auth.device_token("device-code-secret")
    with pytest.raises(KeycloakError) as other:
        auth.device_token("device-code-secret")
    assert other.value.error == "invalid_grant"
    assert other.value.status == 400
    token = auth.device_token("device-code-secret")
    assert token.expires_at == clock() + timedelta(seconds=300)
    assert token.refresh_expires_at == clock() + timedelta(seconds=1800)


def test_flow_polls_until_authorized(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    api.poll_answers = ["authorization_pending", "authorization_pending"]
    sleep = FakeSleep(clock)
    token = auth.device_auth_flow(interval=0.5, sleep=sleep)
    assert token.access_token == api.issued[-1]
    assert sleep.waits == [0.5, 0.5, 0.5]
    polls = [r for r in api.requests if r.url.path.endswith("/device-token/")]
    assert len(polls) == 3
    err = capsys.readouterr().err
    assert "https://auth.example/device?user_code=ABCD-EFGH" in err
    assert "device-code-secret" not in err


def test_slow_down_adds_five_seconds_to_the_interval(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock
) -> None:
    api.poll_answers = ["authorization_pending", "slow_down", "authorization_pending", "slow_down"]
    sleep = FakeSleep(clock)
    auth.device_auth_flow(interval=1.0, sleep=sleep)
    assert sleep.waits == [1.0, 1.0, 6.0, 6.0, 11.0]


def test_default_interval_is_five_seconds_and_sleep_is_injectable(
    api: FakeAuthAPI, clock: FakeClock
) -> None:
    from auth_helpers import mock_auth_client

    auth = mock_auth_client(api, clock)
    api.poll_answers = ["authorization_pending"]
    auth.device_auth_flow()
    assert isinstance(auth.sleep, FakeSleep)
    assert auth.sleep.waits == [5.0, 5.0]


def test_flow_stops_when_the_device_code_expires_locally(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock
) -> None:
    api.device_expires_in = 12
    api.poll_answers = ["authorization_pending"] * 100
    sleep = FakeSleep(clock)
    with pytest.raises(DeviceCodeExpiredError, match="expired"):
        auth.device_auth_flow(interval=5, sleep=sleep)
    assert sum(sleep.waits) == 15
    assert len([r for r in api.requests if r.url.path.endswith("/device-token/")]) == 2


def test_flow_stops_when_the_server_says_the_code_expired(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock
) -> None:
    api.poll_answers = ["authorization_pending", "expired_token"]
    with pytest.raises(DeviceCodeExpiredError):
        auth.device_auth_flow(interval=1, sleep=FakeSleep(clock))


def test_ctrl_c_interrupts_cleanly(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="cmsdials.auth.client")
    api.poll_answers = ["authorization_pending"] * 100
    calls = 0

    def sleep(seconds: float) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt

    threads_before = set(threading.enumerate())
    with pytest.raises(KeyboardInterrupt):
        auth.device_auth_flow(interval=1, sleep=sleep)
    assert set(threading.enumerate()) == threads_before
    assert "interrupted" in caplog.text


def test_url_is_logged_too(
    auth: AuthClient, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="cmsdials.auth.client")
    auth.device_auth_flow(interval=1, sleep=FakeSleep(clock))
    assert "https://auth.example/device?user_code=ABCD-EFGH" in caplog.text


def test_in_a_notebook_the_url_is_displayed_as_a_link(
    auth: AuthClient,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shown: list[Any] = []

    class Shell:
        config = {"IPKernelApp": {}}

    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: Shell()  # type: ignore[attr-defined]
    display_module = types.ModuleType("IPython.display")
    display_module.display = shown.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", display_module)

    auth.device_auth_flow(interval=1, sleep=FakeSleep(clock))
    (link,) = shown
    html = link._repr_html_()
    assert '<a href="https://auth.example/device?user_code=ABCD-EFGH"' in html
    assert "https://auth.example/device?user_code=ABCD-EFGH" in repr(link)
    assert "auth.example" not in capsys.readouterr().err


def test_in_plain_ipython_the_url_goes_to_stderr(
    auth: AuthClient,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    auth.device_auth_flow(interval=1, sleep=FakeSleep(clock))
    assert "auth.example" in capsys.readouterr().err


def test_refresh_token(auth: AuthClient, api: FakeAuthAPI, clock: FakeClock) -> None:
    token = auth.refresh_token("Bearer", "old-access", "refresh-token-0000-secret")
    assert token.access_token == api.issued[-1]
    assert token.expires_at == clock() + timedelta(seconds=300)


def test_the_module_exposes_the_display_hook() -> None:
    assert callable(client_module.show_verification_url)
