"""The declared repairs of the upstream DIALS OpenAPI document.

DIALS maintains its ``swagger.json`` by hand and it has defects that either stop
openapi-python-client outright or make it generate weak types.  Every fix we
apply lives here, one ``Repair`` per defect, each saying what is wrong and why
the fix is true to the server (see ``../shared/dials/README.md`` for the
observed server behaviour).

Each repair has two halves:

* ``find(doc)`` lists the places that still show the defect.  An empty list
  means upstream fixed it (or never had it): the pull reports the repair as
  *unnecessary* so that it can be deleted instead of rotting.
* ``fix(doc)`` mends those places in place.  Running it on an already mended
  document finds nothing and changes nothing (idempotent).

A repair mends only the defect it documents.  Where it looks and finds something
else (a filter upstream now types ``number``, a shape upstream now declares), it
leaves it alone and says so through ``odd(doc)``: the pull report lists those
places, and since they reach ``openapi.json`` as upstream has them, ``make
check-drift`` shows them too.

The order of ``REPAIRS`` matters only where noted.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

#: The operations an OpenAPI path item may hold, in the order the spec lists them.
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

#: Routes that proxy third-party services (OMS, CAF, Run Registry, brilws).
#: Their query parameters are not django-filter lookups on DIALS tables, so the
#: filter-typing repairs leave them alone.
THIRD_PARTY_PREFIXES = (
    "/api/v1/oms-proxy/",
    "/api/v1/caf/",
    "/api/v1/runregistry/",
    "/api/v1/brilws/",
)

LOOKUP_SUFFIXES = ("__gte", "__lte", "__in", "__regex")


def operations(doc: JSON) -> Iterator[tuple[str, str, JSON]]:
    """Yield ``(path, method, operation)`` for every operation, in document order."""
    for path, item in doc.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def split_lookup(name: str) -> tuple[str, str]:
    """``run_number__gte`` -> ``("run_number", "__gte")``; ``me`` -> ``("me", "")``."""
    for suffix in LOOKUP_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


def field_types(doc: JSON) -> dict[str, JSON]:
    """Scalar type of each field name across the component schemas.

    A field that has the same scalar type wherever it appears gives the type of
    the filters named after it (``run_number``, ``run_number__gte``, ...).
    Names with conflicting types are left out.
    """
    seen: dict[str, JSON] = {}
    conflicts: set[str] = set()
    for schema in doc.get("components", {}).get("schemas", {}).values():
        for name, prop in (schema.get("properties") or {}).items():
            kind = prop.get("type")
            if kind not in ("integer", "number", "boolean"):
                continue
            typed: JSON = {"type": kind}
            if kind == "integer" and prop.get("format") == "int64":
                typed["format"] = "int64"
            if name in seen and seen[name]["type"] != kind:
                conflicts.add(name)
            seen.setdefault(name, typed)
    # Filters that are not named after a field but are numeric on the server.
    seen.setdefault("min_size", {"type": "integer", "format": "int64"})
    return {k: v for k, v in seen.items() if k not in conflicts}


def _item_schema(doc: JSON, path: str) -> JSON | None:
    """The row schema of the list route at ``path`` (of its sibling list route for a
    ``count/`` route), read from its 200 response: a page or a plain list of rows.  None
    for a route that answers no list (cert-json, a detail route)."""
    if path.endswith("/count/"):
        path = path[: -len("count/")]
    op = doc.get("paths", {}).get(path, {}).get("get")
    content = (op or {}).get("responses", {}).get("200", {}).get("content", {})
    schemas = doc.get("components", {}).get("schemas", {})
    schema = content.get("application/json", {}).get("schema")
    listed = False
    for _ in range(8):  # $ref -> page -> results -> items -> $ref -> row
        if not isinstance(schema, dict):
            return None
        if "$ref" in schema:
            schema = schemas.get(str(schema["$ref"]).rsplit("/", 1)[-1])
        elif "results" in (schema.get("properties") or {}) and not listed:
            schema = schema["properties"]["results"]
        elif schema.get("type") == "array" and not listed:
            schema, listed = schema.get("items"), True
        else:
            return schema if listed and "properties" in schema else None
    return None


def route_types(doc: JSON, path: str) -> dict[str, JSON]:
    """Like ``field_types``, but the route's own row schema has the last word: its numeric
    fields give their type, and a field it types otherwise (a string, an object) makes no
    filter of that name numeric on this route."""
    types = field_types(doc)
    item = _item_schema(doc, path)
    for name, prop in ((item or {}).get("properties") or {}).items():
        types.pop(name, None)
        kind = prop.get("type") if isinstance(prop, dict) else None
        if kind in ("integer", "number", "boolean"):
            types[name] = {"type": kind}
            if kind == "integer" and prop.get("format") == "int64":
                types[name]["format"] = "int64"
    return types


def _describe(schema: Any) -> str:
    """A short text of a parameter schema for the report: ``number``, ``array[number]``."""
    if not isinstance(schema, dict):
        return repr(schema)
    kind = str(schema.get("type", "untyped"))
    if kind == "array":
        return f"array[{_describe(schema.get('items', {}))}]"
    return f"{kind}({schema['format']})" if "format" in schema else kind


def _nothing_odd(doc: JSON) -> list[str]:
    return []


#: Where a repair that retypes a parameter records what upstream declared.  A retyped
#: parameter looks the same in openapi.json whatever upstream said, so without this an
#: upstream change that happens to look like the defect (an ML filter turned from integer
#: to string) would vanish in the repair; ``spec_diff`` compares these records, so
#: ``make check-drift`` shows it.  The generator ignores ``x-`` keys.
REPAIRED = "x-repaired"


def _mark(param: JSON, by: str) -> None:
    """Record, before ``by`` rewrites ``param``, how upstream declared it."""
    upstream = {k: copy.deepcopy(param[k]) for k in ("schema", "style", "explode") if k in param}
    param[REPAIRED] = {"by": by, "upstream": upstream}


@dataclass(frozen=True)
class Repair:
    name: str
    defect: str
    why: str
    find: Callable[[JSON], list[str]]
    fix: Callable[[JSON], None]
    #: Places the repair looked at and leaves alone because they are not its defect.
    odd: Callable[[JSON], list[str]] = _nothing_odd


# --------------------------------------------------------------------------- #
# 1. path parameters typed "int" (not a JSON Schema type) or "string"/"number"
# --------------------------------------------------------------------------- #
PATH_PARAM_DEFECTS = ({"type": "string"}, {"type": "number"})


def _answer_fields(doc: JSON, op: JSON) -> dict[str, Any]:
    """The fields of the row ``op`` answers with: its 200's object, a list's items or a
    page's results (``{}`` when it answers none)."""
    schemas = doc.get("components", {}).get("schemas", {})
    schema: Any = (_json_200(op) or {}).get("schema")
    for _ in range(8):  # $ref -> page -> results -> items -> $ref -> row
        if not isinstance(schema, dict):
            return {}
        if "$ref" in schema:
            schema = schemas.get(str(schema["$ref"]).rsplit("/", 1)[-1])
        elif schema.get("type") == "array":
            schema = schema.get("items")
        elif "results" in (schema.get("properties") or {}):
            schema = schema["properties"]["results"]
        else:
            props = schema.get("properties")
            return props if isinstance(props, dict) else {}
    return {}


