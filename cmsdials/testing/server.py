"""The HTTP side of the local DIALS: sockets, keep-alive, faults, recording, contract, control.

Built on the standard library's :class:`http.server.ThreadingHTTPServer` with an
HTTP/1.1 handler (keep-alive, ``Content-Length`` on every answer, ``TCP_NODELAY``),
which gives the byte-level control fault injection needs (a body cut in the
middle, a stalled answer).  With ``tls=True`` every accepted connection is
wrapped in TLS (a throwaway CA, see :mod:`.tls`); the handshake runs in the
connection's own thread, so a slow or silent client never holds up the accept loop.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import socket
import sqlite3
import ssl
import sys
import threading
import traceback
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import orjson

from .auth import AuthState, Clock
from .catalog import DEFAULT_WORKSPACE, WORKSPACES, Size
from .contract import ContractChecker
from .data import build_workspace
from .db import WorkspaceDB
from .faults import Fault, Faults
from .messages import (
    Headers,
    Request,
    Response,
    html_response,
    json_response,
    server_error_page,
)
from .routes import APIS, UNDECLARED_FILTERS, Api, ApiSpec, find_spec
from .row_tweaks import RowTweak, RowTweaks
from .shapes import Table
from .tls import ServerTLS
from .views import SPECIAL_TEMPLATES, DialsApp

log = logging.getLogger("cmsdials.testing")

CONTROL_PREFIX = "/_control/"
SIZES = ("small", "large")
#: Seconds a new TLS connection has to complete its handshake.
TLS_HANDSHAKE_TIMEOUT = 30.0


@dataclass
class RecordedRequest:
    """A request the server received (control routes excluded) and the status it got."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: Headers
    body: bytes = b""
    #: The status answered (0 while the request is still being served, e.g. stalled).
    status: int = 0
    #: The injected fault this request consumed, if any.
    fault: str | None = None


@dataclass
class _Templates:
    """Built small databases, copied (SQLite backup) into each new server of the process."""

    dbs: dict[tuple[str, int, str, str], WorkspaceDB] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_TEMPLATES = _Templates()


def _shapes_key(tables: dict[str, Table]) -> str:
    """Identifies a set of table shapes: two specs with the same shapes (down to each field's
    schema, which decides the served values) share the built template databases."""
    shapes = [
        [
            t.name,
            t.columns,
            t.pk,
            t.indexes,
            sorted(t.json_columns),
            [[f.name, f.required, f.schema] for f in t.fields],
        ]
        for t in sorted(tables.values(), key=lambda table: table.name)
    ]
    return json.dumps(shapes, sort_keys=True)  # json: schemas hold integers beyond 64 bits


