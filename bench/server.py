"""The local DIALS server the bench runs against, as a child process on loopback.

Started by the one launcher of the package, :class:`cmsdials.testing.process.LocalDialsProcess`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from cmsdials.testing.process import LaunchError, LocalDialsProcess

#: The server did not start, or did not announce where it listens.
ServerError = LaunchError


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


class LocalServer:
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
    ) -> None:
        args = ["--size", size]
        if tls:
            args.append("--tls")
            if cert_dir is not None:
                args += ["--cert-dir", str(cert_dir)]
        self.size = size
        self.tls = tls
        self.log_path = log_path
        self._launcher = LocalDialsProcess(
            *args, python=python, cwd=cwd, log_path=log_path, startup_timeout=startup_timeout
        )

    def start(self) -> ServerInfo:
        announced = self._launcher.start()
        return ServerInfo(announced.base_url, announced.secret, announced.ca_file)

    def stop(self) -> None:
        self._launcher.stop()

    def __enter__(self) -> ServerInfo:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
