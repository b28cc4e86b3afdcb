"""A DIALS release is `make regen`: the layer survives renamed, removed and added operations.

Each test generates the package from a changed spec into a scratch tree, next to a
copy of ``cmsdials`` (with, for a new route, one line added to its name table), and
runs a user's script there in a fresh interpreter: nothing fails at import, a method
whose operation went away says which, a new list route is ``dials.<group>``, and
mypy is clean on ``cmsdials/`` against the regenerated package.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, write_json
from .specs import page_of
from .test_generated import regen

NEW_GROUP_LINE = '    Group("new_thing", "new-thing/", "NewThing"),\n'


def changed_spec() -> dict[str, Any]:
    """The committed spec with th1's list renamed, run's count removed, a route added."""
    doc: dict[str, Any] = json.loads((ROOT / "openapi.json").read_text(encoding="utf-8"))
    doc = copy.deepcopy(doc)
    paths = doc["paths"]
    paths["/api/v1/th1/"]["get"]["operationId"] = "listHistograms1D"
    del paths["/api/v1/run/count/"]
    workspace = next(
        p for p in paths["/api/v1/th1/"]["get"]["parameters"] if p.get("in") == "header"
    )
    doc["components"]["schemas"]["NewThing"] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "from": {"type": "string", "nullable": True},
            "type": {"type": "string"},
        },
        "required": ["id", "name", "from", "type"],
    }
    doc["components"]["schemas"]["PaginatedNewThingList"] = page_of("NewThing")

    def answer(ref: str) -> dict[str, Any]:
        schema = {"$ref": f"#/components/schemas/{ref}"}
        return {"200": {"description": "", "content": {"application/json": {"schema": schema}}}}

    security = paths["/api/v1/th1/"]["get"].get("security")
    query = [
        {"name": "next_token", "in": "query", "schema": {"type": "string"}},
        {"name": "name", "in": "query", "schema": {"type": "string"}},
        {
            "name": "id__in",
            "in": "query",
            "schema": {"type": "array", "items": {"type": "integer"}},
            "style": "form",
            "explode": False,
        },
    ]
    paths["/api/v1/new-thing/"] = {
        "get": {
            "operationId": "listNewThings",
            "tags": ["new-thing"],
            "parameters": [*query, workspace],
            "responses": answer("PaginatedNewThingList"),
            **({"security": security} if security is not None else {}),
        }
    }
    paths["/api/v1/new-thing/{id}/"] = {
        "get": {
            "operationId": "retrieveNewThing",
            "tags": ["new-thing"],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                workspace,
            ],
            "responses": answer("NewThing"),
            **({"security": security} if security is not None else {}),
        }
    }
    return doc


def scratch_tree(tmp: Path, spec: dict[str, Any], *, new_group: bool) -> Path:
    """``tmp`` holding cmsdials (its name table plus maybe one line), pyproject and
    ``generated/`` regenerated from ``spec``."""
    shutil.copytree(
        ROOT / "cmsdials", tmp / "cmsdials", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp / "pyproject.toml")
    if new_group:
        groups = tmp / "cmsdials" / "groups.py"
        text = groups.read_text(encoding="utf-8")
        anchor = "GROUPS: tuple[Group, ...] = (\n"
        assert anchor in text
        groups.write_text(text.replace(anchor, anchor + NEW_GROUP_LINE), encoding="utf-8")
    regen(tmp / "generated", write_json(tmp / "openapi.json", spec))
    # make regen's second step: the groups' classes as type checkers see them.
    typed = [sys.executable, str(ROOT / "scripts" / "typed_groups.py"), str(tmp / "cmsdials")]
    subprocess.run(typed, check=True, capture_output=True, timeout=300)
    return tmp


def run_user_script(tree: Path, code: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tree), str(tree / "generated")])
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


USER_SCRIPT = """
    import httpx, orjson
    import cmsdials, cmsdials_api
    assert cmsdials_api.__file__.startswith({tree!r}), cmsdials_api.__file__
    assert cmsdials.__file__.startswith({tree!r}), cmsdials.__file__
    from cmsdials import Dials
    from cmsdials.adapter import MissingOperationError
    from cmsdials.endpoints import client_class
    from cmsdials.filters import LumisectionHistogram1DFilters, NewThingFilters
    from cmsdials.transport import Transport

    sent = []
    def handler(request):
        sent.append(request)
        path = request.url.path
        if path == "/api/v1/new-thing/":
            rows = [{{"id": 1, "name": "a", "from": "x", "type": "t"}}]
            body = {{"next": None, "previous": None, "results": rows}}
        elif path.startswith("/api/v1/new-thing/"):
            body = {{"id": 3, "name": "c", "from": None, "type": "t"}}
        else:
            body = {{"next": None, "previous": None, "results": []}}
        return httpx.Response(200, content=orjson.dumps(body))

    dials = Dials(None, base_url="http://dials.test/")
    assert type(dials.new_thing).__name__ == "NewThingClient"
    transport = Transport("http://dials.test/", http_transport=httpx.MockTransport(handler))

    # An operation that went away breaks only its method, saying which.
    try:
        client_class("run")(transport=transport).count()
    except MissingOperationError as exc:
        assert "GET /api/v1/run/count/" in str(exc), exc
    else:
        raise AssertionError("count() without a count route")

    # A renamed operation is found by what it is.
    h1d = client_class("h1d")(transport=transport)
    assert h1d.list(LumisectionHistogram1DFilters(me__regex="PX")).results == []
    assert sent[-1].url.path == "/api/v1/th1/" and sent[-1].url.params["me__regex"] == "PX"

    # A new list route: filters, list, get, wire names (a keyword and a builtin).
    things = client_class("new_thing")(transport=transport)
    page = things.list(NewThingFilters(name="a", id__in=[1, 2]))
    assert str(sent[-1].url).endswith("/api/v1/new-thing/?name=a&id__in=1,2"), sent[-1].url
    (row,) = page.results
    assert (row.id, row.name, getattr(row, "from"), row.type) == (1, "a", "x", "t")
    assert list(row.model_dump()) == ["id", "name", "from", "type"]
    assert things.get(id=3).name == "c" and things.get(3).model_dump()["from"] is None
    assert [r.id for r in things.list_all(enable_progress=False).results] == [1]
    try:
        NewThingFilters(nam="a")
    except TypeError as exc:
        assert "did you mean 'name'" in str(exc), exc
    else:
        raise AssertionError("a misspelt filter")
    print("ok")
