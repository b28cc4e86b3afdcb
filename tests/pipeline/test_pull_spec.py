"""The pull: its repair report, the canonical output, and failures that touch nothing."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pull_spec
import pytest

from repairs import REPAIRS

from .conftest import ROOT, SNAPSHOT, V112, run_script, write_json
from .specs import CASES, Case, clean_doc, op_at, param

NAMES = [r.name for r in REPAIRS]


def pull(capsys: pytest.CaptureFixture[str], source: Path, output: Path) -> tuple[int, str]:
    capsys.readouterr()
    code = pull_spec.main(["--source", str(source), "--output", str(output)])
    return code, capsys.readouterr().err


def report_of(err: str) -> dict[str, str]:
    """``{repair name: "applied" | "unnecessary"}`` from the pull's report."""
    found = dict(
        (m.group(2), m.group(1))
        for m in re.finditer(r"^  (applied|unnecessary) +([a-z0-9-]+)", err, re.MULTILINE)
    )
    return found


def unsorted_objects(value: Any, where: str = "", declared: bool = False) -> list[str]:
    """Objects whose keys are not sorted, property maps (declared order) excepted."""
    out = []
    if isinstance(value, dict):
        if not declared and list(value) != sorted(value):
            out.append(where or "<root>")
        for key, child in value.items():
            out += unsorted_objects(child, f"{where}/{key}", not declared and key == "properties")
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out += unsorted_objects(child, f"{where}/{i}")
    return out


def assert_canonical(text: str) -> None:
    doc = json.loads(text)
    assert text == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    assert unsorted_objects(doc) == []
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert '\n  "components": {\n    "schemas"' in text  # 2-space indent, sorted keys


