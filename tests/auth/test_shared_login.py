"""A login shared by processes through one cache file never logs itself out (issue 22, item 1).

The local realm behaves like Keycloak with "Revoke Refresh Token" on: a rotated
refresh token presented again revokes the whole login. Real processes
(``login_process.py``) share one cache file; the test moves every clock (theirs
and the server's) instead of sleeping.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from auth_helpers import Session
from login_process import ClientClock

from cmsdials import Dials
from cmsdials.auth._cache import read_token, write_token
from cmsdials.auth.device import Credentials
from cmsdials.auth.exceptions import ImpossibleToRefreshTokenError
from cmsdials.auth.models import Token

TOKEN = "/auth/realms/cern/protocol/openid-connect/token"
CHILD = Path(__file__).with_name("login_process.py")
ACCESS_LIFETIME = 300


def fingerprint(token: str | None) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()[:16]


class LoginProcess:
    """A child process holding the shared login in memory (see login_process.py)."""

    def __init__(self, srv: Any, cache_dir: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), srv.keycloak_url, srv.base_url, str(cache_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.last = self._answer()
        assert self.last.get("ready"), self.last

    def _answer(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, f"the login process ended (exit status {self.proc.wait()})"
        answer: dict[str, Any] = json.loads(line)
        self.last = answer
        return answer

    def send(self, **command: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        return self._answer()

    def runs(self) -> dict[str, Any]:
        return self.send(op="runs")

    @property
    def refresh(self) -> str:
        return str(self.last["refresh"])

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
            self.proc.stdin.close()
            self.proc.wait(30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


class SharedLogin:
    """The server, the processes sharing the cache file, and the one clock they all follow."""

    def __init__(self, session: Session, cache_dir: Path) -> None:
        self.session = session
        self.cache_dir = cache_dir
        self.processes: list[LoginProcess] = []
        #: The clock of this (the test's) process: it ticks, as the others' and the server's.
        self.clock = ClientClock()

    def start(self) -> LoginProcess:
        process = LoginProcess(self.session.srv, self.cache_dir)
        self.processes.append(process)
        return process

    def advance(self, seconds: float) -> None:
        self.session.srv.clock.advance(seconds)
        self.clock.advance(seconds)
        for process in self.processes:
            process.send(op="advance", seconds=seconds)

    def cached(self) -> str:
        token = read_token(self.cache_dir / "creds")
        assert token is not None
        return fingerprint(token.refresh_token)

    def refresh_answers(self) -> list[int]:
        """The status of each refresh grant since the test began."""
        return [
            r.status for r in self.session.requests(TOKEN) if b"grant_type=refresh_token" in r.body
        ]

    def data_statuses(self) -> list[int]:
        return [r.status for r in self.session.requests() if r.path.startswith("/api/v1/run/")]


@pytest.fixture
def shared(session: Session, tmp_path: Path) -> Iterator[SharedLogin]:
    """A person's fresh Keycloak login in the cache file, and nobody using it yet."""
    write_token(tmp_path / "creds", session.keycloak_token())
    login = SharedLogin(session, tmp_path)
    try:
        yield login
    finally:
        for process in login.processes:
            process.close()


def assert_ok(answer: dict[str, Any]) -> None:
    assert answer.get("ok"), answer.get("message")


