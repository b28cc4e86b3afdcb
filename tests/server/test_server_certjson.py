"""cert-json and golden-json, computed from the tables (GET as the spec, POST as the classic)."""

from __future__ import annotations

import itertools

from cmsdials.testing import DialsServer

README = {
    "model_id__in": "20,19",
    "dataset_id__in": "15042670",
    "run_number__in": "385801,385799,385764",
}


def _tables(srv: DialsServer) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    with srv.db("jetmet") as db:
        lumis: dict[int, set[int]] = {}
        for run, ls in db.execute(
            "SELECT run_number, ls_number FROM lumisection WHERE dataset_id = 15042670"
        ):
            lumis.setdefault(run, set()).add(ls)
        bad: dict[int, set[int]] = {}
        for run, ls in db.execute(
            "SELECT run_number, ls_number FROM ml_bad_lumisection "
            "WHERE dataset_id = 15042670 AND model_id IN (19, 20)"
        ):
            bad.setdefault(run, set()).add(ls)
    return lumis, bad


def test_cert_json_lists_the_bad_lumisections(srv: DialsServer, jetmet) -> None:
    cert = jetmet.get("ml-bad-lumisection/cert-json/", params=README).json()
    _, bad = _tables(srv)
    assert set(cert) == {"385801", "385799", "385764"}
    for run, lumis in cert.items():
        assert {int(ls) for ls in lumis} == bad[int(run)]
        for flags in lumis.values():
            for flag in flags:
                assert set(flag) == {"model_id", "me_id", "filename", "me", "mse"}
                assert flag["model_id"] in (19, 20)


def test_golden_json_is_the_good_lumisections_as_ranges(srv: DialsServer, jetmet) -> None:
    golden = jetmet.get("ml-bad-lumisection/golden-json/", params=README).json()
    lumis, bad = _tables(srv)
    assert set(golden) == {"385801", "385799", "385764"}
    for run, ranges in golden.items():
        good = {ls for first, last in ranges for ls in range(first, last + 1)}
        assert good == lumis[int(run)] - bad.get(int(run), set())
        assert all(a[1] + 1 < b[0] for a, b in itertools.pairwise(ranges))


def test_clean_runs_and_unknown_runs(jetmet) -> None:
    params = {"model_id__in": "4242", "dataset_id__in": "15042670", "run_number__in": "385801,1"}
    assert jetmet.get("ml-bad-lumisection/cert-json/", params=params).json() == {"385801": {}}
    golden = jetmet.get("ml-bad-lumisection/golden-json/", params=params).json()
    assert list(golden) == ["385801"] and golden["385801"][0][0] == 1


def test_post_with_a_json_body_like_the_classic_client(jetmet) -> None:
    body = {"model_id__in": [20, 19], "dataset_id__in": [15042670], "run_number__in": [385801]}
    post = jetmet.post("ml-bad-lumisection/golden-json/", json=body)
    get = jetmet.get(
        "ml-bad-lumisection/golden-json/",
        params={"model_id__in": "20,19", "dataset_id__in": "15042670", "run_number__in": "385801"},
    )
    assert post.status_code == 200 and post.json() == get.json()


def test_readme_bad_lumisection_of_dataset_15102369(jetmet) -> None:
    params = {"model_id__in": "19", "dataset_id__in": "15102369", "run_number__in": "386951"}
    cert = jetmet.get("ml-bad-lumisection/cert-json/", params=params).json()
    assert cert["386951"]["36"][0]["model_id"] == 19


def test_errors(jetmet) -> None:
    bad = jetmet.get("ml-bad-lumisection/cert-json/", params={**README, "run_number__in": "x"})
    assert bad.status_code == 400
    assert bad.json() == ["Field 'run_number' expected a number but got 'x'."]
    missing = jetmet.get("ml-bad-lumisection/golden-json/", params={"model_id__in": "19"})
    assert missing.status_code == 500
