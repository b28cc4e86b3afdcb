"""The local DIALS's two APIs (current, ``api="v1.12"``), shapes from the spec, row tweaks."""

from __future__ import annotations

import copy
import json
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest

from cmsdials.testing import DialsServer, serve
from cmsdials.testing.routes import find_spec

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "dials"

CURRENT_MODEL_FIELDS = [
    "id",
    "name",
    "revision",
    "ready",
    "active",
    "type",
    "anomaly_threshold",
    "builtin_threshold",
    "description",
    "flagging_key",
    "input_signature",
    "metric_key",
    "output_signature",
    "tags",
    "isvc_service_name",
    "isvc_yaml",
    "created_by",
    "modified_by",
    "created_at",
    "modified_at",
]
#: Routes both APIs serve, as the client's tolerance tests use them.
SHARED_ROUTES = ("th1/", "th2/", "lumisection/", "run/", "dataset-index/", "file-index/", "mes/")


def _rows(answer: httpx.Response) -> list[dict[str, Any]]:
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return body["results"] if isinstance(body, dict) else body


# ---------------------------------------------------------------- the current API


def test_current_ml_models_have_the_current_fields(jetmet, walk) -> None:
    models = walk(jetmet, "ml-models-index/", {"page_size": 100})
    assert [m["id"] for m in models] == list(range(1, 21))
    for model in models:
        assert list(model) == CURRENT_MODEL_FIELDS
        assert isinstance(model["input_signature"], list)
        assert all(isinstance(item, dict) for item in model["input_signature"])
        assert all(isinstance(item, dict) for item in model["output_signature"])
    assert jetmet.get("ml-models-index/19/").json() == models[18]
    missing = jetmet.get("ml-models-index/21/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No MLModelsIndex matches the given query."}


def test_current_ml_models_are_realistic(jetmet, walk) -> None:
    models = walk(jetmet, "ml-models-index/", {"page_size": 100})
    mes = {me["me"] for me in jetmet.get("mes/").json()}
    lines: dict[str, list[dict[str, Any]]] = {}
    for model in models:
        lines.setdefault(model["name"], []).append(model)
        assert {item["me"] for item in model["input_signature"]} <= mes
        assert model["created_at"] < model["modified_at"]
        if model["active"]:
            assert model["ready"] and model["isvc_service_name"] and model["isvc_yaml"]
        else:
            assert model["isvc_service_name"] is None
        if model["builtin_threshold"]:
            assert model["anomaly_threshold"] is None and model["flagging_key"]
        else:
            assert model["anomaly_threshold"] > 0 and model["metric_key"] == "mse"
    assert len(lines) == 4
    for revisions in lines.values():
        assert [m["revision"] for m in revisions] == list(range(1, len(revisions) + 1))
        assert sum(m["active"] for m in revisions) <= 1
        active = [m for m in revisions if m["active"]]
        assert not active or active[0] is revisions[-1]  # the newest revision serves
    assert {m["id"] for m in models if m["active"]} == {19, 20}
    assert [m["id"] for m in models if not m["ready"]] == [18]
    # the bad lumisections of an autoencoder score above its threshold
    threshold = models[18]["anomaly_threshold"]
    bad = walk(jetmet, "ml-bad-lumisection/", {"model_id": 19, "page_size": 500})
    assert bad and all(row["metric_value"] > threshold for row in bad)


def _expect(models: list[dict[str, Any]], keep: Any) -> list[int]:
    return [m["id"] for m in models if keep(m)]


