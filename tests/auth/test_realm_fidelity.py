"""The real cmsdials 2.4.1 (from PyPI) logs in against the local realm and reads the local DIALS.

The classic was written against CERN's Keycloak; that it runs unchanged here is
the check that the realm answers as Keycloak does (device flow, token exchange,
refresh grant, api-access client credentials) and that the DIALS side accepts
what it issues.
"""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path
from typing import Any

from auth_helpers import classic_env_python

SCRIPT = """
import sys, warnings
warnings.simplefilter("ignore")
from cmsdials import Dials
from cmsdials.auth.client import AuthClient
from cmsdials.auth.client_credentials import Credentials as ClientCredentials
from cmsdials.auth.device import Credentials

keycloak_url, client_id, client_secret, base_url = sys.argv[1:5]
auth = AuthClient(keycloak_url=keycloak_url)
app = ClientCredentials(client_id=client_id, client_secret=client_secret, client=auth)
print("app", len(Dials(app, base_url=base_url, workspace="tracker").run.list().results))
person = Credentials.from_creds_file(client=auth)   # no cache file: the device flow
first = person.refresh_token
print("person", len(Dials(person, base_url=base_url, workspace="tracker").run.list().results))
person.refresh()                                     # refresh grant + exchange
print("rotated", person.refresh_token != first)
print("person", len(Dials(person, base_url=base_url, workspace="tracker").run.list().results))
"""


def test_the_real_2_4_1_client_against_the_realm(srv: Any, tmp_path: Path) -> None:
    python = classic_env_python("2.4.1")
    stop = threading.Event()

    def person() -> None:  # approves every device login while the classic polls
        while not stop.wait(0.1):
            for device in list(srv.auth.realm._devices.values()):
                if not device.approved:
                    srv.approve_device(device.user_code)

    approver = threading.Thread(target=person, daemon=True)
    approver.start()
    try:
        done = subprocess.run(
            [
                python,
                "-c",
                SCRIPT,
                srv.keycloak_url,
                srv.client_id,
                srv.client_secret,
                srv.base_url,
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,  # not the repository, whose cmsdials would shadow the classic
            timeout=120,
            check=False,
        )
    finally:
        stop.set()
        approver.join(5)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[:4] == ["app 10", "person 10", "rotated True", "person 10"]
    assert (tmp_path / ".cache" / "creds").is_file()
