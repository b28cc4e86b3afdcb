"""``AuthClient``: tokens from CERN's Keycloak (as production DIALS takes them), or DIALS v1.12.

Production DIALS does not issue tokens itself any more; CERN's Keycloak does:

* a **person** logs in with the OAuth device authorization grant (RFC 8628) on a
  public application (``client_id``), and the token is exchanged (RFC 8693) for
  one whose audience is the DIALS application (``audience``); refreshing means
  the refresh grant on the public application, then the exchange again;
* an **application** uses its own client id and secret on the realm's
  ``api-access/token`` endpoint, which honours ``audience`` (client credentials).

``AuthClient(base_url=...)`` with none of ``keycloak_url``, ``client_id`` and
``audience`` is the 2.1 form: it uses the DIALS's own v1.12 device routes
(``auth/new-device/``, ``auth/device-token/``, ``auth/refresh-token/``) and
raises :class:`~cmsdials.auth.exceptions.LegacyDeviceFlowUnavailableError` if
that DIALS does not serve them.

None of these endpoints is in DIALS's spec: they are called with plain httpx
requests through a :class:`~cmsdials.transport.Transport` (one pooled client,
a timeout, typed errors). The device flow shows the verification URL on stderr
(a link in a Jupyter notebook), then polls every ``interval`` seconds
(``slow_down`` adds 5 s). A process with nobody to approve the login (no
terminal, no notebook) fails at once with
:class:`~cmsdials.auth.exceptions.NonInteractiveError` unless
``interactive=True`` asks to wait anyway.
"""

from __future__ import annotations

import dataclasses
import html
import importlib
import logging
import os
import sys
import time
import warnings
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import attrs
import httpx

from ..exceptions import (
    AuthError,
    DeviceCodeExpiredError,
    DialsConnectionError,
    DialsDecodeError,
    DialsHTTPError,
    DialsTimeoutError,
    ImpossibleToRefreshTokenError,
    PendingAuthorizationError,
    SlowDownError,
)
from ..settings import (
    DEFAULT_ROUTE,
    DEFAULT_VERSION,
    PRODUCTION_BASE_URL,
    TRANSIENT_STATUSES,
    TransportOptions,
    TransportSettings,
    check_url,
    with_slash,
)
from ..transport import Transport
from ._base import Clock
from ._checks import check_text
from ._travel import Recipe
from .exceptions import (
    AccessDeniedError,
    InvalidClientError,
    KeycloakError,
    KeycloakUnreachableError,
    LegacyDeviceFlowUnavailableError,
    MalformedTokenAnswerError,
    NonInteractiveError,
)
from .models import ApiToken, Device, DeviceToken, Token

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "DEFAULT_INTERVAL",
    "SLOW_DOWN_INCREMENT",
    "AuthClient",
    "is_interactive",
    "show_verification_url",
]

logger = logging.getLogger(__name__)

#: Seconds between two polls when the server names no interval (the classic's value).
DEFAULT_INTERVAL = 5.0
#: Seconds added to the interval at each ``slow_down`` answer (RFC 8628, 3.5).
SLOW_DOWN_INCREMENT = 5.0
#: Keycloak's SSO session idle time, assumed when a token answer has no ``refresh_expires_in``.
ASSUMED_REFRESH_LIFETIME = 1800

#: Answers that say "try again later" rather than "this refresh token is no good".
_TRANSIENT_STATUSES = frozenset({None}) | TRANSIENT_STATUSES

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"

#: How to create credentials, for the messages of a run that cannot log in by itself.
HOW_TO_LOG_IN = (
    "Log in once from a terminal, in the same directory (or with the same CMSDIALS_CACHE_DIR) "
    "and with the same AuthClient arguments: python -c 'from cmsdials.auth.device import "
    "Credentials; Credentials.from_creds_file()' (pass client=AuthClient(...) for another "
    "Keycloak or DIALS instance); automation should use "
    "cmsdials.auth.client_credentials.Credentials(client_id=..., client_secret=...) instead"
)


def is_interactive() -> bool:
    """A person can answer: a terminal on stdin or stderr, or a Jupyter kernel."""
    if _notebook_display() is not None:
        return True
    for stream in (sys.stdin, sys.stderr):
        try:
            if stream is not None and stream.isatty():
                return True
        except (AttributeError, ValueError, OSError):
            continue
    return False


