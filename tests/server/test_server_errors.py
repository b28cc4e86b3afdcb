"""Status codes and bodies exactly as DIALS answers them; redirects; workspaces."""

from __future__ import annotations

import httpx

from cmsdials.testing import DialsServer


def test_bad_number_answers_400(api) -> None:
    response = api.get("th1/", params={"run_number": "abc", "ls_number": "x"})
    assert response.status_code == 400
    assert response.json() == {"run_number": ["Enter a number."], "ls_number": ["Enter a number."]}
    in_bad = api.get("run/", params={"dataset_id__in": "1,zz"})
    assert in_bad.json() == {"dataset_id__in": ["Enter a number."]}


def test_forbidden_bodies(srv: DialsServer) -> None:
    url = srv.base_url + "api/v1/th1/"
    missing = httpx.get(url)
    assert missing.status_code == 403
    assert missing.json() == {
        "detail": "Authorization header not found.",
        "code": "authorization_not_found",
    }
    invalid = {"detail": "Token is invalid or expired", "code": "token_not_valid"}
    for headers in (
        {"X-CLIENT-SECRET": "wrong"},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic abc"},
    ):
        response = httpx.get(url, headers=headers)
        assert (response.status_code, response.json()) == (403, invalid)


def test_not_found_bodies(api) -> None:
    assert api.get("th1/", params={"next_token": "%%%"}).json() == {"detail": "Invalid cursor"}
    assert api.get("th1/", params={"next_token": "cD1bMV0="}).status_code == 404  # wrong length
    unknown = api.get("nothing-here/")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("text/html")
    assert "<title>Not Found</title>" in unknown.text


def test_invalid_regex_is_a_500_page_and_the_server_lives_on(srv: DialsServer, api) -> None:
    broken = api.get("th1/", params={"me__regex": "(unclosed"})
    assert broken.status_code == 500 and "Server Error (500)" in broken.text
    assert api.get("th1/", params={"page_size": 1}).status_code == 200
    assert srv.server_errors == []


def test_missing_trailing_slash_redirects_keeping_the_query(api) -> None:
    response = api.get("th1", params={"me": "a b", "page_size": 2})
    assert response.status_code == 301
    assert response.headers["location"] == "/api/v1/th1/?me=a+b&page_size=2"
    post = api.post("ml-bad-lumisection/cert-json", json={})
    assert post.status_code == 301
    assert post.headers["location"] == "/api/v1/ml-bad-lumisection/cert-json/"


def test_method_not_allowed(api) -> None:
    response = api.delete("th1/")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}


def test_workspace_isolation(srv: DialsServer, make_client) -> None:
    tracker = make_client()
    jetmet = make_client("jetmet")
    assert tracker.get("dataset-index/14677060/").status_code == 200
    assert jetmet.get("dataset-index/14677060/").status_code == 404
    assert jetmet.get("dataset-index/15042670/").status_code == 200
    names = {
        name: {m["me"] for m in make_client(name).get("mes/").json()} for name in srv.workspaces
    }
    assert any(me.startswith("JetMET/") for me in names["jetmet"])
    assert not any(me.startswith("JetMET/") for me in names["tracker"])
    assert any(me.startswith("CSC/") for me in names["csc"])
    assert any(me.startswith("Hcal/") for me in names["hcal"])
    assert any(me.startswith("EcalBarrel/") for me in names["ecal"])
    default = tracker.get("mes/").json()
    assert default == make_client("tracker").get("mes/").json()


def test_unknown_workspace_is_case_sensitive(make_client) -> None:
    response = make_client("Tracker").get("run/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Workspace 'Tracker' not found"}


def test_workspace_routes_answer(api, api_v112) -> None:
    everyone = {"workspaces": ["csc", "ecal", "hcal", "jetmet", "tracker"]}
    assert api.get("workspaces/").json() == everyone
    assert api.get("workspaces/my-default/").json() == {"workspace": "tracker"}
    assert api_v112.get("auth/workspaces/").json() == everyone
    assert api_v112.get("auth/user-default-workspace/").json() == {"workspace": "tracker"}
    # each server serves its own API's routes only
    assert api.get("auth/workspaces/").status_code == 404
    assert api_v112.get("workspaces/").status_code == 404


def test_third_party_proxies(api) -> None:
    runs = api.get(
        "oms-proxy/", params={"endpoint": "runs", "filter[run_number][EQ]": "385801"}
    ).json()
    assert [row["attributes"]["run_number"] for row in runs["data"]] == [385801]
    ge = api.get(
        "oms-proxy/",
        params={"endpoint": "runs", "filter[run_number][GE]": "385000", "page[limit]": "2"},
    ).json()
    assert len(ge["data"]) == 2 and ge["meta"]["totalResourceCount"] >= 2
    lumis = api.get(
        "oms-proxy/", params={"endpoint": "lumisections", "filter[run_number]": "360392"}
    ).json()
    assert lumis["data"] and lumis["data"][0]["attributes"]["lumisection_number"] == 1
    caf = api.get("caf/", params={"class_name": "Collisions24", "kind": "golden"}).json()
    assert caf["name"].endswith(".json") and caf["content"]
    rr = api.get(
        "runregistry/editable-datasets/",
        params={
            "class_name": "Collisions24",
            "dataset_name": "/PromptReco",
            "global_state": "OPEN",
        },
    ).json()
    assert rr and all(isinstance(run, int) for run in rr)
    bril = api.get("brilws/brilcalc-lumi/", params={"runnumber": "385801"}).json()
    assert bril["summary"]["nrun"] == 1


def test_keep_alive_reuses_one_connection(srv: DialsServer) -> None:
    with httpx.Client(headers={"X-CLIENT-SECRET": srv.secret}) as c:
        first = c.get(srv.base_url + "api/v1/run/")
        port = first.extensions["network_stream"].get_extra_info("client_addr")[1]
        second = c.get(srv.base_url + "api/v1/th1/", params={"page_size": 100})
        again = second.extensions["network_stream"].get_extra_info("client_addr")[1]
    assert first.headers["content-length"] == str(len(first.content))
    assert first.headers.get("connection", "").lower() != "close"
    assert second.status_code == 200 and port == again
