"""Every error cmsdials raises, in one hierarchy.

::

    DialsError
    ├── DialsHTTPError                 the server answered with a non-2xx status
    │   ├── RedirectError              3xx: not followed (.location says where it points)
    │   ├── BadRequestError            400
    │   ├── PermissionDeniedError      403 (bad or missing credential)
    │   │   ├── TokenRejectedError     DIALS refused even a token just renewed
    │   │   └── TokenRenewalFailedError  401/403, then the renewal failed (also an AuthError)
    │   ├── NotFoundError              404
    │   │   └── WorkspaceNotFoundError 404 for an unknown Workspace header
    │   ├── RateLimitError             429
    │   └── ServerError                5xx
    ├── DialsConnectionError           no (complete) answer: refused, reset, DNS, ...
    │   └── DialsTimeoutError          the call (retries included) outlived its timeout
    ├── DialsDecodeError               a 2xx answer whose body is not JSON (cut, HTML, invalid)
    ├── DialsCursorLoopError           a page's next URL points back into the same walk
    ├── MissingOperationError          the generated client lacks the route a method needs
    ├── StoreError                     the on-disk store (full disk, read-only, corrupt, ...)
    └── AuthError                      credentials and the device flow
        ├── PendingAuthorizationError  the person has not approved the device yet
        │   └── SlowDownError          polled too fast
        ├── DeviceCodeExpiredError     the device code expired before approval
        ├── ImpossibleToRefreshTokenError  log in again
        ├── NonInteractiveError        nobody can approve a device login here
        ├── LegacyDeviceFlowUnavailableError  DIALS does not serve its own device routes
        └── KeycloakError              Keycloak refused or failed (``status``, ``error``)
            ├── InvalidClientError     wrong client id or secret (401)
            ├── AccessDeniedError      the person denied the login
            ├── MalformedTokenAnswerError  an answer that is not a token
            └── KeycloakUnreachableError   no answer (also a DialsConnectionError)

The classic import paths (``cmsdials.auth.exceptions``, ``cmsdials.adapter``'s
``MissingOperationError``) re-export them.

Ctrl-C during ``list_all`` raises :class:`Interrupted`, a ``KeyboardInterrupt`` (not a
``DialsError``) that carries the rows fetched so far on ``.page``.

Messages show the method's URL and the server's ``detail``; credentials travel
in headers, which no message, ``repr``, pickle or log line of cmsdials ever shows.
Every error pickles with its attributes (it can cross a process pool).
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any, ClassVar, cast

import httpx

__all__ = [
    "AccessDeniedError",
    "AuthError",
    "BadRequestError",
    "CacheFileError",
    "DeviceCodeExpiredError",
    "DialsConnectionError",
    "DialsCursorLoopError",
    "DialsDecodeError",
    "DialsError",
    "DialsHTTPError",
    "DialsTimeoutError",
    "ImpossibleToRefreshTokenError",
    "Interrupted",
    "InvalidClientError",
    "KeycloakError",
    "KeycloakUnreachableError",
    "LegacyDeviceFlowUnavailableError",
    "MalformedTokenAnswerError",
    "MissingOperationError",
    "NonInteractiveError",
    "NotFoundError",
    "PendingAuthorizationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RedirectError",
    "ServerError",
    "SlowDownError",
    "StoreError",
    "TokenRejectedError",
    "TokenRenewalFailedError",
    "WalkCancelled",
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
    """404: the ``Workspace`` header names a workspace the server does not have.

    ``workspaces`` are the names the server has (``None``: it could not tell); names
    are case-sensitive (``jetmet``, not ``JetMET``).
    """

    workspaces: tuple[str, ...] | None = None

    def with_workspaces(self, names: tuple[str, ...]) -> WorkspaceNotFoundError:
        """This error, its message naming the valid ``names``."""
        self.workspaces = names
        self.args = (self._message(),)
        return self

    def _message(self) -> str:
        text = super()._message()
        if self.workspaces:
            return (
                f"{text}: this DIALS has the workspaces {', '.join(self.workspaces)} "
                "(names are case-sensitive)"
            )
        return f"{text}: workspace names are case-sensitive (dials.workspace.list() lists them)"


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
    """The request got no complete answer (refused, reset mid-body, DNS, ...).

    When a call gives up, ``attempts`` and ``elapsed`` (seconds) say how hard it tried,
    and ``cause`` is the underlying httpx error (its text is in the message; it is not
    chained, so a traceback ends in cmsdials' frames, and not pickled).
    """

    cause: BaseException | None = None
    attempts: int = 0
    elapsed: float = 0.0

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        self.method = method
        self.url = url
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        # The httpx error holds the request, whose headers hold the credentials.
        state = {k: v for k, v in self.__dict__.items() if k != "cause"}
        return (_restore, (type(self), self.args, state))


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
        sign_in: bool = False,
    ) -> None:
        self.method = method
        self.url = url
        self.status_code = status_code
        self.content_type = content_type
        self.excerpt = excerpt
        self.truncated = truncated
        #: The body is a sign-in page (CERN's SSO): the request never reached DIALS's API.
        self.sign_in = sign_in
        if message is None:
            what = "was cut short" if truncated else "is not JSON"
            if sign_in:
                hint = (
                    "it is a sign-in page (CERN SSO): the credentials did not reach DIALS. "
                    "Pass credentials (Dials(creds, ...)) and check that base_url is DIALS's "
                    "API host (https://cmsdials-api.web.cern.ch/), not a web page behind SSO"
                )
            elif excerpt.lstrip().startswith("<"):
                hint = "an HTML page: is base_url DIALS's API and not a portal or login page?"
            else:
                hint = "retry later, or report it to the DIALS team if it persists"
            message = (
                f"{method} {url} answered {status_code} but its body {what} ({reason}); "
                f"content type {content_type or '(none)'!r}, first bytes {excerpt!r}: {hint}"
            )
        super().__init__(message)


#: What a sign-in page (CERN's SSO, a Keycloak login form, a portal) carries.
_SIGN_IN_MARKERS = (b"kc-form-login", b"login-actions", b"auth.cern.ch", b"sign in", b"log in")


def looks_like_sign_in(content: bytes) -> bool:
    """An HTML body that is a sign-in page rather than an API answer."""
    head = content[:16384].lstrip().lower()
    return head.startswith(b"<") and any(marker in head for marker in _SIGN_IN_MARKERS)


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


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped a ``list_all``: a ``KeyboardInterrupt`` (so it stops the program as
    Ctrl-C does, and ``except Exception`` does not swallow it) that keeps what was fetched.

    ``page`` holds the rows fetched before the interruption and ``next`` at the first page
    not fetched (as ``list_all(..., keep_failed=True)`` returns after an error): pass it
    as ``resume_from=`` to continue exactly there.
    """

    def __init__(self, message: str, page: Any = None) -> None:
        super().__init__(message)
        self.page = page

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.page))


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


