"""Generation: deterministic, identical to the committed package, complete, stable names."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

from .conftest import ROOT, SCRIPTS

GENERATED = ROOT / "generated" / "cmsdials_api"

#: The generated functions, ``tag/operation``: the cmsdials layer and its users build on
#: these names, so a change here must be deliberate (fix it in a repair, not by renaming).
OPERATIONS = """
dataset_index/list_dataset_index dataset_index/retrieve_dataset_index
file_index/count_file_index file_index/list_file_index file_index/retrieve_file_index
lumisection/count_lumisection lumisection/list_lumisection lumisection/retrieve_lumisection
mes/list_dataset_run_mes mes/list_mes mes/retrieve_me
ml_bad_lumisection/cert_json_ml_bad_lumisection ml_bad_lumisection/golden_json_ml_bad_lumisection
ml_bad_lumisection/list_ml_bad_lumisection ml_bad_lumisection/retrieve_ml_bad_lumisection
ml_models_index/list_ml_models_index ml_models_index/retrieve_ml_models_index
run/count_run run/list_run run/retrieve_run
th1/list_th1 th1/retrieve_th1 th2/list_th2 th2/retrieve_th2
third_parties/proxy_oms third_parties/retrieve_brilcalc_lumi third_parties/retrieve_caf
third_parties/retrieve_rr_editable_datasets
workspace/list_workspaces workspace/my_default_workspace
""".split()


CACHES = {"__pycache__", ".ruff_cache"}  # git-ignored tool caches, never committed


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (tool caches aside) by relative path."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not CACHES & set(p.relative_to(root).parts)
    }


def regen(out: Path, spec: Path | None = None) -> Path:
    """``scripts/regen.sh OUT [SPEC]``: the package generated from ``spec`` (openapi.json)."""
    env = dict(os.environ)
    # The generator and ruff live next to this interpreter (the project's venv).
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        ["bash", str(SCRIPTS / "regen.sh"), str(out), *([str(spec)] if spec else [])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out / "cmsdials_api"


@pytest.fixture(scope="module")
def first_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return regen(tmp_path_factory.mktemp("regen-1"))


@pytest.fixture(scope="module")
def first_regen(first_package: Path) -> dict[str, bytes]:
    return tree(first_package)


def spec() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((ROOT / "openapi.json").read_text(encoding="utf-8"))
    return doc


def spec_operations() -> list[tuple[str, str]]:
    """``(tag, operationId)`` of every operation in openapi.json."""
    return [(op["tags"][0], op["operationId"]) for op in spec_ops()]


def spec_ops() -> list[dict[str, Any]]:
    return [
        op
        for item in spec()["paths"].values()
        for method, op in item.items()
        if method in ("get", "put", "post", "delete", "patch")
    ]


def untyped_operations() -> set[str]:
    """Operations whose 200 response has no schema to parse (``{}``): the generator
    then writes only the ``*_detailed`` functions, which return the raw response."""
    out = set()
    for op in spec_ops():
        content = op["responses"].get("200", {}).get("content", {})
        if content.get("application/json", {}).get("schema") == {}:
            out.add(f"{op['tags'][0]}/{op['operationId']}")
    return out


# --------------------------------------------------------------------------- #
# Determinism
# --------------------------------------------------------------------------- #
def test_regen_twice_is_byte_identical(first_regen: dict[str, bytes], tmp_path: Path) -> None:
    second = tree(regen(tmp_path))
    assert sorted(second) == sorted(first_regen)
    differing = [name for name in first_regen if first_regen[name] != second[name]]
    assert differing == []


def test_committed_package_is_what_regen_produces(first_regen: dict[str, bytes]) -> None:
    committed = tree(GENERATED)
    assert sorted(committed) == sorted(first_regen), (
        "run make regen and commit generated/cmsdials_api"
    )
    stale = [name for name in committed if committed[name] != first_regen[name]]
    assert stale == [], (
        "generated/cmsdials_api differs from what openapi.json produces: run make regen"
    )


def test_regen_leaves_no_tool_cache_in_the_package(first_package: Path) -> None:
    assert not (first_package / ".ruff_cache").exists()


def test_regen_writes_a_typed_package(first_regen: dict[str, bytes]) -> None:
    assert "py.typed" in first_regen
    assert {"__init__.py", "client.py", "errors.py", "types.py"} <= set(first_regen)


# --------------------------------------------------------------------------- #
# Completeness
# --------------------------------------------------------------------------- #
def test_one_module_per_operation(first_regen: dict[str, bytes]) -> None:
    ops = spec_operations()
    assert len(ops) == 30
    modules = sorted(
        name.removeprefix("api/").removesuffix(".py")
        for name in first_regen
        if name.startswith("api/") and name.count("/") == 2 and not name.endswith("__init__.py")
    )
    assert modules == sorted(f"{tag}/{op_id}" for tag, op_id in ops)
    assert modules == sorted(OPERATIONS), "generated function names changed"


@pytest.mark.parametrize("name", OPERATIONS)
def test_operation_module_imports_with_its_functions(name: str) -> None:
    module = importlib.import_module("cmsdials_api.api." + name.replace("/", "."))
    assert Path(module.__file__ or "").is_relative_to(GENERATED)
    functions = ["sync_detailed", "asyncio_detailed"]
    if name not in untyped_operations():
        functions += ["sync", "asyncio"]
    for function in functions:
        assert inspect.isfunction(getattr(module, function, None)), function
    assert "client" in inspect.signature(module.sync_detailed).parameters


def test_untyped_operations_are_only_third_party_proxies() -> None:
    assert untyped_operations() == {"third_parties/retrieve_brilcalc_lumi"}


def _is_object(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" or "properties" in schema


def test_a_model_per_object_schema() -> None:
    models = importlib.import_module("cmsdials_api.models")
    schemas = spec()["components"]["schemas"]
    objects = {name for name, schema in schemas.items() if _is_object(schema)}
    assert set(schemas) - objects == {"RunList"}  # an array alias: a plain list, no class
    for name in sorted(objects):
        cls = getattr(models, name, None)
        assert inspect.isclass(cls), f"no model for schema {name}"
        assert callable(cls.from_dict) and callable(cls.to_dict)
        fields = {f.name for f in attrs.fields(cls)}
        for prop in schemas[name].get("properties", {}):
            # reserved or builtin names get a trailing underscore (``next`` -> ``next_``)
            assert prop in fields or prop + "_" in fields, f"{name}.{prop}"


def test_page_models_parse_a_page() -> None:
    models = importlib.import_module("cmsdials_api.models")
    page = models.PaginatedTH1List.from_dict(
        {"next": "http://h/api/v1/th1/?next_token=x", "previous": None, "results": []}
    )
    assert page.next_ == "http://h/api/v1/th1/?next_token=x"
    assert page.previous is None and page.results == []
