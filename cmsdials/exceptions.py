"""Every error cmsdials raises, in one hierarchy.

::

    DialsError
    ├── DialsHTTPError                 the server answered with a non-2xx status
    │   ├── RedirectError              3xx: not followed (.location says where it points)
    │   ├── BadRequestError            400
    │   ├── PermissionDeniedError      403 (bad or missing credential)
    │   ├── NotFoundError              404
    │   │   └── WorkspaceNotFoundError 404 for an unknown Workspace header
    │   ├── RateLimitError             429
    │   └── ServerError                5xx
    ├── DialsConnectionError           no (complete) answer: refused, reset, DNS, ...
    │   └── DialsTimeoutError          the call (retries included) outlived its timeout
    ├── DialsDecodeError               a 2xx answer whose body is not JSON (cut, HTML, invalid)
    ├── DialsCursorLoopError           a page's next URL points back into the same walk
    ├── StoreError                     the on-disk store (full disk, read-only, corrupt, ...)
    └── AuthError                      credentials and the device flow
        ├── PendingAuthorizationError  the person has not approved the device yet
        ├── SlowDownError              polled too fast (a PendingAuthorizationError)
        ├── DeviceCodeExpiredError     the device code expired before approval
        └── ImpossibleToRefreshTokenError

Messages show the method's URL and the server's ``detail``; credentials travel
in headers, which no message, ``repr``, pickle or log line of cmsdials ever shows.
Every error pickles with its attributes (it can cross a process pool).
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

import httpx

__all__ = [
    "AuthError",
    "BadRequestError",
    "DeviceCodeExpiredError",
    "DialsConnectionError",
    "DialsCursorLoopError",
    "DialsDecodeError",
    "DialsError",
    "DialsHTTPError",
    "DialsTimeoutError",
    "ImpossibleToRefreshTokenError",
    "NotFoundError",
    "PendingAuthorizationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RedirectError",
    "ServerError",
    "SlowDownError",
    "StoreError",
    "WorkspaceNotFoundError",
    "error_from_response",
]

#: Longest body excerpt kept in a message (the full body stays on ``.body``).
_MAX_BODY_IN_MESSAGE = 300


def _restore(cls: type[DialsError], args: tuple[Any, ...], state: dict[str, Any]) -> DialsError:
    """Unpickle an error without calling its ``__init__`` (whose signature may differ)."""
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class DialsError(Exception):
    """Base class of every error raised by cmsdials."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (type(self), self.args, dict(self.__dict__)))


# -- requests compatibility (issue 13; kept apart from the rest of this module) -----------
# Code written for the classic client (its own integration tests too) catches
# ``requests.exceptions.HTTPError``. Whenever requests is importable, DialsHTTPError
# derives from it as well, and ``err.response`` is a small read-only view of the
# answer (status_code, reason, url, headers, text, json()); never the request, whose
# headers hold the credentials. Without requests, DialsHTTPError derives from DialsError only.
def _requests_http_error() -> tuple[type[Exception], ...]:
    try:
        from requests.exceptions import HTTPError
    except ImportError:
        return ()
    return (HTTPError,)


_REQUESTS_BASES = _requests_http_error()


class ResponseView:
    """``DialsHTTPError.response`` under requests: what a requests user reads of the answer."""

    def __init__(self, error: DialsHTTPError) -> None:
        self.status_code = error.status_code
        self.reason = error.reason
        self.url = error.url
        self.headers = error.headers
        self.text = error.body
        self.ok = False

    def json(self) -> Any:
        return json.loads(self.text)

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}]>"


def _response_view(self: DialsHTTPError) -> ResponseView:
    return ResponseView(self)


def _ignore_set(self: DialsHTTPError, value: object) -> None:
    """requests' ``__init__`` sets ``response = None``: the view stays."""


# -- end of requests compatibility ------------------------------------------------------


