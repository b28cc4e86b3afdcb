"""API changes that used to slip through regeneration, each pulled and regenerated as a
DIALS release would be (``pull_spec.py`` then ``regen.sh``), then used by a user's script:

* a new list route whose page schema sorts before its row schema (``PaginatedTriggerList``
  < ``Trigger``): its rows know their fields, dates and empty-page columns;
* a path key renamed upstream (``{model_id}`` -> ``{id}``, typed ``string`` as upstream
  types path keys): it keeps its integer type, so the classic ``get(20)`` works;
* an operation marked ``deprecated``: ``check-drift`` names it, and the methods that use it
  warn (``DeprecationWarning``) at the user's line;
* a tag change, alone or mixed with another change: ``spec_diff`` names it, BREAKING when
  the generated module moves.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
import spec_diff

from .conftest import ROOT, run_script, write_json
from .specs import page_of
from .test_regen_survival import run_user_script, scratch_tree

JSON = dict[str, Any]
TRIGGER_LINE = '    Group("trigger", "trigger/", "Trigger"),\n'
MODELS = "/api/v1/ml-models-index/"


def committed() -> JSON:
    doc: JSON = json.loads((ROOT / "openapi.json").read_text(encoding="utf-8"))
    return doc


def _answer(ref: str) -> JSON:
    schema = {"$ref": f"#/components/schemas/{ref}"}
    return {"200": {"description": "", "content": {"application/json": {"schema": schema}}}}


def add_trigger_route(doc: JSON) -> None:
    """A list route whose page schema sorts first (P < T), as DIALS's next release might add."""
    schemas = doc["components"]["schemas"]
    schemas["Trigger"] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
        },
        "required": ["id", "name", "created_at"],
    }
    schemas["PaginatedTriggerList"] = page_of("Trigger")
    th1 = doc["paths"]["/api/v1/th1/"]["get"]
    workspace = next(p for p in th1["parameters"] if p.get("in") == "header")
    doc["paths"]["/api/v1/trigger/"] = {
        "get": {
            "operationId": "list_trigger",
            "tags": ["trigger"],
            "parameters": [
                {"name": "next_token", "in": "query", "schema": {"type": "string"}},
                {"name": "name", "in": "query", "schema": {"type": "string"}},
                workspace,
            ],
            "responses": _answer("PaginatedTriggerList"),
            "security": th1["security"],
        }
    }


def rename_model_key(doc: JSON) -> None:
    """``ml-models-index/{model_id}/`` -> ``{id}``, typed ``string`` as upstream types keys."""
    paths = doc["paths"]
    item = paths.pop(MODELS + "{model_id}/")
    for param in item["get"]["parameters"]:
        if param.get("in") == "path":
            param.clear()
            param.update({"name": "id", "in": "path", "required": True})
            param["schema"] = {"type": "string"}
    paths[MODELS + "{id}/"] = item


def deprecate_run_count(doc: JSON) -> None:
    doc["paths"]["/api/v1/run/count/"]["get"]["deprecated"] = True


def upstream_release() -> JSON:
    doc = copy.deepcopy(committed())
    add_trigger_route(doc)
    rename_model_key(doc)
    deprecate_run_count(doc)
    return doc


def pull(tmp: Path, upstream: JSON) -> JSON:
    """``make pull-spec`` of ``upstream``: the repaired, canonical openapi.json."""
    source = write_json(tmp / "upstream.json", upstream, indent=4)
    out = tmp / "pulled.json"
    done = run_script("pull_spec.py", "--source", str(source), "--output", str(out))
    assert done.returncode == 0, done.stderr
    doc: JSON = json.loads(out.read_text(encoding="utf-8"))
    return doc


@pytest.fixture(scope="module")
def release_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("next-release")
    spec = pull(tmp, upstream_release())
    schemas = list(spec["components"]["schemas"])
    assert schemas.index("PaginatedTriggerList") < schemas.index("Trigger")  # the hard order
    tree = scratch_tree(tmp / "tree", spec, new_group=False)
    groups = tree / "cmsdials" / "groups.py"
    anchor = "GROUPS: tuple[Group, ...] = (\n"
    groups.write_text(groups.read_text().replace(anchor, anchor + TRIGGER_LINE), encoding="utf-8")
    return tree


