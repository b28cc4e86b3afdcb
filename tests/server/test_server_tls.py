"""The local DIALS over TLS: ``serve(tls=True)`` and ``python -m cmsdials.testing --tls``."""

from __future__ import annotations

import http.client
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cmsdials.testing import DialsServer, serve
from cmsdials.testing.process import LocalDialsProcess

pytest.importorskip("trustme")


@pytest.fixture(scope="module")
def tls_server() -> Iterator[DialsServer]:
    with serve(size="small", seed=0, contract=True, tls=True) as srv:
        yield srv


@pytest.fixture
def tls(tls_server: DialsServer) -> Iterator[DialsServer]:
    tls_server.faults.clear()
    yield tls_server
    tls_server.faults.clear()
    assert tls_server.server_errors == [], "\n".join(tls_server.server_errors)
    assert tls_server.contract_errors == [], "\n".join(tls_server.contract_errors)


def _client(srv: DialsServer) -> httpx.Client:
    return httpx.Client(
        base_url=srv.base_url + "api/v1/",
        headers={"X-CLIENT-SECRET": srv.secret},
        verify=srv.client_ssl_context(),
        timeout=10.0,
    )


def test_https_base_url_and_ca_file(tls: DialsServer) -> None:
    assert tls.base_url == f"https://127.0.0.1:{tls.port}/"
    assert tls.ca_file is not None and Path(tls.ca_file).is_file()
    assert Path(tls.ca_file).read_text(encoding="ascii").startswith("-----BEGIN CERTIFICATE-----")


def test_verified_request_pages_over_https(tls: DialsServer) -> None:
    with _client(tls) as api:
        response = api.get("lumisection/", params={"page_size": 5})
        assert response.status_code == 200
        page = response.json()
        assert len(page["results"]) == 5
        # Pagination links keep the scheme: a client following them stays on TLS.
        assert page["next"].startswith(tls.base_url + "api/v1/lumisection/?")
        following = api.get(page["next"])
        assert following.status_code == 200 and following.json()["results"]
        stream = response.extensions["network_stream"]
        assert stream.get_extra_info("ssl_object").version() in ("TLSv1.2", "TLSv1.3")


def test_hostname_localhost_is_valid_too(tls: DialsServer) -> None:
    url = f"https://localhost:{tls.port}/api/v1/run/"
    try:
        response = httpx.get(
            url, headers={"X-CLIENT-SECRET": tls.secret}, verify=tls.client_ssl_context()
        )
    except httpx.ConnectError as exc:  # localhost may resolve to ::1 first, where nobody listens
        pytest.skip(f"localhost does not reach 127.0.0.1 here: {exc}")
    assert response.status_code == 200


def test_without_the_ca_verification_fails(tls: DialsServer) -> None:
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(tls.base_url + "api/v1/run/", headers={"X-CLIENT-SECRET": tls.secret})
    stdlib = ssl.create_default_context()  # the system's trust store, without our CA
    with pytest.raises(ssl.SSLCertVerificationError):
        with socket.create_connection(("127.0.0.1", tls.port), timeout=5) as raw:
            stdlib.wrap_socket(raw, server_hostname="127.0.0.1")
    # The server shrugs the failed handshakes off and keeps serving.
    with _client(tls) as api:
        assert api.get("run/").status_code == 200


def test_plain_http_to_the_tls_port_gets_no_answer(tls: DialsServer) -> None:
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{tls.port}/api/v1/run/", timeout=5.0)
    with _client(tls) as api:
        assert api.get("run/").status_code == 200


def test_keep_alive_serves_many_requests_on_one_tls_connection(tls: DialsServer) -> None:
    conn = http.client.HTTPSConnection(
        "127.0.0.1", tls.port, context=tls.client_ssl_context(), timeout=10
    )
    try:
        conn.connect()
        first_socket = conn.sock
        for _ in range(5):
            conn.request("GET", "/api/v1/run/?page_size=1", headers={"X-CLIENT-SECRET": tls.secret})
            response = conn.getresponse()
            assert response.status == 200
            assert response.getheader("Connection") != "close"
            response.read()
            assert conn.sock is first_socket
    finally:
        conn.close()


def test_a_silent_client_does_not_block_others(tls: DialsServer) -> None:
    """The handshake runs in the connection's thread, not in the accept loop."""
    silent = [socket.create_connection(("127.0.0.1", tls.port), timeout=5) for _ in range(3)]
    try:
        started = time.monotonic()
        with _client(tls) as api:
            assert api.get("run/", params={"page_size": 1}).status_code == 200
        assert time.monotonic() - started < 5.0
    finally:
        for sock in silent:
            sock.close()