def test_current_ml_model_filters(jetmet, walk) -> None:
    models = walk(jetmet, "ml-models-index/", {"page_size": 100})

    def ids(**params: Any) -> list[int]:
        return [m["id"] for m in walk(jetmet, "ml-models-index/", {**params, "page_size": 100})]

    def tags(m: dict[str, Any], key: str) -> set[str]:
        return {t[key] for t in m["tags"] or ()}

    pt = "JetMET/Jet/Cleanedak4PFJetsCHS/Pt"
    assert ids(id=7) == [7]
    assert ids(id__in="20,3,19") == [3, 19, 20]
    assert ids(name="jetmet_met_autoencoder") == _expect(
        models, lambda m: m["name"] == "jetmet_met_autoencoder"
    )
    assert ids(name__regex="^jetmet_jet_") == _expect(
        models, lambda m: m["name"].startswith("jetmet_jet_")
    )
    assert ids(active="true") == [19, 20]
    assert ids(ready="false") == [18]
    assert ids(type="isolation_forest") == _expect(
        models, lambda m: m["type"] == "isolation_forest"
    )
    assert ids(input_signature_contains_me=pt) == _expect(
        models, lambda m: pt in {i["me"] for i in m["input_signature"]}
    )
    assert ids(input_signature_contains_me__regex="MET$") == [3, 7, 11, 15, 20]
    assert ids(input_signature_contains_me="Pt") == []  # exact, not a substring
    assert ids(tag_name="stage") == _expect(models, lambda m: "stage" in tags(m, "name"))
    assert ids(tag_value="production") == [19, 20]
    assert ids(tag_value="production", input_signature_contains_me=pt) == [19]
    assert len(ids(tag_name="stage")) < len(models)  # first revisions carry no tags
    # v1.12's filters are gone: ignored, as DIALS ignores unknown filters
    assert ids(model_id=7, filename="x") == [m["id"] for m in models]
    wrong = jetmet.get("ml-models-index/", params={"id": "seven"})
    assert wrong.status_code == 400 and wrong.json() == {"id": ["Enter a number."]}
    assert jetmet.get("ml-models-index/", params={"name__regex": "("}).status_code == 500


def test_current_ml_bad_lumisection_has_four_keys(srv: DialsServer, jetmet) -> None:
    row = jetmet.get("ml-bad-lumisection/19/15102369/386951/36/").json()
    assert row == {
        "model_id": 19,
        "dataset_id": 15102369,
        "run_number": 386951,
        "ls_number": 36,
        "metric_value": row["metric_value"],
    }
    assert isinstance(row["metric_value"], float)
    assert jetmet.get("ml-bad-lumisection/19/15102369/386951/36/1/").status_code == 404
    # me filters still work, on a column that is no field of the rows any more
    with srv.db("jetmet") as db:
        (n,) = db.execute(
            "SELECT COUNT(*) FROM ml_bad_lumisection WHERE me GLOB '*/MET/*MET'"
        ).fetchone()
    rows = _rows(
        jetmet.get("ml-bad-lumisection/", params={"me__regex": "/MET/.*MET$", "page_size": 500})
    )
    assert len(rows) == n > 0 and {r["model_id"] for r in rows} <= {3, 7, 11, 15, 20}
    by_me_id = _rows(jetmet.get("ml-bad-lumisection/", params={"me_id": 4, "page_size": 500}))
    assert by_me_id == rows


def test_current_run_and_file_index_fields(srv: DialsServer, api, walk) -> None:
    runs = walk(api, "run/", {"page_size": 100})
    assert all(isinstance(r["ls_completeness"], float) for r in runs)
    assert all(0.0 < r["ls_completeness"] <= 1.0 for r in runs)
    assert any(r["ls_completeness"] < 1.0 for r in runs)
    files = walk(api, "file-index/", {"dataset_id": 14677060, "page_size": 500})
    with srv.db() as db:
        (n,) = db.execute("SELECT COUNT(*) FROM file_index WHERE dataset_id = 14677060").fetchone()
    assert len(files) == n > 0 and {f["dataset_id"] for f in files} == {14677060}
    finished = [f for f in files if f["status"] == "FINISHED"]
    assert finished and all(f["err_trace"] is None for f in finished)
    (failed,) = [f for f in files if f["status"] == "FAILED"]
    assert failed["err_trace"].startswith("Traceback")
    assert failed["logical_file_name"] in failed["err_trace"]
    assert len(failed["err_trace"]) <= 5000
    only_failed = _rows(api.get("file-index/", params={"status": "FAILED", "page_size": 50}))
    assert len(only_failed) == 4 and all(f["err_trace"] for f in only_failed)  # one per dataset