class AuthClient:
    """Client of CERN's Keycloak realm (or of DIALS v1.12's own device routes).

    The defaults are production's: ``keycloak_url="https://auth.cern.ch/auth/"``,
    ``realm="cern"``, ``client_id="cms-dials-prod-public-app"``,
    ``audience="cms-dials-prod-confidential-app"``. For another DIALS instance pass
    its ``client_id`` and ``audience`` (and ``keycloak_url`` for another Keycloak,
    e.g. the local one of :mod:`cmsdials.testing`).

    ``base_url`` (with ``route`` and ``version``) alone selects DIALS v1.12's own
    device routes, as in cmsdials 2.1; given together with a Keycloak argument it
    is ignored, with the DeprecationWarning of cmsdials 2.4.1.

    Keyword-only additions: ``interactive`` (``None``: detect; ``True``: wait for a
    person even without a terminal; ``False``: never start a device login),
    ``timeout`` and ``retries`` of the transport, the ``clock`` that stamps the
    tokens' expiry, the ``sleep`` the device flow waits with (tests pass fakes of
    both), the httpx transport under the client and ``verify`` (TLS).
    """

    PRODUCTION_BASE_URL = PRODUCTION_BASE_URL
    PRODUCTION_API_ROUTE = DEFAULT_ROUTE
    PRODUCTION_API_VERSION = DEFAULT_VERSION
    PRODUCTION_KEYCLOAK_URL = "https://auth.cern.ch/auth/"
    PRODUCTION_KEYCLOAK_REALM = "cern"
    PRODUCTION_CLIENT_ID = "cms-dials-prod-public-app"
    PRODUCTION_AUDIENCE = "cms-dials-prod-confidential-app"

    DEVICE_CODE_GRANT = DEVICE_CODE_GRANT
    TOKEN_EXCHANGE_GRANT = TOKEN_EXCHANGE_GRANT
    ACCESS_TOKEN_TYPE = ACCESS_TOKEN_TYPE

    def __init__(
        self,
        base_url: str | None = None,
        route: str | None = None,
        version: str | None = None,
        *,
        keycloak_url: str | None = None,
        realm: str | None = None,
        client_id: str | None = None,
        audience: str | None = None,
        interactive: bool | None = None,
        clock: Clock | None = None,
        sleep: Callable[[float], None] | None = None,
        http_transport: httpx.BaseTransport | None = None,
        settings: TransportSettings | None = None,
        **options: Unpack[TransportOptions],
    ) -> None:
        keycloak_given = any(v is not None for v in (keycloak_url, realm, client_id, audience))
        #: True: DIALS v1.12's own device routes (the 2.1 form ``AuthClient(base_url=...)``).
        self.legacy = base_url is not None and not keycloak_given
        if keycloak_given and any(v is not None for v in (base_url, route, version)):
            warnings.warn(
                "AuthClient ignores base_url, route and version when keycloak_url, realm, "
                "client_id or audience is given: tokens come from CERN's Keycloak, and the "
                "DIALS instance is chosen by client_id and audience.",
                DeprecationWarning,
                stacklevel=2,
            )
        settings = TransportSettings.of(settings, base_url, route, version, **options)
        self.base_url = str(settings.base_url)
        self.route = str(settings.route)
        self.version = str(settings.version)
        self.keycloak_url = with_slash(
            check_url("keycloak_url", keycloak_url or self.PRODUCTION_KEYCLOAK_URL)
        )
        #: No keycloak_url given: CERN's production Keycloak (said when it cannot be reached).
        self._default_keycloak = keycloak_url is None
        self.realm = check_text("realm", realm or self.PRODUCTION_KEYCLOAK_REALM)
        self.client_id = check_text("client_id", client_id or self.PRODUCTION_CLIENT_ID)
        self.audience = check_text("audience", audience or self.PRODUCTION_AUDIENCE)
        self.realm_url = f"{self.keycloak_url}realms/{quote(self.realm, safe='')}/"
        self.interactive = interactive
        self.clock: Clock = clock or datetime.now
        self.sleep: Callable[[float], None] = sleep or time.sleep
        if not self.legacy:
            settings = dataclasses.replace(settings, base_url=self.keycloak_url)
        self.settings = settings
        # A token is asked for once in its lifetime: no connection is kept open between
        # (none is left for a ResourceWarning at exit, whoever closes what).
        self.transport = Transport(
            settings, headers={"Connection": "close"}, http_transport=http_transport
        )

    @property
    def api_url(self) -> str:
        """The DIALS API root, e.g. ``https://cmsdials-api.web.cern.ch/api/v1/``."""
        return self.base_url + self.route + self.version

    @property
    def token_url(self) -> str:
        """The realm's token endpoint."""
        return self.realm_url + "protocol/openid-connect/token"

    @property
    def device_url(self) -> str:
        """The realm's device authorization endpoint."""
        return self.realm_url + "protocol/openid-connect/auth/device"

    @property
    def api_access_url(self) -> str:
        """The realm's client-credentials endpoint (it honours ``audience``)."""
        return self.realm_url + "api-access/token"

    def __repr__(self) -> str:
        if self.legacy:
            return f"{type(self).__name__}(base_url={self.base_url!r})"
        return (
            f"{type(self).__name__}(keycloak_url={self.keycloak_url!r}, realm={self.realm!r}, "
            f"client_id={self.client_id!r}, audience={self.audience!r})"
        )

    def for_worker(self) -> Recipe | None:
        """How to build this Keycloak client in another process, never interactive there
        (``None`` for DIALS v1.12's own device routes, or an ``ssl.SSLContext`` as verify).
        Every transport option travels with it (verify, proxy, timeout, retries, ...)."""
        transport_options = dict(self.settings.options())
        if self.legacy or not isinstance(transport_options["verify"], bool | str | os.PathLike):
            return None
        options = {
            "keycloak_url": self.keycloak_url,
            "realm": self.realm,
            "client_id": self.client_id,
            "audience": self.audience,
            **transport_options,
            "interactive": False,  # a Dask worker has nobody to log in
        }
        return Recipe(AuthClient, options)

    # -- lifecycle -------------------------------------------------------------
    def close(self) -> None:
        """Release the HTTP connections."""
        self.transport.close()

    def __enter__(self) -> AuthClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- HTTP ------------------------------------------------------------------
    def _send(self, what: str, method: str, url: str, **kwargs: Any) -> Any:
        """One request to Keycloak (or the legacy routes); the answer's JSON object.

        Errors become :class:`KeycloakError` and its kinds, with the endpoint, the
        status and the OAuth ``error`` code; never a form value.
        """
        try:
            response = self.transport.send(
                lambda: self.transport.http.build_request(method, url, **kwargs), method=method
            )
        except DialsDecodeError as exc:
            raise MalformedTokenAnswerError(
                f"{what}: {url} answered {exc.status_code} with {exc.content_type or 'a body'} "
                f"that is not a JSON object: is {self.keycloak_url} a Keycloak?",
                exc.status_code,
            ) from None
        except DialsHTTPError as exc:
            raise _keycloak_error(what, exc, legacy=self.legacy) from None
        except DialsConnectionError as exc:
            raise self._unreachable(what, method, url, exc) from None
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            kind = response.headers.get("content-type", "no content type")
            raise MalformedTokenAnswerError(
                f"{what}: {url} answered {response.status_code} with {len(response.content)} "
                f"bytes of {kind}, not a JSON object: is {self.keycloak_url} a Keycloak?",
                response.status_code,
            )
        return data

    def _unreachable(
        self, what: str, method: str, url: str, exc: DialsConnectionError
    ) -> KeycloakUnreachableError:
        """No answer: Keycloak (or the legacy DIALS) and its URL named once, the cause, and
        where the URL came from."""
        late = "did not answer in time" if isinstance(exc, DialsTimeoutError) else "did not answer"
        cause = exc.cause
        why = f"{type(cause).__name__}: {cause}" if cause is not None else str(exc)
        tries = f", {exc.attempts} attempts over {exc.elapsed:.1f} s" if exc.attempts > 1 else ""
        if self.legacy:
            root = self.api_url
            where = f"DIALS at {root}"
            advice = "check the network and base_url, then try again"
        else:
            root = self.keycloak_url
            where = f"Keycloak at {root}"
            if self._default_keycloak:
                advice = (
                    "no AuthClient(keycloak_url=...) was given, so CERN's production realm was "
                    "used; for another Keycloak (a local DIALS's, a test instance) pass "
                    "client=AuthClient(keycloak_url=...) to the credentials"
                )
            else:
                advice = "check the network and keycloak_url, then try again"
        endpoint = url[len(root) :] if url.startswith(root) else url
        error = KeycloakUnreachableError(
            f"{what}: {where} {late} ({method} {endpoint}{tries}: {why}): {advice}"
        )
        error.url = url
        error.method = method
        error.attempts = exc.attempts
        error.elapsed = exc.elapsed
        return error

    def _post_form(self, what: str, url: str, form: Mapping[str, str]) -> Any:
        return self._send(what, "POST", url, data=dict(form))

    # -- the person's token ------------------------------------------------------
    def new_device(self) -> Device:
        """Ask for a device code and the URL where the person approves it."""
        if self.legacy:
            data = self._send("new device", "GET", self.api_url + "auth/new-device/")
        else:
            data = self._post_form(
                "device authorization", self.device_url, {"client_id": self.client_id}
            )
        return _parse(Device, data, "the device authorization answer")

    def device_token(self, device_code: str) -> Token:
        """The token, once the person has approved ``device_code``.

        Raises :class:`PendingAuthorizationError` while they have not,
        :class:`SlowDownError` (a ``PendingAuthorizationError``) when polled too
        fast, :class:`DeviceCodeExpiredError` once the code has expired and
        :class:`~cmsdials.auth.exceptions.AccessDeniedError` if they refused.
        """
        try:
            return self._person_token(
                "device token", "device-token/", "device_code", device_code, DEVICE_CODE_GRANT
            )
        except KeycloakError as exc:
            if exc.error == "authorization_pending":
                raise PendingAuthorizationError(
                    "The authorization request is still pending"
                ) from None
            if exc.error == "slow_down":
                raise SlowDownError("Polling too fast: slow down") from None
            if exc.error == "expired_token":
                raise DeviceCodeExpiredError(
                    "The device code expired before it was approved: start a new device flow."
                ) from None
            raise

    def _person_token(
        self, what: str, legacy_route: str, name: str, value: str, grant: str
    ) -> Token:
        """A person's token for the grant ``grant`` with ``name=value``.

        From DIALS v1.12's ``auth/<legacy_route>`` (a JSON body) in the legacy
        form; else from Keycloak's token endpoint, then exchanged for the audience.
        """
        issued = self.clock()
        if self.legacy:
            url = self.api_url + "auth/" + legacy_route
            return _token(self._send(what, "POST", url, json={name: value}), issued)
        form = {"client_id": self.client_id, "grant_type": grant, name: value}
        return self._exchange(self._post_form(what, self.token_url, form), issued)

    def _exchange(self, public: Mapping[str, Any], issued: datetime) -> Token:
        """Exchange the public application's token for one of the DIALS ``audience``.

        The refresh token kept is the public application's: refreshing means
        refreshing it, then exchanging again.
        """
        subject = _field(public, "access_token", str, "the device token answer")
        exchanged = self._post_form(
            "token exchange",
            self.token_url,
            {
                "client_id": self.client_id,
                "grant_type": TOKEN_EXCHANGE_GRANT,
                "subject_token": subject,
                "subject_token_type": ACCESS_TOKEN_TYPE,
                "audience": self.audience,
            },
        )
        # the access token is the exchanged one; the refresh token stays the public one's
        access = {k: v for k, v in exchanged.items() if not k.startswith("refresh_")}
        return _token({**public, **access}, issued)

    def refresh_token(self, token_type: str, access_token: str, refresh_token: str) -> Token:
        """A new token for ``refresh_token`` (the newest one, if Keycloak rotates them).

        ``token_type`` and ``access_token`` are accepted for the classic
        signature; only the refresh token is sent. A refresh token Keycloak
        refuses (expired, revoked, reused, issued to another client) raises
        :class:`ImpossibleToRefreshTokenError`: log in again.
        """
        try:
            return self._person_token(
                "refresh token", "refresh-token/", "refresh_token", refresh_token, "refresh_token"
            )
        except KeycloakError as exc:
            # DIALS v1.12 answered 500 (an HTML page) for an unknown refresh token.
            legacy_refused = self.legacy and exc.status not in _TRANSIENT_STATUSES
            if exc.error == "invalid_grant" or legacy_refused:
                raise ImpossibleToRefreshTokenError(
                    "The refresh token was refused (expired, revoked, or issued to another "
                    f"client): log in again. {HOW_TO_LOG_IN}."
                ) from None
            raise

    # -- the application's token ----------------------------------------------------
    def api_access_token(self, client_id: str, client_secret: str) -> ApiToken:
        """A token for an application's own ``client_id`` and ``client_secret``.

        DIALS accepts it only if the application was granted API access.
        """
        issued = self.clock()
        data = self._post_form(
            "client credentials",
            self.api_access_url,
            {
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": client_secret,
                "audience": self.audience,
            },
        )
        expires_in = _field(data, "expires_in", int, "the client credentials answer")
        return ApiToken(
            access_token=_header_safe(
                _field(data, "access_token", str, "the client credentials answer")
            ),
            expires_in=expires_in,
            token_type=_field(data, "token_type", str, "the client credentials answer"),
            expires_at=issued + timedelta(seconds=expires_in),
        )

    # -- the device flow -----------------------------------------------------------
    def device_auth_flow(
        self,
        interval: float | None = None,
        *,
        sleep: Callable[[float], None] | None = None,
        interactive: bool | None = None,
    ) -> Token:
        """Authenticate a person with the device flow; returns their :class:`Token`.

        ``interval`` is the time between polls (the server's, else 5 s);
        ``sleep`` overrides the client's sleep function for this flow;
        ``interactive`` overrides the client's setting (see the class).
        """
        wanted = interactive if interactive is not None else self.interactive
        if not (is_interactive() if wanted is None else wanted):
            raise NonInteractiveError(
                "No usable DIALS credentials, and this process has no terminal or notebook "
                f"where a person could approve a device login. {HOW_TO_LOG_IN}. "
                "Pass interactive=True to AuthClient to wait for an approval anyway."
            )
        wait = sleep or self.sleep
        device = self.new_device()
        if interval is None:
            interval = float(device.interval) if device.interval else DEFAULT_INTERVAL
        deadline = self.clock() + timedelta(seconds=device.expires_in)
        show_verification_url(device)
        logger.info(
            "device flow: waiting for approval at %s (expires in %s s, polling every %s s)",
            device.verification_uri_complete,
            device.expires_in,
            interval,
        )
        try:
            while True:
                wait(interval)
                if self.clock() >= deadline:
                    raise DeviceCodeExpiredError(
                        f"The device code expired after {device.expires_in} s before it was "
                        "approved: start a new device flow."
                    )
                try:
                    token = self.device_token(device.device_code)
                except SlowDownError:
                    interval += SLOW_DOWN_INCREMENT
                    logger.info("device flow: asked to slow down, polling every %s s", interval)
                except PendingAuthorizationError:
                    logger.debug("device flow: not approved yet")
                else:
                    logger.info("device flow: approved, authentication finished")
                    _say("Authentication finished.")
                    return token
        except KeyboardInterrupt:
            logger.info("device flow: interrupted")
            raise


