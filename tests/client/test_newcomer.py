"""What a newcomer meets first (issue 23): installing, first errors, Ctrl-C, notebooks.

Each test plays what a new user does, over real sockets (and real processes where the
issue is about a terminal or a signal), and checks what they see.
"""

from __future__ import annotations

import os
import pickle
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cmsdials import Dials, exceptions
from cmsdials.auth.client import AuthClient
from cmsdials.auth.client_credentials import Credentials as ClientCredentials
from cmsdials.auth.exceptions import KeycloakUnreachableError

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A loopback port nobody listens on (bound, read, released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def run_python(
    tmp_path: Path, code: str, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``code`` as a user's script file in a fresh interpreter: no logging configured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMSDIALS_")}
    env["PYTHONWARNINGS"] = "ignore::DeprecationWarning"
    script = tmp_path / "user_script.py"
    script.write_text(textwrap.dedent(code))
    return subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )


def frames_below(stderr: str, marker: str) -> int:
    """Frames Python printed below the user's line ``marker``, over every chained block."""
    lines = stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if marker in line)
    return sum(1 for line in lines[start + 1 :] if line.startswith('  File "'))


# -- item 2: credentials without client= go to CERN's Keycloak ---------------------------


def test_credentials_without_client_name_cerns_keycloak_once(
    monkeypatch: pytest.MonkeyPatch, no_sleep: list[float]
) -> None:
    # CERN's Keycloak unreachable from here (as from a laptop off the network): the
    # production URL is pointed at a loopback port nobody listens on.
    production = f"http://127.0.0.1:{free_port()}/auth/"
    monkeypatch.setattr(AuthClient, "PRODUCTION_KEYCLOAK_URL", production)
    with pytest.raises(KeycloakUnreachableError) as caught:
        creds = ClientCredentials(client_id="my-application", client_secret="s3cret-value")
        Dials(creds, base_url="http://127.0.0.1:1/").run.list()
    message = str(caught.value)
    assert message.count(production) == 1 and message.count("http") == 1
    assert "Keycloak at " + production in message
    assert "no AuthClient(keycloak_url=...) was given" in message
    assert "CERN's production realm" in message and "client=AuthClient(keycloak_url=" in message
    assert "base_url" not in message and "DIALS reachable" not in message
    assert "((" not in message and "s3cret-value" not in message
    assert "5 attempts" in message and "ConnectError" in message
    assert isinstance(caught.value, exceptions.DialsConnectionError)


def test_an_explicit_keycloak_url_is_not_called_production(no_sleep: list[float]) -> None:
    url = f"http://127.0.0.1:{free_port()}/auth/"
    with pytest.raises(KeycloakUnreachableError) as caught:
        creds = ClientCredentials("my-application", "s3cret-value", AuthClient(keycloak_url=url))
        Dials(creds, base_url="http://127.0.0.1:1/").run.list(retries=0)
    message = str(caught.value)
    assert message.count(url) == 1 and "check the network and keycloak_url" in message
    assert "production" not in message


# -- item 3: nothing listening at base_url ---------------------------------------------


def test_nothing_listening_says_attempts_and_time_with_a_short_traceback(
    tmp_path: Path,
) -> None:
    """A user's script, no logging set up: one WARNING at the first retry, then an error
    naming the attempts and the time, whose traceback ends in our frames."""
    result = run_python(
        tmp_path,
        f"""
        from urllib3.util import Retry
        from cmsdials import Dials
        dials = Dials(None, base_url="http://127.0.0.1:{free_port()}/")
        dials.run.list(retries=Retry(connect=3, backoff_factor=0.01))  # the user's call
        """,
    )
    err = result.stderr
    assert result.returncode == 1, err
    assert err.count("retrying GET") == 1  # the first retry only: a WARNING
    assert "further retries back off" in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("cmsdials.exceptions.DialsConnectionError: GET ")
    assert "failed after 4 attempts over " in last and "ConnectError" in last
    assert "direct cause" not in err and "During handling" not in err
    assert "httpx" not in err.split("Traceback", 1)[1].split(last)[0]
    assert frames_below(err, "# the user's call") <= 8


def test_the_cause_stays_on_an_attribute_and_out_of_a_pickle(no_sleep: list[float]) -> None:
    import httpx

    with Dials(None, base_url=f"http://127.0.0.1:{free_port()}/") as dials:
        with pytest.raises(exceptions.DialsConnectionError) as caught:
            dials.run.list()
    error = caught.value
    assert isinstance(error.cause, httpx.ConnectError) and error.attempts == 5
    assert error.__cause__ is None and error.__suppress_context__
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error) and copy.cause is None and copy.attempts == 5
