"""The one HTTP path of cmsdials: a pooled httpx client, retries, typed errors.

Every request of a ``Dials`` (and of an ``AuthClient``) goes through one
:class:`Transport`:

* one ``httpx.Client`` (keep-alive pool) shared by every endpoint, with the
  base URL, a timeout (30 s by default; never "wait forever"), the User-Agent,
  the ``Workspace`` header and the credentials (an ``httpx.Auth``);
* :meth:`Transport.request` sends an operation of :mod:`cmsdials.adapter`
  (method and path from the generated package, query and body from the
  caller) and returns the response; the endpoints parse it;
* credentials are an ``httpx.Auth``; classic-style credentials (an object with
  ``before_request(headers)``) are adapted by :func:`as_httpx_auth`;
* :meth:`Transport.send` is a plain retry loop: each attempt returns, then its
  answer is checked (:func:`check_response`): any non-2xx answer becomes the
  typed error of :mod:`cmsdials.exceptions` before the generated code sees it
  (so unusual statuses such as 499 or 520 cannot crash it), a 2xx body that is
  not JSON a :class:`~cmsdials.exceptions.DialsDecodeError`, and connection
  failures and timeouts become :class:`~cmsdials.exceptions.DialsConnectionError`
  / :class:`~cmsdials.exceptions.DialsTimeoutError`. The error is raised from
  ``send`` itself, so a traceback ends a few frames below the user's call;
* the options (base URL, route, version, workspace, timeout, retries, verify)
  are one :class:`~cmsdials.settings.TransportSettings`, checked when built;
* ``timeout`` caps a whole call, retries and waits included, and every read
  within it: a body that drips in slowly cannot outlive it;
* retries are decided by a ``urllib3.util.Retry`` policy, honoured as urllib3
  would (total/connect/read/status/other counts, ``status_forcelist``,
  ``allowed_methods``, backoff, ``Retry-After``), around the whole request so
  that a connection that breaks while the body is read is retried too; a
  malformed ``Retry-After`` falls back to the policy's backoff (logged once),
  and every retry is logged at INFO (reason and wait) on this module's logger;
* DIALS reads list filters as one comma-separated value
  (``model_id__in=20,19``) and keeps only the last of repeated keys, while the
  generated code sends a list as repeated keys: the transport joins them.
"""

from __future__ import annotations

import logging
import platform
import time
from collections.abc import Callable, Generator, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable
from urllib.parse import urlencode

