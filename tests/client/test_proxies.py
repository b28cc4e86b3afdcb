"""Proxies: the environment's honoured, ``proxy=`` explicit, ``http_client=`` the user's own.

Every test sends through a real forward proxy on loopback (``forward_proxy.py``): plain
http to the session's local DIALS, and ``CONNECT`` to a DIALS in its ``--tls`` mode.
Keycloak (client credentials' token) goes the same way as DIALS.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator

import httpx
import pytest

from cmsdials import Dials
from cmsdials.auth.client import AuthClient
from cmsdials.auth.client_credentials import Credentials
from cmsdials.auth.secret_key import Credentials as SecretKey
from cmsdials.distributed import WorkerClient
from cmsdials.endpoints import client_class
from cmsdials.exceptions import DialsConnectionError, DialsHTTPError
from cmsdials.settings import ProxyURL, TransportSettings, environment_proxies
from cmsdials.testing import DialsServer, serve

from .forward_proxy import ForwardProxy, forward_proxy

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
PASSWORD = "pr0xy-s3cret"


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    with forward_proxy() as running:
        yield running


@pytest.fixture(scope="module")
def tls_server() -> Iterator[DialsServer]:
    with serve(tls=True) as server:
        yield server


def _app_credentials(srv: DialsServer, **options: object) -> Credentials:
    auth = AuthClient(keycloak_url=srv.keycloak_url, **options)  # type: ignore[arg-type]
    return Credentials(srv.client_id, srv.client_secret, auth)


def _targets(proxy: ForwardProxy) -> list[str]:
    return [f"{method} {target}" for method, target, _ in proxy.seen]


def test_the_environments_http_proxy_is_honoured(
    srv: DialsServer, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url())
    with Dials(_app_credentials(srv), base_url=srv.base_url) as dials:
        assert dials.run.count() > 0
    seen = _targets(proxy)
    assert f"POST {srv.keycloak_url}realms/cern/api-access/token" in seen  # Keycloak too
    assert f"GET {srv.base_url}api/v1/run/count/" in seen
    assert srv.requests[-1].path == "/api/v1/run/count/"  # and DIALS answered


def test_no_proxy_hosts_go_direct(
    srv: DialsServer, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url())
    monkeypatch.setenv("NO_PROXY", "example.org,127.0.0.1")
    with Dials(SecretKey(token=srv.secret), base_url=srv.base_url) as dials:
        assert dials.run.count() > 0
    assert proxy.seen == []


def test_an_explicit_proxy_with_a_password(
    srv: DialsServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # proxy= wins over the environment
    with forward_proxy(auth=("alice", PASSWORD)) as guarded:
        url = guarded.url(f"alice:{PASSWORD}")
        creds = _app_credentials(srv, proxy=url)
        with Dials(creds, base_url=srv.base_url, proxy=url) as dials:
            assert dials.run.count() > 0
            shown = [repr(dials.transport.settings), repr(creds.client.settings), repr(dials)]
        assert guarded.seen and all(authorised for _, _, authorised in guarded.seen)
        assert {target.split("/")[2] for _, target, _ in guarded.seen} == {
            srv.base_url.split("/")[2]
        }
        # A wrong password: the proxy's 407 is an error that shows no password.
        wrong = guarded.url("alice:wrong-" + PASSWORD)
        with Dials(SecretKey(token=srv.secret), base_url=srv.base_url, proxy=wrong) as dials:
            with pytest.raises(DialsHTTPError) as caught:
                dials.run.count()
        assert caught.value.status_code == 407
        shown += [str(caught.value), repr(caught.value)]
    assert "alice:***@127.0.0.1" in shown[0]
    for text in [*shown, caplog.text]:
        assert PASSWORD not in text


def test_connect_tunnels_https_to_a_tls_dials(
    tls_server: DialsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = tls_server.ca_file
    assert ca is not None
    with forward_proxy() as tunnel:
        monkeypatch.setenv("HTTPS_PROXY", tunnel.url())
        creds = _app_credentials(tls_server, verify=ca)
        with Dials(creds, base_url=tls_server.base_url, verify=ca) as dials:
            assert dials.run.count() > 0
        host = tls_server.base_url.split("/")[2]
        assert _targets(tunnel) == [f"CONNECT {host}", f"CONNECT {host}"]  # Keycloak, DIALS
    monkeypatch.delenv("HTTPS_PROXY")
    with forward_proxy() as explicit:
        secret = SecretKey(token=tls_server.secret)
        with Dials(secret, base_url=tls_server.base_url, verify=ca, proxy=explicit.url()) as dials:
            assert dials.run.count() > 0
        assert _targets(explicit) == [f"CONNECT {host}"]


def test_a_proxy_that_refuses_the_tunnel_is_a_cmsdials_error(tls_server: DialsServer) -> None:
    with forward_proxy(auth=("bob", PASSWORD)) as guarded:
        url = guarded.url("bob:not-" + PASSWORD)
        secret = SecretKey(token=tls_server.secret)
        with Dials(secret, base_url=tls_server.base_url, verify=tls_server.ca_file, proxy=url) as d:
            with pytest.raises(DialsConnectionError, match="proxy") as caught:
                d.run.count()
    assert PASSWORD not in str(caught.value) and "407" in str(caught.value)


def test_settings_with_a_proxy_travel_to_dask_workers(
    srv: DialsServer, proxy: ForwardProxy
) -> None:
    settings = TransportSettings(srv.base_url, proxy=proxy.url())
    shipped = WorkerClient(client_class("run"), settings, None)
    config = pickle.loads(pickle.dumps(shipped))  # as Dask ships it
    assert isinstance(config.settings.proxy, ProxyURL)
    run = config.endpoint()
    run.transport.http.headers["X-CLIENT-SECRET"] = srv.secret
    assert run.count() > 0
    assert _targets(proxy) == [f"GET {srv.base_url}api/v1/run/count/"]
    run.transport.close()


def test_the_keycloak_clients_proxy_travels_with_the_credentials(srv: DialsServer) -> None:
    """``for_worker()`` of client credentials carries the AuthClient's transport options
    (its proxy among them): rebuilt from the pickled recipe, it asks Keycloak through it."""
    with forward_proxy(auth=("carol", PASSWORD)) as guarded:
        recipe = _app_credentials(srv, proxy=guarded.url(f"carol:{PASSWORD}")).for_worker()
        assert recipe is not None
        assert PASSWORD not in repr(recipe) and "carol:***@" in repr(recipe)
        guarded.seen.clear()  # the original credentials' own token
        creds = pickle.loads(pickle.dumps(recipe))()  # as Dask ships it, built on the worker
        assert isinstance(creds.client.settings.proxy, ProxyURL)
        with Dials(creds, base_url=srv.base_url) as dials:  # DIALS itself directly
            assert dials.run.count() > 0
        assert _targets(guarded) == [f"POST {srv.keycloak_url}realms/cern/api-access/token"]
        assert all(authorised for _, _, authorised in guarded.seen)


def test_the_environment_is_read_as_httpx_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "proxy.example.ch:3128")  # no scheme: http://
    monkeypatch.setenv("http_proxy", "http://lower.example.ch:8080")
    monkeypatch.setenv("NO_PROXY", "localhost, .cern.ch,10.0.0.1,::1")
    assert environment_proxies() == {
        "http://": "http://lower.example.ch:8080",
        "https://": "http://proxy.example.ch:3128",
        "all://localhost": None,
        "all://*cern.ch": None,
        "all://10.0.0.1": None,
        "all://[::1]": None,
    }
    monkeypatch.setenv("NO_PROXY", "*")
    assert environment_proxies() == {}


def test_proxy_urls_are_checked_without_showing_the_password() -> None:
    for bad in ("ftp://u:hunter2@proxy:21", "http://u:hunter2@:3128", "http://u:hunter2@h:x/"):
        with pytest.raises(ValueError, match="proxy") as caught:
            TransportSettings(proxy=bad)
        assert "hunter2" not in str(caught.value)
    with pytest.raises(TypeError, match="proxy"):
        TransportSettings(proxy=3128)  # type: ignore[arg-type]


def test_your_own_http_client(srv: DialsServer, proxy: ForwardProxy) -> None:
    sent: list[httpx.Request] = []
    with httpx.Client(proxy=proxy.url(), event_hooks={"request": [sent.append]}) as mine:
        with Dials(SecretKey(token=srv.secret), base_url=srv.base_url, http_client=mine) as dials:
            assert dials.run.count() > 0
            page = dials.run.list_all(max_pages=2, enable_progress=False)
            assert len(page.results) > 0
        assert not mine.is_closed  # yours to close
        assert [r.url.path for r in sent][:1] == ["/api/v1/run/count/"]
        assert sent[0].headers["X-CLIENT-SECRET"] == srv.secret  # our credentials, your client
        assert _targets(proxy)[0] == f"GET {srv.base_url}api/v1/run/count/"
        with pytest.raises(TypeError, match=r"your own httpx\.Client"):
            Dials(None, base_url=srv.base_url, http_client=mine, proxy=proxy.url())
    with pytest.raises(TypeError, match=r"httpx\.Client"):
        Dials(None, http_client=object())  # type: ignore[arg-type]
