"""The adapter: the one reader of the generated package, checked against openapi.json."""

from __future__ import annotations

import importlib.metadata
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from cmsdials import adapter
from cmsdials.adapter import MissingOperationError, api

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "put", "post", "delete", "patch")


def spec() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((ROOT / "openapi.json").read_text(encoding="utf-8"))
    return doc


def test_every_operation_of_the_spec_is_read() -> None:
    doc = spec()
    expected = {
        (method.upper(), path)
        for path, item in doc["paths"].items()
        for method in METHODS
        if method in item
    }
    assert {(op.method, op.path) for op in api()} == expected
    assert api().problems == ()


def test_parameters_keep_their_wire_names_and_types() -> None:
    op = api().require("th1/", what="test")
    assert op.method == "GET" and op.path == "/api/v1/th1/"
    gte = op.query["run_number__gte"]
    assert (gte.wire, gte.keyword, gte.kind, gte.required) == (
        "run_number__gte",
        "run_number_gte",
        "int",
        False,
    )
    assert op.query["fields"].kind == "list[str]"
    ml = api().require("ml-models-index/", what="test")
    assert ml.query["type"].keyword == "type_" and ml.query["id__in"].kind == "list[int]"
    for o in api():
        declared = {
            p["name"]
            for p in spec()["paths"][o.path][o.method.lower()].get("parameters", [])
            if p["in"] == "query"
        }
        assert set(o.query) == declared, o.path


def test_json_bodies_and_row_shapes() -> None:
    cert = api().require("ml-bad-lumisection/cert-json/", "POST", what="test")
    assert cert.body is not None
    assert {n: (p.kind, p.required) for n, p in cert.body.items()} == {
        "model_id__in": ("list[int]", True),
        "dataset_id__in": ("list[int]", True),
        "run_number__in": ("list[int]", True),
    }
    ops = api().group("ml-bad-lumisection/")
    assert ops.retrieve is not None and ops.list is not None and ops.count is None
    assert [p.wire for p in ops.retrieve.path_params] == [
        "model_id",
        "dataset_id",
        "run_number",
        "ls_number",
    ]
    models = api().model("MLModelsIndex")
    assert models is not None
    schema = spec()["components"]["schemas"]["MLModelsIndex"]
    assert [f.name for f in models.fields] == list(schema["properties"])
    tags = models.field("tags")
    assert (
        tags is not None and tags.shape.nullable and tags.shape.kind == "union[list[object], none]"
    )
    assert api().group("mes/").by_key_list is not None
    assert api().group("mes/").by_run_schema == "MinifiedMEs"


def test_the_generator_pin_is_the_one_the_adapter_reads() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"openapi-python-client=={adapter.GENERATOR_VERSION}"' in pyproject
    assert importlib.metadata.version("openapi-python-client") == adapter.GENERATOR_VERSION


def test_a_package_without_operation_tables_is_reported(tmp_path: Path) -> None:
    package = tmp_path / "fake_api" / "api" / "things"
    package.mkdir(parents=True)
    for folder in (tmp_path / "fake_api", tmp_path / "fake_api" / "api"):
        (folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text('"""generated without our template"""\n')
    sys.path.insert(0, str(tmp_path))
    try:
        found = adapter._load("fake_api")
    finally:
        sys.path.remove(str(tmp_path))
    assert found.operations == ()
    assert re.search(r"fake_api\.api\.things has no OPERATIONS table", found.problems[0])
    with pytest.raises(MissingOperationError, match=r"GET /api/v1/things/.*make regen"):
        found.require("things/", what="things.list()")
    assert isinstance(MissingOperationError("x"), NotImplementedError)
