"""``python -m cmsdials.testing`` as a process: first lines, serving, clean stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest


@pytest.fixture
def process() -> Iterator[tuple[subprocess.Popen[str], str, str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cmsdials.testing", "--port", "0", "--seed", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "0"},
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        second = proc.stdout.readline().strip()
        yield proc, first, second
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_first_two_lines_then_serves_then_stops_on_sigterm(process) -> None:
    proc, first, second = process
    assert first.startswith("BASE_URL=http://127.0.0.1:") and first.endswith("/")
    assert second.startswith("SECRET_KEY=")
    base_url, secret = first.split("=", 1)[1], second.split("=", 1)[1]
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
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert "Traceback" not in stderr


def test_ctrl_c_stops_cleanly(process) -> None:
    proc, first, _ = process
    assert first.startswith("BASE_URL=")
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
