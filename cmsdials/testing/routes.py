"""Routing driven by ``openapi.json``: path templates, parameters and their types.

The spec says which routes exist, which path and query parameters each takes
and of which type, which operations need credentials and which read the
``workspace`` header, and (see :mod:`.shapes`) which table backs each route
group and how its rows look.  Nothing here names a DIALS route or field.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from .shapes import (
    API_PREFIX,
    RESERVED_QUERY,
    Table,
    derive_tables,
    filter_spec,
    pk_columns,
    ref_name,
    resolve,
    response_schema,
)

#: The APIs a local DIALS can serve: ``current`` is the ``openapi.json`` the package
#: ships; ``v1.12`` the repaired DIALS v1.12.0 document shipped next to this module.
Api = Literal["current", "v1.12"]
APIS: tuple[str, ...] = get_args(Api)
_API_FILES = {"v1.12": "openapi-v1.12.json"}

#: Filters a DIALS release answers although its spec does not declare them, by API:
#: route template -> ((name, type), ...).  v1.12.0's file index filters on ``dataset_id``
#: (its FilterSet has it; the hand-kept spec forgot it, the current one declares it).
UNDECLARED_FILTERS: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "v1.12": {"/api/v1/file-index/": (("dataset_id", "integer"),)},
}

Kind = Literal["list", "plain_list", "count", "retrieve", "special", "unmapped"]


@dataclass(frozen=True)
class Param:
    """One parameter of an operation, as the spec declares it."""

    name: str
    location: str
    type: str
    item_type: str | None = None
    style: str | None = None
    explode: bool = True
    required: bool = False


@dataclass(frozen=True)
class Filter:
    """A query parameter that filters a table: ``run_number__gte`` -> column, lookup."""

    param: Param
    column: str
    lookup: str  # "exact", "gte", "lte", "regex", "in", "contains", "contains_regex"
    #: For ``contains`` lookups: the key looked up in each object of the JSON list.
    key: str | None = None


@dataclass
class Operation:
    method: str
    template: str
    operation_id: str
    path_params: tuple[str, ...]
    query: dict[str, Param]
    workspace_header: bool
    secured: bool
    kind: Kind = "unmapped"
    table: Table | None = None
    filters: dict[str, Filter] = field(default_factory=dict)
    #: Retrieve routes: the path parameters, in the order of ``table.pk``.
    pk_params: tuple[str, ...] = ()
    #: The operation's JSON request body schema (resolved), if it declares one.
    body: dict[str, Any] | None = None
    #: The operation as the spec has it.
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class Route:
    template: str
    regex: re.Pattern[str]
    operations: dict[str, Operation]


def find_spec(api: str = "current") -> Path:
    """The spec to serve for ``api``.

    ``current``: ``$CMSDIALS_OPENAPI``, the packaged copy of ``openapi.json``, or the
    repository's.  ``v1.12``: ``openapi-v1.12.json`` next to this module (made by
    ``make testing-specs`` from the DIALS v1.12.0 snapshot with the same pull and repairs).
    """
    if api not in APIS:
        raise ValueError(f"api must be one of {APIS}, not {api!r}")
    here = Path(__file__).resolve()
    if api in _API_FILES:
        path = here.with_name(_API_FILES[api])
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: run 'make testing-specs'")
        return path
    env = os.environ.get("CMSDIALS_OPENAPI")
    candidates = [Path(env)] if env else []
    candidates += [here.with_name("openapi.json"), here.parents[2] / "openapi.json"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        "openapi.json not found: set CMSDIALS_OPENAPI to the repaired DIALS spec "
        f"(looked in {', '.join(str(c) for c in candidates)})"
    )


def _schema_type(schema: dict[str, Any]) -> tuple[str, str | None]:
    kind = str(schema.get("type", "string"))
    items = schema.get("items")
    item_type = str(items.get("type", "string")) if isinstance(items, dict) else None
    return kind, item_type


def _param(raw: dict[str, Any]) -> Param:
    kind, item_type = _schema_type(raw.get("schema") or {})
    style = raw.get("style")
    default_explode = style in (None, "form") if raw.get("in") in ("query", "cookie") else False
    return Param(
        name=str(raw["name"]),
        location=str(raw["in"]),
        type=kind,
        item_type=item_type,
        style=style,
        explode=bool(raw.get("explode", default_explode)),
        required=bool(raw.get("required", False)),
    )


def template_regex(template: str) -> re.Pattern[str]:
    """``/api/v1/run/{dataset_id}/{run_number}/`` -> a regex with named groups."""
    parts = re.split(r"\{([^}/]+)\}", template)
    pattern = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{pattern}$")


class ApiSpec:
    """The routes of an OpenAPI document, ready to match request paths."""

    def __init__(
        self,
        doc: dict[str, Any],
        special: frozenset[str] = frozenset(),
        undeclared: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    ) -> None:
        self.doc = doc
        self.undeclared = dict(undeclared or {})
        self.routes: list[Route] = []
        global_security = bool(doc.get("security"))
        for template, item in doc.get("paths", {}).items():
            shared = [_param(p) for p in item.get("parameters", [])]
            operations: dict[str, Operation] = {}
            for method, raw in item.items():
                if not (isinstance(raw, dict) and "responses" in raw):
                    continue  # "parameters", "summary", ...: an operation has responses
                params = shared + [_param(p) for p in raw.get("parameters", [])]
                secured = bool(raw["security"]) if "security" in raw else global_security
                op = Operation(
                    method=method.upper(),
                    template=template,
                    operation_id=str(raw.get("operationId", f"{method} {template}")),
                    path_params=tuple(p.name for p in params if p.location == "path"),
                    query={p.name: p for p in params if p.location == "query"},
                    workspace_header=any(
                        p.location == "header" and p.name.lower() == "workspace" for p in params
                    ),
                    secured=secured,
                    body=self._body_schema(raw),
                    raw=raw,
                )
                operations[op.method] = op
            self.routes.append(Route(template, template_regex(template), operations))
        # Literal routes before parameterised ones of the same shape.
        self.routes.sort(key=lambda r: r.template.count("{"))
        ops = [op for route in self.routes for op in route.operations.values()]
        self.tables: dict[str, Table] = derive_tables(
            doc, [op for op in ops if op.template not in special]
        )
        for op in ops:
            self._classify(op, special)

    def _body_schema(self, raw: dict[str, Any]) -> dict[str, Any] | None:
        content = (raw.get("requestBody") or {}).get("content") or {}
        media = content.get("application/json")
        if not isinstance(media, dict):
            return None
        return resolve(self.doc, media.get("schema") or {})

    @classmethod
    def load(
        cls,
        path: Path,
        special: frozenset[str] = frozenset(),
        undeclared: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    ) -> ApiSpec:
        with path.open("rb") as fh:
            return cls(json.load(fh), special, undeclared)

    def _classify(self, op: Operation, special: frozenset[str]) -> None:
        if op.template in special:
            op.kind = "special"
            return
        if not op.template.startswith(API_PREFIX):
            return
        segment = op.template[len(API_PREFIX) :].split("/", 1)[0]
        table = self.tables.get(segment.replace("-", "_"))
        if table is None or op.method != "GET":
            return
        if op.template.endswith("/count/"):
            op.kind = "count"
        elif op.path_params:
            if ref_name(response_schema(op.raw)) != table.label:
                return
            fields = {f.name: f for f in table.fields}
            columns = pk_columns(op.path_params, fields)
            if columns is None or set(columns) != set(table.pk):
                return
            by_column = dict(zip(columns, op.path_params, strict=True))
            op.pk_params = tuple(by_column[column] for column in table.pk)
            op.kind = "retrieve"
        elif "next_token" in op.query:
            op.kind = "list"
        else:
            op.kind = "plain_list"
        op.table = table
        fields = {f.name: f for f in table.fields}
        for name, param in op.query.items():
            if name in RESERVED_QUERY:
                continue
            spec = filter_spec(name, fields)
            if spec.column in table.column_names:
                op.filters[name] = Filter(param, spec.column, spec.lookup, spec.key)
        for name, kind in self.undeclared.get(op.template, ()):
            spec = filter_spec(name, fields)
            if name not in op.filters and spec.column in table.column_names:
                param = Param(name=name, location="query", type=kind)
                op.filters[name] = Filter(param, spec.column, spec.lookup, spec.key)

    def match(self, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            found = route.regex.match(path)
            if found:
                return route, found.groupdict()
        return None

    def unmapped(self) -> list[str]:
        """Operations the server cannot answer from a table or a special handler."""
        return [
            f"{op.method} {op.template}"
            for route in self.routes
            for op in route.operations.values()
            if op.kind == "unmapped"
        ]
