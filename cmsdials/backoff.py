"""Waiting before a retry: the ``Retry-After`` gate every thread shares, and cancellable waits.

* :class:`RetryAfterGate` is one per :class:`~cmsdials.transport.Transport`. When
  DIALS answers 429 (or any status with ``Retry-After``), the thread that got
  it calls :meth:`RetryAfterGate.hold`; every request of every thread then waits at
  :meth:`RetryAfterGate.wait` until that time has passed. So ``workers=8`` slows
  down as a whole, not only the one worker that was told to.
* :func:`sleep` is the transport's wait between retries. In a worker thread of
  a partitioned walk (:mod:`cmsdials.partitions`) it is cut short when the walk
  is cancelled (Ctrl-C, an error elsewhere, ``close()``), raising
  :class:`WalkCancelled`, so that a worker in a long back-off stops at once.
  Elsewhere it is ``time.sleep``.
"""

from __future__ import annotations

import threading
import time

from .exceptions import WalkCancelled

__all__ = ["RetryAfterGate", "WalkCancelled", "cancel_event", "set_cancel_event", "sleep"]

_local = threading.local()


def set_cancel_event(event: threading.Event | None) -> None:
    """Make this thread's waits end when ``event`` is set (``None``: plain sleeps)."""
    _local.cancel = event


def cancel_event() -> threading.Event | None:
    """The cancel event of this thread's walk, if it is a worker of one."""
    event: threading.Event | None = getattr(_local, "cancel", None)
    return event


def sleep(seconds: float) -> None:
    """``time.sleep``, except in a walk's worker: there it ends when the walk is cancelled."""
    if seconds <= 0:
        return
    event = cancel_event()
    if event is None:
        time.sleep(seconds)
        return
    if event.wait(seconds):
        raise WalkCancelled("the walk was cancelled")


class RetryAfterGate:
    """A time before which no request of this transport is sent (shared by all threads)."""

    #: Never hold everybody longer than this at once (a server's Retry-After is capped too).
    MAX_HOLD = 120.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._not_before = 0.0

    def hold(self, seconds: float) -> None:
        """No request of any thread before ``seconds`` from now."""
        if seconds <= 0:
            return
        until = time.monotonic() + min(seconds, self.MAX_HOLD)
        with self._lock:
            self._not_before = max(self._not_before, until)

    def remaining(self) -> float:
        with self._lock:
            return max(0.0, self._not_before - time.monotonic())

    def wait(self) -> None:
        """Wait until the hold (if any) is over; cancellable in a walk's worker."""
        while True:
            left = self.remaining()
            if left <= 0:
                return
            sleep(left)
