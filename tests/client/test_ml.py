"""ML endpoints: cert_json / golden_json against values computed from the tables, and get."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from cmsdials import Dials
from cmsdials.exceptions import NotFoundError
from cmsdials.filters import MLModelsIndexFilters
from cmsdials.models import MLBadLumisection, MLModelsIndex
from cmsdials.testing import DialsServer

from .helpers import api_requests, query

SELECTION: dict[str, list[int]] = {
    "model_id__in": [20, 19],
    "dataset_id__in": [15042670],
    "run_number__in": [385801, 385799, 385764, 385836],
}


def bad_rows(srv: DialsServer) -> list[dict[str, Any]]:
    marks = ",".join("?" * len(SELECTION["run_number__in"]))
    sql = (
        "SELECT b.run_number, b.ls_number, b.model_id, b.me_id, b.metric_value AS mse, "
        "m.name AS filename, b.me "
        "FROM ml_bad_lumisection b JOIN ml_models_index m ON m.id = b.model_id "
        f"WHERE b.model_id IN (20, 19) AND b.dataset_id = 15042670 AND b.run_number IN ({marks})"
    )
    cursor = srv.db("jetmet").execute(sql, SELECTION["run_number__in"])
    return [dict(row) for row in cursor]


def runs_and_lumis(srv: DialsServer) -> dict[int, list[int]]:
    marks = ",".join("?" * len(SELECTION["run_number__in"]))
    rows = query(
        srv.db("jetmet"),
        "SELECT run_number, ls_number FROM lumisection WHERE dataset_id = 15042670 "
        f"AND run_number IN ({marks}) ORDER BY 1, 2",
        *SELECTION["run_number__in"],
    )
    out: dict[int, list[int]] = {}
    for run, ls in rows:
        out.setdefault(run, []).append(ls)
    return out


def ranges(numbers: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for n in numbers:
        if out and out[-1][1] == n - 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return out


def test_cert_json(jetmet: Dials, srv: DialsServer) -> None:
    expected: dict[str, dict[str, list[dict[str, Any]]]] = {
        str(run): {} for run in runs_and_lumis(srv)
    }
    for row in bad_rows(srv):
        entry = {k: row[k] for k in ("model_id", "me_id", "filename", "me", "mse")}
        expected[str(row["run_number"])].setdefault(str(row["ls_number"]), []).append(entry)
    assert sum(len(v) for v in expected.values()) > 20

    got = jetmet.ml_bad_lumis.cert_json(**SELECTION)
    assert isinstance(got, dict)
    (sent,) = api_requests(srv)  # current DIALS: a POST with a JSON body, no query
    assert (sent.method, sent.path, sent.query) == (
        "POST",
        "/api/v1/ml-bad-lumisection/cert-json/",
        {},
    )
    assert json.loads(sent.body) == SELECTION
    by_model = {
        run: {ls: sorted(e, key=lambda x: x["model_id"]) for ls, e in lss.items()}
        for run, lss in got.items()
    }
    assert by_model == {
        run: {ls: sorted(e, key=lambda x: x["model_id"]) for ls, e in lss.items()}
        for run, lss in expected.items()
    }


def test_golden_json(jetmet: Dials, srv: DialsServer) -> None:
    bad: dict[int, set[int]] = {}
    for row in bad_rows(srv):
        bad.setdefault(row["run_number"], set()).add(row["ls_number"])
    expected = {
        str(run): ranges([ls for ls in lumis if ls not in bad.get(run, set())])
        for run, lumis in runs_and_lumis(srv).items()
    }
    expected = {run: r for run, r in expected.items() if r}
    assert jetmet.ml_bad_lumis.golden_json(**SELECTION) == expected


def test_cert_json_arguments_are_checked_first(jetmet: Dials, srv: DialsServer) -> None:
    with pytest.raises(TypeError, match="missing required run_number__in"):
        jetmet.ml_bad_lumis.cert_json(model_id__in=[20], dataset_id__in=[1])
    with pytest.raises(TypeError, match="expects a list of int"):
        jetmet.ml_bad_lumis.golden_json(model_id__in=20, dataset_id__in=[1], run_number__in=[1])
    with pytest.raises(TypeError, match="did you mean 'model_id__in'"):
        jetmet.ml_bad_lumis.cert_json(model_id_in=[20], dataset_id__in=[1], run_number__in=[1])
    assert api_requests(srv) == []


def test_ml_models_index_get_and_call(jetmet: Dials, srv: DialsServer) -> None:
    model = jetmet.ml_models_index(model_id=1)  # the README's spelling of the key
    stored = dict(srv.db("jetmet").execute("SELECT * FROM ml_models_index WHERE id = 1").fetchone())
    assert isinstance(model, MLModelsIndex)
    assert (model.id, model.name, model.revision, model.ready, model.type) == (
        1,
        stored["name"],
        stored["revision"],
        bool(stored["ready"]),
        stored["type"],
    )
    # `type` arrives under its wire name (the generator's keyword is type_), and
    # list-of-object fields as plain lists of dicts.
    assert "type" in model.model_dump() and not hasattr(model, "type_")
    assert isinstance(model.input_signature, list)
    assert all(type(item) is dict for item in model.input_signature)
    assert model.input_signature == json.loads(stored["input_signature"])
    assert isinstance(model.created_at, datetime)
    assert jetmet.ml_models_index.get(1) == model


def test_ml_models_index_current_filters(jetmet: Dials, srv: DialsServer) -> None:
    stored = [
        dict(row)
        for row in srv.db("jetmet").execute(
            "SELECT id, name, ready FROM ml_models_index WHERE ready = 1 ORDER BY id"
        )
    ]
    assert stored
    name = stored[0]["name"]
    page = jetmet.ml_models_index.list_all(MLModelsIndexFilters(name=name, ready=True))
    assert [m.id for m in page.results] == [r["id"] for r in stored if r["name"] == name]
    frame = page.to_pandas()
    assert "type" in frame.columns and "type_" not in frame.columns


def test_ml_bad_lumisection_get_by_four_keys(jetmet: Dials, srv: DialsServer) -> None:
    # Current DIALS names a flagged lumisection by four keys (the classic README's call).
    row = jetmet.ml_bad_lumisection(
        model_id=19, dataset_id=15102369, run_number=386951, ls_number=36
    )
    stored = dict(
        srv.db("jetmet")
        .execute(
            "SELECT * FROM ml_bad_lumisection WHERE model_id = 19 AND dataset_id = 15102369 "
            "AND run_number = 386951 AND ls_number = 36"
        )
        .fetchone()
    )
    assert isinstance(row, MLBadLumisection)
    assert row.metric_value == stored["metric_value"]
    assert row == jetmet.ml_bad_lumis.get(19, 15102369, 386951, 36)
    with pytest.raises(NotFoundError, match="No MLBadLumisection matches"):
        jetmet.ml_bad_lumis.get(model_id=19, dataset_id=15102369, run_number=386951, ls_number=9999)
    with pytest.raises(TypeError, match="missing ls_number"):
        jetmet.ml_bad_lumis.get(model_id=19, dataset_id=15102369, run_number=386951)
    path = api_requests(srv)[0].path
    assert path == "/api/v1/ml-bad-lumisection/19/15102369/386951/36/"
