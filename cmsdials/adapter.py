"""The one reader of the generated package: which operations exist and what they send.

``make regen`` runs openapi-python-client with cmsdials' template for the tag
packages (``templates/endpoint_init.py.jinja``), which writes into each
``cmsdials_api.api.<tag>`` an ``OPERATIONS`` table: for every operation its
method, path, parameters (wire name, keyword, type, required), JSON body and
the shape of its 200 answer. This module reads those tables, and nothing else
in cmsdials reads the generated package, so that:

* a renamed, removed or added operation breaks nothing at import: the methods
  that need a missing one raise :class:`MissingOperationError` naming it;
* the layer works on wire names (``run_number__gte``, ``type``) throughout,
  never on the generator's keywords (``run_number_gte``, ``type_``);
* the generator's output layout is known in one place, guarded by the tests
  of ``tests/client/test_adapter.py``.

Operations are found by what they are (``GET /api/v1/th1/``), not by their
generated names, which follow DIALS's operationIds.

It also builds the generated package's client for ``Dials.api``
(:func:`low_level_client`), so that the generated functions can be called over a
``Dials``'s transport; ``tests/client/test_generated_imports.py`` checks that no other
module of cmsdials imports ``cmsdials_api``.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import pkgutil
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .exceptions import MissingOperationError

if TYPE_CHECKING:
    # The generated client's class, for ``Dials.api``.
    from cmsdials_api.client import AuthenticatedClient as LowLevelClient

__all__ = [
    "API_PREFIX",
    "GENERATED_PACKAGE",
    "Api",
    "Field",
    "GroupOperations",
    "LowLevelClient",
    "MissingOperationError",
    "Operation",
    "Param",
    "Shape",
    "api",
    "low_level_client",
    "warn_deprecated",
]

#: The package ``make regen`` writes (generated/cmsdials_api).
GENERATED_PACKAGE = "cmsdials_api"
#: Where the spec's DIALS routes live; the classic names routes relative to it.
API_PREFIX = "/api/v1/"

#: The generator version whose output layout this module reads (pinned in pyproject.toml).
GENERATOR_VERSION = "0.28.3"


@dataclass(frozen=True)
class Shape:
    """The shape of a value in an answer or a body: a model, a list of something, or a scalar.

    ``kind`` is the template's neutral vocabulary: ``int``, ``float``, ``str``,
    ``bool``, ``datetime``, ``date``, ``any``, ``none``, ``object``,
    ``list[...]`` or ``union[...]``.
    """

    kind: str
    model: str | None = None
    fields: tuple[Field, ...] = ()
    items: Shape | None = None
    options: tuple[Shape, ...] = ()

    @property
    def nullable(self) -> bool:
        return any(o.kind == "none" for o in self.options)

    def without_null(self) -> Shape:
        """A nullable union of one other shape → that shape (``str | None`` → ``str``)."""
        others = [o for o in self.options if o.kind != "none"]
        return others[0] if self.kind.startswith("union") and len(others) == 1 else self

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class Field:
    """One field of a model, under its wire name."""

    name: str
    shape: Shape
    required: bool


@dataclass(frozen=True)
class Param:
    """One parameter of an operation (path, query or header) or one field of its JSON body."""

    wire: str
    keyword: str
    kind: str
    required: bool


@dataclass(frozen=True, eq=False)
class Operation:
    """One generated operation: what it sends and what it answers."""

    name: str
    tag: str
    method: str
    path: str
    path_params: tuple[Param, ...]
    query: Mapping[str, Param]
    headers: Mapping[str, Param]
    body: Mapping[str, Param] | None
    body_required: bool
    response: Shape | None
    security: bool
    #: DIALS marks it deprecated (it may go in a later release).
    deprecated: bool = False

    @property
    def module(self) -> str:
        """The generated module that implements it (for users of the low-level client)."""
        return f"{GENERATED_PACKAGE}.api.{self.tag}.{self.name}"

    @property
    def route(self) -> str:
        """The path below :data:`API_PREFIX` (``th1/{dataset_id}/...``)."""
        return self.path[len(API_PREFIX) :] if self.path.startswith(API_PREFIX) else self.path

    def url(self, values: Mapping[str, Any]) -> str:
        """The path with each path parameter replaced by its value."""
        return _PATH_PARAM.sub(lambda m: str(values[m.group(1)]), self.path)

    @property
    def page_rows(self) -> Shape | None:
        """The row model of a cursor page answer (``{next, previous, results: [row]}``)."""
        response = self.response
        if response is None or response.kind != "object":
            return None
        results = response.field("results")
        if results is None or response.field("next") is None:
            return None
        items = results.shape.without_null().items
        return items if items is not None and items.kind == "object" else None

    @property
    def list_rows(self) -> Shape | None:
        """The row model of a plain list answer (``[row, ...]``)."""
        response = self.response
        if response is None or response.items is None:
            return None
        return response.items if response.items.kind == "object" else None

    @property
    def rows(self) -> Shape | None:
        """The row model of the answer: a page's rows, a list's items, or the model itself."""
        if self.response is None:
            return None
        if self.page_rows is not None:
            return self.page_rows
        if self.list_rows is not None:
            return self.list_rows
        return self.response if self.response.kind == "object" else None


_PATH_PARAM = re.compile(r"{([^}]+)}")


@dataclass(frozen=True)
class GroupOperations:
    """The operations under one route prefix (``th1/``): list, retrieve, count, ..."""

    route: str
    #: ``GET <route>``: a cursor page or a plain list.
    list: Operation | None
    #: ``GET <route>{key}/.../``, answering one object.
    retrieve: Operation | None
    #: ``GET <route>count/``.
    count: Operation | None
    #: ``GET <route>{key}/.../`` answering a list or a page (``mes/{dataset_id}/{run_number}/``).
    by_key_list: Operation | None

    @property
    def schema(self) -> str | None:
        """The spec's schema of the group's rows."""
        for op in (self.list, self.retrieve):
            rows = op.rows if op is not None else None
            if rows is not None and rows.model:
                return rows.model
        return None

    @property
    def by_run_schema(self) -> str | None:
        rows = self.by_key_list.rows if self.by_key_list is not None else None
        return rows.model if rows is not None else None


def _shape(kind: str, raw: Any) -> Shape:
    if isinstance(raw, Mapping):
        if "model" in raw:
            fields = tuple(
                Field(name, _shape(fkind, fraw), bool(required))
                for name, fkind, required, fraw in raw.get("fields", ())
            )
            return Shape("object", model=str(raw["model"]), fields=fields)
        if "list" in raw:
            inner = kind[5:-1] if kind.startswith("list[") else "any"
            return Shape(kind, items=_shape(inner, raw["list"]))
        if "union" in raw:
            kinds = split_kinds(kind[6:-1]) if kind.startswith("union[") else []
            raws = list(raw["union"])
            options = tuple(
                _shape(k, raws[i] if i < len(raws) else None) for i, k in enumerate(kinds)
            )
            return Shape(kind, options=options)
    if kind.startswith("list["):
        return Shape(kind, items=_shape(kind[5:-1], None))
    if kind.startswith("union["):
        return Shape(kind, options=tuple(_shape(k, None) for k in split_kinds(kind[6:-1])))
    return Shape(kind)


def split_kinds(text: str) -> list[str]:
    """``str, list[int], none`` → its top-level parts."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return parts


