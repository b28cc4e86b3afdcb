"""``python -m cmsdials.testing.demo``: the README's basic example against a local DIALS.

Starts ``python -m cmsdials.testing`` as a subprocess (with the launcher of
:mod:`cmsdials.testing.process`), runs the basic example (credentials,
``Dials``, ``h1d.list_all`` of a pixel ME with ``max_pages=5``, a DataFrame
summary) and stops the server, also when the example fails.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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
    from cmsdials.auth.client import AuthClient
    from cmsdials.auth.client_credentials import Credentials
    from cmsdials.filters import LumisectionHistogram1DFilters

    from ..cmsdials import Dials

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
    _say(summary(df))


#: The demo's output fits a terminal this wide (no DataFrame wrapped into fragments).
WIDTH = 80


def summary(df: Any) -> str:
    """What was fetched, in lines of at most :data:`WIDTH` characters."""
    runs = sorted(df["run_number"].unique().tolist())
    first = df.iloc[0]
    lines = [
        f"fetched {len(df)} rows (max_pages=5) of the ME",
        f"  {ME}",
        f"runs        {len(runs)}: {runs[0]} ... {runs[-1]}"
        if len(runs) > 1
        else f"run         {runs[0]}",
        f"bins        {first['x_bin']} in [{first['x_min']:g}, {first['x_max']:g})",
    ]
    columns = textwrap.wrap(", ".join(df.columns), WIDTH - 14)
    lines.append(f"columns     {columns[0]}")
    lines += [f"            {more}" for more in columns[1:]]
    lines.append("first rows (the bins of each are a list in df['data']):")
    head = df[["run_number", "ls_number", "me_id", "entries"]].head().to_string(index=False)
    lines += ["  " + line for line in head.splitlines()]
    return "\n".join(line[:WIDTH] for line in lines)


NEXT = (
    "next: `make server` runs a local DIALS to point your own code at (it prints\n"
    "      BASE_URL and the credentials); README.md's examples show what to run."
)


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
    _say(NEXT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
