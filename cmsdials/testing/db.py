"""The SQLite databases of the local DIALS: one per workspace, rows pre-serialised.

Every table (its shape derived from the spec, see :mod:`.shapes`) keeps the
columns the API filters and orders on, plus ``json``: the row's API
representation, serialised once at build time.  A page is then the join of
stored byte strings, never a re-encoding of 100-bin arrays.

Tables are ``WITHOUT ROWID`` with the composite primary key DIALS orders by, so
keyset pagination walks the clustered index.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import queue
import re
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from .data import Row, WorkspaceRows
from .shapes import Table
from .values import api_row, generic_rows


class InvalidRegex(ValueError):
    """A ``__regex`` filter that does not compile (DIALS answers 500)."""


@functools.lru_cache(maxsize=256)
def compile_regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise InvalidRegex(str(exc)) from exc


def _regexp(pattern: str, value: Any) -> bool:
    return value is not None and compile_regex(pattern).search(str(value)) is not None


_counter = itertools.count()


class WorkspaceDB:
    """One workspace's SQLite database and a pool of read connections to it."""

    def __init__(self, name: str, db_dir: Path | None = None) -> None:
        self.name = name
        if db_dir is None:
            self.uri = (
                f"file:cmsdials-testing-{id(self)}-{next(_counter)}-{name}?mode=memory&cache=shared"
            )
            self.path: Path | None = None
        else:
            db_dir.mkdir(parents=True, exist_ok=True)
            self.path = db_dir / f"{name}.sqlite3"
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.uri = self.path.resolve().as_uri()
        #: Keeps a shared in-memory database alive; also the writer at build time.
        self._keeper = sqlite3.connect(self.uri, uri=True, check_same_thread=False)
        self._pool: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._all: list[sqlite3.Connection] = [self._keeper]
        self._lock = threading.Lock()

    # ------------------------------------------------------------ build

    def load(self, rows: WorkspaceRows, tables: Mapping[str, Table]) -> None:
        """Create ``tables`` and fill them from the generator's ``rows``.

        A served row holds the table's fields only (the generator may know more, e.g.
        the fields of another DIALS version), made up by the value maker where the
        generator has no value; a table no generator fills gets a few generic rows.
        """
        conn = self._keeper
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        for table in tables.values():
            cols = ", ".join(f'"{n}" {t}' for n, t in table.columns)
            pk = ", ".join(f'"{c}"' for c in table.pk)
            conn.execute(
                f'CREATE TABLE "{table.name}" ({cols}, json BLOB NOT NULL, '
                f"PRIMARY KEY ({pk})) WITHOUT ROWID"
            )
            made = rows.tables.get(table.name)
            data = generic_rows(table) if made is None else made
            names = [n for n, _ in table.columns]
            marks = ", ".join("?" * (len(names) + 1))
            records = sorted(
                (_record(table, row, index, names) for index, row in enumerate(data)),
                key=lambda record: record[: len(table.pk)],
            )
            conn.executemany(f'INSERT INTO "{table.name}" VALUES ({marks})', records)
            for index in table.indexes:
                idx_name = f"idx_{table.name}_{'_'.join(index)}"
                idx_cols = ", ".join(f'"{c}"' for c in index)
                conn.execute(f'CREATE INDEX "{idx_name}" ON "{table.name}" ({idx_cols})')
        conn.commit()
        conn.execute("ANALYZE")
        conn.commit()

    def copy_to(self, target: WorkspaceDB) -> None:
        """Copy this (built) database into ``target`` with SQLite's online backup."""
        self._keeper.backup(target._keeper)

    # ------------------------------------------------------------ read

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.uri, uri=True, check_same_thread=False)
        conn.create_function("REGEXP", 2, _regexp, deterministic=True)
        conn.execute("PRAGMA query_only=ON")
        with self._lock:
            self._all.append(conn)
        return conn

    @contextlib.contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A read connection from the pool, returned to it afterwards."""
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            conn = self._connect()
        try:
            yield conn
        finally:
            self._pool.put(conn)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.connection() as conn:
            return conn.execute(sql, params).fetchall()

    def reader(self) -> sqlite3.Connection:
        """A fresh read-only connection for tests (the caller closes it)."""
        conn = self._connect()
        with self._lock:
            self._all.remove(conn)
        conn.row_factory = sqlite3.Row
        return conn

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            with contextlib.suppress(sqlite3.Error):
                conn.close()


def _record(table: Table, row: Row, index: int, names: list[str]) -> tuple[Any, ...]:
    """The stored columns (primary key first) and the serialised API row."""
    served = api_row(table, row, index)
    values: list[Any] = []
    for name in names:
        value = served[name] if name in served else row.get(name)
        if name in table.json_columns:
            value = None if value is None else orjson.dumps(value).decode()
        elif isinstance(value, bool):
            value = int(value)
        values.append(value)
    return (*values, orjson.dumps(served))
