"""Every fault a typed error or an exact retry, configuration checked up front.

Against the local DIALS's fault injection: malformed ``Retry-After``, 2xx bodies
that are not JSON (cut, HTML, invalid), a cursor loop, a redirect, a dripping
body under a deadline, the retry log line; plus pickling (through a process
pool) and the construction-time checks.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import re
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx
import pytest
from urllib3.util import Retry

from cmsdials import Dials, exceptions
from cmsdials.auth.client import AuthClient
from cmsdials.auth.secret_key import Credentials
from cmsdials.endpoints import LumisectionHistogram1DClient, OMSProxyClient, RunClient
from cmsdials.exceptions import (
    DialsCursorLoopError,
    DialsDecodeError,
    DialsError,
    DialsTimeoutError,
    NotFoundError,
    RedirectError,
    ServerError,
)
from cmsdials.filters import LumisectionHistogram1DFilters
from cmsdials.settings import TransportSettings
from cmsdials.testing import DialsServer
from cmsdials.transport import Transport

from .helpers import api_requests

ME = "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"
TH1 = "/api/v1/th1/"
KEY = {"dataset_id": 14677060, "run_number": 367112, "ls_number": 10, "me_id": 1}


def faults_seen(srv: DialsServer) -> list[str | None]:
    return [r.fault for r in api_requests(srv)]


def keys(rows: list[Any]) -> list[tuple[int, int, int, int]]:
    return [(r.dataset_id, r.run_number, r.ls_number, r.me_id) for r in rows]


# -- Retry-After -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["soon", "-5", "1.5", ""])
@pytest.mark.parametrize("given", [False, True], ids=["default-policy", "retries="])
def test_a_malformed_retry_after_falls_back_to_the_backoff(
    srv: DialsServer,
    no_sleep: list[float],
    caplog: pytest.LogCaptureFixture,
    value: str,
    given: bool,
) -> None:
    caplog.set_level(logging.INFO, logger="cmsdials")
    srv.faults.inject("status", count=2, status=503, retry_after=value)
    retry = Retry(total=3, backoff_factor=0.1, status_forcelist=[503]) if given else None
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as dials:
        page = dials.run.list(retries=retry)
    assert page.results
    assert [r.status for r in api_requests(srv)] == [503, 503, 200]
    if given:
        assert no_sleep == [0.0, 0.2]  # urllib3's own backoff for this Retry
    else:
        assert no_sleep[0] == 0.0 and 1.0 <= no_sleep[1] <= 1.25
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "malformed Retry-After" in warnings[0].getMessage()


def test_a_valid_retry_after_is_still_honoured(srv: DialsServer, no_sleep: list[float]) -> None:
    srv.faults.inject("status", count=1, status=503, retry_after="3")
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as dials:
        dials.run.list()
    assert no_sleep == [3.0]


# -- bodies that are not JSON -----------------------------------------------------------


def test_a_body_cut_short_is_retried(srv: DialsServer, no_sleep: list[float]) -> None:
    srv.faults.inject("cut_body", count=1, route=TH1)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as dials:
        row = dials.h1d.get(**KEY)
    assert row.me_id == 1
    assert faults_seen(srv) == ["cut_body", None]


def test_a_body_cut_short_beyond_the_budget_is_a_decode_error(srv: DialsServer) -> None:
    srv.faults.inject("cut_body", count=1, route=TH1)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as dials:
        with pytest.raises(DialsDecodeError) as caught:
            dials.h1d.list(LumisectionHistogram1DFilters(me=ME), retries=0)
    error = caught.value
    assert error.truncated and error.status_code == 200
    assert error.content_type == "application/json"
    assert error.excerpt.startswith('{"next":')
    message = str(error)
    assert TH1 in message and "was cut short" in message and "application/json" in message
    assert '{"next":' in message


def test_an_html_page_is_a_decode_error_and_not_retried(
    srv: DialsServer, no_sleep: list[float]
) -> None:
    srv.faults.inject("html_body", count=3, route=TH1)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as dials:
        with pytest.raises(DialsDecodeError) as caught:
            dials.h1d.list(LumisectionHistogram1DFilters(me=ME))
    error = caught.value
    assert not error.truncated
    assert error.content_type.startswith("text/html")
    assert error.excerpt.lower().startswith("<!doctype html")
    assert TH1 in str(error) and "text/html" in str(error) and "base_url" in str(error)
    assert faults_seen(srv) == ["html_body"] and no_sleep == []


def test_invalid_json_is_a_decode_error_and_not_retried(srv: DialsServer) -> None:
    srv.faults.inject("invalid_body", count=3, route=TH1)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as dials:
        with pytest.raises(DialsDecodeError) as caught:
            dials.h1d.get(**KEY)
    assert not caught.value.truncated and "is not JSON" in str(caught.value)
    assert faults_seen(srv) == ["invalid_body"]


# -- cursor loops ------------------------------------------------------------------------


def _expected(srv: DialsServer) -> list[tuple[int, int, int, int]]:
    rows = srv.db().execute(
        "SELECT dataset_id, run_number, ls_number, me_id FROM th1 WHERE me = ? "
        "ORDER BY dataset_id, run_number, ls_number, me_id",
        (ME,),
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_a_cursor_loop_stops_the_walk(dials: Dials, srv: DialsServer) -> None:
    srv.faults.inject("loop_next", count=4, route=TH1)  # page 4's next is page 2 again
    filters = LumisectionHistogram1DFilters(me=ME, page_size=10)
    with pytest.raises(DialsCursorLoopError) as caught:
        dials.h1d.list_all(filters, enable_progress=False)
    assert caught.value.pages_fetched == 4 and "next_token=" in caught.value.url
    assert len(api_requests(srv)) == 4  # the looping page is not fetched again

    srv.clear_requests()
    srv.faults.inject("loop_next", count=4, route=TH1)
    rows = dials.h1d.iter_items(filters)
    seen = []
    with pytest.raises(DialsCursorLoopError):
        for row in rows:
            seen.append(row)
    assert keys(seen) == _expected(srv)[:40] and len(api_requests(srv)) == 4


def test_a_cursor_loop_under_keep_failed_keeps_the_rows(dials: Dials, srv: DialsServer) -> None:
    srv.faults.inject("loop_next", count=3, route=TH1)
    filters = LumisectionHistogram1DFilters(me=ME, page_size=10)
    with pytest.warns(RuntimeWarning, match="returning the 30 results"):
        data = dials.h1d.list_all(filters, keep_failed=True, enable_progress=False)
    assert data.exc_type == "DialsCursorLoopError"
    assert keys(data.results) == _expected(srv)[:30]  # three pages, none twice
    assert data.next is None  # nothing to resume: the server's cursor loops


# -- redirects -----------------------------------------------------------------------------


def test_a_redirect_says_what_it_is_without_credentials(srv: DialsServer) -> None:
    location = "https://someone:hunter2-password@login.example.org/sso?service=dials"
    srv.faults.inject("redirect", count=3, status=302, location=location)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as dials:
        with pytest.raises(RedirectError) as caught:
            dials.run.list()
    error = caught.value
    message = str(error)
    assert message.startswith(
        "DIALS answered a redirect to https://login.example.org/sso?service=dials; not followed"
    )
    assert error.status_code == 302 and error.location.startswith("https://login.example.org/")
    for text in (message, repr(error), pickle.dumps(error).decode("latin-1")):
        assert srv.secret not in text
    assert "hunter2-password" not in message and "hunter2-password" not in repr(error)
    assert "Server Error" not in message
    assert faults_seen(srv) == ["redirect"]  # not retried, not followed


# -- retries are visible --------------------------------------------------------------------


def test_one_info_line_per_retry(
    srv: DialsServer, no_sleep: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="cmsdials")
    srv.faults.inject("status", count=2, status=503)
    srv.faults.inject("reset", count=1)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as dials:
        dials.run.list()
    lines = [
        r.getMessage()
        for r in caplog.records
        if r.name == "cmsdials.transport" and r.levelno == logging.INFO
    ]
    assert len(lines) == 3 == len(no_sleep)
    assert "503 Service Unavailable" in lines[0] and "503 Service Unavailable" in lines[1]
    assert "RemoteProtocolError" in lines[2] or "ReadError" in lines[2]
    for line, slept in zip(lines, no_sleep, strict=True):
        assert line.startswith("retrying GET ") and f"in {slept:.2f} s" in line


def test_nothing_is_configured_at_import() -> None:
    logger = logging.getLogger("cmsdials")
    assert logger.handlers == [] and logger.level == logging.NOTSET


# -- a total deadline ------------------------------------------------------------------------


def test_a_dripping_body_does_not_outlive_the_timeout(srv: DialsServer) -> None:
    # The page drips in 8 bytes every 50 ms: over a minute for the whole body.
    srv.faults.inject("drip", count=5, route=TH1, drip_bytes=8, drip_seconds=0.05)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url, timeout=0.8) as dials:
        started = time.monotonic()
        with pytest.raises(DialsTimeoutError) as caught:
            dials.h1d.list(LumisectionHistogram1DFilters(me=ME, page_size=100))
        elapsed = time.monotonic() - started
    assert "0.8 s timeout" in str(caught.value) and TH1 in str(caught.value)
    assert faults_seen(srv) == ["drip"]  # the deadline leaves no time for a retry
    assert elapsed < 20  # far less than the drip's own minute


def test_a_per_call_timeout_caps_that_call_only(srv: DialsServer) -> None:
    srv.faults.inject("drip", count=1, route=TH1, drip_bytes=8, drip_seconds=0.05)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as dials:  # 30 s default
        with pytest.raises(DialsTimeoutError) as caught:
            dials.h1d.list(LumisectionHistogram1DFilters(me=ME, page_size=100), timeout=0.6)
        assert "0.6 s timeout" in str(caught.value)
        # The next call has the client's own timeout again (and the fault is spent).
        assert dials.h1d.list(LumisectionHistogram1DFilters(me=ME, page_size=100)).results
        srv.faults.inject("drip", count=1, route="/run/", drip_bytes=8, drip_seconds=0.05)
        with pytest.raises(DialsTimeoutError):
            dials.run.list_all(enable_progress=False, timeout=0.6)
    assert faults_seen(srv) == ["drip", None, "drip"]  # the call between got no fault


def test_the_deadline_caps_the_waits_between_retries(
    srv: DialsServer, no_sleep: list[float]
) -> None:
    srv.faults.inject("status", count=3, status=503, retry_after=60)
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url, timeout=5) as dials:
        with pytest.raises(ServerError):
            dials.run.list()
    assert no_sleep == [] and faults_seen(srv) == ["status"]


# -- short tracebacks -------------------------------------------------------------------------


def test_a_404_traceback_is_short(dials: Dials) -> None:
    try:
        dials.run.get(dataset_id=1, run_number=1)
    except NotFoundError as exc:
        frames = traceback.extract_tb(exc.__traceback__)
    else:
        pytest.fail("no NotFoundError")
    below = frames[1:]  # the frames under this test's call
    assert len(below) <= 6, [f"{f.filename}:{f.name}" for f in below]
    assert all("httpx" not in f.filename for f in below)


# -- pickling -------------------------------------------------------------------------------------


def _instances() -> list[DialsError]:
    http = {"method": "GET", "url": "http://dials.test/api/v1/run/", "body": '{"detail":"x"}'}
    made: list[DialsError] = []
    for name in exceptions.__all__:
        cls = getattr(exceptions, name)
        if not isinstance(cls, type) or not issubclass(cls, DialsError):
            continue
        if issubclass(cls, exceptions.KeycloakError):
            made.append(cls("token: 400 invalid_grant", 400, "invalid_grant"))
        elif issubclass(cls, exceptions.DialsHTTPError):
            made.append(
                cls(
                    status_code=302 if cls is RedirectError else 404,
                    headers=httpx.Headers({"Location": "/elsewhere/", "Retry-After": "2"}),
                    data={"detail": "x", "code": "y"},
                    **http,
                )
            )
        elif cls is DialsDecodeError:
            made.append(
                cls(
                    method="GET",
                    url=http["url"],
                    status_code=200,
                    content_type="text/html",
                    excerpt="<html>",
                    truncated=False,
                    reason="unexpected character",
                )
            )
        elif cls is DialsCursorLoopError:
            made.append(cls("http://dials.test/api/v1/run/?next_token=abc", 3))
        elif issubclass(cls, exceptions.DialsConnectionError):
            made.append(cls("GET x failed", method="GET", url=http["url"]))
        else:
            made.append(cls("message"))
    return made


def test_every_error_pickles_with_its_attributes() -> None:
    made = _instances()  # every error, Keycloak's included, lives in cmsdials.exceptions
    assert len(made) >= 23
    for error in made:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert str(copy) == str(error) and copy.args == error.args
        assert vars(copy).keys() == vars(error).keys()
        for name, value in vars(error).items():
            assert getattr(copy, name) == value, (type(error).__name__, name)


def _get_missing_run(base_url: str, secret: str) -> None:
    with Dials(Credentials(token=secret), base_url=base_url) as dials:
        dials.run.get(dataset_id=1, run_number=1)


def test_not_found_crosses_a_process_pool(srv: DialsServer) -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(_get_missing_run, srv.base_url, srv.secret)
        with pytest.raises(NotFoundError) as caught:
            future.result(timeout=120)
        assert pool.submit(abs, -3).result(timeout=60) == 3  # the pool is not broken
    error = caught.value
    assert error.status_code == 404 and "/api/v1/run/1/1/" in error.url
    assert error.detail == "No Run matches the given query."
    assert srv.secret not in pickle.dumps(error).decode("latin-1")


# -- configuration checked at construction --------------------------------------------------


BAD_BASE_URLS = [
    "cmsdials-api.web.cern.ch",
    "cmsdials-api.web.cern.ch/",
    "ftp://cmsdials-api.web.cern.ch/",
    "not a url",
    "https://",
    "https:///api/",
    "https://host:notaport/",
    "https://host/?workspace=tracker",
    "https://host/#top",
    "https://user:pw@host/",
]


def _builders(**kwargs: Any) -> dict[str, Any]:
    creds = Credentials(token="x" * 32)
    workspace = kwargs.pop("workspace", None)
    return {
        "Dials": lambda: Dials(creds, workspace=workspace, **kwargs),
        "h1d client": lambda: LumisectionHistogram1DClient(creds, workspace, **kwargs),
        "run client": lambda: RunClient(creds, workspace=workspace, **kwargs),
        "OMSProxyClient": lambda: OMSProxyClient(creds, **kwargs),
        "AuthClient": lambda: AuthClient(**kwargs),
        "Transport": lambda: Transport(TransportSettings(workspace=workspace, **kwargs)),
    }


@pytest.mark.parametrize("base_url", BAD_BASE_URLS)
def test_a_bad_base_url_is_refused_at_construction(base_url: str) -> None:
    for build in _builders(base_url=base_url).values():
        with pytest.raises(ValueError, match="base_url") as caught:
            build()
        assert "user:pw" not in str(caught.value)  # a password in the URL is not repeated


@pytest.mark.parametrize("workspace", ["tracker\r\nX-Evil: 1", "track er", "trackér", "a\n"])
def test_a_workspace_that_is_not_header_safe_is_refused(workspace: str) -> None:
    builders = _builders(workspace=workspace)
    for who in ("Dials", "h1d client", "run client", "Transport"):
        with pytest.raises(ValueError, match="workspace"):
            builders[who]()


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), float("inf"), None, "5", True])
def test_a_timeout_that_is_not_positive_is_refused(timeout: Any) -> None:
    for build in _builders(timeout=timeout).values():
        with pytest.raises(ValueError, match="timeout"):
            build()


def test_other_options_are_checked_too(tmp_path: Any) -> None:
    missing = str(tmp_path / "no-such-ca.pem")
    for build in _builders(verify=missing).values():
        with pytest.raises(ValueError, match="verify"):
            build()
    for build in _builders(retries="3").values():
        with pytest.raises(TypeError, match="retries"):
            build()
    with pytest.raises(TypeError, match="timeot"):
        Dials(None, timeot=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="pass settings= or base_url, timeout, not both"):
        Dials(None, base_url="https://h/", settings=TransportSettings(), timeout=3)


def test_good_configuration_is_normalised() -> None:
    settings = TransportSettings("http://127.0.0.1:8000", "api", "v1", "tracker", timeout=2)
    assert settings.api_url == "http://127.0.0.1:8000/api/v1/"
    assert settings.deadline == 2.0 and settings.workspace == "tracker"
    with AuthClient("https://dials.example.org", timeout=httpx.Timeout(3.0)) as auth:
        assert auth.api_url == "https://dials.example.org/api/v1/"
    assert TransportSettings("", "", "").api_url == "https://cmsdials-api.web.cern.ch/api/v1/"
    with Dials(None, workspace="", base_url="https://[::1]:9/") as dials:
        assert dials.transport.workspace is None
        assert dials.transport.base_url == "https://[::1]:9/"


def test_a_shared_settings_object(srv: DialsServer) -> None:
    settings = TransportSettings(srv.base_url, workspace="jetmet", timeout=10, retries=0)
    creds = Credentials(token=srv.secret)
    with Dials(creds, settings=settings) as dials, RunClient(creds, settings=settings) as run:
        assert dials.run.list().results and run.list().results
    assert {r.headers.get("workspace") for r in api_requests(srv)} == {"jetmet"}


# -- no secret in the new error paths ----------------------------------------------------------


class _Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


@pytest.mark.parametrize("kind", ["secret key", "bearer token"])
def test_no_secret_in_any_new_error_path(
    srv: DialsServer, no_sleep: list[float], caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    caplog.set_level(logging.DEBUG)
    if kind == "secret key":
        secret = srv.secret
        creds: Any = Credentials(token=secret)
    else:
        secret = str(srv.issue_token()["access_token"])
        creds = _Bearer(secret)
    texts: list[str] = []
    kinds: list[dict[str, Any]] = [
        {"kind": "status", "status": 503, "retry_after": "soon"},
        {"kind": "cut_body"},
        {"kind": "html_body"},
        {"kind": "invalid_body"},
        {"kind": "redirect", "location": "/elsewhere/"},
    ]
    with Dials(creds, base_url=srv.base_url) as dials:
        for fault in kinds:
            srv.faults.inject(count=1, **fault)
            try:
                dials.run.list(retries=0)
            except DialsError as exc:
                texts.extend([str(exc), repr(exc), pickle.dumps(exc).decode("latin-1")])
        srv.faults.inject("loop_next", count=3, route="/api/v1/run/")
        with pytest.raises(DialsCursorLoopError) as loop:
            dials.run.list_all({"page_size": 5}, enable_progress=False)
        texts.extend([str(loop.value), pickle.dumps(loop.value).decode("latin-1")])
    with Dials(creds, base_url=srv.base_url, timeout=0.3) as dials:
        srv.faults.inject("drip", count=1, route=TH1, drip_bytes=4, drip_seconds=0.05)
        with pytest.raises(DialsTimeoutError) as timed_out:
            dials.h1d.list(LumisectionHistogram1DFilters(me=ME))
        texts.extend([str(timed_out.value), repr(timed_out.value)])
    assert len(texts) >= 14
    assert all(r.status != 403 for r in api_requests(srv))  # the credentials were accepted
    texts.append(caplog.text)
    assert secret not in "\n".join(texts)


# -- the README lists the hierarchy as it is ---------------------------------------------------


def test_the_readme_lists_the_error_hierarchy_as_it_is() -> None:
    from pathlib import Path

    from cmsdials.auth import exceptions as auth_exceptions

    readme = (Path(__file__).parents[2] / "docs" / "guides" / "errors.md").read_text(
        encoding="utf-8"
    )
    listed: set[str] = set()
    classes: set[str] = set()
    for module in (exceptions,):  # the one home; cmsdials.auth.exceptions re-exports
        doc = module.__doc__ or ""
        tree = [line[4:] for line in doc.split("::\n\n", 1)[1].split("\n\n", 1)[0].splitlines()]
        assert "\n".join(tree) in readme, module.__name__
        listed.update(re.findall(r"\b[A-Z]\w*Error\b", "\n".join(tree)))
        classes.update(
            name
            for name in module.__all__
            if isinstance(getattr(module, name), type)
            and issubclass(getattr(module, name), DialsError)
            and name != "WalkCancelled"  # internal: a worker's wait cut short
        )
    assert listed == classes
    assert set(auth_exceptions.__all__) <= set(exceptions.__all__)


def test_send_takes_a_timeout_for_one_call(srv: DialsServer) -> None:
    srv.faults.inject("drip", count=1, route="/run/", drip_bytes=4, drip_seconds=0.05)
    with Transport(srv.base_url, auth=None, headers={"X-CLIENT-SECRET": srv.secret}) as transport:
        with pytest.raises(DialsTimeoutError, match=r"0\.5 s timeout"):
            transport.send(lambda: transport.http.build_request("GET", "/api/v1/run/"), timeout=0.5)
        answer = transport.send(lambda: transport.http.build_request("GET", "/api/v1/run/"))
        assert answer.json()["results"]
        with pytest.raises(ValueError, match="timeout"):
            transport.send(lambda: transport.http.build_request("GET", "/api/v1/run/"), timeout=0)


@pytest.mark.parametrize("url", ["auth.cern.ch/auth/", "ftp://auth.cern.ch/", "https://h/?a=1"])
def test_a_bad_keycloak_url_is_refused_at_construction(url: str) -> None:
    with pytest.raises(ValueError, match="keycloak_url"):
        AuthClient(keycloak_url=url)


def test_a_server_that_is_down_is_retried_visibly(
    no_sleep: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    caplog.set_level(logging.INFO, logger="cmsdials.transport")
    with Dials(None, base_url=f"http://127.0.0.1:{port}/") as dials:
        with pytest.raises(exceptions.DialsConnectionError) as caught:
            dials.run.list()
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    retries = [line for line in lines if line.startswith("retrying GET ")]
    assert len(retries) == len(no_sleep) == 4 and all("ConnectError" in x for x in retries)
    assert "is base_url right" in str(caught.value)
    assert isinstance(caught.value.cause, httpx.ConnectError)  # the reason, kept on .cause
    assert caught.value.__suppress_context__ and caught.value.__cause__ is None
