"""Every sub-client's get / list / list_all / count, checked against the server's SQLite.

Expected rows are computed here from the workspace tables (``srv.db``) with
Python predicates (regexes with ``re.search``, as PostgreSQL's ``~``), ordered
by the table's primary key as DIALS orders them; each row the client returns
is compared with the JSON the server stores for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
import pytest
from dateutil.parser import isoparse

from cmsdials import Dials
from cmsdials.adapter import MissingOperationError, api
from cmsdials.exceptions import NotFoundError
from cmsdials.filters import Filters, query_params
from cmsdials.models import DialsModel
from cmsdials.pagination import Page
from cmsdials.testing import DialsServer

from .helpers import api_requests

PRIMARY_KEYS = {
    "dataset_index": ("dataset_id",),
    "file_index": ("dataset_id", "file_id"),
    "run": ("dataset_id", "run_number"),
    "lumisection": ("dataset_id", "run_number", "ls_number"),
    "th1": ("dataset_id", "run_number", "ls_number", "me_id"),
    "th2": ("dataset_id", "run_number", "ls_number", "me_id"),
    "mes": ("me_id",),
    "ml_models_index": ("id",),
    "ml_bad_lumisection": ("model_id", "dataset_id", "run_number", "ls_number"),
}
#: table → retrieve key → column, where the route names a key after something else.
KEY_COLUMNS = {"ml_models_index": {"model_id": "id"}}
#: Dials attribute → table.
TABLES = {
    "dataset_index": "dataset_index",
    "file_index": "file_index",
    "run": "run",
    "lumi": "lumisection",
    "h1d": "th1",
    "h2d": "th2",
    "mes": "mes",
    "ml_models_index": "ml_models_index",
    "ml_bad_lumis": "ml_bad_lumisection",
}

Row = dict[str, Any]


def table_rows(srv: DialsServer, workspace: str, table: str) -> list[Row]:
    keys = PRIMARY_KEYS[table]
    sql = f"SELECT * FROM {table} ORDER BY {', '.join(keys)}"
    return [dict(row) for row in srv.db(workspace).execute(sql)]


def key_of(row: Any, table: str) -> tuple[Any, ...]:
    get = row.get if isinstance(row, dict) else row.__getattribute__
    return tuple(get(k) for k in PRIMARY_KEYS[table])


def assert_same_row(row: DialsModel, stored: Row) -> None:
    """The client's row equals the JSON the server stores for it, field by field."""
    served = orjson.loads(stored["json"])
    dumped = row.model_dump()
    assert set(dumped) == set(type(row).model_fields) | set(served)
    for name, value in served.items():
        if isinstance(dumped[name], datetime):
            assert dumped[name] == isoparse(value), name
        else:
            assert dumped[name] == value, name
        assert getattr(row, name) == dumped[name]


def regex(column: str, pattern: str) -> Callable[[Row], bool]:
    compiled = re.compile(pattern)
    return lambda r: r[column] is not None and compiled.search(r[column]) is not None


def between(column: str, low: int | None = None, high: int | None = None) -> Callable[[Row], bool]:
    return lambda r: (low is None or r[column] >= low) and (high is None or r[column] <= high)


def all_of(*predicates: Callable[[Row], bool]) -> Callable[[Row], bool]:
    return lambda r: all(p(r) for p in predicates)


def eq(column: str, value: Any) -> Callable[[Row], bool]:
    return lambda r: r[column] == value


def isin(column: str, values: list[Any]) -> Callable[[Row], bool]:
    return lambda r: r[column] in values


