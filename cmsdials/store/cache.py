"""``list_all(filters, cache=True | "dir")``: the same Page, from a store when it is there."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .layout import digest

if TYPE_CHECKING:
    from ..endpoints import ListEndpoint
    from ..pagination import Page

__all__ = ["cached_list_all"]


def cache_root(cache: object) -> Path:
    from . import cache_dir

    if cache is True:
        return cache_dir()
    if isinstance(cache, str | os.PathLike):
        return Path(cache)
    raise TypeError(f"cache must be None, False, True or a folder, not {cache!r}")


def cached_list_all(
    endpoint: ListEndpoint[Any, Any],
    filters: Any,
    cache: object,
    *,
    workers: int,
    enable_progress: bool | None,
    retries: Any,
    timeout: float | None,
) -> Page[Any]:
    """The rows of ``list_all(filters)`` through a store under ``cache``'s folder: one store
    per group, server, workspace and selection base (so pulls that differ by MEs and
    runs share one)."""
    from .pull import store
    from .schema import pyarrow
    from .selection import analyse

    pyarrow()
    sel = analyse(endpoint, filters, f"{endpoint.name}.list_all()")
    identity = sel.identity(
        endpoint.transport.settings.base_url or "", endpoint.transport.workspace
    )
    path = cache_root(cache) / f"{endpoint.name}-{digest(identity)}"
    pull = store(
        endpoint,
        filters,
        path,
        workers=workers,
        enable_progress=enable_progress,
        retries=retries,
        timeout=timeout,
    )
    return pull.to_page(endpoint.model)