def path_key_types(doc: JSON, path: str, op: JSON) -> dict[str, JSON]:
    """The scalar type of each path key of ``op`` at ``path``, from the row it looks up:
    the field of the same name in the route's own answer, else in its list route's rows
    (``/api/v1/mes/`` for ``/api/v1/mes/{me_id}/``), else in any schema (``route_types``).
    A key renamed upstream (``{model_id}`` -> ``{id}``) keeps its type this way."""
    types = route_types(doc, path.split("{", 1)[0])
    for name, prop in _answer_fields(doc, op).items():
        kind = prop.get("type") if isinstance(prop, dict) else None
        if kind in ("integer", "number", "boolean"):
            types[name] = {"type": kind}
        else:
            types.pop(name, None)
    return types


def _path_param_places(doc: JSON) -> Iterator[tuple[str, JSON, JSON, bool]]:
    """``(where, param, wanted schema, defective)`` of the path parameters this repair has
    a view on: typed ``int`` (not a JSON Schema type), or otherwise than the field they
    look up."""
    for path, method, op in operations(doc):
        types = path_key_types(doc, path, op)
        for param in op.get("parameters", []):
            if param.get("in") != "path":
                continue
            schema = param.get("schema", {})
            where = f"{method.upper()} {path} {param['name']}: {_describe(schema)}"
            want = types.get(param["name"])
            if schema.get("type") == "int":
                yield where, param, {"type": want["type"] if want else "integer"}, True
            elif want is not None and schema.get("type") != want["type"]:
                yield where, param, {"type": want["type"]}, schema in PATH_PARAM_DEFECTS


