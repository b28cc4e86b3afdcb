"""``Dials``: the entry point, one transport shared by every endpoint group."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import httpx

from .adapter import low_level_client
from .endpoints import OMSProxyClient, WorkspaceClient, client_class
from .exceptions import DialsError, WorkspaceNotFoundError
from .groups import GROUPS
from .settings import RetriesType, TransportOptions, TransportSettings
from .transport import Transport, as_httpx_auth

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping, Sequence

    from typing_extensions import Unpack

    from ._typed.clients import Groups
    from .adapter import LowLevelClient
    from .filters import Filters
    from .histograms import HistogramSet
else:
    Groups = object  # what type checkers see of the groups: cmsdials/_typed (make regen)

__all__ = ["Dials"]


class Dials(Groups):
    """The DIALS API: ``dials.h1d.list_all(...)``, ``dials.run.get(...)``, ...

    ``creds`` are credentials of :mod:`cmsdials.auth` (or any ``httpx.Auth``, or
    classic-style credentials with ``before_request(headers)``). ``workspace``
    is sent as the ``Workspace`` header of every request; ``base_url``,
    ``route`` and ``version`` point at another DIALS (a local one). One pooled
    HTTP client serves every sub-client: ``close()`` it, or use ``with``.
    ``timeout`` (seconds) and ``retries`` (an ``int`` or ``urllib3.util.Retry``)
    set the defaults of every request; each call also takes ``retries=``.
    ``verify`` checks the server's certificate against the system's trust store
    (``True``), a CA bundle file (e.g. a local DIALS's ``srv.ca_file``) or an
    ``ssl.SSLContext``. ``proxy`` is a forward proxy for every request (by
    default, the environment's ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY``/
    ``NO_PROXY``). Every value is checked here (a ``ValueError`` naming the
    argument), not at the first request; ``settings=`` takes them all as one
    :class:`~cmsdials.settings.TransportSettings` instead. ``http_client`` sends
    every request through your own ``httpx.Client`` (its connections, TLS and
    proxies; you close it).

    ``dials.api`` is the generated low-level client (``cmsdials_api``), sharing
    all of this: ``list_run.sync_detailed(client=dials.api, ...)``.
    """

    def __init__(
        self,
        creds: object,
        workspace: str | None = None,
        base_url: str | None = None,
        route: str | None = None,
        version: str | None = None,
        *,
        settings: TransportSettings | None = None,
        http_client: httpx.Client | None = None,
        **options: Unpack[TransportOptions],
    ) -> None:
        settings = TransportSettings.of(settings, base_url, route, version, workspace, **options)
        self.transport = Transport(settings, auth=as_httpx_auth(creds), http_client=http_client)
        shared = self.transport
        for g in GROUPS:
            client = client_class(g.attribute)(transport=shared)
            for attribute in (g.attribute, *g.aliases):
                setattr(self, attribute, client)
        self.oms = OMSProxyClient(transport=shared)
        self.workspace = WorkspaceClient(transport=shared)
        self.transport.explain = self._explain
        self._explaining = False

    def _explain(self, error: DialsError) -> DialsError:
        """An unknown workspace: name the valid ones (one request, without the header)."""
        if not isinstance(error, WorkspaceNotFoundError) or self._explaining:
            return error
        self._explaining = True
        try:
            names = self.workspace.names()
        except DialsError:
            return error
        finally:
            self._explaining = False
        return error.with_workspaces(names) if names else error

    @functools.cached_property
    def api(self) -> LowLevelClient:
        """The generated client (``cmsdials_api``) over this client's connections,
        credentials, ``Workspace``, deadline and retries."""
        transport = self.transport
        return low_level_client(transport.low_level_http_client(), transport.base_url)

    def histograms(
        self,
        mes: Sequence[str | int] | str | int,
        filters: Filters | Mapping[str, Any] | None = None,
        *,
        workers: int = 1,
        cache: bool | str | os.PathLike[str] | None = None,
        enable_progress: bool | None = None,
        retries: RetriesType = None,
        timeout: float | None = None,
    ) -> HistogramSet:
        """Several monitoring elements (names or ids) at once, each from ``h1d`` or ``h2d``
        as DIALS's ME list says, fetched concurrently within ``workers``: a
        :class:`~cmsdials.histograms.HistogramSet` (ME → stacked histograms), aligned on
        lumisections with ``.aligned()``. ``filters``: those both routes take
        (``run_number__gte``, ``dataset_id``, ...). ``cache=True`` (or a folder) goes
        through the on-disk store (``pip install 'cmsdials[store]'``). See
        :mod:`cmsdials.histograms`."""
        from .histograms import fetch_histograms

        return fetch_histograms(
            self,
            mes,
            filters,
            workers=workers,
            cache=cache,
            enable_progress=enable_progress,
            retries=retries,
            timeout=timeout,
        )

    def close(self) -> None:
        """Release the pooled connections."""
        self.transport.close()

    def __enter__(self) -> Dials:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"Dials(base_url={self.transport.base_url!r}, workspace={self.transport.workspace!r})"
        )
