"""django-filter lookups, DRF cursor pagination and ``fields``, on SQLite.

Behaviour follows DIALS (see ``shared/dials/README.md``): a repeated query key
keeps its last value, empty values and unknown names filter nothing, an invalid
number answers 400 ``{"name": ["Enter a number."]}``, an invalid boolean is
ignored, an invalid regex answers 500.  Cursors are opaque base64 (as DRF's:
``p=<position>&r=1``) and pages are walked by keyset on the full ordering, which
always ends with the primary key so that pages never overlap.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson

from .db import InvalidRegex, compile_regex
from .routes import Filter, Operation
from .shapes import Table

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 500
ENTER_A_NUMBER = "Enter a number."

Ordering = list[tuple[str, bool]]  # (column, descending)


class HttpError(Exception):
    """An answer other than 200, raised from deep inside a view."""

    def __init__(self, status: int, body: Any = None, *, html: str | None = None) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.html = html


def bad_request(body: Any) -> HttpError:
    return HttpError(400, body)


def not_found(detail: str) -> HttpError:
    return HttpError(404, {"detail": detail})


def server_error(reason: str) -> HttpError:
    """DIALS's 500: an HTML page (``reason`` only goes to the server's log)."""
    return HttpError(500, html=reason)


def last_values(query: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Django's ``QueryDict.__getitem__``: the last value of each key."""
    return {key: values[-1] for key, values in query.items() if values}


def to_number(raw: str) -> int | float:
    """django's DecimalField parsing of a number filter; ``ValueError`` if not one."""
    text = raw.strip()
    try:
        return int(text)
    except ValueError:
        value = float(text)  # raises ValueError for non-numbers
        if not math.isfinite(value):
            raise
        return int(value) if value.is_integer() else value


def to_bool(raw: str) -> bool | None:
    """django-filter's BooleanFilter: ``None`` (filter ignored) for anything else."""
    lowered = raw.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    return None


def _convert(kind: str | None, raw: str) -> Any:
    if kind in ("integer", "number"):
        return to_number(raw)
    if kind == "boolean":
        return to_bool(raw)
    return raw


def where_clause(op: Operation, params: Mapping[str, str]) -> tuple[str, list[Any]]:
    """The SQL condition of the request's filters (``"1"`` when there is none)."""
    clauses: list[str] = []
    values: list[Any] = []
    errors: dict[str, list[str]] = {}
    for name, flt in op.filters.items():
        raw = params.get(name)
        if raw is None or raw == "":
            continue
        try:
            clause = _clause(flt, raw, values)
        except ValueError:
            errors[name] = [ENTER_A_NUMBER]
            continue
        if clause:
            clauses.append(clause)
    if errors:
        raise bad_request(errors)
    return (" AND ".join(clauses) or "1"), values


def _clause(flt: Filter, raw: str, values: list[Any]) -> str | None:
    column = f'"{flt.column}"'
    if flt.lookup == "in":
        kind = flt.param.item_type or flt.param.type
        items = [_convert(kind, item) for item in raw.split(",") if item.strip() != ""]
        if not items:
            return None
        values.extend(items)
        return f"{column} IN ({', '.join('?' * len(items))})"
    if flt.lookup in ("regex", "contains_regex"):
        try:
            compile_regex(raw)
        except InvalidRegex as exc:
            raise server_error(f"invalid regular expression {raw!r}: {exc}") from exc
    if flt.lookup == "regex":
        values.append(raw)
        return f"{column} REGEXP ?"
    if flt.lookup in ("contains", "contains_regex"):  # one object of a JSON list has key = value
        values.extend([f"$.{flt.key}", raw])
        test = "REGEXP" if flt.lookup == "contains_regex" else "="
        return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_extract(value, ?) {test} ?)"
    value = _convert(flt.param.type, raw)
    if value is None:  # an invalid boolean: django-filter ignores it
        return None
    if isinstance(value, bool):
        value = int(value)
    values.append(value)
    operator = {"exact": "=", "gte": ">=", "lte": "<="}[flt.lookup]
    return f"{column} {operator} ?"


