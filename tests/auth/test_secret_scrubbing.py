"""No token, refresh token, device code or secret in any log line, repr, str or error text.

Everything cmsdials, httpx and httpcore log is captured at DEBUG on the root
logger while credentials go through their whole life against the local server;
then every secret that crossed the wire is searched for in the logs, stderr,
warnings, reprs and exception texts.
"""

from __future__ import annotations

import logging
import threading
import warnings
from pathlib import Path
from typing import Any

import pytest
from auth_helpers import REFRESH, Session, list_workspaces, workspaces

from cmsdials.auth.device import Credentials
from cmsdials.auth.exceptions import ImpossibleToRefreshTokenError
from cmsdials.auth.secret_key import Credentials as SecretKeyCredentials
from cmsdials.exceptions import DialsError
from cmsdials.transport import Transport


def test_no_secret_anywhere(
    session: Session,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: httpx, httpcore, cmsdials, ...
    for name in ("httpx", "httpcore", "cmsdials"):
        assert logging.getLogger(name).getEffectiveLevel() == logging.DEBUG

    secrets: set[str] = {session.srv.secret}
    texts: list[str] = []
    errors: list[BaseException] = []

    def remember(creds: Credentials) -> None:
        secrets.update(value for value in (creds.token, creds.refresh_token) if value)
        texts.extend([repr(creds), str(creds), repr(creds._token), str(creds._token)])

    cache = str(tmp_path / "cache")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with session.auth_client() as auth:
            texts.append(repr(auth))
            # a corrupt cache file, then the device flow
            (tmp_path / "cache").mkdir()
            (tmp_path / "cache" / "creds").write_text('{"access_token": "trunc')
            creds = Credentials.from_creds_file(cache, auth)
            remember(creds)
            with Transport(session.srv.base_url, auth=creds) as transport:
                texts.append(repr(transport))
                list_workspaces(transport)
                session.advance(280)  # stale: background refresh
                list_workspaces(transport)
                for t in threading.enumerate():
                    if t.name == "cmsdials-token-refresh":
                        t.join(10)
                remember(creds)
                session.advance(301)  # expired: blocking refresh
                list_workspaces(transport)
                remember(creds)
                session.srv.faults.inject("expire_token", route="workspaces")
                list_workspaces(transport)  # 403, renewed, sent again
                remember(creds)
                session.advance(1801)
                try:
                    list_workspaces(transport)
                except ImpossibleToRefreshTokenError as exc:
                    errors.append(exc)
            # a refresh the server refuses (an unknown refresh token)
            try:
                auth.refresh_token("Bearer", "not-sent-access-secret", "unknown-refresh-secret")
            except DialsError as exc:
                errors.append(exc)
            secrets.update({"not-sent-access-secret", "unknown-refresh-secret"})
        # a good and a bad secret key
        good = SecretKeyCredentials(token=session.srv.secret)
        texts.extend([repr(good), str(good)])
        workspaces(good, session.srv.base_url)
        bad = SecretKeyCredentials(token="bad-secret-" + "y" * 24)
        secrets.add("bad-secret-" + "y" * 24)
        texts.append(repr(bad))
        try:
            workspaces(bad, session.srv.base_url)
        except DialsError as exc:
            errors.append(exc)

    assert len(session.requests(REFRESH)) >= 3
    for request in session.requests():
        auth_header = _header(request, "authorization")
        if auth_header:
            secrets.add(auth_header.split(" ", 1)[1])
    secrets.update(device.device_code for device in session.devices)
    assert len(errors) == 3

    for exc in errors:
        texts.extend([str(exc), repr(exc), *map(str, exc.args)])
        cause = exc.__cause__
        while cause is not None:
            texts.extend([str(cause), repr(cause)])
            cause = cause.__cause__
    texts.extend(str(w.message) for w in caught)
    assert any("Ignoring the credentials cache file" in str(w.message) for w in caught)
    captured = capsys.readouterr()
    texts.extend([captured.out, captured.err])
    texts.append(caplog.text)
    texts.extend(record.getMessage() for record in caplog.records)
    assert any(r.name.startswith("httpcore") for r in caplog.records)
    assert any(r.name == "httpx" for r in caplog.records)

    haystack = "\n".join(texts)
    leaked = sorted(s for s in secrets if s and s in haystack)
    assert leaked == [], f"{len(leaked)} secret(s) leaked"
    assert len(secrets) >= 8


def _header(request: Any, name: str) -> str | None:
    headers = request.headers
    for key, value in dict(headers).items():
        if key.lower() == name:
            return str(value)
    return None


def _sent_secrets(session: Session) -> set[str]:
    """Every bearer token, client secret, device code and refresh token that crossed the wire."""
    from urllib.parse import parse_qs

    sent: set[str] = set()
    for request in session.requests():
        header = _header(request, "authorization")
        if header:
            sent.add(header.split(" ", 1)[1])
        if request.path.startswith("/auth/"):
            form = parse_qs(request.body.decode())
            for name in ("client_secret", "device_code", "subject_token", "refresh_token"):
                sent.update(form.get(name, []))
    return sent


def test_no_secret_in_the_keycloak_flows(
    session: Session,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The same search over client credentials, the device flow with exchange and rotation,
    re-authentication, and every error path of the realm."""

    from cmsdials import Dials
    from cmsdials.auth.client import AuthClient
    from cmsdials.auth.client_credentials import Credentials as ClientCredentials

    caplog.set_level(logging.DEBUG)
    srv = session.srv
    wrong = "wrong-client-secret-" + "q" * 20
    secrets: set[str] = {srv.client_secret, wrong, srv.secret}
    texts: list[str] = []
    errors: list[BaseException] = []

    def attempt(action: Any) -> None:
        try:
            action()
        except (DialsError, ValueError) as exc:
            errors.append(exc)

    def use(creds: Any) -> None:
        texts.extend([repr(creds), str(creds)])
        with Dials(creds, base_url=srv.base_url, workspace="tracker") as dials:
            dials.run.list()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with session.keycloak_client() as auth:
            texts.append(repr(auth))
            app = ClientCredentials(srv.client_id, srv.client_secret, auth)
            use(app)
            srv.faults.inject("expire_token", route="^/api/v1/run/")
            use(app)  # rejected, renewed, sent again
            attempt(lambda: ClientCredentials(srv.client_id, wrong, auth))
            attempt(lambda: ClientCredentials(srv.client_id, srv.client_secret + "\n", auth))
            srv.faults.inject("status", route="api-access", status=503)
            attempt(lambda: ClientCredentials(srv.client_id, srv.client_secret, auth))

            person = Credentials.from_creds_file(str(tmp_path / "cache"), auth)
            use(person)
            session.advance(301)
            use(person)  # refresh (rotated) + exchange
            srv.revoke_refresh_tokens()
            session.advance(301)
            attempt(lambda: use(person))

            def deny(seconds: float) -> None:
                srv.deny_device(session.devices[-1].device_code)

            attempt(lambda: auth.device_auth_flow(sleep=deny))
        with AuthClient(keycloak_url="http://127.0.0.1:9/auth/", retries=0) as nowhere:
            attempt(lambda: ClientCredentials(srv.client_id, srv.client_secret, nowhere))

    assert [type(e).__name__ for e in errors] == [
        "InvalidClientError",
        "ValueError",
        "KeycloakError",
        "ImpossibleToRefreshTokenError",
        "AccessDeniedError",
        "KeycloakUnreachableError",
    ]
    secrets.update(_sent_secrets(session))
    secrets.update(device.device_code for device in session.devices)
    for exc in errors:
        texts.extend([str(exc), repr(exc), *map(str, exc.args)])
        cause = exc.__cause__ or exc.__context__
        while cause is not None:
            texts.extend([str(cause), repr(cause)])
            cause = cause.__cause__ or cause.__context__
    texts.extend(str(w.message) for w in caught)
    captured = capsys.readouterr()
    texts.extend([captured.out, captured.err, caplog.text])
    texts.extend(record.getMessage() for record in caplog.records)
    assert any(r.name.startswith("httpcore") for r in caplog.records)

    haystack = "\n".join(texts)
    leaked = sorted(s for s in secrets if s and s in haystack)
    assert leaked == [], f"{len(leaked)} secret(s) leaked"
    assert len(secrets) >= 12


def test_no_secret_in_a_shared_login_nor_a_failed_renewal_after_a_403(
    session: Session,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The same search over two credentials sharing one cache file (one takes the token the
    other refreshed, then refreshes it), and the errors of a renewal that fails after DIALS
    refused the token (refused refresh token, Keycloak 503, Keycloak down), pickles included."""
    import pickle

    from cmsdials import Dials
    from cmsdials.auth.client import AuthClient
    from cmsdials.exceptions import TokenRenewalFailedError

    caplog.set_level(logging.DEBUG)
    srv = session.srv
    secrets: set[str] = {srv.secret, srv.client_secret}
    texts: list[str] = []
    errors: list[BaseException] = []

    def use(creds: Credentials) -> None:
        secrets.update(value for value in (creds.token, creds.refresh_token) if value)
        texts.extend([repr(creds), str(creds)])
        try:
            with Dials(creds, base_url=srv.base_url, workspace="tracker") as dials:
                dials.run.list()
        except DialsError as exc:
            errors.append(exc)
        secrets.update(value for value in (creds.token, creds.refresh_token) if value)

    with session.keycloak_client() as auth:
        cache = str(tmp_path / "shared")
        one = Credentials.from_authclient_token(session.keycloak_token(), cache, auth)
        two = Credentials.from_creds_file(cache, auth)
        session.advance(301)
        use(one)  # refreshes
        session.advance(301)
        use(two)  # takes one's token from the file, then refreshes it
        use(one)  # takes two's
        srv.faults.inject("expire_token", route="^/api/v1/run/")
        srv.faults.inject("status", route="openid-connect/token", status=503)
        use(one)  # 403, then Keycloak 503
        srv.revoke_refresh_tokens()
        use(two)  # 403 (revoked login), then the refresh token is refused
    with AuthClient(keycloak_url="http://127.0.0.1:9/auth/", clock=session.clock) as nowhere:
        three = Credentials.from_authclient_token(
            session.keycloak_token(), str(tmp_path / "down"), nowhere
        )
        srv.faults.inject("expire_token", route="^/api/v1/run/")
        use(three)  # 403, then Keycloak unreachable

    assert [type(e).__name__ for e in errors] == [
        "TokenRenewalFailedError[KeycloakError]",
        "TokenRenewalFailedError[ImpossibleToRefreshTokenError]",
        "TokenRenewalFailedError[KeycloakUnreachableError]",
    ]
    assert all(isinstance(e, TokenRenewalFailedError) for e in errors)
    secrets.update(_sent_secrets(session))
    pickled: list[bytes] = []
    for exc in errors:
        texts.extend([str(exc), repr(exc), *map(str, exc.args)])
        pickled.append(pickle.dumps(exc))
        texts.append(str(pickle.loads(pickled[-1])))
        cause = exc.__cause__ or exc.__context__
        while cause is not None:
            texts.extend([str(cause), repr(cause)])
            cause = cause.__cause__ or cause.__context__
    captured = capsys.readouterr()
    texts.extend([captured.out, captured.err, caplog.text])
    texts.extend(record.getMessage() for record in caplog.records)

    haystack = "\n".join(texts)
    leaked = sorted(s for s in secrets if s and s in haystack)
    assert leaked == [], f"{len(leaked)} secret(s) leaked"
    leaked_in_pickles = sorted(s for s in secrets if s and any(s.encode() in p for p in pickled))
    assert leaked_in_pickles == [], f"{len(leaked_in_pickles)} secret(s) in a pickle"
    assert len(secrets) >= 10
