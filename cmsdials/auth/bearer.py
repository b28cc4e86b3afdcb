"""``cmsdials.auth.bearer.Credentials``: the 2.1 name of :class:`cmsdials.auth.device.Credentials`.

Deprecated as in cmsdials 2.4.1: building it (or calling its ``from_*``
constructors) gives a ``DeprecationWarning`` and works as the device credentials.
"""

from __future__ import annotations

import os
import warnings
from datetime import datetime

from ._base import Clock
from .client import AuthClient
from .device import DEFAULT_CACHE_DIR, DEFAULT_CACHE_FILENAME, CacheFileWarning
from .device import Credentials as DeviceCredentials
from .models import Token

__all__ = ["DEFAULT_CACHE_DIR", "DEFAULT_CACHE_FILENAME", "CacheFileWarning", "Credentials"]

_DEPRECATION = (
    "cmsdials.auth.bearer.Credentials is deprecated (as in cmsdials 2.4.1): "
    "use cmsdials.auth.device.Credentials, which behaves the same"
)


class Credentials(DeviceCredentials):
    """Deprecated: use :class:`cmsdials.auth.device.Credentials`."""

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
        warnings.warn(_DEPRECATION, DeprecationWarning, stacklevel=2)
        super().__init__(
            token,
            expires_at,
            expires_in,
            refresh_expires_at,
            refresh_expires_in,
            refresh_token,
            token_type,
            cache_dir,
            client,
            clock=clock,
        )

    @classmethod
    def from_authclient_token(
        cls,
        token: Token,
        cache_dir: str | os.PathLike[str] | None = None,
        client: AuthClient | None = None,
        *,
        clock: Clock | None = None,
    ) -> DeviceCredentials:
        warnings.warn(_DEPRECATION, DeprecationWarning, stacklevel=2)
        return DeviceCredentials.from_authclient_token(token, cache_dir, client, clock=clock)

    @classmethod
    def from_creds_file(
        cls,
        cache_dir: str | os.PathLike[str] | None = None,
        client: AuthClient | None = None,
        *,
        clock: Clock | None = None,
    ) -> DeviceCredentials:
        warnings.warn(_DEPRECATION, DeprecationWarning, stacklevel=2)
        return DeviceCredentials.from_creds_file(cache_dir, client, clock=clock)
