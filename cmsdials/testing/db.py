"""The SQLite databases of the local DIALS: one per workspace, rows pre-serialised.

Every table keeps the columns the API filters and orders on, plus ``json``: the
row's API representation, serialised once at build time.  A page is then the
join of stored byte strings, never a re-encoding of 100-bin arrays.

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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from .data import Row, WorkspaceRows


@dataclass(frozen=True)
class Table:
    """How one DIALS table is stored."""

    name: str
    #: Model name used in DRF's 404 message ("No TH1 matches the given query.").
    label: str
    #: Fields of the API representation, in output order.
    json_fields: tuple[str, ...]
    #: Stored columns and their SQLite types (filterable and orderable).
    columns: tuple[tuple[str, str], ...]
    pk: tuple[str, ...]
    indexes: tuple[tuple[str, ...], ...] = ()

    @property
    def column_names(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.columns)

    def column_type(self, name: str) -> str:
        return dict(self.columns)[name]


_HIST_COLUMNS = (
    ("dataset_id", "INTEGER"),
    ("run_number", "INTEGER"),
    ("ls_number", "INTEGER"),
    ("me_id", "INTEGER"),
    ("file_id", "INTEGER"),
    ("dataset", "TEXT"),
    ("me", "TEXT"),
    ("logical_file_name", "TEXT"),
    ("entries", "INTEGER"),
    ("x_min", "REAL"),
    ("x_max", "REAL"),
    ("x_bin", "INTEGER"),
)
_HIST_PK = ("dataset_id", "run_number", "ls_number", "me_id")
_HIST_INDEXES = (("me",), ("me_id",), ("run_number",), ("file_id",), ("ls_number",))

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "dataset_index",
            "DatasetIndex",
            (
                "dataset_id",
                "dataset",
                "era",
                "data_tier",
                "primary_ds_name",
                "processed_ds_name",
                "processing_version",
                "last_modification_date",
            ),
            (
                ("dataset_id", "INTEGER"),
                ("dataset", "TEXT"),
                ("era", "TEXT"),
                ("data_tier", "TEXT"),
                ("primary_ds_name", "TEXT"),
                ("processed_ds_name", "TEXT"),
                ("processing_version", "INTEGER"),
                ("last_modification_date", "TEXT"),
            ),
            ("dataset_id",),
        ),
        Table(
            "file_index",
            "FileIndex",
            (
                "dataset_id",
                "dataset",
                "file_id",
                "file_size",
                "creation_date",
                "last_modification_date",
                "logical_file_name",
                "status",
                "err_trace",
            ),
            (
                ("dataset_id", "INTEGER"),
                ("file_id", "INTEGER"),
                ("dataset", "TEXT"),
                ("file_size", "INTEGER"),
                ("creation_date", "TEXT"),
                ("last_modification_date", "TEXT"),
                ("logical_file_name", "TEXT"),
                ("status", "TEXT"),
            ),
            ("dataset_id", "file_id"),
            (("file_id",),),
        ),
        Table(
            "run",
            "Run",
            ("dataset_id", "dataset", "run_number", "ls_count"),
            (
                ("dataset_id", "INTEGER"),
                ("run_number", "INTEGER"),
                ("dataset", "TEXT"),
                ("ls_count", "INTEGER"),
            ),
            ("dataset_id", "run_number"),
            (("run_number",),),
        ),
        Table(
            "lumisection",
            "Lumisection",
            ("dataset_id", "dataset", "run_number", "ls_number", "th1_count", "th2_count"),
            (
                ("dataset_id", "INTEGER"),
                ("run_number", "INTEGER"),
                ("ls_number", "INTEGER"),
                ("dataset", "TEXT"),
                ("th1_count", "INTEGER"),
                ("th2_count", "INTEGER"),
            ),
            ("dataset_id", "run_number", "ls_number"),
            (("run_number",),),
        ),
        Table(
            "mes",
            "MEs",
            ("me_id", "me", "count", "dim"),
            (("me_id", "INTEGER"), ("me", "TEXT"), ("count", "INTEGER"), ("dim", "INTEGER")),
            ("me_id",),
        ),
        Table(
            "th1",
            "TH1",
            (
                "dataset_id",
                "dataset",
                "file_id",
                "run_number",
                "ls_number",
                "me_id",
                "me",
                "x_min",
                "x_max",
                "x_bin",
                "entries",
                "data",
            ),
            _HIST_COLUMNS,
            _HIST_PK,
            _HIST_INDEXES,
        ),
        Table(
            "th2",
            "TH2",
            (
                "dataset_id",
                "dataset",
                "file_id",
                "run_number",
                "ls_number",
                "me_id",
                "me",
                "x_min",
                "x_max",
                "x_bin",
                "y_min",
                "y_max",
                "y_bin",
                "entries",
                "data",
            ),
            (*_HIST_COLUMNS, ("y_min", "REAL"), ("y_max", "REAL"), ("y_bin", "INTEGER")),
            _HIST_PK,
            _HIST_INDEXES,
        ),
        Table(
            "ml_models_index",
            "MLModelsIndex",
            ("model_id", "filename", "target_me", "active"),
            (
                ("model_id", "INTEGER"),
                ("filename", "TEXT"),
                ("target_me", "TEXT"),
                ("active", "INTEGER"),
            ),
            ("model_id",),
        ),
        Table(
            "ml_bad_lumisection",
            "MLBadLumisection",
            ("model_id", "dataset_id", "file_id", "run_number", "ls_number", "me_id", "mse"),
            (
                ("model_id", "INTEGER"),
                ("dataset_id", "INTEGER"),
                ("run_number", "INTEGER"),
                ("ls_number", "INTEGER"),
                ("me_id", "INTEGER"),
                ("file_id", "INTEGER"),
                ("mse", "REAL"),
                ("dataset", "TEXT"),
                ("me", "TEXT"),
                ("filename", "TEXT"),
            ),
            ("model_id", "dataset_id", "run_number", "ls_number", "me_id"),
            (("dataset_id", "run_number"),),
        ),
    )
}


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

    def load(self, rows: WorkspaceRows) -> None:
        conn = self._keeper
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        for table in TABLES.values():
            cols = ", ".join(f'"{n}" {t}' for n, t in table.columns)
            pk = ", ".join(f'"{c}"' for c in table.pk)
            conn.execute(
                f'CREATE TABLE "{table.name}" ({cols}, json BLOB NOT NULL, '
                f"PRIMARY KEY ({pk})) WITHOUT ROWID"
            )
            data = rows.tables.get(table.name, [])
            data = sorted(data, key=lambda r, pk=table.pk: tuple(r[c] for c in pk))  # type: ignore[misc]
            names = [n for n, _ in table.columns]
            marks = ", ".join("?" * (len(names) + 1))
            conn.executemany(
                f'INSERT INTO "{table.name}" VALUES ({marks})',
                (_record(row, names, table.json_fields) for row in data),
            )
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


def _record(row: Row, names: list[str], json_fields: tuple[str, ...]) -> tuple[Any, ...]:
    body = orjson.dumps({k: row[k] for k in json_fields if k in row})
    values = [row.get(n) for n in names]
    return (*[int(v) if isinstance(v, bool) else v for v in values], body)