import httpx
import orjson
from urllib3.exceptions import (
    InvalidHeader,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.response import HTTPResponse
from urllib3.util import Retry

from . import adapter, backoff
from ._version import __version__
from .exceptions import (
    DialsConnectionError,
    DialsDecodeError,
    DialsError,
    DialsHTTPError,
    DialsTimeoutError,
    error_from_response,
)
from .settings import (
    DEFAULT_RETRY,
    DEFAULT_TIMEOUT,
    PRODUCTION_BASE_URL,
    TRANSIENT_STATUSES,
    RetriesType,
    TransportSettings,
    VerifyType,
    positive_seconds,
    resolve_retry,
    with_slash,
)

__all__ = [
    "DEFAULT_RETRY",
    "DEFAULT_TIMEOUT",
    "PRODUCTION_BASE_URL",
    "TRANSIENT_STATUSES",
    "RetriesType",
    "Transport",
    "TransportSettings",
    "VerifyType",
    "api_root",
    "as_httpx_auth",
    "build_user_agent",
    "check_response",
    "resolve_retry",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")


def build_user_agent() -> str:
    return f"cmsdials/{__version__} (python/{platform.python_version()}, httpx/{httpx.__version__})"


def api_root(base_url: str | None) -> str:
    """The host the generated paths (``/api/v1/...``) are appended to."""
    return with_slash(base_url or PRODUCTION_BASE_URL)


_NOT_DECODED: Any = object()


class _JSONResponse(httpx.Response):
    """An httpx response whose ``json()`` decodes with orjson (same result, faster),
    once: :func:`check_response` keeps what it decoded."""

    _decoded: Any = _NOT_DECODED

    def json(self, **kwargs: Any) -> Any:
        if kwargs:
            return super().json(**kwargs)
        decoded = self._decoded
        if decoded is _NOT_DECODED:
            return orjson.loads(self.content)
        # Handed over, not kept: httpx's response <-> BoundSyncStream reference cycle keeps
        # a response alive until the cyclic GC runs, and with it a whole decoded page
        # (W5's constant memory). A second json() decodes again.
        self._decoded = _NOT_DECODED
        return decoded


#: Request extension: ``(monotonic deadline, seconds)`` of the call the request belongs to.
_DEADLINE = "cmsdials.deadline"


class _DeadlineStream(httpx.SyncByteStream):
    """A response body that fails with ``ReadTimeout`` once the call's deadline passed,
    however steadily its bytes drip in (each read has its own timeout, too)."""

    def __init__(
        self, stream: httpx.SyncByteStream, request: httpx.Request, deadline: tuple[float, float]
    ) -> None:
        self._stream = stream
        self._request = request
        self._deadline = deadline

    def __iter__(self) -> Iterator[bytes]:
        at, seconds = self._deadline
        for chunk in self._stream:
            if time.monotonic() > at:
                raise httpx.ReadTimeout(
                    f"the answer was still arriving when the call's {seconds:g} s timeout "
                    "(retries included) ran out",
                    request=self._request,
                )
            yield chunk

    def close(self) -> None:
        self._stream.close()


class _HTTPTransport(httpx.HTTPTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        stream = response.stream
        deadline = request.extensions.get(_DEADLINE)
        if deadline is not None and isinstance(stream, httpx.SyncByteStream):
            stream = _DeadlineStream(stream, request, deadline)
        return _JSONResponse(
            status_code=response.status_code,
            headers=response.headers,
            stream=stream,
            extensions=response.extensions,
            request=request,
        )


class _NoCookies(httpx.Cookies):
    """DIALS authenticates by header and sets no cookies: keep none, parse none."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class _Client(httpx.Client):
    """The httpx client of a Transport: cookie handling (a few percent of every
    request's time, for nothing DIALS uses) left out."""

    _no_cookies = _NoCookies()

    @property
    def cookies(self) -> httpx.Cookies:
        return self._no_cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        if cookies:
            raise ValueError("cmsdials does not send cookies: DIALS authenticates by header")


def _join_repeated_query_keys(request: httpx.Request) -> None:
    """``a=1&a=2`` → ``a=1,2``: DIALS (django-filter) reads one comma-separated value.

    A safety net for requests built elsewhere (the generated ``sync_detailed``
    sends lists as repeated keys); :meth:`Transport.request` joins lists itself.
    """
    query = request.url.query
    if not query:
        return
    keys = [part.split(b"=", 1)[0] for part in query.split(b"&")]
    if len(keys) == len(set(keys)):
        return
    params = request.url.params
    joined = {key: ",".join(params.get_list(key)) for key in params}
    request.url = request.url.copy_with(params=joined)


def _query_value(value: Any) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(_query_value(v) for v in value)
    return str(value)


def encode_query(params: Mapping[str, Any]) -> str:
    """The query string of ``params``, lists comma-joined as DIALS reads them."""
    return urlencode(
        [(key, _query_value(value)) for key, value in params.items() if value is not None],
        safe=",",
    )


#: The prefix of the paths in DIALS's spec (and so in the generated operations).
SPEC_PREFIX = TransportSettings().prefix


def _prefix_rewriter(prefix: str) -> Callable[[httpx.Request], None]:
    """Serve the spec's ``/api/v1/`` paths under another route/version prefix."""

    def rewrite(request: httpx.Request) -> None:
        path = request.url.raw_path.decode("ascii")
        if path.startswith(SPEC_PREFIX):
            tail = path[len(SPEC_PREFIX) :]
            request.url = request.url.copy_with(raw_path=(prefix + tail).encode("ascii"))

    return rewrite


@runtime_checkable
class ClassicCredentials(Protocol):
    """Credentials written for the classic client: they fill a dict of headers."""

    def before_request(self, headers: MutableMapping[str, str]) -> None: ...


class _ClassicCredentialsAuth(httpx.Auth):
    """Runs classic-style ``before_request(headers)`` credentials on every request."""

    def __init__(self, credentials: ClassicCredentials) -> None:
        self.credentials = credentials

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        headers: dict[str, str] = {}
        self.credentials.before_request(headers)
        request.headers.update(headers)
        yield request

    def __repr__(self) -> str:
        return f"{type(self).__name__}({type(self.credentials).__name__})"


def as_httpx_auth(credentials: object) -> httpx.Auth | None:
    """The ``httpx.Auth`` for ``credentials``: itself, or an adapter for classic ones."""
    if credentials is None or isinstance(credentials, httpx.Auth):
        return credentials
    if isinstance(credentials, ClassicCredentials):
        return _ClassicCredentialsAuth(credentials)
    raise TypeError(
        "credentials must be an httpx.Auth (cmsdials.auth.*.Credentials) or have a "
        f"before_request(headers) method, not {type(credentials).__name__}"
    )


#: Bytes of a body shown in a decode error.
_EXCERPT = 120


def check_response(response: httpx.Response) -> DialsError | None:
    """The error a returned answer stands for (``None`` when it is a usable 2xx).

    A non-2xx status is its typed :class:`~cmsdials.exceptions.DialsHTTPError`;
    a 2xx body that is not JSON is a :class:`~cmsdials.exceptions.DialsDecodeError`
    (``truncated`` when the JSON ends early). The decoded JSON is kept, so the
    caller's ``response.json()`` does not decode it again.
    """
    request = response.request
    if not response.is_success:
        error = error_from_response(response)
        logger.debug("%s %s answered %s", error.method, error.url, error.status_code)
        return error
    content = response.content
    if response.status_code == 204 or request.method == "HEAD":
        return None
    try:
        decoded = orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        truncated = not content.strip() or exc.pos >= len(content.rstrip())
        return DialsDecodeError(
            method=request.method,
            url=str(request.url),
            status_code=response.status_code,
            content_type=response.headers.get("content-type", ""),
            excerpt=content[:_EXCERPT].decode("utf-8", "replace"),
            truncated=truncated and not content.lstrip().startswith(b"<"),
            reason=exc.msg if content else "an empty body",
        )
    if isinstance(response, _JSONResponse):
        response._decoded = decoded
    return None


@dataclass
class _Failure:
    """One attempt that did not give a usable answer: the error to raise if it is the last,
    the httpx error behind it, and urllib3's name for it (for the retry counters)."""

    error: DialsError
    cause: BaseException | None = None
    #: How urllib3's ``Retry.increment`` sees an error without a status (None: not retried).
    as_urllib3: Exception | None = None
    reason: str = ""


class Transport:
    """One pooled HTTP client and the request policy of a ``Dials`` or ``AuthClient``.

    ``settings`` is a :class:`~cmsdials.settings.TransportSettings`, or the
    ``base_url`` and the settings' fields as keywords. ``sleep`` (the wait between
    retries) and ``http_transport`` (the httpx transport under the client) are
    there for tests.
    """

    def __init__(
        self,
        settings: TransportSettings | str | None = None,
        *,
        auth: httpx.Auth | None = None,
        headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = backoff.sleep,
        http_transport: httpx.BaseTransport | None = None,
        **options: Any,
    ) -> None:
        if not isinstance(settings, TransportSettings):
            settings = TransportSettings(settings, **options)
        elif options:
            raise TypeError("pass either a TransportSettings or its fields as keywords, not both")
        self.settings = settings
        self.default_retry = settings.retry
        self._sleep = sleep
        #: Shared by every thread using this transport: a 429 / Retry-After holds them all
        #: (cmsdials.backoff; the workers of ``workers=N`` walks).
        self.slowdown = backoff.RetryAfterGate()
        self._malformed_retry_after: set[str] = set()
        request_hooks: list[Callable[[httpx.Request], None]] = [_join_repeated_query_keys]
        if settings.prefix != SPEC_PREFIX:
            request_hooks.append(_prefix_rewriter(settings.prefix))
        all_headers = {"Accept": "application/json", "User-Agent": build_user_agent()}
        if settings.workspace is not None:
            all_headers["Workspace"] = settings.workspace
        all_headers.update(headers or {})
        self.http = _Client(
            base_url=settings.api_root,
            auth=auth,
            headers=all_headers,
            timeout=settings.httpx_timeout,
            transport=(
                http_transport
                if http_transport is not None
                else _HTTPTransport(verify=settings.ssl_verify())
            ),
            follow_redirects=False,
            event_hooks={"request": request_hooks, "response": []},
        )

    @property
    def base_url(self) -> str:
        return self.settings.api_root

    @property
    def workspace(self) -> str | None:
        return self.settings.workspace

    # -- lifecycle ---------------------------------------------------------
    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r}, workspace={self.workspace!r})"

    # -- requests ----------------------------------------------------------
    def request(
        self,
        operation: adapter.Operation,
        /,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        json: Any = None,
        retries: RetriesType = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        """Send ``operation`` (from :mod:`cmsdials.adapter`); return the (2xx) response.

        ``path`` fills the path parameters, ``query`` (wire names, checked by
        the caller) is encoded once here with lists comma-joined, ``json`` is
        the JSON body. ``timeout`` (seconds) caps this call, retries included,
        instead of the transport's. The caller parses the answer.
        """
        url = operation.url(path or {})
        if query:
            url = f"{url}?{encode_query(query)}"
        method = operation.method
        if json is None:
            return self.send(
                lambda: self.http.build_request(method, url),
                retries=retries,
                method=method,
                timeout=timeout,
            )
        content = orjson.dumps(json)
        headers = {"Content-Type": "application/json"}
        return self.send(
            lambda: self.http.build_request(method, url, content=content, headers=headers),
            retries=retries,
            method=method,
            timeout=timeout,
        )

    def send(
        self,
        build: Callable[[], httpx.Request | httpx.Response],
        *,
        retries: RetriesType = None,
        method: str = "GET",
        timeout: float | None = None,
    ) -> httpx.Response:
        """Send the request ``build`` makes under the retry policy; return the 2xx answer.

        A plain loop: each attempt returns (an answer or a failure), is checked,
        and either is the result, is retried after the policy's wait, or its
        error is raised here. The whole loop, waits included, ends by the
        settings' ``deadline`` (or ``timeout`` seconds, for this call).
        """
        retry = resolve_retry(retries, self.default_retry)
        seconds = (
            self.settings.deadline if timeout is None else positive_seconds("timeout", timeout)
        )
        deadline = time.monotonic() + seconds
        slept = False
        while True:
            # A thread that has just waited out its own back-off goes straight on; the
            # others wait at the shared gate (backoff.py) that a 429 closed.
            outcome = self._attempt(build, method, deadline, seconds, gate=not slept)
            if isinstance(outcome, httpx.Response):
                return outcome
            error = outcome.error
            step = self._next_retry(retry, method, outcome)
            if step is not None:
                retry, wait = step
                left = deadline - time.monotonic()
                if wait < left:
                    if _holds_everyone(error):
                        self.slowdown.hold(wait)  # every other thread of this transport waits
                    slept = True
                    logger.info(
                        "retrying %s %s in %.2f s after %s (retry %d)",
                        method,
                        _url_of(error),
                        wait,
                        outcome.reason,
                        len(retry.history),
                    )
                    self._sleep(wait)
                    continue
                logger.info(
                    "not retrying %s %s after %s: the call's %g s timeout would run out",
                    method,
                    _url_of(error),
                    outcome.reason,
                    seconds,
                )
            if outcome.cause is None:
                raise error from None
            raise error from outcome.cause

    def _attempt(
        self,
        build: Callable[[], httpx.Request | httpx.Response],
        method: str,
        deadline: float,
        seconds: float,
        *,
        gate: bool = True,
    ) -> httpx.Response | _Failure:
        """One exchange, its reads capped by what is left of the call's time.

        ``build`` makes the request (or, as callers of earlier versions did, sends
        one itself and returns the response, which is then only checked).
        """
        if gate:
            self.slowdown.wait()  # a 429 seen by any thread holds every thread (backoff.py)
        left = deadline - time.monotonic()
        url = ""
        try:
            produced = build()
            if isinstance(produced, httpx.Response):
                response = produced
            else:
                url = str(produced.url)
                if left <= 0:
                    return _Failure(
                        DialsTimeoutError(
                            f"{method} {url} timed out: the call's {seconds:g} s timeout "
                            "(retries included) ran out",
                            method=method,
                            url=url,
                        )
                    )
                limits = {
                    name: left if value is None else min(value, left)
                    for name, value in self.http.timeout.as_dict().items()
                }
                produced.extensions = {
                    **produced.extensions,
                    "timeout": limits,
                    _DEADLINE: (deadline, seconds),
                }
                response = self.http.send(produced)
        except httpx.RequestError as exc:
            if not url and _has_request(exc):
                url = str(exc.request.url)
            return _Failure(
                _connection_error(exc, method, url),
                cause=exc,
                as_urllib3=_as_urllib3(exc, url),
                reason=f"{type(exc).__name__}: {exc}",
            )
        error = check_response(response)
        if error is None:
            return response
        if isinstance(error, DialsHTTPError):
            return _Failure(error, reason=f"{error.status_code} {error.reason}")
        transient = isinstance(error, DialsDecodeError) and error.truncated
        return _Failure(
            error,
            as_urllib3=ProtocolError("the body was cut short") if transient else None,
            reason="a body cut short" if transient else "a body that is not JSON",
        )

    def _next_retry(
        self, retry: Retry, method: str, failure: _Failure
    ) -> tuple[Retry, float] | None:
        """The policy after this failure and the wait before the next try (None: give up)."""
        error = failure.error
        if isinstance(error, DialsHTTPError):
            return self._next_retry_for_status(retry, method, error)
        if failure.as_urllib3 is None:
            return None
        try:
            new = retry.increment(method, _url_of(error), error=failure.as_urllib3)
        except Exception:  # noqa: BLE001 - urllib3 re-raises or gives MaxRetryError
            return None
        return new, new.get_backoff_time()

    def _next_retry_for_status(
        self, retry: Retry, method: str, error: DialsHTTPError
    ) -> tuple[Retry, float] | None:
        has_retry_after = "Retry-After" in error.headers
        if not retry.is_retry(method, error.status_code, has_retry_after):
            return None
        fake = HTTPResponse(body=b"", headers=dict(error.headers), status=error.status_code)
        try:
            new = retry.increment(method, error.url, response=fake)
        except MaxRetryError:
            return None
        delay = self._retry_after(new, fake) if new.respect_retry_after_header else None
        wait = new.get_backoff_time() if delay is None else delay
        return new, wait

    def _retry_after(self, retry: Retry, response: HTTPResponse) -> float | None:
        """The server's ``Retry-After`` in seconds; None (the backoff) when it is malformed."""
        try:
            return retry.get_retry_after(response)
        except InvalidHeader:
            value = str(response.headers.get("Retry-After", ""))
            if value not in self._malformed_retry_after:
                self._malformed_retry_after.add(value)
                logger.warning(
                    "the server sent a malformed Retry-After %r (not seconds or an HTTP "
                    "date): waiting the retry policy's own backoff instead",
                    value[:40],
                )
            return None


def _holds_everyone(error: Exception) -> bool:
    """A 429, or any answer with ``Retry-After``: the server asked the client as a whole."""
    return isinstance(error, DialsHTTPError) and (
        error.status_code == 429 or "Retry-After" in error.headers
    )


def _has_request(exc: httpx.RequestError) -> bool:
    try:
        exc.request  # noqa: B018 - raises RuntimeError when unset
    except RuntimeError:
        return False
    return True


def _url_of(error: DialsError) -> str:
    return str(getattr(error, "url", ""))


def _as_urllib3(exc: httpx.RequestError, url: str) -> Exception:
    """The urllib3 error ``Retry.increment`` counts for an httpx error."""
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return NewConnectionError(None, str(exc))  # type: ignore[arg-type]
    if isinstance(exc, httpx.TimeoutException):
        return ReadTimeoutError(None, url, str(exc))  # type: ignore[arg-type]
    return ProtocolError(str(exc))


def _connection_error(exc: httpx.RequestError, method: str, url: str) -> DialsConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return DialsTimeoutError(
            f"{method} {url} timed out: {type(exc).__name__}: {exc} "
            "(raise timeout= if DIALS is just slow)",
            method=method,
            url=url,
        )
    return DialsConnectionError(
        f"{method} {url} failed: {type(exc).__name__}: {exc} "
        "(is base_url right, and DIALS reachable from here?)",
        method=method,
        url=url,
    )
