"""scripts/spec_diff.py on small hand-made spec pairs: verdicts, output and exit codes."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import spec_diff

from .conftest import run_script, write_json
from .specs import REF, clean_doc, op_at, param

JSON = dict[str, Any]
TH1 = "/api/v1/th1/"
TH1_LABEL = "GET /api/v1/th1/ (list_th1)"
TOKEN = "/api/v1/auth/device-token/"


def lines_of(out: str) -> list[str]:
    """The change lines of a summary (verdict first), without headers and the count."""
    return [line.strip() for line in out.splitlines() if line.startswith("  ")]


def run_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: JSON, new: JSON
) -> tuple[int, str]:
    capsys.readouterr()
    a = write_json(tmp_path / "old.json", old)
    b = write_json(tmp_path / "new.json", new)
    code = spec_diff.main([str(a), str(b)])
    return code, capsys.readouterr().out


def changed(mutate: Callable[[JSON], None]) -> tuple[JSON, JSON]:
    old = clean_doc()
    new = copy.deepcopy(old)
    mutate(new)
    return old, new


def _verdict(line: str) -> str:
    return line.split()[0]


# --------------------------------------------------------------------------- #
# Equal documents
# --------------------------------------------------------------------------- #
def test_equal_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_diff(tmp_path, capsys, clean_doc(), clean_doc())
    assert (code, out) == (0, "no API differences\n")


def test_equal_but_differently_formatted_documents(tmp_path: Path) -> None:
    doc = clean_doc()
    a = write_json(tmp_path / "a.json", doc, indent=2, sort_keys=True)
    scrambled = {k: doc[k] for k in reversed(list(doc))}
    b = write_json(tmp_path / "b.json", scrambled, separators=(",", ":"))
    assert a.read_bytes() != b.read_bytes()
    result = run_script("spec_diff.py", str(a), str(b))
    assert (result.returncode, result.stdout, result.stderr) == (0, "no API differences\n", "")


def test_differences_outside_the_api_still_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = changed(lambda d: d["info"].update(version="0.0.2"))
    code, out = run_diff(tmp_path, capsys, old, new)
    assert code == 1
    [line] = lines_of(out)
    assert _verdict(line) == "non-breaking"
    assert "/info/version" in line
    assert out.splitlines()[-1] == "1 difference(s): 0 BREAKING, 1 non-breaking"


# --------------------------------------------------------------------------- #
# One change at a time: (mutation, expected verdict, words the line must contain)
# --------------------------------------------------------------------------- #
def _add_operation(d: JSON) -> None:
    d["paths"]["/api/v1/th2/"] = {
        "get": {
            "operationId": "list_th2",
            "responses": {"200": {"description": ""}},
        }
    }


def _remove_operation(d: JSON) -> None:
    del d["paths"]["/api/v1/th1/count/"]


def _retype_parameter(d: JSON) -> None:
    param(d, TH1, "run_number__gte")["schema"] = {"type": "string"}


def _remove_parameter(d: JSON) -> None:
    op = op_at(d, TH1)
    op["parameters"] = [p for p in op["parameters"] if p["name"] != "me__regex"]


def _add_optional_parameter(d: JSON) -> None:
    op_at(d, TH1)["parameters"].append(
        {"name": "ls_number", "in": "query", "required": False, "schema": {"type": "integer"}}
    )


def _add_required_parameter(d: JSON) -> None:
    op_at(d, TH1)["parameters"].append(
        {"name": "ls_number", "in": "query", "required": True, "schema": {"type": "integer"}}
    )


def _make_parameter_required(d: JSON) -> None:
    param(d, TH1, "run_number")["required"] = True


def _make_parameter_optional(d: JSON) -> None:
    param(d, "/api/v1/ml-bad-lumisection/golden-json/", "model_id__in")["required"] = False


def _move_parameter(d: JSON) -> None:
    param(d, TH1, "me__regex")["in"] = "header"


def _rename_header_case(d: JSON) -> None:
    param(d, TH1, "workspace", "header")["name"] = "Workspace"


def _explode_list(d: JSON) -> None:
    param(d, TH1, "me_id__in")["explode"] = True


def _widen_parameter(d: JSON) -> None:
    param(d, TH1, "entries__gte")["schema"] = {"type": "number"}


def _field_required_in_response(d: JSON) -> None:
    d["components"]["schemas"]["TH1"]["required"].append("me")


def _field_optional_in_response(d: JSON) -> None:
    d["components"]["schemas"]["TH1"]["required"].remove("entries")


def _field_required_in_request(d: JSON) -> None:
    code = d["components"]["schemas"]["DeviceCode"]
    code["properties"]["client_id"] = {"type": "string"}
    code["required"].append("client_id")


def _field_optional_in_request(d: JSON) -> None:
    d["components"]["schemas"]["DeviceCode"]["required"] = []


def _field_added_optional(d: JSON) -> None:
    d["components"]["schemas"]["TH1"]["properties"]["x_bin"] = {"type": "integer"}


def _field_added_nullable_required(d: JSON) -> None:
    ls_completeness = {"type": "number", "nullable": True}
    d["components"]["schemas"]["TH1"]["properties"]["ls_completeness"] = ls_completeness
    d["components"]["schemas"]["TH1"]["required"].append("ls_completeness")


def _field_added_nullable_optional(d: JSON) -> None:
    d["components"]["schemas"]["TH1"]["properties"]["tags"] = {
        "type": "array",
        "items": {"type": "object"},
        "nullable": True,
    }


def _add_nullable_parameter(d: JSON) -> None:
    op_at(d, TH1)["parameters"].append(
        {"name": "era", "in": "query", "schema": {"type": "string", "nullable": True}}
    )


def _repair_record_added(d: JSON) -> None:
    """Upstream turned run_number string; the pull repaired it back to integer."""
    record = {"by": "query-filter-types", "upstream": {"schema": {"type": "string"}}}
    param(d, TH1, "run_number")["x-repaired"] = record


def _field_removed(d: JSON) -> None:
    del d["components"]["schemas"]["TH1"]["properties"]["data"]


def _field_retyped(d: JSON) -> None:
    d["components"]["schemas"]["TH1"]["properties"]["entries"] = {"type": "string"}


def _nested_item_retyped(d: JSON) -> None:
    d["components"]["schemas"]["TH1"]["properties"]["data"]["items"] = {"type": "integer"}


def _field_nullable_in_response(d: JSON) -> None:
    d["components"]["schemas"]["TH1"]["properties"]["me"]["nullable"] = True


def _field_nullable_in_request(d: JSON) -> None:
    d["components"]["schemas"]["DeviceCode"]["properties"]["device_code"]["nullable"] = True


def _enum_restricted_in_response(d: JSON) -> None:
    d["components"]["schemas"]["TH1"]["properties"]["me"]["enum"] = ["a", "b"]


def _enum_restricted_in_request(d: JSON) -> None:
    d["components"]["schemas"]["DeviceCode"]["properties"]["device_code"]["enum"] = ["a"]


def _schema_added(d: JSON) -> None:
    d["components"]["schemas"]["TH2"] = copy.deepcopy(d["components"]["schemas"]["TH1"])


def _schema_removed(d: JSON) -> None:
    del d["components"]["schemas"]["MLModelsIndex"]


def _response_retargeted(d: JSON) -> None:
    op = op_at(d, "/api/v1/th1/{dataset_id}/{me_id}/")
    op["responses"]["200"]["content"]["application/json"]["schema"] = {"$ref": REF + "Count"}


def _response_added(d: JSON) -> None:
    op_at(d, TH1)["responses"]["404"] = {"description": "not found"}


def _response_removed(d: JSON) -> None:
    op_at(d, TH1)["responses"] = {"default": op_at(d, TH1)["responses"]["200"]}


def _body_made_required(d: JSON) -> None:
    op_at(d, TOKEN, "post")["requestBody"]["required"] = True


def _body_removed(d: JSON) -> None:
    del op_at(d, TOKEN, "post")["requestBody"]


def _operation_renamed(d: JSON) -> None:
    op_at(d, TH1)["operationId"] = "list_th1_rows"


def _auth_dropped(d: JSON) -> None:
    op_at(d, TH1)["security"] = [{"Bearer Token": []}]


def _anonymous_added(d: JSON) -> None:
    op_at(d, TH1)["security"].append({})


def _scheme_changed(d: JSON) -> None:
    d["components"]["securitySchemes"]["Client Secret Key"]["name"] = "X-API-KEY"


def _deprecated(d: JSON) -> None:
    op_at(d, TH1)["deprecated"] = True


S = "schema "
CHANGES: list[tuple[Callable[[JSON], None], str, list[str]]] = [
    (_add_operation, "non-breaking", ["GET /api/v1/th2/ (list_th2): operation added"]),
    (_remove_operation, "BREAKING", ["GET /api/v1/th1/count/ (count_th1)", "operation removed"]),
    (_retype_parameter, "BREAKING", [TH1_LABEL, "run_number__gte: retyped integer -> string"]),
    (_remove_parameter, "BREAKING", [TH1_LABEL, "query parameter me__regex removed"]),
    (_add_optional_parameter, "non-breaking", ["ls_number added (optional, integer)"]),
    (_add_required_parameter, "BREAKING", ["ls_number added (required, integer)"]),
    (_make_parameter_required, "BREAKING", ["query parameter run_number made required"]),
    (_make_parameter_optional, "non-breaking", ["parameter model_id__in made optional"]),
    (_explode_list, "BREAKING", ["me_id__in serialisation", "false -> style=form explode=true"]),
    (_widen_parameter, "non-breaking", ["entries__gte: retyped integer -> number"]),
    (_field_required_in_response, "non-breaking", [S + "TH1: field 'me' made required", "a resp"]),
    (_field_optional_in_response, "BREAKING", [S + "TH1: field 'entries' made optional", "a resp"]),
    (
        _field_required_in_request,
        "BREAKING",
        ["'client_id' added (required, string, in a req"],
    ),
    (_field_optional_in_request, "non-breaking", [S + "DeviceCode: field 'device_code' made opt"]),
    (_field_added_optional, "non-breaking", [S + "TH1: field 'x_bin' added (optional, integer)"]),
    (
        _field_added_nullable_required,
        "non-breaking",
        [S + "TH1: field 'ls_completeness' added (required, number, nullable, in a response)"],
    ),
    (
        _field_added_nullable_optional,
        "non-breaking",
        [S + "TH1: field 'tags' added (optional, array[object], nullable)"],
    ),
    (_add_nullable_parameter, "non-breaking", ["parameter era added (optional, string, nullable)"]),
    (
        _repair_record_added,
        "non-breaking",
        [
            TH1_LABEL + ": query parameter run_number: upstream now declares string where it "
            "declared integer; query-filter-types repairs it to integer"
        ],
    ),
    (_field_removed, "BREAKING", [S + "TH1: field 'data' removed"]),
    (_field_retyped, "BREAKING", [S + "TH1: field 'entries' retyped integer -> string"]),
    (_nested_item_retyped, "BREAKING", ["'data' retyped array[number] -> array[integer]"]),
    (_field_nullable_in_response, "BREAKING", [S + "TH1: field 'me' made nullable (in a resp"]),
    (_field_nullable_in_request, "non-breaking", ["'device_code' made nullable (in a request)"]),
    (_enum_restricted_in_response, "non-breaking", [S + "TH1: field 'me' restricted to enum"]),
    (_enum_restricted_in_request, "BREAKING", ["'device_code' restricted to enum \"a\""]),
    (_schema_added, "non-breaking", [S + "TH2 added"]),
    (_schema_removed, "BREAKING", [S + "MLModelsIndex removed"]),
    (_response_retargeted, "BREAKING", ["response 200 application/json: retyped", REF + "Count"]),
    (_response_added, "non-breaking", [TH1_LABEL, "response 404 added"]),
    (_body_made_required, "BREAKING", ["(issue_device_token): request body made required"]),
    (_body_removed, "BREAKING", ["request body removed"]),
    (_operation_renamed, "BREAKING", ["operationId list_th1 -> list_th1_rows"]),
    (_auth_dropped, "BREAKING", [TH1_LABEL, "no longer accepts Client Secret Key"]),
    (_anonymous_added, "non-breaking", [TH1_LABEL, "now also accepts anonymous access"]),
    (_scheme_changed, "BREAKING", ["'Client Secret Key' changed", "-> apiKey header X-API-KEY"]),
    (_deprecated, "non-breaking", [TH1_LABEL, "deprecated"]),
]


@pytest.mark.parametrize(
    ("mutate", "verdict", "words"), CHANGES, ids=[m.__name__.strip("_") for m, _, _ in CHANGES]
)
def test_single_change_verdict(
    mutate: Callable[[JSON], None],
    verdict: str,
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old, new = changed(mutate)
    code, out = run_diff(tmp_path, capsys, old, new)
    assert code == 1, out
    [line] = lines_of(out)
    assert _verdict(line) == verdict, line
    for word in words:
        assert word in line, line
    breaking = int(verdict == "BREAKING")
    assert out.splitlines()[-1] == (
        f"1 difference(s): {breaking} BREAKING, {1 - breaking} non-breaking"
    )


#: The verdict of each change above undone (NEW -> OLD).
REVERSE = {
    _add_operation: "BREAKING",  # operation removed
    _remove_operation: "non-breaking",
    _retype_parameter: "BREAKING",
    _remove_parameter: "non-breaking",  # optional parameter added
    _add_optional_parameter: "BREAKING",  # parameter removed
    _add_required_parameter: "BREAKING",
    _make_parameter_required: "non-breaking",
    _make_parameter_optional: "BREAKING",
    _explode_list: "BREAKING",
    _widen_parameter: "BREAKING",  # number -> integer narrows what the client may send
    _field_required_in_response: "BREAKING",  # made optional in a response
    _field_optional_in_response: "non-breaking",
    _field_required_in_request: "BREAKING",  # field removed
    _field_optional_in_request: "BREAKING",  # made required in a request
    _field_added_optional: "BREAKING",
    _field_added_nullable_required: "BREAKING",  # field removed
    _field_added_nullable_optional: "BREAKING",
    _add_nullable_parameter: "BREAKING",  # parameter removed
    _repair_record_added: "non-breaking",  # upstream now declares it as the repair did
    _field_removed: "non-breaking",
    _field_retyped: "BREAKING",
    _nested_item_retyped: "BREAKING",
    _field_nullable_in_response: "non-breaking",
    _field_nullable_in_request: "BREAKING",
    _enum_restricted_in_response: "BREAKING",  # enum dropped: any string may come
    _enum_restricted_in_request: "non-breaking",
    _schema_added: "BREAKING",
    _schema_removed: "non-breaking",
    _response_retargeted: "BREAKING",
    _response_added: "BREAKING",  # response removed
    _body_made_required: "non-breaking",
    _body_removed: "non-breaking",  # an optional body added
    _operation_renamed: "BREAKING",
    _auth_dropped: "non-breaking",  # one more way to authenticate
    _anonymous_added: "BREAKING",
    _scheme_changed: "BREAKING",
    _deprecated: "non-breaking",
}


def test_every_change_has_a_reverse_verdict() -> None:
    assert set(REVERSE) == {m for m, _, _ in CHANGES}


@pytest.mark.parametrize(
    ("mutate", "verdict", "words"), CHANGES, ids=[m.__name__.strip("_") for m, _, _ in CHANGES]
)
def test_reverse_change_verdict(
    mutate: Callable[[JSON], None],
    verdict: str,
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old, new = changed(mutate)
    code, out = run_diff(tmp_path, capsys, new, old)
    assert code == 1
    [line] = lines_of(out)
    assert _verdict(line) == REVERSE[mutate], line


def test_operation_removed_and_added_the_other_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = changed(_remove_operation)
    _, out = run_diff(tmp_path, capsys, new, old)
    assert lines_of(out) == [
        "non-breaking  GET /api/v1/th1/count/ (count_th1): operation added",
    ]


def test_parameter_moved_to_another_location_is_removed_plus_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = changed(_move_parameter)
    code, out = run_diff(tmp_path, capsys, old, new)
    assert code == 1
    assert lines_of(out) == [
        f"BREAKING      {TH1_LABEL}: query parameter me__regex removed",
        f"non-breaking  {TH1_LABEL}: header parameter me__regex added (optional, string)",
    ]
    assert out.splitlines()[-1] == "2 difference(s): 1 BREAKING, 1 non-breaking"


def test_header_names_are_case_insensitive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = changed(_rename_header_case)
    code, out = run_diff(tmp_path, capsys, old, new)
    # Not an API difference, but the documents differ: reported as non-breaking.
    assert code == 1
    [line] = lines_of(out)
    assert _verdict(line) == "non-breaking" and "outside the compared API surface" in line


def test_field_made_required_depends_on_direction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same schema change, once used in a response and once in a request body."""

    def make_required(d: JSON) -> None:
        d["components"]["schemas"]["UserDefaultWorkspace"]["properties"]["name"] = {
            "type": "string"
        }

    def require(d: JSON) -> None:
        make_required(d)
        d["components"]["schemas"]["UserDefaultWorkspace"]["required"].append("name")

    old, new = clean_doc(), clean_doc()
    make_required(old)
    require(new)
    _, out = run_diff(tmp_path, capsys, old, new)
    assert lines_of(out) == [
        "non-breaking  schema UserDefaultWorkspace: field 'name' made required (in a response)"
    ]

    for doc in (old, new):  # now the client also sends it, as the device-token body
        body = op_at(doc, TOKEN, "post")["requestBody"]["content"]["application/json"]
        body["schema"] = {"$ref": REF + "UserDefaultWorkspace"}
    old["components"]["schemas"].pop("DeviceCode")
    new["components"]["schemas"].pop("DeviceCode")
    _, out = run_diff(tmp_path, capsys, old, new)
    assert lines_of(out) == [
        "BREAKING      schema UserDefaultWorkspace: field 'name' made required "
        "(in requests and responses)"
    ]


