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
* any non-2xx answer becomes the typed error of :mod:`cmsdials.exceptions`
  before the generated code sees it (so unusual statuses such as 499 or 520
  cannot crash it), and connection failures and timeouts become
  :class:`~cmsdials.exceptions.DialsConnectionError` /
  :class:`~cmsdials.exceptions.DialsTimeoutError`;
* retries are decided by a ``urllib3.util.Retry`` policy, honoured as urllib3
  would (total/connect/read/status/other counts, ``status_forcelist``,
  ``allowed_methods``, backoff, ``Retry-After``), around the whole request so
  that a connection that breaks while the body is read is retried too;
* DIALS reads list filters as one comma-separated value
  (``model_id__in=20,19``) and keeps only the last of repeated keys, while the
  generated code sends a list as repeated keys: the transport joins them.
"""

from __future__ import annotations

import logging
import os
import platform
import ssl
import time
from collections.abc import Callable, Generator, Mapping, MutableMapping
from typing import Any, Protocol, TypeVar, runtime_checkable
from urllib.parse import urlencode

import httpx
import orjson
from urllib3.exceptions import (
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.response import HTTPResponse
from urllib3.util import Retry

from dials_api.types import Response

from . import adapter
from ._version import __version__
from .exceptions import (
    DialsConnectionError,
    DialsError,
    DialsHTTPError,
    DialsTimeoutError,
    error_from_response,
)

__all__ = [
    "DEFAULT_RETRY",
    "DEFAULT_TIMEOUT",
    "PRODUCTION_BASE_URL",
    "REAUTH_EXTENSION",
    "RetriesType",
    "Transport",
    "VerifyType",
    "api_root",
    "as_httpx_auth",
    "build_user_agent",
    "resolve_retry",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")

PRODUCTION_BASE_URL = "https://cmsdials-api.web.cern.ch/"
DEFAULT_ROUTE = "api/"
DEFAULT_VERSION = "v1/"
DEFAULT_TIMEOUT = 30.0


class _DefaultRetry(Retry):
    """The default policy's ``Retry``: a server's ``Retry-After`` is honoured up to 120 s.

    (urllib3 2.6.3 added ``retry_after_max`` for this; cmsdials supports urllib3 2.0 on.)
    """

    RETRY_AFTER_MAX = 120.0

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, self.RETRY_AFTER_MAX)


#: Without ``retries=``: connection errors, and 429/502/503/504 on idempotent
#: requests, a few times with exponential backoff (0.5 s, 1 s, 2 s, ... at most
#: 8 s) and jitter; ``Retry-After`` is honoured (up to 120 s).
DEFAULT_RETRY: Retry = _DefaultRetry(
    total=4,
    connect=4,
    read=2,
    status=4,
    other=0,
    redirect=0,
    status_forcelist=frozenset({429, 502, 503, 504}),
    allowed_methods=Retry.DEFAULT_ALLOWED_METHODS,
    backoff_factor=0.5,
    backoff_max=8.0,
    backoff_jitter=0.25,
    respect_retry_after_header=True,
    raise_on_status=False,
)

RetriesType = int | Retry | None

#: What the server's certificate is checked against: ``True`` (the system's
#: trust store / ``SSL_CERT_FILE``), a CA bundle file, an ``ssl.SSLContext``,
#: or ``False`` (no check; never against a real DIALS).
VerifyType = bool | str | os.PathLike[str] | ssl.SSLContext


def _ssl_verify(verify: VerifyType) -> bool | ssl.SSLContext:
    if isinstance(verify, str | os.PathLike):
        return ssl.create_default_context(cafile=os.fspath(verify))
    return verify


def resolve_retry(retries: RetriesType, default: Retry = DEFAULT_RETRY) -> Retry:
    """``None`` → the default policy; an ``int`` → urllib3's ``Retry.from_int``."""
    if retries is None:
        return default
    if isinstance(retries, Retry):
        return retries
    if isinstance(retries, bool) or not isinstance(retries, int):
        raise TypeError(f"retries must be an int or a urllib3.util.Retry, not {retries!r}")
    return Retry.from_int(retries)


