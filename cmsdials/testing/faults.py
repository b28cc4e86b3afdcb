"""Deterministic fault injection: the next N matching requests misbehave.

Faults are consumed in the order they were injected: a request takes one unit
of the first fault whose route matches and that has units left.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Literal, get_args

FaultKind = Literal[
    "status",
    "reset",
    "stall",
    "expire_token",
    "drip",
    "cut_body",
    "html_body",
    "invalid_body",
    "loop_next",
    "redirect",
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)


@dataclass
class Fault:
    """One injected fault and how many more requests it applies to."""

    kind: str
    remaining: int
    route: re.Pattern[str] | None = None
    status: int = 503
    retry_after: float | str | None = None
    stall_seconds: float = 5.0
    drip_bytes: int = 16
    drip_seconds: float = 0.05
    location: str = "https://login.example.org/portal?service=dials"
    #: ``loop_next``: the first affected page's ``next``, which the last one points back at.
    loop_target: str | None = None
    #: A regular expression searched in the request's (raw) query string.
    query: re.Pattern[str] | None = None

    def matches(self, path: str, query: str = "") -> bool:
        return (self.route is None or self.route.search(path) is not None) and (
            self.query is None or self.query.search(query) is not None
        )

    def retry_after_header(self) -> str | None:
        if self.retry_after is None:
            return None
        if isinstance(self.retry_after, float) and self.retry_after.is_integer():
            return str(int(self.retry_after))
        return str(self.retry_after)


class Faults:
    """The fault controller of one server (``srv.faults``)."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def inject(
        self,
        kind: str,
        count: int = 1,
        route: str | None = None,
        status: int = 503,
        retry_after: float | str | None = None,
        stall_seconds: float = 5.0,
        drip_bytes: int = 16,
        drip_seconds: float = 0.05,
        location: str | None = None,
        query: str | None = None,
    ) -> Fault:
        """Make the next ``count`` requests whose path matches ``route`` fail with ``kind``.

        ``status`` answers ``status`` (429 or 5xx; ``Retry-After: retry_after`` if
        given), ``reset`` sends the headers and part of the body then closes the
        connection, ``stall`` waits ``stall_seconds`` before answering, and
        ``expire_token`` expires the request's bearer token (403 token_not_valid),
        ``drip`` sends the answer's body ``drip_bytes`` at a time every
        ``drip_seconds``, ``cut_body`` answers 200 with the JSON body cut in half
        (a complete HTTP message: ``Content-Length`` is the cut length),
        ``html_body`` answers 200 with a well-formed HTML page (a login portal),
        ``invalid_body`` answers 200 with invalid JSON (``application/json``),
        ``loop_next`` keeps the first affected page's ``next`` and points the
        ``next`` of the last affected page back at it (``count=N``: a cursor loop
        after N pages), and
        ``redirect`` answers ``status`` (302 unless a 3xx is given) with
        ``Location: location``.
        ``route`` is a regular expression searched in the URL path, ``query`` one
        searched in the raw query string (``r"run_number__gte=360400"``: one partition).
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {FAULT_KINDS}")
        if count < 1:
            raise ValueError("count must be at least 1")
        if kind == "status" and not (status == 429 or 400 <= status <= 599):
            raise ValueError(f"a status fault needs an error status (429 or 5xx), not {status}")
        if stall_seconds < 0:
            raise ValueError("stall_seconds must not be negative")
        if drip_bytes < 1 or drip_seconds < 0:
            raise ValueError("drip_bytes must be positive and drip_seconds not negative")
        if kind == "redirect" and not 300 <= status <= 399:
            status = 302
        if isinstance(retry_after, int):
            retry_after = float(retry_after)
        fault = Fault(
            kind=kind,
            remaining=count,
            route=re.compile(route) if route is not None else None,
            status=status,
            retry_after=retry_after,
            stall_seconds=stall_seconds,
            drip_bytes=drip_bytes,
            drip_seconds=drip_seconds,
            query=re.compile(query) if query is not None else None,
        )
        if location is not None:
            fault.location = location
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Drop every pending fault."""
        with self._lock:
            self._faults.clear()

    @property
    def pending(self) -> list[Fault]:
        """Faults that still have units left, in consumption order."""
        with self._lock:
            return [f for f in self._faults if f.remaining > 0]

    def take(self, path: str, query: str = "") -> Fault | None:
        """Consume one unit of the first pending fault matching ``path`` (and ``query``)."""
        with self._lock:
            for fault in self._faults:
                if fault.remaining > 0 and fault.matches(path, query):
                    fault.remaining -= 1
                    self._faults = [f for f in self._faults if f.remaining > 0]
                    return fault
        return None
