"""One process of a shared login (a notebook, a batch script), driven by a test.

Run as ``python login_process.py KEYCLOAK_URL DIALS_URL CACHE_DIR``. It loads the
person's ``Credentials`` from the cache file (``from_creds_file``, never a device
flow: not interactive), keeps them in memory as a long-lived process does, and
obeys one JSON command per line on stdin, answering one JSON line on stdout:

* ``{"op": "advance", "seconds": s}``: move this process's clock (no sleeping);
* ``{"op": "runs"}``: one DIALS request (``dials.run.list()``);
* ``{"op": "quit"}``.

Each answer carries ``refresh``, a fingerprint of the refresh token held in
memory (never the token), and after a failure ``error`` (the class names of the
error) and ``message``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import datetime

from cmsdials import Dials
from cmsdials.auth.client import AuthClient
from cmsdials.auth.device import Credentials
from cmsdials.testing.auth import Clock


class ClientClock(Clock):
    """The server's kind of clock (wall time plus an offset the test advances), as the
    ``datetime`` clock a client takes."""

    def __call__(self) -> datetime:
        return datetime.fromtimestamp(self.now())


def fingerprint(token: str | None) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()[:16]


def main(keycloak_url: str, base_url: str, cache_dir: str) -> None:
    clock = ClientClock()
    auth = AuthClient(keycloak_url=keycloak_url, clock=clock, interactive=False, retries=0)
    creds = Credentials.from_creds_file(cache_dir, auth)
    dials = Dials(creds, base_url=base_url, workspace="tracker")

    def answer(**fields: object) -> None:
        print(json.dumps({"refresh": fingerprint(creds.refresh_token), **fields}), flush=True)

    answer(ready=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "quit":
            break
        if command["op"] == "advance":
            clock.advance(float(command["seconds"]))
            answer()
            continue
        try:
            dials.run.list()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            names = [cls.__name__ for cls in type(exc).__mro__]
            answer(error=names, message=str(exc))
        else:
            answer(ok=True)
    dials.close()
    auth.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
