"""Credentials of the local DIALS: the application secret and the bearer tokens of its realm.

:class:`AuthState` is what the DIALS side knows of authentication: the accepted
``X-CLIENT-SECRET`` (refused altogether with ``secret_header=False``, as DIALS
will once the header is retired) and the Keycloak realm
(:mod:`cmsdials.testing.keycloak`) whose signed tokens it verifies. Time is the
server's :class:`Clock`, which tests move forward to expire tokens and device
codes without sleeping.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from .keycloak import LEGACY_ROUTES, Realm, legacy_not_served
from .keycloak import PREFIX as REALM_PREFIX
from .messages import Request, Response


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


@dataclass(frozen=True)
class AuthResult:
    """The outcome of a device-token poll or a refresh: a status and a JSON body."""

    status: int
    body: dict[str, Any]


class AuthState:
    """The accepted credentials: the application secret and the realm's tokens."""

    def __init__(
        self,
        clock: Clock,
        secret: str | None = None,
        *,
        client_secret: str | None = None,
        secret_header: bool = True,
        legacy_device_routes: bool = True,
    ) -> None:
        self.clock = clock
        self.secret = secret or secrets.token_urlsafe(32)
        #: Accept the (deprecated) ``X-CLIENT-SECRET`` header.
        self.secret_header = secret_header
        #: Serve DIALS v1.12's own device routes.
        self.legacy_device_routes = legacy_device_routes
        self.realm = Realm(clock, app_secret=client_secret)

    # ------------------------------------------------------------ checks

    def check_secret(self, value: str) -> bool:
        if not self.secret_header:
            return False
        return hmac.compare_digest(value.encode(), self.secret.encode())

    def check_bearer(self, token: str) -> bool:
        return self.realm.verify_for_dials(token)

    def expire(self, token: str) -> None:
        """Treat ``token`` as expired from now on (fault injection)."""
        self.realm.revoke_access(token)

    # ------------------------------------------------------------ tokens

    def refresh(self, refresh_token: str) -> dict[str, Any] | None:
        """DIALS v1.12's refresh: a new token, or ``None`` if unknown or expired."""
        return self.realm.legacy_refresh(refresh_token)

    # ------------------------------------------------------------ device flow

    def new_device(self, verification_base: str) -> dict[str, Any]:
        return self.realm.legacy_new_device(verification_base)

    def approve(self, code: str) -> None:
        """The person logged in: accepts a device code or its user code."""
        self.realm.approve(code)

    def deny(self, code: str) -> None:
        """The person refused the login."""
        self.realm.deny(code)

    def slow_down(self, code: str, times: int = 1) -> None:
        self.realm.slow_down(code, times)

    def poll(self, device_code: str) -> AuthResult:
        """One DIALS v1.12 device-token poll."""
        status, body = self.realm.legacy_poll(device_code)
        return AuthResult(status, body)

    # ------------------------------------------------------------ routes

    def serves(self, path: str) -> bool:
        """Whether ``path`` is the realm's or a legacy device route (no DIALS spec route)."""
        return path in LEGACY_ROUTES or path.startswith(REALM_PREFIX)

    def handle(self, req: Request) -> Response | None:
        """The realm's endpoints and DIALS v1.12's device routes; ``None`` for the rest."""
        if req.path in LEGACY_ROUTES:
            if not self.legacy_device_routes:
                return legacy_not_served()
            return self.realm.handle_legacy(req)
        return self.realm.handle(req)
