"""``make check-drift`` end to end: pull a copy of the snapshot, then diff it with openapi.json.

The Makefile target runs ``scripts/pull_spec.py --source $DIALS_SPEC_URL --output <tmp>``
and ``scripts/spec_diff.py openapi.json <tmp>``; these tests run the same two commands.
"""

from __future__ import annotations

import copy
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .conftest import ROOT, SNAPSHOT, run_script, write_json


def check_drift(source: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    pulled = tmp_path / "pulled" / "openapi.json"
    pulled.parent.mkdir()
    pull = run_script("pull_spec.py", "--source", str(source), "--output", str(pulled))
    assert pull.returncode == 0, pull.stderr
    return run_script("spec_diff.py", "openapi.json", str(pulled))


def drifted(
    snapshot: dict[str, Any], tmp_path: Path, mutate: Callable[[dict[str, Any]], None]
) -> subprocess.CompletedProcess[str]:
    doc = copy.deepcopy(snapshot)
    mutate(doc)
    source = write_json(tmp_path / "swagger.json", doc, indent=4)
    return check_drift(source, tmp_path)


def test_passes_against_the_shared_snapshot(snapshot_doc: dict[str, Any], tmp_path: Path) -> None:
    committed = ROOT / "openapi.json"
    before, mtime = committed.read_bytes(), committed.stat().st_mtime_ns
    result = check_drift(SNAPSHOT, tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "no API differences\n", "")
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
