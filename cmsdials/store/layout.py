"""The folder of a store: its files, their names, and how each is written.

::

    <store>/
      _store.json                 the header: format, group, server, workspace, the
                                  selection every pull shares (``base``), its dimensions
      _pulls/<id>.json            one pull: its normalised filters and its plan (the
                                  partitions, with their runs' ls_count and completeness)
      _parts/<partition>.json     the marker of a partition done: its file, rows, bytes,
                                  sha256, when fetched, whether its runs were complete
      .locks/<partition>.lock     claims (``flock``) so that two processes do not fetch
                                  the same partition at once
      me-<id>/ds-<id>/run-<n>.parquet     the data: one file per partition
      ...  .tmp-*                 files being written (renamed into place when whole)

Everything that is not data starts with ``_`` or ``.``, the names pyarrow, Dask,
Spark and duckdb skip, so ``pyarrow.dataset.dataset(<store>)`` reads exactly the
rows of the partitions in place, even while a pull runs or after one was killed:
a data file appears only by an atomic rename of a whole, fsynced file, and
its name is fixed by its partition, so a partition fetched twice (by two
processes, or again after a kill) replaces itself instead of doubling.

Directory names carry no ``=`` so that no reader takes them for Hive partitions.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from ..exceptions import StoreError

__all__ = [
    "FORMAT_VERSION",
    "HEADER",
    "atomic_write",
    "create_once",
    "marker_path",
    "os_error",
    "read_json",
]

#: The store format this cmsdials writes and reads; a larger one is refused.
FORMAT_VERSION = 1
HEADER = "_store.json"
PULLS = "_pulls"
PARTS = "_parts"
LOCKS = ".locks"
TMP_PREFIX = ".tmp-"

_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def os_error(exc: OSError, path: Path | str, doing: str) -> StoreError:
    """The :class:`StoreError` of an ``OSError`` met while ``doing`` something at ``path``."""
    where = str(path)
    if exc.errno in _FULL:
        return StoreError(
            f"cannot write the store at {where}: {exc.strerror or exc} while {doing} (the disk "
            "or your quota is full, or a file-size limit applies: `ulimit -f`). Nothing "
            "half-written is visible; free room (or raise the limit) and run the pull again: "
            "it continues where it stopped",
            path=where,
        )
    if exc.errno in _DENIED:
        return StoreError(
            f"cannot write the store at {where}: {exc.strerror or exc} while {doing}. Choose a "
            "folder you can write, or fix its permissions; what is stored there stays readable",
            path=where,
        )
    return StoreError(f"the store at {where}: {exc} while {doing}", path=where)


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def tmp_name(final: Path) -> Path:
    return final.with_name(f"{TMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}-{final.name}")


def atomic_write(final: Path, data: bytes | memoryview, what: str) -> None:
    """Write ``data`` to ``final`` whole or not at all: a temporary file, fsync, rename."""
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = tmp_name(final)
        try:
            with open(tmp, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, final)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        fsync_dir(final.parent)
    except OSError as exc:
        raise os_error(exc, final, f"writing {what}") from None


def create_once(final: Path, data: bytes, what: str) -> bool:
    """Create ``final`` with ``data`` unless it exists (atomically: link of a whole file).

    Returns whether this call created it.
    """
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = tmp_name(final)
        with open(tmp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, final)
            created = True
        except FileExistsError:
            created = False
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        fsync_dir(final.parent)
        return created
    except OSError as exc:
        raise os_error(exc, final, f"creating {what}") from None


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)


def read_json(path: Path, what: str) -> Any:
    """A JSON file of the store (``None`` if absent); a corrupt one is a StoreError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot read {what} {path}: {exc}", path=str(path)) from None
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise StoreError(
            f"{what} {path} is corrupt (not JSON). Delete it: the next pull writes it again "
            "(a partition marker: its partition is fetched again)",
            path=str(path),
        ) from None
    if not isinstance(value, dict):
        raise StoreError(f"{what} {path} is corrupt (not a JSON object)", path=str(path))
    return value


def digest(value: Any) -> str:
    """A short stable name of a JSON value (filters, a lane)."""
    return hashlib.sha1(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def marker_path(root: Path, pid: str) -> Path:
    return root / PARTS / (pid.replace("/", ".") + ".json")


def lock_path(root: Path, pid: str) -> Path:
    return root / LOCKS / (pid.replace("/", ".") + ".lock")


def data_path(root: Path, pid: str) -> Path:
    return root / (pid + ".parquet")


def pull_path(root: Path, pull_id: str) -> Path:
    return root / PULLS / f"{pull_id}.json"


def markers(root: Path) -> dict[str, dict[str, Any]]:
    """Every partition marker of the store, by partition id."""
    found: dict[str, dict[str, Any]] = {}
    folder = root / PARTS
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return found
    for name in names:
        if name.startswith(".") or not name.endswith(".json"):
            continue
        marker = read_json(folder / name, "the partition marker")
        if marker is not None and isinstance(marker.get("pid"), str):
            found[marker["pid"]] = marker
    return found


def clean_tmp(root: Path) -> None:
    """Remove the temporary files of processes of this host that are gone (killed ones)."""
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if not name.startswith(TMP_PREFIX):
                continue
            pid_text = name[len(TMP_PREFIX) :].split("-", 1)[0]
            if pid_text.isdigit() and not _alive(int(pid_text)):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(dirpath, name))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def walk_files(root: Path) -> Iterator[Path]:
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            yield Path(dirpath) / name


def check_header(root: Path, header: Mapping[str, Any]) -> None:
    """Refuse a header of a newer format."""
    fmt = header.get("format")
    if not isinstance(fmt, int):
        raise StoreError(f"{root / HEADER} is corrupt (no format version)", path=str(root))
    if fmt > FORMAT_VERSION:
        raise StoreError(
            f"the store at {root} has format {fmt}, written by a newer cmsdials "
            f"({header.get('cmsdials', '?')}); this one reads format {FORMAT_VERSION}: "
            "upgrade cmsdials (pip install -U 'cmsdials[store]') or choose another folder",
            path=str(root),
        )
