"""The seeded data: deterministic, realistic, consistent, and shaped as openapi.json says."""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest

from cmsdials.testing import DialsServer, catalog, data, serve
from cmsdials.testing.routes import ApiSpec, find_spec


@pytest.fixture(scope="module")
def seed0() -> dict[str, data.WorkspaceRows]:
    return {
        name: data.build_workspace(catalog.WORKSPACES[name]("small"), 0)
        for name in ("tracker", "jetmet")
    }


def _dump(rows: data.WorkspaceRows) -> str:
    return json.dumps(rows.tables, sort_keys=True)


def test_same_seed_same_rows(seed0) -> None:
    for name in ("jetmet", "csc"):
        spec = catalog.WORKSPACES[name]("small")
        assert _dump(data.build_workspace(spec, 0)) == _dump(data.build_workspace(spec, 0))
    assert _dump(data.build_workspace(catalog.jetmet("small"), 0)) == _dump(seed0["jetmet"])


def test_other_seed_other_rows(seed0) -> None:
    other = data.build_workspace(catalog.jetmet("small"), 1)
    assert _dump(other) != _dump(seed0["jetmet"])
    assert other.tables["th1"][0]["data"] != seed0["jetmet"].tables["th1"][0]["data"]
    assert other.tables["ml_bad_lumisection"] != seed0["jetmet"].tables["ml_bad_lumisection"]


def test_served_rows_are_the_seeded_rows(seed0) -> None:
    with serve(seed=0) as a, serve(seed=0) as b, serve(seed=7) as c:
        query = "SELECT json FROM th1 ORDER BY dataset_id, run_number, ls_number, me_id"
        with a.db() as da, b.db() as db_, c.db() as dc:
            rows_a = da.execute(query).fetchall()
            assert [tuple(r) for r in rows_a] == [tuple(r) for r in db_.execute(query)]
            assert [tuple(r) for r in rows_a] != [tuple(r) for r in dc.execute(query)]


def test_dataset_fields_follow_the_name(seed0) -> None:
    for ws in seed0.values():
        for ds in ws.tables["dataset_index"]:
            m = re.fullmatch(r"/(\w+)/(Run20\d\d[A-Z])-(\w+)-v(\d+)/DQMIO", ds["dataset"])
            assert m, ds["dataset"]
            assert ds["primary_ds_name"] == m.group(1)
            assert ds["era"] == m.group(2)
            assert ds["processed_ds_name"] == f"{m.group(2)}-{m.group(3)}-v{m.group(4)}"
            assert ds["processing_version"] == int(m.group(4))
            assert ds["data_tier"] == "DQMIO"


def test_files_and_histograms_are_consistent(seed0) -> None:
    tracker = seed0["tracker"].tables
    files = {f["file_id"]: f for f in tracker["file_index"]}
    lfn = re.compile(
        r"/store/(data|express)/Run20\d\d[A-Z]/\w+/DQMIO/[\w-]+/000/\d{3}/\d{3}/00000/[0-9A-F-]{36}\.root"
    )
    assert all(lfn.fullmatch(f["logical_file_name"]) for f in files.values())
    for row in tracker["th1"][:500]:
        assert len(row["data"]) == row["x_bin"]
        assert row["entries"] == int(sum(row["data"]))
        f = files[row["file_id"]]
        assert f["dataset_id"] == row["dataset_id"] and str(row["run_number"])[3:] in f[
            "logical_file_name"
        ].replace("/", "")
    for row in tracker["th2"][:100]:
        assert len(row["data"]) == row["y_bin"]
        assert all(len(line) == row["x_bin"] for line in row["data"])
    lumis = {(r["dataset_id"], r["run_number"], r["ls_number"]): r for r in tracker["lumisection"]}
    th1_count: dict[Any, int] = {}
    for row in tracker["th1"]:
        key = (row["dataset_id"], row["run_number"], row["ls_number"])
        th1_count[key] = th1_count.get(key, 0) + 1
    assert all(lumis[key]["th1_count"] == n for key, n in th1_count.items())


def test_charge_spectrum_peaks_like_a_landau(seed0) -> None:
    row = next(r for r in seed0["tracker"].tables["th1"] if r["me"].endswith("charge_PXLayer_2"))
    peak = max(range(len(row["data"])), key=row["data"].__getitem__)
    assert 15 < peak < 40  # the most probable value, then a long tail
    assert sum(row["data"][peak + 1 :]) > 1.2 * sum(row["data"][:peak])