def test_post_cert_and_golden_json_with_a_json_body(jetmet) -> None:
    body = {"model_id__in": [20, 19], "dataset_id__in": [15042670], "run_number__in": [385801]}
    query = {key: ",".join(map(str, values)) for key, values in body.items()}
    for route in ("cert-json/", "golden-json/"):
        post = jetmet.post("ml-bad-lumisection/" + route, json=body)
        get = jetmet.get("ml-bad-lumisection/" + route, params=query)  # as v1.12 answered
        assert post.status_code == get.status_code == 200
        assert post.json() == get.json() and post.json()["385801"]
    cert = jetmet.post("ml-bad-lumisection/cert-json/", json=body).json()
    assert cert["385801"]["12"][0]["model_id"] == 20  # a README anchor
    missing = jetmet.post("ml-bad-lumisection/cert-json/", json={"model_id__in": [19]})
    assert missing.status_code == 400
    assert missing.json() == {
        "dataset_id__in": ["This field is required."],
        "run_number__in": ["This field is required."],
    }
    wrong = jetmet.post("ml-bad-lumisection/golden-json/", json={**body, "run_number__in": ["x"]})
    assert wrong.status_code == 400
    assert wrong.json() == ["Field 'run_number' expected a number but got 'x'."]


def test_workspace_routes(api) -> None:
    assert api.get("workspaces/").json()["workspaces"] == [
        "csc",
        "ecal",
        "hcal",
        "jetmet",
        "tracker",
    ]
    assert api.get("workspaces/my-default/").json() == {"workspace": "tracker"}


# ---------------------------------------------------------------- v1.12


def test_v112_serves_the_older_shapes(srv_v112: DialsServer, api_v112, jetmet_v112) -> None:
    assert srv_v112.api == "v1.12"
    model = jetmet_v112.get("ml-models-index/19/").json()
    assert model == {
        "model_id": 19,
        "filename": "/eos/cms/store/group/dpg_dqm/ml4dqm/jetmet/jet_pt_ae_v19.onnx",
        "target_me": "JetMET/Jet/Cleanedak4PFJetsCHS/Pt",
        "active": True,
    }
    active = _rows(jetmet_v112.get("ml-models-index/", params={"active": "true"}))
    assert [m["model_id"] for m in active] == [19, 20]
    bad = jetmet_v112.get("ml-bad-lumisection/19/15102369/386951/36/1/").json()
    assert set(bad) == {
        "model_id",
        "dataset_id",
        "file_id",
        "run_number",
        "ls_number",
        "me_id",
        "mse",
    }
    assert jetmet_v112.get("ml-bad-lumisection/19/15102369/386951/36/").status_code == 404
    run = api_v112.get("run/14677060/367112/").json()
    assert "ls_completeness" not in run and run["ls_count"] >= 10
    # v1.12.0's file index filters on dataset_id although its spec does not say so
    files = _rows(api_v112.get("file-index/", params={"dataset_id": 14677060, "page_size": 500}))
    assert files and {f["dataset_id"] for f in files} == {14677060}
    assert api_v112.get("auth/workspaces/").status_code == 200
    assert api_v112.get("workspaces/").status_code == 404
    query = {"model_id__in": "19", "dataset_id__in": "15102369", "run_number__in": "386951"}
    cert = jetmet_v112.get("ml-bad-lumisection/cert-json/", params=query).json()
    assert cert["386951"]["36"][0]["model_id"] == 19


