"""Rows tolerate a server that differs from the spec: missing, added and retyped fields.

The local server sends such rows on request (``srv.tweak_rows``), and serves the
older DIALS v1.12 row shapes with ``serve(api="v1.12")``: the client generated
from current DIALS's spec must read both, logging each difference once.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest

from cmsdials import Dials
from cmsdials.adapter import api
from cmsdials.auth.secret_key import Credentials
from cmsdials.endpoints import LumisectionHistogram1DClient
from cmsdials.exceptions import DialsDecodeError
from cmsdials.filters import LumisectionHistogram1DFilters, RunFilters
from cmsdials.models import LumisectionHistogram1D, Run
from cmsdials.testing import DialsServer, serve
from cmsdials.transport import Transport

LOGGER = "cmsdials.models"


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelname == "WARNING"]


@pytest.fixture(autouse=True)
def _fresh_notes() -> Iterator[None]:
    # Differences are logged once per process; each test starts from none seen.
    from cmsdials import models

    models._noted.clear()
    yield
    models._noted.clear()


def test_a_field_the_server_leaves_out_reads_as_none(
    dials: Dials, srv: DialsServer, caplog: pytest.LogCaptureFixture
) -> None:
    srv.tweak_rows(route=r"/th1/", drop=["entries"])
    caplog.set_level(logging.WARNING, LOGGER)
    pages = list(dials.h1d.iter_pages(LumisectionHistogram1DFilters(page_size=3), max_pages=2))
    rows = [row for page in pages for row in page.results]
    assert len(rows) == 6
    for row in rows:
        assert row.entries is None
        assert "entries" not in vars(row)
        assert row.model_dump()["entries"] is None
        assert list(row.model_dump()) == list(LumisectionHistogram1D.model_fields)
    frame = pages[0].to_pandas()
    assert frame["entries"].isna().all()
    assert warnings_of(caplog) == [
        "DIALS GET /api/v1/th1/: field 'entries' is missing from the answer; it reads as None"
    ]  # once, for six rows on two pages


def test_a_field_the_server_adds_is_kept(
    dials: Dials, srv: DialsServer, caplog: pytest.LogCaptureFixture
) -> None:
    srv.tweak_rows(route=r"/run/", add={"quality": "GOOD", "tags": ["a", "b"]})
    caplog.set_level(logging.WARNING, LOGGER)
    page = dials.run.list(RunFilters(page_size=4))
    assert page.results
    for row in page.results:
        assert row.quality == "GOOD" and row.tags == ["a", "b"]
        dumped = row.model_dump()
        assert dumped["quality"] == "GOOD"
        assert list(dumped)[: len(Run.model_fields)] == list(Run.model_fields)
    frame = page.to_pandas()
    assert list(frame.columns) == [*Run.model_fields, "quality", "tags"]
    assert (frame["quality"] == "GOOD").all()
    one = dials.run.get(
        dataset_id=page.results[0].dataset_id, run_number=page.results[0].run_number
    )
    assert one.quality == "GOOD"
    detail = "GET /api/v1/run/{dataset_id}/{run_number}/"
    assert sorted(warnings_of(caplog)) == [
        "DIALS GET /api/v1/run/: field 'quality' is not in the spec; kept",
        "DIALS GET /api/v1/run/: field 'tags' is not in the spec; kept",
        f"DIALS {detail}: field 'quality' is not in the spec; kept",
        f"DIALS {detail}: field 'tags' is not in the spec; kept",
    ]


def test_a_value_of_another_type_is_kept_as_sent(
    dials: Dials, srv: DialsServer, caplog: pytest.LogCaptureFixture
) -> None:
    srv.tweak_rows(route=r"/th1/", retype={"x_bin": "100", "data": "compressed"})
    caplog.set_level(logging.WARNING, LOGGER)
    rows = dials.h1d.list(LumisectionHistogram1DFilters(page_size=2)).results
    assert [(r.x_bin, r.data) for r in rows] == [("100", "compressed")] * 2
    assert sorted(warnings_of(caplog)) == [
        "DIALS GET /api/v1/th1/: field 'data' is a str where the spec says list[float]; "
        "kept as sent",
        "DIALS GET /api/v1/th1/: field 'x_bin' is a str where the spec says int; kept as sent",
    ]


def test_an_unparsable_date_is_kept_as_sent(
    jetmet: Dials, srv: DialsServer, caplog: pytest.LogCaptureFixture
) -> None:
    srv.tweak_rows(route=r"/ml-models-index/", retype={"created_at": "yesterday"})
    caplog.set_level(logging.WARNING, LOGGER)
    models = jetmet.ml_models_index.list().results
    assert models and all(m.created_at == "yesterday" for m in models)
    assert all(m.modified_at.year >= 2020 for m in models)  # the others still parsed
    assert warnings_of(caplog) == [
        "DIALS GET /api/v1/ml-models-index/: field 'created_at' is not a date ('yesterday'); "
        "kept as sent"
    ]


def test_tolerant_rows_pickle_and_compare(dials: Dials, srv: DialsServer) -> None:
    srv.tweak_rows(route=r"/th1/", add={"quality": 1}, drop=["file_id"])
    row = dials.h1d.list(LumisectionHistogram1DFilters(page_size=1)).results[0]
    again = pickle.loads(pickle.dumps(row))
    assert type(again) is LumisectionHistogram1D
    assert again == row and vars(again) == vars(row)
    assert again.file_id is None and again.quality == 1


def _mock(answer: Any) -> Transport:
    body = orjson.dumps(answer)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    return Transport("http://dials.test/", http_transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"next": None, "previous": None, "results": [1, 2]}, "a row is not a JSON object but int"),
        ({"next": None, "previous": None, "results": {"a": 1}}, "expected a list of objects"),
        (["not", "a", "page"], "a row is not a JSON object but str"),
        ("just text", "expected a page"),
    ],
)
def test_an_answer_that_is_not_rows_is_a_decode_error(answer: Any, message: str) -> None:
    with _mock(answer) as transport:
        client = LumisectionHistogram1DClient(transport=transport)
        with pytest.raises(DialsDecodeError, match=message) as caught:
            client.list()
    assert "GET /api/v1/th1/" in str(caught.value)


# -- a DIALS v1.12 server, with the client of current DIALS -----------------

SHARED = ("h1d", "h2d", "lumi", "run", "dataset_index", "file_index")


@pytest.fixture(scope="module")
def v112() -> Iterator[DialsServer]:
    with serve(api="v1.12") as srv:
        yield srv


@pytest.mark.parametrize("group", SHARED)
def test_the_client_reads_a_v112_server_on_shared_routes(
    group: str, v112: DialsServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, LOGGER)
    with Dials(Credentials(token=v112.secret), base_url=v112.base_url) as dials:
        endpoint = getattr(dials, group)
        page = endpoint.list({"page_size": 5})
        assert page.results
        first = page.results[0]
        served = _served(v112, page.results)
        for row, sent in zip(page.results, served, strict=True):
            assert _dates_parsed(vars(row), sent)  # what was sent, dates parsed
            for name in type(row).model_fields:  # every spec field reads, sent or not
                assert name in sent or getattr(row, name) is None
        keys = {p: getattr(first, p) for p in _retrieve_keys(endpoint)}
        assert endpoint.get(**keys) == first
        if api().group(endpoint.group.route).count is not None:
            assert endpoint.count() >= len(page.results)
        frame = page.to_pandas()
        assert len(frame) == len(page.results)
    # Whatever differs is a warning naming the route, never an exception.
    assert all(m.startswith("DIALS GET /api/v1/") for m in warnings_of(caplog))


def test_the_client_reads_v112_mes(v112: DialsServer) -> None:
    with Dials(Credentials(token=v112.secret), base_url=v112.base_url) as dials:
        mes = dials.mes.list()
        assert mes and all(isinstance(m.me, str) for m in mes)
        assert dials.mes.get(me_id=mes[0].me_id) == mes[0]


def _retrieve_keys(endpoint: Any) -> list[str]:
    retrieve = api().group(endpoint.group.route).retrieve
    assert retrieve is not None
    return [p.wire for p in retrieve.path_params]


def _served(srv: DialsServer, rows: list[Any]) -> list[dict[str, Any]]:
    """The objects the server sent for these rows (the last list request's answer)."""
    request = [r for r in srv.requests if r.path.startswith("/api/v1/")][-1]
    url = srv.base_url.rstrip("/") + request.path
    query = {k: ",".join(v) for k, v in request.query.items()}
    headers = {"X-CLIENT-SECRET": srv.secret}
    answer = httpx.get(url, params=query, headers=headers, verify=False).json()
    results: list[dict[str, Any]] = answer["results"]
    assert len(results) == len(rows)
    return results


def _dates_parsed(row: dict[str, Any], sent: dict[str, Any]) -> bool:
    from dateutil.parser import isoparse

    return row.keys() == sent.keys() and all(
        row[k] == sent[k] or (isinstance(sent[k], str) and row[k] == isoparse(sent[k]))
        for k in sent
    )
