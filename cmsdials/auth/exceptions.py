"""The authentication errors (also the classic import path ``cmsdials.auth.exceptions``).

The general ones live in :mod:`cmsdials.exceptions`, the one hierarchy of
cmsdials' errors; those of CERN's Keycloak are defined here. All but the last are
:class:`~cmsdials.exceptions.AuthError`, hence ``DialsError``::

    AuthError
    ├── PendingAuthorizationError, SlowDownError, DeviceCodeExpiredError
    ├── ImpossibleToRefreshTokenError     log in again
    ├── NonInteractiveError               nobody can approve a device login here
    ├── LegacyDeviceFlowUnavailableError  DIALS does not serve its own device routes
    └── KeycloakError                     Keycloak refused or failed (``status``, ``error``)
        ├── InvalidClientError            wrong client id or secret (401)
        ├── AccessDeniedError             the person denied the login
        ├── MalformedTokenAnswerError     an answer that is not a token
        └── KeycloakUnreachableError      no answer (also a DialsConnectionError)
    PermissionDeniedError                 (403, a DialsHTTPError)
    ├── TokenRejectedError                DIALS refused even a token just renewed
    └── TokenRenewalFailedError           DIALS refused the token; renewing it failed too

No message carries a secret: they name the endpoint, the status and Keycloak's
``error`` code, never a token, a device code or a client secret.
"""

from __future__ import annotations

from ..exceptions import (
    AuthError,
    DeviceCodeExpiredError,
    DialsConnectionError,
    ImpossibleToRefreshTokenError,
    PendingAuthorizationError,
    PermissionDeniedError,
    SlowDownError,
    TokenRenewalFailedError,
)

__all__ = [
    "AccessDeniedError",
    "AuthError",
    "DeviceCodeExpiredError",
    "ImpossibleToRefreshTokenError",
    "InvalidClientError",
    "KeycloakError",
    "KeycloakUnreachableError",
    "LegacyDeviceFlowUnavailableError",
    "MalformedTokenAnswerError",
    "NonInteractiveError",
    "PendingAuthorizationError",
    "SlowDownError",
    "TokenRejectedError",
    "TokenRenewalFailedError",
]


class NonInteractiveError(AuthError):
    """No usable credentials, and no person at a terminal or notebook to log in."""


class LegacyDeviceFlowUnavailableError(AuthError):
    """``AuthClient(base_url=...)`` points at a DIALS without its own (v1.12) device routes."""


class KeycloakError(AuthError):
    """Keycloak answered an error; ``status`` and ``error`` (its OAuth code) say which."""

    def __init__(self, message: str, status: int | None = None, error: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.status, self.error))


class InvalidClientError(KeycloakError):
    """Keycloak does not know the client id, or the client secret is wrong."""


class AccessDeniedError(KeycloakError):
    """The person refused the device login."""


class MalformedTokenAnswerError(KeycloakError):
    """An answer that should be a token is not (not JSON, a field missing or mistyped)."""


class KeycloakUnreachableError(KeycloakError, DialsConnectionError):
    """Keycloak gave no (complete) answer: refused, DNS, timeout, reset."""

    def __init__(self, message: str, status: int | None = None, error: str | None = None) -> None:
        KeycloakError.__init__(self, message, status, error)
        self.method = "POST"
        self.url = ""


class TokenRejectedError(PermissionDeniedError):
    """DIALS refused the token, and again after it was renewed: not a matter of expiry."""

    def _message(self) -> str:
        return (
            f"{super()._message()}. DIALS refused a token just renewed: check that AuthClient's "
            "audience= is this DIALS instance's application (and client_id its public one), "
            "and that the application or person was granted access"
        )
