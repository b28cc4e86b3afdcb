"""``cmsdials.auth.bearer.Credentials``: the 2.1 name of :class:`cmsdials.auth.device.Credentials`.

Deprecated as in cmsdials 2.4.1: building it (or calling its ``from_*``
constructors) gives a ``DeprecationWarning`` and works as the device credentials.
"""

from __future__ import annotations

import warnings
from typing import Any

from .device import DEFAULT_CACHE_DIR, DEFAULT_CACHE_FILENAME, CacheFileWarning
from .device import Credentials as DeviceCredentials

__all__ = ["DEFAULT_CACHE_DIR", "DEFAULT_CACHE_FILENAME", "CacheFileWarning", "Credentials"]

_DEPRECATION = (
    "cmsdials.auth.bearer.Credentials is deprecated (as in cmsdials 2.4.1): "
    "use cmsdials.auth.device.Credentials, which behaves the same"
)


class Credentials(DeviceCredentials):
    """Deprecated: use :class:`cmsdials.auth.device.Credentials`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The arguments of :class:`cmsdials.auth.device.Credentials`."""
        warnings.warn(_DEPRECATION, DeprecationWarning, stacklevel=2)
        super().__init__(*args, **kwargs)

    @classmethod
    def from_authclient_token(cls, *args: Any, **kwargs: Any) -> DeviceCredentials:
        """:meth:`cmsdials.auth.device.Credentials.from_authclient_token`."""
        warnings.warn(_DEPRECATION, DeprecationWarning, stacklevel=2)
        return DeviceCredentials.from_authclient_token(*args, **kwargs)

    @classmethod
    def from_creds_file(cls, *args: Any, **kwargs: Any) -> DeviceCredentials:
        """:meth:`cmsdials.auth.device.Credentials.from_creds_file`."""
        warnings.warn(_DEPRECATION, DeprecationWarning, stacklevel=2)
        return DeviceCredentials.from_creds_file(*args, **kwargs)
