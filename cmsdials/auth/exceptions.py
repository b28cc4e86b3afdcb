"""The authentication errors, under their classic import path ``cmsdials.auth.exceptions``.

They are defined in :mod:`cmsdials.exceptions` (its docstring draws the whole tree), the
one home of cmsdials' errors, and re-exported here: the ``AuthError`` family (device flow,
refresh, the non-interactive and legacy-route errors, ``KeycloakError`` and its kinds),
``TokenRejectedError`` and ``TokenRenewalFailedError`` (both ``PermissionDeniedError``).
No message carries a secret: they name the endpoint, the status and Keycloak's ``error``
code, never a token, a device code or a client secret.
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
