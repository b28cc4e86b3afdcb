"""``AuthClient``: DIALS's authentication routes and the device authorization flow.

The routes are the generated operations of ``dials_api.api.authentication``, run
through a :class:`~cmsdials.transport.Transport` (one pooled HTTP client, a
timeout, typed errors). The device flow (RFC 8628):

1. ``new_device()`` asks DIALS for a device code and a verification URL;
2. the URL is shown to the person, on stderr in a terminal and as a link in a
   Jupyter notebook (no logging set-up needed), and logged;
3. ``device_token()`` is polled every ``interval`` seconds until the person has
   approved the device; ``slow_down`` adds 5 s to the interval, as RFC 8628
   asks; an expired device code raises
   :class:`~cmsdials.exceptions.DeviceCodeExpiredError`. Ctrl-C stops it (the
   ``KeyboardInterrupt`` propagates; no thread is involved).
"""

from __future__ import annotations

import html
import importlib
import logging
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx

from dials_api.api.authentication import get_device, issue_device_token
from dials_api.api.authentication import refresh_token as refresh_token_op
from dials_api.models import DeviceToken as ApiDeviceToken
from dials_api.models import IssueDeviceTokenBody, RefreshTokenBody

from ..exceptions import (
    BadRequestError,
    DeviceCodeExpiredError,
    PendingAuthorizationError,
    SlowDownError,
)
from ..settings import (
    DEFAULT_ROUTE,
    DEFAULT_VERSION,
    PRODUCTION_BASE_URL,
    TransportOptions,
    TransportSettings,
)
from ..transport import Transport
from ._base import Clock
from .models import Device, Token

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["DEFAULT_INTERVAL", "SLOW_DOWN_INCREMENT", "AuthClient"]

logger = logging.getLogger(__name__)

#: Seconds between two polls of the device-token route (the classic's value).
DEFAULT_INTERVAL = 5.0
#: Seconds added to the interval at each ``slow_down`` answer (RFC 8628, 3.5).
SLOW_DOWN_INCREMENT = 5.0


class AuthClient:
    """Client of DIALS's ``auth/`` routes.

    ``base_url``, ``route`` and ``version`` default to production
    (``https://cmsdials-api.web.cern.ch/``, ``api/``, ``v1/``) as in the classic.
    The keyword-only arguments are additions: ``timeout`` and ``retries`` of the
    transport, the ``clock`` that stamps the tokens' expiry, the ``sleep``
    the device flow waits with (tests pass fakes of both) and the httpx
    transport under the client (e.g. an ``httpx.MockTransport``).
    """

    PRODUCTION_BASE_URL = PRODUCTION_BASE_URL
    PRODUCTION_API_ROUTE = DEFAULT_ROUTE
    PRODUCTION_API_VERSION = DEFAULT_VERSION

    def __init__(
        self,
        base_url: str | None = None,
        route: str | None = None,
        version: str | None = None,
        *,
        clock: Clock | None = None,
        sleep: Callable[[float], None] | None = None,
        http_transport: httpx.BaseTransport | None = None,
        settings: TransportSettings | None = None,
        **options: Unpack[TransportOptions],
    ) -> None:
        if settings is None:
            settings = TransportSettings.of(base_url, route, version, **options)
        self.settings = settings
        self.clock: Clock = clock or datetime.now
        self.sleep: Callable[[float], None] = sleep or time.sleep
        self.transport = Transport(settings, http_transport=http_transport)

    @property
    def base_url(self) -> str:
        return str(self.settings.base_url)

    @property
    def route(self) -> str:
        return str(self.settings.route)

    @property
    def version(self) -> str:
        return str(self.settings.version)

    @property
    def api_url(self) -> str:
        """The API root, e.g. ``https://cmsdials-api.web.cern.ch/api/v1/``."""
        return self.settings.api_url

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    # -- lifecycle -------------------------------------------------------------
    def close(self) -> None:
        """Release the HTTP connections."""
        self.transport.close()

    def __enter__(self) -> AuthClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the routes --------------------------------------------------------------
    def new_device(self) -> Device:
        """Ask for a device code and the URL where the person approves it."""
        device = self.transport.call(get_device.sync_detailed)
        return Device(
            device_code=device.device_code,
            verification_uri_complete=device.verification_uri_complete,
            expires_in=device.expires_in,
        )

    def device_token(self, device_code: str) -> Token:
        """The token, once the person has approved ``device_code``.

        Raises :class:`PendingAuthorizationError` while they have not,
        :class:`SlowDownError` (a ``PendingAuthorizationError``) when polled too
        fast, and :class:`DeviceCodeExpiredError` once the code has expired.
        """
        issued = self.clock()
        try:
            answer = self.transport.call(
                issue_device_token.sync_detailed,
                body=IssueDeviceTokenBody(device_code=device_code),
                method="POST",
            )
        except BadRequestError as exc:
            if exc.code == "authorization_pending":
                raise PendingAuthorizationError(
                    exc.detail or "The authorization request is still pending"
                ) from None
            if exc.code == "slow_down":
                raise SlowDownError(exc.detail or "Polling too fast: slow down") from None
            if exc.code == "expired_token":
                raise DeviceCodeExpiredError(
                    "The device code expired before it was approved: start a new device flow."
                ) from exc
            raise
        if not isinstance(answer, ApiDeviceToken):  # the 400 shape is raised above
            raise TypeError(f"unexpected answer of the device-token route: {type(answer)}")
        return _token(answer, issued)

    def refresh_token(self, token_type: str, access_token: str, refresh_token: str) -> Token:
        """A new token for ``refresh_token``.

        ``token_type`` and ``access_token`` are accepted for the classic
        signature; the route needs only the refresh token, so the (possibly
        expired) access token is not sent.
        """
        issued = self.clock()
        answer = self.transport.call(
            refresh_token_op.sync_detailed,
            body=RefreshTokenBody(refresh_token=refresh_token),
            method="POST",
        )
        return _token(answer, issued)

    # -- the device flow -----------------------------------------------------------
    def device_auth_flow(
        self,
        interval: float | None = None,
        *,
        sleep: Callable[[float], None] | None = None,
    ) -> Token:
        """Authenticate a person with the device flow; returns their :class:`Token`.

        ``interval`` is the time between polls (5 s by default); ``sleep``
        overrides the client's sleep function for this flow.
        """
        wait = sleep or self.sleep
        device = self.new_device()
        if interval is None:
            interval = DEFAULT_INTERVAL
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


def _token(answer: ApiDeviceToken, issued: datetime) -> Token:
    """Stamp a token answer with the moments it expires, counted from when it was asked for."""
    return Token(
        access_token=answer.access_token,
        expires_in=answer.expires_in,
        refresh_expires_in=answer.refresh_expires_in,
        refresh_token=answer.refresh_token,
        token_type=answer.token_type,
        expires_at=issued + timedelta(seconds=answer.expires_in),
        refresh_expires_at=issued + timedelta(seconds=answer.refresh_expires_in),
    )


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
