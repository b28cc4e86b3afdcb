"""Fixtures of the ``dials`` command-line tests: the installed console script, run as a
subprocess against the session's local DIALS with client credentials from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from cmsdials import Dials
from cmsdials.auth.client import AuthClient
from cmsdials.auth.client_credentials import Credentials
from cmsdials.testing import DialsServer

#: The console script that ``pip install cmsdials`` puts beside the interpreter.
DIALS = Path(sys.executable).with_name("dials")

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def srv(dials_server: DialsServer) -> Iterator[DialsServer]:
    dials_server.faults.clear()
    dials_server.clear_requests()
    yield dials_server
    dials_server.faults.clear()


@pytest.fixture
def lib(srv: DialsServer) -> Iterator[Dials]:
    """The library, with the same credentials, to compare the command line's output with."""
    auth = AuthClient(keycloak_url=srv.keycloak_url)
    with Dials(Credentials(srv.client_id, srv.client_secret, auth), base_url=srv.base_url) as d:
        yield d


@pytest.fixture
def env(srv: DialsServer, tmp_path: Path) -> dict[str, str]:
    """The environment of a batch job pointed at the local DIALS (client credentials)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CMSDIALS_", "_DIALS"))}
    return {
        **base,
        "CMSDIALS_BASE_URL": srv.base_url,
        "CMSDIALS_KEYCLOAK_URL": srv.keycloak_url,
        "CMSDIALS_CLIENT_ID": srv.client_id,
        "CMSDIALS_CLIENT_SECRET": srv.client_secret,
        "CMSDIALS_CACHE_DIR": str(tmp_path / "cache"),
        "COLUMNS": "100",
    }


def run_dials(
    args: list[str],
    env: Mapping[str, str],
    *,
    code: int = 0,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``dials args`` (no terminal: stdin from /dev/null, output captured); check its
    exit status is ``code`` and that it printed no traceback (unless ``--debug``)."""
    done = subprocess.run(
        [str(DIALS), *args],
        env=dict(env),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == code, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    if "--debug" not in args:
        assert "Traceback" not in done.stderr, done.stderr
    return done


def start(args: list[str], env: Mapping[str, str], cwd: Path) -> subprocess.Popen[str]:
    """``dials args`` started in the background, its output in pipes (no terminal)."""
    return subprocess.Popen(
        [str(DIALS), *args],
        env=dict(env),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def shell(script: str, env: Mapping[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``script`` run by ``bash -e -o pipefail`` with the installed ``dials`` on its PATH."""
    path = f"{DIALS.parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        env={**env, "PATH": path},
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


@pytest.fixture
def dials(env: dict[str, str], tmp_path: Path) -> Run:
    """``dials(*args, code=0)``: the installed ``dials`` with ``env``, in ``tmp_path``."""
    assert DIALS.exists(), f"{DIALS} is not installed (make sync)"

    def run(*args: str, code: int = 0, **overrides: str | None) -> subprocess.CompletedProcess[str]:
        changed = dict(env)
        for key, value in overrides.items():
            if value is None:
                changed.pop(key, None)
            else:
                changed[key] = value
        return run_dials(list(args), changed, code=code, cwd=tmp_path)

    return run
