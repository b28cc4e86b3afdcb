"""Credentials of the local DIALS: the application secret, bearer tokens, the device flow.

Tokens look like Keycloak's (three base64url parts, an HS256 signature made
with the server's secret, ``exp``/``iat`` claims in server time) so that a
client that peeks into them finds what it would find in production.  The server
itself trusts only its own table of issued tokens and the :class:`Clock`, which
tests move forward to expire tokens and device codes without sleeping.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

import orjson

ISSUER = "https://auth.cern.ch/auth/realms/cern"
CLIENT_ID = "cms-dials-public-app"
SCOPE = "openid profile email"
DEVICE_CODE_LIFETIME = 600


class Clock:
    """Server time: wall-clock time plus an offset that tests can advance."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> float:
        """Move server time forward by ``seconds``; returns the new time."""
        with self._lock:
            self._offset += float(seconds)
        return self.now()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass
class _Device:
    device_code: str
    user_code: str
    expires_at: float
    approved: bool = False
    spent: bool = False
    slow_down: int = 0


@dataclass(frozen=True)
class AuthResult:
    """The outcome of a device-token poll or a refresh: a status and a JSON body."""

    status: int
    body: dict[str, Any]


class AuthState:
    """The accepted credentials, the issued tokens and the pending device codes."""

    def __init__(self, clock: Clock, secret: str | None = None) -> None:
        self.clock = clock
        self.secret = secret or secrets.token_urlsafe(32)
        self._access: dict[str, float] = {}
        self._refresh: dict[str, tuple[float, str]] = {}
        self._devices: dict[str, _Device] = {}
        self._user_codes: dict[str, str] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ checks

    def check_secret(self, value: str) -> bool:
        return hmac.compare_digest(value.encode(), self.secret.encode())

    def check_bearer(self, token: str) -> bool:
        with self._lock:
            expiry = self._access.get(token)
        return expiry is not None and self.clock.now() < expiry

    def expire(self, token: str) -> None:
        """Treat ``token`` as expired from now on (fault injection)."""
        with self._lock:
            if token in self._access:
                self._access[token] = float("-inf")

    # ------------------------------------------------------------ tokens

    def _jwt(self, claims: dict[str, Any]) -> str:
        header = _b64(orjson.dumps({"alg": "HS256", "typ": "JWT", "kid": "local-dials"}))
        payload = _b64(orjson.dumps(claims))
        signing_input = f"{header}.{payload}".encode()
        signature = hmac.new(self.secret.encode(), signing_input, hashlib.sha256).digest()
        return f"{header}.{payload}.{_b64(signature)}"

    def issue_token(
        self,
        expires_in: int = 300,
        refresh_expires_in: int = 1800,
        session_state: str | None = None,
    ) -> dict[str, Any]:
        """A token answer (the device-token shape) valid from server time now."""
        now = self.clock.now()
        session = session_state or secrets.token_hex(16)
        common = {"iat": int(now), "iss": ISSUER, "azp": CLIENT_ID, "sid": session}
        access = self._jwt(
            {
                **common,
                "exp": int(now + expires_in),
                "jti": secrets.token_hex(16),
                "aud": "cms-dials",
                "typ": "Bearer",
                "scope": SCOPE,
                "preferred_username": "dials-tester",
            }
        )
        refresh = self._jwt(
            {
                **common,
                "exp": int(now + refresh_expires_in),
                "jti": secrets.token_hex(16),
                "aud": ISSUER,
                "typ": "Refresh",
            }
        )
        with self._lock:
            self._access[access] = now + expires_in
            self._refresh[refresh] = (now + refresh_expires_in, session)
        return {
            "access_token": access,
            "expires_in": expires_in,
            "refresh_expires_in": refresh_expires_in,
            "refresh_token": refresh,
            "token_type": "Bearer",
            "not-before-policy": 0,
            "session_state": session,
            "scope": SCOPE,
        }

    def refresh(self, refresh_token: str) -> dict[str, Any] | None:
        """A new token for a valid refresh token; ``None`` if unknown or expired."""
        with self._lock:
            entry = self._refresh.get(refresh_token)
        if entry is None or self.clock.now() >= entry[0]:
            return None
        return self.issue_token(session_state=entry[1])

    # ------------------------------------------------------------ device flow

    def new_device(self, verification_base: str) -> dict[str, Any]:
        device_code = secrets.token_urlsafe(32)
        letters = "BCDFGHJKLMNPQRSTVWXZ"
        raw = "".join(secrets.choice(letters) for _ in range(8))
        user_code = f"{raw[:4]}-{raw[4:]}"
        with self._lock:
            self._devices[device_code] = _Device(
                device_code, user_code, self.clock.now() + DEVICE_CODE_LIFETIME
            )
            self._user_codes[user_code] = device_code
        return {
            "device_code": device_code,
            "verification_uri_complete": f"{verification_base}?user_code={user_code}",
            "expires_in": DEVICE_CODE_LIFETIME,
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

    def slow_down(self, code: str, times: int = 1) -> None:
        with self._lock:
            self._device(code).slow_down += times

    def poll(self, device_code: str) -> AuthResult:
        """One device-token poll, with Keycloak's error codes."""
        with self._lock:
            device = self._devices.get(device_code)
            if device is None or device.spent:
                return AuthResult(400, {"detail": "Code not valid", "code": "invalid_grant"})
            if self.clock.now() >= device.expires_at:
                return AuthResult(
                    400, {"detail": "Device code is expired", "code": "expired_token"}
                )
            if device.slow_down > 0:
                device.slow_down -= 1
                return AuthResult(
                    400,
                    {"detail": "Polling too fast, slow down", "code": "slow_down"},
                )
            if not device.approved:
                return AuthResult(
                    400,
                    {
                        "detail": "The authorization request is still pending",
                        "code": "authorization_pending",
                    },
                )
            device.spent = True
        return AuthResult(200, self.issue_token())
