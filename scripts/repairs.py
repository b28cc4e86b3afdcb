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

The order of ``REPAIRS`` matters only where noted.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

#: Routes that proxy third-party services (OMS, CAF, Run Registry, brilws).
#: Their query parameters are not django-filter lookups on DIALS tables, so the
#: filter-typing repairs leave them alone.
THIRD_PARTY_PREFIXES = (
    "/api/v1/oms-proxy/",
    "/api/v1/caf/",
    "/api/v1/runregistry/",
    "/api/v1/brilws/",
)

#: Routes that the server does not route by workspace: authentication and the
#: third-party proxies, which read no DIALS database.
NON_WORKSPACE_PREFIXES = ("/api/v1/auth/", *THIRD_PARTY_PREFIXES)

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


@dataclass(frozen=True)
class Repair:
    name: str
    defect: str
    why: str
    find: Callable[[JSON], list[str]]
    fix: Callable[[JSON], None]


# --------------------------------------------------------------------------- #
# 1. path parameters typed "int" (not a JSON Schema type) or "string"/"number"
# --------------------------------------------------------------------------- #
INTEGER_PATH_PARAMS = {"dataset_id", "file_id", "run_number", "ls_number", "me_id", "model_id"}


def _path_param_places(doc: JSON) -> Iterator[tuple[str, JSON]]:
    for path, method, op in operations(doc):
        for param in op.get("parameters", []):
            if param.get("in") != "path":
                continue
            schema = param.get("schema", {})
            if param["name"] in INTEGER_PATH_PARAMS and schema != {"type": "integer"}:
                yield f"{method.upper()} {path} {param['name']}: {schema.get('type')!r}", param
            elif schema.get("type") == "int":
                yield f"{method.upper()} {path} {param['name']}: 'int'", param


def _find_path_params(doc: JSON) -> list[str]:
    return [where for where, _ in _path_param_places(doc)]


def _fix_path_params(doc: JSON) -> None:
    for _, param in list(_path_param_places(doc)):
        param["schema"] = {"type": "integer"}


# --------------------------------------------------------------------------- #
# 2. numeric / boolean query filters typed "string"
# --------------------------------------------------------------------------- #
def _filter_places(doc: JSON) -> Iterator[tuple[str, JSON, JSON]]:
    types = field_types(doc)
    for path, method, op in operations(doc):
        if path.startswith(THIRD_PARTY_PREFIXES):
            continue
        for param in op.get("parameters", []):
            if param.get("in") != "query":
                continue
            base, suffix = split_lookup(param["name"])
            if suffix in ("__regex", "__in") or base not in types:
                continue
            want = types[base]
            if param.get("schema") != want:
                yield f"{method.upper()} {path} {param['name']}", param, want


def _find_filters(doc: JSON) -> list[str]:
    return [where for where, _, _ in _filter_places(doc)]


def _fix_filters(doc: JSON) -> None:
    for _, param, want in list(_filter_places(doc)):
        param["schema"] = dict(want)


# --------------------------------------------------------------------------- #
# 3. __in filters: comma-separated lists of the field's type
# --------------------------------------------------------------------------- #
def _in_places(doc: JSON) -> Iterator[tuple[str, JSON, JSON]]:
    types = field_types(doc)
    for path, method, op in operations(doc):
        for param in op.get("parameters", []):
            base, suffix = split_lookup(param["name"])
            if param.get("in") != "query" or suffix != "__in":
                continue
            item = types.get(base, {"type": "string"})
            want = {
                "schema": {"type": "array", "items": dict(item)},
                "style": "form",
                "explode": False,
            }
            have = {k: param.get(k) for k in want}
            if have != want:
                yield f"{method.upper()} {path} {param['name']}", param, want


def _find_in(doc: JSON) -> list[str]:
    return [where for where, _, _ in _in_places(doc)]


def _fix_in(doc: JSON) -> None:
    for _, param, want in list(_in_places(doc)):
        param.update(copy.deepcopy(want))


# --------------------------------------------------------------------------- #
# 4. page_size typed "number"
# --------------------------------------------------------------------------- #
PAGE_SIZE_SCHEMA = {"type": "integer", "minimum": 1}


