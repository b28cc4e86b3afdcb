"""Authentication as production DIALS does it, end to end against the local Keycloak realm.

Over real sockets: the local DIALS serves the realm under ``srv.keycloak_url``
(RS256 JWTs, device flow, token exchange, refresh with rotation, client
credentials) and verifies the tokens on its own routes. Time is moved, never
waited for: the server's clock and the client's are advanced together.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import jwt
import pytest
from auth_helpers import Session, in_threads

from cmsdials import Dials
from cmsdials.auth.client import AuthClient
from cmsdials.auth.client_credentials import Credentials as ClientCredentials
from cmsdials.auth.device import Credentials
from cmsdials.auth.exceptions import (
    AccessDeniedError,
    DeviceCodeExpiredError,
    ImpossibleToRefreshTokenError,
    InvalidClientError,
    KeycloakError,
    KeycloakUnreachableError,
    LegacyDeviceFlowUnavailableError,
    MalformedTokenAnswerError,
    TokenRejectedError,
)
from cmsdials.exceptions import DialsConnectionError, PermissionDeniedError
from cmsdials.testing import serve
from cmsdials.testing.keycloak import AUDIENCE, OTHER_AUDIENCE

REALM = "/auth/realms/cern/"
TOKEN = REALM + "protocol/openid-connect/token"
DEVICE = REALM + "protocol/openid-connect/auth/device"
API_ACCESS = REALM + "api-access/token"
EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def grants(session: Session) -> list[str]:
    """The grant of every token-endpoint request of this test, in order."""
    return [_form(r)["grant_type"] for r in session.requests(TOKEN)]


def _form(request: Any) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(request.body.decode()).items()}


def runs(creds: Any, srv: Any) -> list[Any]:
    with Dials(creds, base_url=srv.base_url, workspace="tracker") as dials:
        return list(dials.run.list().results)


def data_requests(session: Session) -> list[Any]:
    return [r for r in session.requests() if r.path.startswith("/api/v1/run/")]


def join_background_refreshes() -> None:
    for t in threading.enumerate():
        if t.name == "cmsdials-token-refresh":
            t.join(10)


# -- the realm itself -------------------------------------------------------------------


def test_tokens_are_rs256_jwts_verifiable_with_the_jwks(srv: Any) -> None:
    keys = httpx.get(srv.keycloak_url + "realms/cern/protocol/openid-connect/certs").json()
    answer = httpx.post(
        srv.keycloak_url + "realms/cern/api-access/token",
        data={
            "grant_type": "client_credentials",
            "client_id": srv.client_id,
            "client_secret": srv.client_secret,
            "audience": AUDIENCE,
        },
    ).json()
    token = answer["access_token"]
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256"
    (key,) = [k for k in keys["keys"] if k["kid"] == header["kid"]]
    public = jwt.PyJWK.from_dict(key).key
    claims = jwt.decode(
        token,
        public,
        algorithms=["RS256"],
        audience=AUDIENCE,
        issuer=srv.keycloak_url + "realms/cern",
        options={"verify_exp": False, "verify_iat": False},
    )
    assert claims["azp"] == srv.client_id


def test_dials_refuses_a_token_signed_by_another_key_or_for_another_audience(srv: Any) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    good = srv.issue_token(client_id=AuthClient.PRODUCTION_CLIENT_ID)["access_token"]
    claims = jwt.decode(good, options={"verify_signature": False})
    forged = jwt.encode(claims, other_key, algorithm="RS256")
    wrong_aud = jwt.encode({**claims, "aud": OTHER_AUDIENCE}, other_key, algorithm="RS256")
    for token in (forged, wrong_aud, good[:-4] + "AAAA"):
        answer = httpx.get(
            srv.base_url + "api/v1/run/", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 403
        assert answer.json() == {"detail": "Token is invalid or expired", "code": "token_not_valid"}
    ok = httpx.get(srv.base_url + "api/v1/run/", headers={"Authorization": f"Bearer {good}"})
    assert ok.status_code == 200


def test_dials_refuses_an_expired_token_by_the_server_clock(srv: Any) -> None:
    token = srv.issue_token(expires_in=60, client_id=AuthClient.PRODUCTION_CLIENT_ID)
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert httpx.get(srv.base_url + "api/v1/run/", headers=headers).status_code == 200
    srv.clock.advance(61)
    expired = httpx.get(srv.base_url + "api/v1/run/", headers=headers)
    assert expired.status_code == 403
    assert expired.json()["code"] == "token_not_valid"


def test_errors_are_rfc_6749_bodies(srv: Any) -> None:
    bad = httpx.post(
        srv.keycloak_url + "realms/cern/api-access/token",
        data={"grant_type": "client_credentials", "client_id": srv.client_id, "client_secret": "x"},
    )
    assert bad.status_code == 401
    assert bad.json()["error"] == "invalid_client"
    unsupported = httpx.post(
        srv.keycloak_url + "realms/cern/protocol/openid-connect/token",
        data={"grant_type": "password", "client_id": AuthClient.PRODUCTION_CLIENT_ID},
    )
    assert unsupported.status_code == 400
    assert unsupported.json()["error"] == "unsupported_grant_type"


# -- device flow, exchange, refresh -----------------------------------------------------------


def test_device_flow_then_exchange_gives_a_dials_token(
    session: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with session.keycloak_client() as auth:
        creds = Credentials.from_creds_file(str(tmp_path), auth)
    assert grants(session) == [DEVICE_GRANT] * 3 + [EXCHANGE]
    assert [r.status for r in session.requests(TOKEN)] == [400, 400, 200, 200]
    assert session.waits == [5.0, 5.0, 5.0]  # Keycloak's interval
    assert session.devices[-1].verification_uri_complete in capsys.readouterr().err
    claims = jwt.decode(creds.token or "", options={"verify_signature": False})
    assert claims["aud"] == AUDIENCE
    assert runs(creds, session.srv)
    cached = json.loads((tmp_path / "creds").read_text())
    assert cached["refresh_token"] == creds.refresh_token
    refresh_claims = jwt.decode(cached["refresh_token"], options={"verify_signature": False})
    assert refresh_claims["azp"] == AuthClient.PRODUCTION_CLIENT_ID  # the public app's


def test_refresh_rotates_and_the_newest_refresh_token_is_kept_and_cached(
    session: Session, tmp_path: Path
) -> None:
    with session.keycloak_client() as auth:
        creds = Credentials.from_authclient_token(session.keycloak_token(), str(tmp_path), auth)
        first = creds.refresh_token
        session.advance(301)
        assert runs(creds, session.srv)
        second = creds.refresh_token
        assert grants(session) == ["refresh_token", EXCHANGE]
        assert second != first
        assert json.loads((tmp_path / "creds").read_text())["refresh_token"] == second
        session.advance(301)
        assert runs(creds, session.srv)
        assert creds.refresh_token not in (first, second)
        assert grants(session) == ["refresh_token", EXCHANGE] * 2
        # the first refresh token was used: Keycloak refuses it (and revokes that login)
        with pytest.raises(ImpossibleToRefreshTokenError, match="log in again"):
            auth.refresh_token("Bearer", "", first or "")


def test_two_processes_sharing_the_cache_file_do_not_reuse_a_refresh_token(
    session: Session, tmp_path: Path
) -> None:
    with session.keycloak_client() as auth:
        one = Credentials.from_authclient_token(session.keycloak_token(), str(tmp_path), auth)
        two = Credentials.from_creds_file(str(tmp_path), auth)  # another process, same file
        session.advance(301)
        assert runs(one, session.srv)
        assert runs(two, session.srv)  # takes the token one cached, refreshes nothing
    assert grants(session) == ["refresh_token", EXCHANGE]
    assert two.refresh_token == one.refresh_token
    assert all(r.status == 200 for r in data_requests(session))


def test_a_revoked_refresh_token_asks_to_log_in_again(session: Session, tmp_path: Path) -> None:
    with session.keycloak_client() as auth:
        creds = Credentials.from_authclient_token(session.keycloak_token(), str(tmp_path), auth)
        assert session.srv.revoke_refresh_tokens() >= 1
        session.advance(301)
        with pytest.raises(ImpossibleToRefreshTokenError) as info:
            runs(creds, session.srv)
    text = str(info.value)
    assert "log in again" in text and "from_creds_file" in text
    assert creds.refresh_token not in text


def test_a_revoked_refresh_token_at_load_runs_the_device_flow(
    session: Session, tmp_path: Path
) -> None:
    with session.keycloak_client() as auth:
        Credentials.from_authclient_token(session.keycloak_token(), str(tmp_path), auth)
        session.srv.revoke_refresh_tokens()
        session.advance(301)
        creds = Credentials.from_creds_file(str(tmp_path), auth)
    assert grants(session) == ["refresh_token"] + [DEVICE_GRANT] * 3 + [EXCHANGE]
    assert runs(creds, session.srv)


def test_a_cache_file_of_dials_v1_12_tokens_leads_to_a_new_login(
    session: Session, tmp_path: Path
) -> None:
    """2.1 cached the DIALS application's refresh token; Keycloak's public app refuses it."""
    with session.auth_client() as legacy:
        Credentials.from_authclient_token(session.token(), str(tmp_path), legacy)
    session.advance(301)
    with session.keycloak_client() as auth:
        creds = Credentials.from_creds_file(str(tmp_path), auth)
    assert grants(session)[0] == "refresh_token"
    assert session.requests(TOKEN)[0].status == 400
    assert grants(session)[-1] == EXCHANGE
    assert runs(creds, session.srv)


def test_eight_threads_through_an_expiry_make_one_refresh(session: Session, tmp_path: Path) -> None:
    n_threads = 8
    with session.keycloak_client() as auth:
        creds = Credentials.from_authclient_token(session.keycloak_token(), str(tmp_path), auth)
        with Dials(creds, workspace="tracker", base_url=session.srv.base_url) as dials:
            dials.run.list()
            session.advance(301)

            def work() -> None:
                for _ in range(3):
                    dials.run.list()

            errors = in_threads(n_threads, work)
    assert errors == []
    assert grants(session) == ["refresh_token", EXCHANGE]
    data = data_requests(session)
    assert len(data) == 1 + 3 * n_threads
    assert all(r.status == 200 for r in data)


def test_a_token_dials_rejects_is_renewed_once_and_the_request_sent_again(
    session: Session, tmp_path: Path
) -> None:
    with session.keycloak_client() as auth:
        creds = Credentials.from_authclient_token(session.keycloak_token(), str(tmp_path), auth)
        session.srv.faults.inject("expire_token", route="^/api/v1/run/")
        assert runs(creds, session.srv)
    assert [r.status for r in data_requests(session)] == [403, 200]
    assert grants(session) == ["refresh_token", EXCHANGE]


def test_denied_and_expired_device_logins(session: Session) -> None:
    def deny(seconds: float) -> None:
        session.waits.append(seconds)
        session.srv.deny_device(session.devices[-1].device_code)

    with session.keycloak_client(sleep=deny) as auth:
        with pytest.raises(AccessDeniedError, match="denied"):
            auth.device_auth_flow()

    def expire(seconds: float) -> None:
        session.srv.clock.advance(601)  # the server's clock: its answer decides

    with session.keycloak_client(sleep=expire) as auth:
        with pytest.raises(DeviceCodeExpiredError):
            auth.device_auth_flow()


# -- client credentials --------------------------------------------------------------------------


def test_client_credentials_renew_before_expiry_once_for_eight_threads(
    session: Session,
) -> None:
    with session.keycloak_client() as auth:
        creds = ClientCredentials(
            client_id=session.srv.client_id, client_secret=session.srv.client_secret, client=auth
        )
        assert len(session.requests(API_ACCESS)) == 1
        assert runs(creds, session.srv)
        session.advance(280)  # stale: renewed in the background, the old token still used
        assert runs(creds, session.srv)
        join_background_refreshes()
        assert len(session.requests(API_ACCESS)) == 2
        session.advance(301)  # expired: renewed before the requests, once for all threads
        errors = in_threads(8, lambda: runs(creds, session.srv))
    assert errors == []
    assert len(session.requests(API_ACCESS)) == 3
    assert all(r.status == 200 for r in data_requests(session))
    form = _form(session.requests(API_ACCESS)[0])
    assert form["audience"] == AUDIENCE and form["grant_type"] == "client_credentials"


def test_client_credentials_rejected_by_dials_renew_once_and_retry(session: Session) -> None:
    with session.keycloak_client() as auth:
        creds = ClientCredentials(session.srv.client_id, session.srv.client_secret, auth)
        session.srv.faults.inject("expire_token", route="^/api/v1/run/")
        assert runs(creds, session.srv)
    assert [r.status for r in data_requests(session)] == [403, 200]
    assert len(session.requests(API_ACCESS)) == 2


def test_a_wrong_client_secret_is_a_typed_error_without_the_secret(session: Session) -> None:
    wrong = "wrong-client-secret-" + "z" * 16
    with session.keycloak_client() as auth:
        with pytest.raises(InvalidClientError) as info:
            ClientCredentials(session.srv.client_id, wrong, auth)
    assert info.value.status == 401
    assert "client_secret" in str(info.value)
    assert wrong not in str(info.value) and wrong not in repr(info.value)


def test_an_audience_dials_does_not_accept(session: Session) -> None:
    with session.keycloak_client(audience=OTHER_AUDIENCE) as auth:
        creds = ClientCredentials(session.srv.client_id, session.srv.client_secret, auth)
        with pytest.raises(PermissionDeniedError, match="audience") as info:
            runs(creds, session.srv)
    assert isinstance(info.value, TokenRejectedError)
    assert info.value.status_code == 403
    assert [r.status for r in data_requests(session)] == [403, 403]  # one renewal, one retry
    with session.keycloak_client(audience="no-such-application") as auth:
        with pytest.raises(KeycloakError, match="Audience not found"):
            ClientCredentials(session.srv.client_id, session.srv.client_secret, auth)


def test_a_503_from_keycloak_then_it_works(session: Session) -> None:
    session.srv.faults.inject("status", route="api-access", status=503)
    with session.keycloak_client() as auth:
        with pytest.raises(KeycloakError, match="try again later") as info:
            ClientCredentials(session.srv.client_id, session.srv.client_secret, auth)
        assert info.value.status == 503
        creds = ClientCredentials(session.srv.client_id, session.srv.client_secret, auth)
        assert runs(creds, session.srv)


def test_a_slow_token_endpoint(session: Session, tmp_path: Path) -> None:
    # slower than the timeout: a timeout error that names Keycloak
    session.srv.faults.inject("stall", route="api-access", stall_seconds=1.0)
    with session.keycloak_client(timeout=0.2, retries=0) as auth:
        with pytest.raises(KeycloakUnreachableError, match="did not answer in time"):
            ClientCredentials(session.srv.client_id, session.srv.client_secret, auth)
    # slow but within it: the threads wait for the one refresh
    with session.keycloak_client() as auth:
        creds = Credentials.from_authclient_token(session.keycloak_token(), str(tmp_path), auth)
        session.advance(301)
        session.srv.faults.inject("stall", route="openid-connect/token", stall_seconds=0.3)
        threads = [threading.Thread(target=runs, args=(creds, session.srv)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert grants(session).count("refresh_token") == 1


def test_an_unreachable_keycloak(session: Session) -> None:
    with AuthClient(keycloak_url="http://127.0.0.1:9/auth/", retries=0) as auth:
        with pytest.raises(KeycloakUnreachableError) as info:
            ClientCredentials("some-app", "some-secret-value", auth)
    assert isinstance(info.value, DialsConnectionError)
    assert "some-secret-value" not in str(info.value)


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, text="<html>login portal</html>"),
        httpx.Response(200, json=["not", "an", "object"]),
        httpx.Response(200, json={"access_token": "abc", "token_type": "Bearer"}),
        httpx.Response(200, json={"access_token": 5, "expires_in": 300, "token_type": "Bearer"}),
        httpx.Response(200, json={"access_token": "a b\n", "expires_in": 1, "token_type": "B"}),
    ],
)
def test_a_malformed_token_answer(answer: httpx.Response) -> None:
    transport = httpx.MockTransport(lambda request: answer)
    with AuthClient(keycloak_url="http://kc.test/auth/", http_transport=transport) as auth:
        with pytest.raises(MalformedTokenAnswerError):
            ClientCredentials("some-app", "some-secret-value", auth)


# -- the classic forms ---------------------------------------------------------------------------


def test_the_secret_header_is_deprecated_and_can_be_refused(tmp_path: Path) -> None:
    from cmsdials.auth.secret_key import Credentials as SecretKeyCredentials

    with serve(secret_header=False) as strict:
        with pytest.deprecated_call(match="X-CLIENT-SECRET"):
            legacy = SecretKeyCredentials(strict.secret)
        with pytest.raises(PermissionDeniedError):
            runs(legacy, strict)
        auth = AuthClient(keycloak_url=strict.keycloak_url)
        with pytest.deprecated_call(match="client_credentials"):
            as_client = SecretKeyCredentials(
                strict.client_secret, client_id=strict.client_id, client=auth
            )
        assert runs(as_client, strict)
        assert strict.requests[-1].headers.get("authorization", "").startswith("Bearer ")
        auth.close()


def test_the_2_1_base_url_form_without_legacy_routes_says_what_to_do() -> None:
    with serve(legacy_device_routes=False) as current:
        with AuthClient(base_url=current.base_url, interactive=True) as auth:
            with pytest.raises(LegacyDeviceFlowUnavailableError) as info:
                auth.device_auth_flow()
    assert "keycloak_url" in str(info.value) and "client_id" in str(info.value)


def test_the_2_4_1_readme_snippets(session: Session, tmp_path: Path, monkeypatch: Any) -> None:
    """cmsdials 2.4.1's README, pointed at the local realm and DIALS."""
    monkeypatch.chdir(tmp_path)
    srv = session.srv
    kc = dict(keycloak_url=srv.keycloak_url, clock=session.clock, sleep=session.sleep)

    creds: Any = ClientCredentials(
        client_id=srv.client_id, client_secret=srv.client_secret, client=AuthClient(**kc)
    )
    with Dials(creds, base_url=srv.base_url) as dials:
        assert dials.run.list().results

    auth = AuthClient(
        client_id="cms-dials-prod-public-app",
        audience="cms-dials-prod-confidential-app",
        realm="cern",
        interactive=True,
        **kc,
    )
    token = auth.device_auth_flow()
    creds = Credentials.from_authclient_token(token, client=auth)
    assert (tmp_path / ".cache" / "creds").is_file()
    creds = Credentials.from_creds_file(client=auth)
    with Dials(creds, base_url=srv.base_url, workspace="tracker") as dials:
        assert dials.run.list().results
    assert grants(session).count(EXCHANGE) == 1  # one login only
    auth.close()


def test_the_legacy_device_routes_are_served_without_them_in_the_spec(
    tmp_path: Path,
) -> None:
    """After the switch to the current spec, openapi.json no longer lists them."""
    root = Path(__file__).resolve().parents[2]
    spec = json.loads((root / "openapi.json").read_text())
    for path in ("new-device", "device-token", "refresh-token"):
        spec["paths"].pop(f"/api/v1/auth/{path}/", None)
    trimmed = tmp_path / "openapi.json"
    trimmed.write_text(json.dumps(spec))
    with serve(spec_path=trimmed) as srv:
        legacy = Session(srv)
        with legacy.auth_client() as auth:
            original = AuthClient.new_device

            def new_device(self: AuthClient) -> Any:
                device = original(self)
                legacy.devices.append(device)
                return device

            auth.new_device = new_device.__get__(auth)  # type: ignore[method-assign]
            token = auth.device_auth_flow()
            refreshed = auth.refresh_token("Bearer", token.access_token, token.refresh_token)
        assert runs(Credentials.from_authclient_token(refreshed, str(tmp_path), auth), srv)
        assert [r.status for r in srv.requests if "/auth/" in r.path][-1] == 200
