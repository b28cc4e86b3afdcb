"""Small hand-made OpenAPI documents for the pipeline tests.

``clean_doc()`` is a miniature DIALS spec that already satisfies every repair:
the pull reports all repairs unnecessary on it.  Each ``Case`` injects exactly one
upstream defect into it and says, independently of ``scripts/repairs.py``, how to
recognise that defect (``problems``): the tests check that the defect is there
before the repair and gone after it, both here and on the real snapshot.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from repairs import operations

JSON = dict[str, Any]
REF = "#/components/schemas/"

WORKSPACE = {
    "name": "workspace",
    "in": "header",
    "required": False,
    "description": "workspace",
    "schema": {"type": "string"},
}
SECURITY = [{"Client Secret Key": []}, {"Bearer Token": []}]


def _query(name: str, schema: JSON, required: bool = False, **extra: Any) -> JSON:
    return {"name": name, "in": "query", "required": required, "schema": schema, **extra}


def _path(name: str) -> JSON:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def page_of(row: str) -> JSON:
    """A cursor page schema (``Paginated<row>List``) of the component schema ``row``."""
    return {
        "type": "object",
        "properties": {
            "next": {"type": "string", "nullable": True},
            "previous": {"type": "string", "nullable": True},
            "results": {"type": "array", "items": {"$ref": REF + row}},
        },
        "required": ["next", "previous", "results"],
    }


def _ok(schema: JSON) -> JSON:
    return {"200": {"description": "", "content": {"application/json": {"schema": schema}}}}


def _int_list(item: JSON) -> dict[str, Any]:
    return {"schema": {"type": "array", "items": item}, "style": "form", "explode": False}


INT64 = {"type": "integer", "format": "int64"}
INT_ITEMS = {"type": "integer"}


def clean_doc() -> JSON:
    """A valid OpenAPI 3.0 document on which every repair finds nothing to do."""
    url = {"type": "string", "nullable": True, "format": "uri"}
    entry = {
        "type": "object",
        "description": "One model's verdict on one ME of a bad lumisection.",
        "properties": {
            "model_id": dict(INT64),
            "me_id": {"type": "integer"},
            "filename": {"type": "string"},
            "me": {"type": "string"},
            "mse": {"type": "number"},
        },
        "required": ["model_id", "me_id", "filename", "me", "mse"],
    }
    return {
        "openapi": "3.0.2",
        "info": {"title": "DIALS (hand-made test spec)", "version": "0.0.1"},
        "paths": {
            "/api/v1/th1/": {
                "get": {
                    "operationId": "list_th1",
                    "tags": ["th1"],
                    "parameters": [
                        _query("next_token", {"type": "string"}),
                        _query("page_size", {"type": "integer", "minimum": 1}),
                        _query("dataset_id", dict(INT64)),
                        _query("run_number", {"type": "integer"}),
                        _query("run_number__gte", {"type": "integer"}),
                        _query("entries__gte", {"type": "integer"}),
                        _query("me__regex", {"type": "string"}),
                        {"name": "me_id__in", "in": "query", "required": False}
                        | _int_list({"type": "integer"}),
                        dict(WORKSPACE),
                    ],
                    "responses": _ok({"$ref": REF + "PaginatedTH1List"}),
                    "security": copy.deepcopy(SECURITY),
                }
            },
            "/api/v1/th1/count/": {
                "get": {
                    "operationId": "count_th1",
                    "tags": ["th1"],
                    "parameters": [_query("run_number", {"type": "integer"}), dict(WORKSPACE)],
                    "responses": _ok({"$ref": REF + "Count"}),
                    "security": copy.deepcopy(SECURITY),
                }
            },
            "/api/v1/th1/{dataset_id}/{me_id}/": {
                "get": {
                    "operationId": "retrieve_th1",
                    "tags": ["th1"],
                    "parameters": [_path("dataset_id"), _path("me_id"), dict(WORKSPACE)],
                    "responses": _ok({"$ref": REF + "TH1"}),
                    "security": copy.deepcopy(SECURITY),
                }
            },
            "/api/v1/ml-bad-lumisection/golden-json/": {
                "get": {
                    "operationId": "golden_json_ml_bad_lumisection",
                    "tags": ["ml_bad_lumisection"],
                    "parameters": [
                        {"name": "model_id__in", "in": "query", "required": True}
                        | _int_list(dict(INT64)),
                        {"name": "run_number__in", "in": "query", "required": True}
                        | _int_list({"type": "integer"}),
                        dict(WORKSPACE),
                    ],
                    "responses": _ok({"$ref": REF + "MLBadLumisectionGoldenJson"}),
                    "security": copy.deepcopy(SECURITY),
                }
            },
            "/api/v1/auth/workspaces/": {
                "get": {
                    "operationId": "get_workspaces",
                    "tags": ["authentication"],
                    "responses": _ok({"$ref": REF + "UserDefaultWorkspace"}),
                    "security": copy.deepcopy(SECURITY),
                }
            },
            "/api/v1/auth/device-token/": {
                "post": {
                    "operationId": "issue_device_token",
                    "tags": ["authentication"],
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": REF + "DeviceCode"}}}
                    },
                    "responses": _ok({"$ref": REF + "UserDefaultWorkspace"}),
                }
            },
            "/api/v1/caf/": {
                "get": {
                    "operationId": "retrieve_caf",
                    "tags": ["third_parties"],
                    "parameters": [
                        _query("class_name", {"type": "string"}, required=True),
                        _query("run_number", {"type": "string"}),
                    ],
                    "responses": _ok({"type": "object", "properties": {}}),
                    "security": copy.deepcopy(SECURITY),
                }
            },
        },
        "components": {
            "schemas": {
                "TH1": {
                    "type": "object",
                    "properties": {
                        "dataset_id": dict(INT64),
                        "me_id": {"type": "integer"},
                        "run_number": {"type": "integer"},
                        "entries": {"type": "integer"},
                        "me": {"type": "string"},
                        "data": {"type": "array", "items": {"type": "number"}},
                    },
                    "required": ["dataset_id", "me_id", "run_number", "entries"],
                },
                "MLModelsIndex": {
                    "type": "object",
                    "properties": {
                        "model_id": dict(INT64),
                        "filename": {"type": "string"},
                        "active": {"type": "boolean"},
                    },
                    "required": ["model_id", "filename", "active"],
                },
                "PaginatedTH1List": {
                    "type": "object",
                    "description": "One page of TH1 rows; follow `next` (it carries next_token) "
                    "for more.",
                    "properties": {
                        "next": dict(url),
                        "previous": dict(url),
                        "results": {"type": "array", "items": {"$ref": REF + "TH1"}},
                    },
                    "required": ["next", "previous", "results"],
                },
                "Count": {
                    "type": "object",
                    "description": "How many rows match the filters.",
                    "properties": {"count": {"type": "integer"}},
                    "required": ["count"],
                },
                "UserDefaultWorkspace": {
                    "type": "object",
                    "properties": {"workspace": {"type": "string"}},
                    "required": ["workspace"],
                },
                "DeviceCode": {
                    "type": "object",
                    "properties": {"device_code": {"type": "string"}},
                    "required": ["device_code"],
                },
                "MLBadLumisectionCertEntry": entry,
                "MLBadLumisectionCertJson": {
                    "type": "object",
                    "description": "Run number (string key) -> lumisection number (string key) "
                    "-> flags.",
                    "additionalProperties": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "array",
                            "items": {"$ref": REF + "MLBadLumisectionCertEntry"},
                        },
                    },
                },
                "MLBadLumisectionGoldenJson": {
                    "type": "object",
                    "description": "Run number (string key) -> good lumisection ranges "
                    "[first, last].",
                    "additionalProperties": {
                        "type": "array",
                        "items": {
                            "type": "array",
                            "items": {"type": "integer"},
                            "minItems": 2,
                            "maxItems": 2,
                        },
                    },
                },
            },
            "securitySchemes": {
                "Bearer Token": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "Client Secret Key": {"type": "apiKey", "in": "header", "name": "X-CLIENT-SECRET"},
            },
        },
    }


# --------------------------------------------------------------------------- #
# Walking a document
# --------------------------------------------------------------------------- #


def op_at(doc: JSON, path: str, method: str = "get") -> JSON:
    op: JSON = doc["paths"][path][method]
    return op


def param(doc: JSON, path: str, name: str, where: str = "query") -> JSON:
    for p in op_at(doc, path)["parameters"]:
        if p["name"] == name and p["in"] == where:
            found: JSON = p
            return found
    raise KeyError(f"{path}: no {where} parameter {name}")


def is_third_party(path: str) -> bool:
    return path.startswith(
        ("/api/v1/oms-proxy/", "/api/v1/caf/", "/api/v1/runregistry/", "/api/v1/brilws/")
    )


def response_schema(op: JSON) -> Any:
    return op["responses"]["200"]["content"]["application/json"]["schema"]


# --------------------------------------------------------------------------- #
# Defect recognisers, written from the server's behaviour, not from repairs.py
# --------------------------------------------------------------------------- #
INTEGER_KEYS = {"dataset_id", "file_id", "run_number", "ls_number", "me_id", "model_id"}
INTEGER_FILTERS = INTEGER_KEYS | {"entries", "dim", "min_size", "id"}
# bigint columns: int64 in the schemas (``id`` is the ML models index's key)
BIGINT_KEYS = {"dataset_id", "file_id", "model_id", "id"}
JSON_SCHEMA_TYPES = {"string", "number", "integer", "boolean", "array", "object"}


def path_param_problems(doc: JSON) -> list[str]:
    out = []
    for path, _, op in operations(doc):
        for p in op.get("parameters", []):
            kind = p.get("schema", {}).get("type")
            if p["in"] == "path" and (kind not in JSON_SCHEMA_TYPES or p["name"] in INTEGER_KEYS):
                if kind != "integer":
                    out.append(f"{path} {p['name']}: {kind}")
    return out


def query_filter_problems(doc: JSON) -> list[str]:
    out = []
    for path, _, op in operations(doc):
        for p in op.get("parameters", []):
            if p["in"] != "query":
                continue
            base = re.sub(r"__(gte|lte)$", "", p["name"])
            kind = p.get("schema", {}).get("type")
            if p["name"].endswith("__regex") and kind != "string":
                out.append(f"{path} {p['name']}: regex typed {kind}")
            elif is_third_party(path):
                continue
            elif base in INTEGER_FILTERS and kind != "integer":
                out.append(f"{path} {p['name']}: {kind}")
            elif base == "active" and kind != "boolean":
                out.append(f"{path} {p['name']}: {kind}")
    return out


def in_filter_problems(doc: JSON) -> list[str]:
    out = []
    for path, _, op in operations(doc):
        for p in op.get("parameters", []):
            if p["in"] != "query" or not p["name"].endswith("__in"):
                continue
            schema = p.get("schema", {})
            item_type = schema.get("items", {}).get("type")
            base = p["name"][: -len("__in")]
            want_item = "integer" if base in INTEGER_FILTERS else "string"
            if schema.get("type") != "array" or item_type != want_item:
                out.append(f"{path} {p['name']}: {schema}")
            elif base in BIGINT_KEYS and schema["items"].get("format") != "int64":
                out.append(f"{path} {p['name']}: items are bigint ids, not int64")
            elif p.get("style", "form") != "form" or p.get("explode", True) is not False:
                out.append(f"{path} {p['name']}: sent as repeated keys, server reads a,b,c")
    return out


def page_size_problems(doc: JSON) -> list[str]:
    return [
        f"{path}: {p['schema']}"
        for path, _, op in operations(doc)
        for p in op.get("parameters", [])
        if p["name"] == "page_size" and p["schema"].get("type") != "integer"
    ]


def page_schema_problems(doc: JSON) -> list[str]:
    out = []
    schemas = doc["components"]["schemas"]
    for path, _, op in operations(doc):
        if not any(p["name"] == "next_token" for p in op.get("parameters", [])):
            continue
        ref = response_schema(op).get("$ref", "")
        name = ref.removeprefix(REF)
        if not re.fullmatch(r"Paginated\w+List", name) or name not in schemas:
            out.append(f"{path}: page is not a named schema ({response_schema(op)})")
            continue
        page = schemas[name]
        if set(page["properties"]) != {"next", "previous", "results"}:
            out.append(f"{name}: properties {sorted(page['properties'])}")
        elif not page["properties"]["results"]["items"].get("$ref"):
            out.append(f"{name}: results are not a named item type")
    return out


def count_problems(doc: JSON) -> list[str]:
    out = []
    for path, _, op in operations(doc):
        if path.endswith("/count/"):
            schema = response_schema(op)
            target = doc["components"]["schemas"].get(schema.get("$ref", "").removeprefix(REF))
            if not target or target["properties"]["count"] != {"type": "integer"}:
                out.append(f"{path}: {schema}")
    return out


def slash_problems(doc: JSON) -> list[str]:
    return [path for path in doc["paths"] if not path.endswith("/")]


def json_shape_problems(doc: JSON) -> list[str]:
    out = []
    schemas = doc["components"]["schemas"]
    golden = schemas.get("MLBadLumisectionGoldenJson")
    if golden is not None:
        ranges = golden.get("additionalProperties", {})
        pair = ranges.get("items", {})
        if golden.get("properties") or ranges.get("type") != "array":
            out.append(f"golden-json: {golden}")
        elif pair.get("items") != {"type": "integer"} or pair.get("maxItems") != 2:
            out.append(f"golden-json ranges: {pair}")
    cert = schemas.get("MLBadLumisectionCertJson")
    if cert is not None:
        per_ls = cert.get("additionalProperties", {}).get("additionalProperties", {})
        entry_ref = per_ls.get("items", {}).get("$ref", "")
        entry = schemas.get(entry_ref.removeprefix(REF), {})
        if cert.get("properties") or set(entry.get("properties", {})) != {
            "model_id",
            "me_id",
            "filename",
            "me",
            "mse",
        }:
            out.append(f"cert-json: {cert}")
    return out


def json_route_param_problems(doc: JSON) -> list[str]:
    return [
        f"{path} {p['name']}"
        for path, _, op in operations(doc)
        if re.search(r"/(cert|golden)-json/?$", path)
        for p in op.get("parameters", [])
        if p["name"].endswith("__in") and p.get("required") is not True
    ]


def required_problems(doc: JSON) -> list[str]:
    return [
        f"{name} requires {r}"
        for name, schema in doc["components"]["schemas"].items()
        for r in schema.get("required", [])
        if r not in schema.get("properties", {})
    ]


def security_problems(doc: JSON) -> list[str]:
    out = []
    for name, scheme in doc["components"]["securitySchemes"].items():
        if scheme["type"] == "http" and ("in" in scheme or "name" in scheme):
            out.append(f"{name}: http scheme with apiKey keys")
        if scheme["type"] == "http" and scheme["scheme"] != scheme["scheme"].lower():
            out.append(f"{name}: scheme name not lower-case")
    for path, method, op in operations(doc):
        if {} in op.get("security", []):
            out.append(f"{method} {path}: anonymous access")
    return out


def name_problems(doc: JSON) -> list[str]:
    out = []
    for path, method, op in operations(doc):
        op_id = op.get("operationId", "")
        if not re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", op_id):
            out.append(f"{method} {path}: operationId {op_id!r}")
        elif re.search(r"(^|_)(m_es|th[12]_s|indexs|auth_view_set)($|_)", op_id):
            out.append(f"{method} {path}: operationId {op_id!r}")
        tags = op.get("tags", [])
        out += [f"{path}: tag {t!r}" for t in tags if not re.fullmatch(r"[a-z_0-9]+", t)]
    return out


# --------------------------------------------------------------------------- #
# One case per repair: inject the defect into clean_doc()
# --------------------------------------------------------------------------- #
def _break_path_params(doc: JSON) -> None:
    params = op_at(doc, "/api/v1/th1/{dataset_id}/{me_id}/")["parameters"]
    params[0]["schema"] = {"type": "int"}  # not a JSON Schema type: the generator refuses it
    params[1]["schema"] = {"type": "string"}


def _break_filters(doc: JSON) -> None:
    for name in ("run_number__gte", "entries__gte", "dataset_id"):
        param(doc, "/api/v1/th1/", name)["schema"] = {"type": "string"}
    param(doc, "/api/v1/th1/count/", "run_number")["schema"] = {"type": "string"}


def _break_in_filters(doc: JSON) -> None:
    p = param(doc, "/api/v1/th1/", "me_id__in")
    p["schema"] = {"type": "string"}
    del p["style"], p["explode"]
    q = param(doc, "/api/v1/ml-bad-lumisection/golden-json/", "run_number__in")
    q["schema"] = {"type": "array", "items": {}}
    r = param(doc, "/api/v1/ml-bad-lumisection/golden-json/", "model_id__in")
    r["schema"] = {"type": "array", "items": {"type": "integer"}}


def _break_page_size(doc: JSON) -> None:
    param(doc, "/api/v1/th1/", "page_size")["schema"] = {"type": "number"}


def _break_pages(doc: JSON) -> None:
    page = doc["components"]["schemas"].pop("PaginatedTH1List")
    op_at(doc, "/api/v1/th1/")["responses"] = _ok(
        {"type": "object", "properties": copy.deepcopy(page["properties"])}
    )


def _break_counts(doc: JSON) -> None:
    del doc["components"]["schemas"]["Count"]
    op_at(doc, "/api/v1/th1/count/")["responses"] = _ok(
        {"type": "object", "properties": {"count": {"type": "number"}}}
    )


def _break_slash(doc: JSON) -> None:
    doc["paths"] = {p.rstrip("/") if "golden" in p else p: v for p, v in doc["paths"].items()}


def _break_json_shapes(doc: JSON) -> None:
    schemas = doc["components"]["schemas"]
    del schemas["MLBadLumisectionCertEntry"]
    schemas["MLBadLumisectionGoldenJson"] = {
        "type": "object",
        "properties": {
            "run_number": {"type": "array", "items": {"type": "array", "items": INT_ITEMS}}
        },
        "required": ["run_number"],
    }
    schemas["MLBadLumisectionCertJson"] = {
        "type": "object",
        "properties": {"run_number": {"type": "object", "properties": {}}},
    }


def _break_json_params(doc: JSON) -> None:
    for p in op_at(doc, "/api/v1/ml-bad-lumisection/golden-json/")["parameters"]:
        if p["in"] == "query":
            p["required"] = False


def _break_required(doc: JSON) -> None:
    doc["components"]["schemas"]["UserDefaultWorkspace"]["required"] = ["workspaces"]


def _break_security(doc: JSON) -> None:
    doc["components"]["securitySchemes"]["Bearer Token"] |= {
        "in": "header",
        "name": "Bearer",
        "scheme": "Bearer",
    }
    op_at(doc, "/api/v1/th1/")["security"].append({})


def _break_names(doc: JSON) -> None:
    op_at(doc, "/api/v1/th1/")["operationId"] = "listTH1s"
    op_at(doc, "/api/v1/th1/{dataset_id}/{me_id}/")["operationId"] = "retrieveTH1"
    op_at(doc, "/api/v1/auth/workspaces/")["operationId"] = "getWorkspacesAuthViewSet"
    op_at(doc, "/api/v1/ml-bad-lumisection/golden-json/")["tags"] = ["ML Bad Lumisection"]


def _names_fixed(doc: JSON) -> None:
    """The exact names the repair must produce from _break_names's ones."""
    assert op_at(doc, "/api/v1/th1/")["operationId"] == "list_th1"
    assert op_at(doc, "/api/v1/th1/{dataset_id}/{me_id}/")["operationId"] == "retrieve_th1"
    assert op_at(doc, "/api/v1/auth/workspaces/")["operationId"] == "get_workspaces"
    golden = op_at(doc, "/api/v1/ml-bad-lumisection/golden-json/")
    assert golden["tags"] == ["ml_bad_lumisection"]


