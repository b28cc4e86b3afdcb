"""Device credentials of a person: a Keycloak device-flow token, cached and renewed by itself.

``Credentials.from_creds_file()`` loads the cached token (``.cache/creds`` by
default, or ``$CMSDIALS_CACHE_DIR/creds``) or, without a usable file, runs the
device flow; the token is cached again whenever it changes. Before each
request the token is renewed when due (see :mod:`cmsdials.auth._base`): in the
background while it is stale, before the request once it has expired. A
refresh is Keycloak's refresh grant then the token exchange; when Keycloak
rotates refresh tokens the newest one is kept and cached.

Processes sharing one cache file refresh under its lock and re-read it first:
if another process has just refreshed, its token is taken instead of
presenting a refresh token that Keycloak may count as reused.

A refresh token that can no longer be used (expired, refused) runs the device
flow again when the credentials are built; during requests it raises
:class:`~cmsdials.exceptions.ImpossibleToRefreshTokenError` ("log in again").
"""

from __future__ import annotations

import logging
import os
import warnings
from datetime import datetime
from pathlib import Path

from ..exceptions import ImpossibleToRefreshTokenError
from ._base import BearerCredentials, Clock, TokenState, describe_error
from ._cache import (
    DEFAULT_CACHE_DIR,
    DEFAULT_CACHE_FILENAME,
    ENV_CACHE_DIR,
    CacheFileError,
    creds_path,
    locked,
    read_token,
    write_token,
)
from ._travel import Recipe
from .client import AuthClient
from .exceptions import NonInteractiveError
from .models import TOKEN_FIELDS, Token, classic_attribute, mask

__all__ = [
    "DEFAULT_CACHE_DIR",
    "DEFAULT_CACHE_FILENAME",
    "ENV_CACHE_DIR",
    "CacheFileWarning",
    "Credentials",
]

logger = logging.getLogger(__name__)


class CacheFileWarning(UserWarning):
    """The credentials cache file could not be used; a new device flow replaces it."""


class Credentials(BearerCredentials):
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
        given = {
            "token": token,
            "expires_at": expires_at,
            "expires_in": expires_in,
            "refresh_expires_at": refresh_expires_at,
            "refresh_expires_in": refresh_expires_in,
            "refresh_token": refresh_token,
            "token_type": token_type,
        }
        self._assign(Token(**{field: given[classic_attribute(field)] for field in TOKEN_FIELDS}))
        self._cache_file: Path = creds_path(cache_dir)
        self.cache_dir = cache_dir or os.environ.get(ENV_CACHE_DIR) or DEFAULT_CACHE_DIR
        self.client = client

        state = self.token_state
        if state is TokenState.EXPIRED:
            try:
                self.refresh()  # caches the new token
                return
            except ImpossibleToRefreshTokenError as exc:
                logger.info("the token cannot be refreshed (%s)", describe_error(exc))
                state = TokenState.INVALID
        if state is TokenState.INVALID:
            logger.info("access and refresh tokens expired: starting the device flow")
            self._set_token(self._log_in())
            return
        self.cache_credentials()

    def _log_in(self) -> Token:
        try:
            return self.client.device_auth_flow()
        except NonInteractiveError as exc:
            raise NonInteractiveError(f"{exc} (cache file: {self._cache_file})") from None

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
        fields = {classic_attribute(f): getattr(token, f) for f in TOKEN_FIELDS}
        return cls(**fields, cache_dir=cache_dir, client=client, clock=clock)

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
        (and a logged warning), then the device flow replaces it. A process
        with nobody to log in (no terminal, no notebook) raises
        :class:`~cmsdials.auth.exceptions.NonInteractiveError` at once instead.
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
            try:
                token = client.device_auth_flow()
            except NonInteractiveError as exc:
                raise NonInteractiveError(f"{exc} (cache file: {path})") from None
        return cls.from_authclient_token(token, cache_dir, client, clock=clock)

    # -- the token ------------------------------------------------------------------
    @property
    def _token(self) -> Token:
        return Token(**{field: getattr(self, classic_attribute(field)) for field in TOKEN_FIELDS})

    def _assign(self, token: Token) -> None:
        for field in TOKEN_FIELDS:
            setattr(self, classic_attribute(field), getattr(token, field))
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
        """Renew the token with the refresh token (Keycloak's newest), then cache it.

        Raises :class:`ImpossibleToRefreshTokenError` when the refresh token has
        expired or Keycloak refuses it (log in again); an unreachable or failing
        Keycloak raises its :class:`~cmsdials.auth.exceptions.KeycloakError`.
        """
        with locked(self._cache_file):
            if self._adopt_newer_cached_token():
                return
            if not self.refresh_token or self.refresh_expired:
                raise ImpossibleToRefreshTokenError(
                    "The refresh token has expired: log in again with the device flow."
                )
            assert self.token_type is not None and self.token is not None
            token = self.client.refresh_token(self.token_type, self.token, self.refresh_token)
            logger.debug("token refreshed")
            self._set_token(token)

    def _adopt_newer_cached_token(self) -> bool:
        """Another process refreshed since we read the file: take its token."""
        try:
            cached = read_token(self._cache_file)
        except CacheFileError:
            return False
        if cached is None or cached.refresh_token == self.refresh_token:
            return False
        now = self.clock()
        if cached.expires_at.tzinfo is not None:
            now = now.astimezone()
        if cached.expires_at <= now:
            return False
        logger.info("the cache file holds a newer token (refreshed elsewhere): using it")
        self._assign(cached)
        return True

    def for_worker(self) -> Recipe | None:
        """The recipe of a person's login: read from its cache file in the other process
        (the same machine or a shared file system) and refreshed there, the processes
        coordinating through that file."""
        client = self.client.for_worker()
        if client is None:
            return None
        cache_dir = os.fspath(self.cache_dir)
        return Recipe(Credentials.from_creds_file, {"cache_dir": cache_dir, "client": client})

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(token_type={self.token_type!r}, token={mask(self.token)}, "
            f"expires_at={self.expires_at!r}, refresh_expires_at={self.refresh_expires_at!r}, "
            f"state={self.token_state.name}, cache_file={str(self._cache_file)!r})"
        )