def page_size(params: Mapping[str, str]) -> int:
    """DRF: default 10, capped at 500; 0, negative or non-numeric fall back to 10."""
    try:
        size = int(params.get("page_size", ""))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    if size <= 0:
        return DEFAULT_PAGE_SIZE
    return min(size, MAX_PAGE_SIZE)


def ordering(table: Table, query: Mapping[str, Sequence[str]]) -> Ordering:
    """``order_by`` (repeatable, comma-separated, ``-`` for descending) then the primary key."""
    result: Ordering = []
    for value in query.get("order_by", []):
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            name = item.lstrip("-")
            if name not in table.column_names:
                raise server_error(f"cannot order {table.name} by {name!r}")
            if all(name != col for col, _ in result):
                result.append((name, item.startswith("-")))
    for col in table.pk:
        if all(col != c for c, _ in result):
            result.append((col, False))
    return result


def encode_cursor(position: Sequence[Any], reverse: bool) -> str:
    parts = [("p", orjson.dumps(list(position)).decode())]
    if reverse:
        parts.append(("r", "1"))
    return base64.b64encode(urlencode(parts).encode()).decode("ascii")


def decode_cursor(token: str, table: Table, order: Ordering) -> tuple[list[Any], bool]:
    """``(position, reverse)``; 404 ``Invalid cursor`` for anything malformed."""
    invalid = not_found("Invalid cursor")
    try:
        decoded = base64.b64decode(token.encode("ascii"), validate=True).decode()
        parts = dict(parse_qsl(decoded, keep_blank_values=True, strict_parsing=True))
        position = orjson.loads(parts["p"])
        reverse = bool(int(parts.get("r", "0")))
    except (ValueError, KeyError, UnicodeError, binascii.Error, orjson.JSONDecodeError):
        raise invalid from None
    if not isinstance(position, list) or len(position) != len(order):
        raise invalid
    for value, (column, _) in zip(position, order, strict=True):
        kind = table.column_type(column)
        ok = (
            (kind == "INTEGER" and isinstance(value, int) and not isinstance(value, bool))
            or (kind == "REAL" and isinstance(value, (int, float)) and not isinstance(value, bool))
            or (kind == "TEXT" and isinstance(value, str))
            or value is None
        )
        if not ok:
            raise invalid
    return position, reverse


def keyset(order: Ordering, position: Sequence[Any], backwards: bool) -> tuple[str, list[Any]]:
    """Rows strictly after ``position`` in ``order`` (before it when ``backwards``)."""
    columns = [f'"{col}"' for col, _ in order]
    directions = {desc for _, desc in order}
    if len(directions) == 1:  # one direction: a row-value comparison SQLite can seek on
        descending = directions.pop() != backwards
        marks = ", ".join("?" * len(order))
        return f"({', '.join(columns)}) {'<' if descending else '>'} ({marks})", list(position)
    alternatives: list[str] = []
    values: list[Any] = []
    for k, (_, desc) in enumerate(order):
        terms = [f"{columns[i]} = ?" for i in range(k)]
        terms.append(f"{columns[k]} {'<' if desc != backwards else '>'} ?")
        alternatives.append("(" + " AND ".join(terms) + ")")
        values.extend(position[: k + 1])
    return "(" + " OR ".join(alternatives) + ")", values


def order_sql(order: Ordering, backwards: bool) -> str:
    return ", ".join(f'"{col}" {"DESC" if desc != backwards else "ASC"}' for col, desc in order)


def fields_param(params: Mapping[str, str]) -> list[str] | None:
    raw = params.get("fields")
    if raw is None or raw.strip() == "":
        return None
    return [name.strip() for name in raw.split(",") if name.strip()]


def project(blob: bytes, fields: Sequence[str]) -> bytes:
    """A stored row limited to ``fields`` (in the serializer's field order)."""
    wanted = set(fields)
    row = orjson.loads(blob)
    return orjson.dumps({k: v for k, v in row.items() if k in wanted})


def page_link(
    host: str,
    path: str,
    query: Mapping[str, Sequence[str]],
    token: str,
    scheme: str = "http",
) -> str:
    """DRF's ``replace_query_param``: every parameter, sorted, with ``next_token`` set."""
    params = {key: list(values) for key, values in query.items()}
    params["next_token"] = [token]
    return f"{scheme}://{host}{path}?{urlencode(sorted(params.items()), doseq=True)}"
