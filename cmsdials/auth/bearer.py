"""Bearer credentials of a person: a device-flow token, cached and renewed by itself.

``Credentials.from_creds_file()`` loads the cached token (``.cache/creds`` by
default) or, without a usable file, runs the device flow; the token is then
cached again whenever it changes. Before each request the token is renewed when
due (see :mod:`cmsdials.auth._base`): in the background while it is stale,
before the request once it has expired; when its refresh token has expired too
the device flow runs again at construction, and a request raises
:class:`~cmsdials.exceptions.ImpossibleToRefreshTokenError`.

The same class is importable as ``cmsdials.auth.device.Credentials`` (the path
the classic client moved it to in 2.4).
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import MutableMapping
from datetime import datetime

from ..exceptions import DialsHTTPError, ImpossibleToRefreshTokenError
from ..settings import TRANSIENT_STATUSES
from ._base import BaseCredentials, Clock, TokenState, describe_error
from ._cache import (
    DEFAULT_CACHE_DIR,
    DEFAULT_CACHE_FILENAME,
    CacheFileError,
    creds_path,
    read_token,
    write_token,
)
from .client import AuthClient
from .models import Token, mask

__all__ = ["DEFAULT_CACHE_DIR", "DEFAULT_CACHE_FILENAME", "CacheFileWarning", "Credentials"]

logger = logging.getLogger(__name__)

#: Answers that say "try again later" rather than "this refresh token is no good".
_TRANSIENT_STATUSES = TRANSIENT_STATUSES


class CacheFileWarning(UserWarning):
    """The credentials cache file could not be used; a new device flow replaces it."""


class Credentials(BaseCredentials):
    """A person's bearer token with its refresh token, cached in a file.

    The constructor is the classic one. ``clock`` (keyword-only, an addition)
    is the source of the current time; it defaults to the auth client's clock.
    """

    refresh_token: str | None
    cache_dir: str | os.PathLike[str]
    client: AuthClient

    def __init__(
        self,
        token: str,
        expires_at: datetime,
        expires_in: int,
        refresh_expires_at: datetime,
        refresh_expires_in: int,
        refresh_token: str,
        token_type: str,
        cache_dir: str | os.PathLike[str] | None = None,
        client: AuthClient | None = None,
        *,
        clock: Clock | None = None,
    ) -> None:
        client = client or AuthClient()
        super().__init__(clock=clock or client.clock)
        self._assign(
            Token(
                access_token=token,
                expires_at=expires_at,
                expires_in=expires_in,
                refresh_expires_at=refresh_expires_at,
                refresh_expires_in=refresh_expires_in,
                refresh_token=refresh_token,
                token_type=token_type,
            )
        )
        self.cache_dir = cache_dir or DEFAULT_CACHE_DIR
        self.client = client
        self._cache_file = creds_path(self.cache_dir)

        state = self.token_state
        if state is TokenState.EXPIRED:
            try:
                self.refresh()  # caches the new token
                return
            except ImpossibleToRefreshTokenError as exc:
                reason = describe_error(exc.__cause__ or exc)
                logger.info("the token cannot be refreshed (%s)", reason)
                state = TokenState.INVALID
        if state is TokenState.INVALID:
            logger.info("access and refresh tokens expired: starting the device flow")
            self._set_token(self.client.device_auth_flow())
            return
        self.cache_credentials()

    # -- the classic alternative constructors ------------------------------------
    @classmethod
    def from_authclient_token(
        cls,
        token: Token,
        cache_dir: str | os.PathLike[str] | None = None,
        client: AuthClient | None = None,
        *,
        clock: Clock | None = None,
    ) -> Credentials:
        """Credentials from a token of :meth:`AuthClient.device_auth_flow`."""
        return cls(
            token=token.access_token,
            expires_at=token.expires_at,
            expires_in=token.expires_in,
            refresh_expires_at=token.refresh_expires_at,
            refresh_expires_in=token.refresh_expires_in,
            refresh_token=token.refresh_token,
            token_type=token.token_type,
            cache_dir=cache_dir,
            client=client,
            clock=clock,
        )

    @classmethod
    def from_creds_file(
        cls,
        cache_dir: str | os.PathLike[str] | None = None,
        client: AuthClient | None = None,
        *,
        clock: Clock | None = None,
    ) -> Credentials:
        """Credentials from the cache file; without a usable one, from a new device flow.

        A file that cannot be read or understood gives a :class:`CacheFileWarning`
        (and a logged warning), then the device flow replaces it.
        """
        client = client or AuthClient()
        path = creds_path(cache_dir)
        token: Token | None
        try:
            token = read_token(path)
        except CacheFileError as exc:
            message = f"Ignoring the credentials cache file {path}: {exc}. Authenticating again."
            logger.warning("%s", message)
            warnings.warn(message, CacheFileWarning, stacklevel=2)
            token = None
        if token is None:
            logger.info("no cached credentials in %s: starting the device flow", path)
            token = client.device_auth_flow()
        return cls.from_authclient_token(token, cache_dir, client, clock=clock)

    # -- the token ------------------------------------------------------------------
    @property
    def _token(self) -> Token:
        assert self.token is not None and self.refresh_token is not None
        assert self.token_type is not None and self.expires_in is not None
        assert self.expires_at is not None and self.refresh_expires_at is not None
        assert self.refresh_expires_in is not None
        return Token(
            access_token=self.token,
            expires_in=self.expires_in,
            refresh_expires_in=self.refresh_expires_in,
            refresh_token=self.refresh_token,
            token_type=self.token_type,
            expires_at=self.expires_at,
            refresh_expires_at=self.refresh_expires_at,
        )

    def _assign(self, token: Token) -> None:
        self.token_type = token.token_type
        self.expires_in = token.expires_in
        self.refresh_expires_in = token.refresh_expires_in
        self.expires_at = token.expires_at
        self.refresh_expires_at = token.refresh_expires_at
        self.refresh_token = token.refresh_token
        self.token = token.access_token
        self._token_changed()

    def _set_token(self, token: Token) -> None:
        """Take ``token`` and cache it."""
        self._assign(token)
        self.cache_credentials()

    def cache_credentials(self) -> None:
        """Write the token to the cache file (atomically, mode 0600).

        A failure to write is logged, not raised: the credentials work without it.
        """
        try:
            write_token(self._cache_file, self._token)
        except OSError as exc:
            logger.warning(
                "could not write the credentials cache file %s: %s",
                self._cache_file,
                exc.strerror or type(exc).__name__,
            )

    def refresh(self) -> None:
        """Renew the token with the refresh token, then cache it.

        Raises :class:`ImpossibleToRefreshTokenError` when the refresh token has
        expired or DIALS refuses it; connection errors and "try later" answers
        propagate as they are.
        """
        if not self.refresh_token or self.refresh_expired:
            raise ImpossibleToRefreshTokenError(
                "The refresh token has expired: authenticate again with the device flow."
            )
        assert self.token_type is not None and self.token is not None
        try:
            token = self.client.refresh_token(self.token_type, self.token, self.refresh_token)
        except DialsHTTPError as exc:
            if exc.status_code in _TRANSIENT_STATUSES:
                raise
            raise ImpossibleToRefreshTokenError(
                f"DIALS refused to refresh the token ({exc.status_code}): "
                "authenticate again with the device flow."
            ) from exc
        logger.debug("token refreshed")
        self._set_token(token)

    def apply(self, headers: MutableMapping[str, str]) -> None:
        """Put the token into the ``Authorization`` header."""
        headers["Authorization"] = f"{self.token_type} {self.token}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(token_type={self.token_type!r}, token={mask(self.token)}, "
            f"expires_at={self.expires_at!r}, refresh_expires_at={self.refresh_expires_at!r}, "
            f"state={self.token_state.name}, cache_file={str(self._cache_file)!r})"
        )
