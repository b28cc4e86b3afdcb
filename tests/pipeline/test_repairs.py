"""Each declared repair: it mends its defect, only it, once, and goes quiet after."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pull_spec import validation_errors

from repairs import REPAIRED, REPAIRS, apply_repairs, field_types, route_types

from .specs import CASES, REF, Case, _ok, clean_doc, op_at, param

BY_NAME = {r.name: r for r in REPAIRS}
#: Repairs each shared document does not need.  The reconstruction of current DIALS lists
#: cert-json and golden-json with their slash, as POSTs with a JSON body (no query
#: parameters to make required); v1.12.0 needs every repair.
UNNECESSARY = {
    "current": {"trailing-slash", "json-route-required-params"},
    "v1.12.0": set(),
}


def _ids(case: Case) -> str:
    return case.repair


def test_every_declared_repair_has_a_test_case() -> None:
    assert [c.repair for c in CASES] == [r.name for r in REPAIRS]
    for repair in REPAIRS:
        assert repair.defect.strip() and repair.why.strip(), repair.name


def test_the_clean_document_needs_no_repair() -> None:
    doc = clean_doc()
    assert validation_errors(doc) == []
    assert {r.name: r.find(doc) for r in REPAIRS} == {r.name: [] for r in REPAIRS}
    assert {r.name: r.odd(doc) for r in REPAIRS} == {r.name: [] for r in REPAIRS}
    assert {c.repair: c.problems(doc) for c in CASES} == {c.repair: [] for c in CASES}
    repaired, outcomes = apply_repairs(doc)
    assert repaired == doc
    assert not any(o.applied for o in outcomes)


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_repair_mends_its_defect_on_a_hand_made_document(case: Case) -> None:
    doc = case.defective()
    pristine = copy.deepcopy(doc)
    repair = BY_NAME[case.repair]

    assert case.problems(doc), "the injected defect is not there"
    places = repair.find(doc)
    assert places
    assert doc == pristine, "find() must only look"
    others = {r.name for r in REPAIRS if r.name != case.repair and r.find(doc)}
    assert others == set(), "the case should exercise one repair only"
    assert [r.name for r in REPAIRS if r.odd(doc)] == [], "the documented defect is recognised"

    fixed, outcomes = apply_repairs(doc)
    assert doc == pristine, "apply_repairs() must work on a copy"
    assert [(o.repair.name, o.places) for o in outcomes if o.applied] == [(case.repair, places)]
    assert case.problems(fixed) == []
    case.fixed(fixed)
    assert validation_errors(fixed) == []


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_repair_is_idempotent(case: Case) -> None:
    repair = BY_NAME[case.repair]
    once, _ = apply_repairs(case.defective(), [repair])
    assert repair.find(once) == []
    twice, outcomes = apply_repairs(once, [repair])
    assert twice == once
    assert [o.places for o in outcomes] == [[]]
    # fix() itself changes nothing on a mended document
    again = copy.deepcopy(once)
    repair.fix(again)
    assert again == once


@pytest.fixture(params=sorted(UNNECESSARY))
def shared(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    """``(label, private copy)`` of each shared document; skips when it is absent."""
    fixture = "snapshot_doc" if request.param == "current" else "v112_doc"
    return request.param, copy.deepcopy(request.getfixturevalue(fixture))


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_repair_on_the_shared_documents(case: Case, shared: tuple[str, dict[str, Any]]) -> None:
    label, doc = shared
    repair = BY_NAME[case.repair]
    needed = case.repair not in UNNECESSARY[label]
    assert bool(case.problems(doc)) == needed
    assert bool(repair.find(doc)) == needed
    assert repair.odd(doc) == [], "nothing in the shared documents is left alone"
    fixed, outcomes = apply_repairs(doc)
    assert case.problems(fixed) == []
    assert repair.find(fixed) == []
    assert {o.repair.name: o.applied for o in outcomes}[case.repair] == needed


def test_shared_documents_are_invalid_upstream_and_valid_repaired(
    shared: tuple[str, dict[str, Any]],
) -> None:
    _, doc = shared
    errors = validation_errors(doc, limit=10_000)
    assert len(errors) == 28
    assert all("'int' is not one of" in e or "int" in e for e in errors), errors[:3]
    fixed, _ = apply_repairs(doc)
    assert validation_errors(fixed) == []
    again, outcomes = apply_repairs(fixed)
    assert again == fixed
    assert [o.repair.name for o in outcomes if o.applied] == []


def test_no_workspace_header_is_invented_on_the_current_document(
    snapshot_doc: dict[str, Any],
) -> None:
    """The workspaces routes left /auth/ upstream; they read no workspace database, so
    openapi.json lists them, as upstream does, without the Workspace header."""
    fixed, _ = apply_repairs(snapshot_doc)
    for path in ("/api/v1/workspaces/", "/api/v1/workspaces/my-default/"):
        op = fixed["paths"][path]["get"]
        assert op["parameters"] == snapshot_doc["paths"][path]["get"]["parameters"] == []
    upstream = {
        (path, m): [p for p in op.get("parameters", []) if p["in"] == "header"]
        for path, item in snapshot_doc["paths"].items()
        for m, op in item.items()
    }
    repaired = {
        (path, m): [p for p in op.get("parameters", []) if p["in"] == "header"]
        for path, item in fixed["paths"].items()
        for m, op in item.items()
    }
    assert repaired == upstream


# --------------------------------------------------------------------------- #
# Corner cases found while testing (each failed before its fix in repairs.py)
# --------------------------------------------------------------------------- #
def test_count_route_without_json_body_is_left_alone() -> None:
    doc = clean_doc()
    op_at(doc, "/api/v1/th1/count/")["responses"] = {"204": {"description": "empty"}}
    assert BY_NAME["count-schema"].find(doc) == []


def test_operation_without_operation_id_is_left_alone() -> None:
    doc = clean_doc()
    del op_at(doc, "/api/v1/th1/count/")["operationId"]
    assert BY_NAME["operation-names"].find(doc) == []
    fixed, _ = apply_repairs(doc, [BY_NAME["operation-names"]])
    assert "operationId" not in op_at(fixed, "/api/v1/th1/count/")


def test_json_route_shapes_unnecessary_without_those_schemas() -> None:
    """If upstream drops cert-json/golden-json, the repair must not invent their models."""
    doc = clean_doc()
    del doc["paths"]["/api/v1/ml-bad-lumisection/golden-json/"]
    for name in ("MLBadLumisectionCertJson", "MLBadLumisectionGoldenJson"):
        del doc["components"]["schemas"][name]
    del doc["components"]["schemas"]["MLBadLumisectionCertEntry"]
    assert BY_NAME["json-route-shapes"].find(doc) == []
    fixed, _ = apply_repairs(doc)
    assert "MLBadLumisectionCertEntry" not in fixed["components"]["schemas"]


def test_route_listed_with_and_without_slash_keeps_every_operation() -> None:
    doc = clean_doc()
    golden = "/api/v1/ml-bad-lumisection/golden-json/"
    slashed = op_at(doc, golden)
    doc["paths"][golden.rstrip("/")] = {
        "get": {**copy.deepcopy(slashed), "operationId": "stale_golden"},
        "post": {**copy.deepcopy(slashed), "operationId": "post_golden"},
    }
    fixed, _ = apply_repairs(doc, [BY_NAME["trailing-slash"]])
    assert golden.rstrip("/") not in fixed["paths"]
    assert fixed["paths"][golden]["get"]["operationId"] == "golden_json_ml_bad_lumisection"
    assert fixed["paths"][golden]["post"]["operationId"] == "post_golden"


# --------------------------------------------------------------------------- #
# A repair mends only its defect: anything else it meets is left alone and reported
# --------------------------------------------------------------------------- #
def _ok_inline(properties: dict[str, Any]) -> dict[str, Any]:
    return _ok({"type": "object", "properties": properties})


def _left_alone(doc: dict[str, Any], name: str) -> tuple[dict[str, Any], list[str], list[str]]:
    """Apply one repair: ``(repaired copy, places it mended, places it left alone)``."""
    fixed, [outcome] = apply_repairs(doc, [BY_NAME[name]])
    return fixed, outcome.places, outcome.left_alone


def assert_untouched(doc: dict[str, Any], name: str, left: list[str]) -> None:
    """Repair ``name`` mends nothing in ``doc``, changes no byte of it and reports ``left``."""
    fixed, mended, reported = _left_alone(doc, name)
    assert (mended, reported) == ([], left)
    assert fixed == doc


def test_query_filter_types_retypes_only_string_and_leaves_other_types_alone() -> None:
    doc = clean_doc()
    param(doc, "/api/v1/th1/", "run_number__gte")["schema"] = {"type": "number"}
    param(doc, "/api/v1/th1/", "entries__gte")["schema"] = {"type": "string", "format": "date"}
    param(doc, "/api/v1/th1/", "run_number")["schema"] = {"type": "string"}  # the defect
    fixed, mended, left = _left_alone(doc, "query-filter-types")
    assert mended == ["GET /api/v1/th1/ run_number"]
    assert param(fixed, "/api/v1/th1/", "run_number")["schema"] == {"type": "integer"}
    assert left == [
        "GET /api/v1/th1/ run_number__gte: typed number upstream, the column is integer",
        "GET /api/v1/th1/ entries__gte: typed string(date) upstream, the column is integer",
    ]
    assert param(fixed, "/api/v1/th1/", "run_number__gte")["schema"] == {"type": "number"}
    assert param(fixed, "/api/v1/th1/", "entries__gte")["schema"] == {
        "type": "string",
        "format": "date",
    }


def test_query_filter_types_leaves_an_upstream_integer_without_int64_alone() -> None:
    doc = clean_doc()
    param(doc, "/api/v1/th1/", "dataset_id")["schema"] = {"type": "integer", "minimum": 0}
    assert_untouched(doc, "query-filter-types", [])


def test_query_filter_types_follows_the_routes_own_column() -> None:
    """Upstream retypes TH1.run_number integer -> string: the TH1 filters named after it are
    then upstream's strings, even while another schema keeps an integer run_number."""
    doc = clean_doc()
    doc["components"]["schemas"]["Run"] = {
        "type": "object",
        "properties": {"run_number": {"type": "integer"}},
    }
    doc["components"]["schemas"]["TH1"]["properties"]["run_number"] = {"type": "string"}
    for path, name in (("/api/v1/th1/", "run_number"), ("/api/v1/th1/", "run_number__gte")):
        param(doc, path, name)["schema"] = {"type": "string"}
    param(doc, "/api/v1/th1/count/", "run_number")["schema"] = {"type": "string"}
    assert_untouched(doc, "query-filter-types", [])


