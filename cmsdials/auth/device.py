"""``cmsdials.auth.device.Credentials``: the path the classic client gave bearer credentials in 2.4.

It is the same class as :class:`cmsdials.auth.bearer.Credentials`.
"""

from .bearer import DEFAULT_CACHE_DIR, DEFAULT_CACHE_FILENAME, CacheFileWarning, Credentials

__all__ = ["DEFAULT_CACHE_DIR", "DEFAULT_CACHE_FILENAME", "CacheFileWarning", "Credentials"]