def test_bad_lumisections_show_in_the_data(seed0) -> None:
    """The target ME of the models is distorted exactly where a model flags the lumisection."""
    jetmet = seed0["jetmet"].tables
    bad = {
        (r["dataset_id"], r["run_number"], r["ls_number"])
        for r in jetmet["ml_bad_lumisection"]
        if r["me_id"] == 1
    }
    flagged, clean = [], []
    for row in jetmet["th1"]:
        if row["me_id"] != 1:
            continue
        share = sum(row["data"][65:75]) / max(1, row["entries"])
        key = (row["dataset_id"], row["run_number"], row["ls_number"])
        (flagged if key in bad else clean).append(share)
    assert flagged and clean
    assert min(flagged) > 5 * max(clean)


_PYTHON_TYPES: dict[str, Any] = {
    "integer": int,
    "number": (int, float),
    "string": str,
    "boolean": bool,
    "array": list,
    "object": dict,
}


def _check_row(route: str, schema: dict[str, Any], row: dict[str, Any]) -> None:
    assert set(schema.get("required", ())) <= set(row), (route, set(schema["required"]) - set(row))
    assert set(row) <= set(schema["properties"]), (route, set(row) - set(schema["properties"]))
    for key, value in row.items():
        prop = schema["properties"][key]
        kind = prop.get("type")
        if value is None:
            assert prop.get("nullable"), (route, key, "null but not nullable")
            continue
        if kind is not None:
            assert isinstance(value, _PYTHON_TYPES[kind]), (route, key, value)
            assert kind in ("integer", "number") or not isinstance(value, bool) or kind == "boolean"
        if kind == "string" and "maxLength" in prop:
            assert len(value) <= prop["maxLength"], (route, key)


def test_rows_match_the_schemas_of_openapi_json(srv: DialsServer, make_client) -> None:
    """Every list route of the spec serves rows of its schema, in every workspace."""
    spec = json.loads(find_spec().read_text())
    schemas = spec["components"]["schemas"]
    tables = ApiSpec(spec).tables
    assert {"th1", "th2", "run", "lumisection", "file_index", "dataset_index", "mes"} <= set(tables)
    seen_rows = 0
    for workspace in ("jetmet", "tracker"):
        c = make_client(workspace)
        for table in tables.values():
            route = table.name.replace("_", "-") + "/"
            answer = c.get(route, params={"page_size": 7})
            assert answer.status_code == 200, (route, answer.text)
            body = answer.json()
            rows = body["results"] if isinstance(body, dict) else body
            for row in rows:
                _check_row(route, schemas[table.label], row)
                assert list(row) == list(schemas[table.label]["properties"])  # spec order
                seen_rows += 1
    assert seen_rows > 50


def test_table_shapes_come_from_the_spec() -> None:
    spec = json.loads(find_spec().read_text())
    schemas = spec["components"]["schemas"]
    tables = ApiSpec(spec).tables
    for table in tables.values():
        assert table.json_fields == tuple(schemas[table.label]["properties"])
    assert tables["th1"].pk == ("dataset_id", "run_number", "ls_number", "me_id")
    assert tables["run"].pk == ("dataset_id", "run_number")


def test_large_catalog_guarantees_the_benchmark_sizes() -> None:
    """Whatever the seed: lumisection counts are drawn from [min_ls, max_ls]."""
    spec = catalog.tracker("large")
    bulk = [ds for ds in spec.datasets if ds.bulk]
    min_ls = sum(run.min_ls for ds in bulk for run in ds.runs)
    assert min_ls >= 20_000
    (pixel,) = [me for me in spec.mes if me.me.endswith("charge_PXLayer_2")]
    assert pixel.bulk and pixel.x_bin == 100
    (ee,) = [me for me in spec.mes if me.bulk and me.dim == 2]
    assert (ee.x_bin, ee.y_bin) == (50, 50) and min_ls // ee.ls_stride >= 2_000


@pytest.mark.skipif(
    not os.environ.get("CMSDIALS_SLOW_TESTS"),
    reason="builds the large data (set CMSDIALS_SLOW_TESTS=1)",
)
def test_large_size_is_big_enough() -> None:
    rows = data.build_workspace(catalog.tracker("large"), 0).tables
    pixel = [r for r in rows["th1"] if r["me"] == "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"]
    assert len(pixel) >= 20_000 and all(r["x_bin"] == 100 for r in pixel[:10])
    big_maps = [r for r in rows["th2"] if r["x_bin"] == 50 and r["y_bin"] == 50]
    assert len(big_maps) >= 2_000
    assert len(rows["lumisection"]) >= 2_000
