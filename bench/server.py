"""The local DIALS server the bench runs against, as a child process on loopback.

Started by the one launcher of the package, :class:`cmsdials.testing.process.LocalDialsProcess`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from cmsdials.testing.process import Announced, LaunchError, LocalDialsProcess

#: The server did not start, or did not announce where it listens.
ServerError = LaunchError


@dataclass(frozen=True)
class ServerInfo(Announced):
    """Where the server listens, the client secret it accepts, the CA to trust (HTTPS)."""

    @property
    def transport(self) -> str:
        return "https" if self.base_url.startswith("https:") else "http"


class LocalServer(LocalDialsProcess):
    """``python -m cmsdials.testing --port 0 --size SIZE [--tls]``, stopped with SIGTERM.

    Everything the server prints after its announced lines, and all of its
    stderr, goes to ``log_path``; with ``--tls`` its throwaway CA is written
    into ``cert_dir``.
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
        args = ["--size", size]
        if latency_ms:  # W7/W8: every answer waits, as production's round trip does
            args += ["--latency-ms", str(latency_ms)]
        if tls:
            args.append("--tls")
            if cert_dir is not None:
                args += ["--cert-dir", str(cert_dir)]
        self.size = size
        self.tls = tls
        self.latency_ms = latency_ms
        super().__init__(
            *args, python=python, cwd=cwd, log_path=log_path, startup_timeout=startup_timeout
        )

    def start(self) -> ServerInfo:
        announced = super().start()
        return ServerInfo(announced.base_url, announced.secret, announced.ca_file)

    def __enter__(self) -> ServerInfo:
        return self.start()