def test_shared_routes_serve_the_same_data_in_both_apis(
    srv: DialsServer, srv_v112: DialsServer, make_client
) -> None:
    """th1, th2, lumisection, run, dataset-index, file-index and mes: the same rows, with each
    API's fields (the current run has ls_completeness, the current file err_trace required)."""
    v112 = httpx.Client(
        base_url=srv_v112.base_url + "api/v1/",
        headers={"X-CLIENT-SECRET": srv_v112.secret},
        timeout=10,
    )
    current = make_client()
    spec_v112 = srv_v112.spec
    spec_now = srv.spec
    assert spec_v112 is not None and spec_now is not None
    with v112:
        for route in SHARED_ROUTES:
            params = {"page_size": 20} if route != "mes/" else {}
            old, new = (
                _rows(v112.get(route, params=params)),
                _rows(current.get(route, params=params)),
            )
            assert len(old) == len(new) > 0, route
            table = route.rstrip("/").replace("-", "_")
            old_fields = spec_v112.tables[table].json_fields
            new_fields = spec_now.tables[table].json_fields
            for a, b in zip(old, new, strict=True):
                assert set(a) <= set(old_fields) and set(b) <= set(new_fields), route
                common = set(a) & set(b)
                assert {k: a[k] for k in common} == {k: b[k] for k in common}, route
    assert "ls_completeness" in spec_now.tables["run"].json_fields
    assert "ls_completeness" not in spec_v112.tables["run"].json_fields


def test_readme_anchors_in_both_apis(api, jetmet, api_v112, jetmet_v112) -> None:
    for tracker, jet in ((api, jetmet), (api_v112, jetmet_v112)):
        assert tracker.get("dataset-index/14677060/").json()["era"] == "Run2023C"
        assert tracker.get("file-index/14677060/3393809397/").status_code == 200
        assert tracker.get("th1/14677060/367112/10/1/").json()["me_id"] == 1
        assert tracker.get("run/14677060/367112/").status_code == 200
        runs = _rows(tracker.get("run/", params={"run_number__gte": 360392, "page_size": 100}))
        assert len(runs) >= 10
        active = _rows(jet.get("ml-models-index/", params={"active": "true"}))
        assert len(active) == 2
        bad = _rows(
            jet.get(
                "ml-bad-lumisection/",
                params={
                    "model_id__in": "20,19",
                    "dataset_id__in": "15042670",
                    "run_number__in": "385801,385799,385764",
                    "page_size": 500,
                },
            )
        )
        assert {r["model_id"] for r in bad} == {19, 20}


def test_api_argument_is_checked() -> None:
    with pytest.raises(ValueError, match="api must be one of"):
        DialsServer(api="v2")
    with pytest.raises(ValueError, match="api must be one of"):
        find_spec("1.12")
    assert find_spec("v1.12").name == "openapi-v1.12.json"


@pytest.mark.skipif(
    not (SHARED / "swagger-v1.12.0.json").is_file(), reason="needs ../shared/dials (the snapshot)"
)
def test_shipped_v112_spec_is_what_the_pull_makes(tmp_path: Path) -> None:
    out = tmp_path / "v112.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "pull_spec.py"),
            "--source",
            str(SHARED / "swagger-v1.12.0.json"),
            "--output",
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    shipped = ROOT / "cmsdials" / "testing" / "openapi-v1.12.json"
    assert out.read_bytes() == shipped.read_bytes(), "stale: run 'make testing-specs'"


