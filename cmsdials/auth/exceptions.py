"""The authentication errors, under their classic import path ``cmsdials.auth.exceptions``.

They are defined in :mod:`cmsdials.exceptions`, the one home of cmsdials' errors,
and re-exported here. All but the last are :class:`~cmsdials.exceptions.AuthError`,
hence ``DialsError``::

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
    └── TokenRejectedError                DIALS refused even a token just renewed

No message carries a secret: they name the endpoint, the status and Keycloak's
``error`` code, never a token, a device code or a client secret.
"""

from __future__ import annotations

from ..exceptions import (
    AccessDeniedError,
    AuthError,
    DeviceCodeExpiredError,
    ImpossibleToRefreshTokenError,
    InvalidClientError,
    KeycloakError,
    KeycloakUnreachableError,
    LegacyDeviceFlowUnavailableError,
    MalformedTokenAnswerError,
    NonInteractiveError,
    PendingAuthorizationError,
    SlowDownError,
    TokenRejectedError,
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
]
