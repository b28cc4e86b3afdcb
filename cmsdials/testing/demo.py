"""``python -m cmsdials.testing.demo``: the README's basic example against a local DIALS.

Starts ``python -m cmsdials.testing`` as a subprocess (with the launcher of
:mod:`cmsdials.testing.process`), runs the basic example (credentials,
``Dials``, ``h1d.list_all`` of a pixel ME with ``max_pages=5``, a DataFrame
summary) and stops the server, also when the example fails.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from .process import Announced, LocalDialsProcess

ME = "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"
START_TIMEOUT = 60.0


@contextmanager
def local_dials(*extra_args: str) -> Iterator[Announced]:
    """Run ``python -m cmsdials.testing`` and yield what it announced; stop it after."""
    launcher = LocalDialsProcess(*extra_args, startup_timeout=START_TIMEOUT)
    try:
        yield launcher.start()
    finally:
        launcher.stop()


def _say(text: str) -> None:
    """The demo's output (a command-line tool: it talks on stdout)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def run_example(base_url: str, keycloak_url: str, client_id: str, client_secret: str) -> None:
    """The README's basic example, with an application's client credentials (as 2.4.1 has
    them), from the local server's Keycloak realm."""
    from cmsdials import Dials
    from cmsdials.auth.client import AuthClient
    from cmsdials.auth.client_credentials import Credentials
    from cmsdials.filters import LumisectionHistogram1DFilters

    creds = Credentials(
        client_id=client_id,
        client_secret=client_secret,
        client=AuthClient(keycloak_url=keycloak_url),
    )
    dials = Dials(creds, base_url=base_url)
    try:
        data = dials.h1d.list_all(LumisectionHistogram1DFilters(me=ME), max_pages=5)
        df = data.to_pandas()
    finally:
        dials.close()
    _say(f"fetched {len(df)} rows of {ME} from {base_url}")
    _say(f"runs: {sorted(df['run_number'].unique().tolist())}")
    _say(f"columns: {list(df.columns)}")
    _say(df.drop(columns=["data"], errors="ignore").head().to_string())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cmsdials.testing.demo",
        description="Run the README's basic example against a local DIALS started for it.",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the local data")
    args = parser.parse_args(argv)
    with local_dials("--seed", str(args.seed)) as server:
        _say(f"local DIALS running at {server.base_url}")
        if server.keycloak_url is None or server.client_id is None or not server.client_secret:
            raise SystemExit(
                "the local DIALS announced no Keycloak realm: pip install 'cmsdials[server]'"
            )
        run_example(server.base_url, server.keycloak_url, server.client_id, server.client_secret)
    _say("local DIALS stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