def test_cli_api_flag() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cmsdials.testing", "--api", "v1.12"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip().split("=", 1)[1]
        secret = proc.stdout.readline().strip().split("=", 1)[1]
        headers = {"X-CLIENT-SECRET": secret, "Workspace": "jetmet"}
        model = httpx.get(base_url + "api/v1/ml-models-index/19/", headers=headers).json()
        assert set(model) == {"model_id", "filename", "target_me", "active"}
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        assert proc.stderr is not None and "v1.12 API" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_plugin_v112_fixture_is_guarded(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["cmsdials.testing.pytest_plugin"]\n')
    (tmp_path / "test_v112.py").write_text(
        textwrap.dedent(
            """
            import httpx

            def test_old_shape(dials_server_v1_12):
                srv = dials_server_v1_12
                r = httpx.get(srv.base_url + "api/v1/ml-models-index/",
                              headers={"X-CLIENT-SECRET": srv.secret, "Workspace": "jetmet"})
                assert "filename" in r.json()["results"][0]
                srv.tweak_rows(add={"leaked": 1})

            def test_tweaks_do_not_leak(dials_server_v1_12):
                srv = dials_server_v1_12
                r = httpx.get(srv.base_url + "api/v1/run/",
                              headers={"X-CLIENT-SECRET": srv.secret})
                assert "leaked" not in r.json()["results"][0]

            def test_bad(dials_server_v1_12):
                httpx.get(dials_server_v1_12.base_url + "api/v1/workspaces/",
                          headers={"X-CLIENT-SECRET": dials_server_v1_12.secret})
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "3 passed, 1 error" in result.stdout, result.stdout + result.stderr
    assert "ERROR at teardown of test_bad" in result.stdout
    assert "the local DIALS v1.12" in result.stdout and "/api/v1/workspaces/" in result.stdout


# ---------------------------------------------------------------- shapes follow the spec


def _changed_spec() -> dict[str, Any]:
    """openapi.json with what a future DIALS might do: a new field, a dropped field, a
    retyped field, and a new list route with its own schema, filters and retrieve route."""
    doc = copy.deepcopy(json.loads(find_spec().read_text()))
    schemas = doc["components"]["schemas"]
    th1 = schemas["TH1"]
    th1["properties"]["quality"] = {"type": "string", "enum": ["GOOD", "BAD"]}
    th1["properties"]["rate_hz"] = {"type": "number", "nullable": True}
    th1["required"] += ["quality", "rate_hz"]
    del schemas["Run"]["properties"]["ls_count"]
    schemas["Run"]["required"].remove("ls_count")
    schemas["Lumisection"]["properties"]["th2_count"] = {"type": "string", "maxLength": 4}
    schemas["Detector"] = {
        "type": "object",
        "properties": {
            "detector_id": {"type": "integer"},
            "label": {"type": "string", "maxLength": 12},
            "installed_at": {"type": "string", "format": "date-time"},
            "hot": {"type": "boolean"},
        },
        "required": ["detector_id", "label", "installed_at", "hot"],
    }
    page = copy.deepcopy(schemas["PaginatedRunList"])
    page["properties"]["results"]["items"] = {"$ref": "#/components/schemas/Detector"}
    schemas["PaginatedDetectorList"] = page
    run_list = doc["paths"]["/api/v1/run/"]["get"]
    detail = doc["paths"]["/api/v1/run/{dataset_id}/{run_number}/"]["get"]
    listing = copy.deepcopy(run_list)
    listing["operationId"] = "list_detector"
    listing["parameters"] = [
        p
        for p in listing["parameters"]
        if p["in"] != "query" or p["name"] in ("next_token", "page_size", "fields")
    ] + [
        {"name": "label", "in": "query", "required": False, "schema": {"type": "string"}},
        {"name": "hot", "in": "query", "required": False, "schema": {"type": "boolean"}},
    ]
    listing["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/PaginatedDetectorList"
    }
    retrieve = copy.deepcopy(detail)
    retrieve["operationId"] = "retrieve_detector"
    retrieve["parameters"] = [p for p in retrieve["parameters"] if p["in"] != "path"] + [
        {"name": "detector_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    ]
    retrieve["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Detector"
    }
    doc["paths"]["/api/v1/detector/"] = {"get": listing}
    doc["paths"]["/api/v1/detector/{detector_id}/"] = {"get": retrieve}
    return doc


def test_a_spec_change_needs_no_edit_of_the_server(tmp_path: Path) -> None:
    spec_path = tmp_path / "openapi.json"
    spec_path.write_text(json.dumps(_changed_spec()))
    with serve(spec_path=spec_path, contract=True) as changed:
        c = httpx.Client(
            base_url=changed.base_url + "api/v1/",
            headers={"X-CLIENT-SECRET": changed.secret},
            timeout=10,
        )
        with c:
            th1 = _rows(c.get("th1/", params={"page_size": 3}))
            assert all(row["quality"] in ("GOOD", "BAD") for row in th1)
            assert all(row["rate_hz"] is None for row in th1)
            assert all(len(row["data"]) == row["x_bin"] for row in th1)  # generators still fill
            run = c.get("run/14677060/367112/").json()
            assert "ls_count" not in run and run["run_number"] == 367112
            lumi = _rows(c.get("lumisection/", params={"page_size": 2}))
            assert all(isinstance(row["th2_count"], str) for row in lumi)
            assert all(len(row["th2_count"]) <= 4 for row in lumi)
            assert run["id"] >= 1  # optional, no generator fills it: made up, as DRF sends it
            detectors = _rows(c.get("detector/"))
            assert [d["detector_id"] for d in detectors] == [1, 2, 3]
            assert all(len(d["label"]) <= 12 for d in detectors)
            assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT.*Z", d["installed_at"]) for d in detectors)
            hot = _rows(c.get("detector/", params={"hot": "true"}))
            assert hot == [d for d in detectors if d["hot"]] and hot
            assert c.get("detector/2/").json() == detectors[1]
            assert c.get("detector/9/").json() == {"detail": "No Detector matches the given query."}
        assert changed.contract_errors == [] and changed.server_errors == []


# ---------------------------------------------------------------- row tweaks


def test_row_tweaks_add_drop_and_retype(srv: DialsServer, api) -> None:
    plain = api.get("th1/14677060/367112/10/1/").json()
    srv.tweak_rows(r"/th1/", add={"quality": "GOOD"}, drop=["entries"], retype={"x_bin": "100"})
    tweaked = api.get("th1/14677060/367112/10/1/").json()
    expected = {k: v for k, v in plain.items() if k != "entries"}
    assert tweaked == {**expected, "x_bin": "100", "quality": "GOOD"}
    page = _rows(api.get("th1/", params={"page_size": 4}))
    assert all("entries" not in r and r["x_bin"] == "100" and r["quality"] == "GOOD" for r in page)
    # other routes, and non-table routes, are left alone
    assert "quality" not in _rows(api.get("th2/", params={"page_size": 1}))[0]
    srv.tweak_rows(add={"everywhere": True})
    assert _rows(api.get("mes/"))[0]["everywhere"] is True
    assert "everywhere" not in api.get("workspaces/").json()
    assert "everywhere" not in api.get("run/count/").json()
    srv.row_tweaks.clear()
    assert api.get("th1/14677060/367112/10/1/").json() == plain
    with pytest.raises(ValueError, match="needs add, drop or retype"):
        srv.tweak_rows(r"/th1/")
    with pytest.raises(TypeError, match="list of field names"):
        srv.tweak_rows(r"/th1/", drop="entries")  # type: ignore[arg-type]


def test_row_tweaks_over_the_control_route(srv: DialsServer, api) -> None:
    control = srv.base_url + "_control/row-tweaks"
    auth = {"X-CLIENT-SECRET": srv.secret}
    assert httpx.post(control, json={"drop": ["ls_count"]}).status_code == 403
    made = httpx.post(control, json={"route": "/run/", "drop": ["ls_count"]}, headers=auth)
    assert made.status_code == 200 and made.json()["drop"] == ["ls_count"]
    assert httpx.get(control, headers=auth).json()[0]["route"] == "/run/"
    assert "ls_count" not in _rows(api.get("run/"))[0]
    assert httpx.post(control, json={"route": "/run/"}, headers=auth).status_code == 400
    assert httpx.delete(control, headers=auth).status_code == 200
    assert "ls_count" in _rows(api.get("run/"))[0]


def test_v112_server_from_serve() -> None:
    with serve(api="v1.12") as srv:
        assert srv.api == "v1.12" and srv.spec is not None
        assert "ml_models_index" in srv.spec.tables
        assert srv.spec.tables["ml_models_index"].pk == ("model_id",)


def test_specs_differing_in_one_field_schema_do_not_share_data(
    tmp_path: Path, api: httpx.Client
) -> None:
    """Built databases are reused across servers of a process only for identical shapes."""
    doc = json.loads(find_spec().read_text())
    doc["components"]["schemas"]["DatasetIndex"]["properties"]["era"]["maxLength"] = 3
    spec_path = tmp_path / "openapi.json"
    spec_path.write_text(json.dumps(doc))
    with serve(spec_path=spec_path) as short:
        c = httpx.Client(
            base_url=short.base_url + "api/v1/", headers={"X-CLIENT-SECRET": short.secret}
        )
        with c:
            assert c.get("dataset-index/14677060/").json()["era"] == "Run"
    assert api.get("dataset-index/14677060/").json()["era"] == "Run2023C"