def test_enum_values_follow_the_direction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = clean_doc(), clean_doc()
    param(old, TH1, "me__regex")["schema"]["enum"] = ["a", "b"]
    param(new, TH1, "me__regex")["schema"]["enum"] = ["a", "b", "c"]
    _, out = run_diff(tmp_path, capsys, old, new)
    assert lines_of(out) == [
        f'non-breaking  {TH1_LABEL}: query parameter me__regex: enum value(s) added: "c"'
    ]
    _, out = run_diff(tmp_path, capsys, new, old)
    assert lines_of(out) == [
        f'BREAKING      {TH1_LABEL}: query parameter me__regex: enum value(s) removed: "c"'
    ]


def test_enum_value_added_in_a_response_is_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A client generated from OLD turns responses into its enum: an unknown value fails."""
    old, new = clean_doc(), clean_doc()
    old["components"]["schemas"]["TH1"]["properties"]["me"]["enum"] = ["a", "b"]
    new["components"]["schemas"]["TH1"]["properties"]["me"]["enum"] = ["b", "a", "c"]
    _, out = run_diff(tmp_path, capsys, old, new)
    assert lines_of(out) == ["BREAKING      schema TH1: field 'me' enum value(s) added: \"c\""]
    _, out = run_diff(tmp_path, capsys, new, old)
    assert lines_of(out) == ["non-breaking  schema TH1: field 'me' enum value(s) removed: \"c\""]


def test_widening_is_breaking_for_a_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = changed(
        lambda d: d["components"]["schemas"]["TH1"]["properties"].update(entries={"type": "number"})
    )
    _, out = run_diff(tmp_path, capsys, old, new)
    assert lines_of(out) == ["BREAKING      schema TH1: field 'entries' retyped integer -> number"]


# --------------------------------------------------------------------------- #
# $ref resolution
# --------------------------------------------------------------------------- #
def test_parameter_behind_a_ref_equals_the_inline_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = clean_doc(), clean_doc()
    inline = param(new, TH1, "run_number")
    new["components"]["parameters"] = {"RunNumber": copy.deepcopy(inline)}
    op = op_at(new, TH1)
    op["parameters"][op["parameters"].index(inline)] = {"$ref": "#/components/parameters/RunNumber"}
    _, out = run_diff(tmp_path, capsys, old, new)
    assert not any(_verdict(line) == "BREAKING" for line in lines_of(out))
    assert all("outside the compared API surface" in line for line in lines_of(out))

    new["components"]["parameters"]["RunNumber"]["schema"] = {"type": "string"}
    _, out = run_diff(tmp_path, capsys, old, new)
    assert f"BREAKING      {TH1_LABEL}: query parameter run_number: retyped integer -> string" in (
        lines_of(out)
    )


def test_scalar_schema_refs_are_resolved_object_refs_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = clean_doc(), clean_doc()
    for doc, kind in ((old, "integer"), (new, "string")):
        doc["components"]["schemas"]["RunNumber"] = {"type": kind}
        param(doc, TH1, "run_number")["schema"] = {"$ref": REF + "RunNumber"}
    _, out = run_diff(tmp_path, capsys, old, new)
    assert lines_of(out) == [
        f"BREAKING      {TH1_LABEL}: query parameter run_number: retyped integer -> string",
        "BREAKING      schema RunNumber: retyped integer -> string",
    ]
    described = spec_diff.Spec(new, "new").describe(
        {"type": "array", "items": {"$ref": REF + "TH1"}}
    )
    assert described == "array[#/components/schemas/TH1]"
    golden = new["components"]["schemas"]["MLBadLumisectionGoldenJson"]
    assert spec_diff.Spec(new, "new").describe(golden) == "map[array[array[integer]]]"


def test_schema_usage_follows_refs() -> None:
    doc = clean_doc()
    writes, reads = spec_diff.Spec(doc, "doc").usage()
    assert writes == {"DeviceCode"}
    assert {"TH1", "PaginatedTH1List", "Count", "UserDefaultWorkspace"} <= reads
    assert "MLModelsIndex" not in reads | writes  # referenced by no operation

    del op_at(doc, "/api/v1/th1/{dataset_id}/{me_id}/")["responses"]["200"]["content"]
    schemas = doc["components"]["schemas"]
    schemas["DeviceCode"]["properties"]["client"] = {"$ref": REF + "Client"}
    schemas["Client"] = {"type": "object", "properties": {"id": {"type": "string"}}}
    writes, reads = spec_diff.Spec(doc, "doc").usage()
    assert writes == {"DeviceCode", "Client"}
    assert "TH1" in reads  # only through PaginatedTH1List now


def test_verdicts_follow_refs_to_nested_schemas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A schema reached only through a request body's field is judged as a request."""
    old = clean_doc()
    schemas = old["components"]["schemas"]
    schemas["DeviceCode"]["properties"]["client"] = {"$ref": REF + "Client"}
    schemas["Client"] = {
        "type": "object",
        "properties": {"id": {"type": "string"}},
        "required": ["id"],
    }
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Client"]["required"] = []
    _, out = run_diff(tmp_path, capsys, old, new)
    assert lines_of(out) == ["non-breaking  schema Client: field 'id' made optional (in a request)"]


