"""``secret_key.Credentials``: an application's secret, the 2.1 way and the 2.4.1 way.

* ``Credentials(token, client_id=...)`` are client credentials (see
  :mod:`cmsdials.auth.client_credentials`), ``token`` being the client secret;
* ``Credentials(token)`` sends the secret in the ``X-CLIENT-SECRET`` header,
  which DIALS will stop accepting.

Both give cmsdials 2.4.1's ``DeprecationWarning``, pointing to
``cmsdials.auth.client_credentials.Credentials(client_id=..., client_secret=...)``.
"""

from __future__ import annotations

import warnings
from collections.abc import MutableMapping

from ._base import BaseCredentials, TokenState
from ._checks import check_text
from ._travel import Recipe, Secret
from .client import AuthClient
from .client_credentials import Credentials as ClientCredentials
from .models import mask

__all__ = ["Credentials"]

_REPLACEMENT = (
    "use cmsdials.auth.client_credentials.Credentials(client_id=..., client_secret=...) instead."
)


class Credentials(ClientCredentials):
    """Deprecated: an application's secret; with ``client_id``, client credentials."""

    def __init__(
        self,
        token: str | None,
        client_id: str | None = None,
        client: AuthClient | None = None,
    ) -> None:
        if not token or not isinstance(token, str):
            raise ValueError("token must be a non-empty client secret key string")
        check_text("token", token)
        #: True: the secret goes into the ``X-CLIENT-SECRET`` header (no ``client_id``).
        self.legacy_header = client_id is None
        if client_id is None:
            warnings.warn(
                "Credentials without client_id authenticate with the X-CLIENT-SECRET header, "
                "which DIALS will stop accepting: " + _REPLACEMENT,
                DeprecationWarning,
                stacklevel=2,
            )
            BaseCredentials.__init__(self)
            self.client_id = None  # type: ignore[assignment]
            self._client_secret = token
            self.token = token
            return
        warnings.warn(
            "cmsdials.auth.secret_key.Credentials is deprecated: " + _REPLACEMENT,
            DeprecationWarning,
            stacklevel=2,
        )
        super().__init__(client_id=client_id, client_secret=token, client=client)

    @property
    def can_renew(self) -> bool:
        return not self.legacy_header

    @property
    def token_state(self) -> TokenState:
        return TokenState.FRESH if self.legacy_header else super().token_state

    def refresh(self) -> None:
        """A secret key in the header cannot be renewed: nothing to do then."""
        if not self.legacy_header:
            super().refresh()

    def apply(self, headers: MutableMapping[str, str]) -> None:
        """The ``X-CLIENT-SECRET`` header, or the client credentials' bearer token."""
        if self.legacy_header:
            assert self.token is not None
            headers["X-CLIENT-SECRET"] = self.token
        else:
            super().apply(headers)

    def for_worker(self) -> Recipe | None:
        """The recipe of the secret key (in the header), or of the client credentials."""
        if not self.legacy_header:
            return super().for_worker()
        assert self.token is not None
        return Recipe(_header_credentials, {"token": Secret(self.token)})

    def __repr__(self) -> str:
        if self.legacy_header:
            return f"{type(self).__name__}(token={mask(self.token)})"
        return super().__repr__()


def _header_credentials(token: str) -> Credentials:
    """``Credentials(token)`` rebuilt in another process (its user was warned already)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return Credentials(token)
