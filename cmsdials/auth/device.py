"""Device credentials of a person: a Keycloak device-flow token, cached and renewed by itself.

``Credentials.from_creds_file()`` loads the cached token (``.cache/creds`` by
default, or ``$CMSDIALS_CACHE_DIR/creds``) or, without a usable file, runs the
device flow; the token is cached again whenever it changes. Before each
request the token is renewed when due (see :mod:`cmsdials.auth._base`): in the
background while it is stale, before the request once it has expired. A
refresh is Keycloak's refresh grant then the token exchange; when Keycloak
rotates refresh tokens the newest one is kept and cached.

Processes sharing one cache file read, compare and write it under its lock
(:meth:`Credentials.cache_credentials`): a token received after ours (another
process refreshed) is taken, never overwritten, and a refresh sends the newest
refresh token, so Keycloak never sees a rotated one presented again (which
revokes the whole login).

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

        # Another process may have refreshed since the file was read: take its newer
        # token rather than write back a refresh token it has already used.
        self.cache_credentials()
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
            login = self._log_in()
            with locked(self._cache_file):
                self._assign(login)
                self._write_cache()

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

    def cache_credentials(self) -> None:
        """Write the token to the cache file (atomically, mode 0600), unless it holds a newer one.

        Under the file's lock: when the file holds a token received after ours
        (another process refreshed), that token is taken instead, so a refresh
        token already used is never written back. A failure to write is logged,
        not raised: the credentials work without it.
        """
        with locked(self._cache_file):
            if not self._take_newer_cached_token():
                self._write_cache()

    def _take_newer_cached_token(self) -> bool:
        """Take the cache file's token if it was received after ours; the caller holds the lock."""
        try:
            cached = read_token(self._cache_file)
        except CacheFileError:
            return False  # replaced by ours (from_creds_file has warned about it)
        if cached is None or _received(cached) <= _received(self._token):
            return False
        logger.info("the cache file holds a newer token (refreshed elsewhere): using it")
        self._assign(cached)
        return True

    def _write_cache(self) -> None:
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

        Under the cache file's lock, the file is read first: a token another
        process received after ours is taken (its refresh token is the one
        Keycloak expects), and sent for renewal only if its access token has
        expired too. Presenting a refresh token that was already used would make
        Keycloak revoke the whole login.

        Raises :class:`ImpossibleToRefreshTokenError` when the refresh token has
        expired or Keycloak refuses it (log in again); an unreachable or failing
        Keycloak raises its :class:`~cmsdials.auth.exceptions.KeycloakError`.
        """
        with locked(self._cache_file):
            if self._take_newer_cached_token() and not self.expired:
                return
            if not self.refresh_token or self.refresh_expired:
                raise ImpossibleToRefreshTokenError(
                    "The refresh token has expired: log in again with the device flow."
                )
            assert self.token_type is not None and self.token is not None
            token = self.client.refresh_token(self.token_type, self.token, self.refresh_token)
            logger.debug("token refreshed")
            self._assign(token)
            self._write_cache()

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


def _received(token: Token) -> float:
    """When ``token`` was received (its expiry less its lifetime): the later, the newer."""
    return token.expires_at.timestamp() - token.expires_in
