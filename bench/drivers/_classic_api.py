"""Workloads driven through the classic public API, shared by the ``ours`` and classic drivers.

Both clients are driven by the very same calls (``Dials(Credentials(token=...),
base_url=...)``, ``<group>.list_all(filters, enable_progress=False)``, ``<group>.get(...)``,
``.to_pandas()``), so the two drivers differ only in which ``cmsdials`` their interpreter
imports. Standard library only, like ``_measure``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from _measure import Observation, summarize_rows

Workload = Callable[[Observation], Any]
Summarizer = Callable[[Any], "tuple[int, int]"]


def make_dials(spec: dict[str, Any]) -> Any:
    """A ``Dials`` on the bench server, authenticated with the client secret header."""
    cmsdials = importlib.import_module("cmsdials")
    secret_key = importlib.import_module("cmsdials.auth.secret_key")
    creds = secret_key.Credentials(token=spec["secret"])
    return cmsdials.Dials(creds, base_url=spec["base_url"])


def filter_class(spec: dict[str, Any]) -> Any:
    """The classic filter class the spec names (resolved before the measured span)."""
    return getattr(importlib.import_module("cmsdials.filters"), spec["filter_class"])


def classic_api_workload(spec: dict[str, Any], dials: Any) -> tuple[Workload, Summarizer]:
    """The measured call and the summarizer of its result, for the spec's kind of workload."""
    kind = spec["kind"]
    endpoint = getattr(dials, spec["group"])
    field = spec["checksum_field"]
    filters: dict[str, Any] = spec.get("filters", {})
    make_filters: Any = filter_class(spec) if kind in ("list_all", "list_all_pandas") else None

    if kind == "list_all":

        def list_all(_: Observation) -> Any:
            return endpoint.list_all(make_filters(**filters), enable_progress=False)

        return list_all, lambda page: summarize_rows(page.results, field)

    if kind == "list_all_pandas":
        # pandas is imported before the measured span for every implementation: the classic
        # client imports it with ``import cmsdials``, ours on the first ``to_pandas()``, the
        # floor up front; W6 measures fetching and converting, not importing pandas.
        importlib.import_module("pandas")

        def list_all_pandas(_: Observation) -> Any:
            return endpoint.list_all(make_filters(**filters), enable_progress=False).to_pandas()

        return list_all_pandas, lambda frame: (len(frame), int(frame[field].sum()))

    if kind == "get":
        keys: list[dict[str, int]] = spec["keys"]

        def get_each(_: Observation) -> list[Any]:
            return [endpoint.get(**key) for key in keys]

        return get_each, lambda items: summarize_rows(items, field)

    raise SystemExit(f"workload kind {kind!r} is not part of the classic API")