# -- answers ------------------------------------------------------------------------


def _keycloak_error(what: str, exc: DialsHTTPError, *, legacy: bool) -> AuthError:
    data = exc.data if isinstance(exc.data, dict) else {}
    code = data.get("error") if not legacy else data.get("code")
    error = code if isinstance(code, str) else None
    status = exc.status_code
    where = f"{exc.method} {exc.url.split('?', 1)[0]}"
    if legacy and status == 404:
        return LegacyDeviceFlowUnavailableError(
            f"{what}: this DIALS does not serve its own device-flow routes ({where} answered "
            "404). Current DIALS takes tokens from CERN's Keycloak: pass keycloak_url=, "
            "client_id= and audience= to AuthClient (or leave out base_url for production)."
        )
    if status == 401 or error in ("invalid_client", "unauthorized_client"):
        return InvalidClientError(
            f"{what}: Keycloak refused the client ({status} {error or ''}): check client_id and "
            "client_secret (and that the application may use this audience)",
            status,
            error,
        )
    if error == "access_denied":
        return AccessDeniedError(
            f"{what}: the login was denied ({where}): start the device flow again and approve it",
            status,
            error,
        )
    description = data.get("error_description") if not legacy else data.get("detail")
    said = f": {description}" if isinstance(description, str) and len(description) < 200 else ""
    advice = (
        "Keycloak failed: try again later"
        if status >= 500
        else "check keycloak_url, realm, client_id and audience"
    )
    return KeycloakError(
        f"{what}: {where} answered {status} {error or ''}{said}; {advice}".replace("  ", " "),
        status,
        error,
    )


