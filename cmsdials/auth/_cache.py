"""The credentials cache file, compatible with the classic client in both directions.

Location: ``<cache_dir>/creds``. ``cache_dir`` is the argument, else the
environment variable ``CMSDIALS_CACHE_DIR``, else ``.cache`` (the classic's
default); relative paths count from the working directory. Content: one JSON
object with the fields of :class:`~cmsdials.auth.models.Token` in the classic's
order (:data:`~cmsdials.auth.models.TOKEN_FIELDS`; the same in cmsdials 2.1.0 and 2.4.1),
datetimes as ``datetime.isoformat()`` of naive local time (what the classic
wrote and what it can compare with ``datetime.now()``)::

    {"access_token": "...", "expires_in": 300, "refresh_expires_in": 1800,
     "refresh_token": "...", "token_type": "Bearer",
     "expires_at": "2025-03-01T10:05:00.123456",
     "refresh_expires_at": "2025-03-01T10:30:00.123456"}

Safer than the classic: the file is written to a temporary file in the same
directory (created with mode 0600) and renamed over the old one, so a crash
mid-write leaves the previous file intact and no reader ever sees half a file;
a directory we create is 0700. A file that cannot be read or understood raises
:class:`CacheFileError`, whose message names the problem, never the content.

Processes that share one file (refresh tokens may rotate, and presenting a used
one can revoke the login) coordinate with :func:`locked`: an exclusive lock on
``<cache_dir>/.creds.lock`` held while one of them re-reads the file and
refreshes, so the others then find the new token instead of reusing the old.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from ..exceptions import CacheFileError
from .models import TOKEN_FIELDS, Token

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock between processes
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "DEFAULT_CACHE_DIR",
    "DEFAULT_CACHE_FILENAME",
    "ENV_CACHE_DIR",
    "CacheFileError",
    "creds_path",
    "dump_token",
    "load_token",
    "locked",
    "read_token",
    "write_token",
]

DEFAULT_CACHE_DIR = ".cache"
DEFAULT_CACHE_FILENAME = "creds"
#: The environment variable naming the cache directory when no ``cache_dir`` is given.
ENV_CACHE_DIR = "CMSDIALS_CACHE_DIR"

_FIELDS = TOKEN_FIELDS


def creds_path(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The cache file of ``cache_dir`` ($CMSDIALS_CACHE_DIR, else ``.cache``), absolute."""
    directory = Path(cache_dir or os.environ.get(ENV_CACHE_DIR) or DEFAULT_CACHE_DIR)
    if not directory.is_absolute():
        directory = Path.cwd() / directory
    return directory / DEFAULT_CACHE_FILENAME


def _local_naive(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone().replace(tzinfo=None)


def dump_token(token: Token) -> str:
    """The file's text for ``token``."""
    data: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(token, name)
        data[name] = _local_naive(value).isoformat() if isinstance(value, datetime) else value
    return json.dumps(data)


def load_token(text: str) -> Token:
    """The token of a file's ``text``; :class:`CacheFileError` if it holds none."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CacheFileError(f"not valid JSON ({type(exc).__name__} at char {_pos(exc)})") from None
    if not isinstance(data, dict):
        raise CacheFileError(f"expected a JSON object, found {type(data).__name__}")
    missing = [name for name in _FIELDS if name not in data]
    if missing:
        raise CacheFileError(f"missing field(s): {', '.join(missing)}")
    try:
        return Token.model_validate(data)
    except (TypeError, ValueError) as exc:
        bad = _bad_field(data)
        raise CacheFileError(f"invalid value of {bad}: {type(exc).__name__}") from None


def _pos(exc: ValueError) -> object:
    return getattr(exc, "pos", "?")


def _bad_field(data: dict[str, Any]) -> str:
    """The first field whose value the token's own converter refuses."""
    for field in attrs.fields(Token):
        convert = field.converter
        try:
            if callable(convert):
                convert(data[field.name])
        except (TypeError, ValueError):
            return field.name
    return "a field"


def read_token(path: Path) -> Token | None:
    """The cached token, None if there is no file; :class:`CacheFileError` if unusable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CacheFileError(f"cannot be read ({type(exc).__name__}: {exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CacheFileError("not UTF-8 text") from None
    return load_token(text)


def write_token(path: Path, token: Token) -> None:
    """Replace the file at ``path`` with ``token``, atomically, readable by the owner only."""
    directory = path.parent
    if not directory.is_dir():
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkstemp creates the file with mode 0600, before anything is written to it.
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(dump_token(token))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the exclusive lock of the cache file at ``path`` (between processes)."""
    if fcntl is None:
        yield
        return
    directory = path.parent
    try:
        if not directory.is_dir():
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(directory / f".{path.name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield  # no lock without a writable directory; the refresh still works
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
