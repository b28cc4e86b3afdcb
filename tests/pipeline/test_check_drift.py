"""``make check-drift`` end to end: ``scripts/check_drift.py`` pulls DIALS's spec into
memory and diffs it with openapi.json.

With ``DIALS_SPEC_URL`` it fails on any difference (exit 1) and on a source it cannot read
(exit 2).  Without it, it compares with production's live spec and skips, passing, when
that is out of reach.  The tests on the shared reconstruction skip without ``../shared``;
the others use hand-made documents (``--spec`` names the committed side).
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import check_drift
import pytest

from .conftest import ROOT, SNAPSHOT, run, run_script, write_json
from .specs import clean_doc, param


def check(source: Path | str | None, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``scripts/check_drift.py`` as make does, with ``DIALS_SPEC_URL=source``."""
    env = {k: v for k, v in os.environ.items() if k != "DIALS_SPEC_URL"}
    if source is not None:
        env["DIALS_SPEC_URL"] = str(source)
    return run_script("check_drift.py", *args, env=env)


def drifted(
    snapshot: dict[str, Any], tmp_path: Path, mutate: Callable[[dict[str, Any]], None]
) -> subprocess.CompletedProcess[str]:
    doc = copy.deepcopy(snapshot)
    mutate(doc)
    return check(write_json(tmp_path / "swagger.json", doc, indent=4))


def hand_made(tmp_path: Path, mutate: Callable[[dict[str, Any]], None]) -> tuple[Path, Path]:
    """``(committed, upstream)``: clean_doc() as openapi.json, and a changed copy upstream."""
    committed = write_json(tmp_path / "openapi.json", clean_doc())
    doc = clean_doc()
    mutate(doc)
    return committed, write_json(tmp_path / "upstream.json", doc)


# --------------------------------------------------------------------------- #
# Against the shared reconstruction of production's spec (what .ci/run passes)
# --------------------------------------------------------------------------- #
def test_passes_against_the_shared_snapshot(snapshot_doc: dict[str, Any]) -> None:
    committed = ROOT / "openapi.json"
    before, mtime = committed.read_bytes(), committed.stat().st_mtime_ns
    result = check(SNAPSHOT)
    assert (result.returncode, result.stdout) == (0, "no API differences\n"), result.stderr
    assert committed.read_bytes() == before and committed.stat().st_mtime_ns == mtime


def test_fails_naming_a_removed_query_parameter_as_breaking(
    snapshot_doc: dict[str, Any], tmp_path: Path
) -> None:
    def remove_me_regex(doc: dict[str, Any]) -> None:
        op = doc["paths"]["/api/v1/th1/"]["get"]
        assert op["operationId"] == "listTH1s"
        before = len(op["parameters"])
        op["parameters"] = [p for p in op["parameters"] if p["name"] != "me__regex"]
        assert len(op["parameters"]) == before - 1

    result = drifted(snapshot_doc, tmp_path, remove_me_regex)
    assert result.returncode == 1, result.stderr
    out = result.stdout.splitlines()
    assert "  BREAKING      GET /api/v1/th1/ (list_th1): query parameter me__regex removed" in out
    assert out[-1] == "1 difference(s): 1 BREAKING, 0 non-breaking"
    # the same filter on TH2 is untouched
    assert not any("/api/v1/th2/" in line for line in out)
    assert "run 'make pull-spec regen DIALS_SPEC_URL=" in result.stderr


def test_fails_on_an_added_optional_parameter_as_non_breaking(
    snapshot_doc: dict[str, Any], tmp_path: Path
) -> None:
    def add_filter(doc: dict[str, Any]) -> None:
        doc["paths"]["/api/v1/run/"]["get"]["parameters"].append(
            {"name": "era", "in": "query", "required": False, "schema": {"type": "string"}}
        )

    result = drifted(snapshot_doc, tmp_path, add_filter)
    assert result.returncode == 1
    out = result.stdout.splitlines()
    assert "  non-breaking  GET /api/v1/run/ (list_run): query parameter era added (optional, " in (
        "\n".join(out)
    )
    assert out[-1] == "1 difference(s): 0 BREAKING, 1 non-breaking"


def test_fails_on_a_retyped_response_field(snapshot_doc: dict[str, Any], tmp_path: Path) -> None:
    def retype(doc: dict[str, Any]) -> None:
        doc["components"]["schemas"]["TH1"]["properties"]["entries"] = {"type": "string"}

    result = drifted(snapshot_doc, tmp_path, retype)
    assert result.returncode == 1
    out = result.stdout.splitlines()
    assert "  BREAKING      schema TH1: field 'entries' retyped integer -> string" in out


ML_LIST = "  non-breaking  GET /api/v1/ml-bad-lumisection/ (list_ml_bad_lumisection): query "


