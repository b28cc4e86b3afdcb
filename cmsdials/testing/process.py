"""The one launcher of ``python -m cmsdials.testing`` as a child process.

The demo, the bench and the tests start a local DIALS in its own process with
:class:`LocalDialsProcess`: it starts the server, reads the lines it announces
(``BASE_URL=``, ``SECRET_KEY=``, with ``--tls`` ``CA_FILE=``, then
``KEYCLOAK_URL=``, ``CLIENT_ID=``, ``CLIENT_SECRET=``), drains the
rest of its output on a thread (so a chatty server never blocks on a full
pipe) and stops it with SIGTERM (then SIGKILL if it hangs).

::

    with LocalDialsProcess("--seed", "3") as local:
        dials = Dials(Credentials(token=local.secret), base_url=local.base_url)
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

__all__ = ["Announced", "LaunchError", "LocalDialsProcess"]

#: Seconds to wait for the announced lines by default.
START_TIMEOUT = 120.0
#: Seconds a stopped server has to exit before it is killed.
STOP_TIMEOUT = 15.0


class LaunchError(RuntimeError):
    """The server did not start, or did not announce where it listens."""


@dataclass(frozen=True)
class Announced:
    """Where the server listens, the client secret it accepts, the CA to trust (HTTPS)."""

    base_url: str
    secret: str
    #: PEM file of the server's CA when it serves HTTPS (None for plain HTTP).
    ca_file: str | None = None
    #: The local Keycloak realm's URL and its registered application (client credentials).
    keycloak_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = None


class LocalDialsProcess:
    """``python -m cmsdials.testing --port 0 ARGS...`` as a child process.

    ``args`` are the server's command-line options (``--seed 3``, ``--tls``,
    ...). Output after the announced lines, and all of stderr, go to
    ``log_path`` when given; otherwise stderr is kept in memory (``stderr``,
    complete once stopped). ``start()`` (or ``with``) returns the
    :class:`Announced` values; ``stop()`` returns the exit status.
    """

    def __init__(
        self,
        *args: str,
        python: str = sys.executable,
        cwd: str | Path | None = None,
        log_path: Path | None = None,
        startup_timeout: float = START_TIMEOUT,
    ) -> None:
        self.args = args
        self.python = python
        self.cwd = cwd
        self.log_path = log_path
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[str] | None = None
        self.announced: Announced | None = None
        #: The announced lines as printed (``NAME=value``), in order.
        self.lines: list[str] = []
        self._log: IO[str] | None = None
        self._stderr: list[str] = []
        self._threads: list[threading.Thread] = []

    @property
    def stderr(self) -> str:
        """What the server wrote on stderr (without ``log_path``)."""
        return "".join(self._stderr)

    def start(self) -> Announced:
        wanted = ["BASE_URL", "SECRET_KEY"] + (["CA_FILE"] if "--tls" in self.args else [])
        wanted += ["KEYCLOAK_URL", "CLIENT_ID", "CLIENT_SECRET"]
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = open(self.log_path, "w", encoding="utf-8")
        port = [] if "--port" in self.args else ["--port", "0"]
        self.process = subprocess.Popen(
            [self.python, "-m", "cmsdials.testing", *port, *self.args],
            stdout=subprocess.PIPE,
            stderr=self._log if self._log is not None else subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            cwd=self.cwd,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        lines: queue.Queue[str | None] = queue.Queue()
        self._spawn(self._pump_stdout, self.process.stdout, lines)
        if self.process.stderr is not None:
            self._spawn(self._pump_stderr, self.process.stderr)
        values: dict[str, str] = {}
        while not all(key in values for key in wanted):
            try:
                line = lines.get(timeout=self.startup_timeout)
            except queue.Empty:
                self.stop()
                raise LaunchError(
                    f"the local DIALS announced nothing within {self.startup_timeout:.0f} s"
                    f"{self._where()}"
                ) from None
            if line is None:
                code = self.stop()
                raise LaunchError(
                    f"the local DIALS exited with {code} before announcing its URL{self._where()}"
                )
            key, sep, value = line.strip().partition("=")
            if sep and key in wanted:
                values[key] = value
                self.lines.append(line.strip())
        base_url = values["BASE_URL"]
        self.announced = Announced(
            base_url=base_url if base_url.endswith("/") else base_url + "/",
            secret=values["SECRET_KEY"],
            ca_file=values.get("CA_FILE"),
            keycloak_url=values["KEYCLOAK_URL"],
            client_id=values["CLIENT_ID"],
            client_secret=values["CLIENT_SECRET"],
        )
        return self.announced

    def _where(self) -> str:
        if self.log_path is not None:
            return f" (log: {self.log_path})"
        return f"; stderr: {self.stderr[-2000:]!r}" if self._stderr else ""

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        thread.start()
        self._threads.append(thread)

    def _pump_stdout(self, stream: IO[str] | None, lines: queue.Queue[str | None]) -> None:
        """Hand the lines to ``start``, and copy them into the log."""
        if stream is not None:
            for line in stream:
                lines.put(line)
                if self._log is not None and not self._log.closed:
                    self._log.write(line)
        lines.put(None)

    def _pump_stderr(self, stream: IO[str]) -> None:
        for line in stream:
            self._stderr.append(line)

    def stop(self, signum: int = signal.SIGTERM) -> int | None:
        """Stop the server with ``signum`` (killed after 15 s); its exit status."""
        process = self.process
        code = None
        if process is not None:
            if process.poll() is None:
                process.send_signal(signum)
                try:
                    process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=STOP_TIMEOUT)
            code = process.returncode
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()
        if process is not None:
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
        if self._log is not None:
            self._log.close()
        return code

    def __enter__(self) -> Announced:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
