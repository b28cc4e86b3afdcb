"""The real classic client, cmsdials 2.4.1 (written against production), runs on the local DIALS.

Its calls of the current API (ML models by name and readiness, the 4-key bad lumisection,
cert-json/golden-json as POST, workspaces/, ls_completeness, the file index's dataset_id)
must run unchanged and conform to ``openapi.json``: that is the evidence the current
spec was reconstructed from, so the local server and the spec agree with it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cmsdials.testing import DialsServer

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
from cmsdials import Dials
from cmsdials.auth.secret_key import Credentials
from cmsdials.filters import (
    FileIndexFilters, LumisectionHistogram1DFilters, MLBadLumisectionFilters,
    MLModelsIndexFilters, RunFilters,
)

base_url, secret = sys.argv[1], sys.argv[2]
creds = Credentials(token=secret)
jet = Dials(creds, workspace="jetmet", base_url=base_url)
trk = Dials(creds, workspace="tracker", base_url=base_url)
out = {}
out["by_name"] = [
    [m.id, m.revision, m.ready]
    for m in jet.ml_models_index.list_all(
        MLModelsIndexFilters(name="jetmet_jet_pt_autoencoder", ready=True)
    ).results
]
active = jet.ml_models_index.list_all(MLModelsIndexFilters(active=True))
out["active"] = [m.id for m in active.results]
out["tagged"] = [
    m.id
    for m in jet.ml_models_index.list_all(
        MLModelsIndexFilters(tag_value="production", input_signature_contains_me__regex="MET$")
    ).results
]
model = jet.ml_models_index.get(model_id=19)
out["model"] = [model.id, model.name, model.revision, model.type, model.input_signature[0]["me"]]
bad = jet.ml_bad_lumis.get(model_id=19, dataset_id=15102369, run_number=386951, ls_number=36)
out["bad"] = [bad.model_id, bad.ls_number, bad.metric_value]
out["bad_list"] = len(jet.ml_bad_lumis.list_all(MLBadLumisectionFilters(
    model_id__in=[20, 19], dataset_id__in=[15042670], run_number__in=[385801, 385799, 385764],
)).results)
args = dict(
    model_id__in=[20, 19], dataset_id__in=[15042670], run_number__in=[385801, 385799, 385764]
)
out["cert"] = jet.ml_bad_lumis.cert_json(**args)
out["golden"] = jet.ml_bad_lumis.golden_json(**args)
out["workspaces"] = jet.workspace.list()
out["mine"] = jet.workspace.my_workspace()
out["runs"] = [
    [r.run_number, r.ls_completeness]
    for r in trk.run.list_all(RunFilters(dataset_id=14412045)).results
]
out["files"] = sorted({f.dataset_id for f in trk.file_index.list_all(
    FileIndexFilters(dataset_id=14677060)).results})
out["err_trace"] = trk.file_index.get(dataset_id=14677060, file_id=3393809397).err_trace
out["h1d"] = trk.h1d.get(dataset_id=14677060, run_number=367112, ls_number=10, me_id=1).entries
out["h1d_rows"] = len(trk.h1d.list_all(LumisectionHistogram1DFilters(
    me="PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2", page_size=500), max_pages=2).results)
out["frame"] = list(trk.h1d.list(LumisectionHistogram1DFilters(page_size=5)).to_pandas().shape)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def classic241_python() -> str:
    """A Python with the real cmsdials 2.4.1: ``$CMSDIALS_CLASSIC241_PYTHON``, else the bench's
    venv of it (``bench/.venvs``, created from PyPI on first use and reused)."""
    given = os.environ.get("CMSDIALS_CLASSIC241_PYTHON")
    if given:
        return given
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench import envs

    log = ROOT / "bench" / "results" / "tmp" / "classic-env.log"
    try:
        env = envs.ensure(envs.classic_env("classic"), log)
    except envs.EnvError as exc:  # no package index reachable
        pytest.skip(f"cannot install cmsdials==2.4.1: {exc}")
    return str(env.python)


def test_classic_241_runs_unchanged(
    srv: DialsServer, classic241_python: str, tmp_path: Path
) -> None:
    before = len(srv.contract_errors)
    done = subprocess.run(
        [classic241_python, "-c", SCRIPT, srv.base_url, srv.secret],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,  # not the repository, whose cmsdials would shadow the classic
    )
    assert done.returncode == 0, done.stderr
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert srv.contract_errors[before:] == []
    assert out["by_name"] == [[1, 1, True], [5, 2, True], [9, 3, True], [13, 4, True],
                              [17, 5, True], [19, 6, True]]  # fmt: skip
    assert out["active"] == [19, 20] and out["tagged"] == [20]
    assert out["model"] == [
        19,
        "jetmet_jet_pt_autoencoder",
        6,
        "autoencoder",
        "JetMET/Jet/Cleanedak4PFJetsCHS/Pt",
    ]
    assert out["bad"][:2] == [19, 36] and out["bad"][2] > 0
    with srv.db("jetmet") as db:
        (n,) = db.execute(
            "SELECT COUNT(*) FROM ml_bad_lumisection WHERE model_id IN (19, 20) "
            "AND dataset_id = 15042670 AND run_number IN (385801, 385799, 385764)"
        ).fetchone()
    assert out["bad_list"] == n > 0
    assert set(out["cert"]) == set(out["golden"]) == {"385801", "385799", "385764"}
    assert out["cert"]["385801"]["12"][0]["model_id"] == 20
    assert out["workspaces"] == {"workspaces": ["csc", "ecal", "hcal", "jetmet", "tracker"]}
    assert out["mine"] == {"workspace": "tracker"}
    assert len(out["runs"]) == 8 and all(0 < c <= 1 for _, c in out["runs"])
    assert out["files"] == [14677060] and out["err_trace"] is None
    assert out["h1d"] > 0 and out["h1d_rows"] == 1000 and out["frame"] == [5, 12]
