"""Contract mode: requests that do not conform to openapi.json are recorded (and fail tests)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import httpx

from cmsdials.testing import DialsServer


def _new_errors(srv: DialsServer, before: int) -> list[str]:
    return srv.contract_errors[before:]


def test_conforming_requests_leave_no_errors(srv: DialsServer, api, jetmet) -> None:
    before = len(srv.contract_errors)
    api.get("th1/", params={"me": "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2", "page_size": 5})
    api.get("th1/14677060/367112/10/1/")
    api.get("file-index/count/", params={"dataset__regex": "2024B"})
    jetmet.get("ml-bad-lumisection/", params={"model_id__in": "20,19", "page_size": 500})
    jetmet.post(
        "ml-bad-lumisection/cert-json/",
        json={"model_id__in": [19], "dataset_id__in": [15102369], "run_number__in": [386951]},
    )
    jetmet.get("ml-models-index/", params={"name__regex": "autoencoder$", "ready": "true"})
    jetmet.get("ml-bad-lumisection/19/15102369/386951/36/")
    api.get("workspaces/my-default/")
    api.get("oms-proxy/", params={"endpoint": "runs", "filter[run_number][EQ]": "385801"})
    token = srv.issue_token()["access_token"]
    httpx.get(srv.base_url + "api/v1/run/", headers={"Authorization": f"Bearer {token}"})
    assert _new_errors(srv, before) == []


def test_violations_are_recorded(srv: DialsServer, api) -> None:
    before = len(srv.contract_errors)
    api.get("th1/", params={"run_number": "abc"})  # not an integer
    api.get("th1", params={"page_size": 1})  # no trailing slash: not a route of the spec
    api.get("ml-bad-lumisection/cert-json/")  # GET is not in the spec (v1.12's was)
    httpx.get(srv.base_url + "api/v1/run/")  # no credential
    api.get("run/", params={"dataset_id__in": ["1", "2"]})  # repeated explode=false key
    errors = _new_errors(srv, before)
    assert len(errors) == 5, errors
    assert "run_number" in errors[0]
    assert "/api/v1/th1?" in errors[1]
    assert "operation get not found" in errors[2].lower()
    assert "Security" in errors[3]
    assert "dataset_id__in" in errors[4]


def test_control_routes_are_exempt(srv: DialsServer) -> None:
    before = len(srv.contract_errors)
    httpx.get(srv.base_url + "_control/faults", headers={"X-CLIENT-SECRET": srv.secret})
    assert _new_errors(srv, before) == []


def test_plugin_fails_the_test_that_sent_a_bad_request(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["cmsdials.testing.pytest_plugin"]\n')
    (tmp_path / "test_uses_plugin.py").write_text(
        textwrap.dedent(
            """
            import httpx
            import pytest

            def test_good(dials_server, dials_base_url, dials_secret):
                r = httpx.get(dials_base_url + "api/v1/run/",
                              headers={"X-CLIENT-SECRET": dials_secret})
                assert r.status_code == 200

            def test_bad(dials_base_url, dials_secret):
                httpx.get(dials_base_url + "api/v1/ml-bad-lumisection/",
                          params=[("model_id__in", "1"), ("model_id__in", "2")],
                          headers={"X-CLIENT-SECRET": dials_secret})

            def test_good_again(dials_base_url, dials_secret):
                r = httpx.get(dials_base_url + "api/v1/mes/",
                              headers={"X-CLIENT-SECRET": dials_secret})
                assert r.status_code == 200

            @pytest.fixture(scope="module")
            def module_client(dials_server):
                with httpx.Client(base_url=dials_server.base_url) as c:
                    yield c

            def test_bad_through_a_module_fixture(module_client):
                module_client.get("api/v1/run/")  # no credential: not what the spec allows
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
    assert result.returncode == 1, result.stdout + result.stderr
    # the errors are the teardowns of the two tests that sent a bad request
    assert "4 passed, 2 errors" in result.stdout, result.stdout
    assert "ERROR at teardown of test_bad " in result.stdout
    assert "ERROR at teardown of test_bad_through_a_module_fixture" in result.stdout
    assert "model_id__in" in result.stdout