def test_fields_of_inline_objects_in_arrays_and_maps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def with_bins(hi: JSON) -> JSON:
        doc = clean_doc()
        bin_ = {"type": "object", "properties": {"lo": {"type": "number"}, "hi": hi}}
        props = doc["components"]["schemas"]["TH1"]["properties"]
        props["bins"] = {"type": "array", "items": bin_}
        props["labels"] = {"type": "object", "additionalProperties": copy.deepcopy(bin_)}
        return doc

    old = with_bins({"type": "number"})
    new = with_bins({"type": "number", "nullable": True})
    _, out = run_diff(tmp_path, capsys, old, new)
    assert lines_of(out) == [
        "BREAKING      schema TH1: field 'bins.[].hi' made nullable (in a response)",
        "BREAKING      schema TH1: field 'labels.*.hi' made nullable (in a response)",
    ]


def test_several_changes_are_sorted_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def many(d: JSON) -> None:
        _schema_added(d)
        _remove_parameter(d)
        _add_operation(d)
        _field_required_in_response(d)

    old, new = changed(many)
    code, out = run_diff(tmp_path, capsys, old, new)
    assert code == 1
    assert (
        out.splitlines()[0]
        == f"API differences from {tmp_path / 'old.json'} to " + str(tmp_path / "new.json") + ":"
    )
    assert [h for h in out.splitlines() if re.fullmatch(r"[a-z]+:", h)] == [
        "operations:",
        "schemas:",
    ]
    assert lines_of(out) == [
        f"BREAKING      {TH1_LABEL}: query parameter me__regex removed",
        "non-breaking  GET /api/v1/th2/ (list_th2): operation added",
        "non-breaking  schema TH1: field 'me' made required (in a response)",
        "non-breaking  schema TH2 added",
    ]
    assert out.splitlines()[-1] == "4 difference(s): 1 BREAKING, 3 non-breaking"


