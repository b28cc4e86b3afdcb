"""Contract mode: validate every received request against ``openapi.json`` with openapi-core.

openapi-core is imported here only, when a server starts in contract mode.

The document is validated as ``openapi.json`` has it: the spec repairs
(``scripts/repairs.py``) already give the bearer scheme its lower-case name,
which openapi-core compares verbatim, and ``deepObject`` parameters their
``explode: true``, without which it cannot read ``filter[run_number]=...``.

One rule openapi-core does not enforce is added: a query parameter declared
``style: form, explode: false`` carries ONE comma-separated value, so repeating
its key (``model_id__in=20&model_id__in=19``) is a violation — the very mistake
DIALS answers silently wrong.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .messages import Request
from .routes import ApiSpec


@dataclass
class _Adapter:
    """openapi-core's request protocol over a :class:`Request`."""

    parameters: Any
    method: str
    path: str
    host_url: str
    body: bytes | None
    content_type: str


class ContractUnavailableError(RuntimeError):
    """Contract mode was asked for but openapi-core (the ``server`` extra) is not installed."""


class ContractChecker:
    """Validates requests; :meth:`check` returns the violations (empty when conforming)."""

    def __init__(self, spec: ApiSpec) -> None:
        try:
            from openapi_core import OpenAPI  # heavy: only in contract mode
        except ImportError:
            raise ContractUnavailableError(
                "contract mode checks each request with openapi-core, which is not installed: "
                "pip install 'cmsdials[server]' (or run without --contract / contract=True)"
            ) from None

        self._spec = spec
        self._api = OpenAPI.from_dict(copy.deepcopy(dict(spec.doc)))
        self._lock = threading.Lock()

    def check(self, req: Request) -> list[str]:
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        pairs = [(key, value) for key, values in req.query.items() for value in values]
        adapter = _Adapter(
            parameters=RequestParameters(
                query=ImmutableMultiDict(pairs),
                header=Headers(req.headers.raw_items()),
            ),
            method=req.method.lower(),
            path=req.path,
            host_url=f"{req.scheme}://{req.host}",
            body=req.body or None,
            content_type=(req.headers.get("content-type") or "application/json").lower(),
        )
        problems = self._repeated_keys(req)
        try:
            with self._lock:
                self._api.validate_request(adapter)
        except Exception as exc:  # noqa: BLE001 - every validation failure is a finding
            problems.append(_describe(exc))
        return problems

    def _repeated_keys(self, req: Request) -> list[str]:
        matched = self._spec.match(req.path)
        if matched is None:
            return []
        op = matched[0].operations.get(req.method.upper())
        if op is None:
            return []
        found = []
        for name, values in req.query.items():
            param = op.query.get(name)
            if param is not None and len(values) > 1 and not param.explode:
                found.append(
                    f"query parameter {name!r} repeated {len(values)} times "
                    f"({values!r}); the spec declares style={param.style or 'form'}, "
                    "explode=false: one comma-separated value"
                )
        return found


def _describe(exc: BaseException) -> str:
    parts = [f"{type(exc).__name__}: {exc}"]
    cause = exc.__cause__
    seen: set[int] = set()
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        text = str(cause)
        if text and text not in parts[-1]:
            parts.append(text.splitlines()[0])
        errors: Sequence[Any] = getattr(cause, "schema_errors", None) or ()
        parts.extend(str(getattr(e, "message", e)) for e in errors)
        cause = cause.__cause__
    return "; ".join(parts)