# --------------------------------------------------------------------------- #
# The report: applied / unnecessary
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.repair)
def test_report_names_the_applied_repair_and_the_unnecessary_ones(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_json(tmp_path / "upstream.json", case.defective())
    output = tmp_path / "openapi.json"
    code, err = pull(capsys, source, output)
    assert code == 0, err
    expected = {name: "unnecessary" for name in NAMES} | {case.repair: "applied"}
    assert report_of(err) == expected
    assert re.search(rf"^  applied +{case.repair} \([1-9]\d* place\(s\)\)$", err, re.MULTILINE)
    assert case.problems(json.loads(output.read_text())) == []

    # pulling the repaired document again: every repair is unnecessary, nothing changes
    before = output.read_bytes()
    again = tmp_path / "again.json"
    code, err = pull(capsys, output, again)
    assert code == 0, err
    assert report_of(err) == {name: "unnecessary" for name in NAMES}
    assert "upstream no longer has this defect; remove the repair" in err
    assert again.read_bytes() == before


def test_already_fixed_document_reports_every_repair_unnecessary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_json(tmp_path / "upstream.json", clean_doc())
    code, err = pull(capsys, source, tmp_path / "out.json")
    assert code == 0, err
    assert report_of(err) == {name: "unnecessary" for name in NAMES}
    assert "upstream document: 0 validation error(s)" in err
    assert json.loads((tmp_path / "out.json").read_text()) == clean_doc()


def test_committed_openapi_json_is_a_fixed_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """openapi.json is repaired already: pulling it finds nothing to do and changes no byte."""
    code, err = pull(capsys, ROOT / "openapi.json", tmp_path / "openapi.json")
    assert code == 0, err
    assert report_of(err) == {name: "unnecessary" for name in NAMES}
    assert (tmp_path / "openapi.json").read_bytes() == (ROOT / "openapi.json").read_bytes()


def test_snapshot_report(
    snapshot_doc: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = pull(capsys, SNAPSHOT, tmp_path / "openapi.json")
    assert code == 0, err
    assert "upstream document: 28 validation error(s)" in err
    unnecessary = {"trailing-slash", "json-route-required-params"}
    expected = {name: "applied" for name in NAMES} | dict.fromkeys(unnecessary, "unnecessary")
    assert report_of(err) == expected
    assert "left alone" not in err


def test_v112_report(
    v112_doc: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = pull(capsys, V112, tmp_path / "openapi.json")
    assert code == 0, err
    assert report_of(err) == {name: "applied" for name in NAMES}
    assert "left alone" not in err


def test_report_lists_what_a_repair_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = clean_doc()
    param(doc, "/api/v1/th1/", "run_number__gte")["schema"] = {"type": "number"}
    param(doc, "/api/v1/th1/", "run_number")["schema"] = {"type": "string"}
    source = write_json(tmp_path / "upstream.json", doc)
    code, err = pull(capsys, source, tmp_path / "openapi.json")
    assert code == 0, err
    assert report_of(err)["query-filter-types"] == "applied"
    left = [line for line in err.splitlines() if line.startswith("  left alone")]
    assert left == [
        "  left alone   query-filter-types: GET /api/v1/th1/ run_number__gte: typed number "
        "upstream, the column is integer"
    ]
    assert "make check-drift shows it" in err
    out = json.loads((tmp_path / "openapi.json").read_text())
    assert param(out, "/api/v1/th1/", "run_number__gte")["schema"] == {"type": "number"}


# --------------------------------------------------------------------------- #
# Canonical form
# --------------------------------------------------------------------------- #
def test_committed_openapi_json_is_what_the_pull_makes_of_the_snapshot(
    snapshot_doc: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = pull(capsys, SNAPSHOT, tmp_path / "openapi.json")
    assert code == 0, err
    made = (tmp_path / "openapi.json").read_bytes()
    assert made == (ROOT / "openapi.json").read_bytes(), "run make pull-spec and commit"
    assert_canonical((ROOT / "openapi.json").read_text(encoding="utf-8"))


def test_pull_twice_is_byte_identical_and_leaves_the_file_alone(
    snapshot_doc: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert pull(capsys, SNAPSHOT, first)[0] == 0
    assert pull(capsys, SNAPSHOT, second)[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert_canonical(first.read_text(encoding="utf-8"))

    os.utime(first, (1_000_000_000, 1_000_000_000))
    code, err = pull(capsys, SNAPSHOT, first)
    assert code == 0
    assert f"{first}: unchanged" in err
    assert first.stat().st_mtime == 1_000_000_000
    assert first.read_bytes() == second.read_bytes()


def _scramble(node: Any, declared: bool = False) -> Any:
    """The same JSON value with every object's keys in reverse order, but for property
    maps, whose declared order is part of the API (field order)."""
    if isinstance(node, dict):
        keys = list(node) if declared else list(reversed(list(node)))
        return {k: _scramble(node[k], not declared and k == "properties") for k in keys}
    if isinstance(node, list):
        return [_scramble(v) for v in node]
    return node


def test_canonical_output_does_not_depend_on_source_formatting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = CASES[0].defective()
    compact = write_json(tmp_path / "compact.json", doc, separators=(",", ":"))
    scrambled = write_json(tmp_path / "scrambled.json", _scramble(doc), indent=7)
    assert compact.read_bytes() != scrambled.read_bytes()
    assert pull(capsys, compact, tmp_path / "a.json")[0] == 0
    assert pull(capsys, scrambled, tmp_path / "b.json")[0] == 0
    text = (tmp_path / "a.json").read_text(encoding="utf-8")
    assert text == (tmp_path / "b.json").read_text(encoding="utf-8")
    assert_canonical(text)


def test_property_maps_keep_their_declared_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = CASES[0].defective()
    th1 = doc["components"]["schemas"]["TH1"]
    th1["properties"] = dict(reversed(list(th1["properties"].items())))
    declared = list(th1["properties"])
    source = write_json(tmp_path / "upstream.json", doc)
    assert pull(capsys, source, tmp_path / "openapi.json")[0] == 0
    out = json.loads((tmp_path / "openapi.json").read_text(encoding="utf-8"))
    assert list(out["components"]["schemas"]["TH1"]["properties"]) == declared
    assert declared != sorted(declared)


def test_output_keeps_non_ascii_text_readable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = clean_doc()
    doc["info"]["description"] = "Données de qualité — per-lumisection"
    source = write_json(tmp_path / "upstream.json", doc)
    assert pull(capsys, source, tmp_path / "out.json")[0] == 0
    assert "Données de qualité — per-lumisection" in (tmp_path / "out.json").read_text("utf-8")


# --------------------------------------------------------------------------- #
# Bad sources: one-line error naming the source, exit 2 (1 if unrepairable), output untouched
# --------------------------------------------------------------------------- #
def _still_invalid() -> dict[str, Any]:
    doc = clean_doc()
    del op_at(doc, "/api/v1/th1/")["responses"]["200"]["description"]  # no repair for this
    return doc


BAD_SOURCES: dict[str, Any] = {
    "missing-file": None,
    "unreachable-url": "http://127.0.0.1:9/swagger.json",
    "invalid-json": b'{"openapi": "3.0.2", "paths": {',
    "not-utf8": b"\xff\xfe\x00{",
    "json-not-openapi": {"swagger": "2.0", "info": {}, "definitions": {}},
    "json-array": [1, 2, 3],
    "invalid-after-repairs": _still_invalid(),
}
EXPECTED_PROBLEM = {
    "missing-file": "cannot read",
    "unreachable-url": "cannot fetch",
    "invalid-json": "not JSON",
    "not-utf8": "not JSON",
    "json-not-openapi": "not an OpenAPI 3 document",
    "json-array": "not an OpenAPI 3 document",
    "invalid-after-repairs": "still invalid after repairs",
}


@pytest.mark.parametrize("kind", list(BAD_SOURCES))
def test_bad_source_fails_cleanly_and_leaves_the_output_untouched(
    kind: str, tmp_path: Path
) -> None:
    content = BAD_SOURCES[kind]
    if kind == "missing-file":
        source = str(tmp_path / "no-such-swagger.json")
    elif kind == "unreachable-url":
        source = content
    else:
        path = tmp_path / "swagger.json"
        path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
        source = str(path)
    out_dir = tmp_path / "repo"
    out_dir.mkdir()
    output = out_dir / "openapi.json"
    output.write_bytes(b'{"previous": "pull"}\n')
    os.utime(output, (1_000_000_000, 1_000_000_000))

    result = run_script("pull_spec.py", "--source", source, "--output", str(output))

    unreadable = kind != "invalid-after-repairs"
    assert result.returncode == (2 if unreadable else 1)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("pull-spec: error: ")
    assert source in lines[0]
    assert EXPECTED_PROBLEM[kind] in lines[0]
    # a source that cannot be read says what to do about it
    assert ("point DIALS_SPEC_URL (or --source) at DIALS's swagger.json" in lines[0]) is unreadable
    assert "Traceback" not in result.stderr
    assert output.read_bytes() == b'{"previous": "pull"}\n'
    assert output.stat().st_mtime == 1_000_000_000
    assert sorted(p.name for p in out_dir.iterdir()) == ["openapi.json"]  # no temp file left


def test_default_source_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_json(tmp_path / "upstream.json", clean_doc())
    monkeypatch.setenv("DIALS_SPEC_URL", str(source))
    capsys.readouterr()
    assert pull_spec.main(["--output", str(tmp_path / "out.json")]) == 0
    assert json.loads((tmp_path / "out.json").read_text()) == clean_doc()
    monkeypatch.delenv("DIALS_SPEC_URL")
    assert pull_spec.default_source() == pull_spec.PRODUCTION_SPEC_URL


def test_file_url_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_json(tmp_path / "upstream.json", clean_doc())
    capsys.readouterr()
    code = pull_spec.main(["--source", source.as_uri(), "--output", str(tmp_path / "o.json")])
    assert code == 0
    assert json.loads((tmp_path / "o.json").read_text()) == clean_doc()
