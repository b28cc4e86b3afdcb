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
SHARED = ROOT.parent / "shared" / "dials"
#: The spec openapi.json is pulled from: production's API as reconstructed from the classic
#: client 2.4.1, read in place (never copied into the repository).  Absent on a fresh
#: clone without ../shared: the tests that need it skip.
SNAPSHOT = SHARED / "swagger-current-reconstructed.json"
#: DIALS's own document at its last public release, v1.12.0.
V112 = SHARED / "swagger-v1.12.0.json"

if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))


def run(
    argv: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run a command as a user would (``env``: its environment), capturing its output."""
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def run_script(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python scripts/<args[0]> args[1:]``."""
    return run([sys.executable, str(SCRIPTS / args[0]), *args[1:]], cwd=cwd, env=env)


def write_json(path: Path, doc: Any, **dump: Any) -> Path:
    path.write_text(json.dumps(doc, **dump), encoding="utf-8")
    return path


def load_shared(path: Path) -> dict[str, Any]:
    """A shared spec document; the calling test skips when it is absent."""
    if not path.is_file():
        pytest.skip(f"spec snapshot {path} not available (no ../shared next to the checkout)")
    doc: dict[str, Any] = json.loads(path.read_bytes())
    return doc


@pytest.fixture(scope="session")
def snapshot_doc() -> dict[str, Any]:
    """The upstream document openapi.json is pulled from (see ``SNAPSHOT``)."""
    return load_shared(SNAPSHOT)


@pytest.fixture(scope="session")
def v112_doc() -> dict[str, Any]:
    """DIALS v1.12.0's own document (see ``V112``)."""
    return load_shared(V112)


@pytest.fixture
def snapshot(snapshot_doc: dict[str, Any]) -> dict[str, Any]:
    """A private deep copy of the snapshot, free to modify."""
    return copy.deepcopy(snapshot_doc)
