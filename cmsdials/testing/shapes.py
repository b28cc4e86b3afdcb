"""Table shapes of the local DIALS, derived from the served ``openapi.json``.

Nothing here names a DIALS field.  For every route group under ``/api/v1/``
(``/api/v1/th1/``, ``/api/v1/th1/count/``, ``/api/v1/th1/{...}/``) the spec gives:

- the **row schema**: the items of the list route's answer (a page's ``results``
  or a plain array), e.g. ``TH1``; its properties, in order, are the fields of
  the served rows, with their types, formats, nullability and lengths;
- the **primary key**: the path parameters of the retrieve route whose answer is
  that row schema (a path parameter that is not a field, such as ``model_id`` of
  ``/ml-models-index/{model_id}/``, is DRF's ``pk``: the ``id`` field);
- the **filter columns**: the list and count routes' query filters.  A filter on a
  field filters that field; a filter on a name that is no field (``me`` of the
  ML bad lumisections, ``logical_file_name`` of the histograms) gets a stored
  column of its own, typed as the spec types the filter, filled from the
  generator's row of the same name.

The table name is the route's first path segment (``ml-bad-lumisection`` ->
``ml_bad_lumisection``), the 404 label the row schema's name (``No TH1 matches
the given query.``).  The hand-written knowledge left is what a few filters
*mean* when they are not ``<field>[__lookup]`` (:data:`FILTER_ALIASES`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

API_PREFIX = "/api/v1/"
LOOKUPS = ("gte", "lte", "regex", "in")

#: Filters whose name is not ``<column>[__lookup]``: name -> (field, lookup, key).
#: ``contains``/``contains_regex``: the field is a list of objects and one of them has
#: ``key`` equal to (matching) the value.  Used only when the table has that field.
FILTER_ALIASES: dict[str, tuple[str, str, str | None]] = {
    "min_size": ("file_size", "gte", None),
    "input_signature_contains_me": ("input_signature", "contains", "me"),
    "input_signature_contains_me__regex": ("input_signature", "contains_regex", "me"),
    "tag_name": ("tags", "contains", "name"),
    "tag_value": ("tags", "contains", "value"),
}

#: Query parameters that are not filters.
RESERVED_QUERY = frozenset({"next_token", "page_size", "fields", "order_by"})

_SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "string": "TEXT"}


@dataclass(frozen=True)
class FieldShape:
    """One field of a served row, as the row schema declares it."""

    name: str
    schema: Mapping[str, Any]
    required: bool = True

    @property
    def type(self) -> str | None:
        kind = self.schema.get("type")
        return str(kind) if kind is not None else None

    @property
    def format(self) -> str | None:
        fmt = self.schema.get("format")
        return str(fmt) if fmt is not None else None

    @property
    def nullable(self) -> bool:
        return bool(self.schema.get("nullable", False))

    @property
    def max_length(self) -> int | None:
        limit = self.schema.get("maxLength")
        return int(limit) if isinstance(limit, int) else None

    @property
    def scalar(self) -> bool:
        return self.type in _SQL_TYPES


@dataclass(frozen=True)
class Table:
    """How one DIALS table is stored and served."""

    name: str
    #: Model name used in DRF's 404 message ("No TH1 matches the given query.").
    label: str
    #: Fields of the API representation, in output order.
    fields: tuple[FieldShape, ...]
    #: Stored columns and their SQLite types (filterable and orderable).
    columns: tuple[tuple[str, str], ...]
    pk: tuple[str, ...]
    indexes: tuple[tuple[str, ...], ...] = ()
    #: Columns stored as JSON text (list/object fields that a filter looks into).
    json_columns: frozenset[str] = frozenset()

    @property
    def json_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def column_names(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.columns)

    def column_type(self, name: str) -> str:
        return dict(self.columns)[name]

    def field(self, name: str) -> FieldShape | None:
        for shape in self.fields:
            if shape.name == name:
                return shape
        return None


@dataclass(frozen=True)
class FilterSpec:
    """What a query filter compares: a stored column, a lookup, and for lists a key."""

    column: str
    lookup: str  # "exact", "gte", "lte", "regex", "in", "contains", "contains_regex"
    key: str | None = None


@dataclass
class _Group:
    """The GET operations of one route group, while its table is being derived."""

    segment: str
    list_op: Any = None
    count_ops: list[Any] = field(default_factory=list)
    detail_ops: list[Any] = field(default_factory=list)


def resolve(doc: Mapping[str, Any], schema: Any) -> dict[str, Any]:
    """``schema`` with its ``$ref`` (local, possibly chained) followed."""
    seen = 0
    while isinstance(schema, Mapping) and "$ref" in schema and seen < 32:
        ref = str(schema["$ref"])
        if not ref.startswith("#/"):
            return {}
        target: Any = doc
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, Mapping) else {}
        schema = target
        seen += 1
    return dict(schema) if isinstance(schema, Mapping) else {}


def ref_name(schema: Any) -> str | None:
    if isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    return None


def response_schema(raw_op: Mapping[str, Any]) -> Any:
    """The JSON schema of an operation's 200 answer (None when it declares none)."""
    responses = raw_op.get("responses") or {}
    answer = responses.get("200") or responses.get(200) or {}
    content = answer.get("content") or {}
    media = content.get("application/json") or {}
    return media.get("schema")