def _page_size_places(doc: JSON) -> Iterator[tuple[str, JSON]]:
    for path, method, op in operations(doc):
        for param in op.get("parameters", []):
            if param.get("in") == "query" and param["name"] == "page_size":
                if param.get("schema") != PAGE_SIZE_SCHEMA:
                    yield f"{method.upper()} {path}", param


def _fix_page_size(doc: JSON) -> None:
    for _, param in list(_page_size_places(doc)):
        param["schema"] = dict(PAGE_SIZE_SCHEMA)
        param["description"] = "Rows per page; the server caps it at 500 and defaults to 10."


# --------------------------------------------------------------------------- #
# 5. the Workspace header on every operation the server routes by workspace
# --------------------------------------------------------------------------- #
WORKSPACE_PARAM = {
    "name": "workspace",
    "in": "header",
    "required": False,
    "description": "workspace",
    "schema": {"type": "string"},
}


def _routed_by_workspace(path: str) -> bool:
    return path.startswith("/api/v1/") and not path.startswith(NON_WORKSPACE_PREFIXES)


def _workspace_places(doc: JSON) -> Iterator[tuple[str, JSON]]:
    for path, method, op in operations(doc):
        if not _routed_by_workspace(path):
            continue
        params = op.get("parameters", [])
        headers = [
            p for p in params if p.get("in") == "header" and p["name"].lower() == "workspace"
        ]
        if len(headers) != 1 or headers[0].get("schema") != {"type": "string"}:
            yield f"{method.upper()} {path}", op


def _fix_workspace(doc: JSON) -> None:
    for _, op in list(_workspace_places(doc)):
        params = [
            p
            for p in op.get("parameters", [])
            if not (p.get("in") == "header" and p["name"].lower() == "workspace")
        ]
        params.append(copy.deepcopy(WORKSPACE_PARAM))
        op["parameters"] = params


# --------------------------------------------------------------------------- #
# 6. paginated list responses as anonymous inline objects
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


def _page_places(doc: JSON) -> Iterator[tuple[str, JSON, str]]:
    for path, method, op in operations(doc):
        item = _inline_page(op)
        if item:
            yield f"{method.upper()} {path} -> Paginated{item}List", op, item


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
    for _, op, item in list(_page_places(doc)):
        name = f"Paginated{item}List"
        schemas[name] = _page_schema(item)
        op["responses"]["200"]["content"]["application/json"]["schema"] = {
            "$ref": f"#/components/schemas/{name}"
        }


# --------------------------------------------------------------------------- #
# 7. count responses: inline {count: number}
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


def _count_places(doc: JSON) -> Iterator[tuple[str, JSON]]:
    for path, method, op in operations(doc):
        if not path.endswith("/count/"):
            continue
        media = _json_200(op)
        if media is not None and media["schema"] != {"$ref": "#/components/schemas/Count"}:
            yield f"{method.upper()} {path}", media


def _fix_counts(doc: JSON) -> None:
    doc.setdefault("components", {}).setdefault("schemas", {})["Count"] = copy.deepcopy(
        COUNT_SCHEMA
    )
    for _, media in list(_count_places(doc)):
        media["schema"] = {"$ref": "#/components/schemas/Count"}


# --------------------------------------------------------------------------- #
# 8. routes listed without their trailing slash
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
# 9. cert-json / golden-json: response shapes and required parameters
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


def _find_json_shapes(doc: JSON) -> list[str]:
    """Only schemas the document declares (the entry type comes with the cert json), so
    the repair goes quiet instead of inventing models if upstream drops these routes."""
    schemas = doc.get("components", {}).get("schemas", {})
    needed = [
        name
        for name in ("MLBadLumisectionCertJson", "MLBadLumisectionGoldenJson")
        if name in schemas
    ]
    if "MLBadLumisectionCertJson" in schemas:
        needed.append("MLBadLumisectionCertEntry")
    return [name for name in needed if schemas.get(name) != JSON_ROUTE_SCHEMAS[name]]


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
# 10. UserDefaultWorkspace requires a field it does not have
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
# 11. security: stray keys on the bearer scheme, anonymous access advertised
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
# 13. TH2 histogram contents declared as a flat list
# --------------------------------------------------------------------------- #
TH2_DATA = {"type": "array", "items": {"type": "array", "items": {"type": "number"}}}