def _params(raw: Any) -> tuple[Param, ...]:
    return tuple(Param(str(w), str(k), str(t), bool(r)) for w, k, t, r in raw or ())


def _body(raw: Any) -> Mapping[str, Param] | None:
    if raw is None:
        return None
    shape = _shape("object", raw)
    return MappingProxyType(
        {f.name: Param(f.name, f.name, f.shape.kind, f.required) for f in shape.fields}
    )


def _operation(tag: str, name: str, raw: Mapping[str, Any]) -> Operation:
    response = raw.get("response")
    return Operation(
        name=name,
        tag=tag,
        method=str(raw["method"]).upper(),
        path=str(raw["path"]),
        path_params=_params(raw.get("path_params")),
        query=MappingProxyType({p.wire: p for p in _params(raw.get("query_params"))}),
        headers=MappingProxyType({p.wire.lower(): p for p in _params(raw.get("header_params"))}),
        body=_body(raw.get("body")),
        body_required=bool(raw.get("body_required")),
        response=None if response is None else _shape(_kind_of(response), response),
        security=bool(raw.get("security", True)),
        deprecated=bool(raw.get("deprecated", False)),
    )


def _kind_of(raw: Mapping[str, Any]) -> str:
    if "model" in raw:
        return "object"
    if "list" in raw:
        inner = raw["list"]
        return f"list[{_kind_of(inner) if isinstance(inner, Mapping) else 'any'}]"
    return "any"