def test_path_parameter_types_leaves_unknown_declarations_alone() -> None:
    doc = clean_doc()
    params = op_at(doc, "/api/v1/th1/{dataset_id}/{me_id}/")["parameters"]
    params[0]["schema"] = {"type": "integer", "format": "int64"}  # an integer: fine as it is
    params[1]["schema"] = {"type": "string", "format": "uuid"}  # not the documented defect
    assert_untouched(
        doc,
        "path-parameter-types",
        [
            "GET /api/v1/th1/{dataset_id}/{me_id}/ me_id: string(uuid) (the field it looks up "
            "is integer; not 'int', 'string' or 'number')"
        ],
    )


def test_in_filters_leave_items_of_another_numeric_type_alone() -> None:
    doc = clean_doc()
    p = param(doc, "/api/v1/th1/", "me_id__in")
    p["schema"] = {"type": "array", "items": {"type": "number"}}
    left = ["GET /api/v1/th1/ me_id__in: typed array[number] upstream"]
    assert_untouched(doc, "in-filters-as-lists", left)


def test_in_filters_retype_string_items_of_a_numeric_column() -> None:
    doc = clean_doc()
    param(doc, "/api/v1/th1/", "me_id__in")["schema"]["items"] = {"type": "string"}
    fixed, mended, left = _left_alone(doc, "in-filters-as-lists")
    assert (mended, left) == (["GET /api/v1/th1/ me_id__in"], [])
    record = param(fixed, "/api/v1/th1/", "me_id__in").pop(REPAIRED)
    assert record == {
        "by": "in-filters-as-lists",
        "upstream": {
            "schema": {"type": "array", "items": {"type": "string"}},
            "style": "form",
            "explode": False,
        },
    }
    assert fixed == clean_doc()