def build_user_agent() -> str:
    return f"cmsdials/{__version__} (python/{platform.python_version()}, httpx/{httpx.__version__})"


def _with_slash(value: str) -> str:
    return value if value.endswith("/") else value + "/"


def api_root(base_url: str | None) -> str:
    """The host the generated paths (``/api/v1/...``) are appended to."""
    return _with_slash(base_url or PRODUCTION_BASE_URL)


class _JSONResponse(httpx.Response):
    """An httpx response whose ``json()`` decodes with orjson (same result, faster)."""

    def json(self, **kwargs: Any) -> Any:
        if kwargs:
            return super().json(**kwargs)
        return orjson.loads(self.content)


class _HTTPTransport(httpx.HTTPTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        return _JSONResponse(
            status_code=response.status_code,
            headers=response.headers,
            stream=response.stream,
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


def _prefix_rewriter(prefix: str) -> Callable[[httpx.Request], None]:
    """Serve the spec's ``/api/v1/`` paths under another route/version prefix."""

    def rewrite(request: httpx.Request) -> None:
        path = request.url.raw_path.decode("ascii")
        if path.startswith("/api/v1/"):
            request.url = request.url.copy_with(raw_path=(prefix + path[8:]).encode("ascii"))

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


#: Set by credentials whose ``auth_flow`` renews a rejected token: a 401/403 is
#: handed back to it (one renewal, one retry) instead of being raised here.
REAUTH_EXTENSION = "cmsdials.reauth"


def _raise_for_status(response: httpx.Response) -> None:
    if response.is_success:
        return
    if response.status_code in (401, 403) and response.request.extensions.get(REAUTH_EXTENSION):
        return
    response.read()
    error = error_from_response(response)
    logger.debug("%s %s answered %s", error.method, error.url, error.status_code)
    raise error


class Transport:
    """One pooled HTTP client and the request policy of a ``Dials`` or ``AuthClient``.

    ``sleep`` (the wait between retries) and ``http_transport`` (the httpx
    transport under the client) are there for tests.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        route: str | None = None,
        version: str | None = None,
        auth: httpx.Auth | None = None,
        workspace: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        retries: RetriesType = None,
        headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        http_transport: httpx.BaseTransport | None = None,
        verify: VerifyType = True,
    ) -> None:
        self.base_url = api_root(base_url)
        self.workspace = workspace
        self.default_retry = resolve_retry(retries)
        self._sleep = sleep
        request_hooks: list[Callable[[httpx.Request], None]] = [_join_repeated_query_keys]
        prefix = "/" + _with_slash(route or DEFAULT_ROUTE).lstrip("/")
        prefix += _with_slash(version or DEFAULT_VERSION)
        if prefix != "/api/v1/":
            request_hooks.append(_prefix_rewriter(prefix))
        all_headers = {"Accept": "application/json", "User-Agent": build_user_agent()}
        if workspace is not None:
            all_headers["Workspace"] = workspace
        all_headers.update(headers or {})
        self.http = _Client(
            base_url=self.base_url,
            auth=auth,
            headers=all_headers,
            timeout=httpx.Timeout(timeout) if not isinstance(timeout, httpx.Timeout) else timeout,
            transport=(
                http_transport
                if http_transport is not None
                else _HTTPTransport(verify=_ssl_verify(verify))
            ),
            follow_redirects=False,
            event_hooks={"request": request_hooks, "response": [_raise_for_status]},
        )

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
    def call(
        self,
        operation: Callable[..., Response[T]],
        /,
        *,
        retries: RetriesType = None,
        method: str = "GET",
        **kwargs: Any,
    ) -> T:
        """Run a generated ``sync_detailed`` operation and return its parsed answer.

        (Only the legacy DIALS device routes of ``cmsdials.auth.client`` use it.)
        """
        from dials_api.client import AuthenticatedClient

        client = AuthenticatedClient(base_url=self.base_url, token="")
        client.set_httpx_client(self.http)
        response = self.send(
            lambda: operation(client=client, **kwargs), retries=retries, method=method
        )
        if response.parsed is None:
            raise DialsError(
                f"unexpected answer ({int(response.status_code)}) from {operation.__module__}"
            )
        return response.parsed

    def request(
        self,
        operation: adapter.Operation,
        /,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        json: Any = None,
        retries: RetriesType = None,
    ) -> httpx.Response:
        """Send ``operation`` (from :mod:`cmsdials.adapter`); return the (2xx) response.

        ``path`` fills the path parameters, ``query`` (wire names, checked by
        the caller) is encoded once here with lists comma-joined, ``json`` is
        the JSON body. The caller parses the answer.
        """
        url = operation.url(path or {})
        if query:
            url = f"{url}?{encode_query(query)}"
        method = operation.method
        if json is None:
            return self.send(lambda: self.http.request(method, url), retries=retries, method=method)
        content = orjson.dumps(json)
        headers = {"Content-Type": "application/json"}
        return self.send(
            lambda: self.http.request(method, url, content=content, headers=headers),
            retries=retries,
            method=method,
        )

    def send(
        self,
        attempt: Callable[[], T],
        *,
        retries: RetriesType = None,
        method: str = "GET",
    ) -> T:
        """Run ``attempt`` (one HTTP exchange) under the retry policy."""
        retry = resolve_retry(retries, self.default_retry)
        while True:
            try:
                return attempt()
            except DialsHTTPError as exc:
                retry = self._next_retry_for_status(retry, method, exc)
            except httpx.TransportError as exc:
                retry = self._next_retry_for_error(retry, method, exc)

    def _next_retry_for_status(self, retry: Retry, method: str, exc: DialsHTTPError) -> Retry:
        has_retry_after = "Retry-After" in exc.headers
        if not retry.is_retry(method, exc.status_code, has_retry_after):
            raise exc
        fake = HTTPResponse(body=b"", headers=dict(exc.headers), status=exc.status_code)
        try:
            new = retry.increment(method, exc.url, response=fake)
        except MaxRetryError:
            raise exc from None
        logger.info("retrying %s %s after %s (%s)", method, exc.url, exc.status_code, _left(new))
        delay = new.get_retry_after(fake) if new.respect_retry_after_header else None
        self._sleep(new.get_backoff_time() if delay is None else delay)
        return new

    def _next_retry_for_error(self, retry: Retry, method: str, exc: httpx.TransportError) -> Retry:
        url = str(exc.request.url) if _has_request(exc) else ""
        error: Exception
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            error = NewConnectionError(None, str(exc))  # type: ignore[arg-type]
        elif isinstance(exc, httpx.TimeoutException):
            error = ReadTimeoutError(None, url, str(exc))  # type: ignore[arg-type]
        else:
            error = ProtocolError(str(exc))
        try:
            new = retry.increment(method, url, error=error)
        except Exception:  # noqa: BLE001 - urllib3 re-raises or gives MaxRetryError
            raise _connection_error(exc, method, url) from exc
        logger.info("retrying %s %s after %s (%s)", method, url, type(exc).__name__, _left(new))
        self._sleep(new.get_backoff_time())
        return new


def _has_request(exc: httpx.TransportError) -> bool:
    try:
        exc.request  # noqa: B018 - raises RuntimeError when unset
    except RuntimeError:
        return False
    return True


def _left(retry: Retry) -> str:
    return f"{len(retry.history)} retried so far"


def _connection_error(exc: httpx.TransportError, method: str, url: str) -> DialsConnectionError:
    cls = DialsTimeoutError if isinstance(exc, httpx.TimeoutException) else DialsConnectionError
    what = "timed out" if cls is DialsTimeoutError else "failed"
    return cls(f"{method} {url} {what}: {type(exc).__name__}: {exc}", method=method, url=url)