# --------------------------------------------------------------------------- #
# Bad input: exit 2, one line
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "cannot read"),
        (b"{not json", "not JSON"),
        (json.dumps({"swagger": "2.0", "paths": {}}).encode(), "not an OpenAPI 3 document"),
        (json.dumps([1, 2]).encode(), "not an OpenAPI 3 document"),
        (json.dumps({"openapi": "3.0.2", "paths": []}).encode(), "malformed"),
    ],
    ids=["missing", "not-json", "swagger-2", "array", "paths-not-object"],
)
def test_bad_input_exits_2_with_one_line(
    content: bytes | None, problem: str, tmp_path: Path
) -> None:
    good = write_json(tmp_path / "good.json", clean_doc())
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_bytes(content)
    for args in ((str(bad), str(good)), (str(good), str(bad))):
        result = run_script("spec_diff.py", *args)
        assert result.returncode == 2
        assert result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith("spec-diff: error: ")
        assert str(bad) in line and problem in line


def test_unresolvable_ref_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = changed(
        lambda d: param(d, TH1, "run_number").update(schema={"$ref": REF + "Nowhere"})
    )
    capsys.readouterr()
    code, _ = run_diff(tmp_path, capsys, old, new)
    assert code == 2


def test_wrong_number_of_arguments_exits_2(tmp_path: Path) -> None:
    result = run_script("spec_diff.py", str(write_json(tmp_path / "a.json", clean_doc())))
    assert result.returncode == 2