class DialsHTTPError(DialsError, *_REQUESTS_BASES):  # type: ignore[misc]
    """The server answered with a status that is not a success.

    The message reads like ``requests``' (``403 Client Error: Forbidden for url:
    ...``), followed by the server's ``detail`` when it sent one. Whenever
    ``requests`` is importable this is also a ``requests.exceptions.HTTPError``
    (``except requests.HTTPError`` keeps working), with ``response`` a
    :class:`ResponseView`.
    """

    if _REQUESTS_BASES:
        response = property(_response_view, _ignore_set)

    status_code: int
    url: str
    method: str
    body: str
    detail: str | None
    code: str | None
    headers: httpx.Headers

    def __init__(
        self,
        *,
        status_code: int,
        method: str,
        url: str,
        body: str,
        headers: httpx.Headers | None = None,
        data: Any = None,
    ) -> None:
        self.status_code = status_code
        self.method = method
        self.url = url
        self.body = body
        self.headers = headers if headers is not None else httpx.Headers()
        self.data = data
        detail = code = None
        if isinstance(data, dict):
            if isinstance(data.get("detail"), str):
                detail = data["detail"]
            if isinstance(data.get("code"), str):
                code = data["code"]
        self.detail = detail
        self.code = code
        super().__init__(self._message())

    @property
    def reason(self) -> str:
        try:
            return HTTPStatus(self.status_code).phrase
        except ValueError:
            return "Unknown Status"

    def _message(self) -> str:
        kind = "Client" if 400 <= self.status_code < 500 else "Server"
        text = f"{self.status_code} {kind} Error: {self.reason} for url: {self.url}"
        if self.detail:
            return f"{text} ({self.detail})"
        if self.data is not None and not isinstance(self.data, dict):
            return f"{text} ({_clip(str(self.data))})"
        if isinstance(self.data, dict) and self.data:
            return f"{text} ({_clip(str(self.data))})"
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, url={self.url!r})"


class RedirectError(DialsHTTPError):
    """3xx: DIALS (or a proxy in front of it) answered a redirect, which cmsdials does
    not follow (credentials must not travel to another URL). ``location`` is where it
    points, without any user name or password; check ``base_url`` (``https://``?)."""

    @property
    def location(self) -> str:
        return _without_userinfo(
            str(httpx.URL(self.url).join(self.headers.get("Location", ""))) if self.url else ""
        )

    def _message(self) -> str:
        where = self.location if self.headers.get("Location") else "(no Location)"
        return (
            f"DIALS answered a redirect to {where}; not followed "
            f"({self.status_code} {self.reason} for url: {self.url}). "
            "Check base_url (scheme, host, route) and point it at the final address."
        )


class BadRequestError(DialsHTTPError):
    """400: a filter value or request body the server refused."""


class PermissionDeniedError(DialsHTTPError):
    """403: the credential is missing, invalid or expired."""


class NotFoundError(DialsHTTPError):
    """404: no such object (or no such route)."""


class WorkspaceNotFoundError(NotFoundError):
    """404: the ``Workspace`` header names a workspace the server does not have."""


class RateLimitError(DialsHTTPError):
    """429: too many requests; ``retry_after`` is the server's advice in seconds."""

    @property
    def retry_after(self) -> float | None:
        value = self.headers.get("Retry-After")
        try:
            return float(value) if value is not None else None
        except ValueError:
            return None


class ServerError(DialsHTTPError):
    """5xx: the server failed."""


class DialsConnectionError(DialsError):
    """The request got no complete answer (refused, reset mid-body, DNS, ...)."""

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        self.method = method
        self.url = url
        super().__init__(message)


class DialsTimeoutError(DialsConnectionError):
    """The server did not answer within the configured timeout."""


