"""Filter classes: built from the spec, strict about names and types, sent as DIALS reads them."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from cmsdials import Dials
from cmsdials import filters as F
from cmsdials.filters import (
    LumisectionHistogram1DFilters,
    MLBadLumisectionFilters,
    MLModelsIndexFilters,
    OMSFilter,
    OMSPage,
    RunFilters,
)
from cmsdials.testing import DialsServer

from .helpers import api_requests, query

SPEC = json.loads((Path(__file__).parents[2] / "openapi.json").read_text())

FILTER_PATHS = {
    "DatasetIndexFilters": "/api/v1/dataset-index/",
    "FileIndexFilters": "/api/v1/file-index/",
    "LumisectionFilters": "/api/v1/lumisection/",
    "LumisectionHistogram1DFilters": "/api/v1/th1/",
    "LumisectionHistogram2DFilters": "/api/v1/th2/",
    "MEFilters": "/api/v1/mes/",
    "MLBadLumisectionFilters": "/api/v1/ml-bad-lumisection/",
    "MLModelsIndexFilters": "/api/v1/ml-models-index/",
    "RunFilters": "/api/v1/run/",
}


@pytest.mark.parametrize("name", sorted(FILTER_PATHS))
def test_filter_names_are_the_specs_query_parameters(name: str) -> None:
    parameters = SPEC["paths"][FILTER_PATHS[name]]["get"]["parameters"]
    spec_names = {p["name"] for p in parameters if p["in"] == "query"}
    assert set(getattr(F, name).model_fields) == spec_names


def test_unknown_name_names_the_closest(dials: Dials, srv: DialsServer) -> None:
    # the classic's own typo: it silently sent nothing, and DIALS ignored it
    with pytest.raises(
        TypeError, match=r"unknown filter 'ls_numbet__lte'; did you mean 'ls_number__lte'"
    ):
        dials.h1d.list(LumisectionHistogram1DFilters(ls_numbet__lte=5))
    with pytest.raises(TypeError, match=r"'run_number_gte'; did you mean 'run_number__gte'"):
        RunFilters(run_number_gte=5)
    with pytest.raises(TypeError, match="unknown filter 'colour'"):
        dials.run.list({"colour": "red"})
    assert api_requests(srv) == []


@pytest.mark.parametrize(
    ("cls", "values", "error"),
    [
        (RunFilters, {"run_number": "abc"}, ValueError),
        (RunFilters, {"run_number": True}, TypeError),
        (RunFilters, {"run_number": 3.5}, ValueError),
        (RunFilters, {"dataset": 5}, TypeError),
        (RunFilters, {"page_size": [500]}, TypeError),
        (MLBadLumisectionFilters, {"model_id__in": 20}, TypeError),
        (MLBadLumisectionFilters, {"model_id__in": "20,19"}, TypeError),
        (MLBadLumisectionFilters, {"model_id__in": [20, "x"]}, ValueError),
        (MLModelsIndexFilters, {"active": "maybe"}, ValueError),
        (LumisectionHistogram1DFilters, {"fields": "run_number"}, TypeError),
    ],
)
def test_wrong_types_raise_before_any_request(
    srv: DialsServer, cls: type[F.Filters], values: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error, match=next(iter(values))):
        cls(**values)
    assert api_requests(srv) == []


def test_lax_values_as_pydantic_read_them() -> None:
    filters = RunFilters(run_number__gte="360392", page_size=500.0, dataset_id=None)
    assert filters.run_number__gte == 360392 and filters.page_size == 500
    assert filters.dataset_id is None
    assert MLModelsIndexFilters(active="true").active is True
    assert MLBadLumisectionFilters(model_id__in=(20, "19")).model_id__in == [20, 19]


def test_in_filters_are_sent_comma_joined(jetmet: Dials, srv: DialsServer) -> None:
    both = jetmet.ml_bad_lumis.list_all(
        MLBadLumisectionFilters(model_id__in=[20, 19], page_size=500), enable_progress=False
    )
    stored = query(
        srv.db("jetmet"),
        "SELECT model_id, count(*) FROM ml_bad_lumisection WHERE model_id IN (20, 19) GROUP BY 1",
    )
    counts: dict[int, int] = {}
    for row in both.results:
        counts[row.model_id] = counts.get(row.model_id, 0) + 1
    assert counts == dict(stored) and set(counts) == {19, 20}  # both models, not the last one only
    assert api_requests(srv)[0].query["model_id__in"] == ["20,19"]


def test_attribute_access_and_dumps() -> None:
    filters = LumisectionHistogram1DFilters(me__regex="PXBarrel", run_number__gte=360392)
    assert filters.me__regex == "PXBarrel" and filters.me is None
    filters.page_size = 500
    assert filters.model_dump(exclude_none=True) == {
        "me__regex": "PXBarrel",
        "run_number__gte": 360392,
        "page_size": 500,
    }
    assert set(filters.model_dump()) == set(LumisectionHistogram1DFilters.model_fields)
    assert MLBadLumisectionFilters(model_id__in=[20, 19]).cleandict() == {"model_id__in": "20,19"}
    with pytest.raises(AttributeError, match="did you mean 'me__regex'"):
        _ = filters.me_regex
    with pytest.raises(ValueError, match="page_size expects an int"):
        filters.page_size = "many"
    with pytest.raises(TypeError, match="unknown filter"):
        filters.pagesize = 3
    assert pickle.loads(pickle.dumps(filters)) == filters
    assert filters.replace(page_size=None).page_size is None
    assert "me__regex='PXBarrel'" in repr(filters)
    with pytest.raises(TypeError, match="base class"):
        F.Filters(me="x")


def test_filters_of_another_class_are_checked_against_the_route(
    dials: Dials, srv: DialsServer
) -> None:
    from cmsdials.filters import LumisectionFilters

    page = dials.run.list(LumisectionFilters(run_number=360392))  # run has run_number too
    assert [r.run_number for r in page.results] == [360392] * len(page.results)
    with pytest.raises(TypeError, match="unknown filter 'ls_number'"):
        dials.run.list(LumisectionFilters(ls_number=3))
    with pytest.raises(TypeError, match="filters must be"):
        dials.run.list(42)  # type: ignore[arg-type]


def test_oms_filters_and_query(dials: Dials, srv: DialsServer) -> None:
    with pytest.raises(ValueError, match="did you mean 'EQ'"):
        OMSFilter(attribute_name="run_number", value=1, operator="eq")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        OMSFilter(attribute_name="run_number", value=[1], operator="EQ")  # type: ignore[arg-type]
    answer = dials.oms.query(
        "runs",
        filters=[OMSFilter(attribute_name="run_number", value=379000, operator="GE")],
        pages=[OMSPage(attribute_name="limit", value=3)],
    )
    runs = [item["attributes"]["run_number"] for item in answer["data"]]
    assert len(runs) == 3 and all(r >= 379000 for r in runs)
    sent = api_requests(srv)[0]
    assert sent.query["filter[run_number][GE]"] == ["379000"]
    assert sent.query["page[limit]"] == ["3"] and sent.query["endpoint"] == ["runs"]
    lumis = dials.oms.query(
        "lumisections", [OMSFilter(attribute_name="run_number", value=runs[0], operator="EQ")]
    )
    assert {item["attributes"]["run_number"] for item in lumis["data"]} == {runs[0]}
