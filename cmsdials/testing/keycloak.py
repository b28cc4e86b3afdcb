"""The local stand-in for CERN's Keycloak: one realm, real RS256 JWTs, the grants DIALS users meet.

Served by the local DIALS under ``/auth/`` (``srv.keycloak_url``), like
``https://auth.cern.ch/auth/``::

    POST realms/{realm}/protocol/openid-connect/auth/device   device authorization (RFC 8628)
    POST realms/{realm}/protocol/openid-connect/token         device_code, token-exchange
                                                              (RFC 8693), refresh_token
    POST realms/{realm}/api-access/token                      client_credentials + audience
    GET  realms/{realm}/protocol/openid-connect/certs         the JWKS
    GET  realms/{realm}/.well-known/openid-configuration

Clients of the realm: the public application ``cms-dials-prod-public-app`` (a
person's device login), the DIALS application ``cms-dials-prod-confidential-app``
(the audience DIALS accepts), another confidential application whose tokens
DIALS refuses, and one registered automation application (``client_id`` and
``client_secret``, announced by the server). The person who logs in is
``dials-tester``; they approve (or deny) a device through the server's control
route ``/_control/device?user_code=...`` (``&deny=1`` to refuse).

Errors are RFC 6749/8628 bodies, ``{"error": ..., "error_description": ...}``:
``authorization_pending``, ``slow_down``, ``expired_token``, ``access_denied``,
``invalid_grant``, 401 ``invalid_client``. Refresh tokens rotate, as Keycloak's
"Revoke Refresh Token" setting (reuse count 0) makes them: each refresh answers a
new one, and a used one presented again revokes the whole login, its session and
every token issued from it: each of its refresh tokens, the newest too, answers
``invalid_grant`` from then on, and DIALS refuses its access tokens.

The tokens are signed with a throwaway RSA key by **PyJWT** (``pyjwt[crypto]``):
chosen over joserfc and authlib because it is the smallest maintained library
that does exactly what a verifier needs (RS256 over ``cryptography``, JWK
export, audience/issuer checks) and is the one DIALS's own stack (Django REST
framework's JWT packages) builds on. Expiry is checked against the server's
:class:`~cmsdials.testing.auth.Clock`, which tests advance instead of sleeping.
The DIALS side (:meth:`Realm.verify_for_dials`) checks signature, expiry,
issuer and audience, as DIALS does.

The realm also plays DIALS v1.12's own device routes (``/api/v1/auth/new-device/``,
``device-token/``, ``refresh-token/``), served whether or not ``openapi.json``
lists them, with DIALS's answers of that release.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import orjson

from .messages import Request, Response, json_response, not_found_page, server_error_page

__all__ = [
    "APP_CLIENT_ID",
    "AUDIENCE",
    "LEGACY_ROUTES",
    "OTHER_AUDIENCE",
    "PERSON",
    "PUBLIC_CLIENT_ID",
    "REALM",
    "Realm",
    "RealmUnavailableError",
]

REALM = "cern"
PUBLIC_CLIENT_ID = "cms-dials-prod-public-app"
AUDIENCE = "cms-dials-prod-confidential-app"
#: A confidential application of the realm whose tokens DIALS does not accept.
OTHER_AUDIENCE = "cms-other-confidential-app"
APP_CLIENT_ID = "cms-dials-local-automation"
PERSON = "dials-tester"
SCOPE = "openid profile email"
DEVICE_CODE_LIFETIME = 600
DEVICE_INTERVAL = 5
ACCESS_LIFETIME = 300
REFRESH_LIFETIME = 1800

PREFIX = "/auth/realms/"
LEGACY_NEW_DEVICE = "/api/v1/auth/new-device/"
LEGACY_DEVICE_TOKEN = "/api/v1/auth/device-token/"
LEGACY_REFRESH = "/api/v1/auth/refresh-token/"
LEGACY_ROUTES = (LEGACY_NEW_DEVICE, LEGACY_DEVICE_TOKEN, LEGACY_REFRESH)

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"

# DIALS v1.12's codes for the RFC 8628 errors, and its texts.
_LEGACY_DETAIL = {
    "authorization_pending": "The authorization request is still pending",
    "slow_down": "Polling too fast, slow down",
    "expired_token": "Device code is expired",
    "access_denied": "The end user denied the authorization request",
    "invalid_grant": "Code not valid",
}


class RealmUnavailableError(RuntimeError):
    """PyJWT (the ``server`` extra) is missing, so the realm cannot sign tokens."""


@dataclass
class _Device:
    device_code: str
    user_code: str
    client_id: str
    expires_at: float
    approved: bool = False
    denied: bool = False
    spent: bool = False
    slow_down: int = 0


@dataclass
class _Session:
    """One login: its refresh tokens (by jti) and whether it was revoked."""

    client_id: str
    active: bool = True
    current: str = ""
    valid: set[str] = field(default_factory=set)


def _oauth_error(status: int, error: str, description: str) -> Response:
    return json_response(status, {"error": error, "error_description": description})


def _form(req: Request) -> dict[str, str]:
    try:
        parsed = parse_qs(req.body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return {}
    return {key: values[-1] for key, values in parsed.items() if values}


class Realm:
    """One Keycloak realm: clients, a person, device codes, sessions and signed tokens."""

    def __init__(
        self,
        clock: Any,
        *,
        name: str = REALM,
        app_secret: str | None = None,
        rotate_refresh_tokens: bool = True,
    ) -> None:
        try:
            import jwt
            from cryptography.hazmat.primitives.asymmetric import rsa
        except ImportError as exc:  # pragma: no cover - the server extra is missing
            raise RealmUnavailableError(
                "the local Keycloak realm needs PyJWT[crypto]: pip install 'cmsdials[server]'"
            ) from exc
        self._jwt = jwt
        self.clock = clock
        self.name = name
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._public_key = self._key.public_key()
        self.kid = secrets.token_hex(8)
        self.issuer = f"http://127.0.0.1/auth/realms/{name}"
        self.public_clients = {PUBLIC_CLIENT_ID}
        #: Confidential applications a token can be exchanged to (or issued for).
        self.audiences = {AUDIENCE, OTHER_AUDIENCE}
        #: The audience DIALS accepts.
        self.dials_audience = AUDIENCE
        self.app_client_id = APP_CLIENT_ID
        self.app_secret = app_secret or secrets.token_urlsafe(32)
        self.rotate_refresh_tokens = rotate_refresh_tokens
        #: Lifetimes of the tokens the grants issue (seconds; tests may change them).
        self.access_lifetime = ACCESS_LIFETIME
        self.refresh_lifetime = REFRESH_LIFETIME
        self._devices: dict[str, _Device] = {}
        self._user_codes: dict[str, str] = {}
        self._sessions: dict[str, _Session] = {}
        self._revoked: set[str] = set()
        self._lock = threading.Lock()

    def set_url(self, keycloak_url: str) -> None:
        """Where the realm is served (``http://host:port/auth/``): it names the issuer."""
        self.issuer = f"{keycloak_url}realms/{self.name}"

    # ------------------------------------------------------------ keys and tokens

    def jwks(self) -> dict[str, Any]:
        jwk = self._jwt.algorithms.RSAAlgorithm.to_jwk(self._public_key, as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def _sign(self, claims: dict[str, Any]) -> str:
        token: str = self._jwt.encode(
            claims, self._key, algorithm="RS256", headers={"kid": self.kid}
        )
        return token

    def _decode(self, token: str, typ: str, audience: str | None = None) -> dict[str, Any] | None:
        """The claims of a valid token of type ``typ`` (signature, issuer, expiry, audience)."""
        try:
            claims: dict[str, Any] = self._jwt.decode(
                token,
                self._public_key,
                algorithms=["RS256"],
                audience=audience,
                issuer=self.issuer,
                # times against the server's clock (below), not time.time()
                options={
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                    "verify_aud": audience is not None,
                    "require": ["exp", "iat", "iss", "jti", "typ"],
                },
            )
        except self._jwt.PyJWTError:
            return None
        if claims.get("typ") != typ or self.clock.now() >= float(claims["exp"]):
            return None
        with self._lock:
            if claims["jti"] in self._revoked:
                return None
        return claims

    def _claims(self, lifetime: int, **claims: Any) -> dict[str, Any]:
        now = self.clock.now()
        return {
            "iat": int(now),
            "exp": int(now + lifetime),
            "jti": secrets.token_hex(16),
            "iss": self.issuer,
            **claims,
        }

    def _access_token(
        self, azp: str, aud: str, sid: str | None, lifetime: int, **extra: Any
    ) -> str:
        return self._sign(
            self._claims(
                lifetime,
                typ="Bearer",
                azp=azp,
                aud=aud,
                sub=extra.pop("sub", PERSON),
                scope=SCOPE,
                **({"sid": sid} if sid else {}),
                **extra,
            )
        )

    def _login_tokens(
        self,
        client_id: str,
        aud: str,
        sid: str | None = None,
        expires_in: int | None = None,
        refresh_expires_in: int | None = None,
    ) -> dict[str, Any]:
        """A person's token answer for ``client_id``, in a new session unless ``sid`` is given."""
        expires_in = self.access_lifetime if expires_in is None else expires_in
        refresh_in = self.refresh_lifetime if refresh_expires_in is None else refresh_expires_in
        with self._lock:
            if sid is None:
                sid = secrets.token_hex(16)
                self._sessions[sid] = _Session(client_id)
            session = self._sessions[sid]
        refresh_claims = self._claims(
            refresh_in, typ="Refresh", azp=client_id, aud=self.issuer, sid=sid, sub=PERSON
        )
        with self._lock:
            if self.rotate_refresh_tokens:
                session.valid = {refresh_claims["jti"]}
            else:
                session.valid.add(refresh_claims["jti"])
            session.current = refresh_claims["jti"]
        return {
            "access_token": self._access_token(
                client_id, aud, sid, expires_in, preferred_username=PERSON
            ),
            "expires_in": expires_in,
            "refresh_expires_in": refresh_in,
            "refresh_token": self._sign(refresh_claims),
            "token_type": "Bearer",
            "not-before-policy": 0,
            "session_state": sid,
            "scope": SCOPE,
        }

    def issue_token(
        self,
        expires_in: int = 300,
        refresh_expires_in: int = 1800,
        *,
        client_id: str | None = None,
    ) -> dict[str, Any]:
        """A person's token without a device flow.

        Without ``client_id``: what DIALS v1.12's own routes issued (the DIALS
        application's token and refresh token). With the public client's id: what
        a Keycloak login gives after the exchange (a DIALS-audience access token,
        the public application's refresh token).
        """
        if client_id is None:
            return self._login_tokens(AUDIENCE, AUDIENCE, None, expires_in, refresh_expires_in)
        answer = self._login_tokens(client_id, "account", None, expires_in, refresh_expires_in)
        answer["access_token"] = self._access_token(
            client_id, self.dials_audience, answer["session_state"], expires_in
        )
        return answer

    # ------------------------------------------------------------ the DIALS side

    def verify_for_dials(self, token: str) -> bool:
        """DIALS's check of a bearer token: signature, issuer, expiry, audience, and a
        login not revoked (the token of a session revoked for refresh-token reuse is dead)."""
        claims = self._decode(token, "Bearer", audience=self.dials_audience)
        if claims is None:
            return False
        if "sid" not in claims:
            return True  # an application's own token (client credentials): no login
        with self._lock:
            session = self._sessions.get(str(claims["sid"]))
            return session is not None and session.active

    def revoke_access(self, token: str) -> None:
        """Treat the access token ``token`` as invalid from now on (fault injection)."""
        try:
            claims = self._jwt.decode(token, options={"verify_signature": False})
        except self._jwt.PyJWTError:
            return
        with self._lock:
            self._revoked.add(str(claims.get("jti")))

    def revoke_refresh_tokens(self) -> int:
        """Log everybody out: every login's tokens are refused from now on; returns the count."""
        with self._lock:
            active = [s for s in self._sessions.values() if s.active]
            for session in active:
                session.active = False
        return len(active)

    # ------------------------------------------------------------ device codes

    def new_device(self, client_id: str, verification_base: str) -> dict[str, Any]:
        device_code = secrets.token_urlsafe(32)
        letters = "BCDFGHJKLMNPQRSTVWXZ"
        raw = "".join(secrets.choice(letters) for _ in range(8))
        user_code = f"{raw[:4]}-{raw[4:]}"
        with self._lock:
            self._devices[device_code] = _Device(
                device_code, user_code, client_id, self.clock.now() + DEVICE_CODE_LIFETIME
            )
            self._user_codes[user_code] = device_code
        return {
            "device_code": device_code,
            "user_code": user_code,
            "verification_uri": verification_base,
            "verification_uri_complete": f"{verification_base}?user_code={user_code}",
            "expires_in": DEVICE_CODE_LIFETIME,
            "interval": DEVICE_INTERVAL,
        }

    def _device(self, code: str) -> _Device:
        device_code = self._user_codes.get(code, code)
        try:
            return self._devices[device_code]
        except KeyError:
            raise KeyError(f"unknown device code {code!r}") from None

    def approve(self, code: str) -> None:
        """The person logged in: accepts a device code or its user code."""
        with self._lock:
            self._device(code).approved = True

    def deny(self, code: str) -> None:
        """The person refused the login."""
        with self._lock:
            self._device(code).denied = True

    def slow_down(self, code: str, times: int = 1) -> None:
        with self._lock:
            self._device(code).slow_down += times

    def poll(self, device_code: str, client_id: str) -> tuple[str | None, str]:
        """One poll: ``(None, sid-less OK)`` when approved, else ``(error, description)``."""
        with self._lock:
            device = self._devices.get(device_code)
            if device is None or device.spent or device.client_id != client_id:
                return "invalid_grant", "Device code not valid"
            if self.clock.now() >= device.expires_at:
                return "expired_token", "Device code is expired"
            if device.denied:
                return "access_denied", "The end user denied the authorization request"
            if device.slow_down > 0:
                device.slow_down -= 1
                return "slow_down", "Polling too fast, slow down"
            if not device.approved:
                return "authorization_pending", "The authorization request is still pending"
            device.spent = True
        return None, ""

    # ------------------------------------------------------------ the endpoints

    def handle(self, req: Request) -> Response | None:
        """The answer of a realm endpoint; ``None`` when ``req`` is not for the realm."""
        if not req.path.startswith(PREFIX):
            return None
        realm, _, rest = req.path[len(PREFIX) :].partition("/")
        if realm != self.name:
            return json_response(404, {"error": "Realm does not exist"})
        if req.method == "GET" and rest == "protocol/openid-connect/certs":
            return json_response(200, self.jwks())
        if req.method == "GET" and rest == ".well-known/openid-configuration":
            return json_response(200, self._configuration())
        endpoints = {
            "protocol/openid-connect/auth/device": self._device_endpoint,
            "protocol/openid-connect/token": self._token_endpoint,
            "api-access/token": self._api_access_endpoint,
        }
        endpoint = endpoints.get(rest.rstrip("/"))
        if endpoint is None:
            return json_response(404, {"error": "Unable to find matching target resource method"})
        if req.method != "POST":
            return json_response(405, {"error": "HTTP 405 Method Not Allowed"})
        return endpoint(req, _form(req))

    def _configuration(self) -> dict[str, Any]:
        base = f"{self.issuer}/protocol/openid-connect"
        return {
            "issuer": self.issuer,
            "token_endpoint": f"{base}/token",
            "device_authorization_endpoint": f"{base}/auth/device",
            "jwks_uri": f"{base}/certs",
            "grant_types_supported": [
                "refresh_token",
                DEVICE_CODE_GRANT,
                TOKEN_EXCHANGE_GRANT,
                "client_credentials",
            ],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def _device_endpoint(self, req: Request, form: dict[str, str]) -> Response:
        client_id = form.get("client_id", "")
        if client_id not in self.public_clients:
            return _oauth_error(
                401, "invalid_client", "Invalid client or Invalid client credentials"
            )
        base = f"{req.scheme}://{req.host}/_control/device"
        return json_response(200, self.new_device(client_id, base))

    def _token_endpoint(self, req: Request, form: dict[str, str]) -> Response:
        client_id = form.get("client_id", "")
        if client_id not in self.public_clients:
            return _oauth_error(
                401, "invalid_client", "Invalid client or Invalid client credentials"
            )
        grant = form.get("grant_type")
        if grant == DEVICE_CODE_GRANT:
            error, description = self.poll(form.get("device_code", ""), client_id)
            if error is not None:
                return _oauth_error(400, error, description)
            return json_response(200, self._login_tokens(client_id, "account"))
        if grant == TOKEN_EXCHANGE_GRANT:
            return self._exchange(client_id, form)
        if grant == "refresh_token":
            return self._refresh(client_id, form.get("refresh_token", ""))
        return _oauth_error(400, "unsupported_grant_type", "Unsupported grant_type")

    def _exchange(self, client_id: str, form: dict[str, str]) -> Response:
        if form.get("subject_token_type", ACCESS_TOKEN_TYPE) != ACCESS_TOKEN_TYPE:
            return _oauth_error(400, "invalid_request", "Invalid token type, must be access token")
        claims = self._decode(form.get("subject_token", ""), "Bearer")
        if claims is None or claims.get("azp") != client_id:
            return _oauth_error(400, "invalid_token", "Invalid token")
        sid = claims.get("sid")
        with self._lock:
            session = self._sessions.get(str(sid))
            if session is None or not session.active:
                return _oauth_error(400, "invalid_token", "Invalid token")
        audience = form.get("audience", "")
        if audience not in self.audiences:
            return _oauth_error(400, "invalid_client", "Audience not found")
        token = self._access_token(client_id, audience, str(sid), self.access_lifetime)
        return self._access_answer(token, issued_token_type=ACCESS_TOKEN_TYPE, session_state=sid)

    def _access_answer(self, token: str, **extra: Any) -> Response:
        """Keycloak's answer carrying an access token alone (no refresh token)."""
        answer = {
            "access_token": token,
            "expires_in": self.access_lifetime,
            "refresh_expires_in": 0,
            "token_type": "Bearer",
            "not-before-policy": 0,
            "scope": SCOPE,
        }
        return json_response(200, {**answer, **extra})

    def _refresh(self, client_id: str, refresh_token: str) -> Response:
        answer, error = self.refresh(client_id, refresh_token)
        if answer is None:
            return _oauth_error(400, "invalid_grant", error)
        return json_response(200, answer)

    def refresh(self, client_id: str, refresh_token: str) -> tuple[dict[str, Any] | None, str]:
        """The refresh grant: ``(new answer, "")`` or ``(None, why)``."""
        claims = self._decode(refresh_token, "Refresh")
        if claims is None:
            return None, "Invalid refresh token"
        if claims.get("azp") != client_id:
            return None, "Invalid refresh token. Token client and authorized client don't match"
        sid = str(claims.get("sid"))
        with self._lock:
            session = self._sessions.get(sid)
            if session is None or not session.active:
                return None, "Session not active"
            if claims["jti"] not in session.valid:
                session.active = False  # a reused refresh token revokes the login
                return None, "Maximum allowed refresh token reuse exceeded"
            aud = "account" if client_id in self.public_clients else client_id
        return self._login_tokens(client_id, aud, sid), ""

    def _api_access_endpoint(self, req: Request, form: dict[str, str]) -> Response:
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(400, "unsupported_grant_type", "Unsupported grant_type")
        client_id = form.get("client_id", "")
        given = form.get("client_secret", "")
        known = client_id == self.app_client_id and hmac.compare_digest(
            given.encode(), self.app_secret.encode()
        )
        if not known:
            return _oauth_error(
                401, "invalid_client", "Invalid client or Invalid client credentials"
            )
        audience = form.get("audience", "")
        if audience not in self.audiences:
            return _oauth_error(400, "invalid_request", "Audience not found")
        token = self._access_token(
            client_id,
            audience,
            None,
            self.access_lifetime,
            sub=f"service-account-{client_id}",
            clientId=client_id,
        )
        return self._access_answer(token)

    # ------------------------------------------------------------ DIALS v1.12's own routes

    def legacy_new_device(self, verification_base: str) -> dict[str, Any]:
        device = self.new_device(AUDIENCE, verification_base)
        return {k: device[k] for k in ("device_code", "verification_uri_complete", "expires_in")}

    def legacy_poll(self, device_code: str) -> tuple[int, dict[str, Any]]:
        """DIALS v1.12's device-token answer: 200 and a token, or 400 ``{detail, code}``."""
        error, _ = self.poll(device_code, AUDIENCE)
        if error is not None:
            return 400, {"detail": _LEGACY_DETAIL[error], "code": error}
        return 200, self._login_tokens(AUDIENCE, AUDIENCE)

    def legacy_refresh(self, refresh_token: str) -> dict[str, Any] | None:
        answer, _ = self.refresh(AUDIENCE, refresh_token)
        return answer

    def handle_legacy(self, req: Request) -> Response:
        """DIALS v1.12's ``auth/new-device/``, ``auth/device-token/``, ``auth/refresh-token/``."""
        if req.path == LEGACY_NEW_DEVICE:
            if req.method not in ("GET", "HEAD"):
                return json_response(405, {"detail": f'Method "{req.method}" not allowed.'})
            base = f"{req.scheme}://{req.host}/_control/device"
            return json_response(200, self.legacy_new_device(base))
        if req.method != "POST":
            return json_response(405, {"detail": f'Method "{req.method}" not allowed.'})
        name = "device_code" if req.path == LEGACY_DEVICE_TOKEN else "refresh_token"
        value = _json_field(req, name)
        if value is None:
            return Response(400, f"Missing {name} in the request body".encode(), "text/plain")
        if req.path == LEGACY_DEVICE_TOKEN:
            status, body = self.legacy_poll(value)
            return json_response(status, body)
        answer = self.legacy_refresh(value)
        return server_error_page() if answer is None else json_response(200, answer)


def _json_field(req: Request, name: str) -> str | None:
    try:
        body = orjson.loads(req.body) if req.body else None
    except orjson.JSONDecodeError:
        return None
    value = body.get(name) if isinstance(body, dict) else None
    return value if isinstance(value, str) and value else None


def legacy_not_served() -> Response:
    """The answer of a DIALS without its own device routes (current production)."""
    return not_found_page()