def test_a_retyping_repair_records_what_upstream_declared() -> None:
    """So that check-drift can tell an upstream change that only looks like the defect."""
    doc = clean_doc()
    param(doc, "/api/v1/th1/", "run_number")["schema"] = {"type": "string"}
    fixed, _ = apply_repairs(doc)
    repaired = param(fixed, "/api/v1/th1/", "run_number")
    assert repaired["schema"] == {"type": "integer"}
    assert repaired[REPAIRED] == {
        "by": "query-filter-types",
        "upstream": {"schema": {"type": "string"}},
    }
    # the record survives a second pull unchanged, and untouched parameters get none
    again, _ = apply_repairs(fixed)
    assert again == fixed
    assert REPAIRED not in param(fixed, "/api/v1/th1/", "run_number__gte")


def test_page_size_leaves_an_integer_and_unknown_types_alone() -> None:
    doc = clean_doc()
    param(doc, "/api/v1/th1/", "page_size")["schema"] = {"type": "integer", "maximum": 500}
    assert_untouched(doc, "page-size-integer", [])
    param(doc, "/api/v1/th1/", "page_size")["schema"] = {"type": "string"}
    left = ["GET /api/v1/th1/: page_size typed string upstream"]
    assert_untouched(doc, "page-size-integer", left)