@dataclass(frozen=True)
class Api:
    """Every operation of the generated package, found by what it is."""

    operations: tuple[Operation, ...]
    problems: tuple[str, ...] = ()
    _by_route: Mapping[tuple[str, str], Operation] = field(default_factory=dict, repr=False)
    _groups: dict[str, GroupOperations] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_operations(cls, operations: list[Operation], problems: list[str]) -> Api:
        by_route = {(op.method, op.route): op for op in operations}
        return cls(tuple(operations), tuple(problems), MappingProxyType(by_route))

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations)

    def find(self, method: str, route: str) -> Operation | None:
        """The operation at ``method route`` (``route`` below ``/api/v1/``), or ``None``."""
        return self._by_route.get((method.upper(), route))

    def at(self, route: str, *methods: str) -> Operation | None:
        """The operation at ``route`` with the first of ``methods`` it has (GET by default)."""
        for method in methods or ("GET",):
            op = self.find(method, route)
            if op is not None:
                return op
        return None

    def require(self, route: str, *methods: str, what: str) -> Operation:
        """:meth:`at`, or :class:`MissingOperationError` saying what is missing."""
        op = self.at(route, *methods)
        if op is None:
            verbs = "/".join(methods or ("GET",))
            raise MissingOperationError(
                f"{what} needs the DIALS route {verbs} {API_PREFIX}{route}, which the generated "
                f"client ({GENERATED_PACKAGE}) does not have: the DIALS spec it was generated "
                "from lacks it. Regenerate from a spec that has it (make pull-spec && make regen)."
            )
        return op

    def group(self, route: str) -> GroupOperations:
        """The operations under ``route`` (a prefix such as ``th1/``), found once."""
        found = self._groups.get(route)
        if found is None:
            found = self._groups[route] = self._find_group(route)
        return found

    def _find_group(self, route: str) -> GroupOperations:
        details = self.detail_routes(route)
        return GroupOperations(
            route=route,
            list=self.find("GET", route),
            retrieve=next((op for op in details if not _answers_rows(op)), None),
            count=self.find("GET", route + "count/"),
            by_key_list=next((op for op in details if _answers_rows(op)), None),
        )

    def model(self, name: str) -> Shape | None:
        """The shape of the spec's schema ``name``, wherever an answer uses it.

        (The generator describes a model that another one refers to by name
        only, so the fullest description found is the one.)
        """
        best: Shape | None = None
        for op in self.operations:
            for found in _models(op.response, name):
                if best is None or len(found.fields) > len(best.fields):
                    best = found
        return best

    def detail_routes(self, prefix: str) -> list[Operation]:
        """The GET operations under ``prefix`` whose every segment after it is a path parameter."""
        found = []
        for op in self.operations:
            if op.method != "GET" or not op.route.startswith(prefix):
                continue
            rest = [s for s in op.route[len(prefix) :].split("/") if s]
            if rest and all(_PATH_PARAM.fullmatch(s) for s in rest):
                found.append(op)
        return found


def _answers_rows(op: Operation) -> bool:
    """Whether ``op`` answers several rows: a plain list, or a cursor page of them."""
    return op.list_rows is not None or op.page_rows is not None


def _models(shape: Shape | None, name: str, depth: int = 0) -> Iterator[Shape]:
    """Every description of the model ``name`` inside ``shape``."""
    if shape is None or depth > 16:
        return
    if shape.model == name:
        yield shape
    for child in (
        *(f.shape for f in shape.fields),
        *((shape.items,) if shape.items is not None else ()),
        *shape.options,
    ):
        yield from _models(child, name, depth + 1)


def _load(package: str) -> Api:
    operations: list[Operation] = []
    problems: list[str] = []
    try:
        root = importlib.import_module(f"{package}.api")
    except ImportError as exc:
        return Api.from_operations([], [f"cannot import {package}.api: {exc}"])
    for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        try:
            tag = importlib.import_module(f"{root.__name__}.{info.name}")
        except ImportError as exc:
            problems.append(f"cannot import {root.__name__}.{info.name}: {exc}")
            continue
        table = getattr(tag, "OPERATIONS", None)
        if not isinstance(table, Mapping):
            problems.append(
                f"{tag.__name__} has no OPERATIONS table: was it generated with cmsdials' "
                "templates (scripts/regen.sh)?"
            )
            continue
        for name, raw in table.items():
            try:
                operations.append(_operation(info.name, name, raw))
            except (KeyError, TypeError, ValueError) as exc:
                problems.append(f"{tag.__name__}.OPERATIONS[{name!r}] is malformed: {exc!r}")
    return Api.from_operations(operations, problems)


@functools.cache
def api(package: str = GENERATED_PACKAGE) -> Api:
    """The operations of the generated package (read once, on first use)."""
    return _load(package)


def low_level_client(http: Any, base_url: str) -> LowLevelClient:
    """The generated package's ``AuthenticatedClient`` sending through ``http`` (an
    ``httpx.Client`` that applies the credentials itself: the generated client's
    ``token`` is never sent, since it only adds it to an httpx client it builds)."""
    generated = importlib.import_module(f"{GENERATED_PACKAGE}.client")
    client: LowLevelClient = generated.AuthenticatedClient(
        base_url=base_url, token="<cmsdials credentials>", raise_on_unexpected_status=False
    )
    client.set_httpx_client(http)
    return client


#: This package's folder: the frames a warning skips to reach the user's line.
_HERE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn_deprecated(operation: Operation) -> None:
    """A ``DeprecationWarning`` at the user's call: DIALS deprecates ``operation``."""
    here = inspect.currentframe()
    level, frame = 2, here.f_back if here is not None else None
    while frame is not None and frame.f_code.co_filename.startswith(_HERE):
        frame, level = frame.f_back, level + 1
    warnings.warn(
        f"DIALS marks {operation.method} {operation.path} deprecated: it may be removed from "
        "a later DIALS release. Move to the route DIALS names as its successor (its API "
        "docs), or pin a cmsdials release generated from a DIALS that still has it.",
        DeprecationWarning,
        stacklevel=level,
    )