# -- the errors of CERN's Keycloak and of credentials (``cmsdials.auth.exceptions``) --


class NonInteractiveError(AuthError):
    """No usable credentials, and no person at a terminal or notebook to log in."""


class LegacyDeviceFlowUnavailableError(AuthError):
    """``AuthClient(base_url=...)`` points at a DIALS without its own (v1.12) device routes."""


class KeycloakError(AuthError):
    """Keycloak answered an error; ``status`` and ``error`` (its OAuth code) say which."""

    def __init__(self, message: str, status: int | None = None, error: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.status, self.error))


class InvalidClientError(KeycloakError):
    """Keycloak does not know the client id, or the client secret is wrong."""


class AccessDeniedError(KeycloakError):
    """The person refused the device login."""


class MalformedTokenAnswerError(KeycloakError):
    """An answer that should be a token is not (not JSON, a field missing or mistyped)."""


class KeycloakUnreachableError(KeycloakError, DialsConnectionError):
    """Keycloak gave no (complete) answer: refused, DNS, timeout, reset."""

    def __init__(self, message: str, status: int | None = None, error: str | None = None) -> None:
        KeycloakError.__init__(self, message, status, error)
        self.method = "POST"
        self.url = ""


class TokenRejectedError(PermissionDeniedError):
    """DIALS refused the token, and again after it was renewed: not a matter of expiry."""

    def _message(self) -> str:
        return (
            f"{super()._message()}. DIALS refused a token just renewed: check that AuthClient's "
            "audience= is this DIALS instance's application (and client_id its public one), "
            "and that the application or person was granted access"
        )