@pytest.mark.parametrize("gap", ["short", "long"])
@pytest.mark.parametrize("first", [0, 1])
def test_two_processes_refresh_one_after_the_other_and_stay_logged_in(
    shared: SharedLogin, first: int, gap: str
) -> None:
    """One process refreshes; the other stays idle (short: until before that new access token
    expires; long: until after), then makes a request; a third refresh follows."""
    processes = [shared.start(), shared.start()]
    one, other = processes[first], processes[1 - first]
    shared.advance(ACCESS_LIFETIME + 1)
    assert_ok(one.runs())  # refreshed: Keycloak rotated the refresh token
    assert shared.refresh_answers() == [200]
    assert shared.cached() == one.refresh
    assert other.refresh != one.refresh  # still the used one, in memory

    shared.advance(ACCESS_LIFETIME // 3 if gap == "short" else ACCESS_LIFETIME + 1)
    assert_ok(other.runs())  # takes the cached token (and refreshes it if it expired too)
    refreshes = 1 if gap == "short" else 2
    assert shared.refresh_answers() == [200] * refreshes
    assert other.refresh == shared.cached()
    assert_ok(one.runs())
    assert one.refresh == other.refresh

    # a third refresh afterwards: the login is alive
    shared.advance(ACCESS_LIFETIME + 1)
    assert_ok(other.runs())
    assert_ok(one.runs())
    assert shared.refresh_answers() == [200] * (refreshes + 1)
    assert one.refresh == other.refresh == shared.cached()
    assert set(shared.data_statuses()) == {200}


def test_a_refresh_between_loading_and_caching_is_not_overwritten(
    shared: SharedLogin, session: Session
) -> None:
    """``from_creds_file`` reads the file, then the constructor caches the token: another
    process that refreshes in between keeps its newer token in the file."""
    loaded: list[str] = []

    class Racing(Credentials):
        @classmethod
        def from_authclient_token(cls, token: Token, *args: Any, **kwargs: Any) -> Credentials:
            loaded.append(fingerprint(token.refresh_token))
            other = shared.start()  # another process, whose token has expired: it refreshes
            other.send(op="advance", seconds=ACCESS_LIFETIME + 1)
            session.srv.clock.advance(ACCESS_LIFETIME + 1)
            assert_ok(other.runs())
            return super().from_authclient_token(token, *args, **kwargs)

    with session.keycloak_client(clock=shared.clock) as auth:
        creds = Racing.from_creds_file(str(shared.cache_dir), auth)
        (other,) = shared.processes
        assert loaded != [other.refresh]  # read before the other process refreshed
        assert shared.cached() == other.refresh  # its newer token was kept ...
        assert fingerprint(creds.refresh_token) == other.refresh  # ... and taken
        shared.clock.advance(ACCESS_LIFETIME + 1)  # now where the other process is
        with Dials(creds, base_url=session.srv.base_url, workspace="tracker") as dials:
            dials.run.list()
            shared.advance(ACCESS_LIFETIME + 1)
            dials.run.list()  # the next refresh, with the newest refresh token
        assert_ok(other.runs())
    assert shared.refresh_answers() == [200, 200]
    assert other.refresh == fingerprint(creds.refresh_token) == shared.cached()
    assert set(shared.data_statuses()) == {200}


# -- what the realm does with a reused refresh token -------------------------------------


def test_a_rotated_refresh_token_presented_again_revokes_the_whole_login(
    session: Session,
) -> None:
    srv = session.srv
    with session.keycloak_client() as auth:
        first = session.keycloak_token()
        second = auth.refresh_token("Bearer", first.access_token, first.refresh_token)
        assert _dials_status(srv, second.access_token) == 200
        with pytest.raises(ImpossibleToRefreshTokenError):  # reused: the login is revoked
            auth.refresh_token("Bearer", first.access_token, first.refresh_token)
        answer = httpx.post(
            srv.keycloak_url + "realms/cern/protocol/openid-connect/token",
            data={
                "grant_type": "refresh_token",
                "client_id": auth.client_id,
                "refresh_token": second.refresh_token,  # the newest: refused too
            },
        )
        assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
        assert _dials_status(srv, second.access_token) == 403  # its access tokens too
        # another login is untouched
        third = session.keycloak_token()
        assert auth.refresh_token("Bearer", third.access_token, third.refresh_token)


def _dials_status(srv: Any, access_token: str) -> int:
    headers = {"Authorization": f"Bearer {access_token}"}
    return httpx.get(srv.base_url + "api/v1/run/", headers=headers).status_code


def test_the_realm_catches_a_client_that_refreshes_with_its_stale_token(
    session: Session, tmp_path: Path
) -> None:
    """The bug of issue 22 (a cached newer token not taken when its access token had
    expired) logs everybody out against this realm: the tests above can fail."""

    class Stale(Credentials):
        def _take_newer_cached_token(self) -> bool:
            return False  # ignores the newer token another process cached

    with session.keycloak_client() as auth:
        one = Credentials.from_authclient_token(session.keycloak_token(), str(tmp_path), auth)
        two = Stale.from_creds_file(str(tmp_path), auth)
        session.advance(ACCESS_LIFETIME + 1)
        with Dials(one, base_url=session.srv.base_url, workspace="tracker") as dials:
            dials.run.list()  # one refreshes and caches the new refresh token
        session.advance(ACCESS_LIFETIME + 1)
        with Dials(two, base_url=session.srv.base_url, workspace="tracker") as dials:
            with pytest.raises(ImpossibleToRefreshTokenError):
                dials.run.list()  # two presents the used refresh token
        with Dials(one, base_url=session.srv.base_url, workspace="tracker") as dials:
            with pytest.raises(ImpossibleToRefreshTokenError):
                dials.run.list()  # and the newest one is refused too: everybody is out
