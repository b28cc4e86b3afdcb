"""The classic's 403 stays a 403 when renewing the token fails (issue 22, item 2).

DIALS refuses a bearer token (401/403); the credentials renew it once in their
``auth_flow``; when that renewal fails (the refresh token refused, Keycloak
down or answering 5xx) the error is both DIALS's HTTP error, with the classic's
first line, and the auth error of the renewal, which is its ``__cause__``.
Against the local DIALS and its realm, over real sockets.
"""

from __future__ import annotations

import pickle
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from auth_helpers import FakeClock, Session, classic_env_python, make_token

from cmsdials import Dials
from cmsdials.auth.client import AuthClient
from cmsdials.auth.client_credentials import Credentials as ClientCredentials
from cmsdials.auth.device import Credentials
from cmsdials.auth.exceptions import KeycloakError, KeycloakUnreachableError
from cmsdials.exceptions import (
    AuthError,
    DialsHTTPError,
    ImpossibleToRefreshTokenError,
    PermissionDeniedError,
    TokenRenewalFailedError,
)

RUNS = "/api/v1/run/"
NOWHERE = "http://127.0.0.1:9/auth/"  # nothing listens: Keycloak is down


def runs(creds: Any, srv: Any) -> None:
    with Dials(creds, base_url=srv.base_url, workspace="tracker") as dials:
        dials.run.list()


def person(session: Session, tmp_path: Path, auth: AuthClient) -> Credentials:
    return Credentials.from_authclient_token(session.keycloak_token(), str(tmp_path), auth)


def refresh_token_refused(session: Session, tmp_path: Path) -> Any:
    """Keycloak logged the person out: DIALS refuses the token, the refresh is refused."""
    with session.keycloak_client() as auth:
        creds = person(session, tmp_path, auth)
        session.srv.revoke_refresh_tokens()
        runs(creds, session.srv)


def keycloak_answers_503(session: Session, tmp_path: Path) -> Any:
    with session.keycloak_client() as auth:
        creds = person(session, tmp_path, auth)
        session.srv.faults.inject("expire_token", route=f"^{RUNS}")
        session.srv.faults.inject("status", route="openid-connect/token", status=503)
        runs(creds, session.srv)


def keycloak_down(session: Session, tmp_path: Path) -> Any:
    with AuthClient(keycloak_url=NOWHERE, clock=session.clock, retries=0) as auth:
        creds = person(session, tmp_path, auth)
        session.srv.faults.inject("expire_token", route=f"^{RUNS}")
        runs(creds, session.srv)


def application_token_refused_keycloak_503(session: Session, tmp_path: Path) -> Any:
    """Client credentials: the application's token is renewed at api-access, which fails."""
    with session.keycloak_client() as auth:
        creds = ClientCredentials(session.srv.client_id, session.srv.client_secret, auth)
        session.srv.faults.inject("expire_token", route=f"^{RUNS}")
        session.srv.faults.inject("status", route="api-access", status=503)
        runs(creds, session.srv)


CASES: list[tuple[Callable[[Session, Path], Any], type[AuthError], str]] = [
    (refresh_token_refused, ImpossibleToRefreshTokenError, "log in again"),
    (keycloak_answers_503, KeycloakError, "try again later"),
    (keycloak_down, KeycloakUnreachableError, "keycloak_url, then try again"),
    (application_token_refused_keycloak_503, KeycloakError, "try again later"),
]


@pytest.mark.parametrize(("scenario", "auth_error", "advice"), CASES)
def test_a_failed_renewal_after_a_403_is_the_403_and_the_auth_error(
    session: Session,
    tmp_path: Path,
    scenario: Callable[[Session, Path], Any],
    auth_error: type[AuthError],
    advice: str,
) -> None:
    with pytest.raises(requests.exceptions.HTTPError) as info:
        scenario(session, tmp_path)
    error = info.value
    # the HTTP error DIALS answered, as the classic raised it
    assert isinstance(error, PermissionDeniedError) and isinstance(error, DialsHTTPError)
    first, *rest = str(error).splitlines()
    assert first.startswith(f"403 Client Error: Forbidden for url: {session.srv.base_url}")
    assert RUNS in first
    assert error.status_code == 403 and error.response.status_code == 403
    # the auth error it is, also its cause
    assert isinstance(error, TokenRenewalFailedError) and isinstance(error, auth_error)
    assert error.renewal_error is type(error.__cause__)
    assert isinstance(error.__cause__, auth_error)
    assert not isinstance(error.__cause__, DialsHTTPError)
    assert error.__cause__.__traceback__ is None  # a short traceback: the message says it all
    # what happened and what to do
    assert rest and "renewing it failed" in rest[0] and advice in rest[0]
    assert str(error.__cause__) in rest[0]
    # DIALS was asked once: no second attempt without a new token
    assert [r.status for r in session.requests() if r.path == RUNS] == [403]
    # it pickles as what it is
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error)
    assert again.url == error.url and getattr(again, "status", None) == getattr(
        error, "status", None
    )


