"""Contract mode: validate every received request against ``openapi.json`` with openapi-core.

openapi-core is imported here only, when a server starts in contract mode.

Two adjustments are made to the in-memory copy of the document given to the
validator (the file itself is never touched), each for a gap of the validator,
not of the client:

* security scheme names are lower-cased: openapi-core 0.19-0.23 compares the
  request's ``Bearer`` scheme, lower-cased, with the declared ``"scheme"``
  verbatim, so the spec's ``"Bearer"`` rejects every bearer token;
* ``deepObject`` parameters get ``explode: true`` (the only combination OpenAPI
  defines), without which openapi-core cannot read ``filter[run_number]=...``.

And one rule openapi-core does not enforce is added: a query parameter declared
``style: form, explode: false`` carries ONE comma-separated value, so repeating
its key (``model_id__in=20&model_id__in=19``) is a violation — the very mistake
DIALS answers silently wrong.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Mapping, Sequence
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


def _prepare(doc: Mapping[str, Any]) -> dict[str, Any]:
    prepared = copy.deepcopy(dict(doc))
    for scheme in prepared.get("components", {}).get("securitySchemes", {}).values():
        if isinstance(scheme.get("scheme"), str):
            scheme["scheme"] = scheme["scheme"].lower()
    for item in prepared.get("paths", {}).values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            for param in op.get("parameters", []):
                if param.get("style") == "deepObject":
                    param["explode"] = True
    return prepared


class ContractChecker:
    """Validates requests; :meth:`check` returns the violations (empty when conforming)."""

    def __init__(self, spec: ApiSpec) -> None:
        from openapi_core import OpenAPI  # heavy: only in contract mode

        self._spec = spec
        self._api = OpenAPI.from_dict(_prepare(spec.doc))
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
