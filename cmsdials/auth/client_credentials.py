"""Client credentials of an application: its own client id and secret, exchanged at Keycloak.

The realm's ``api-access/token`` endpoint issues a token for the DIALS
``audience`` of the :class:`~cmsdials.auth.client.AuthClient`; it is sent as a
bearer token and replaced before it expires: in the background while it is
stale (the last 10 % of its life), before the request once it has expired,
once however many threads share the credentials, and once more when DIALS
rejects it (401/403). The application must have been granted API access in DIALS.

The id and secret are checked when the credentials are built (empty, surrounding
whitespace or control characters raise ``ValueError``), and the secret appears
in no message, log line or ``repr``.
"""

from __future__ import annotations

from ._base import BearerCredentials, Clock
from ._checks import check_text
from ._travel import Recipe, Secret
from .client import AuthClient
from .models import mask

__all__ = ["Credentials"]


class Credentials(BearerCredentials):
    """An application's client id and secret, as a self-renewing bearer token.

    >>> creds = Credentials(client_id="my-app", client_secret="...")  # doctest: +SKIP
    """

    client: AuthClient

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        client: AuthClient | None = None,
        *,
        clock: Clock | None = None,
    ) -> None:
        self.client_id = check_text("client_id", client_id)
        self._client_secret = check_text("client_secret", client_secret)
        client = client or AuthClient()
        super().__init__(clock=clock or client.clock)
        self.client = client
        self.refresh()

    @property
    def client_secret(self) -> str:
        """The application's secret (the classic attribute)."""
        return self._client_secret

    @property
    def can_renew(self) -> bool:
        return True

    def refresh(self) -> None:
        """Ask Keycloak for a new token."""
        api_token = self.client.api_access_token(self.client_id, self._client_secret)
        self.token_type = api_token.token_type
        self.expires_in = api_token.expires_in
        self.expires_at = api_token.expires_at
        self.token = api_token.access_token
        self._token_changed()

    def for_worker(self) -> Recipe | None:
        """The recipe of these client credentials: they fetch their own tokens there."""
        client = self.client.for_worker()
        if client is None:
            return None
        arguments = {"client_id": self.client_id, "client_secret": Secret(self._client_secret)}
        return Recipe(Credentials, {**arguments, "client": client})

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(client_id={self.client_id!r}, client_secret="
            f"{mask(self._client_secret)}, token={mask(self.token)}, "
            f"expires_at={self.expires_at!r}, state={self.token_state.name})"
        )