CASES: list[tuple[str, str, dict[str, Any], Callable[[Row], bool]]] = [
    ("dataset_index", "tracker", {}, lambda r: True),
    ("dataset_index", "tracker", {"dataset__regex": "Run2024"}, regex("dataset", "Run2024")),
    (
        "dataset_index",
        "tracker",
        {"dataset": "/ZeroBias/Run2023C-PromptReco-v1/DQMIO"},
        eq("dataset", "/ZeroBias/Run2023C-PromptReco-v1/DQMIO"),
    ),
    ("file_index", "tracker", {"dataset__regex": "2024B"}, regex("dataset", "2024B")),
    (
        "file_index",
        "tracker",
        {"logical_file_name__regex": "/000/360/4", "status": "FINISHED"},
        all_of(regex("logical_file_name", "/000/360/4"), eq("status", "FINISHED")),
    ),
    ("file_index", "tracker", {"min_size": 50_000_000}, between("file_size", 50_000_000)),
    (
        "h1d",
        "tracker",
        {"me": "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"},
        eq("me", "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"),
    ),
    (
        "h1d",
        "tracker",
        {"me__regex": "PXBarrel", "run_number__gte": 367000, "ls_number__lte": 20},
        all_of(
            regex("me", "PXBarrel"), between("run_number", 367000), between("ls_number", None, 20)
        ),
    ),
    (
        "h1d",
        "tracker",
        {"dataset_id": 14677060, "run_number": 367112, "entries__gte": 1000},
        all_of(eq("dataset_id", 14677060), eq("run_number", 367112), between("entries", 1000)),
    ),
    (
        "h1d",
        "tracker",
        {"me_id": 96, "ls_number__gte": 30, "logical_file_name__regex": "Run2023C"},
        all_of(eq("me_id", 96), between("ls_number", 30), regex("logical_file_name", "Run2023C")),
    ),
    (
        "h2d",
        "tracker",
        {"me__regex": "PXBarrel", "ls_number": 78, "entries__gte": 100},
        all_of(regex("me", "PXBarrel"), eq("ls_number", 78), between("entries", 100)),
    ),
    (
        "h2d",
        "tracker",
        {"me__regex": "EE +", "run_number__lte": 362000},
        all_of(regex("me", "EE +"), between("run_number", None, 362000)),
    ),
    ("lumi", "tracker", {"run_number": 360392}, eq("run_number", 360392)),
    (
        "lumi",
        "tracker",
        {"run_number__gte": 360392, "run_number__lte": 365000, "dataset__regex": "ZeroBias"},
        all_of(between("run_number", 360392, 365000), regex("dataset", "ZeroBias")),
    ),
    (
        "lumi",
        "tracker",
        {"dataset_id": 14677060, "ls_number__gte": 10, "ls_number__lte": 20},
        all_of(eq("dataset_id", 14677060), between("ls_number", 10, 20)),
    ),
    (
        "run",
        "tracker",
        {"run_number__gte": 360392, "run_number__lte": 365000},
        between("run_number", 360392, 365000),
    ),
    ("run", "tracker", {"dataset_id": 14677060}, eq("dataset_id", 14677060)),
    (
        "run",
        "tracker",
        {"dataset_id__in": [15003215, 14677060]},
        isin("dataset_id", [15003215, 14677060]),
    ),
    ("ml_models_index", "jetmet", {"active": True}, eq("active", 1)),
    ("ml_models_index", "jetmet", {"id__in": [20, 19]}, isin("id", [20, 19])),
    (
        "ml_models_index",
        "jetmet",
        {"name__regex": "_met_", "ready": True, "type": "autoencoder"},
        all_of(regex("name", "_met_"), eq("ready", 1), eq("type", "autoencoder")),
    ),
    (
        "ml_bad_lumis",
        "jetmet",
        {
            "model_id__in": [20, 19],
            "dataset_id__in": [15042670],
            "run_number__in": [385801, 385799, 385764],
        },
        all_of(
            isin("model_id", [20, 19]),
            isin("dataset_id", [15042670]),
            isin("run_number", [385801, 385799, 385764]),
        ),
    ),
    (
        "ml_bad_lumis",
        "jetmet",
        {"me__regex": "Pt$", "ls_number": 36},
        all_of(regex("me", "Pt$"), eq("ls_number", 36)),
    ),
    (
        "ml_bad_lumis",
        "jetmet",
        {"model_id": 5, "dataset__regex": "2024I", "me_id": 1},
        all_of(eq("model_id", 5), regex("dataset", "2024I"), eq("me_id", 1)),
    ),
]


def case_id(case: tuple[str, str, dict[str, Any], Any]) -> str:
    return f"{case[0]}-{'-'.join(case[2]) or 'all'}"


