"""The local DIALS server the bench runs against, as a child process on loopback."""

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


@dataclass(frozen=True)
class ServerInfo:
    """Where the server listens, the client secret it accepts, the CA to trust (HTTPS)."""

    base_url: str
    secret: str
    #: PEM file of the server's CA when it serves HTTPS (None for plain HTTP).
    ca_file: str | None = None

    @property
    def transport(self) -> str:
        return "https" if self.base_url.startswith("https:") else "http"


class ServerError(RuntimeError):
    """The server did not start, or did not announce where it listens."""


class LocalServer:
    """``python -m cmsdials.testing --port 0 --size SIZE [--tls]``, stopped with SIGTERM.

    The server announces ``BASE_URL=...`` and ``SECRET_KEY=...`` as its first two stdout
    lines, and with ``--tls`` a third, ``CA_FILE=...`` (its throwaway CA, written into
    ``cert_dir``). Everything it prints afterwards, and all of its stderr, goes to
    ``log_path``, drained by a thread so that a chatty server never blocks on a full pipe.
    """

    def __init__(
        self,
        size: str,
        log_path: Path,
        *,
        python: str = sys.executable,
        cwd: Path | None = None,
        startup_timeout: float = 300.0,
        tls: bool = True,
        cert_dir: Path | None = None,
        latency_ms: float = 0.0,
    ) -> None:
        self.size = size
        self.latency_ms = latency_ms
        self.tls = tls
        self.cert_dir = cert_dir
        self.log_path = log_path
        self.python = python
        self.cwd = cwd
        self.startup_timeout = startup_timeout
        self._process: subprocess.Popen[str] | None = None
        self._log: IO[str] | None = None
        self._drain: threading.Thread | None = None

    def start(self) -> ServerInfo:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w", encoding="utf-8")
        command = [self.python, "-m", "cmsdials.testing", "--port", "0", "--size", self.size]
        wanted = ["BASE_URL", "SECRET_KEY"]
        if self.latency_ms:
            command += ["--latency-ms", str(self.latency_ms)]
        if self.tls:
            command.append("--tls")
            if self.cert_dir is not None:
                command += ["--cert-dir", str(self.cert_dir)]
            wanted.append("CA_FILE")
        self._process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=self._log,
            stdin=subprocess.DEVNULL,
            text=True,
            cwd=self.cwd,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        lines: queue.Queue[str | None] = queue.Queue()
        self._drain = threading.Thread(
            target=self._pump, args=(self._process.stdout, lines), daemon=True
        )
        self._drain.start()
        announced: dict[str, str] = {}
        while not all(key in announced for key in wanted):
            try:
                line = lines.get(timeout=self.startup_timeout)
            except queue.Empty:
                self.stop()
                raise ServerError(
                    f"the local server announced nothing within {self.startup_timeout:.0f} s "
                    f"(log: {self.log_path})"
                ) from None
            if line is None:
                code = self._process.wait()
                self.stop()
                raise ServerError(
                    f"the local server exited with {code} before announcing its URL "
                    f"(log: {self.log_path})"
                )
            key, sep, value = line.strip().partition("=")
            if sep and key in wanted:
                announced[key] = value
        base_url = announced["BASE_URL"]
        if not base_url.endswith("/"):
            base_url += "/"
        return ServerInfo(
            base_url=base_url, secret=announced["SECRET_KEY"], ca_file=announced.get("CA_FILE")
        )

    def _pump(self, stream: IO[str] | None, lines: queue.Queue[str | None]) -> None:
        """Hand the first lines to ``start``, then copy the rest into the log."""
        if stream is None:
            lines.put(None)
            return
        for line in stream:
            lines.put(line)
            if self._log is not None and not self._log.closed:
                self._log.write(line)
        lines.put(None)

    def stop(self) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
        if self._drain is not None:
            self._drain.join(timeout=5)
        if self._log is not None:
            self._log.close()
        self._process = None

    def __enter__(self) -> ServerInfo:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