def _field(data: Mapping[str, Any], name: str, kind: type, what: str) -> Any:
    value = data.get(name)
    if kind is int and isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, kind) or isinstance(value, bool) or value in ("", None):
        found = "missing" if value is None else f"a {type(value).__name__}"
        raise MalformedTokenAnswerError(f"{what}: field {name!r} is {found}, not a {kind.__name__}")
    return value


def _header_safe(token: str) -> str:
    if not token.isascii() or not token.isprintable() or any(c.isspace() for c in token):
        raise MalformedTokenAnswerError(
            "the token answer holds an access token that cannot go into an HTTP header"
        )
    return token


def _parse(model: type[Device], data: Mapping[str, Any], what: str) -> Device:
    try:
        return model.model_validate(data)
    except (TypeError, ValueError) as exc:
        raise MalformedTokenAnswerError(f"{what} is malformed ({type(exc).__name__})") from None


_KINDS: dict[str, type] = {"str": str, "int": int}


def _token(answer: Mapping[str, Any], issued: datetime) -> Token:
    """Stamp a token answer with its expiry, counted from when it was asked for.

    The fields are :class:`DeviceToken`'s; ``refresh_expires_in`` is optional in
    OAuth (Keycloak sends it), so a missing one is assumed.
    """
    fields: dict[str, Any] = {}
    for field in attrs.fields(DeviceToken):
        if field.name == "refresh_expires_in" and answer.get(field.name) is None:
            fields[field.name] = ASSUMED_REFRESH_LIFETIME
        else:
            kind = _KINDS[str(field.type)]
            fields[field.name] = _field(answer, field.name, kind, "the token answer")
    _header_safe(fields["access_token"])
    return Token.stamped(fields, issued)


