"""Where credentials meet the HTTP client: :class:`BaseCredentials` is an ``httpx.Auth``.

A ``Dials`` (or any :class:`~cmsdials.transport.Transport`) passes its credentials
as the ``auth`` of its one ``httpx.Client``; :meth:`BaseCredentials.auth_flow` then
runs before every request: it brings the token up to date when due and puts the
header on the request. The classic entry points ``before_request(headers)`` and
``apply(headers)`` do the same on a plain dict of headers.

Token life, as the classic client defined it (``TokenState``):

* FRESH: use it;
* STALE (the last 10 % of its life): use it, and renew it in the background, once;
* EXPIRED (the refresh token still valid): renew it before the request, blocking;
  however many threads arrive at once, one renewal is made and the others wait
  for it;
* INVALID (the refresh token expired too): it cannot be renewed, the person must
  authenticate again (:class:`~cmsdials.exceptions.ImpossibleToRefreshTokenError`).

Time comes from an injectable clock (a callable returning a ``datetime``,
``datetime.now`` by default), so tests drive the states without sleeping.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, MutableMapping
from datetime import datetime
from enum import Enum

import httpx

from ..exceptions import (
    AuthError,
    DialsError,
    DialsHTTPError,
    ImpossibleToRefreshTokenError,
    TokenRenewalFailedError,
    error_from_response,
)
from .exceptions import TokenRejectedError
from .models import TOKEN_FIELDS, classic_attribute

__all__ = ["BaseCredentials", "BearerCredentials", "Clock", "TokenState"]

logger = logging.getLogger(__name__)

#: DIALS's answers to a token it does not accept.
REJECTED_STATUSES = frozenset({401, 403})

#: A source of the current time; naive datetimes are local time, as in the classic.
Clock = Callable[[], datetime]

#: The share of a token's life at its end during which it is stale.
STALE_FRACTION = 0.1


class TokenState(Enum):
    """The state of a token; see the module documentation."""

    FRESH = 1
    STALE = 2
    EXPIRED = 3
    INVALID = 4


def describe_error(exc: BaseException) -> str:
    """An error as a log line may show it: cmsdials' own messages carry no secret."""
    if isinstance(exc, DialsError):
        return f"{type(exc).__name__}: {exc}"
    return type(exc).__name__


def _instant(moment: datetime) -> float:
    """Seconds since the epoch; naive datetimes count as local time (as the classic wrote them)."""
    return moment.timestamp()


