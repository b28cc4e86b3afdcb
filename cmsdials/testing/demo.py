"""``python -m cmsdials.testing.demo``: the README's basic example against a local DIALS.

Starts ``python -m cmsdials.testing`` as a subprocess, reads ``BASE_URL`` and
``SECRET_KEY`` from its first two lines, runs the basic example (credentials,
``Dials``, ``h1d.list_all`` of a pixel ME with ``max_pages=5``, a DataFrame
summary) and stops the server, also when the example fails.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

ME = "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"
START_TIMEOUT = 60.0


def _read_first_lines(stream: IO[str], count: int, timeout: float) -> list[str]:
    lines: list[str] = []

    def read() -> None:
        for _ in range(count):
            line = stream.readline()
            if not line:
                return
            lines.append(line.strip())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    return lines


@contextmanager
def local_dials(*extra_args: str) -> Iterator[tuple[str, str]]:
    """Run ``python -m cmsdials.testing`` and yield ``(base_url, secret)``; stop it after."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "cmsdials.testing", "--port", "0", *extra_args],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = _read_first_lines(proc.stdout, 2, START_TIMEOUT)
        values = dict(line.split("=", 1) for line in lines if "=" in line)
        if "BASE_URL" not in values or "SECRET_KEY" not in values:
            raise RuntimeError(f"the local DIALS did not start (it printed {lines!r})")
        yield values["BASE_URL"], values["SECRET_KEY"]
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def _say(text: str) -> None:
    """The demo's output (a command-line tool: it talks on stdout)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def run_example(base_url: str, secret: str) -> None:
    """The README's basic example, with client-secret credentials."""
    from cmsdials import Dials
    from cmsdials.auth.secret_key import Credentials
    from cmsdials.filters import LumisectionHistogram1DFilters

    creds = Credentials(token=secret)
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
    with local_dials("--seed", str(args.seed)) as (base_url, secret):
        _say(f"local DIALS running at {base_url}")
        run_example(base_url, secret)
    _say("local DIALS stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