def row_schema_name(doc: Mapping[str, Any], raw_op: Mapping[str, Any]) -> str | None:
    """The row schema of a list answer: a page's ``results`` items, or a plain array's."""
    schema = response_schema(raw_op)
    resolved = resolve(doc, schema)
    if resolved.get("type") == "array":
        return ref_name(resolved.get("items"))
    results = (resolved.get("properties") or {}).get("results")
    results = resolve(doc, results)
    if results.get("type") == "array":
        return ref_name(results.get("items"))
    return None


def split_lookup(name: str) -> tuple[str, str]:
    """``run_number__gte`` -> ``("run_number", "gte")``; ``me`` -> ``("me", "exact")``."""
    base, sep, lookup = name.rpartition("__")
    if sep and lookup in LOOKUPS:
        return base, lookup
    return name, "exact"


def filter_spec(name: str, fields: Mapping[str, FieldShape]) -> FilterSpec:
    """What the filter ``name`` compares, on a table with ``fields``."""
    alias = FILTER_ALIASES.get(name)
    if alias is not None and alias[0] in fields:
        return FilterSpec(*alias)
    column, lookup = split_lookup(name)
    return FilterSpec(column, lookup)


def _row_fields(doc: Mapping[str, Any], name: str) -> tuple[FieldShape, ...]:
    schema = resolve(doc, {"$ref": f"#/components/schemas/{name}"})
    required = set(schema.get("required") or ())
    return tuple(
        FieldShape(prop, resolve(doc, sub), prop in required)
        for prop, sub in (schema.get("properties") or {}).items()
    )


def pk_columns(
    path_params: Iterable[str], fields: Mapping[str, FieldShape]
) -> tuple[str, ...] | None:
    """The columns a retrieve route's path parameters name (None if one names none)."""
    params = tuple(path_params)
    columns: list[str] = []
    for param in params:
        if param in fields:
            columns.append(param)
        elif len(params) == 1 and "id" in fields:  # DRF's lookup of ``pk`` under another kwarg
            columns.append("id")
        else:
            return None
    return tuple(columns)


def _fallback_pk(fields: tuple[FieldShape, ...]) -> tuple[str, ...]:
    for shape in fields:
        if shape.type == "integer" and (shape.name == "id" or shape.name.endswith("_id")):
            return (shape.name,)
    return (fields[0].name,)


def derive_tables(doc: Mapping[str, Any], operations: Iterable[Any]) -> dict[str, Table]:
    """Every table the spec's list routes imply, keyed by table name.

    ``operations`` are :class:`~cmsdials.testing.routes.Operation` objects (GET
    routes under ``/api/v1/`` that no special view answers).
    """
    groups: dict[str, _Group] = {}
    for op in operations:
        if op.method != "GET" or not op.template.startswith(API_PREFIX):
            continue
        rest = op.template[len(API_PREFIX) :]
        segment = rest.split("/", 1)[0]
        group = groups.setdefault(segment, _Group(segment))
        if rest == f"{segment}/" and not op.path_params:
            group.list_op = op
        elif rest == f"{segment}/count/":
            group.count_ops.append(op)
        elif op.path_params:
            group.detail_ops.append(op)
    tables: dict[str, Table] = {}
    for group in groups.values():
        table = _derive(doc, group)
        if table is not None:
            tables[table.name] = table
    return tables


def _derive(doc: Mapping[str, Any], group: _Group) -> Table | None:
    if group.list_op is None:
        return None
    label = row_schema_name(doc, group.list_op.raw)
    if label is None:
        return None
    fields = _row_fields(doc, label)
    if not fields:
        return None
    by_name = {f.name: f for f in fields}
    pk: tuple[str, ...] | None = None
    for op in group.detail_ops:
        if ref_name(response_schema(op.raw)) == label:
            pk = pk_columns(op.path_params, by_name)
            if pk is not None:
                break
    if pk is None:
        pk = _fallback_pk(fields)

    columns: dict[str, str] = {}
    for shape in fields:
        if shape.scalar:
            columns[shape.name] = _SQL_TYPES[str(shape.type)]
    json_columns: set[str] = set()
    indexed: list[str] = []
    for op in (group.list_op, *group.count_ops):
        for name, param in op.query.items():
            if name in RESERVED_QUERY:
                continue
            spec = filter_spec(name, by_name)
            if spec.lookup in ("contains", "contains_regex"):
                if spec.column not in columns:
                    columns[spec.column] = "TEXT"
                    json_columns.add(spec.column)
                continue
            if spec.column not in columns:
                kind = param.item_type if spec.lookup == "in" else param.type
                columns[spec.column] = _SQL_TYPES.get(str(kind), "TEXT")
            if spec.lookup in ("exact", "in") and spec.column not in indexed:
                indexed.append(spec.column)
    for column in pk:
        columns.setdefault(column, "INTEGER")
    ordered = [(name, kind) for name, kind in columns.items() if name in pk]
    ordered.sort(key=lambda item: pk.index(item[0]))
    ordered += [(name, kind) for name, kind in columns.items() if name not in pk]
    indexes = tuple((column,) for column in indexed if column != pk[0])
    return Table(
        name=group.segment.replace("-", "_"),
        label=label,
        fields=fields,
        columns=tuple(ordered),
        pk=pk,
        indexes=indexes,
        json_columns=frozenset(json_columns),
    )