def _find_path_params(doc: JSON) -> list[str]:
    return [where for where, _, _, defective in _path_param_places(doc) if defective]


def _odd_path_params(doc: JSON) -> list[str]:
    return [
        f"{where} (the field it looks up is {want['type']}; not 'int', 'string' or 'number')"
        for where, _, want, defective in _path_param_places(doc)
        if not defective
    ]


def _fix_path_params(doc: JSON) -> None:
    for _, param, want, defective in list(_path_param_places(doc)):
        if defective:
            _mark(param, "path-parameter-types")
            param["schema"] = dict(want)


# --------------------------------------------------------------------------- #
# 2. numeric / boolean query filters typed "string"
# --------------------------------------------------------------------------- #
def _filter_places(doc: JSON) -> Iterator[tuple[str, JSON, JSON, bool]]:
    """``(where, param, wanted schema, defective)`` of the scalar filters on numeric or
    boolean columns whose upstream type is not the column's."""
    for path, method, op in operations(doc):
        if path.startswith(THIRD_PARTY_PREFIXES):
            continue
        types = route_types(doc, path)
        for param in op.get("parameters", []):
            if param.get("in") != "query":
                continue
            base, suffix = split_lookup(param["name"])
            if suffix in ("__regex", "__in") or base not in types:
                continue
            want, have = types[base], param.get("schema")
            if not isinstance(have, dict) or have.get("type") != want["type"]:
                where = f"{method.upper()} {path} {param['name']}"
                yield where, param, want, have == {"type": "string"}


def _find_filters(doc: JSON) -> list[str]:
    return [where for where, _, _, defective in _filter_places(doc) if defective]


def _odd_filters(doc: JSON) -> list[str]:
    return [
        f"{where}: typed {_describe(param.get('schema'))} upstream, the column is {_describe(want)}"
        for where, param, want, defective in _filter_places(doc)
        if not defective
    ]


def _fix_filters(doc: JSON) -> None:
    for _, param, want, defective in list(_filter_places(doc)):
        if defective:
            _mark(param, "query-filter-types")
            param["schema"] = dict(want)


# --------------------------------------------------------------------------- #
# 3. __in filters: comma-separated lists of the field's type
# --------------------------------------------------------------------------- #
def _in_places(doc: JSON) -> Iterator[tuple[str, JSON, JSON | None]]:
    """``(where, param, wanted)`` of the ``__in`` filters not declared as lists of their
    column's type; ``wanted`` is None where the declaration is not one this repair knows."""
    for path, method, op in operations(doc):
        types = route_types(doc, path)
        for param in op.get("parameters", []):
            base, suffix = split_lookup(param["name"])
            if param.get("in") != "query" or suffix != "__in":
                continue
            column = types.get(base)
            schema = param.get("schema")
            items = schema.get("items") if isinstance(schema, dict) else None
            if schema == {"type": "string"} or (
                isinstance(schema, dict) and schema.get("type") == "array" and not items
            ):
                item = dict(column or {"type": "string"})  # a list, or untyped items
            elif not isinstance(schema, dict) or schema.get("type") != "array":
                item = None
            elif not isinstance(items, dict):
                item = None
            elif column is None:
                item = items  # not a numeric column: upstream's item type stands
            elif items == {"type": "string"} or items == {"type": column["type"]}:
                item = {**items, **column}  # numbers typed string; bigint ids lack int64
            elif items.get("type") == column["type"]:
                item = items
            else:
                item = None
            where = f"{method.upper()} {path} {param['name']}"
            if item is None:
                yield where, param, None
                continue
            want = {
                "schema": {"type": "array", "items": item},
                "style": "form",
                "explode": False,
            }
            if {k: param.get(k) for k in want} != want:
                yield where, param, want


def _find_in(doc: JSON) -> list[str]:
    return [where for where, _, want in _in_places(doc) if want is not None]


def _odd_in(doc: JSON) -> list[str]:
    return [
        f"{where}: typed {_describe(param.get('schema'))} upstream"
        for where, param, want in _in_places(doc)
        if want is None
    ]


def _fix_in(doc: JSON) -> None:
    for _, param, want in list(_in_places(doc)):
        if want is not None:
            _mark(param, "in-filters-as-lists")
            param.update(copy.deepcopy(want))