SCRIPT = """
    import datetime, logging, warnings
    import httpx, orjson
    from cmsdials.adapter import api
    from cmsdials.endpoints import client_class
    from cmsdials.pagination import Page
    from cmsdials.transport import Transport

    logged = []
    handler = logging.Handler()
    handler.emit = logged.append
    logging.getLogger("cmsdials").addHandler(handler)
    sent = []

    def answer(request):
        sent.append(request)
        path = request.url.path
        if path == "/api/v1/trigger/":
            rows = [{"id": 1, "name": "HLT_ZeroBias", "created_at": "2025-06-01T12:00:00Z"}]
            body = {"next": None, "previous": None, "results": rows}
        elif path.startswith("/api/v1/ml-models-index/"):
            body = {"id": 20, "name": "m", "revision": 1, "type": "ae"}
        elif path == "/api/v1/run/count/":
            body = {"count": 7}
        else:
            body = {"next": None, "previous": None, "results": []}
        return httpx.Response(200, content=orjson.dumps(body))

    transport = Transport("http://dials.test/", http_transport=httpx.MockTransport(answer))

    # 3a: the page sorts before its rows, yet the rows know their fields.
    page_rows = api().group("trigger/").list.page_rows
    assert [f.name for f in page_rows.fields] == ["id", "name", "created_at"], page_rows
    triggers = client_class("trigger")(transport=transport)
    (row,) = triggers.list().results
    assert tuple(type(row).model_fields) == ("id", "name", "created_at")
    assert row.created_at == datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.timezone.utc)
    empty = Page([], model=triggers.model).to_pandas()
    assert list(empty.columns) == ["id", "name", "created_at"], list(empty.columns)
    assert not [r.getMessage() for r in logged if "not in the spec" in r.getMessage()], logged

    # 3d: {model_id} renamed {id} upstream (a string there) is still an integer key.
    retrieve = api().find("GET", "ml-models-index/{id}/")
    assert [(p.wire, p.kind) for p in retrieve.path_params] == [("id", "int")]
    models = client_class("ml_models_index")(transport=transport)
    assert models.get(20).id == 20
    assert sent[-1].url.path == "/api/v1/ml-models-index/20/"

    # 3c: a deprecated operation warns at the user's line, only from the methods using it.
    runs = client_class("run")(transport=transport)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        runs.list()
        assert caught == []
        assert runs.count() == 7
    (warning,) = caught
    assert warning.category is DeprecationWarning, warning
    assert "GET /api/v1/run/count/" in str(warning.message), warning.message
    assert warning.filename == "<string>", warning.filename  # this script, not cmsdials
    print("ok")
"""


def test_a_release_whose_changes_used_to_slip_through(release_tree: Path) -> None:
    done = run_user_script(release_tree, SCRIPT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_generated_low_level_functions_of_the_release(release_tree: Path) -> None:
    api = release_tree / "generated" / "cmsdials_api" / "api"
    retrieve = (api / "ml_models_index" / "retrieve_ml_models_index.py").read_text()
    assert "    id: int,\n" in retrieve
    count = (api / "run" / "count_run.py").read_text()
    assert "Deprecated by DIALS." in count  # the docstring users of dials.api read


def test_check_drift_names_the_release_s_changes(tmp_path: Path) -> None:
    source = write_json(tmp_path / "upstream.json", upstream_release(), indent=4)
    env = {**os.environ, "DIALS_SPEC_URL": str(source)}
    done = run_script("check_drift.py", env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any("GET /api/v1/run/count/" in x and x.strip().endswith("deprecated") for x in lines)
    assert any("GET /api/v1/trigger/" in x and "operation added" in x for x in lines), lines
    assert any(MODELS + "{model_id}/" in x and "operation removed" in x for x in lines), lines


def _diff(old: JSON, new: JSON) -> list[str]:
    return [change.line() for change in spec_diff.diff(old, new)]


def test_a_tag_change_alone_is_breaking_when_the_module_moves() -> None:
    old = committed()
    new = copy.deepcopy(old)
    new["paths"]["/api/v1/run/count/"]["get"]["tags"] = ["runs"]
    (line,) = _diff(old, new)
    assert line.startswith("BREAKING"), line
    assert "tags ['run'] -> ['runs']" in line and "api.run -> api.runs" in line


def test_a_tag_change_mixed_with_another_change_is_still_named() -> None:
    old = committed()
    new = copy.deepcopy(old)
    op = new["paths"]["/api/v1/run/count/"]["get"]
    op["tags"] = ["runs"]
    op["parameters"] = [p for p in op["parameters"] if p["name"] != "dataset"]
    lines = _diff(old, new)
    assert any("tags ['run'] -> ['runs']" in line for line in lines), lines
    assert any("dataset" in line and "removed" in line for line in lines), lines


def test_a_tag_that_keeps_the_module_is_not_breaking() -> None:
    old = committed()
    new = copy.deepcopy(old)
    new["paths"]["/api/v1/run/count/"]["get"]["tags"] = ["Run", "extra"]
    (line,) = _diff(old, new)
    assert line.startswith("non-breaking") and "stays api.run" in line, line
