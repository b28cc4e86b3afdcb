"""Transport semantics a real server adds nothing to: exact backoff, error classes, headers.

An ``httpx.MockTransport`` plays the server and a list records every sleep, so
retry counts and backoff times are asserted exactly, without waiting.
"""

from __future__ import annotations

import platform
import re
from collections.abc import Callable, MutableMapping

import httpx
import pytest
from urllib3.util import Retry

from cmsdials import __version__
from cmsdials.adapter import api
from cmsdials.exceptions import (
    DialsConnectionError,
    DialsHTTPError,
    DialsTimeoutError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    WorkspaceNotFoundError,
)
from cmsdials.filters import MLBadLumisectionFilters
from cmsdials.transport import DEFAULT_RETRY, Transport, as_httpx_auth

PAGE = {"next": None, "previous": None, "results": []}
RUN = {"dataset_id": 1, "run_number": 2, "ls_count": 3}

list_run = api().require("run/", what="tests")
retrieve_run = api().group("run/").retrieve
assert retrieve_run is not None


class Script:
    """A fake server: answers from a list of handlers, records requests and sleeps."""

    def __init__(self, *answers: Callable[[httpx.Request], httpx.Response] | int) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, int):
            return httpx.Response(answer, json={"detail": f"status {answer}"})
        return answer(request)

    def transport(self, **kwargs: object) -> Transport:
        return Transport(
            "http://dials.test/",
            http_transport=httpx.MockTransport(self.handle),
            sleep=self.sleeps.append,
            **kwargs,  # type: ignore[arg-type]
        )


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=RUN if request.url.path.count("/") > 5 else PAGE)


def raising(exc: type[httpx.TransportError]) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc("boom", request=request)

    return handler


def test_retry_object_counts_and_backoff_exactly() -> None:
    script = Script(503, 503, ok)
    retry = Retry(total=3, backoff_factor=0.1, status_forcelist=[503])
    with script.transport() as transport:
        transport.request(list_run, retries=retry)
    assert len(script.requests) == 3
    # urllib3: no wait before the first retry, then backoff_factor * 2 ** (n - 1)
    assert script.sleeps == [0.0, 0.2]


def test_retry_object_exhausted_raises_the_last_status_error() -> None:
    script = Script(503)
    with script.transport() as transport, pytest.raises(ServerError) as caught:
        transport.request(list_run, retries=Retry(total=2, status_forcelist=[503]))
    assert len(script.requests) == 3
    assert caught.value.status_code == 503


def test_retry_without_forcelist_does_not_retry_statuses_like_urllib3() -> None:
    # urllib3 retries a status only if it is in status_forcelist, or if the answer
    # carries Retry-After (413, 429, 503): Retry(total=3) alone returns the 503.
    script = Script(503)
    with script.transport() as transport, pytest.raises(ServerError):
        transport.request(list_run, retries=Retry(total=3, backoff_factor=0.1))
    assert len(script.requests) == 1
    later = httpx.Response(503, headers={"Retry-After": "1"}, json={"detail": "busy"})
    script = Script(lambda request: later, ok)
    with script.transport() as transport:
        transport.request(list_run, retries=Retry(total=3))
    assert len(script.requests) == 2
    assert script.sleeps == [1.0]


def test_int_retries_and_zero() -> None:
    script = Script(raising(httpx.ConnectError))
    with script.transport() as transport:
        with pytest.raises(DialsConnectionError):
            transport.request(list_run, retries=0)
        assert len(script.requests) == 1
        script.requests.clear()
        with pytest.raises(DialsConnectionError):
            transport.request(list_run, retries=2)  # Retry.from_int(2): two retries
        assert len(script.requests) == 3
        assert script.sleeps == [0.0, 0.0]  # from_int has no backoff


def test_status_forcelist_is_honoured() -> None:
    script = Script(500, ok)
    with script.transport() as transport:
        with pytest.raises(ServerError):  # 500 is not retried by the default policy
            transport.request(list_run)
        assert len(script.requests) == 1
        script.requests.clear()
        script.answers = [500, ok]
        transport.request(list_run, retries=Retry(total=2, status_forcelist=[500]))
        assert len(script.requests) == 2