def test_control_routes_work_over_tls(tls: DialsServer) -> None:
    with _client(tls) as api:
        control = httpx.post(
            tls.base_url + "_control/faults",
            json={"kind": "status", "status": 503},
            headers={"X-CLIENT-SECRET": tls.secret},
            verify=tls.client_ssl_context(),
        )
        assert control.status_code == 200
        assert api.get("run/").status_code == 503
        assert api.get("run/").status_code == 200


def test_injected_reset_cuts_the_tls_answer(tls: DialsServer) -> None:
    tls.faults.inject(kind="reset")
    with _client(tls) as api:
        with pytest.raises(httpx.TransportError):
            api.get("run/")
        assert api.get("run/").status_code == 200


def test_our_client_trusts_the_ca_through_ssl_cert_file(
    tls: DialsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bench relies on it: cmsdials' httpx transport honours ``SSL_CERT_FILE``."""
    from cmsdials import Dials
    from cmsdials.auth.secret_key import Credentials
    from cmsdials.exceptions import DialsConnectionError
    from cmsdials.filters import LumisectionFilters

    assert tls.ca_file is not None
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    untrusting = Dials(Credentials(token=tls.secret), base_url=tls.base_url, retries=0)
    try:
        with pytest.raises(DialsConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
            untrusting.lumi.list(LumisectionFilters(page_size=2))
    finally:
        untrusting.close()
    monkeypatch.setenv("SSL_CERT_FILE", tls.ca_file)
    dials = Dials(Credentials(token=tls.secret), base_url=tls.base_url)
    try:
        rows = dials.lumi.list_all(LumisectionFilters(page_size=2), max_pages=2).results
        assert len(rows) == 4
    finally:
        dials.close()


def test_ca_file_in_cert_dir_is_kept_and_temporary_one_removed(tmp_path: Path) -> None:
    with serve(tls=True, cert_dir=tmp_path / "certs") as srv:
        kept = srv.ca_file
        assert kept is not None and Path(kept).parent == (tmp_path / "certs").resolve()
        with _client(srv) as api:
            assert api.get("run/").status_code == 200
    assert Path(kept).is_file()
    with serve(tls=True) as srv:
        temporary = srv.ca_file
        assert temporary is not None and Path(temporary).is_file()
    assert not Path(temporary).exists()
    assert srv.ca_file is None


def test_stop_does_not_wait_for_a_client_stuck_in_its_handshake() -> None:
    with serve(tls=True) as srv:
        stuck = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        time.sleep(0.2)  # its thread now waits for a ClientHello
        started = time.monotonic()
    try:
        assert time.monotonic() - started < 5.0
        stuck.settimeout(5)
        assert stuck.recv(1) == b""  # closed by the server
    finally:
        stuck.close()


def test_plain_server_has_no_ca(tmp_path: Path) -> None:
    with serve() as srv:
        assert srv.base_url.startswith("http://") and srv.ca_file is None
        with pytest.raises(RuntimeError):
            srv.client_ssl_context()


def test_process_prints_three_lines_and_serves_https() -> None:
    launcher = LocalDialsProcess("--tls")
    try:
        announced = launcher.start()
        base_url, secret, ca_file = announced.base_url, announced.secret, announced.ca_file
        assert base_url.startswith("https://127.0.0.1:") and base_url.endswith("/")
        assert ca_file is not None and Path(ca_file).is_file()
        verify = ssl.create_default_context(cafile=ca_file)
        headers = {"X-CLIENT-SECRET": secret}
        response = httpx.get(base_url + "api/v1/run/", headers=headers, verify=verify)
        assert response.status_code == 200 and response.json()["results"]
        control = httpx.post(
            base_url + "_control/faults",
            json={"kind": "status", "status": 503},
            headers=headers,
            verify=verify,
        )
        assert control.status_code == 200
        answer = httpx.get(base_url + "api/v1/run/", headers=headers, verify=verify)
        assert answer.status_code == 503
        with pytest.raises(httpx.ConnectError):
            httpx.get(base_url + "api/v1/run/", headers=headers)
    finally:
        code = launcher.stop()
    assert code == 0
    assert "Traceback" not in launcher.stderr
    assert not Path(ca_file).exists()  # a temporary CA goes with the process


def test_process_cert_dir_keeps_the_ca(tmp_path: Path) -> None:
    launcher = LocalDialsProcess("--tls", "--cert-dir", str(tmp_path))
    try:
        ca_file = launcher.start().ca_file
        assert ca_file is not None and Path(ca_file).parent == tmp_path.resolve()
    finally:
        code = launcher.stop()
    assert code == 0
    assert Path(ca_file).is_file()


def test_cert_dir_without_tls_is_an_error() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "cmsdials.testing", "--cert-dir", "x"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert "--cert-dir goes with --tls" in completed.stderr