def test_json_route_shapes_do_not_overwrite_a_shape_upstream_declares() -> None:
    doc = clean_doc()
    schemas = doc["components"]["schemas"]
    del schemas["MLBadLumisectionCertEntry"]
    schemas["MLBadLumisectionCertJson"] = {
        "type": "object",
        "additionalProperties": {"type": "object", "additionalProperties": {"type": "array"}},
    }
    schemas["MLBadLumisectionGoldenJson"]["additionalProperties"]["items"].pop("maxItems")
    own = "upstream declares a shape of its own (not a literal 'run_number' key)"
    left = [f"schema MLBadLumisection{kind}Json: {own}" for kind in ("Cert", "Golden")]
    assert_untouched(doc, "json-route-shapes", left)  # so no entry schema is invented


def test_json_route_shapes_keep_an_entry_schema_upstream_declares() -> None:
    doc = clean_doc()
    schemas = doc["components"]["schemas"]
    upstream_entry = {"type": "object", "properties": {"model_id": {"type": "integer"}}}
    schemas["MLBadLumisectionCertEntry"] = copy.deepcopy(upstream_entry)
    schemas["MLBadLumisectionCertJson"] = {
        "type": "object",
        "properties": {"run_number": {"type": "object", "properties": {}}},
    }
    fixed, mended, left = _left_alone(doc, "json-route-shapes")
    assert (mended, left) == (["MLBadLumisectionCertJson"], [])
    assert fixed["components"]["schemas"]["MLBadLumisectionCertEntry"] == upstream_entry


def test_named_page_schemas_do_not_overwrite_a_page_schema_upstream_declares() -> None:
    doc = clean_doc()
    page = doc["components"]["schemas"]["PaginatedTH1List"]
    op_at(doc, "/api/v1/th1/")["responses"] = _ok_inline(copy.deepcopy(page["properties"]))
    page["properties"]["count"] = {"type": "integer"}  # upstream's own page, of another shape
    assert_untouched(
        doc,
        "named-page-schemas",
        [
            "GET /api/v1/th1/ -> PaginatedTH1List: upstream declares a schema of that name, "
            "of another shape"
        ],
    )


def test_count_schema_leaves_other_answers_and_an_upstream_count_alone() -> None:
    doc = clean_doc()
    doc["components"]["schemas"]["RowCount"] = {"type": "object", "properties": {}}
    op_at(doc, "/api/v1/th1/count/")["responses"] = _ok({"$ref": REF + "RowCount"})
    assert_untouched(
        doc,
        "count-schema",
        ["GET /api/v1/th1/count/: answers untyped, not an inline {count: number}"],
    )

    doc = clean_doc()
    upstream_count = {"type": "object", "properties": {"count": {"type": "integer"}}}
    doc["components"]["schemas"]["Count"] = copy.deepcopy(upstream_count)
    op_at(doc, "/api/v1/th1/count/")["responses"] = _ok_inline({"count": {"type": "number"}})
    fixed, mended, left = _left_alone(doc, "count-schema")
    assert (mended, len(left)) == ([], 1)
    assert fixed["components"]["schemas"]["Count"] == upstream_count


def test_th2_data_leaves_a_shape_upstream_declares_alone() -> None:
    doc = clean_doc()
    rows = {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}}
    doc["components"]["schemas"]["TH2"] = {"type": "object", "properties": {"data": rows}}
    assert_untouched(
        doc,
        "th2-data-rows",
        ["TH2.data: declared array[array[integer]] upstream, not a flat list of numbers"],
    )


def test_route_types_come_from_the_list_routes_rows_only() -> None:
    doc = clean_doc()
    doc["components"]["schemas"]["TH1"]["properties"]["me_id"] = {"type": "string"}
    th1 = route_types(doc, "/api/v1/th1/")
    assert "me_id" not in th1  # a string column on this route: no numeric me_id filter
    assert th1 == route_types(doc, "/api/v1/th1/count/")  # a count route: its list's rows
    # routes that answer no list of rows (a map, one row) go by the fields of every schema
    assert route_types(doc, "/api/v1/ml-bad-lumisection/golden-json/") == field_types(doc)
    assert route_types(doc, "/api/v1/th1/{dataset_id}/{me_id}/") == field_types(doc)
    assert field_types(doc)["me_id"] == {"type": "integer"}  # from the cert entry schema