class DialsDecodeError(DialsError):
    """A success answer whose body is not the JSON DIALS sends: cut short, an HTML page
    (a login portal or a proxy's page), or invalid JSON.

    ``content_type`` and ``excerpt`` (the first bytes) say what came instead;
    ``truncated`` is true when the JSON ended early (retried like a reset).
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        method: str = "",
        url: str = "",
        status_code: int = 200,
        content_type: str = "",
        excerpt: str = "",
        truncated: bool = False,
        reason: str = "",
    ) -> None:
        self.method = method
        self.url = url
        self.status_code = status_code
        self.content_type = content_type
        self.excerpt = excerpt
        self.truncated = truncated
        if message is None:
            what = "was cut short" if truncated else "is not JSON"
            hint = (
                "an HTML page: is base_url DIALS's API and not a portal or login page?"
                if excerpt.lstrip().startswith("<")
                else "retry later, or report it to the DIALS team if it persists"
            )
            message = (
                f"{method} {url} answered {status_code} but its body {what} ({reason}); "
                f"content type {content_type or '(none)'!r}, first bytes {excerpt!r}: {hint}"
            )
        super().__init__(message)


class DialsCursorLoopError(DialsError):
    """A page's ``next`` names a cursor already fetched in the same walk: following it
    would return the same rows again (and forever). ``url`` is the looping ``next``."""

    def __init__(self, url: str, pages_fetched: int) -> None:
        self.url = url
        self.pages_fetched = pages_fetched
        super().__init__(
            f"the server's next page URL after page {pages_fetched} points back at a page "
            f"already fetched in this walk ({url}); stopped instead of returning rows twice. "
            "Report it to the DIALS team."
        )


class StoreError(DialsError):
    """The on-disk store (:mod:`cmsdials.store`) cannot be read or written as asked: a full
    disk or a file-size limit, a folder that cannot be written, a store of another group or
    other filters under that name, a format from a newer cmsdials, a corrupt file.
    ``path`` is the file or folder concerned; the message says what to do. Nothing
    half-written is left visible to readers of the store."""

    def __init__(self, message: str, *, path: str = "") -> None:
        self.path = path
        super().__init__(message)


class AuthError(DialsError):
    """Base of the errors of credentials and the device authorization flow."""


class PendingAuthorizationError(AuthError):
    """The device flow's person has not approved the device yet; poll again later."""


class SlowDownError(PendingAuthorizationError):
    """The server asked to poll the device-token route less often."""


class DeviceCodeExpiredError(AuthError):
    """The device code expired before the person approved it: start a new flow."""


class ImpossibleToRefreshTokenError(AuthError):
    """Both the access token and the refresh token expired: authenticate again."""


def _clip(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > _MAX_BODY_IN_MESSAGE:
        return text[:_MAX_BODY_IN_MESSAGE] + "..."
    return text


def _without_userinfo(url: str) -> str:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return "(an invalid URL)"
    if parsed.userinfo:
        parsed = parsed.copy_with(username=None, password=None)
    return str(parsed)


def _status_class(status: int, data: Any) -> type[DialsHTTPError]:
    if 300 <= status < 400:
        return RedirectError
    if status == 400:
        return BadRequestError
    if status in (401, 403):
        return PermissionDeniedError
    if status == 404:
        detail = data.get("detail") if isinstance(data, dict) else None
        if isinstance(detail, str) and detail.startswith("Workspace "):
            return WorkspaceNotFoundError
        return NotFoundError
    if status == 429:
        return RateLimitError
    if status >= 500:
        return ServerError
    return DialsHTTPError


def error_from_response(response: httpx.Response) -> DialsHTTPError:
    """Build the typed error for a non-success ``response`` (its body must be read)."""
    body = response.text
    data: Any = None
    if "json" in response.headers.get("content-type", ""):
        try:
            data = response.json()
        except ValueError:
            data = None
    elif body and len(body) < 2000 and not body.lstrip().startswith("<"):
        data = body.strip()  # DRF answers some errors in plain text
    request = response.request
    return _status_class(response.status_code, data)(
        status_code=response.status_code,
        method=request.method,
        url=str(request.url),
        body=body,
        headers=response.headers,
        data=data,
    )
