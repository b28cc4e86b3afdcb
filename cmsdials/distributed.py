"""``dials.<group>.to_dask(filters)``: a pull as a Dask DataFrame, one partition per lane.

The partitions are the lanes of ``dials.<group>.plan(filters, parts=...)``
(:mod:`cmsdials.partitions`: runs of the selection from the run list, or the
listed ``__in`` keys), handed to ``dask.dataframe.from_map``. Each is fetched
with ``fetch_page`` on the Dask worker that computes it, by a client built there
from what the graph carries:

* the plan (plain data), the client's settings (base URL, route, version,
  workspace, timeout, retries, proxy, TLS verification as a bool or a CA file path)
  and how to build its credentials there, never a live connection. The
  credentials say that themselves (``creds.for_worker()``, see
  :mod:`cmsdials.auth._travel`): client credentials fetch and refresh their
  tokens on the worker, a person's login is read from its cache file there.
  Secrets travel masked: no secret in a repr, a graph key or the dashboard.
  Credentials that cannot travel as data need ``credentials=``: a picklable
  zero-argument callable (a function of your module) that returns them on the worker;
* the client is built once per worker process, then reused by every partition it computes.

Needs the ``dask`` extra: ``pip install 'cmsdials[dask]'``.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .pagination import Page, PageIterator
from .partitions import DEFAULT_PARTITIONS_PER_WORKER, MAX_WORKERS, Plan
from .settings import TransportSettings

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

    from .endpoints import ListEndpoint

__all__ = ["FetchLane", "WorkerClient", "to_dask"]

DASK_EXTRA_MESSAGE = (
    "to_dask() needs dask, which is not installed: pip install 'cmsdials[dask]' "
    "(dask[dataframe,distributed])"
)


def _dask_dataframe() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError:
        raise ImportError(DASK_EXTRA_MESSAGE) from None
    return dd


@dataclass(frozen=True, repr=False)
class WorkerClient:
    """What a Dask worker needs to build the endpoint: its class, settings and credentials."""

    #: The endpoint's class, called as ``endpoint_class(credentials, settings=settings)``.
    endpoint_class: Callable[..., Any]
    settings: TransportSettings
    #: Builds the credentials on the worker (``None``: none).
    credentials: Callable[[], Any] | None
    #: One client per configuration and worker process (credentials refresh there).
    key: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __repr__(self) -> str:
        return (
            f"WorkerClient(base_url={self.settings.base_url!r}, credentials={self.credentials!r})"
        )

    def __dask_tokenize__(self) -> Any:
        return ("cmsdials.WorkerClient", self.key)

    def endpoint(self) -> ListEndpoint[Any, Any]:
        with _ENDPOINTS_LOCK:
            found = _ENDPOINTS.get(self.key)
            if found is None:
                creds = None if self.credentials is None else self.credentials()
                found = _ENDPOINTS[self.key] = self.endpoint_class(creds, settings=self.settings)
            endpoint: ListEndpoint[Any, Any] = found
            return endpoint


_ENDPOINTS: dict[str, Any] = {}
_ENDPOINTS_LOCK = threading.Lock()


@dataclass(frozen=True, repr=False)
class FetchLane:
    """The function of every Dask partition: every page of lane ``index``, as a DataFrame."""

    client: WorkerClient
    plan: Plan
    retries: Any = None

    def __call__(self, index: int) -> pd.DataFrame:
        endpoint = self.client.endpoint()
        lane = self.plan.lanes[index]
        rows: list[Any] = []

        def fetch(cursor: str | None) -> Page[Any]:
            return endpoint.fetch_page(self.plan, lane, cursor, retries=self.retries)

        for page in PageIterator(fetch):
            rows.extend(page.results)
        return Page(rows, model=endpoint.model).to_pandas()

    def __repr__(self) -> str:
        return f"FetchLane({self.plan.route!r})"

    def __dask_tokenize__(self) -> Any:
        return ("cmsdials.FetchLane", self.plan.route, repr(sorted(self.plan.query.items())))


def worker_credentials(auth: object, owner: str) -> Callable[[], Any] | None:
    """How the credentials ``auth`` are built on a worker (they say it), else a TypeError."""
    if auth is None:
        return None
    for_worker = getattr(auth, "for_worker", None)
    recipe = for_worker() if callable(for_worker) else None
    if recipe is None:
        raise TypeError(
            f"{owner}: {type(auth).__name__} cannot be rebuilt on a Dask worker from "
            "data: pass credentials=, a picklable zero-argument function returning the "
            "credentials on the worker (e.g. from the shared cache file)"
        )
    built: Callable[[], Any] = recipe
    return built


def to_dask(
    endpoint: ListEndpoint[Any, Any],
    filters: Any,
    *,
    partitions_hint: int,
    retries: Any,
    credentials: Callable[[], Any] | None,
) -> dd.DataFrame:
    dask_df = _dask_dataframe()
    owner = f"{endpoint.name}.to_dask()"
    if isinstance(partitions_hint, bool) or not isinstance(partitions_hint, int):
        raise TypeError(f"{owner}: partitions must be an int, not {partitions_hint!r}")
    if partitions_hint < 1:
        raise ValueError(f"{owner}: partitions must be at least 1, not {partitions_hint}")
    if credentials is not None and not callable(credentials):
        raise TypeError(f"{owner}: credentials must be a zero-argument callable or None")
    settings = endpoint.transport.settings
    if not isinstance(settings.verify, bool | str | os.PathLike):
        raise TypeError(
            f"{owner}: verify= must be True/False or a CA file path to travel to Dask "
            "workers (an ssl.SSLContext cannot)"
        )
    if credentials is None:
        credentials = worker_credentials(endpoint.transport.http.auth, owner)
    workers = min(MAX_WORKERS, max(1, partitions_hint // DEFAULT_PARTITIONS_PER_WORKER))
    plan = endpoint.plan(filters, workers=workers, parts=partitions_hint, retries=retries)
    func = FetchLane(WorkerClient(type(endpoint), settings, credentials), plan, retries)
    meta = Page([], model=endpoint.model).to_pandas()
    import dask

    # Dask would turn every object column into strings (convert-string): the histograms'
    # ``data`` lists too. The rows' columns stay as to_pandas() makes them.
    with dask.config.set({"dataframe.convert-string": False}):
        frame: dd.DataFrame = dask_df.from_map(
            func,
            list(range(len(plan.lanes))),
            meta=meta,
            label=f"dials-{endpoint.name}",
            enforce_metadata=False,
        )
    return frame
