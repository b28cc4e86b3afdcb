"""Each declared repair: it mends its defect, only it, once, and goes quiet after."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pull_spec import validation_errors

from repairs import REPAIRS, apply_repairs

from .specs import CASES, Case, clean_doc, op_at

BY_NAME = {r.name: r for r in REPAIRS}
#: Repairs that DIALS v1.12.0 no longer needs: it already declares the workspace
#: header on every operation routed by workspace.
SNAPSHOT_UNNECESSARY = {"workspace-header"}


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


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_repair_on_the_real_snapshot(case: Case, snapshot: dict[str, Any]) -> None:
    repair = BY_NAME[case.repair]
    needed = case.repair not in SNAPSHOT_UNNECESSARY
    assert bool(case.problems(snapshot)) == needed
    assert bool(repair.find(snapshot)) == needed
    fixed, outcomes = apply_repairs(snapshot)
    assert case.problems(fixed) == []
    assert repair.find(fixed) == []
    assert {o.repair.name: o.applied for o in outcomes}[case.repair] == needed


def test_snapshot_is_invalid_upstream_and_valid_repaired(snapshot: dict[str, Any]) -> None:
    errors = validation_errors(snapshot, limit=10_000)
    assert len(errors) == 28
    assert all("'int' is not one of" in e or "int" in e for e in errors), errors[:3]
    fixed, _ = apply_repairs(snapshot)
    assert validation_errors(fixed) == []
    again, outcomes = apply_repairs(fixed)
    assert again == fixed
    assert [o.repair.name for o in outcomes if o.applied] == []


# --------------------------------------------------------------------------- #
# Corner cases found while testing (each failed before its fix in repairs.py)
# --------------------------------------------------------------------------- #
def test_workspace_find_does_not_add_parameters_lists() -> None:
    doc = clean_doc()
    del op_at(doc, "/api/v1/th1/count/")["parameters"]
    BY_NAME["workspace-header"].find(doc)
    assert "parameters" not in op_at(doc, "/api/v1/th1/count/")


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
