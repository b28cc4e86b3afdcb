"""django-filter lookups, fields, count, retrieve and the MEs routes."""

from __future__ import annotations

import re

from cmsdials.testing import DialsServer


def test_exact_gte_lte(api, walk) -> None:
    rows = walk(api, "run/", {"run_number__gte": 360392, "run_number__lte": 365000})
    assert rows and all(360392 <= r["run_number"] <= 365000 for r in rows)
    exact = walk(api, "lumisection/", {"run_number": 360392, "page_size": 500})
    assert exact and {r["run_number"] for r in exact} == {360392}
    assert [r["ls_number"] for r in exact] == list(range(1, len(exact) + 1))


def test_regex_is_a_real_regex(srv: DialsServer, api, walk) -> None:
    rows = walk(api, "th2/", {"me__regex": "EEOT digi occupancy EE +", "page_size": 500})
    assert rows and all(re.search("EEOT digi occupancy EE +", r["me"]) for r in rows)
    files = walk(api, "file-index/", {"dataset__regex": "2024B"})
    assert files and all("2024B" in f["dataset"] for f in files)
    anchored = walk(api, "file-index/", {"logical_file_name__regex": r"^/store/express/"})
    assert anchored and all(f["logical_file_name"].startswith("/store/express/") for f in anchored)


def test_entries_gte_and_ls_number(api, walk) -> None:
    params = {"me__regex": "PXBarrel", "ls_number": 78, "entries__gte": 100}
    rows = walk(api, "th2/", params)
    assert len(rows) >= 50
    assert all(r["ls_number"] == 78 and r["entries"] >= 100 for r in rows)
    assert all("PXBarrel" in r["me"] for r in rows)


def test_in_takes_one_comma_separated_value(jetmet, walk) -> None:
    params = {
        "model_id__in": "20,19",
        "dataset_id__in": "15042670",
        "run_number__in": "385801,385799,385764",
        "page_size": 500,
    }
    rows = walk(jetmet, "ml-bad-lumisection/", params)
    assert {r["model_id"] for r in rows} == {19, 20}
    assert {r["run_number"] for r in rows} == {385801, 385799, 385764}


def test_repeated_key_keeps_the_last_value_and_breaks_the_contract(
    srv: DialsServer, jetmet
) -> None:
    before = len(srv.contract_errors)
    response = jetmet.get(
        "ml-bad-lumisection/",
        params=[("model_id__in", "20"), ("model_id__in", "19"), ("page_size", "500")],
    )
    assert response.status_code == 200
    assert {r["model_id"] for r in response.json()["results"]} == {19}
    new = srv.contract_errors[before:]
    assert len(new) == 1 and "model_id__in" in new[0] and "repeated" in new[0]


def test_boolean_filter_and_invalid_boolean_ignored(jetmet, walk) -> None:
    active = walk(jetmet, "ml-models-index/", {"active": "true"})
    assert {m["id"] for m in active} == {19, 20}
    everything = walk(jetmet, "ml-models-index/", {"page_size": 100})
    assert len(walk(jetmet, "ml-models-index/", {"active": "maybe", "page_size": 100})) == len(
        everything
    )
    inactive = walk(jetmet, "ml-models-index/", {"active": "false", "page_size": 100})
    assert len(inactive) == len(everything) - 2


def test_unknown_filters_and_empty_values_are_ignored(api) -> None:
    plain = api.get("run/", params={"page_size": 100}).json()["results"]
    typo = api.get("run/", params={"page_size": 100, "run_numbr": 1, "run_number": ""})
    assert typo.json()["results"] == plain


