"""A small forward proxy on 127.0.0.1 for the proxy tests (a thread per connection).

Plain http: the absolute-form request (``GET http://host:port/path``) is sent on to the
target (``Connection: close``) and its answer relayed as it comes. ``CONNECT host:port``
(https): ``200 Connection established``, then bytes are tunnelled both ways. With
``auth=(user, password)`` a request without the matching ``Proxy-Authorization`` gets
407. Every request is recorded in ``seen`` as ``(method, target, authorised)``.
"""

from __future__ import annotations

import base64
import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit


class ForwardProxy:
    def __init__(self, auth: tuple[str, str] | None = None) -> None:
        self.auth = auth
        self.seen: list[tuple[str, str, bool]] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                owner._handle(self.connection, self.rfile)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, user_info: str = "") -> str:
        return f"http://{user_info + '@' if user_info else ''}127.0.0.1:{self.port}"

    def start(self) -> ForwardProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- one client connection ------------------------------------------------
    def _handle(self, client: socket.socket, reader: object) -> None:
        rfile = reader  # a buffered reader over ``client``
        while True:
            head = _read_head(rfile)
            if head is None:
                return
            line, headers = head
            method, target, _ = line.split(" ", 2)
            authorised = self._authorised(headers)
            with self._lock:
                self.seen.append((method, target, authorised))
            if not authorised:
                client.sendall(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                    b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n'
                )
                if method == "CONNECT":
                    return
                _skip_body(rfile, headers)
                continue
            if method == "CONNECT":
                host, port = target.rsplit(":", 1)
                upstream = socket.create_connection((host, int(port)), timeout=30)
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                _tunnel(client, rfile, upstream)
                return
            self._forward(client, rfile, method, target, headers)
            return  # the answer ended with the upstream's close: so does this connection

    def _authorised(self, headers: dict[str, str]) -> bool:
        if self.auth is None:
            return True
        token = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
        return headers.get("proxy-authorization") == f"Basic {token}"

    def _forward(
        self,
        client: socket.socket,
        rfile: object,
        method: str,
        target: str,
        headers: dict[str, str],
    ) -> None:
        parts = urlsplit(target)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        body = _read_body(rfile, headers)
        lines = [f"{method} {path} HTTP/1.1"]
        for name, value in headers.items():
            if not name.startswith("proxy-") and name != "connection":
                lines.append(f"{name}: {value}")
        lines.append("connection: close")
        with socket.create_connection((parts.hostname, parts.port or 80), timeout=30) as up:
            up.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            while chunk := up.recv(65536):
                client.sendall(chunk)


def _read_head(rfile: object) -> tuple[str, dict[str, str]] | None:
    line = rfile.readline()  # type: ignore[attr-defined]
    if not line:
        return None
    headers: dict[str, str] = {}
    while True:
        raw = rfile.readline()  # type: ignore[attr-defined]
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return line.decode("latin-1").strip(), headers


def _read_body(rfile: object, headers: dict[str, str]) -> bytes:
    length = int(headers.get("content-length", "0") or 0)
    return rfile.read(length) if length else b""  # type: ignore[attr-defined]


def _skip_body(rfile: object, headers: dict[str, str]) -> None:
    _read_body(rfile, headers)


def _tunnel(client: socket.socket, rfile: object, upstream: socket.socket) -> None:
    """Relay bytes both ways until either side closes (the client's side is read through
    ``rfile``, which may already hold the first bytes of the TLS handshake)."""

    def close_both() -> None:
        for s in (client, upstream):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def downstream() -> None:
        try:
            while chunk := upstream.recv(65536):
                client.sendall(chunk)
        except OSError:
            pass
        finally:
            close_both()

    other = threading.Thread(target=downstream, daemon=True)
    other.start()
    try:
        while chunk := rfile.read1(65536):  # type: ignore[attr-defined]
            upstream.sendall(chunk)
    except OSError:
        pass
    finally:
        close_both()
    other.join(30)
    upstream.close()


@contextmanager
def forward_proxy(auth: tuple[str, str] | None = None) -> Iterator[ForwardProxy]:
    proxy = ForwardProxy(auth).start()
    try:
        yield proxy
    finally:
        proxy.stop()
