"""Reading a store back: :func:`open` (no credentials, no network) and :class:`StoredPull`."""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ..exceptions import StoreError
from . import layout
from .schema import asked_fields, pyarrow, row_schema, select
from .selection import Part

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd
    import pyarrow as pa

    from .. import adapter
    from ..arrays import Histograms
    from ..pagination import Page
    from .pull import PullStats

__all__ = ["Store", "StoredPull", "open"]


def _list_operation(group_name: str) -> adapter.Operation:
    from .. import adapter
    from ..groups import group

    op = adapter.api().group(group(group_name).route).list
    if op is None:
        raise StoreError(f"this cmsdials has no list route for the group {group_name!r}")
    return op


class StoredPull:
    """One pull of a store: its filters, its plan, and its rows as stored.

    ``complete`` says whether every partition of the plan is stored (a pull
    cut short, or one job's shard, is not); ``incomplete_runs`` counts the
    stored partitions whose runs DIALS had not finished ingesting when they were
    fetched (``refresh="incomplete"`` fetches them again). ``stats`` is set on
    the pull a ``store()`` call returns (``None`` when read back with :func:`open`).
    """

    def __init__(self, root: Path, header: Mapping[str, Any], record: Mapping[str, Any]) -> None:
        self.path = root
        self.group: str = str(header.get("group"))
        self.filters: dict[str, Any] = dict(record.get("filters", {}))
        self.dims: tuple[str, ...] = tuple(record.get("dims", ()))
        self.keys: tuple[str, ...] = tuple(record.get("keys", ()))
        self.planned: str = str(record.get("planned", ""))
        self.parts = [Part.from_json(p) for p in record.get("parts", ())]
        self.stats: PullStats | None = None
        self._markers = layout.markers(root)

    # -- what it holds --
    @property
    def stored(self) -> list[Part]:
        return [p for p in self.parts if p.pid in self._markers]

    @property
    def missing(self) -> list[str]:
        """The partitions of the plan not stored yet."""
        return [p.pid for p in self.parts if p.pid not in self._markers]

    @property
    def complete(self) -> bool:
        """Every partition of the plan is stored."""
        return not self.missing

    @property
    def incomplete_runs(self) -> int:
        """Stored partitions whose runs were still being ingested when fetched."""
        return sum(self._markers[p.pid].get("complete") is False for p in self.stored)

    @property
    def fetched(self) -> str | None:
        """When its latest partition was fetched (ISO 8601, UTC), ``None`` if none is."""
        times = [str(self._markers[p.pid].get("fetched")) for p in self.stored]
        return max(times) if times else None

    @property
    def rows(self) -> int:
        return sum(int(self._markers[p.pid].get("rows", 0)) for p in self.stored)

    def files(self) -> list[Path]:
        """The Parquet files of the stored partitions, in the plan's order."""
        return [layout.data_path(self.path, p.pid) for p in self.stored]

    def __repr__(self) -> str:
        state = "complete" if self.complete else f"{len(self.missing)} partitions missing"
        return (
            f"<StoredPull {self.group} {self.filters} at {self.path}: {len(self.parts)} "
            f"partitions, {self.rows} rows, {state}>"
        )

    # -- rows --
    def _schema(self, pa: Any) -> pa.Schema:
        schema, _ = row_schema(_list_operation(self.group))
        representative: dict[tuple[str, ...], Path] = {}
        for part in self.stored:
            names = tuple(self._markers[part.pid].get("columns", ()))
            representative.setdefault(names, layout.data_path(self.path, part.pid))
        if not representative:
            asked = asked_fields(self.filters.get("fields"))
            return schema if asked is None else select(schema, asked)
        if len(representative) == 1:
            return self._read_schema(pa, next(iter(representative.values())))
        schemas = [self._read_schema(pa, f) for f in representative.values()]
        try:
            unified: pa.Schema = pa.unify_schemas(schemas, promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise StoreError(
                f"the partitions of {self.path} have columns of different types ({exc})",
                path=str(self.path),
            ) from None
        return unified

    @staticmethod
    def _read_schema(pa: Any, file: Path) -> pa.Schema:
        import pyarrow.parquet as pq

        try:
            schema: pa.Schema = pq.read_schema(file)
        except (OSError, pa.ArrowException) as exc:
            raise _corrupt(file, exc) from None
        return schema

    def to_arrow(self) -> pa.Table:
        """The rows as one ``pyarrow.Table``, in DIALS's key order (as ``list_all``)."""
        pa = pyarrow()
        import pyarrow.dataset as ds

        files = self.files()
        schema = self._schema(pa)
        if not files:
            return schema.empty_table()
        try:
            table = ds.dataset([str(f) for f in files], schema=schema).to_table()
        except FileNotFoundError as exc:
            raise StoreError(
                f"a partition file of {self.path} is missing ({exc}): run the pull again, or "
                "cmsdials.store.open(path).verify(repair=True) first",
                path=str(self.path),
            ) from None
        except (OSError, pa.ArrowException) as exc:
            raise _corrupt(self._bad_file(files) or self.path, exc) from None
        if "me" in self.dims and len(files) > 1:
            keys = [k for k in self.keys if k in table.column_names]
            if keys:
                table = table.sort_by([(k, "ascending") for k in keys])
        return table

    def _bad_file(self, files: Sequence[Path]) -> Path | None:
        import pyarrow.parquet as pq

        for f in files:
            try:
                pq.ParquetFile(f).metadata  # noqa: B018 - reading it is the check
            except Exception:  # noqa: BLE001 - any failure names the file
                return f
        return None

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a DataFrame (via Arrow: histogram bins are numpy arrays per cell)."""
        try:
            import pandas  # noqa: F401
        except ImportError:
            raise ImportError(
                "to_pandas() needs pandas, which is not installed: pip install 'cmsdials[pandas]'"
            ) from None
        frame: pd.DataFrame = self.to_arrow().to_pandas()
        return frame

    def to_dask(self) -> dd.DataFrame:
        """The rows as a ``dask.dataframe.DataFrame`` read from the files: one Dask
        partition per stored partition (by ME and run), nothing fetched from DIALS."""
        try:
            import dask.dataframe as ddf
        except ImportError:
            raise ImportError(
                "to_dask() needs dask, which is not installed: pip install 'cmsdials[dask]'"
            ) from None
        files = [str(f) for f in self.files()]
        if not files:
            empty: dd.DataFrame = ddf.from_pandas(  # type: ignore[no-untyped-call]
                self.to_pandas(), npartitions=1
            )
            return empty
        frame: dd.DataFrame = ddf.read_parquet(files)
        return frame

    def to_numpy(self) -> Histograms:
        """Histogram rows as :class:`~cmsdials.arrays.Histograms` (stacked bins, edges, keys),
        straight from the Arrow columns (no Python loop over rows)."""
        return histograms_of(self.to_arrow())

    def to_page(self, model: type[Any] | None = None) -> Page[Any]:
        """The rows as a :class:`~cmsdials.pagination.Page` of rows, as ``list_all`` returns."""
        from ..models import group_row_class, reader
        from ..pagination import Page

        table = self.to_arrow()
        json_columns: set[str] = set()
        for part in self.stored:
            json_columns.update(self._markers[part.pid].get("json_columns", ()))
        op = _list_operation(self.group)
        from .schema import row_fields

        optional = {f.name for f in row_fields(op) if not f.required}
        spec = {f.name for f in row_fields(op)}
        rows = table.to_pylist()
        for row in rows:
            for name in json_columns:
                value = row.get(name)
                if isinstance(value, str):
                    row[name] = orjson.loads(value)
            for name in [n for n, v in row.items() if v is None]:
                if name in optional or name not in spec:
                    del row[name]
        if "fields" in self.filters:
            return Page(rows, None, None, model=model)
        cls = model if model is not None else group_row_class(self.group)
        results = reader(cls, f"{op.method} {op.path}").read(rows)
        return Page(results, None, None, model=cls)


def _corrupt(file: Path | str, exc: BaseException) -> StoreError:
    return StoreError(
        f"{file} is corrupt or unreadable ({exc}). Run "
        "cmsdials.store.open(path).verify(repair=True), then the pull again: the "
        "damaged partitions are fetched again",
        path=str(file),
    )


def histograms_of(table: pa.Table) -> Histograms:
    """:class:`~cmsdials.arrays.Histograms` of an Arrow table of h1d/h2d rows."""
    from ..arrays import KEY_COLUMNS, Histograms, edges, require_numpy

    np = require_numpy()
    pa = pyarrow()
    import pyarrow.compute as pc

    names = set(table.column_names)
    if not {"data", "x_min", "x_max", "x_bin"} <= names:
        raise ValueError(
            "to_numpy() needs histogram rows (h1d / h2d) with their data and binning "
            "(data, x_min, x_max, x_bin)"
        )
    if table.num_rows == 0:
        return Histograms(np.empty((0, 0), dtype=np.float64), np.empty(0, dtype=np.float64))
    two_d = "y_bin" in names and table["y_bin"].null_count == 0
    binning = ["x_min", "x_max", "x_bin"] + (["y_min", "y_max", "y_bin"] if two_d else [])
    distinct = table.select(binning).group_by(binning).aggregate([])
    if distinct.num_rows > 1:
        mes = len(pc.unique(table["me_id"])) if "me_id" in names else "several"
        raise ValueError(
            f"to_numpy() stacks histograms of one binning, and these {table.num_rows} rows have "
            f"{distinct.num_rows} ({mes} monitoring elements): select one ME (me= or me_id=) "
            "or split the rows by me_id first"
        )
    first = distinct.to_pylist()[0]
    x_bin = int(first["x_bin"])
    data = table["data"].combine_chunks()
    n = table.num_rows
    shape: tuple[int, ...] = (n, int(first["y_bin"]), x_bin) if two_d else (n, x_bin)
    flat = data
    for _ in range(2 if two_d else 1):
        lengths = pc.list_value_length(flat)
        if flat.null_count or pc.min(lengths).as_py() != pc.max(lengths).as_py():
            raise ValueError("to_numpy(): the rows' data do not form one array of their binning")
        flat = flat.flatten()
    values = flat.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
    if values.size != int(np.prod(shape)):
        raise ValueError(
            f"to_numpy(): the rows' data have {values.size} values, their binning says {shape}"
        )
    values = values.reshape(shape)
    x_edges = edges(np, first["x_min"], first["x_max"], x_bin)
    y_edges = edges(np, first["y_min"], first["y_max"], int(first["y_bin"])) if two_d else None
    keys: dict[str, Any] = {}
    for name in KEY_COLUMNS:
        if name in names:
            column = table[name]
            if pa.types.is_integer(column.type):
                keys[name] = column.to_numpy().astype(np.int64, copy=False)
            else:
                keys[name] = np.array(column.to_pylist(), dtype=str)
    return Histograms(values, x_edges, y_edges, keys)


class Store:
    """A store folder (or a folder of stores, such as the cache), read without network.

    ``pulls()`` lists the pulls it holds, ``size()`` its bytes on disk, ``clear()``
    removes it, ``verify()`` checks every partition against its checksum.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        header = layout.read_json(self.path / layout.HEADER, "the store header")
        if header is not None:
            layout.check_header(self.path, header)
            self.roots = [self.path]
            self.headers = {self.path: header}
            return
        if not self.path.exists():
            raise StoreError(f"there is no store at {self.path}", path=str(self.path))
        if not self.path.is_dir():
            raise StoreError(f"{self.path} is not a folder", path=str(self.path))
        self.roots = []
        self.headers = {}
        for sub in sorted(self.path.iterdir()):
            found = layout.read_json(sub / layout.HEADER, "the store header")
            if found is not None:
                layout.check_header(sub, found)
                self.roots.append(sub)
                self.headers[sub] = found
        if not self.roots and any(
            f.suffix == ".parquet" or f.name.endswith(".json") for f in self.path.iterdir()
        ):
            raise StoreError(
                f"{self.path} is not a cmsdials store (no {layout.HEADER})", path=str(self.path)
            )

    def __repr__(self) -> str:
        return f"<Store {self.path}: {len(self.roots)} store(s)>"

    def pulls(self) -> builtins.list[StoredPull]:
        """Every pull held: group, filters, when fetched, complete or not."""
        found = []
        for root in self.roots:
            folder = root / layout.PULLS
            try:
                names = sorted(os.listdir(folder))
            except FileNotFoundError:
                continue
            for name in names:
                if name.endswith(".json") and not name.startswith("."):
                    record = layout.read_json(folder / name, "the pull record")
                    if record is not None:
                        found.append(StoredPull(root, self.headers[root], record))
        return found

    def pull_by_id(self, pull_id: str) -> StoredPull:
        for root in self.roots:
            record = layout.read_json(layout.pull_path(root, pull_id), "the pull record")
            if record is not None:
                return StoredPull(root, self.headers[root], record)
        raise StoreError(f"no pull {pull_id} in {self.path}", path=str(self.path))

    def size(self) -> int:
        """Bytes on disk of everything in the store(s)."""
        total = 0
        for root in self.roots:
            for f in layout.walk_files(root):
                with contextlib.suppress(OSError):
                    total += f.stat().st_size
        return total

    def clear(self) -> None:
        """Remove the store(s) and everything in them."""
        for root in self.roots:
            try:
                shutil.rmtree(root)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise layout.os_error(exc, root, "clearing the store") from None
        self.roots = []
        self.headers = {}

    def verify(self, *, repair: bool = False) -> builtins.list[str]:
        """The partitions whose file is missing or does not match its checksum; with
        ``repair=True`` their markers are removed, so that the next pull fetches them again."""
        bad = []
        for root in self.roots:
            for pid, marker in layout.markers(root).items():
                file = layout.data_path(root, pid)
                try:
                    digest = hashlib.sha256(file.read_bytes()).hexdigest()
                except OSError:
                    digest = ""
                if digest != marker.get("sha256"):
                    bad.append(pid)
                    if repair:
                        with contextlib.suppress(OSError):
                            layout.marker_path(root, pid).unlink()
                        with contextlib.suppress(OSError):
                            file.unlink()
        return bad


def open(path: str | os.PathLike[str]) -> Store:
    """The store at ``path`` (or the folder of stores, like the cache), for reading."""
    return Store(path)