@pytest.mark.parametrize(
    ("name", "kind", "line", "stderr"),
    [
        # the case: an integer filter turned string looks like the defect; the
        # repair mends it, and its record of what upstream said shows the change
        (
            "model_id",
            "string",
            ML_LIST + "parameter model_id: upstream now declares string where it declared "
            "integer; query-filter-types repairs it to integer(int64): check whether the server "
            "changed",
            "",
        ),
        # not the defect: left alone, so openapi.json would take upstream's type
        (
            "run_number",
            "number",
            ML_LIST + "parameter run_number: retyped integer -> number",
            "left alone by query-filter-types: GET /api/v1/ml-bad-lumisection/ run_number",
        ),
    ],
)
def test_an_ml_filter_retyped_upstream_is_drift(
    name: str, kind: str, line: str, stderr: str, snapshot_doc: dict[str, Any], tmp_path: Path
) -> None:
    """The ML routes type their filters integer upstream: a retyped one is never hidden."""

    def retype(doc: dict[str, Any]) -> None:
        for p in doc["paths"]["/api/v1/ml-bad-lumisection/"]["get"]["parameters"]:
            if p["name"] == name:
                assert p["schema"] == {"type": "integer"}
                p["schema"] = {"type": kind}

    result = drifted(snapshot_doc, tmp_path, retype)
    assert result.returncode == 1, result.stderr
    assert line in result.stdout.splitlines()
    assert stderr in result.stderr


# --------------------------------------------------------------------------- #
# Hand-made documents: no ../shared needed
# --------------------------------------------------------------------------- #
def test_a_defect_the_repairs_know_is_no_drift(tmp_path: Path) -> None:
    def defect(doc: dict[str, Any]) -> None:
        param(doc, "/api/v1/th1/", "run_number__gte")["schema"] = {"type": "string"}

    _, upstream = hand_made(tmp_path, defect)
    committed = tmp_path / "pulled" / "openapi.json"
    committed.parent.mkdir()
    pulled = run_script("pull_spec.py", "--source", str(upstream), "--output", str(committed))
    assert pulled.returncode == 0, pulled.stderr
    result = check(upstream, "--spec", str(committed))
    assert (result.returncode, result.stdout) == (0, "no API differences\n"), result.stderr


def test_a_filter_turned_from_integer_to_string_upstream_is_drift(tmp_path: Path) -> None:
    """It looks like the defect query-filter-types mends, so the repaired filter is the same
    integer; the repair's record of what upstream said is not, and check-drift says so."""

    def to_string(doc: dict[str, Any]) -> None:
        param(doc, "/api/v1/th1/", "run_number__gte")["schema"] = {"type": "string"}

    committed, upstream = hand_made(tmp_path, to_string)
    result = check(upstream, "--spec", str(committed))
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "operations:",
        "  non-breaking  GET /api/v1/th1/ (list_th1): query parameter run_number__gte: upstream "
        "now declares string where it declared integer; query-filter-types repairs it to "
        "integer: check whether the server changed",
        "1 difference(s): 0 BREAKING, 1 non-breaking",
    ]


def test_an_upstream_type_the_repairs_do_not_know_is_drift(tmp_path: Path) -> None:
    def retype(doc: dict[str, Any]) -> None:
        param(doc, "/api/v1/th1/", "run_number__gte")["schema"] = {"type": "number"}

    committed, upstream = hand_made(tmp_path, retype)
    result = check(upstream, "--spec", str(committed))
    assert result.returncode == 1, result.stderr
    assert (
        "  non-breaking  GET /api/v1/th1/ (list_th1): query parameter run_number__gte: "
        "retyped integer -> number"
    ) in result.stdout.splitlines()
    assert (
        "check-drift: left alone by query-filter-types: GET /api/v1/th1/ run_number__gte: "
        "typed number upstream, the column is integer"
    ) in result.stderr.splitlines()


def test_a_column_retyped_upstream_is_drift_in_the_row_and_its_filters(tmp_path: Path) -> None:
    def retype(doc: dict[str, Any]) -> None:
        doc["components"]["schemas"]["TH1"]["properties"]["entries"] = {"type": "string"}
        param(doc, "/api/v1/th1/", "entries__gte")["schema"] = {"type": "string"}

    committed, upstream = hand_made(tmp_path, retype)
    result = check(upstream, "--spec", str(committed))
    assert result.returncode == 1, result.stderr
    out = result.stdout.splitlines()
    assert "  BREAKING      schema TH1: field 'entries' retyped integer -> string" in out
    assert (
        "  BREAKING      GET /api/v1/th1/ (list_th1): query parameter entries__gte: "
        "retyped integer -> string"
    ) in out


def test_a_spec_the_repairs_cannot_mend_fails_as_drift(tmp_path: Path) -> None:
    def break_it(doc: dict[str, Any]) -> None:
        del doc["paths"]["/api/v1/th1/"]["get"]["responses"]["200"]["description"]

    committed, upstream = hand_made(tmp_path, break_it)
    result = check(upstream, "--spec", str(committed))
    assert result.returncode == 1
    assert "still invalid after repairs" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("bad", ["missing-file", "not-json", "unreachable-url"])
