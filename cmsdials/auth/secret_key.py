"""Credentials of an application: its client secret key in the ``X-CLIENT-SECRET`` header."""

from __future__ import annotations

from collections.abc import MutableMapping

from ._base import BaseCredentials, TokenState
from .models import mask

__all__ = ["Credentials"]


class Credentials(BaseCredentials):
    """An application's client secret key; it never expires, so it is never refreshed.

    >>> creds = Credentials(token="...")  # doctest: +SKIP
    """

    def __init__(self, token: str | None) -> None:
        if not token or not isinstance(token, str):
            raise ValueError("token must be a non-empty client secret key string")
        super().__init__()
        self.token = token

    @property
    def stale(self) -> bool:
        return False

    @property
    def expired(self) -> bool:
        return False

    @property
    def refresh_expired(self) -> bool:
        return False

    @property
    def token_state(self) -> TokenState:
        return TokenState.FRESH

    def refresh(self) -> None:
        """A secret key cannot be renewed: nothing to do."""

    def on_rejected(self) -> bool:
        """A refused secret key stays refused."""
        return False

    def apply(self, headers: MutableMapping[str, str]) -> None:
        """Put the secret key into the ``X-CLIENT-SECRET`` header."""
        assert self.token is not None
        headers["X-CLIENT-SECRET"] = self.token

    def before_request(self, headers: MutableMapping[str, str]) -> None:
        self.apply(headers)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(token={mask(self.token)})"
