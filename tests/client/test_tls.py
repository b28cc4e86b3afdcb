"""HTTPS: the server's certificate is checked, against the trust store or ``verify=``."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from cmsdials import Dials
from cmsdials.auth.client import AuthClient
from cmsdials.auth.secret_key import Credentials
from cmsdials.exceptions import DialsConnectionError
from cmsdials.filters import RunFilters
from cmsdials.testing import DialsServer, serve

from .helpers import query


@pytest.fixture(scope="module")
def tls_server() -> Iterator[DialsServer]:
    with serve(tls=True) as server:
        yield server


def test_a_ca_file_given_as_verify_is_trusted(tls_server: DialsServer) -> None:
    assert tls_server.base_url.startswith("https://") and tls_server.ca_file
    creds = Credentials(token=tls_server.secret)
    for verify in (tls_server.ca_file, Path(tls_server.ca_file)):
        with Dials(creds, base_url=tls_server.base_url, verify=verify) as dials:
            page = dials.run.list(RunFilters(page_size=3))
            runs = dials.run.list_all(RunFilters(page_size=50), enable_progress=False)
        assert len(page.results) == 3
        assert page.next is not None and page.next.startswith("https://")
        stored = query(tls_server.db("tracker"), "SELECT count(*) FROM run")[0][0]
        assert len(runs.results) == stored


def test_an_ssl_context_is_used_as_given(tls_server: DialsServer) -> None:
    context = ssl.create_default_context(cafile=tls_server.ca_file)
    creds = Credentials(token=tls_server.secret)
    with Dials(creds, base_url=tls_server.base_url, verify=context) as dials:
        assert dials.run.count() > 0


def test_an_unknown_issuer_is_refused(tls_server: DialsServer) -> None:
    creds = Credentials(token=tls_server.secret)
    tls_server.clear_requests()
    with Dials(creds, base_url=tls_server.base_url, retries=0) as dials:
        with pytest.raises(DialsConnectionError, match="CERTIFICATE_VERIFY_FAILED") as caught:
            dials.run.list()
    assert tls_server.requests == []  # the credential never left the client
    assert tls_server.secret not in str(caught.value)


def test_auth_client_takes_verify_too(tls_server: DialsServer) -> None:
    auth = AuthClient(base_url=tls_server.base_url, verify=tls_server.ca_file)
    device = auth.new_device()
    assert device.device_code and device.verification_uri_complete.startswith("https://")
    with pytest.raises(DialsConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        AuthClient(base_url=tls_server.base_url, retries=0).new_device()
