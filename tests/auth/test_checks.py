"""Construction-time checks of secrets and ids, the non-interactive failure, the announcement."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cmsdials.auth.client import AuthClient
from cmsdials.auth.client_credentials import Credentials as ClientCredentials
from cmsdials.auth.secret_key import Credentials as SecretKeyCredentials
from cmsdials.testing.process import LocalDialsProcess

BAD_VALUES = [
    ("", "empty"),
    ("  padded-secret-value", "whitespace"),
    ("secret-value-from-a-file\n", "whitespace"),
    ("secret\x00value", "control"),
    ("secret\x1bvalue", "control"),
    ("two words", "whitespace"),
]


@pytest.mark.parametrize(("value", "problem"), BAD_VALUES)
def test_bad_client_secret_and_id_are_refused_without_showing_them(
    value: str, problem: str
) -> None:
    auth = AuthClient(keycloak_url="http://kc.invalid/auth/")  # never reached
    with pytest.raises(ValueError, match=problem) as secret_error:
        ClientCredentials(client_id="my-app", client_secret=value, client=auth)
    assert "client_secret" in str(secret_error.value)
    with pytest.raises(ValueError, match=problem) as id_error:
        ClientCredentials(client_id=value, client_secret="fine-secret", client=auth)
    assert "client_id" in str(id_error.value)
    for error in (secret_error.value, id_error.value):
        if value:
            assert value not in str(error) and value.strip() not in str(error)


@pytest.mark.parametrize(("value", "problem"), [v for v in BAD_VALUES if v[0]])
def test_bad_secret_key_is_refused(value: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem) as info:
        SecretKeyCredentials(value)
    assert value.strip() not in str(info.value)


@pytest.mark.parametrize("name", ["client_id", "audience", "realm"])
def test_bad_auth_client_ids_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        AuthClient(**{name: "cms-dials-app\n"})


def test_credentials_are_not_pickled(srv: Any) -> None:
    auth = AuthClient(keycloak_url=srv.keycloak_url)
    creds = ClientCredentials(srv.client_id, srv.client_secret, auth)
    with pytest.raises(TypeError, match="not pickled") as info:
        pickle.dumps(creds)
    assert srv.client_secret not in str(info.value)
    auth.close()


NON_INTERACTIVE = """
import sys
from cmsdials.auth.client import AuthClient
from cmsdials.auth.device import Credentials
from cmsdials.auth.exceptions import NonInteractiveError
try:
    Credentials.from_creds_file(client=AuthClient(keycloak_url=sys.argv[1]))
except NonInteractiveError as exc:
    print(exc)
    sys.exit(3)
"""


def test_a_non_interactive_run_without_cache_fails_at_once(srv: Any, tmp_path: Path) -> None:
    before = len(srv.requests)
    env = {**os.environ, "CMSDIALS_CACHE_DIR": str(tmp_path / "nothing-here")}
    done = subprocess.run(
        [sys.executable, "-c", NON_INTERACTIVE, srv.keycloak_url],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    message = done.stdout
    assert "not" in message and "terminal" in message
    assert "from_creds_file" in message and "client_credentials" in message
    assert str(tmp_path / "nothing-here" / "creds") in message
    assert srv.requests[before:] == []  # not even a device code was asked for


def test_interactive_true_waits_for_the_person_anyway(srv: Any) -> None:
    auth = AuthClient(keycloak_url=srv.keycloak_url, interactive=True, sleep=lambda s: None)
    approved: list[str] = []

    import cmsdials.auth.client as client_module

    original = client_module.show_verification_url

    def approve(device: Any) -> None:
        code = device.verification_uri_complete.rsplit("=", 1)[1]
        srv.approve_device(code)
        approved.append(code)

    client_module.show_verification_url = approve
    try:
        token = auth.device_auth_flow()
    finally:
        client_module.show_verification_url = original
    assert approved and token.token_type == "Bearer"
    auth.close()


def test_the_server_announces_the_realm() -> None:
    launcher = LocalDialsProcess("--client-secret", "announced-secret-value")
    try:
        announced = launcher.start()
        names = [line.split("=", 1)[0] for line in launcher.lines]
        assert names == ["BASE_URL", "SECRET_KEY", "KEYCLOAK_URL", "CLIENT_ID", "CLIENT_SECRET"]
        assert announced.keycloak_url == announced.base_url + "auth/"
        assert announced.client_secret == "announced-secret-value"
        assert announced.client_id is not None
        with AuthClient(keycloak_url=announced.keycloak_url) as auth:
            creds = ClientCredentials(announced.client_id, announced.client_secret, auth)
            assert creds.token
    finally:
        launcher.stop()
