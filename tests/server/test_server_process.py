"""``python -m cmsdials.testing`` as a process: first lines, serving, clean stop."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from cmsdials.testing.process import LaunchError, LocalDialsProcess


@pytest.fixture
def process() -> Iterator[LocalDialsProcess]:
    launcher = LocalDialsProcess("--seed", "3")
    launcher.start()
    try:
        yield launcher
    finally:
        launcher.stop(signal.SIGKILL)


def test_first_two_lines_then_serves_then_stops_on_sigterm(process: LocalDialsProcess) -> None:
    announced = process.announced
    assert announced is not None
    assert announced.base_url.startswith("http://127.0.0.1:") and announced.ca_file is None
    base_url, secret = announced.base_url, announced.secret
    response = httpx.get(base_url + "api/v1/run/", headers={"X-CLIENT-SECRET": secret})
    assert response.status_code == 200 and response.json()["results"]
    control = httpx.post(
        base_url + "_control/faults",
        json={"kind": "status", "status": 503},
        headers={"X-CLIENT-SECRET": secret},
    )
    assert control.status_code == 200
    assert (
        httpx.get(base_url + "api/v1/run/", headers={"X-CLIENT-SECRET": secret}).status_code == 503
    )
    assert process.stop(signal.SIGTERM) == 0
    assert "Traceback" not in process.stderr


def test_ctrl_c_stops_cleanly(process: LocalDialsProcess) -> None:
    assert process.stop(signal.SIGINT) == 0
    assert "Traceback" not in process.stderr and "KeyboardInterrupt" not in process.stderr


def test_the_launcher_reads_exactly_what_the_process_prints() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "cmsdials.testing", "--port", "0", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0 and "--seed" in completed.stdout
    launcher = LocalDialsProcess("--no-such-option", startup_timeout=60)
    with pytest.raises(LaunchError, match="exited with 2 before announcing"):
        launcher.start()
