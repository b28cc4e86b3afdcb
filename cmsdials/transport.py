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
* the connections follow :meth:`~cmsdials.settings.TransportSettings.http_transports`
  (TLS verification; ``proxy=`` or the environment's proxies, as httpx reads them),
  or go through the user's own ``httpx.Client`` (``http_client=``);
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
* retries are decided by :class:`~cmsdials.retries.RetryPolicy` (a
  ``urllib3.util.Retry`` honoured as urllib3 would), around the whole request so
  that a connection that breaks while the body is read is retried too; every
  retry is logged at INFO (reason and wait) on this module's logger;
* :meth:`Transport.low_level_http_client` is the ``httpx.Client`` of the generated
  client (``dials.api``): its requests run through the same loop;
* DIALS reads list filters as one comma-separated value
  (``model_id__in=20,19``) and keeps only the last of repeated keys, while the
  generated code sends a list as repeated keys: the transport joins them.
"""

from __future__ import annotations

import logging
import platform
import time
from collections.abc import Callable, Generator, Iterator, Mapping, MutableMapping
from http import HTTPStatus
from typing import Any, Protocol, TypeVar, runtime_checkable
from urllib.parse import urlencode

import httpx
import orjson
from urllib3.exceptions import ProtocolError
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
    looks_like_sign_in,
)
from .retries import Failure, RetryPolicy, urllib3_error
from .settings import (
    DEFAULT_RETRY,
    DEFAULT_TIMEOUT,
    PRODUCTION_BASE_URL,
    TRANSIENT_STATUSES,
    RetriesType,
    TransportSettings,
    VerifyType,
    mask_url_passwords,
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
        # Handed over, not kept: a response someone holds on to would keep a whole
        # decoded page alive (W5's constant memory). A second json() decodes again.
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


def _answer(response: httpx.Response, request: httpx.Request) -> httpx.Response:
    """``response`` (its body not read yet) as ours: read under the call's deadline,
    decoded by orjson once."""
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


def _detached(response: httpx.Response) -> httpx.Response:
    """``response``, read, freed as soon as it is dropped: httpx leaves a read response
    and the stream it was read from referring to each other (a cycle that only the
    cyclic GC frees, a whole page's body with it); the spent stream gives way to the
    body it delivered."""
    response.stream = httpx.ByteStream(response.content)
    return response


class _HTTPTransport(httpx.HTTPTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return _answer(super().handle_request(request), request)


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
            sign_in=looks_like_sign_in(content),
        )
    if isinstance(response, _JSONResponse):
        response._decoded = decoded
    return None


class Transport:
    """One pooled HTTP client and the request policy of a ``Dials`` or ``AuthClient``.

    ``settings`` is a :class:`~cmsdials.settings.TransportSettings`, or the
    ``base_url`` and the settings' fields as keywords. ``http_client`` is the
    user's own ``httpx.Client`` to send through (its pool, TLS, proxies, limits
    and event hooks; see :class:`_ThroughClient`), never closed here. ``sleep``
    (the wait between retries) and ``http_transport`` (the httpx transport under
    the client) are there for tests.
    """

    def __init__(
        self,
        settings: TransportSettings | str | None = None,
        *,
        auth: httpx.Auth | None = None,
        headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = backoff.sleep,
        http_transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        **options: Any,
    ) -> None:
        if not isinstance(settings, TransportSettings):
            settings = TransportSettings(settings, **options)
        elif options:
            raise TypeError("pass either a TransportSettings or its fields as keywords, not both")
        self.settings = settings
        self.retry_policy = RetryPolicy(settings.retry)
        self._sleep = sleep
        #: Shared by every thread using this transport: a 429 / Retry-After holds them all
        #: (cmsdials.backoff; the workers of ``workers=N`` walks).
        self.slowdown = backoff.RetryAfterGate()
        #: Adds what only the client knows to an error before it is raised (``Dials``:
        #: the valid workspaces of a WorkspaceNotFoundError).
        self.explain: Callable[[DialsError], DialsError] | None = None
        request_hooks: list[Callable[[httpx.Request], None]] = [_join_repeated_query_keys]
        if settings.prefix != SPEC_PREFIX:
            request_hooks.append(_prefix_rewriter(settings.prefix))
        all_headers = {"Accept": "application/json", "User-Agent": build_user_agent()}
        if settings.workspace is not None:
            all_headers["Workspace"] = settings.workspace
        all_headers.update(headers or {})
        mounts: dict[str, httpx.BaseTransport | None] = {}
        if http_client is not None:
            if not isinstance(http_client, httpx.Client):
                raise TypeError(
                    f"http_client must be an httpx.Client, not {type(http_client).__name__}"
                )
            if settings.proxy is not None:
                raise TypeError(
                    "pass proxy= to your own httpx.Client, not with http_client= "
                    "(cmsdials sends through that client as it is set up)"
                )
            http_transport = _ThroughClient(http_client)
        elif http_transport is None:
            http_transport, mounts = settings.http_transports(_HTTPTransport)
        self.http = _Client(
            base_url=settings.api_root,
            auth=auth,
            headers=all_headers,
            timeout=settings.httpx_timeout,
            transport=http_transport,
            mounts=mounts,
            follow_redirects=False,
            event_hooks={"request": request_hooks, "response": []},
        )

    @property
    def default_retry(self) -> Retry:
        """The ``Retry`` a call without ``retries=`` starts with."""
        return self.retry_policy.default

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

    def low_level_http_client(self) -> httpx.Client:
        """An ``httpx.Client`` for the generated low-level client (``dials.api``).

        Its requests go through this transport: the same pooled connections,
        credentials (renewed as usual), ``Workspace`` and other headers, deadline
        and retries. An answer whose status is not 2xx is handed back as it is
        (the generated functions report statuses their own way), after the retries;
        failures without an answer raise the errors of :mod:`cmsdials.exceptions`.
        Closing it does nothing: the ``Dials`` owns the connections.
        """
        return _LowLevelClient(self)

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
        instead of the transport's. The caller parses the answer. An operation
        DIALS marks deprecated warns (``DeprecationWarning``) at the user's call.
        """
        if operation.deprecated:
            adapter.warn_deprecated(operation)
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
        statuses: bool = False,
    ) -> httpx.Response:
        """Send the request ``build`` makes under the retry policy; return the 2xx answer.

        A plain loop: each attempt gives an answer or a
        :class:`~cmsdials.retries.Failure`; the :class:`~cmsdials.retries.RetryPolicy`
        says whether and when to try again; else the failure's error is raised here.
        The whole loop, waits included, ends by the settings' ``deadline`` (or
        ``timeout`` seconds, for this call). With ``statuses``, an answer with a
        non-2xx status is returned instead of raised (after the retries).
        """
        retry = self.retry_policy.start(retries)
        seconds = (
            self.settings.deadline if timeout is None else positive_seconds("timeout", timeout)
        )
        started = time.monotonic()
        deadline = started + seconds
        slept = False
        attempts = 0
        while True:
            attempts += 1
            # A thread that has just waited out its own back-off goes straight on; the
            # others wait at the shared gate (backoff.py) that a 429 closed.
            outcome = self._attempt(build, method, deadline, seconds, gate=not slept)
            if isinstance(outcome, httpx.Response):
                return outcome
            step = self.retry_policy.after(retry, method, outcome)
            if step is not None and step.wait < deadline - time.monotonic():
                retry = step.retry
                if outcome.holds_everyone:
                    self.slowdown.hold(step.wait)  # every other thread of this transport waits
                slept = True
                level = _retry_log_level(outcome, attempts)
                logger.log(
                    level,
                    "retrying %s %s in %.2f s after %s (retry %d)%s",
                    method,
                    outcome.url,
                    step.wait,
                    outcome.reason,
                    len(retry.history),
                    _FIRST_RETRY_TAIL if level == logging.WARNING else "",
                )
                self._sleep(step.wait)
                continue
            if step is not None:
                logger.info(
                    "not retrying %s %s after %s: the call's %g s timeout would run out",
                    method,
                    outcome.url,
                    outcome.reason,
                    seconds,
                )
            if statuses and outcome.response is not None and _known_status(outcome.response):
                return outcome.response
            error = _gave_up(outcome, method, attempts, time.monotonic() - started)
            raise (error if self.explain is None else self.explain(error)) from None

    def _attempt(
        self,
        build: Callable[[], httpx.Request | httpx.Response],
        method: str,
        deadline: float,
        seconds: float,
        *,
        gate: bool = True,
    ) -> httpx.Response | Failure:
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
                    return Failure(
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
                response = _detached(self.http.send(produced))
        except httpx.RequestError as exc:
            if not url and _has_request(exc):
                url = str(exc.request.url)
            return Failure(
                _connection_error(exc, method, url),
                cause=exc,
                as_urllib3=urllib3_error(exc, url),
                reason=mask_url_passwords(f"{type(exc).__name__}: {exc}"),
            )
        error = check_response(response)
        if error is None:
            return response
        if isinstance(error, DialsHTTPError):
            return Failure(error, reason=f"{error.status_code} {error.reason}", response=response)
        transient = isinstance(error, DialsDecodeError) and error.truncated
        return Failure(
            error,
            as_urllib3=ProtocolError("the body was cut short") if transient else None,
            reason="a body cut short" if transient else "a body that is not JSON",
        )


def _known_status(response: httpx.Response) -> bool:
    """A status the generated client can report as it is (it calls ``HTTPStatus(code)``,
    which refuses a proxy's 499 or 520: those stay cmsdials errors)."""
    try:
        HTTPStatus(response.status_code)
    except ValueError:
        return False
    return True


class _ThroughClient(httpx.BaseTransport):
    """The httpx transport of a Transport built with ``http_client=``: every request
    (already authenticated, with cmsdials' headers and deadline) is sent by the user's
    own client, with its pool, TLS, proxies, limits and event hooks, but not its auth
    or redirects; its answer is read under the call's deadline as ours are."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.client.send(request, auth=None, follow_redirects=False, stream=True)
        return _answer(response, request)

    def close(self) -> None:
        """The user's client is the user's to close."""


class _ToTransport(httpx.BaseTransport):
    """The httpx transport of the low-level client: each request goes through the
    owning Transport's loop (credentials, retries, deadline, typed errors)."""

    def __init__(self, owner: Transport) -> None:
        self.owner = owner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.owner.send(lambda: request, method=request.method, statuses=True)

    def close(self) -> None:
        """The owning Transport closes the connections."""


class _LowLevelClient(_Client):
    """An httpx client that sends through a :class:`Transport` (see
    :meth:`Transport.low_level_http_client`); entering or closing it does nothing."""

    def __init__(self, owner: Transport) -> None:
        super().__init__(
            base_url=owner.http.base_url,
            headers=owner.http.headers,
            timeout=owner.http.timeout,
            transport=_ToTransport(owner),
            follow_redirects=False,
            trust_env=False,  # the owner's connections decide proxies
        )

    def __enter__(self) -> _LowLevelClient:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        return None


def _has_request(exc: httpx.RequestError) -> bool:
    try:
        exc.request  # noqa: B018 - raises RuntimeError when unset
    except RuntimeError:
        return False
    return True


def _connection_error(
    exc: httpx.RequestError, method: str, url: str, after: str = ""
) -> DialsConnectionError:
    # (a proxy's URL may carry its password: never shown)
    what = mask_url_passwords(f"{type(exc).__name__}: {exc}")
    if isinstance(exc, httpx.TimeoutException):
        return DialsTimeoutError(
            f"{method} {url} timed out{after}: {what} (raise timeout= if DIALS is just slow)",
            method=method,
            url=url,
        )
    hint = "is the proxy right" if isinstance(exc, httpx.ProxyError) else "is base_url right"
    return DialsConnectionError(
        f"{method} {url} failed{after}: {what} ({hint}, and DIALS reachable from here?)",
        method=method,
        url=url,
    )


_FIRST_RETRY_TAIL = (
    "; further retries back off and are logged at INFO on the 'cmsdials.transport' logger"
)


def _retry_log_level(failure: Failure, attempts: int) -> int:
    """WARNING for a call's first retry after no answer at all (a person sees it without
    any logging set-up, through logging's last-resort handler), else INFO."""
    no_answer = isinstance(failure.error, DialsConnectionError)
    return logging.WARNING if attempts == 1 and no_answer else logging.INFO


def _gave_up(failure: Failure, method: str, attempts: int, elapsed: float) -> DialsError:
    """The error a call raises when it gives up: for no answer, the attempts and the time
    spent in the message, the httpx error on ``.cause`` (raised without chaining, so the
    traceback ends in our frames)."""
    error, cause = failure.error, failure.cause
    if not isinstance(error, DialsConnectionError) or not isinstance(cause, httpx.RequestError):
        return error
    tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
    error = _connection_error(cause, method, error.url, f" after {tries} over {elapsed:.1f} s")
    error.cause = cause
    error.attempts = attempts
    error.elapsed = elapsed
    return error