def th2_problems(doc: JSON) -> list[str]:
    data = doc["components"]["schemas"].get("TH2", {}).get("properties", {}).get("data")
    rows = {"type": "array", "items": {"type": "array", "items": {"type": "number"}}}
    return [] if data in (None, rows) else [f"TH2.data is {data}"]


def _break_th2(doc: JSON) -> None:
    doc["components"]["schemas"]["TH2"] = {
        "type": "object",
        "properties": {
            "me_id": {"type": "integer"},
            "data": {"type": "array", "items": {"type": "number"}},
        },
        "required": ["me_id", "data"],
    }


def deep_object_problems(doc: JSON) -> list[str]:
    return [
        f"{method} {path} {p['name']}"
        for path, method, op in operations(doc)
        for p in op.get("parameters", [])
        if p.get("style") == "deepObject" and p.get("explode") is not True
    ]


def _break_deep_object(doc: JSON) -> None:
    op_at(doc, "/api/v1/th1/")["parameters"].append(
        {
            "name": "filter",
            "in": "query",
            "required": False,
            "style": "deepObject",
            "schema": {"type": "object", "additionalProperties": {"type": "string"}},
        }
    )


def _nothing(doc: JSON) -> None:
    """No extra expectation beyond ``problems``."""


@dataclass(frozen=True)
class Case:
    repair: str
    inject: Callable[[JSON], None]
    problems: Callable[[JSON], list[str]]
    fixed: Callable[[JSON], None] = _nothing

    def defective(self) -> JSON:
        doc = clean_doc()
        self.inject(doc)
        return doc


CASES = [
    Case("path-parameter-types", _break_path_params, path_param_problems),
    Case("query-filter-types", _break_filters, query_filter_problems),
    Case("in-filters-as-lists", _break_in_filters, in_filter_problems),
    Case("page-size-integer", _break_page_size, page_size_problems),
    Case("named-page-schemas", _break_pages, page_schema_problems),
    Case("count-schema", _break_counts, count_problems),
    Case("trailing-slash", _break_slash, slash_problems),
    Case("json-route-shapes", _break_json_shapes, json_shape_problems),
    Case("json-route-required-params", _break_json_params, json_route_param_problems),
    Case("required-fields-exist", _break_required, required_problems),
    Case("security-schemes", _break_security, security_problems),
    Case("th2-data-rows", _break_th2, th2_problems),
    Case("deep-object-explode", _break_deep_object, deep_object_problems),
    Case("operation-names", _break_names, name_problems, _names_fixed),
]
