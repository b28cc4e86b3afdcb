"""Row tweaks: make the served rows differ from the spec, for the client's tolerance tests.

Production DIALS does not always send what its spec says: a field may be added,
left out, or carry a value of another type.  ``srv.tweak_rows(...)`` makes the
local server do the same on the rows of the routes it matches, until
``srv.row_tweaks.clear()`` (the pytest fixtures clear them after each test)::

    srv.tweak_rows(route=r"/th1/", add={"quality": "GOOD"}, drop=["entries"],
                   retype={"x_bin": "100"})

A row is an object of a page's ``results``, of a plain list (``/mes/``), or the
object a retrieve route answers.  Only successful JSON answers are touched; the
fault kinds (:mod:`.faults`) are another matter and apply before.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from .messages import Response


@dataclass
class RowTweak:
    """One change to the rows of the routes whose path ``route`` matches (all if None)."""

    route: re.Pattern[str] | None = None
    #: Fields added to (or overwritten in) every row, with their values.
    add: dict[str, Any] = field(default_factory=dict)
    #: Fields removed from every row.
    drop: tuple[str, ...] = ()
    #: Fields whose value is replaced (only in rows that have the field).
    retype: dict[str, Any] = field(default_factory=dict)

    def matches(self, path: str) -> bool:
        return self.route is None or self.route.search(path) is not None

    def apply(self, row: dict[str, Any]) -> None:
        for name in self.drop:
            row.pop(name, None)
        for name, value in self.retype.items():
            if name in row:
                row[name] = value
        row.update(self.add)

    def describe(self) -> dict[str, Any]:
        return {
            "route": self.route.pattern if self.route is not None else None,
            "add": self.add,
            "drop": list(self.drop),
            "retype": self.retype,
        }


class RowTweaks:
    """The row tweaks of one server (``srv.row_tweaks``); all matching ones apply, in order."""

    def __init__(self) -> None:
        self._tweaks: list[RowTweak] = []
        self._lock = threading.Lock()

    def add(
        self,
        route: str | None = None,
        add: Mapping[str, Any] | None = None,
        drop: Iterable[str] = (),
        retype: Mapping[str, Any] | None = None,
    ) -> RowTweak:
        """From now on, rows of routes matching ``route`` (a regex searched in the path)
        gain the fields ``add``, lose the fields ``drop`` and carry the values ``retype``.
        """
        if isinstance(drop, str):
            raise TypeError("drop is a list of field names, not one string")
        tweak = RowTweak(
            route=re.compile(route) if route is not None else None,
            add=dict(add or {}),
            drop=tuple(drop),
            retype=dict(retype or {}),
        )
        if not (tweak.add or tweak.drop or tweak.retype):
            raise ValueError("a row tweak needs add, drop or retype")
        with self._lock:
            self._tweaks.append(tweak)
        return tweak

    def clear(self) -> None:
        with self._lock:
            self._tweaks.clear()

    @property
    def active(self) -> list[RowTweak]:
        with self._lock:
            return list(self._tweaks)

    def apply(self, path: str, response: Response) -> Response:
        """``response`` with the rows tweaked, when a tweak matches ``path``."""
        tweaks = [t for t in self.active if t.matches(path)]
        if not tweaks or response.status != 200 or response.content_type != "application/json":
            return response
        try:
            body = orjson.loads(response.body)
        except orjson.JSONDecodeError:
            return response
        if isinstance(body, dict) and isinstance(body.get("results"), list):
            rows = body["results"]
        elif isinstance(body, list):
            rows = body
        elif isinstance(body, dict):
            rows = [body]
        else:
            return response
        for row in rows:
            if isinstance(row, dict):
                for tweak in tweaks:
                    tweak.apply(row)
        return Response(
            response.status, orjson.dumps(body), response.content_type, response.headers
        )