def test_keycloak_attributes_are_kept_and_dials_ones_win(session: Session, tmp_path: Path) -> None:
    with pytest.raises(KeycloakError) as info:
        keycloak_answers_503(session, tmp_path)
    error = info.value
    assert error.status == 503  # Keycloak's answer to the renewal
    assert isinstance(error, DialsHTTPError)
    assert error.status_code == 403  # DIALS's answer to the request
    assert error.method == "GET" and RUNS in error.url


def test_a_token_renewed_elsewhere_is_not_a_failure(session: Session, tmp_path: Path) -> None:
    """The renewal succeeds: no error, the request is sent again (the existing behaviour)."""
    with session.keycloak_client() as auth:
        creds = person(session, tmp_path, auth)
        session.srv.faults.inject("expire_token", route=f"^{RUNS}")
        runs(creds, session.srv)
    assert [r.status for r in session.requests() if r.path == RUNS] == [403, 200]


CLASSIC = """
import sys, warnings
from datetime import datetime, timedelta
warnings.simplefilter("ignore")
from requests.exceptions import HTTPError
from cmsdials import Dials
from cmsdials.auth.client import AuthClient
from cmsdials.auth.device import Credentials

keycloak_url, base_url = sys.argv[1:3]
now = datetime.now()
creds = Credentials(
    token="not-a-valid-access-token", expires_at=now + timedelta(seconds=300), expires_in=300,
    refresh_expires_at=now + timedelta(seconds=1800), refresh_expires_in=1800,
    refresh_token="not-a-valid-refresh-token", token_type="Bearer",
    client=AuthClient(keycloak_url=keycloak_url),
)
try:
    Dials(creds, base_url=base_url, workspace="tracker").run.list()
except HTTPError as exc:
    print(str(exc))
"""


def test_the_first_line_is_the_real_classic_2_4_1_one(session: Session, tmp_path: Path) -> None:
    """A token DIALS refuses whose refresh token Keycloak refuses too (the classic's
    ``test_bearer_fail``): the real 2.4.1 raises requests' HTTPError; so do we, same line."""
    srv = session.srv
    done = subprocess.run(
        [classic_env_python("2.4.1"), "-c", CLASSIC, srv.keycloak_url, srv.base_url],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # not the repository, whose cmsdials would shadow the classic
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    classic_line = done.stdout.splitlines()[0]
    assert classic_line == f"403 Client Error: Forbidden for url: {srv.base_url}api/v1/run/"

    bogus = make_token(FakeClock())  # neither DIALS nor the realm know these tokens
    with AuthClient(keycloak_url=srv.keycloak_url) as auth:
        creds = Credentials.from_authclient_token(bogus, str(tmp_path), auth)
        with pytest.raises(requests.exceptions.HTTPError) as info:
            runs(creds, srv)
    assert str(info.value).splitlines()[0].startswith(classic_line)
    assert isinstance(info.value, ImpossibleToRefreshTokenError)


def test_a_401_then_a_failed_renewal_is_the_401(session: Session, tmp_path: Path) -> None:
    with session.keycloak_client() as auth:
        creds = person(session, tmp_path, auth)
        session.srv.faults.inject("status", route=f"^{RUNS}", status=401)
        session.srv.faults.inject("status", route="openid-connect/token", status=502)
        with pytest.raises(PermissionDeniedError) as info:
            runs(creds, session.srv)
    first = str(info.value).splitlines()[0]
    assert first.startswith(f"401 Client Error: Unauthorized for url: {session.srv.base_url}")
    assert isinstance(info.value, KeycloakError) and info.value.status == 502
    assert [r.status for r in session.requests() if r.path == RUNS] == [401]