"""


@pytest.fixture(scope="module")
def changed_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scratch_tree(tmp_path_factory.mktemp("release"), changed_spec(), new_group=True)


def test_a_release_with_renamed_removed_and_added_operations(changed_tree: Path) -> None:
    done = run_user_script(changed_tree, USER_SCRIPT.format(tree=str(changed_tree)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_import_survives_a_package_without_a_group(tmp_path: Path) -> None:
    spec = changed_spec()
    for path in [p for p in spec["paths"] if p.startswith("/api/v1/th2/")]:
        del spec["paths"][path]
    tree = scratch_tree(tmp_path, spec, new_group=False)
    code = """
        import cmsdials.cmsdials, cmsdials.filters, cmsdials.models
        from cmsdials import Dials
        from cmsdials.adapter import MissingOperationError
        from cmsdials.filters import LumisectionHistogram2DFilters
        dials = Dials(None, base_url="http://dials.test/")
        for call in (lambda: dials.h2d.list(), lambda: LumisectionHistogram2DFilters(me="x")):
            try:
                call()
            except MissingOperationError as exc:
                assert "/api/v1/th2/" in str(exc) and "make regen" in str(exc), exc
            else:
                raise AssertionError("no th2 route, yet it ran")
        print("ok")
    """
    done = run_user_script(tree, code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_mypy_is_clean_on_the_layer_after_the_release(changed_tree: Path) -> None:
    env = dict(os.environ)
    env.pop("MYPYPATH", None)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental"],
        cwd=changed_tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


TYPED_SCRIPT = """\
from cmsdials import Dials
from cmsdials.filters import NewThingFilters