def _find_th2_data(doc: JSON) -> list[str]:
    th2 = doc.get("components", {}).get("schemas", {}).get("TH2", {})
    data = (th2.get("properties") or {}).get("data")
    if data is not None and data != TH2_DATA:
        return ["TH2.data"]
    return []


def _fix_th2_data(doc: JSON) -> None:
    if _find_th2_data(doc):
        doc["components"]["schemas"]["TH2"]["properties"]["data"] = copy.deepcopy(TH2_DATA)


# --------------------------------------------------------------------------- #
# 14. deepObject parameters without explode: true
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
# 12. operation ids and tags that snake-case into unreadable Python names
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
            if tag != _clean_tag(tag):
                out.append(f"{method.upper()} {path} tag {tag!r} -> {_clean_tag(tag)!r}")
    return out


def _clean_tag(tag: str) -> str:
    """``Dataset Index`` -> ``dataset_index``; ``MEs`` -> ``mes``."""
    return re.sub(r"[^a-z0-9]+", "_", tag.lower()).strip("_")


def _fix_operation_ids(doc: JSON) -> None:
    for _, _, op in operations(doc):
        if isinstance(op.get("operationId"), str):
            op["operationId"] = _clean_operation_id(op["operationId"])
        if "tags" in op:
            op["tags"] = [_clean_tag(t) for t in op["tags"]]


REPAIRS: list[Repair] = [
    Repair(
        "path-parameter-types",
        "Path parameters typed 'int' (not a JSON Schema type; the generator refuses the "
        "document) or 'string'/'number' where the key is an integer column.",
        "DIALS's URL converters only match integers for these keys.",
        _find_path_params,
        _fix_path_params,
    ),
    Repair(
        "query-filter-types",
        "Numeric and boolean django-filter lookups (run_number__gte, entries__gte, ls_number, "
        "...) typed 'string'.",
        "A filter takes the type of the column it filters; the server answers 400 "
        "'Enter a number.' to a non-number, so clients should not be able to send one.",
        _find_filters,
        _fix_filters,
    ),
    Repair(
        "in-filters-as-lists",
        "'__in' lookups declared inconsistently (string, arrays of untyped items, or bigint "
        "ids without format int64).",
        "django-filter reads one comma-separated value of the column's type "
        "(model_id__in=20,19): an array of that type, style form, explode false.",
        _find_in,
        _fix_in,
    ),
    Repair(
        "page-size-integer",
        "page_size typed 'number'.",
        "DRF reads it with int(); the server defaults to 10 and caps it at 500.",
        lambda doc: [w for w, _ in _page_size_places(doc)],
        _fix_page_size,
    ),
    Repair(
        "workspace-header",
        "An operation the server routes by workspace lacks the 'workspace' header parameter.",
        "Every data route reads the Workspace header to pick its database.",
        lambda doc: [w for w, _ in _workspace_places(doc)],
        _fix_workspace,
    ),
    Repair(
        "named-page-schemas",
        "Paginated list responses are anonymous inline objects.",
        "The generator then makes one anonymous class per operation; a named "
        "Paginated<Item>List component gives one readable page type per endpoint.",
        lambda doc: [w for w, _, _ in _page_places(doc)],
        _fix_pages,
    ),
    Repair(
        "count-schema",
        "Count responses are inline objects with 'count' typed 'number'.",
        "The server answers {'count': <integer>}.",
        lambda doc: [w for w, _ in _count_places(doc)],
        _fix_counts,
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

    @property
    def applied(self) -> bool:
        return bool(self.places)


def apply_repairs(doc: JSON, repairs: list[Repair] | None = None) -> tuple[JSON, list[Outcome]]:
    """Return a repaired deep copy of ``doc`` and what each repair found."""
    out = copy.deepcopy(doc)
    outcomes = []
    for repair in REPAIRS if repairs is None else repairs:
        places = repair.find(out)
        if places:
            repair.fix(out)
            left = repair.find(out)
            if left:
                raise RuntimeError(f"repair {repair.name} left defects behind: {left[:3]}")
        outcomes.append(Outcome(repair, places))
    return out, outcomes
