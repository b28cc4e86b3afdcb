"""Credentials travel to another process as a recipe of their own (``for_worker()``).

The recipe is pickled into a Dask graph: its repr shows no secret, and built in a
fresh interpreter it gives credentials that DIALS accepts (tokens fetched there).
"""

from __future__ import annotations

import ast
import os
import pickle
import subprocess
import sys
import warnings
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from cmsdials.auth.client import AuthClient
from cmsdials.auth.client_credentials import Credentials as ClientCredentials
from cmsdials.auth.secret_key import Credentials as SecretKey

ROOT = Path(__file__).resolve().parents[2]

# Unpickles a recipe from stdin, builds the credentials and lists runs with them.
BUILD_AND_USE = """
import pickle, sys
from cmsdials import Dials
recipe = pickle.loads(sys.stdin.buffer.read())
creds = recipe()
with Dials(creds, base_url=sys.argv[1]) as dials:
    print(type(creds).__name__, len(dials.run.list().results) > 0)
"""


def _in_another_process(recipe: Any, base_url: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", BUILD_AND_USE, base_url],
        input=pickle.dumps(recipe),
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode().strip()


def test_client_credentials_travel_with_their_secret_masked(srv: Any) -> None:
    creds = ClientCredentials(
        srv.client_id, srv.client_secret, AuthClient(keycloak_url=srv.keycloak_url)
    )
    recipe = creds.for_worker()
    assert recipe is not None
    assert srv.client_secret not in repr(recipe) and "***" in repr(recipe)
    assert creds.token is not None and creds.token.encode() not in pickle.dumps(recipe)
    srv.clear_requests()
    assert _in_another_process(recipe, srv.base_url) == "Credentials True"
    assert any(r.path.endswith("/api-access/token") for r in srv.requests)


def test_a_secret_key_travels(srv: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        creds = SecretKey(srv.secret)
    recipe = creds.for_worker()
    assert recipe is not None and srv.secret not in repr(recipe)
    assert _in_another_process(recipe, srv.base_url) == "Credentials True"


def test_a_persons_login_travels_as_its_cache_file(srv: Any, tmp_path: Path) -> None:
    from cmsdials.auth import device
    from cmsdials.auth.models import Token
    from cmsdials.testing.keycloak import PUBLIC_CLIENT_ID

    answer = srv.auth.realm.issue_token(client_id=PUBLIC_CLIENT_ID)
    creds = device.Credentials.from_authclient_token(
        Token.stamped(answer, datetime.now()),
        cache_dir=tmp_path,
        client=AuthClient(keycloak_url=srv.keycloak_url),
    )
    recipe = creds.for_worker()
    assert recipe is not None
    assert answer["access_token"] not in repr(recipe)
    assert answer["access_token"].encode() not in pickle.dumps(recipe)
    assert _in_another_process(recipe, srv.base_url) == "Credentials True"


def test_what_cannot_travel_says_so() -> None:
    legacy = AuthClient(base_url="http://localhost:1/")  # DIALS v1.12's own device routes
    assert legacy.for_worker() is None
    assert not hasattr(httpx.Auth(), "for_worker")


def test_distributed_names_no_credentials_class() -> None:
    tree = ast.parse((ROOT / "cmsdials" / "distributed.py").read_text())
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    modules = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not [n for n in names if "Credentials" in n or "AuthClient" in n]
    assert not [m for m in modules if m.startswith("auth") or ".auth" in m]