def test_default_policy_backoff_with_jitter_and_limit() -> None:
    script = Script(503)
    with script.transport() as transport, pytest.raises(ServerError):
        transport.request(list_run)
    assert len(script.requests) == 1 + DEFAULT_RETRY.status  # type: ignore[operator]
    assert len(script.sleeps) == DEFAULT_RETRY.status
    for n, slept in enumerate(script.sleeps, start=1):
        base = 0.0 if n == 1 else min(0.5 * 2 ** (n - 1), 8.0)
        assert base <= slept <= base + 0.25


def test_retry_after_is_honoured_on_429() -> None:
    limited = httpx.Response(429, headers={"Retry-After": "3"}, json={"detail": "slow down"})
    script = Script(lambda request: limited, ok)
    with script.transport() as transport:
        transport.request(list_run)
    assert len(script.requests) == 2
    assert script.sleeps == [3.0]


def test_default_policy_caps_a_long_retry_after_but_a_given_retry_does_not() -> None:
    def limited(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": "3600"}, json={"detail": "later"})

    script = Script(limited, ok)
    with script.transport(timeout=4000) as transport:
        transport.request(list_run)
    assert script.sleeps == [120.0]

    script = Script(limited, ok)
    with script.transport(timeout=4000) as transport:
        transport.request(list_run, retries=Retry(total=1, status_forcelist=[503]))
    assert script.sleeps == [3600.0]

    # The call's timeout caps the whole call: a wait beyond it is not taken.
    script = Script(limited, ok)
    with script.transport() as transport, pytest.raises(ServerError):
        transport.request(list_run)
    assert script.sleeps == [] and len(script.requests) == 1


def test_429_error_carries_retry_after() -> None:
    limited = httpx.Response(429, headers={"Retry-After": "7"}, json={"detail": "slow down"})
    script = Script(lambda request: limited)
    with script.transport() as transport, pytest.raises(RateLimitError) as caught:
        transport.request(list_run, retries=0)
    assert caught.value.retry_after == 7.0


def test_post_is_not_retried_by_default() -> None:
    script = Script(503)
    with script.transport() as transport, pytest.raises(ServerError):
        transport.send(lambda: transport.http.post("/api/v1/run/"), method="POST")
    assert len(script.requests) == 1


def test_connection_errors_are_retried_then_typed() -> None:
    script = Script(raising(httpx.ConnectError), raising(httpx.ConnectError), ok)
    with script.transport() as transport:
        transport.request(list_run)
    assert len(script.requests) == 3

    script = Script(raising(httpx.ConnectError))
    with script.transport() as transport, pytest.raises(DialsConnectionError) as caught:
        transport.request(list_run, retries=Retry(total=1, backoff_factor=0))
    assert len(script.requests) == 2
    assert not isinstance(caught.value, DialsTimeoutError)
    assert "http://dials.test/api/v1/run/" in str(caught.value)


def test_read_errors_use_the_read_counter() -> None:
    script = Script(raising(httpx.ReadError))
    with script.transport() as transport, pytest.raises(DialsConnectionError):
        transport.request(list_run, retries=Retry(total=10, read=1, backoff_factor=0))
    assert len(script.requests) == 2


def test_timeouts_are_their_own_type() -> None:
    script = Script(raising(httpx.ReadTimeout))
    with script.transport() as transport, pytest.raises(DialsTimeoutError):
        transport.request(list_run, retries=0)
    assert len(script.requests) == 1


def test_error_message_reads_like_the_classic_plus_detail() -> None:
    body = {"detail": "Token is invalid or expired", "code": "token_not_valid"}
    script = Script(lambda request: httpx.Response(403, json=body))
    with script.transport() as transport, pytest.raises(PermissionDeniedError) as caught:
        transport.request(retrieve_run, path={"dataset_id": 7, "run_number": 8})
    error = caught.value
    assert str(error) == (
        "403 Client Error: Forbidden for url: http://dials.test/api/v1/run/7/8/ "
        "(Token is invalid or expired)"
    )
    assert (error.status_code, error.detail, error.code) == (403, body["detail"], body["code"])
    assert error.body and "token_not_valid" in error.body


def test_unknown_workspace_and_plain_not_found() -> None:
    script = Script(lambda request: httpx.Response(404, json={"detail": "Workspace 'x' not found"}))
    with script.transport(workspace="x") as transport, pytest.raises(WorkspaceNotFoundError) as c:
        transport.request(list_run)
    assert "Workspace 'x' not found" in str(c.value)
    assert script.requests[0].headers["Workspace"] == "x"
    script = Script(lambda request: httpx.Response(404, json={"detail": "No Run matches."}))
    with script.transport() as transport, pytest.raises(NotFoundError) as c2:
        transport.request(retrieve_run, path={"dataset_id": 1, "run_number": 2})
    assert type(c2.value) is NotFoundError


def test_unusual_status_becomes_an_error_not_a_crash() -> None:
    script = Script(lambda request: httpx.Response(520, text="origin error"))
    with script.transport() as transport, pytest.raises(DialsHTTPError) as caught:
        transport.request(list_run, retries=0)
    assert caught.value.status_code == 520
    assert str(caught.value).startswith("520 Server Error: Unknown Status for url:")


def test_user_agent_and_accept() -> None:
    script = Script(ok)
    with script.transport() as transport:
        transport.request(list_run)
    agent = script.requests[0].headers["User-Agent"]
    assert agent == (
        f"cmsdials/{__version__} (python/{platform.python_version()}, httpx/{httpx.__version__})"
    )
    assert re.fullmatch(r"cmsdials/\S+ \(python/\d+\.\d+\.\d+, httpx/\S+\)", agent)


def test_list_values_are_sent_comma_joined() -> None:
    script = Script(ok)
    query = MLBadLumisectionFilters(model_id__in=[20, 19], run_number=5).model_dump(
        exclude_none=True
    )
    with script.transport() as transport:
        transport.request(MLBadLumisectionFilters.operation(), query=query)
    params = script.requests[0].url.params
    assert params.get_list("model_id__in") == ["20,19"]
    assert params["run_number"] == "5"


def test_route_and_version_prefix() -> None:
    script = Script(ok)
    with script.transport(route="dials-api", version="v2") as transport:
        transport.request(list_run)
    assert script.requests[0].url.path == "/dials-api/v2/run/"


class ClassicStyleCredentials:
    """User-written credentials for the classic client: no httpx involved."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.calls = 0

    def before_request(self, headers: MutableMapping[str, str]) -> None:
        self.calls += 1
        headers["X-CLIENT-SECRET"] = self.secret


def test_classic_style_credentials_are_adapted() -> None:
    creds = ClassicStyleCredentials("s3cr3t-value")
    script = Script(ok)
    with script.transport(auth=as_httpx_auth(creds)) as transport:
        transport.request(list_run)
        transport.request(list_run)
    assert [r.headers["X-CLIENT-SECRET"] for r in script.requests] == ["s3cr3t-value"] * 2
    assert creds.calls == 2
    assert "s3cr3t-value" not in repr(as_httpx_auth(creds))
    with pytest.raises(TypeError, match="before_request"):
        as_httpx_auth(object())


def test_no_secret_in_error_or_repr() -> None:
    creds = ClassicStyleCredentials("s3cr3t-value")
    script = Script(lambda request: httpx.Response(403, json={"detail": "Token is invalid"}))
    with script.transport(auth=as_httpx_auth(creds)) as transport:
        with pytest.raises(PermissionDeniedError) as caught:
            transport.request(list_run)
        for text in (str(caught.value), repr(caught.value), repr(transport)):
            assert "s3cr3t-value" not in text