def _workspace_db(
    name: str, size: Size, seed: int, db_dir: Path | None, tables: dict[str, Table]
) -> WorkspaceDB:
    target = WorkspaceDB(name, db_dir)
    if size != "small":
        target.load(build_workspace(WORKSPACES[name](size), seed), tables)
        return target
    key = (size, seed, name, _shapes_key(tables))
    with _TEMPLATES.lock:
        template = _TEMPLATES.dbs.get(key)
        if template is None:
            template = WorkspaceDB(name)
            template.load(build_workspace(WORKSPACES[name](size), seed), tables)
            _TEMPLATES.dbs[key] = template
        template.copy_to(target)
    return target


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        owner: DialsServer,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.owner = owner
        self.ssl_context = ssl_context
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.address_family = family
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Serve one connection (in its own thread); over TLS, shake hands first."""
        if self.ssl_context is None:
            super().finish_request(request, client_address)
            return
        conn = self._handshake(request, client_address)
        if conn is None:
            return
        try:
            super().finish_request(conn, client_address)
        finally:
            self._close_tls(conn)

    def _handshake(self, raw: socket.socket, client_address: Any) -> ssl.SSLSocket | None:
        """The TLS side of an accepted socket, or None when the handshake failed.

        Wrapping detaches the file descriptor from ``raw`` (socketserver's own shutdown of
        ``raw`` then does nothing), so the TLS socket takes its place among the tracked
        connections: ``close_connections`` can still cut it, even mid-handshake.
        """
        assert self.ssl_context is not None
        with contextlib.suppress(OSError):
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            conn = self.ssl_context.wrap_socket(
                raw, server_side=True, do_handshake_on_connect=False
            )
        except OSError as exc:
            log.debug("TLS wrap failed for %s: %s", client_address, exc)
            return None
        with self.connections_lock:
            self.connections.discard(raw)
            self.connections.add(conn)
        try:
            conn.settimeout(TLS_HANDSHAKE_TIMEOUT)
            conn.do_handshake()
            conn.settimeout(None)
        except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
            log.debug("TLS handshake with %s failed: %s", client_address, exc)
            self._close_tls(conn)
            return None
        return conn

    def _close_tls(self, conn: ssl.SSLSocket) -> None:
        with self.connections_lock:
            self.connections.discard(conn)
        with contextlib.suppress(OSError):
            socket.socket.shutdown(conn, socket.SHUT_WR)
        conn.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection that broke (reset, TLS alert) is the client's business: log it."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            log.debug("connection from %s ended: %r", client_address, error)
            return
        super().handle_error(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self.connections_lock:
            conns = list(self.connections)
        for conn in conns:
            # The plain socket's shutdown, also for a TLS socket: it wakes a thread blocked
            # in a read or a handshake without touching the TLS object that thread uses.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(conn, socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cmsdials-testing"
    sys_version = ""
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self) -> None:
        owner = self.server.owner
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            self._send(json_response(400, {"detail": "Malformed request body"}))
            return
        split = urlsplit(self.path)
        headers = Headers(self.headers.items())
        req = Request(
            method=self.command.upper(),
            path=unquote(split.path),
            query_string=split.query,
            query=parse_qs(split.query, keep_blank_values=True),
            headers=headers,
            body=body,
            host=headers.get("host") or owner.netloc,
            peer=str(self.client_address[0]),
            scheme=owner.scheme,
        )
        if req.path.startswith(CONTROL_PREFIX):
            self._send(owner.control(req))
            return
        # Recorded on arrival (a stalled request belongs to the test that sent it) and
        # completed before the answer leaves (the client never sees an unrecorded answer).
        entry = owner.record(req)
        response, fault = owner.respond(req, entry)
        entry.status = response.status
        kind = fault.kind if fault is not None else None
        self._send(response, truncate=kind == "reset", drip=fault if kind == "drip" else None)

    def _send(self, resp: Response, *, truncate: bool = False, drip: Fault | None = None) -> None:
        try:
            reason = HTTPStatus(resp.status).phrase
        except ValueError:
            reason = "Unknown"
        lines = [
            f"HTTP/1.1 {resp.status} {reason}",
            f"Date: {self.date_time_string()}",
            f"Server: {self.server_version}",
            f"Content-Type: {resp.content_type}",
            f"Content-Length: {len(resp.body)}",
            "Vary: Accept, Cookie, workspace",
            *(f"{name}: {value}" for name, value in resp.headers),
        ]
        if truncate:
            self.close_connection = True
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        body = b"" if self.command == "HEAD" else resp.body
        if truncate:
            data = head + body[: len(body) // 2] if len(body) >= 2 else head[: len(head) // 2]
        else:
            data = head + body
        try:
            if drip is not None:
                self._drip(head, body, drip)
                return
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _drip(self, head: bytes, body: bytes, fault: Fault) -> None:
        """The headers at once, then the body a few bytes at a time (until the server stops)."""
        stopping = self.server.owner._stopping
        self.wfile.write(head)
        self.wfile.flush()
        for start in range(0, len(body), fault.drip_bytes):
            if stopping.wait(fault.drip_seconds):
                self.close_connection = True
                return
            self.wfile.write(body[start : start + fault.drip_bytes])
            self.wfile.flush()


class DialsServer:
    """A local DIALS: seeded SQLite workspaces behind DIALS's REST API.

    Use :func:`serve` (a context manager) or ``start()``/``stop()``.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        size: Size = "small",
        seed: int = 0,
        contract: bool = False,
        secret: str | None = None,
        db_dir: str | Path | None = None,
        spec_path: str | Path | None = None,
        tls: bool = False,
        cert_dir: str | Path | None = None,
        api: Api = "current",
        client_secret: str | None = None,
        secret_header: bool = True,
        legacy_device_routes: bool = True,
        latency_ms: float = 0.0,
    ) -> None:
        if size not in SIZES:
            raise ValueError(f"size must be one of {SIZES}, not {size!r}")
        if api not in APIS:
            raise ValueError(f"api must be one of {APIS}, not {api!r}")
        #: Which DIALS API this server speaks: ``current`` (the shipped ``openapi.json``)
        #: or ``v1.12`` (DIALS v1.12.0's routes and row shapes).  ``spec_path`` overrides.
        self.api: Api = api
        if latency_ms < 0:
            raise ValueError(f"latency_ms must not be negative, not {latency_ms!r}")
        #: Milliseconds every API request waits before it is answered (``--latency-ms``).
        self.latency_ms = float(latency_ms)
        self.host = host
        self.size: Size = size
        self.seed = seed
        self.contract = contract
        self.db_dir = Path(db_dir) if db_dir is not None else None
        self.spec_path = Path(spec_path) if spec_path is not None else None
        #: Serve HTTPS (a throwaway CA made at start; see ``ca_file``).
        self.tls = tls
        self.cert_dir = Path(cert_dir) if cert_dir is not None else None
        self._tls: ServerTLS | None = None
        self.clock = Clock()
        # The realm (keycloak.py): client_secret of the registered application; the
        # legacy secret header refused with secret_header=False; DIALS v1.12's own
        # device routes not served with legacy_device_routes=False.
        self.auth = AuthState(
            self.clock,
            secret,
            client_secret=client_secret,
            secret_header=secret_header,
            legacy_device_routes=legacy_device_routes,
        )
        self.faults = Faults()
        #: Rows that differ from the spec on purpose (see :meth:`tweak_rows`).
        self.row_tweaks = RowTweaks()
        self.requests: list[RecordedRequest] = []
        self.contract_errors: list[str] = []
        #: Tracebacks of unexpected exceptions (a bug in the server; should stay empty).
        self.server_errors: list[str] = []
        self._requested_port = port
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._dbs: dict[str, WorkspaceDB] = {}
        self._app: DialsApp | None = None
        #: The served spec's routes and table shapes (set by ``start()``).
        self.spec: ApiSpec | None = None
        self._checker: ContractChecker | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> DialsServer:
        """Build the databases, bind the socket and serve in a background thread."""
        if self._httpd is not None:
            return self
        if self.spec_path is not None:
            spec = ApiSpec.load(self.spec_path, SPECIAL_TEMPLATES)
        else:
            undeclared = UNDECLARED_FILTERS.get(self.api)
            spec = ApiSpec.load(find_spec(self.api), SPECIAL_TEMPLATES, undeclared)
        for unmapped in spec.unmapped():
            log.warning("local DIALS has no view for %s (answers 501)", unmapped)
        self.spec = spec
        self._dbs = {
            name: _workspace_db(name, self.size, self.seed, self.db_dir, spec.tables)
            for name in WORKSPACES
        }
        self._app = DialsApp(spec, self._dbs, self.auth, DEFAULT_WORKSPACE)
        self._checker = ContractChecker(spec) if self.contract else None
        self._stopping.clear()
        if self.tls and self._tls is None:
            self._tls = ServerTLS(self.host, self.cert_dir)
        context = self._tls.context if self._tls is not None else None
        try:
            self._httpd = _HTTPServer((self.host, self._requested_port), self, context)
        except BaseException:
            if self._tls is not None:
                self._tls.cleanup()
                self._tls = None
            raise
        self.auth.realm.set_url(self.keycloak_url)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"cmsdials-testing:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close every connection and release the databases."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for db in self._dbs.values():
            db.close()
        tls, self._tls = self._tls, None
        if tls is not None:
            tls.cleanup()

    def close(self) -> None:
        """Stop it (``stop()``): for ``srv = serve()`` without ``with``."""
        self.stop()

    def __enter__(self) -> DialsServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ facts

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        return int(self._httpd.server_address[1])

    @property
    def netloc(self) -> str:
        host = self.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"{host}:{self.port}"

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/`` (``https://`` with TLS); clients append ``api/v1/...``."""
        return f"{self.scheme}://{self.netloc}/"

    @property
    def ca_file(self) -> str | None:
        """With TLS: path of the PEM file of the CA to trust (None without TLS).

        A ``str`` so that it can go anywhere a CA bundle path goes:
        ``ssl.create_default_context(cafile=...)``, ``SSL_CERT_FILE`` (httpx),
        ``REQUESTS_CA_BUNDLE`` or ``verify=`` (requests).  It exists while the server runs
        (removed by ``stop()`` unless it was written to ``cert_dir``).
        """
        return self._tls.ca_file if self._tls is not None else None

    def client_ssl_context(self) -> ssl.SSLContext:
        """A client ``ssl.SSLContext`` trusting this server's CA (``httpx.Client(verify=...)``)."""
        if self._tls is None:
            raise RuntimeError("the server is not serving TLS (start it with tls=True)")
        return self._tls.client_context()

    @property
    def secret(self) -> str:
        """The accepted ``X-CLIENT-SECRET``."""
        return self.auth.secret

    @property
    def keycloak_url(self) -> str:
        """The local Keycloak (``AuthClient(keycloak_url=...)``): ``<base_url>auth/``."""
        return f"{self.base_url}auth/"

    @property
    def client_id(self) -> str:
        """The registered application's client id (client credentials)."""
        return self.auth.realm.app_client_id

    @property
    def client_secret(self) -> str:
        """The registered application's client secret."""
        return self.auth.realm.app_secret

    @property
    def workspaces(self) -> list[str]:
        return sorted(WORKSPACES)

    # ------------------------------------------------------------ test controls

    def tweak_rows(
        self,
        route: str | None = None,
        *,
        add: dict[str, Any] | None = None,
        drop: list[str] | tuple[str, ...] = (),
        retype: dict[str, Any] | None = None,
    ) -> RowTweak:
        """Serve rows unlike the spec: until ``row_tweaks.clear()``, rows of the list and
        retrieve routes whose path matches ``route`` (a regex; all when None) gain the
        fields ``add``, lose ``drop`` and carry the values ``retype`` (e.g. a string
        where the spec says integer).  For tests of a client's tolerance.
        """
        return self.row_tweaks.add(route, add, drop, retype)

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def approve_device(self, device_code: str) -> None:
        """The person logged in: the next device-token poll returns a token."""
        self.auth.approve(device_code)

    def slow_down_device(self, device_code: str, times: int = 1) -> None:
        """The next ``times`` device-token polls answer ``slow_down``."""
        self.auth.slow_down(device_code, times)

    def deny_device(self, device_code: str) -> None:
        """The person refused the login: the next poll answers ``access_denied``."""
        self.auth.deny(device_code)

    def revoke_refresh_tokens(self) -> int:
        """Keycloak logs everybody out: every login's tokens are refused from now on."""
        return self.auth.realm.revoke_refresh_tokens()

    def issue_token(
        self,
        expires_in: int = 300,
        refresh_expires_in: int = 1800,
        client_id: str | None = None,
    ) -> dict[str, Any]:
        """A token answer without a flow (for ``client_id``, see ``Realm.issue_token``)."""
        return self.auth.realm.issue_token(expires_in, refresh_expires_in, client_id=client_id)

    def db(self, workspace: str = DEFAULT_WORKSPACE) -> sqlite3.Connection:
        """A read-only connection to a workspace's database (rows as ``sqlite3.Row``)."""
        try:
            return self._dbs[workspace].reader()
        except KeyError:
            raise KeyError(f"no workspace {workspace!r} (running: {bool(self._dbs)})") from None

    # ------------------------------------------------------------ request path

    def respond(
        self, req: Request, entry: RecordedRequest | None = None
    ) -> tuple[Response, Fault | None]:
        """The answer to one API request, with the contract check and any fault applied.

        ``entry`` (the request's log record) learns the fault as soon as it is taken.
        """
        # Keycloak's endpoints and v1.12's device routes are not DIALS spec routes: the
        # contract of openapi.json does not apply to them.
        if self._checker is not None and not self.auth.serves(req.path):
            for problem in self._checker.check(req):
                target = req.path + (f"?{req.query_string}" if req.query_string else "")
                with self._lock:
                    self.contract_errors.append(f"{req.method} {target}: {problem}")
        if self.latency_ms > 0:  # production's round trip and query time: a sleep, no CPU
            self._stopping.wait(self.latency_ms / 1000.0)
        fault = self.faults.take(req.path, req.query_string)
        if fault is not None:
            if entry is not None:
                entry.fault = fault.kind
            if fault.kind == "status":
                return _fault_response(fault), fault
            if fault.kind == "redirect":
                return Response(
                    fault.status, b"", "text/html", [("Location", fault.location)]
                ), fault
            if fault.kind == "html_body":
                return _portal_page(), fault
            if fault.kind in _BODY_FAULTS:
                return _BODY_FAULTS[fault.kind](self._answer(req), fault), fault
            if fault.kind == "stall":
                self._stopping.wait(fault.stall_seconds)
            elif fault.kind == "expire_token":
                authorization = req.headers.get("authorization") or ""
                scheme, _, token = authorization.strip().partition(" ")
                if scheme.lower() == "bearer" and token.strip():
                    self.auth.expire(token.strip())
        return self._tweaked(req, self._answer(req)), fault

    def _tweaked(self, req: Request, response: Response) -> Response:
        """The rows of a table route changed by the active row tweaks, if any."""
        if self.spec is None or not self.row_tweaks.active:
            return response
        matched = self.spec.match(req.path)
        op = matched[0].operations.get("GET") if matched is not None else None
        if op is None or op.kind not in ("list", "plain_list", "retrieve"):
            return response
        return self.row_tweaks.apply(req.path, response)

    def _answer(self, req: Request) -> Response:
        assert self._app is not None
        try:
            realm = self.auth.handle(req)  # the Keycloak realm, DIALS v1.12's device routes
            if realm is not None:
                return realm
            return self._app.handle(req)
        except Exception:  # noqa: BLE001 - a bug must not kill the connection thread
            trace = traceback.format_exc()
            log.error("local DIALS failed on %s %s:\n%s", req.method, req.path, trace)
            with self._lock:
                self.server_errors.append(f"{req.method} {req.path}?{req.query_string}\n{trace}")
            return server_error_page()

    def record(self, req: Request) -> RecordedRequest:
        """Log a request on arrival; its ``status`` is filled in before it is answered."""
        entry = RecordedRequest(req.method, req.path, req.query, req.headers, req.body)
        with self._lock:
            self.requests.append(entry)
        return entry

    # ------------------------------------------------------------ control routes

    def control(self, req: Request) -> Response:
        """``/_control/...``: loopback only, protected by the secret (except the login page)."""
        if not _is_loopback(req.peer):
            return json_response(403, {"detail": "control routes answer loopback peers only"})
        action = req.path[len(CONTROL_PREFIX) :].strip("/")
        if action == "device" and req.method == "GET":
            codes = req.query.get("user_code") or [""]
            deny = (req.query.get("deny") or [""])[-1] not in ("", "0")
            try:
                (self.auth.deny if deny else self.auth.approve)(codes[-1])
            except KeyError:
                return html_response(404, "Unknown device", "This code is not pending.")
            if deny:
                return html_response(200, "Device denied", "The login was refused.")
            return html_response(200, "Device approved", "You can close this page.")
        if req.headers.get("x-client-secret") != self.secret:
            return json_response(403, {"detail": "control routes need X-CLIENT-SECRET"})
        try:
            return self._control_action(req.method, action, _json_body(req))
        except (KeyError, TypeError, ValueError) as exc:
            return json_response(400, {"detail": str(exc)})

    def _control_action(self, method: str, action: str, body: dict[str, Any]) -> Response:
        if action == "faults" and method == "POST":
            fault = self.faults.inject(**body)
            return json_response(200, {"kind": fault.kind, "count": fault.remaining})
        if action == "faults" and method == "DELETE":
            self.faults.clear()
            return json_response(200, {"cleared": True})
        if action == "faults" and method == "GET":
            pending = [
                {"kind": f.kind, "remaining": f.remaining, "route": f.route and f.route.pattern}
                for f in self.faults.pending
            ]
            return json_response(200, pending)
        if action == "row-tweaks" and method == "POST":
            tweak = self.tweak_rows(**body)
            return json_response(200, tweak.describe())
        if action == "row-tweaks" and method == "GET":
            return json_response(200, [t.describe() for t in self.row_tweaks.active])
        if action == "row-tweaks" and method == "DELETE":
            self.row_tweaks.clear()
            return json_response(200, {"cleared": True})
        if action == "approve-device" and method == "POST":
            self.approve_device(str(body["device_code"]))
            return json_response(200, {"approved": True})
        if action == "slow-down-device" and method == "POST":
            self.slow_down_device(str(body["device_code"]), int(body.get("times", 1)))
            return json_response(200, {"slow_down": True})
        if action == "deny-device" and method == "POST":
            self.deny_device(str(body["device_code"]))
            return json_response(200, {"denied": True})
        if action == "revoke-refresh-tokens" and method == "POST":
            return json_response(200, {"revoked": self.revoke_refresh_tokens()})
        if action == "clock/advance" and method == "POST":
            return json_response(200, {"now": self.clock.advance(float(body["seconds"]))})
        if action == "issue-token" and method == "POST":
            return json_response(200, self.issue_token(**body))
        if action == "requests" and method == "GET":
            with self._lock:
                listed = [
                    {"method": r.method, "path": r.path, "query": r.query, "status": r.status}
                    for r in self.requests
                ]
            return json_response(200, listed)
        if action == "requests" and method == "DELETE":
            self.clear_requests()
            return json_response(200, {"cleared": True})
        if action == "contract-errors" and method == "GET":
            with self._lock:
                return json_response(200, list(self.contract_errors))
        return json_response(404, {"detail": f"no control action {method} {action!r}"})


def _json_body(req: Request) -> dict[str, Any]:
    if not req.body:
        return {}
    body = orjson.loads(req.body)
    if not isinstance(body, dict):
        raise ValueError("the control body must be a JSON object")
    return body


def _fault_response(fault: Fault) -> Response:
    headers = []
    retry_after = fault.retry_after_header()
    if retry_after is not None:
        headers.append(("Retry-After", retry_after))
    if fault.status == 429:
        wait = retry_after or "1"
        detail = f"Request was throttled. Expected available in {wait} seconds."
        return json_response(429, {"detail": detail}, headers)
    try:
        phrase = HTTPStatus(fault.status).phrase
    except ValueError:
        phrase = "Error"
    page = html_response(fault.status, f"{fault.status} {phrase}", "Injected fault.")
    page.headers.extend(headers)
    return page


def _portal_page() -> Response:
    """What a single-sign-on portal in front of DIALS answers: a 200 HTML login page, as
    CERN's SSO (a Keycloak login form) sends to a request that carries no credentials."""
    form = (
        'Log in to continue to the service.</p><form id="kc-form-login" method="post" '
        'action="https://auth.cern.ch/auth/realms/cern/login-actions/authenticate">'
        '<input name="username"><input name="password" type="password"></form><p>'
    )
    page = html_response(200, "Sign in to CERN", form)
    return page


def _cut_body(answer: Response, fault: Fault) -> Response:
    return Response(answer.status, answer.body[: len(answer.body) // 2], answer.content_type)


def _invalid_body(answer: Response, fault: Fault) -> Response:
    return Response(answer.status, b"{" + answer.body, "application/json")


def _loop_next(answer: Response, fault: Fault) -> Response:
    """The first affected page's ``next`` is remembered; the last affected page's ``next``
    points back at it (with ``count=N``: N pages, then a loop back to the second)."""
    try:
        page = orjson.loads(answer.body)
    except orjson.JSONDecodeError:
        return answer
    if not isinstance(page, dict) or not page.get("next"):
        return answer
    if fault.loop_target is None:
        fault.loop_target = page["next"]
        return answer
    if fault.remaining > 0:
        return answer
    page["next"] = fault.loop_target
    return Response(answer.status, orjson.dumps(page), answer.content_type, answer.headers)


_BODY_FAULTS = {"cut_body": _cut_body, "invalid_body": _invalid_body, "loop_next": _loop_next}


def serve(
    size: Size = "small",
    seed: int = 0,
    contract: bool = False,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    secret: str | None = None,
    db_dir: str | Path | None = None,
    spec_path: str | Path | None = None,
    tls: bool = False,
    cert_dir: str | Path | None = None,
    api: Api = "current",
    client_secret: str | None = None,
    secret_header: bool = True,
    legacy_device_routes: bool = True,
    latency_ms: float = 0.0,
) -> DialsServer:
    """Start a local DIALS in a background thread: ``with serve() as srv:`` stops it at the
    end of the block; ``srv = serve()`` (a notebook cell) runs it until ``srv.close()``.

    ``api="v1.12"`` serves DIALS v1.12.0's routes and row shapes instead of the current
    API's (``openapi.json``); ``spec_path`` serves any other repaired spec.

    ``tls=True`` serves HTTPS with a throwaway CA (needs ``trustme``); trust
    ``srv.ca_file`` (or use ``srv.client_ssl_context()``).  The CA file is written to
    ``cert_dir`` when given (and kept), else to a temporary directory removed at the end.
    The Keycloak realm is served under ``srv.keycloak_url`` (see :mod:`.keycloak`):
    ``client_secret`` is the registered application's (``srv.client_id``; random by
    default), ``secret_header=False`` refuses the legacy ``X-CLIENT-SECRET`` header
    and ``legacy_device_routes=False`` stops serving DIALS v1.12's own device routes.
    ``latency_ms`` delays every API answer (a sleep costing no CPU), standing for
    production's round trip and query time.
    """
    server = DialsServer(
        host=host,
        port=port,
        size=size,
        seed=seed,
        contract=contract,
        secret=secret,
        db_dir=db_dir,
        spec_path=spec_path,
        tls=tls,
        cert_dir=cert_dir,
        api=api,
        client_secret=client_secret,
        secret_header=secret_header,
        legacy_device_routes=legacy_device_routes,
        latency_ms=latency_ms,
    )
    return server.start()