dials = Dials(None, base_url="http://dials.test/")
filters = NewThingFilters(name="a", id__in=[1, 2])
page = dials.new_thing.list_all(filters, max_pages=1)
name: str = page.results[0].name
thing = dials.new_thing.get(id=3)
reveal_type(thing)
reveal_type(getattr(thing, "from"))
reveal_type(thing.type)
bad_name = NewThingFilters(nam="a")  # line 12
bad_value = NewThingFilters(id__in=["x"])  # line 13
bad_key = dials.new_thing.get(ids=3)  # line 14
bad_field: int = thing.name  # line 15
bad_group = dials.new_thingy  # line 16
"""


def test_one_line_and_regen_type_a_new_group(changed_tree: Path) -> None:
    """The new group's rows, filters, get() and ``dials.new_thing`` are typed: mypy --strict
    on a user's script accepts the right calls and flags each wrong one."""
    script = changed_tree / "analysis.py"
    script.write_text(TYPED_SCRIPT, encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", "")}
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "analysis.py"],
        cwd=changed_tree, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    report = done.stdout + done.stderr
    errors = sorted({int(n) for n in re.findall(r"^analysis\.py:(\d+): error", report, re.M)})
    assert errors == [12, 13, 14, 15, 16], report
    assert 'Unexpected keyword argument "nam" for "NewThingFilters"' in report
    assert '"Dials" has no attribute "new_thingy"' in report
    notes = re.findall(r'Revealed type is "(.*)"', report)
    assert notes == ["cmsdials._typed.rows.NewThing", "Any", "str"], report


def test_pyright_sees_the_new_group_too(changed_tree: Path) -> None:
    """IDEs (pylance is pyright) see the same: basedpyright, a dev dependency."""
    pyright = Path(sys.executable).with_name("basedpyright")
    if not pyright.exists():
        pytest.skip("basedpyright is not installed")
    script = changed_tree / "ide.py"
    script.write_text(TYPED_SCRIPT.replace("reveal_type(", "print("), encoding="utf-8")
    paths = [str(changed_tree), str(changed_tree / "generated")]
    config = {"extraPaths": paths, "pythonVersion": "3.10", "include": ["ide.py"]}
    (changed_tree / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    done = subprocess.run(
        [str(pyright), "--outputjson", "ide.py"],
        cwd=changed_tree, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    report = json.loads(done.stdout)
    lines = sorted(
        {d["range"]["start"]["line"] + 1 for d in report["generalDiagnostics"]
         if d["severity"] == "error"}
    )  # fmt: skip
    assert lines == [12, 13, 14, 15, 16], done.stdout
    messages = " ".join(d["message"] for d in report["generalDiagnostics"])
    assert 'No parameter named "nam"' in messages and 'No parameter named "ids"' in messages


@pytest.fixture(scope="module")
def v112_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The layer next to a package regenerated from DIALS v1.12's repaired spec (the
    local server ships that spec for its ``--api v1.12``)."""
    shipped = ROOT / "cmsdials" / "testing" / "openapi-v1.12.json"
    spec = json.loads(shipped.read_text(encoding="utf-8"))
    return scratch_tree(tmp_path_factory.mktemp("v112"), spec, new_group=False)


def test_the_layer_runs_on_a_package_generated_from_v112(v112_tree: Path) -> None:
    code = """
        import httpx, orjson
        from cmsdials import Dials
        from cmsdials.adapter import MissingOperationError
        from cmsdials.endpoints import client_class
        from cmsdials.filters import MLModelsIndexFilters
        from cmsdials.models import MLModelsIndex
        from cmsdials.transport import Transport

        sent = []
        def handler(request):
            sent.append(request)
            rows = [{"model_id": 1, "filename": "m.onnx", "target_me": "x", "active": True}]
            return httpx.Response(200, content=orjson.dumps(
                {"next": None, "previous": None, "results": rows}))

        transport = Transport("http://dials.test/", http_transport=httpx.MockTransport(handler))
        models = client_class("ml_models_index")(transport=transport)
        (row,) = models.list(MLModelsIndexFilters(model_id__in=[1, 2])).results
        assert tuple(MLModelsIndex.model_fields) == ("model_id", "filename", "target_me", "active")
        assert (row.model_id, row.filename) == (1, "m.onnx")
        assert sent[-1].url.params["model_id__in"] == "1,2"
        dials = Dials(None, base_url="http://dials.test/")
        try:
            dials.workspace.list()  # v1.12 serves workspaces under auth/, not workspaces/
        except MissingOperationError as exc:
            assert "GET /api/v1/workspaces/" in str(exc), exc
        else:
            raise AssertionError("workspaces/ on a v1.12 package")
        print("ok")
    """
    done = run_user_script(v112_tree, code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_mypy_is_clean_on_the_layer_against_v112(v112_tree: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental"],
        cwd=v112_tree,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