class BaseCredentials(httpx.Auth, ABC):
    """Base of every credential: the token fields, their states and the httpx hook.

    Subclasses implement :meth:`apply` (put the header) and :meth:`refresh`
    (renew the token). Credentials that never expire leave ``expires_at`` unset
    and are always fresh.
    """

    requires_request_body = False
    requires_response_body = False

    # The classic attributes of the token fields (see models.TOKEN_FIELDS).
    token: str | None
    expires_at: datetime | None
    expires_in: int | None
    refresh_expires_at: datetime | None
    refresh_expires_in: int | None
    refresh_token: str | None
    token_type: str | None

    def __init__(self, *, clock: Clock | None = None) -> None:
        for field in TOKEN_FIELDS:
            setattr(self, classic_attribute(field), None)
        self.clock: Clock = clock or datetime.now
        # Held while a refresh runs: a second thread that finds the token expired
        # waits here, then finds it fresh instead of refreshing it again.
        self._refresh_lock = threading.RLock()
        # Guards the background refresh thread's bookkeeping.
        self._state_lock = threading.Lock()
        self._background: threading.Thread | None = None
        # Bumped whenever the token changes; a background refresh is tried once
        # per generation, and a rejected token is renewed once per generation.
        self._generation = 0
        self._background_generation = -1

    def __getstate__(self) -> dict[str, object]:
        raise TypeError(
            f"{type(self).__name__} holds secrets and is not pickled: build the credentials "
            "in each process (they share the cache file)"
        )

    def for_worker(self) -> Callable[[], BaseCredentials] | None:
        """How to build these credentials in another process (a Dask worker): a picklable
        zero-argument callable whose secrets are masked (see :mod:`cmsdials.auth._travel`),
        or ``None`` when they cannot travel as data."""
        return None

    # -- states --------------------------------------------------------------
    def _now(self) -> float:
        return _instant(self.clock())

    @property
    def stale(self) -> bool:
        """The token is still valid but in the last 10 % of its life."""
        if not self.expires_at or not self.expires_in:
            return False
        end = _instant(self.expires_at)
        return end > self._now() > end - STALE_FRACTION * self.expires_in

    @property
    def expired(self) -> bool:
        """The access token has expired."""
        if not self.expires_at:
            return False
        return self._now() >= _instant(self.expires_at)

    @property
    def refresh_expired(self) -> bool:
        """The refresh token has expired."""
        if not self.refresh_expires_at:
            return False
        return self._now() >= _instant(self.refresh_expires_at)

    @property
    def token_state(self) -> TokenState:
        """See :class:`TokenState`."""
        if self.expires_at is None:
            return TokenState.FRESH
        if self.stale:
            return TokenState.STALE
        if self.expired:
            return TokenState.INVALID if self.refresh_expired else TokenState.EXPIRED
        return TokenState.FRESH

    # -- what subclasses provide --------------------------------------------
    @abstractmethod
    def apply(self, headers: MutableMapping[str, str]) -> None:
        """Put the credential's header into ``headers``."""

    @abstractmethod
    def refresh(self) -> None:
        """Renew the token (credentials that never expire do nothing)."""

    # -- before each request -------------------------------------------------
    def before_request(self, headers: MutableMapping[str, str]) -> None:
        """Bring the token up to date if due, then :meth:`apply` it to ``headers``."""
        state = self.token_state
        if state is TokenState.INVALID:
            raise ImpossibleToRefreshTokenError(
                "The access token and its refresh token have both expired: "
                "authenticate again (e.g. Credentials.from_creds_file() runs the device flow)."
            )
        if state is TokenState.EXPIRED:
            self._refresh_if(lambda: self.token_state is TokenState.EXPIRED)
        elif state is TokenState.STALE:
            self._start_background_refresh()
        self.apply(headers)

    @property
    def can_renew(self) -> bool:
        """A rejected token can be replaced by a new one (without a person)."""
        return self.refresh_token is not None and not self.refresh_expired

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """httpx's hook: the header on every request, renewed when due.

        When DIALS answers 401/403 to a token these credentials held for valid
        (revoked, clock skew), they renew it once and the request is sent once
        more (as httpx's own ``DigestAuth`` answers a challenge). However many
        threads meet the rejection of the same token, it is renewed once. If the
        renewal fails, the error is DIALS's 401/403 and the renewal's error at once
        (:class:`~cmsdials.exceptions.TokenRenewalFailedError`).
        """
        self.before_request(request.headers)
        if not self.can_renew:
            yield request
            return
        used = self._generation
        response = yield request  # the transport raises only after the flow is done
        if response.status_code not in REJECTED_STATUSES:
            return
        response.read()
        rejected = error_from_response(response)
        logger.info("DIALS rejected the access token (%s); renewing it", response.status_code)
        self._renew_rejected(used, rejected)
        self.apply(request.headers)
        response = yield request
        if response.status_code in REJECTED_STATUSES:
            response.read()
            raise _rejected_again(response)

    def _renew_rejected(self, used: int, rejected: DialsHTTPError) -> None:
        with self._refresh_lock:
            if used != self._generation:
                return  # another thread renewed it meanwhile
            try:
                self.refresh()
            except AuthError as exc:
                # Still DIALS's 401/403 (as the classic raised it), and the auth error.
                # The cause's frames are the auth client's: its message says it all.
                raise TokenRenewalFailedError.of(rejected, exc) from exc.with_traceback(None)
            except Exception as exc:
                logger.warning("renewing the rejected token failed: %s", describe_error(exc))
                raise rejected from exc

    # -- refresh machinery ----------------------------------------------------
    def _token_changed(self) -> None:
        """Subclasses call this after they replace the token."""
        self._generation += 1

    def _refresh_if(self, still_due: Callable[[], bool]) -> None:
        with self._refresh_lock:
            if still_due():
                self.refresh()

    def _start_background_refresh(self) -> None:
        with self._state_lock:
            if self._background_generation == self._generation:
                return  # already tried (or running) for this token
            if self._background is not None and self._background.is_alive():
                return
            self._background_generation = self._generation
            worker = threading.Thread(
                target=self._background_refresh,
                name="cmsdials-token-refresh",
                daemon=True,
            )
            self._background = worker
        worker.start()

    def _background_refresh(self) -> None:
        try:
            self._refresh_if(lambda: self.token_state in (TokenState.STALE, TokenState.EXPIRED))
        except Exception as exc:  # noqa: BLE001 - nobody to raise to in this thread
            # The token is still usable; once it expires, the blocking refresh
            # before the next request will try again and report the error.
            logger.warning("background token refresh failed: %s", describe_error(exc))


class BearerCredentials(BaseCredentials):
    """Credentials whose token goes into ``Authorization: <token_type> <token>``."""

    def apply(self, headers: MutableMapping[str, str]) -> None:
        """Put the token into the ``Authorization`` header."""
        headers["Authorization"] = f"{self.token_type} {self.token}"


def _rejected_again(response: httpx.Response) -> DialsError:
    error = error_from_response(response)
    return TokenRejectedError(
        status_code=error.status_code,
        method=error.method,
        url=error.url,
        body=error.body,
        headers=error.headers,
        data=error.data,
    )