# -- showing the URL -------------------------------------------------------------------


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _notebook_display() -> Callable[[Any], None] | None:
    """IPython's ``display`` when running in a Jupyter kernel, else None."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    try:
        shell = ipython.get_ipython()
        if shell is None or "IPKernelApp" not in getattr(shell, "config", {}):
            return None
        display: Callable[[Any], None] = importlib.import_module("IPython.display").display
        return display
    except Exception:  # noqa: BLE001 - any trouble: fall back to stderr
        return None


class _Link:
    """What a notebook shows: a clickable link (HTML); its repr is the plain text."""

    def __init__(self, text: str, url: str, note: str) -> None:
        self.text = text
        self.url = url
        self.note = note

    def __repr__(self) -> str:
        return f"{self.text}\n\n    {self.url}\n\n{self.note}"

    def _repr_html_(self) -> str:
        url = html.escape(self.url, quote=True)
        return (
            f"<p>{html.escape(self.text)}<br>"
            f'<a href="{url}" target="_blank" rel="noopener">{html.escape(self.url)}</a><br>'
            f"{html.escape(self.note)}</p>"
        )


def show_verification_url(device: Device) -> None:
    """Show the person where to approve the device: a link in a notebook, stderr elsewhere."""
    link = _Link(
        "To authenticate with DIALS, open this URL in a browser and log in:",
        device.verification_uri_complete,
        f"The code expires in {device.expires_in} s; waiting for approval...",
    )
    display = _notebook_display()
    if display is not None:
        try:
            display(link)
            return
        except Exception:  # noqa: BLE001 - fall back to stderr
            pass
    _say(repr(link))
