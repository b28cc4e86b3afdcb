"""Routing driven by ``openapi.json``: path templates, parameters and their types.

The spec says which routes exist, which path and query parameters each takes
and of which type, which operations need credentials and which read the
``workspace`` header.  The hand-written part is :data:`RESOURCES`: which table
backs the routes under a prefix (``/api/v1/th1/...`` -> ``th1``), and
:data:`FILTER_ALIASES` for the few filters not named after a column.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .db import TABLES, Table

API_PREFIX = "/api/v1/"
LOOKUPS = ("gte", "lte", "regex", "in")
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

#: First path segment under /api/v1/ -> table that backs its list/count/retrieve routes.
RESOURCES: dict[str, str] = {
    "dataset-index": "dataset_index",
    "file-index": "file_index",
    "run": "run",
    "lumisection": "lumisection",
    "th1": "th1",
    "th2": "th2",
    "mes": "mes",
    "ml-models-index": "ml_models_index",
    "ml-bad-lumisection": "ml_bad_lumisection",
}

#: Filters whose name is not ``<column>[__lookup]``: name -> (column, lookup).
FILTER_ALIASES: dict[str, tuple[str, str]] = {"min_size": ("file_size", "gte")}

#: Query parameters that are not filters.
RESERVED_QUERY = frozenset({"next_token", "page_size", "fields", "order_by"})

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
    lookup: str  # "exact", "gte", "lte", "regex", "in"


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


@dataclass
class Route:
    template: str
    regex: re.Pattern[str]
    operations: dict[str, Operation]


def find_spec() -> Path:
    """The ``openapi.json`` to serve: ``$CMSDIALS_OPENAPI``, a packaged copy, or the repo's."""
    env = os.environ.get("CMSDIALS_OPENAPI")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve()
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


def split_lookup(name: str) -> tuple[str, str]:
    """``run_number__gte`` -> ``("run_number", "gte")``; ``me`` -> ``("me", "exact")``."""
    if name in FILTER_ALIASES:
        return FILTER_ALIASES[name]
    base, sep, lookup = name.rpartition("__")
    if sep and lookup in LOOKUPS:
        return base, lookup
    return name, "exact"


def template_regex(template: str) -> re.Pattern[str]:
    """``/api/v1/run/{dataset_id}/{run_number}/`` -> a regex with named groups."""
    parts = re.split(r"\{([^}/]+)\}", template)
    pattern = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{pattern}$")


class ApiSpec:
    """The routes of an OpenAPI document, ready to match request paths."""

    def __init__(self, doc: dict[str, Any], special: frozenset[str] = frozenset()) -> None:
        self.doc = doc
        self.routes: list[Route] = []
        global_security = bool(doc.get("security"))
        for template, item in doc.get("paths", {}).items():
            shared = [_param(p) for p in item.get("parameters", [])]
            operations: dict[str, Operation] = {}
            for method in HTTP_METHODS:
                raw = item.get(method)
                if raw is None:
                    continue
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
                )
                self._classify(op, special)
                operations[op.method] = op
            self.routes.append(Route(template, template_regex(template), operations))
        # Literal routes before parameterised ones of the same shape.
        self.routes.sort(key=lambda r: r.template.count("{"))

    @classmethod
    def load(cls, path: Path, special: frozenset[str] = frozenset()) -> ApiSpec:
        with path.open("rb") as fh:
            return cls(json.load(fh), special)

    def _classify(self, op: Operation, special: frozenset[str]) -> None:
        if op.template in special:
            op.kind = "special"
            return
        if not op.template.startswith(API_PREFIX):
            return
        segment = op.template[len(API_PREFIX) :].split("/", 1)[0]
        table_name = RESOURCES.get(segment)
        if table_name is None or op.method != "GET":
            return
        table = TABLES[table_name]
        op.table = table
        if op.template.endswith("/count/"):
            op.kind = "count"
        elif op.path_params:
            if set(op.path_params) != set(table.pk):
                return
            op.kind = "retrieve"
        elif "next_token" in op.query:
            op.kind = "list"
        else:
            op.kind = "plain_list"
        for name, param in op.query.items():
            if name in RESERVED_QUERY:
                continue
            column, lookup = split_lookup(name)
            if column in table.column_names:
                op.filters[name] = Filter(param, column, lookup)

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