def test_a_bad_explicit_source_is_an_error_saying_what_to_do(bad: str, tmp_path: Path) -> None:
    source = {
        "missing-file": str(tmp_path / "no-such.json"),
        "not-json": str(write_json(tmp_path / "x.json", {}).with_suffix(".txt")),
        "unreachable-url": "http://127.0.0.1:9/swagger.json",
    }[bad]
    if bad == "not-json":
        Path(source).write_text("<html>login</html>", encoding="utf-8")
    result = check(source)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"check-drift: error: DIALS_SPEC_URL={source}: ")
    assert "point DIALS_SPEC_URL at DIALS's swagger.json" in lines[1]
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- #
# Without DIALS_SPEC_URL: production's live spec, skipped when out of reach
# --------------------------------------------------------------------------- #
def _default_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], production: str, *a: str
) -> tuple[int, str, str]:
    monkeypatch.delenv("DIALS_SPEC_URL", raising=False)
    monkeypatch.setattr(check_drift, "PRODUCTION_SPEC_URL", production)
    capsys.readouterr()
    code = check_drift.main(list(a))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_default_is_production() -> None:
    assert check_drift.PRODUCTION_SPEC_URL == "https://cmsdials-api.web.cern.ch/static/swagger.json"


@pytest.mark.parametrize("answer", ["unreachable", "login-page"])
def test_production_out_of_reach_is_skipped_and_passes(
    answer: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if answer == "unreachable":
        production = "http://127.0.0.1:9/static/swagger.json"
    else:  # CERN's SSO answers an HTML page to a client without a session
        page = tmp_path / "swagger.json"
        page.write_text("<!DOCTYPE html><title>CERN Single Sign-On</title>", encoding="utf-8")
        production = str(page)
    code, out, err = _default_run(monkeypatch, capsys, production)
    assert code == 0
    first = out.splitlines()[0]
    assert first.startswith("check-drift: skipped: production's spec is out of reach (")
    assert production in first
    assert "set DIALS_SPEC_URL" in out
    assert err == ""


def _era_added(tmp_path: Path) -> tuple[Path, Path]:
    def add_filter(doc: dict[str, Any]) -> None:
        op = doc["paths"]["/api/v1/th1/"]["get"]
        op["parameters"].append({"name": "era", "in": "query", "schema": {"type": "string"}})

    return hand_made(tmp_path, add_filter)


def test_production_reached_and_differing_is_reported_and_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A DIALS release must not turn every contributor's make test red: reported, exit 0."""
    committed, upstream = _era_added(tmp_path)
    code, out, err = _default_run(monkeypatch, capsys, str(upstream), "--spec", str(committed))
    assert code == 0
    assert "query parameter era added (optional, string)" in out
    assert "make pull-spec && make regen" in err
    assert "reported, not failed" in err


def test_production_reached_and_differing_fails_when_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    committed, upstream = _era_added(tmp_path)
    code, out, err = _default_run(
        monkeypatch, capsys, str(upstream), "--spec", str(committed), "--strict"
    )
    assert code == 1
    assert "query parameter era added (optional, string)" in out
    assert "run 'make pull-spec regen'" in err
    assert "reported, not failed" not in err


def test_production_reached_and_equal_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    committed, upstream = hand_made(tmp_path, lambda doc: None)
    code, out, _ = _default_run(monkeypatch, capsys, str(upstream), "--spec", str(committed))
    assert (code, out) == (0, "no API differences\n")


def test_makefile_gives_dials_spec_url_no_default() -> None:
    """A fresh clone has no ../shared: make must not point DIALS_SPEC_URL there."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    [line] = [x for x in makefile.splitlines() if re.match(r"DIALS_SPEC_URL\s*\??=", x)]
    assert re.fullmatch(r"DIALS_SPEC_URL \?=\s*", line), line
    # Only the maintainers' rebuild of the local server's v1.12 spec reads ../shared.
    shared = [ln for ln in makefile.splitlines() if "../shared" in ln and not ln.startswith("#")]
    assert shared == ["DIALS_V112_SPEC ?= ../shared/dials/swagger-v1.12.0.json"]
    assert "scripts/check_drift.py" in makefile
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "swagger-current-reconstructed.json" in ci and '-f "$reconstructed"' in ci


def test_make_check_drift_takes_dials_spec_url_from_the_environment(tmp_path: Path) -> None:
    """As .ci/run sets it: an exported DIALS_SPEC_URL reaches scripts/check_drift.py."""
    missing = tmp_path / "no-such-swagger.json"
    env = {**os.environ, "DIALS_SPEC_URL": str(missing)}
    result = run(["make", "--no-print-directory", "-s", "check-drift"], env=env, timeout=300)
    assert result.returncode != 0
    assert f"check-drift: error: DIALS_SPEC_URL={missing}: " in result.stderr


def test_production_is_given_a_short_timeout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A firewall that drops packets must not stall make test for long."""
    asked: list[float] = []

    def fetch(source: str, timeout: float = 30.0) -> bytes:
        asked.append(timeout)
        raise check_drift.SourceError(f"{source}: cannot fetch (timed out)")

    monkeypatch.setattr(check_drift, "fetch", fetch)
    code, out, _ = _default_run(monkeypatch, capsys, "https://dials.invalid/swagger.json")
    assert (code, asked) == (0, [check_drift.PRODUCTION_TIMEOUT])
    assert check_drift.PRODUCTION_TIMEOUT <= 10
    assert "skipped" in out
