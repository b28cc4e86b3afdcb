"""Paths, script runners and the spec snapshot for the pipeline tests."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
#: DIALS's own spec, read in place (never copied into the repository).
SNAPSHOT = ROOT.parent / "shared" / "dials" / "swagger-v1.12.0.json"

if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))


def run_script(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python scripts/<args[0]> args[1:]`` as a user would."""
    return subprocess.run(
        [sys.executable, str(SCRIPTS / args[0]), *args[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def write_json(path: Path, doc: Any, **dump: Any) -> Path:
    path.write_text(json.dumps(doc, **dump), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def snapshot_doc() -> dict[str, Any]:
    """The upstream DIALS document; the tests that need it skip when it is absent."""
    if not SNAPSHOT.is_file():
        pytest.skip(f"spec snapshot {SNAPSHOT} not available")
    doc: dict[str, Any] = json.loads(SNAPSHOT.read_bytes())
    return doc


@pytest.fixture
def snapshot(snapshot_doc: dict[str, Any]) -> dict[str, Any]:
    """A private deep copy of the snapshot, free to modify."""
    return copy.deepcopy(snapshot_doc)
