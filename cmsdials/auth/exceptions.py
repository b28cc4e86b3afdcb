"""The classic import path of the authentication errors.

They live in :mod:`cmsdials.exceptions`, the one hierarchy of cmsdials' errors
(all are :class:`~cmsdials.exceptions.AuthError`, hence ``DialsError``).
"""

from ..exceptions import (
    AuthError,
    DeviceCodeExpiredError,
    ImpossibleToRefreshTokenError,
    PendingAuthorizationError,
    SlowDownError,
)

__all__ = [
    "AuthError",
    "DeviceCodeExpiredError",
    "ImpossibleToRefreshTokenError",
    "PendingAuthorizationError",
    "SlowDownError",
]
