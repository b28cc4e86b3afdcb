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


def api_row(table: Table, row: Mapping[str, Any], index: int) -> dict[str, Any]:
    """The row as the spec serves it: its fields, in order, from ``row`` or made up."""
    return {
        shape.name: row[shape.name] if shape.name in row else make_value(shape, row, index)
        for shape in table.fields
    }


def generic_rows(table: Table, count: int = 3) -> list[dict[str, Any]]:
    """Rows for a table no generator knows (a list route a new DIALS added)."""
    return [api_row(table, {}, index) for index in range(count)]
