"""The public API of the classic cmsdials 2.4.1 (October 2026), called as its users call it.

Every call here is written as code for 2.4.1 is (its client classes, filter names and
keywords), against the local DIALS serving the current API; the expected values come
from the server's own tables. Authentication is tested in tests/auth.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from urllib3.util import Retry

from cmsdials import Dials
from cmsdials.clients.ml_models_index.models import MLModelsIndex, MLModelsIndexFilters
from cmsdials.filters import (
    FileIndexFilters,
    LumisectionHistogram1DFilters,
    MLBadLumisectionFilters,
    RunFilters,
)
from cmsdials.testing import DialsServer

from .helpers import api_requests, query


@pytest.fixture
def jetmet_241(srv: DialsServer, creds: Any) -> Dials:
    # 2.4.1's Dials(creds, workspace, *args, **kwargs): base_url as a keyword.
    return Dials(creds, "jetmet", base_url=srv.base_url)


def test_ml_models_by_name_and_readiness(jetmet_241: Dials, srv: DialsServer) -> None:
    name = "jetmet_met_autoencoder"
    page = jetmet_241.ml_models_index.list(MLModelsIndexFilters(name=name, ready=True))
    stored = query(
        srv.db("jetmet"),
        "SELECT id, revision, type FROM ml_models_index WHERE name = ? AND ready = 1 ORDER BY id",
        name,
    )
    assert [(m.id, m.revision, m.type) for m in page.results] == [tuple(r) for r in stored]
    newest = max(page.results, key=lambda m: m.revision)
    assert isinstance(newest, MLModelsIndex) and newest.name == name
    assert isinstance(newest.created_at, datetime) and isinstance(newest.input_signature, list)
    assert jetmet_241.ml_models_index.get(model_id=newest.id) == newest
    everything = jetmet_241.ml_models_index.list_all(
        MLModelsIndexFilters(name__regex="autoencoder$", active=True), enable_progress=False
    )
    assert {m.id for m in everything.results} == {19, 20}  # the README's active models
    assert api_requests(srv)[0].query == {"name": [name], "ready": ["true"]}


def test_ml_models_filtered_by_monitoring_element(jetmet_241: Dials, srv: DialsServer) -> None:
    me = "JetMET/MET/pfMETT1/Cleaned/MET"
    page = jetmet_241.ml_models_index.list_all(
        MLModelsIndexFilters(input_signature_contains_me=me), enable_progress=False
    )
    assert page.results
    assert all(any(s.get("me") == me for s in m.input_signature) for m in page.results)
    stored = [
        json.loads(text)
        for (text,) in query(srv.db("jetmet"), "SELECT input_signature FROM ml_models_index")
    ]
    assert len(page.results) == sum(any(s.get("me") == me for s in sig) for sig in stored)


def test_ml_bad_lumisection_by_four_keys_and_its_metric(
    jetmet_241: Dials, srv: DialsServer
) -> None:
    row = jetmet_241.ml_bad_lumis.get(
        model_id=19, dataset_id=15102369, run_number=386951, ls_number=36
    )
    (metric,) = query(
        srv.db("jetmet"),
        "SELECT metric_value FROM ml_bad_lumisection WHERE model_id = 19 AND dataset_id = 15102369"
        " AND run_number = 386951 AND ls_number = 36",
    )[0]
    assert row.metric_value == metric
    flagged = jetmet_241.ml_bad_lumis.list_all(
        MLBadLumisectionFilters(
            model_id__in=[20, 19], dataset_id__in=[15042670], run_number__in=[385801, 385799]
        ),
        enable_progress=False,
        retries=Retry(total=3, backoff_factor=0.1),
    )
    assert flagged.results and {r.model_id for r in flagged.results} <= {19, 20}
    assert all(isinstance(r.metric_value, float) for r in flagged.results)


def test_cert_and_golden_json_are_posts(jetmet_241: Dials, srv: DialsServer) -> None:
    selection = {
        "model_id__in": [20, 19],
        "dataset_id__in": [15042670],
        "run_number__in": [385801, 385799, 385764],
    }
    cert = jetmet_241.ml_bad_lumis.cert_json(**selection)
    golden = jetmet_241.ml_bad_lumis.golden_json(
        model_id__in=[20, 19], dataset_id__in=[15042670], run_number__in=[385801, 385799, 385764]
    )
    assert set(cert) == {"385764", "385799", "385801"} and set(golden) <= set(cert)
    posts = api_requests(srv)
    assert [(r.method, r.path) for r in posts] == [
        ("POST", "/api/v1/ml-bad-lumisection/cert-json/"),
        ("POST", "/api/v1/ml-bad-lumisection/golden-json/"),
    ]
    assert all(json.loads(r.body) == selection for r in posts)


def test_workspaces(srv: DialsServer, creds: Any) -> None:
    dials = Dials(creds, base_url=srv.base_url)
    assert dials.workspace.list() == {"workspaces": srv.workspaces}
    assert dials.workspace.my_workspace() == {"workspace": "tracker"}
    assert [r.path for r in api_requests(srv)] == [
        "/api/v1/workspaces/",
        "/api/v1/workspaces/my-default/",
    ]


def test_runs_files_and_histograms(srv: DialsServer, creds: Any) -> None:
    dials = Dials(creds, base_url=srv.base_url)
    run = dials.run.get(14677060, 367112)  # 2.4.1's get(dataset_id, run_number)
    (completeness,) = query(
        srv.db("tracker"),
        "SELECT ls_completeness FROM run WHERE dataset_id = 14677060 AND run_number = 367112",
    )[0]
    assert run.ls_completeness == completeness
    runs = dials.run.list_all(RunFilters(run_number__gte=360392, page_size=5), max_pages=2)
    assert runs.results and all(hasattr(r, "ls_completeness") for r in runs.results)
    files = dials.file_index.list(FileIndexFilters(dataset_id=14677060, page_size=3))
    assert files.results and all(f.dataset_id == 14677060 for f in files.results)
    assert all("err_trace" in f.model_dump() for f in files.results)
    histos = dials.h1d.list_all(
        LumisectionHistogram1DFilters(
            dataset_id=14677060,
            run_number=367112,
            me="PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2",
        ),
        max_pages=1,
        enable_progress=False,
        keep_failed=True,
    )
    assert histos.exc_type is None and histos.results
    assert dials.lumi.get(14677060, 367112, 10).ls_number == 10
    assert dials.mes.get(id=1).me_id == 1  # 2.4.1 spells the key `id`
