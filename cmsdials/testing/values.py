"""The generic value maker: a value for any field the seeded generators do not fill.

The generators of :mod:`.data` make realistic rows (histograms, runs, files, ML
models) and know fields by name.  The spec decides which fields a row has
(:mod:`.shapes`); a field that no generator knows (one a new DIALS adds) gets a
plausible value here, by its name and then by its type and format, so a spec
change never needs a hand edit to serve well-typed rows.  Values are
deterministic: they depend on the row's position only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from .shapes import FieldShape, Table

_EPOCH = datetime(2024, 4, 5, 8, 0, tzinfo=timezone.utc)


def _iso(index: int) -> str:
    when = _EPOCH + timedelta(hours=7 * index, minutes=13 * (index % 5))
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _by_name(shape: FieldShape, row: Mapping[str, Any], index: int) -> Any:
    """A value chosen by the field's name, or ``NotImplemented``."""
    name = shape.name
    kind = shape.type
    if kind == "string" and name.endswith("_by"):
        return "cmsdials-testing"
    if kind == "string" and shape.format == "date-time":
        return _iso(index)
    if kind == "integer" and (name == "id" or name.endswith("_id")):
        return index + 1
    if kind == "integer" and (name == "count" or name.endswith("_count")):
        return 0
    if kind == "string" and name == "description":
        return f"Row {index + 1} of the local DIALS."
    return NotImplemented


def _by_type(shape: FieldShape, index: int) -> Any:
    schema = shape.schema
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return enum[index % len(enum)]
    kind = shape.type
    if kind == "integer":
        return index + 1
    if kind == "number":
        return float(index)
    if kind == "boolean":
        return index % 2 == 0
    if kind == "array":
        return []
    if kind == "object":
        return {}
    if kind == "string":
        fmt = shape.format
        if fmt == "date":
            return _iso(index)[:10]
        if fmt == "uri":
            return f"https://cmsdials.invalid/{shape.name}/{index + 1}"
        if fmt == "uuid":
            return f"00000000-0000-4000-8000-{index + 1:012d}"
        return f"{shape.name}-{index + 1}"
    return None


def make_value(shape: FieldShape, row: Mapping[str, Any], index: int) -> Any:
    """A value for ``shape`` in the ``index``-th row (``row``: what the generator made)."""
    value = _by_name(shape, row, index)
    if value is NotImplemented:
        value = None if shape.nullable else _by_type(shape, index)
    limit = shape.max_length
    if isinstance(value, str) and limit is not None:
        value = value[:limit]
    return value


_NO = object()


def _number(value: Any) -> int | float | object:
    if isinstance(value, bool):
        return _NO
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return float(value) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            return _NO
    return _NO


def conform(shape: FieldShape, value: Any) -> Any:
    """``value`` as the type the spec gives the field (a spec may retype a field the
    generator fills), or ``_NO`` when it cannot be.  A generator's ``None`` is kept:
    DIALS sends null for an empty column even where its spec forgets ``nullable``
    (v1.12.0's ``err_trace``)."""
    kind = shape.type
    if value is None:
        return None
    if kind == "string":
        if isinstance(value, datetime):
            value = value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return _NO
        limit = shape.max_length
        return value[:limit] if limit is not None else value
    if kind == "integer":
        number = _number(value)
        if isinstance(number, float) and number.is_integer():
            return int(number)
        return number if isinstance(number, int) else _NO
    if kind == "number":
        number = _number(value)
        return number if number is not _NO else _NO
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        return bool(value) if isinstance(value, int) and value in (0, 1) else _NO
    if kind == "array":
        return value if isinstance(value, list) else _NO
    if kind == "object":
        return value if isinstance(value, dict) else _NO
    return value


def api_row(table: Table, row: Mapping[str, Any], index: int) -> dict[str, Any]:
    """The row as the spec serves it: its fields, in order and of their types, from the
    generator's ``row`` where it has a value that fits, else made up.

    Every property is sent, required or not, as a DRF serializer sends every field it
    declares (``required`` in DIALS's spec marks what a client may rely on, ``readOnly``
    fields such as the ``id`` of runs and lumisections are not required there).
    """
    served: dict[str, Any] = {}
    for shape in table.fields:
        value = conform(shape, row[shape.name]) if shape.name in row else _NO
        served[shape.name] = make_value(shape, row, index) if value is _NO else value
    return served


def generic_rows(table: Table, count: int = 3) -> list[dict[str, Any]]:
    """Rows for a table no generator knows (a list route a new DIALS added)."""
    return [api_row(table, {}, index) for index in range(count)]