@pytest.fixture
def client_for(srv: DialsServer, dials: Dials, jetmet: Dials) -> Callable[[str], Dials]:
    return lambda workspace: jetmet if workspace == "jetmet" else dials


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_list_all_matches_the_table(
    case: tuple[str, str, dict[str, Any], Callable[[Row], bool]],
    srv: DialsServer,
    client_for: Callable[[str], Dials],
) -> None:
    group, workspace, filters, keep = case
    table = TABLES[group]
    expected = [r for r in table_rows(srv, workspace, table) if keep(r)]
    assert expected, "the case must select rows"
    endpoint = getattr(client_for(workspace), group)
    page_size = max(1, -(-len(expected) // 3))  # about three pages
    filter_class: type[Filters] = endpoint.filters_class

    everything = endpoint.list_all(
        filter_class(**filters, page_size=page_size), enable_progress=False
    )

    assert isinstance(everything, Page)
    assert [key_of(r, table) for r in everything.results] == [key_of(r, table) for r in expected]
    for row, stored in zip(everything.results, expected, strict=True):
        assert isinstance(row, endpoint.model)
        assert_same_row(row, stored)
    assert everything.next is None and everything.exc_type is None
    pages = -(-len(expected) // page_size)  # DRF's cursor looks ahead: no empty last page
    assert len(api_requests(srv)) == pages

    first = endpoint.list(filter_class(**filters, page_size=page_size))
    assert [key_of(r, table) for r in first.results] == [
        key_of(r, table) for r in expected[:page_size]
    ]
    assert (first.next is None) == (len(expected) <= page_size)

    count_op = api().group(endpoint.group.route).count
    if count_op is not None:
        if set(filters) <= set(query_params(count_op).by_wire):
            assert endpoint.count(filter_class(**filters)) == len(expected)
        else:  # the spec's count route lacks one of these filters
            with pytest.raises(TypeError, match=r"\.count\(\): unknown filter"):
                endpoint.count(filter_class(**filters))


def test_list_without_filters_and_page_size_default(dials: Dials, srv: DialsServer) -> None:
    page = dials.h1d.list()
    expected = table_rows(srv, "tracker", "th1")[:10]  # DIALS's default page size
    assert [key_of(r, "th1") for r in page.results] == [key_of(r, "th1") for r in expected]
    assert page.next is not None and "next_token=" in page.next
    assert page.previous is None


def test_list_follows_an_explicit_next_token(dials: Dials, srv: DialsServer) -> None:
    from cmsdials.filters import RunFilters
    from cmsdials.pagination import next_token_of

    first = dials.run.list(RunFilters(page_size=4))
    assert first.next is not None
    second = dials.run.list(RunFilters(page_size=4, next_token=next_token_of(first.next)))
    expected = table_rows(srv, "tracker", "run")
    assert [key_of(r, "run") for r in first.results + second.results] == [
        key_of(r, "run") for r in expected[:8]
    ]


GET_KEYS = {
    "dataset_index": ("tracker", "dataset_index"),
    "file_index": ("tracker", "file_index"),
    "run": ("tracker", "run"),
    "lumi": ("tracker", "lumisection"),
    "h1d": ("tracker", "th1"),
    "h2d": ("tracker", "th2"),
    "mes": ("tracker", "mes"),
    "ml_models_index": ("jetmet", "ml_models_index"),
    "ml_bad_lumis": ("jetmet", "ml_bad_lumisection"),
}


@pytest.mark.parametrize("group", sorted(GET_KEYS))
def test_get_each_group(group: str, srv: DialsServer, client_for: Callable[[str], Dials]) -> None:
    workspace, table = GET_KEYS[group]
    rows = table_rows(srv, workspace, table)
    client = client_for(workspace)
    endpoint = getattr(client, group)
    retrieve = api().group(endpoint.group.route).retrieve
    assert retrieve is not None
    columns = KEY_COLUMNS.get(table, {})
    for stored in (rows[0], rows[len(rows) // 2], rows[-1]):
        keys = {p.wire: stored[columns.get(p.wire, p.wire)] for p in retrieve.path_params}
        row = endpoint.get(**keys)
        assert isinstance(row, endpoint.model)
        assert_same_row(row, stored)
        assert endpoint(**keys) == row  # calling the sub-client is get
        assert endpoint.get(*keys.values()) == row  # keys may be positional, in URL order
    missing = {p.wire: 999_999_999 for p in retrieve.path_params}
    with pytest.raises(NotFoundError) as caught:
        endpoint.get(**missing)
    assert caught.value.status_code == 404
    assert str(caught.value).startswith("404 Client Error: Not Found for url: http://")


def test_get_errors_before_any_request(dials: Dials, srv: DialsServer) -> None:
    with pytest.raises(TypeError, match="missing me_id"):
        dials.h1d.get(dataset_id=1, run_number=2, ls_number=3)
    with pytest.raises(TypeError, match=r"unknown key 'ls_numbr'; did you mean 'ls_number'"):
        dials.lumi.get(dataset_id=1, run_number=2, ls_numbr=3)
    with pytest.raises(TypeError, match="takes 2 keys"):
        dials.run.get(1, 2, 3)
    with pytest.raises(TypeError, match="'run_number' twice"):
        dials.run.get(1, 2, run_number=2)
    with pytest.raises(ValueError, match="expects an int"):
        dials.run.get(dataset_id="abc", run_number=1)
    with pytest.raises(TypeError, match="expects an int"):
        dials.run.get(dataset_id=[1], run_number=1)
    assert api_requests(srv) == []


def test_mes_list_is_a_plain_list(dials: Dials, srv: DialsServer) -> None:
    from cmsdials.filters import MEFilters
    from cmsdials.models import MonitoringElement

    everything = dials.mes.list()
    stored = table_rows(srv, "tracker", "mes")
    assert isinstance(everything, list)
    assert all(isinstance(row, MonitoringElement) for row in everything)
    assert [r.me_id for r in everything] == [r["me_id"] for r in stored]
    for row, expected in zip(everything, stored, strict=True):
        assert_same_row(row, expected)
    two_d = dials.mes.list(MEFilters(dim=2))
    assert [r.me_id for r in two_d] == [r["me_id"] for r in stored if r["dim"] == 2]
    pixel = dials.mes.list(MEFilters(me__regex="PXBarrel/charge"))
    assert [r.me for r in pixel] == [r["me"] for r in stored if "PXBarrel/charge" in r["me"]]
    exact = dials.mes.list(MEFilters(me=stored[0]["me"]))
    assert [r.me_id for r in exact] == [stored[0]["me_id"]]
    # the classic keyword of mes.get was `id`
    assert dials.mes.get(id=stored[0]["me_id"]) == dials.mes.get(me_id=stored[0]["me_id"])


def test_mes_by_dataset_and_run(dials: Dials, srv: DialsServer) -> None:
    from cmsdials.models import MinifiedMonitoringElement

    db = srv.db("tracker")
    dataset_id, run_number = db.execute(
        "SELECT dataset_id, run_number FROM run ORDER BY dataset_id, run_number LIMIT 1"
    ).fetchone()
    expected = {
        row[0]
        for row in db.execute(
            "SELECT me_id FROM th1 WHERE dataset_id=? AND run_number=? "
            "UNION SELECT me_id FROM th2 WHERE dataset_id=? AND run_number=?",
            (dataset_id, run_number, dataset_id, run_number),
        )
    }
    mes = dials.mes.list_by_run(dataset_id=dataset_id, run_number=run_number)
    assert mes and all(isinstance(m, MinifiedMonitoringElement) for m in mes)
    assert {m.me_id for m in mes} == expected
    names = dict(db.execute("SELECT me_id, me FROM mes"))
    assert all(m.me == names[m.me_id] for m in mes)


def test_count_rejects_a_filter_its_route_lacks(dials: Dials, srv: DialsServer) -> None:
    from cmsdials.filters import LumisectionFilters

    # the lumisection count route has no ls_number filter: counting without it
    # would silently count other rows
    with pytest.raises(TypeError, match="unknown filter 'ls_number'"):
        dials.lumi.count(LumisectionFilters(ls_number=5))
    assert api_requests(srv) == []
    # pagination keywords of a filter object are ignored by count
    assert dials.lumi.count(LumisectionFilters(run_number=360392, page_size=3)) == len(
        [r for r in table_rows(srv, "tracker", "lumisection") if r["run_number"] == 360392]
    )
    with pytest.raises(MissingOperationError, match=r"GET /api/v1/th1/count/"):
        dials.h1d.count()  # the spec has no count route for th1