def _response_content_is_a_list(d: JSON) -> None:
    op_at(d, TH1)["responses"]["200"]["content"] = ["application/json"]


def _body_is_a_string(d: JSON) -> None:
    op_at(d, TOKEN, "post")["requestBody"] = "json please"


def _parameters_not_a_list(d: JSON) -> None:
    op_at(d, TH1)["parameters"] = {"me": "string"}


def _parameter_without_name(d: JSON) -> None:
    del param(d, TH1, "me__regex")["name"]


def _operation_not_an_object(d: JSON) -> None:
    d["paths"][TH1]["get"] = "list_th1"


@pytest.mark.parametrize(
    "mutate",
    [
        _response_content_is_a_list,
        _body_is_a_string,
        _parameters_not_a_list,
        _parameter_without_name,
        _operation_not_an_object,
    ],
)
def test_malformed_structure_is_bad_input_not_a_crash(
    mutate: Callable[[JSON], None], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = changed(mutate)
    for a, b in ((old, new), (new, old)):
        code, out = run_diff(tmp_path, capsys, a, b)
        assert code == 2
        assert out == ""


def test_repair_records_removed_and_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, repaired = changed(_repair_record_added)
    fixed_upstream = clean_doc()
    code, out = run_diff(tmp_path, capsys, repaired, fixed_upstream)
    assert code == 1
    assert lines_of(out) == [
        f"non-breaking  {TH1_LABEL}: query parameter run_number: upstream now declares integer "
        "itself (was string, repaired)"
    ]
    renumbered = copy.deepcopy(repaired)
    param(renumbered, TH1, "run_number")["x-repaired"]["upstream"]["schema"] = {"type": "number"}
    code, out = run_diff(tmp_path, capsys, repaired, renumbered)
    assert code == 1
    assert lines_of(out) == [
        f"non-breaking  {TH1_LABEL}: query parameter run_number: upstream declaration changed "
        "string -> number (repaired by query-filter-types)"
    ]