# --------------------------------------------------------------------------- #
# 4. page_size typed "number"
# --------------------------------------------------------------------------- #
PAGE_SIZE_SCHEMA = {"type": "integer", "minimum": 1}


def _page_size_places(doc: JSON) -> Iterator[tuple[str, JSON, bool]]:
    """``(where, param, defective)`` of the page_size parameters not typed integer."""
    for path, method, op in operations(doc):
        for param in op.get("parameters", []):
            if param.get("in") == "query" and param["name"] == "page_size":
                schema = param.get("schema")
                if not isinstance(schema, dict) or schema.get("type") != "integer":
                    yield f"{method.upper()} {path}", param, schema == {"type": "number"}


def _fix_page_size(doc: JSON) -> None:
    for _, param, defective in list(_page_size_places(doc)):
        if defective:
            _mark(param, "page-size-integer")
            param["schema"] = dict(PAGE_SIZE_SCHEMA)
            param["description"] = "Rows per page; the server caps it at 500 and defaults to 10."


# --------------------------------------------------------------------------- #
# 5. paginated list responses as anonymous inline objects
# --------------------------------------------------------------------------- #
def _inline_page(op: JSON) -> str | None:
    """The item schema name of an inline ``{next, previous, results}`` response."""
    content = op.get("responses", {}).get("200", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    props = schema.get("properties") or {}
    if "$ref" in schema or set(props) != {"next", "previous", "results"}:
        return None
    ref = props["results"].get("items", {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1] or None


def _page_places(doc: JSON) -> Iterator[tuple[str, JSON, str, bool]]:
    """``(where, op, item, defective)`` of the inline pages; one whose page name upstream
    already gives to a schema of another shape is left alone (not ``defective``)."""
    schemas = doc.get("components", {}).get("schemas", {})
    for path, method, op in operations(doc):
        item = _inline_page(op)
        if item:
            name = f"Paginated{item}List"
            taken = name in schemas and schemas[name] != _page_schema(item)
            yield f"{method.upper()} {path} -> {name}", op, item, not taken


def _page_schema(item: str) -> JSON:
    url = {"type": "string", "nullable": True, "format": "uri"}
    return {
        "type": "object",
        "description": f"One page of {item} rows; follow `next` (it carries next_token) for more.",
        "properties": {
            "next": dict(url),
            "previous": dict(url),
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
        },
        "required": ["next", "previous", "results"],
    }


def _fix_pages(doc: JSON) -> None:
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for _, op, item, defective in list(_page_places(doc)):
        if not defective:
            continue
        name = f"Paginated{item}List"
        schemas[name] = _page_schema(item)
        op["responses"]["200"]["content"]["application/json"]["schema"] = {
            "$ref": f"#/components/schemas/{name}"
        }


# --------------------------------------------------------------------------- #
# 6. count responses: inline {count: number}
# --------------------------------------------------------------------------- #
COUNT_SCHEMA = {
    "type": "object",
    "description": "How many rows match the filters.",
    "properties": {"count": {"type": "integer"}},
    "required": ["count"],
}


def _json_200(op: JSON) -> JSON | None:
    """The ``application/json`` media object of an operation's 200 response, if any."""
    content = op.get("responses", {}).get("200", {}).get("content", {})
    media = content.get("application/json")
    return media if isinstance(media, dict) and "schema" in media else None


COUNT_REF = {"$ref": "#/components/schemas/Count"}


def _inline_count(schema: Any) -> bool:
    """The documented defect: an inline object of one numeric ``count`` property."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    props = schema.get("properties")
    if not isinstance(props, dict) or list(props) != ["count"]:
        return False
    return isinstance(props["count"], dict) and props["count"].get("type") in ("number", "integer")


def _count_places(doc: JSON) -> Iterator[tuple[str, JSON, bool]]:
    """``(where, media, defective)`` of the count routes not answering ``Count``; one whose
    answer is not the inline defect, or with a ``Count`` schema of upstream's own, is left
    alone."""
    count = doc.get("components", {}).get("schemas", {}).get("Count")
    for path, method, op in operations(doc):
        if not path.endswith("/count/"):
            continue
        media = _json_200(op)
        if media is not None and media["schema"] != COUNT_REF:
            ours = count is None or count == COUNT_SCHEMA
            yield f"{method.upper()} {path}", media, ours and _inline_count(media["schema"])


def _fix_counts(doc: JSON) -> None:
    places = [media for _, media, defective in _count_places(doc) if defective]
    if places:
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        schemas["Count"] = copy.deepcopy(COUNT_SCHEMA)
    for media in places:
        media["schema"] = dict(COUNT_REF)


# --------------------------------------------------------------------------- #
# 7. routes listed without their trailing slash
# --------------------------------------------------------------------------- #
def _find_slashless(doc: JSON) -> list[str]:
    return [p for p in doc.get("paths", {}) if p.startswith("/api/") and not p.endswith("/")]


def _fix_slashless(doc: JSON) -> None:
    slashless = set(_find_slashless(doc))
    paths: JSON = {}
    for path, item in doc["paths"].items():
        if path in slashless:
            path += "/"
            # Listed both ways: the slashed entry is what the server routes, so its
            # operations win; the slashless one only adds the methods it lacks.
            item = {**item, **doc["paths"].get(path, {})}
        paths[path] = {**paths.get(path, {}), **item}
    doc["paths"] = paths


# --------------------------------------------------------------------------- #
# 8. cert-json / golden-json: response shapes and required parameters
# --------------------------------------------------------------------------- #
CERT_ENTRY = {
    "type": "object",
    "description": "One model's verdict on one ME of a bad lumisection.",
    "properties": {
        "model_id": {"type": "integer", "format": "int64"},
        "me_id": {"type": "integer"},
        "filename": {"type": "string"},
        "me": {"type": "string"},
        "mse": {"type": "number"},
    },
    "required": ["model_id", "me_id", "filename", "me", "mse"],
}
CERT_JSON = {
    "type": "object",
    "description": "Run number (string key) -> lumisection number (string key) -> flags.",
    "additionalProperties": {
        "type": "object",
        "additionalProperties": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/MLBadLumisectionCertEntry"},
        },
    },
}
GOLDEN_JSON = {
    "type": "object",
    "description": "Run number (string key) -> good lumisection ranges [first, last].",
    "additionalProperties": {
        "type": "array",
        "items": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
    },
}
JSON_ROUTE_SCHEMAS = {
    "MLBadLumisectionCertJson": CERT_JSON,
    "MLBadLumisectionGoldenJson": GOLDEN_JSON,
    "MLBadLumisectionCertEntry": CERT_ENTRY,
}


def _literal_run_key(schema: Any) -> bool:
    """The documented defect: an object whose one declared property is the literal key
    ``run_number`` (a placeholder for every run number), with no map of its own."""
    return (
        isinstance(schema, dict)
        and list(schema.get("properties") or {}) == ["run_number"]
        and "additionalProperties" not in schema
    )


def _json_shape_places(doc: JSON) -> Iterator[tuple[str, bool]]:
    """``(schema name, defective)`` for the cert-json / golden-json schemas that are not ours.

    Only schemas the document declares are looked at, so the repair goes quiet instead of
    inventing models if upstream drops these routes.  The entry type is written only when a
    defective cert json is replaced and upstream has no entry schema of its own."""
    schemas = doc.get("components", {}).get("schemas", {})
    for name in ("MLBadLumisectionCertJson", "MLBadLumisectionGoldenJson"):
        if name in schemas and schemas[name] != JSON_ROUTE_SCHEMAS[name]:
            yield name, _literal_run_key(schemas[name])
    entry = "MLBadLumisectionCertEntry"
    if _literal_run_key(schemas.get("MLBadLumisectionCertJson")) and entry not in schemas:
        yield entry, True


def _find_json_shapes(doc: JSON) -> list[str]:
    return [name for name, defective in _json_shape_places(doc) if defective]


def _odd_json_shapes(doc: JSON) -> list[str]:
    return [
        f"schema {name}: upstream declares a shape of its own (not a literal 'run_number' key)"
        for name, defective in _json_shape_places(doc)
        if not defective
    ]


def _fix_json_shapes(doc: JSON) -> None:
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name in _find_json_shapes(doc):
        schemas[name] = copy.deepcopy(JSON_ROUTE_SCHEMAS[name])


def _json_route_param_places(doc: JSON) -> Iterator[tuple[str, JSON]]:
    for path, method, op in operations(doc):
        if not re.search(r"/(cert|golden)-json/?$", path):
            continue
        for param in op.get("parameters", []):
            if param.get("in") == "query" and param["name"].endswith("__in"):
                if param.get("required") is not True:
                    yield f"{method.upper()} {path} {param['name']}", param


def _fix_json_route_params(doc: JSON) -> None:
    for _, param in list(_json_route_param_places(doc)):
        param["required"] = True


# --------------------------------------------------------------------------- #
# 9. UserDefaultWorkspace requires a field it does not have
# --------------------------------------------------------------------------- #
def _required_mismatch(doc: JSON) -> Iterator[tuple[str, JSON]]:
    for name, schema in doc.get("components", {}).get("schemas", {}).items():
        props = schema.get("properties")
        if props is None or "required" not in schema:
            continue
        if any(r not in props for r in schema["required"]):
            yield name, schema


def _fix_required(doc: JSON) -> None:
    for name, schema in list(_required_mismatch(doc)):
        props = schema["properties"]
        kept = [r for r in schema["required"] if r in props]
        if name == "UserDefaultWorkspace":
            kept = ["workspace"]
        if kept:
            schema["required"] = kept
        else:
            del schema["required"]  # OpenAPI 3.0 forbids an empty list


# --------------------------------------------------------------------------- #
# 10. security: stray keys on the bearer scheme, anonymous access advertised
# --------------------------------------------------------------------------- #
def _security_places(doc: JSON) -> list[str]:
    out = []
    schemes = doc.get("components", {}).get("securitySchemes", {})
    for name, scheme in schemes.items():
        if scheme.get("type") == "http" and ({"in", "name"} & set(scheme)):
            out.append(f"securitySchemes.{name}: 'in'/'name' on an http scheme")
        if scheme.get("type") == "http" and scheme.get("scheme", "").lower() != scheme.get(
            "scheme"
        ):
            out.append(f"securitySchemes.{name}: scheme {scheme['scheme']!r} not lower-case")
    for path, method, op in operations(doc):
        if {} in op.get("security", []):
            out.append(f"{method.upper()} {path}: anonymous access listed")
    return out


def _fix_security(doc: JSON) -> None:
    for scheme in doc.get("components", {}).get("securitySchemes", {}).values():
        if scheme.get("type") == "http":
            scheme.pop("in", None)
            scheme.pop("name", None)
            if isinstance(scheme.get("scheme"), str):
                scheme["scheme"] = scheme["scheme"].lower()
    for _, _, op in operations(doc):
        if "security" in op:
            op["security"] = [s for s in op["security"] if s]


# --------------------------------------------------------------------------- #
# 11. TH2 histogram contents declared as a flat list
# --------------------------------------------------------------------------- #
TH2_DATA = {"type": "array", "items": {"type": "array", "items": {"type": "number"}}}


def _th2_data(doc: JSON) -> Any:
    th2 = doc.get("components", {}).get("schemas", {}).get("TH2", {})
    return (th2.get("properties") or {}).get("data")


def _flat_numbers(schema: Any) -> bool:
    """The documented defect: an array whose items are numbers, not rows."""
    if not isinstance(schema, dict):
        return False
    items = schema.get("items")
    return (
        schema.get("type") == "array"
        and isinstance(items, dict)
        and items.get("type") in ("number", "integer")
    )


def _find_th2_data(doc: JSON) -> list[str]:
    data = _th2_data(doc)
    return ["TH2.data"] if data != TH2_DATA and _flat_numbers(data) else []


def _odd_th2_data(doc: JSON) -> list[str]:
    data = _th2_data(doc)
    if data is None or data == TH2_DATA or _flat_numbers(data):
        return []
    return [f"TH2.data: declared {_describe(data)} upstream, not a flat list of numbers"]


def _fix_th2_data(doc: JSON) -> None:
    if _find_th2_data(doc):
        doc["components"]["schemas"]["TH2"]["properties"]["data"] = copy.deepcopy(TH2_DATA)


# --------------------------------------------------------------------------- #
# 12. deepObject parameters without explode: true
# --------------------------------------------------------------------------- #
def _deep_object_places(doc: JSON) -> Iterator[tuple[str, JSON]]:
    for path, method, op in operations(doc):
        for param in op.get("parameters", []):
            if param.get("style") == "deepObject" and param.get("explode") is not True:
                yield f"{method.upper()} {path} {param['name']}", param


def _fix_deep_objects(doc: JSON) -> None:
    for _, param in list(_deep_object_places(doc)):
        param["explode"] = True


# --------------------------------------------------------------------------- #
# 13. operation ids and tags that snake-case into unreadable Python names
# --------------------------------------------------------------------------- #
def _clean_operation_id(op_id: str) -> str:
    """``listTH1s`` -> ``list_th1``; ``retrieveMLModelsIndex`` -> ``retrieve_ml_models_index``."""
    # Acronyms keep their digits and plural "s" (TH1s, MEs); other words are capitalised.
    words = re.findall(r"[A-Z]{2,}[0-9]*s?(?![a-z])|[A-Z]?[a-z]+[0-9]*|[0-9]+", op_id)
    words = [w.lower() for w in words]
    # DRF's schema generator pluralises list operations by appending "s".
    plurals = {"th1s": "th1", "th2s": "th2", "indexs": "index", "runs": "run"}
    plurals["lumisections"] = "lumisection"
    if words and words[0] in ("list", "count") and words[-1] in plurals:
        words[-1] = plurals[words[-1]]
    if words and words[0] == "retrieve" and words[-1] == "mes":
        words[-1] = "me"
    if words[-3:] == ["auth", "view", "set"]:
        words = words[:-3]
    return "_".join(words)


def _find_operation_ids(doc: JSON) -> list[str]:
    out = []
    for path, method, op in operations(doc):
        op_id = op.get("operationId")
        if isinstance(op_id, str) and op_id != _clean_operation_id(op_id):
            out.append(f"{op_id} -> {_clean_operation_id(op_id)}")
        for tag in op.get("tags", []):
            if tag != clean_tag(tag):
                out.append(f"{method.upper()} {path} tag {tag!r} -> {clean_tag(tag)!r}")
    return out


def clean_tag(tag: str) -> str:
    """``Dataset Index`` -> ``dataset_index``; ``MEs`` -> ``mes``."""
    return re.sub(r"[^a-z0-9]+", "_", tag.lower()).strip("_")


def _fix_operation_ids(doc: JSON) -> None:
    for _, _, op in operations(doc):
        if isinstance(op.get("operationId"), str):
            op["operationId"] = _clean_operation_id(op["operationId"])
        if "tags" in op:
            op["tags"] = [clean_tag(t) for t in op["tags"]]


REPAIRS: list[Repair] = [
    Repair(
        "path-parameter-types",
        "Path parameters typed 'int' (not a JSON Schema type; the generator refuses the "
        "document) or 'string'/'number' where the key looks up an integer field.",
        "A path key is the lookup field of the row the route answers (the field of the same "
        "name), and DIALS's URL converters only match that field's values.",
        _find_path_params,
        _fix_path_params,
        _odd_path_params,
    ),
    Repair(
        "query-filter-types",
        "Numeric and boolean django-filter lookups (run_number__gte, entries__gte, ls_number, "
        "...) typed 'string'.",
        "A filter takes the type of the column it filters (in the route's own row schema); "
        "the server answers 400 'Enter a number.' to a non-number, so clients should not be "
        "able to send one.  Any other upstream type is upstream's word and is left alone.",
        _find_filters,
        _fix_filters,
        _odd_filters,
    ),
    Repair(
        "in-filters-as-lists",
        "'__in' lookups declared inconsistently: a plain string, arrays of untyped items or "
        "of strings on a numeric column, bigint ids without format int64, or not sent as one "
        "comma-separated value.",
        "django-filter reads one comma-separated value of the column's type "
        "(model_id__in=20,19): an array of that type, style form, explode false.",
        _find_in,
        _fix_in,
        _odd_in,
    ),
    Repair(
        "page-size-integer",
        "page_size typed 'number'.",
        "DRF reads it with int(); the server defaults to 10 and caps it at 500.",
        lambda doc: [w for w, _, defective in _page_size_places(doc) if defective],
        _fix_page_size,
        lambda doc: [
            f"{w}: page_size typed {_describe(p.get('schema'))} upstream"
            for w, p, defective in _page_size_places(doc)
            if not defective
        ],
    ),
    Repair(
        "named-page-schemas",
        "Paginated list responses are anonymous inline objects.",
        "The generator then makes one anonymous class per operation; a named "
        "Paginated<Item>List component gives one readable page type per endpoint.",
        lambda doc: [w for w, _, _, defective in _page_places(doc) if defective],
        _fix_pages,
        lambda doc: [
            f"{w}: upstream declares a schema of that name, of another shape"
            for w, _, _, defective in _page_places(doc)
            if not defective
        ],
    ),
    Repair(
        "count-schema",
        "Count responses are inline objects with 'count' typed 'number'.",
        "The server answers {'count': <integer>}.",
        lambda doc: [w for w, _, defective in _count_places(doc) if defective],
        _fix_counts,
        lambda doc: [
            f"{w}: answers {_describe(media['schema'])}, not an inline {{count: number}}"
            for w, media, defective in _count_places(doc)
            if not defective
        ],
    ),
    Repair(
        "trailing-slash",
        "cert-json and golden-json are listed without their trailing slash.",
        "DIALS answers 301 to the slashed URL for every route without one, and httpx does not "
        "follow redirects by default.",
        _find_slashless,
        _fix_slashless,
    ),
    Repair(
        "json-route-shapes",
        "cert-json and golden-json response schemas describe a literal 'run_number' key.",
        "The server answers {run: {ls: [entries]}} and {run: [[first, last], ...]} with run and "
        "lumisection numbers as string keys.",
        _find_json_shapes,
        _fix_json_shapes,
        _odd_json_shapes,
    ),
    Repair(
        "json-route-required-params",
        "cert-json and golden-json declare their three __in filters optional.",
        "The server answers 500 when one is missing.",
        lambda doc: [w for w, _ in _json_route_param_places(doc)],
        _fix_json_route_params,
    ),
    Repair(
        "required-fields-exist",
        "Schemas require properties they do not declare (UserDefaultWorkspace requires "
        "'workspaces', its property is 'workspace').",
        "A required list may only name declared properties; the server sends the declared ones.",
        lambda doc: [name for name, _ in _required_mismatch(doc)],
        _fix_required,
    ),
    Repair(
        "security-schemes",
        "The bearer scheme carries 'in'/'name' (apiKey keys) and a capitalised scheme name "
        "('Bearer'; the IANA registry's is 'bearer'), and every operation lists an empty "
        "requirement, i.e. anonymous access.",
        "The server answers 403 without X-CLIENT-SECRET or Authorization: Bearer.",
        _security_places,
        _fix_security,
    ),
    Repair(
        "th2-data-rows",
        "TH2.data is declared a flat list of numbers.",
        "The server sends a 2D histogram's contents as a list of rows (y_bin lists of x_bin "
        "numbers).",
        _find_th2_data,
        _fix_th2_data,
        _odd_th2_data,
    ),
    Repair(
        "deep-object-explode",
        "oms-proxy's deepObject parameters (filter, page) lack explode: true.",
        "OpenAPI 3.0 defines deepObject only with explode true (filter[attribute]=value), the "
        "form the server reads; validators refuse the other.",
        lambda doc: [w for w, _ in _deep_object_places(doc)],
        _fix_deep_objects,
    ),
    Repair(
        "operation-names",
        "operationIds and tags snake-case into names such as list_th1_s, list_dataset_indexs, "
        "m_es.",
        "Generated function and package names are the client's vocabulary; they should read "
        "like the routes.",
        _find_operation_ids,
        _fix_operation_ids,
    ),
]


@dataclass(frozen=True)
class Outcome:
    repair: Repair
    places: list[str]
    #: What the repair saw upstream and did not touch (``Repair.odd``).
    left_alone: list[str] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return bool(self.places)


#: The first words of the description of an operation DIALS marks ``deprecated``.
DEPRECATED = "Deprecated by DIALS."


def note_deprecations(doc: JSON) -> None:
    """Begin the description of every ``deprecated`` operation with :data:`DEPRECATED`.

    Not a repair (``deprecated`` is no defect): openapi-python-client 0.28.3 drops the
    flag, but keeps the description, which it shows in the generated function's
    docstring and which our template reads into the ``OPERATIONS`` table, so that the
    layer's methods that use the operation warn (``DeprecationWarning``).
    """
    for _, _, op in operations(doc):
        text = op.get("description") or ""
        if op.get("deprecated") is True and not text.startswith(DEPRECATED):
            op["description"] = f"{DEPRECATED}\n\n{text}" if text else DEPRECATED


def apply_repairs(doc: JSON, repairs: list[Repair] | None = None) -> tuple[JSON, list[Outcome]]:
    """Return a repaired deep copy of ``doc`` and what each repair found (deprecated
    operations noted for the generator: :func:`note_deprecations`)."""
    out = copy.deepcopy(doc)
    outcomes = []
    for repair in REPAIRS if repairs is None else repairs:
        places, odd = repair.find(out), repair.odd(out)
        if places:
            repair.fix(out)
            left = repair.find(out)
            if left:
                raise RuntimeError(f"repair {repair.name} left defects behind: {left[:3]}")
        outcomes.append(Outcome(repair, places, odd))
    note_deprecations(out)
    return out, outcomes