class TokenRenewalFailedError(PermissionDeniedError):
    """DIALS refused the access token (401/403) and renewing it failed.

    Both errors at once, so that either ``except`` catches it. It is the HTTP
    error DIALS answered: a :class:`PermissionDeniedError` (hence a
    ``DialsHTTPError`` and, with requests installed, a
    ``requests.exceptions.HTTPError``) whose message starts with the classic
    client's line (``403 Client Error: Forbidden for url: ...``) and carries DIALS's
    ``status_code``, ``url``, ``detail``... And it is the renewal's error, its
    ``__cause__``: each one is built by :meth:`of` as an instance of a class that
    also derives from the cause's class (``ImpossibleToRefreshTokenError``,
    ``KeycloakError``, ``KeycloakUnreachableError``, ...), with the cause's
    attributes (Keycloak's ``status`` and ``error``) where DIALS's do not take
    their name. ``renewal_error`` is the cause's class.
    """

    renewal_error: ClassVar[type[AuthError]] = AuthError

    def __init__(self, *, renewal_message: str = "", **answer: Any) -> None:
        """DialsHTTPError's keywords (DIALS's answer), and the renewal's error message."""
        self._renewal_message = renewal_message or "(no message)"
        super().__init__(**answer)

    @classmethod
    def of(cls, rejected: DialsHTTPError, cause: AuthError) -> TokenRenewalFailedError:
        """The error for DIALS's answer ``rejected`` whose renewal raised ``cause``."""
        http = dict(vars(rejected))
        error = _renewal_failed_class(type(cause))(
            status_code=rejected.status_code,
            method=rejected.method,
            url=rejected.url,
            body=rejected.body,
            headers=rejected.headers,
            data=rejected.data,
            renewal_message=str(cause),
        )
        # The cause's attributes, where DIALS's answer does not use the name (the
        # cause's constructors, in the MRO too, may have set some of DIALS's: reset).
        for name, value in vars(cause).items():
            if not name.startswith("__") and name not in http:
                setattr(error, name, value)
        error.__dict__.update(http)
        return error

    def _message(self) -> str:
        return (
            f"{super()._message()}\nDIALS refused the access token and renewing it failed: "
            f"{self._renewal_message}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        if type(self) is TokenRenewalFailedError:  # built directly, with no cause's class
            return super().__reduce__()
        # The class of ``of`` is made at run time: rebuilt from the cause's class.
        return (_restore_renewal_failed, (self.renewal_error, self.args, dict(self.__dict__)))


_RENEWAL_FAILED_CLASSES: dict[type[AuthError], type[TokenRenewalFailedError]] = {}


def _renewal_failed_class(renewal_error: type[AuthError]) -> type[TokenRenewalFailedError]:
    """The class of a :class:`TokenRenewalFailedError` caused by a ``renewal_error`` (one each)."""
    known = _RENEWAL_FAILED_CLASSES.get(renewal_error)
    if known is not None:
        return known
    name = f"TokenRenewalFailedError[{renewal_error.__name__}]"
    namespace = {
        "__module__": __name__,
        "__qualname__": name,
        "__doc__": TokenRenewalFailedError.__doc__,
        "renewal_error": renewal_error,
    }
    made = cast(
        "type[TokenRenewalFailedError]",
        type(name, (TokenRenewalFailedError, renewal_error), namespace),
    )
    return _RENEWAL_FAILED_CLASSES.setdefault(renewal_error, made)


def _restore_renewal_failed(
    renewal_error: type[AuthError], args: tuple[Any, ...], state: dict[str, Any]
) -> DialsError:
    return _restore(_renewal_failed_class(renewal_error), args, state)


class CacheFileError(Exception):
    """The credentials cache file exists but cannot be read or holds no valid token
    (handled inside :mod:`cmsdials.auth.device`, which then logs in again)."""


# -- the layer's own -------------------------------------------------------------


class MissingOperationError(DialsError, NotImplementedError):
    """The generated package has no operation for what was asked (DIALS's spec lacks it)."""


class WalkCancelled(DialsError):
    """A worker's wait was cut short because its walk was cancelled (never seen by users)."""


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
