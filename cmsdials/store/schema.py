"""Arrow columns from DIALS's spec: the row schema of a group, and rows → Parquet bytes.

Column names and types come from the spec's row schema (the adapter's
:class:`~cmsdials.adapter.Shape`), not from the first rows, so an empty
partition has every column. ``int`` → int64, ``float`` → float64, ``str`` →
string, ``bool`` → bool, ``datetime`` → timestamp[us, UTC], ``date`` → date32,
``list[float]`` → list<double> (``list[list[float]]`` for 2D histograms), a
nullable ``X`` → a nullable ``X``; free-form JSON (``any``, ``object``) is kept
as its JSON text (named in the file's metadata ``cmsdials.json_columns``).
A field the server adds is kept after the spec's, with the type pyarrow infers
(its JSON text when it cannot). A value of another type than the spec's is kept
as its JSON text too, so the pull does not die on it.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from .. import adapter
from ..exceptions import DialsDecodeError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["EXTRA", "pyarrow", "row_schema", "table_of", "to_parquet"]

EXTRA = "pip install 'cmsdials[store]'"


def pyarrow() -> Any:
    """The pyarrow module, or an ImportError naming the extra."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ImportError(
            f"the store (store(), list_all(cache=), cmsdials.store.open) needs pyarrow, which "
            f"is not installed: {EXTRA}"
        ) from None
    return pyarrow


def _arrow_type(pa: Any, shape: adapter.Shape) -> Any:
    """The Arrow type of a spec shape (``None``: kept as JSON text)."""
    shape = shape.without_null()
    kind = shape.kind
    simple = {
        "int": pa.int64(),
        "float": pa.float64(),
        "str": pa.string(),
        "bool": pa.bool_(),
        "datetime": pa.timestamp("us", tz="UTC"),
        "date": pa.date32(),
    }
    if kind in simple:
        return simple[kind]
    if kind.startswith("list") and shape.items is not None:
        inner = _arrow_type(pa, shape.items)
        return None if inner is None else pa.list_(inner)
    return None


def row_fields(op: adapter.Operation) -> tuple[adapter.Field, ...]:
    rows = op.rows
    if rows is None:
        return ()
    if not rows.fields and rows.model:
        full = adapter.api().model(rows.model)
        rows = full if full is not None else rows
    return rows.fields


def row_schema(op: adapter.Operation) -> tuple[pa.Schema, tuple[str, ...]]:
    """The spec's columns of ``op``'s rows, and the names of those kept as JSON text."""
    pa = pyarrow()
    columns = []
    as_json = []
    for f in row_fields(op):
        arrow = _arrow_type(pa, f.shape)
        if arrow is None:
            arrow = pa.string()
            as_json.append(f.name)
        columns.append(pa.field(f.name, arrow, nullable=True))
    return pa.schema(columns), tuple(as_json)


def select(schema: pa.Schema, names: Sequence[str]) -> pa.Schema:
    """``schema``'s fields named in ``names`` (those it has), in that order."""
    pa = pyarrow()
    return pa.schema([schema.field(n) for n in names if n in schema.names])


def asked_fields(value: object) -> list[str] | None:
    """The names a ``fields=`` filter asks for (``None``: every field)."""
    if isinstance(value, str):
        return [n.strip() for n in value.split(",") if n.strip()]
    if isinstance(value, list | tuple):
        return [str(n) for n in value]
    return None


def _json_texts(values: Sequence[Any]) -> list[str | None]:
    return [None if v is None else orjson.dumps(v, default=str).decode() for v in values]


def table_of(
    rows: Sequence[Any], schema: pa.Schema, as_json: Sequence[str]
) -> tuple[pa.Table, list[str]]:
    """The Arrow table of ``rows`` (models or dicts) in ``schema``'s columns, then any
    column the server added; the second value names every column kept as JSON text."""
    pa = pyarrow()
    if rows and not isinstance(rows[0], dict):
        dicts: Sequence[dict[str, Any]] = list(map(vars, rows))  # rows' __dict__: DIALS's object
    else:
        dicts = rows
    known = frozenset(schema.names)
    # Rows with a field added (or left out): one pass in C, then a closer look if any.
    try:
        same = all(map(operator.eq, itertools.repeat(known), map(dict.keys, dicts)))
    except TypeError:  # dict.keys of something else
        bad = next(d for d in dicts if not isinstance(d, dict))
        raise DialsDecodeError(
            f"a row is not a JSON object but {type(bad).__name__}: {str(bad)[:80]!r}"
        ) from None
    odd = [] if same else [d for d in dicts if d.keys() != known]
    extra: dict[str, None] = {}
    for d in odd:
        for name in d:
            if name not in known:
                extra[name] = None
    json_columns = list(as_json)
    table = None
    if not as_json:
        try:  # the common case: one conversion in C, straight into the spec's types
            table = _fast_table(pa, dicts, schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            table = None
    if table is None:
        arrays = []
        fields = []
        for field in schema:
            name = field.name
            values = [d.get(name) for d in dicts]
            if name in as_json:
                arrays.append(pa.array(_json_texts(values), pa.string()))
                fields.append(field)
                continue
            try:
                arrays.append(pa.array(values, field.type))
                fields.append(field)
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
                arrays.append(pa.array(_json_texts(values), pa.string()))
                fields.append(pa.field(name, pa.string()))
                json_columns.append(name)
        table = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
    for name in extra:
        values = [d.get(name) for d in dicts]
        try:
            array = pa.array(values)
            if pa.types.is_null(array.type):
                array = array.cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            array = pa.array(_json_texts(values), pa.string())
            json_columns.append(name)
        table = table.append_column(pa.field(name, array.type), array)
    return table, json_columns


def _fast_table(pa: Any, dicts: Sequence[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """``dicts`` in ``schema``'s types in one ``from_pylist``; dates (ISO 8601 text as
    DIALS sends them, or datetimes) parsed by Arrow's cast, column by column."""
    dated = [f for f in schema if pa.types.is_timestamp(f.type) or pa.types.is_date(f.type)]
    if not dated:
        return pa.Table.from_pylist(dicts, schema=schema)
    names = {f.name for f in dated}
    table = pa.Table.from_pylist(
        dicts, schema=pa.schema([f for f in schema if f.name not in names])
    )
    for i, field in enumerate(schema):
        if field.name in names:
            column = pa.array([d.get(field.name) for d in dicts])
            table = table.add_column(i, field, column.cast(field.type))
    return table


def to_parquet(table: pa.Table, metadata: Mapping[str, str]) -> Any:
    """The Parquet bytes (a pyarrow Buffer) of ``table`` with ``metadata`` in its schema."""
    pa = pyarrow()
    import pyarrow.parquet as pq

    table = table.replace_schema_metadata({k.encode(): v.encode() for k, v in metadata.items()})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue()
