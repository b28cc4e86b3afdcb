"""Every Python example of README.md and of the documentation site (``docs/``), run as
written against a local DIALS.

Each fenced ``python`` block runs on its own, in a fresh interpreter whose
working directory holds a token cached by an earlier login (``.cache/creds``),
so every block must import what it uses. The only edits: the placeholders for
where DIALS is and who logs in are filled in with the local server's (each
substitution below must be used, so that a page change cannot silently skip
one), and the environment holds the local application's ``DIALS_CLIENT_ID`` /
``DIALS_CLIENT_SECRET``. A block that cannot run here (production only, a person
at the keyboard) is preceded by ``<!-- docs-example: skip (why) -->`` and is
reported as a skipped test with that reason, so the count shows in every run. A
block that goes on from the one before it on its page (it uses its names) is
preceded by ``<!-- docs-example: continues -->`` and runs after that block's code.
Paths under ``/data/`` are made relative to the example's own folder, and
``CMSDIALS_CACHE_DIR`` points into it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import pytest

from cmsdials.testing import DialsServer, serve

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(
    r"(?:^<!-- docs-example: (?:skip \((?P<skip>[^)]*)\)|(?P<continues>continues)) -->\n)?"
    r"^(?P<indent> *)```python\n(?P<code>.*?)^(?P=indent)```$",
    re.S | re.M,
)


class Example(NamedTuple):
    page: str
    number: int
    code: str
    skip: str | None


def examples() -> list[Example]:
    found = []
    for page in PAGES:
        before = ""
        for number, match in enumerate(BLOCK.finditer(page.read_text())):
            indent = len(match.group("indent"))
            lines = match.group("code").splitlines()
            code = "\n".join(line[indent:] for line in lines) + "\n"
            if match.group("continues"):
                code = before + code
            before = code
            name = str(page.relative_to(ROOT))
            found.append(Example(name, number, code, match.group("skip")))
    return found


def blocks() -> list[str]:
    """The README's blocks."""
    return [e.code for e in examples() if e.page == "README.md"]


@pytest.fixture(scope="module")
def server() -> Iterator[DialsServer]:
    # Its own server: the session's checks requests against openapi.json, which does not
    # describe the Keycloak routes that client credentials use.
    with serve() as srv:
        yield srv


def substitutions(srv: DialsServer) -> dict[str, str]:
    client = '__import__("cmsdials.auth.client").auth.client.AuthClient'
    keycloak = f"{client}(keycloak_url={srv.keycloak_url!r})"
    app = f"client_id={srv.client_id!r}"
    return {
        'Credentials(client_id="my-application", client_secret="...")': (
            f"Credentials({app}, client_secret={srv.client_secret!r}, client={keycloak})"
        ),
        'Credentials(token="...", client_id="my-application")': (
            f"Credentials(token={srv.client_secret!r}, {app}, client={keycloak})"
        ),
        'Credentials(token="...")': f"Credentials(token={srv.secret!r})",
        # The device flow: the test plays the person who opens the link.
        "auth = AuthClient()": (
            f"auth = AuthClient(keycloak_url={srv.keycloak_url!r}, interactive=True)"
        ),
        'DEV_URL = "http://localhost:8000/"': f"DEV_URL = {srv.base_url!r}",
        '"/data/': '"',
        '), workspace="tracker")': f'), workspace="tracker", base_url={srv.base_url!r})',
        'Dials(creds, workspace="tracker")': (
            f'Dials(creds, workspace="tracker", base_url={srv.base_url!r})'
        ),
        'Dials(creds, workspace="jetmet")': (
            f'Dials(creds, workspace="jetmet", base_url={srv.base_url!r})'
        ),
        'Credentials(client_id=os.environ["DIALS_CLIENT_ID"], '
        'client_secret=os.environ["DIALS_CLIENT_SECRET"])': (
            'Credentials(client_id=os.environ["DIALS_CLIENT_ID"], '
            f'client_secret=os.environ["DIALS_CLIENT_SECRET"], client={keycloak})'
        ),
        "Dials(Credentials.from_creds_file())": (
            f"Dials(Credentials.from_creds_file(), base_url={srv.base_url!r})"
        ),
    }


def _approve_devices(srv: DialsServer, stop: threading.Event) -> None:
    """The person who opens the device-flow link: approves each login as it is asked for."""
    realm = srv.auth.realm
    while not stop.wait(0.05):
        with realm._lock:
            pending = [d.device_code for d in realm._devices.values() if not d.approved]
        for code in pending:
            srv.approve_device(code)


def _cache_a_login(srv: DialsServer, where: Path) -> None:
    """What a device-flow login left behind: .cache/creds with the local realm's token."""
    from cmsdials.auth._cache import creds_path, write_token
    from cmsdials.auth.models import Token

    answer = srv.issue_token(expires_in=3600, refresh_expires_in=7200)
    now = datetime.now()
    token = Token(
        **{
            k: answer[k]
            for k in ("access_token", "expires_in", "refresh_expires_in", "refresh_token")
        },
        token_type=answer["token_type"],
        expires_at=now + timedelta(seconds=3600),
        refresh_expires_at=now + timedelta(seconds=7200),
    )
    for cache in (".cache", ".cache-dev"):
        path = creds_path(where / cache)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_token(path, token)


def test_the_readme_and_the_docs_have_examples() -> None:
    assert len(blocks()) >= 1
    assert len(examples()) >= 30


@pytest.mark.parametrize("example", examples(), ids=[f"{e.page}:{e.number}" for e in examples()])
def test_example(example: Example, server: DialsServer, tmp_path: Path) -> None:
    if example.skip is not None:
        pytest.skip(f"{example.page} block {example.number}: {example.skip}")
    code = example.code
    for old, new in substitutions(server).items():
        code = code.replace(old, new)
    _cache_a_login(server, tmp_path)
    (tmp_path / "example.py").write_text(code)
    stop = threading.Event()
    person = threading.Thread(target=_approve_devices, args=(server, stop), daemon=True)
    person.start()
    try:
        out = subprocess.run(
            [sys.executable, "example.py"],
            cwd=tmp_path,
            env={
                **os.environ,
                "DIALS_CLIENT_ID": server.client_id,
                "DIALS_CLIENT_SECRET": server.client_secret,
                "CMSDIALS_CACHE_DIR": str(tmp_path / ".cache"),  # the cached login, the store cache
            },
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        stop.set()
        person.join()
    where = f"{example.page} block {example.number}"
    assert out.returncode == 0, f"{where}:\n{code}\n{out.stdout}\n{out.stderr}"
    assert "Traceback" not in out.stderr


def test_every_substitution_is_used(server: DialsServer) -> None:
    text = "".join(e.code for e in examples())
    for old in substitutions(server):
        assert old in text, f"no example has {old!r} any more: update the substitutions"