def test_min_size_filters_file_size(api, walk) -> None:
    files = walk(api, "file-index/", {"page_size": 500})
    cut = sorted(f["file_size"] for f in files)[len(files) // 2]
    big = walk(api, "file-index/", {"min_size": cut, "page_size": 500})
    assert big and all(f["file_size"] >= cut for f in big)
    assert len(big) < len(files)


def test_fields_on_lists_and_simple_detail_routes(api, jetmet) -> None:
    page = api.get("th1/", params={"fields": "me,entries", "page_size": 3}).json()
    assert all(set(r) == {"me", "entries"} for r in page["results"])
    assert "fields=me%2Centries" in page["next"]
    detail = api.get("dataset-index/14677060/", params={"fields": "dataset"}).json()
    assert detail == {"dataset": "/ZeroBias/Run2023C-PromptReco-v1/DQMIO"}
    model = jetmet.get("ml-models-index/19/", params={"fields": "id,active"}).json()
    assert model == {"id": 19, "active": True}
    composite = api.get("run/14677060/367112/", params={"fields": "ls_count"}).json()
    assert set(composite) > {"ls_count"}  # ignored on composite-key routes


def test_count_routes(srv: DialsServer, api) -> None:
    with srv.db() as db:
        (runs,) = db.execute("SELECT COUNT(*) FROM run WHERE run_number >= 379000").fetchone()
        (files,) = db.execute("SELECT COUNT(*) FROM file_index").fetchone()
        (lumis,) = db.execute(
            "SELECT COUNT(*) FROM lumisection WHERE run_number = 360392"
        ).fetchone()
    assert api.get("run/count/", params={"run_number__gte": 379000}).json() == {"count": runs}
    assert api.get("file-index/count/").json() == {"count": files}
    assert api.get("lumisection/count/", params={"run_number": 360392}).json() == {"count": lumis}


def test_retrieve_readme_objects(api, jetmet) -> None:
    assert api.get("dataset-index/14677060/").json()["era"] == "Run2023C"
    f = api.get("file-index/14677060/3393809397/").json()
    assert f["file_id"] == 3393809397 and f["logical_file_name"].endswith(".root")
    for me_id in (1, 96):
        h = api.get(f"th1/14677060/367112/10/{me_id}/").json()
        assert h["me_id"] == me_id and len(h["data"]) == h["x_bin"]
        assert h["entries"] == int(sum(h["data"]))
    assert api.get("lumisection/14677060/367112/10/").json()["ls_number"] == 10
    assert api.get("run/14677060/367112/").json()["ls_count"] >= 10
    assert jetmet.get("ml-models-index/1/").json()["id"] == 1
    bad = jetmet.get("ml-bad-lumisection/19/15102369/386951/36/").json()
    assert bad["model_id"] == 19 and bad["ls_number"] == 36


def test_retrieve_404_in_drf_shape(api) -> None:
    missing = api.get("th1/14677060/367112/10/999/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No TH1 matches the given query."}
    assert api.get("th2/1/2/3/4/").json() == {"detail": "No TH2 matches the given query."}
    assert api.get("run/x/1/").json() == {"detail": "No Run matches the given query."}


def test_th2_rows_are_2d(api) -> None:
    row = api.get("th2/", params={"page_size": 1, "me__regex": "EE \\+"}).json()["results"][0]
    assert len(row["data"]) == row["y_bin"] and all(len(r) == row["x_bin"] for r in row["data"])
    assert row["entries"] == int(sum(map(sum, row["data"])))


def test_mes_plain_list_and_per_run(srv: DialsServer, api) -> None:
    mes = api.get("mes/").json()
    assert isinstance(mes, list) and {m["me_id"] for m in mes} >= {1, 96}
    assert all(set(m) == {"me_id", "me", "count", "dim"} for m in mes)
    two_d = api.get("mes/", params={"dim": 2}).json()
    assert two_d and all(m["dim"] == 2 for m in two_d)
    assert api.get("mes/96/").json()["me"].startswith("SiStrip/")
    per_run = api.get("mes/14677060/367112/").json()
    assert per_run and all(set(m) == {"me_id", "me", "dim"} for m in per_run)
    assert api.get("mes/14677060/1/").status_code == 500  # an unknown run, as DIALS
