"""Helpers of the auth tests: a controllable clock, and a scripted DIALS auth API.

``FakeAuthAPI`` answers the three auth routes from an ``httpx.MockTransport``
for unit tests where a real server adds nothing; the end-to-end tests use the
local DIALS server (``cmsdials.testing``).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from datetime import datetime, timedelta
from typing import Any

import httpx

from cmsdials.adapter import api
from cmsdials.auth.client import AuthClient
from cmsdials.auth.models import Device, Token
from cmsdials.transport import Transport

DEVICE_TOKEN = "/api/v1/auth/device-token/"
REFRESH = "/api/v1/auth/refresh-token/"
WORKSPACES = "/api/v1/workspaces/"

START = datetime(2030, 1, 1, 12, 0, 0)


class FakeClock:
    """A clock that moves only when told to (thread-safe)."""

    def __init__(self, start: datetime = START) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)


class FakeSleep:
    """A sleep that records the waits and moves the clock instead of waiting."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds)


class FakeAuthAPI:
    """DIALS's auth routes, scripted: ``pending`` answers then a token, refreshes counted."""

    def __init__(self, *, expires_in: int = 300, refresh_expires_in: int = 1800) -> None:
        self.expires_in = expires_in
        self.refresh_expires_in = refresh_expires_in
        self.device_expires_in = 600
        self.poll_answers: list[str] = []  # codes answered before the token
        self.refresh_status = 200
        self.requests: list[httpx.Request] = []
        self.refreshes = 0
        self.issued: list[str] = []
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self.refresh_gate: threading.Event | None = None

    def _token(self) -> dict[str, object]:
        n = next(self._counter)
        access = f"access-token-{n:04d}-secret"
        self.issued.append(access)
        return {
            "access_token": access,
            "expires_in": self.expires_in,
            "refresh_expires_in": self.refresh_expires_in,
            "refresh_token": f"refresh-token-{n:04d}-secret",
            "token_type": "Bearer",
            "scope": "openid",
            "session_state": "s",
        }

    def handler(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
        path = request.url.path
        if path.endswith("/auth/new-device/"):
            return httpx.Response(
                200,
                json={
                    "device_code": "device-code-secret",
                    "verification_uri_complete": "https://auth.example/device?user_code=ABCD-EFGH",
                    "expires_in": self.device_expires_in,
                },
            )
        if path.endswith("/auth/device-token/"):
            if self.poll_answers:
                code = self.poll_answers.pop(0)
                return httpx.Response(400, json={"detail": f"answer {code}", "code": code})
            return httpx.Response(200, json=self._token())
        if path.endswith("/auth/refresh-token/"):
            if self.refresh_gate is not None:
                self.refresh_gate.wait(5)
            with self._lock:
                self.refreshes += 1
                if self.refresh_status != 200:
                    return httpx.Response(self.refresh_status, text="<html>error</html>")
                return httpx.Response(200, json=self._token())
        # any other route: a data route that wants a valid bearer token
        auth = request.headers.get("Authorization", "")
        if self.issued and auth == f"Bearer {self.issued[-1]}":
            return httpx.Response(200, json={"workspaces": ["tracker"]})
        return httpx.Response(403, json={"detail": "Token is invalid or expired"})


def mock_auth_client(api: FakeAuthAPI, clock: FakeClock) -> AuthClient:
    return AuthClient(
        "http://dials.test/",
        clock=clock,
        sleep=FakeSleep(clock),
        http_transport=httpx.MockTransport(api.handler),
        interactive=True,
    )


def make_token(clock: FakeClock, expires_in: int = 300, refresh_expires_in: int = 1800) -> Token:
    now = clock()
    return Token(
        access_token="access-token-0000-secret",
        expires_in=expires_in,
        refresh_expires_in=refresh_expires_in,
        refresh_token="refresh-token-0000-secret",
        token_type="Bearer",
        expires_at=now + timedelta(seconds=expires_in),
        refresh_expires_at=now + timedelta(seconds=refresh_expires_in),
    )


def read_json(path: str) -> dict[str, object]:
    with open(path) as handle:
        data: dict[str, object] = json.load(handle)
    return data


class Session:
    """One test's view of the shared server: its clock, its requests, the person."""

    def __init__(self, srv: Any) -> None:
        self.srv = srv
        self.start = len(srv.requests)
        self.clock = FakeClock(datetime.now())
        self.devices: list[Device] = []
        self.waits: list[float] = []
        self.approve_after = 2  # polls answered "pending" before the person approves

    def requests(self, path: str | None = None) -> list[Any]:
        seen = list(self.srv.requests)[self.start :]
        return [r for r in seen if path is None or r.path == path]

    def advance(self, seconds: float) -> None:
        """Both clocks, client and server."""
        self.clock.advance(seconds)
        self.srv.clock.advance(seconds)

    def sleep(self, seconds: float) -> None:
        """The flow's wait; the person approves before poll ``approve_after + 1``."""
        self.waits.append(seconds)
        if len(self.waits) == self.approve_after + 1 and self.devices:
            user_code = re.search(
                r"user_code=([A-Z-]+)", self.devices[-1].verification_uri_complete
            )
            assert user_code is not None
            self.srv.approve_device(user_code.group(1))

    def auth_client(self, **kwargs: Any) -> AuthClient:
        """DIALS v1.12's own device routes (the 2.1 form ``AuthClient(base_url=...)``)."""
        options: dict[str, Any] = {"clock": self.clock, "sleep": self.sleep, "interactive": True}
        return AuthClient(self.srv.base_url, **{**options, **kwargs})

    def keycloak_client(self, **kwargs: Any) -> AuthClient:
        """The local Keycloak realm (as production DIALS takes tokens)."""
        options: dict[str, Any] = {"clock": self.clock, "sleep": self.sleep, "interactive": True}
        return AuthClient(keycloak_url=self.srv.keycloak_url, **{**options, **kwargs})

    def keycloak_token(self, expires_in: int = 300, refresh_expires_in: int = 1800) -> Token:
        """A token as a Keycloak login gives it (public refresh token), stamped by the client."""
        answer = self.srv.issue_token(
            expires_in=expires_in,
            refresh_expires_in=refresh_expires_in,
            client_id=AuthClient.PRODUCTION_CLIENT_ID,
        )
        return Token.stamped(answer, self.clock())

    def token(self, expires_in: int = 300, refresh_expires_in: int = 1800) -> Token:
        """A token the server issued now, stamped by the client clock."""
        answer = self.srv.issue_token(expires_in=expires_in, refresh_expires_in=refresh_expires_in)
        now = self.clock()
        return Token.model_validate(
            {
                **answer,
                "expires_at": now + timedelta(seconds=expires_in),
                "refresh_expires_at": now + timedelta(seconds=refresh_expires_in),
            }
        )


def list_workspaces(transport: Transport) -> Any:
    """``GET /api/v1/workspaces/`` through ``transport`` (a route every credential may read)."""
    return transport.request(api().require("workspaces/", what="tests")).json()


def workspaces(creds: Any, base_url: str) -> Any:
    with Transport(base_url, auth=creds) as transport:
        return list_workspaces(transport)


def in_threads(n_threads: int, work: Any) -> list[BaseException]:
    """Run ``work()`` on ``n_threads`` threads released together; the errors they raised."""
    barrier = threading.Barrier(n_threads)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            work()
        except BaseException as exc:  # noqa: BLE001 - returned to the test
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


def classic_env_python(release: str) -> str:
    """A Python with the real cmsdials ``release`` (2.1.0 or 2.4.1) from PyPI.

    The bench's venv of it (``bench/.venvs``, created on first use and reused);
    ``$CMSDIALS_CLASSIC_PYTHON`` stands in for the 2.1.0 one. Skips the test when
    no package index is reachable.
    """
    import os
    import sys
    from pathlib import Path

    import pytest

    given = os.environ.get("CMSDIALS_CLASSIC_PYTHON")
    if given and release == "2.1.0":
        return given
    root = str(Path(__file__).resolve().parents[2])
    if root not in sys.path:
        sys.path.insert(0, root)
    from bench import envs

    impl = {"2.1.0": "classic-2.1.0", "2.4.1": "classic"}[release]
    log = Path(root) / "bench" / "results" / "tmp" / "classic-env.log"
    try:
        env = envs.ensure(envs.classic_env(impl), log)
    except envs.EnvError as exc:  # no package index reachable: nothing to compare with
        pytest.skip(f"cannot install cmsdials=={release}: {exc}")
    return str(env.python)
