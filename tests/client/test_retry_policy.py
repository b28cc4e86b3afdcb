"""The retry policy on its own (``cmsdials.retries``), as any transport, sync or async, uses it:
failures in, decisions out, no request sent and no sleep taken."""

from __future__ import annotations

import logging

import httpx
import pytest
from urllib3.util import Retry

from cmsdials.exceptions import DialsConnectionError, DialsDecodeError, error_from_response
from cmsdials.retries import Failure, RetryPolicy, urllib3_error

URL = "http://dials.test/api/v1/th1/"


def status_failure(status: int, method: str = "GET", **headers: str) -> Failure:
    request = httpx.Request(method, URL)
    response = httpx.Response(status, headers=headers, request=request, content=b"{}")
    return Failure(error_from_response(response), response=response)


def connect_failure() -> Failure:
    exc = httpx.ConnectError("refused", request=httpx.Request("GET", URL))
    error = DialsConnectionError("GET failed", method="GET", url=URL)
    return Failure(error, cause=exc, as_urllib3=urllib3_error(exc, URL))


def test_a_503_with_retry_after_waits_what_the_server_asked() -> None:
    policy = RetryPolicy()
    failure = status_failure(503, **{"Retry-After": "3"})
    step = policy.after(policy.start(), "GET", failure)
    assert step is not None and step.wait == 3.0 and len(step.retry.history) == 1
    assert failure.holds_everyone  # the whole client slows down, not this request alone


def test_the_default_caps_retry_after_and_counts_down() -> None:
    policy = RetryPolicy()
    retry = policy.start()
    waits = []
    for _ in range(10):
        step = policy.after(retry, "GET", status_failure(429, **{"Retry-After": "600"}))
        if step is None:
            break
        retry = step.retry
        waits.append(step.wait)
    assert waits == [120.0] * 4  # four retries, each at most 120 s


def test_a_post_is_not_retried_on_a_status_and_a_given_retry_is_honoured() -> None:
    policy = RetryPolicy()
    assert policy.after(policy.start(), "POST", status_failure(503, "POST")) is None
    given = policy.start(Retry(total=1, status_forcelist=[500], backoff_factor=0))
    step = policy.after(given, "GET", status_failure(500))
    assert step is not None and step.wait == 0
    assert policy.after(step.retry, "GET", status_failure(500)) is None
    assert policy.after(policy.start(0), "GET", connect_failure()) is None


def test_connection_errors_back_off_exponentially() -> None:
    policy = RetryPolicy(Retry(connect=3, backoff_factor=1.0, backoff_max=8.0))
    retry, waits = policy.start(), []
    while (step := policy.after(retry, "GET", connect_failure())) is not None:
        retry = step.retry
        waits.append(step.wait)
    assert waits == [0.0, 2.0, 4.0]  # urllib3: no wait before the first retry, then doubling


def test_a_body_that_is_not_json_is_not_retried() -> None:
    error = DialsDecodeError(
        method="GET", url=URL, status_code=200, content_type="text/html", excerpt="<html>",
        truncated=False, reason="not JSON",
    )  # fmt: skip
    assert RetryPolicy().after(RetryPolicy().start(), "GET", Failure(error)) is None


def test_a_malformed_retry_after_falls_back_and_is_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="cmsdials.transport")
    policy = RetryPolicy()
    retry = policy.start()
    for _ in range(2):
        step = policy.after(retry, "GET", status_failure(503, **{"Retry-After": "soon"}))
        assert step is not None and 0 <= step.wait <= 8
        retry = step.retry
    assert [r.getMessage().count("'soon'") for r in caplog.records] == [1]
