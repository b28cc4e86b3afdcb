"""The retry policy: whether a failed attempt is tried again, and after how long.

:class:`RetryPolicy` decides for one transport (sync today; an async transport
would share it as is: it sends nothing and sleeps nowhere). Its vocabulary is
urllib3's ``Retry``, honoured as urllib3 would: total/connect/read/status/other
counts, ``status_forcelist``, ``allowed_methods``, backoff with jitter and
``Retry-After``. The transport tells it what went wrong as a :class:`Failure`
and gets back the next state of the call's ``Retry`` and the wait, or ``None``
(give up: raise). A malformed ``Retry-After`` falls back to the backoff, logged
once per value.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx
from urllib3.exceptions import (
    InvalidHeader,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.response import HTTPResponse
from urllib3.util import Retry

from .exceptions import DialsError, DialsHTTPError
from .settings import DEFAULT_RETRY, RetriesType, resolve_retry

__all__ = ["Failure", "RetryPolicy", "Step", "urllib3_error"]

logger = logging.getLogger("cmsdials.transport")


@dataclass(frozen=True)
class Failure:
    """One attempt that gave no usable answer.

    ``error`` is what the caller sees if it is the last; ``cause`` the library
    error behind it; ``as_urllib3`` how urllib3's counters see an error without a
    status (``None``: never retried); ``reason`` says it in a log line;
    ``response`` is the answer, when there was one.
    """

    error: DialsError
    cause: BaseException | None = None
    as_urllib3: Exception | None = None
    reason: str = ""
    response: httpx.Response | None = None

    @property
    def url(self) -> str:
        return str(getattr(self.error, "url", ""))

    @property
    def holds_everyone(self) -> bool:
        """A 429, or any answer with ``Retry-After``: the server asked the client as a
        whole to slow down, not just this request."""
        error = self.error
        return isinstance(error, DialsHTTPError) and (
            error.status_code == 429 or "Retry-After" in error.headers
        )


@dataclass(frozen=True)
class Step:
    """The decision to try again: the call's retry state after this failure and the wait."""

    retry: Retry
    wait: float


def urllib3_error(exc: httpx.RequestError, url: str) -> Exception:
    """The urllib3 error ``Retry.increment`` counts for an httpx error."""
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return NewConnectionError(None, str(exc))  # type: ignore[arg-type]
    if isinstance(exc, httpx.TimeoutException):
        return ReadTimeoutError(None, url, str(exc))  # type: ignore[arg-type]
    return ProtocolError(str(exc))


class RetryPolicy:
    """When to try again: ``default`` (a ``urllib3.util.Retry``) unless a call gives its own.

    One per transport (it remembers which malformed ``Retry-After`` values it
    has already logged).
    """

    def __init__(self, default: Retry = DEFAULT_RETRY) -> None:
        self.default = default
        self._malformed_retry_after: set[str] = set()

    def __repr__(self) -> str:
        return f"RetryPolicy({self.default!r})"

    def start(self, retries: RetriesType = None) -> Retry:
        """The retry state a call starts with: its ``retries=`` or the default."""
        return resolve_retry(retries, self.default)

    def after(self, retry: Retry, method: str, failure: Failure) -> Step | None:
        """The next step after ``failure`` (``None``: do not retry)."""
        error = failure.error
        if isinstance(error, DialsHTTPError):
            return self._after_status(retry, method, error)
        if failure.as_urllib3 is None:
            return None
        try:
            new = retry.increment(method, failure.url, error=failure.as_urllib3)
        except Exception:  # noqa: BLE001 - urllib3 re-raises the error or gives MaxRetryError
            return None
        return Step(new, new.get_backoff_time())

    def _after_status(self, retry: Retry, method: str, error: DialsHTTPError) -> Step | None:
        has_retry_after = "Retry-After" in error.headers
        if not retry.is_retry(method, error.status_code, has_retry_after):
            return None
        answer = HTTPResponse(body=b"", headers=dict(error.headers), status=error.status_code)
        try:
            new = retry.increment(method, error.url, response=answer)
        except MaxRetryError:
            return None
        delay = self._retry_after(new, answer) if new.respect_retry_after_header else None
        return Step(new, new.get_backoff_time() if delay is None else delay)

    def _retry_after(self, retry: Retry, answer: HTTPResponse) -> float | None:
        """The server's ``Retry-After`` in seconds; ``None`` (the backoff) when malformed."""
        try:
            return retry.get_retry_after(answer)
        except InvalidHeader:
            value = str(answer.headers.get("Retry-After", ""))
            if value not in self._malformed_retry_after:
                self._malformed_retry_after.add(value)
                logger.warning(
                    "the server sent a malformed Retry-After %r (not seconds or an HTTP "
                    "date): waiting the retry policy's own backoff instead",
                    value[:40],
                )
            return None
