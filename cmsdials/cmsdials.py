"""``Dials``: the entry point, one transport shared by every endpoint group."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .endpoints import OMSProxyClient, WorkspaceClient, client_class
from .groups import GROUPS
from .settings import TransportOptions, TransportSettings
from .transport import Transport, as_httpx_auth

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._typed.clients import Groups
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
    ``ssl.SSLContext``. Every value is checked here (a ``ValueError`` naming the
    argument), not at the first request; ``settings=`` takes them all as one
    :class:`~cmsdials.settings.TransportSettings` instead.
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
        **options: Unpack[TransportOptions],
    ) -> None:
        settings = TransportSettings.of(settings, base_url, route, version, workspace, **options)
        self.transport = Transport(settings, auth=as_httpx_auth(creds))
        shared = self.transport
        for g in GROUPS:
            client = client_class(g.attribute)(transport=shared)
            for attribute in (g.attribute, *g.aliases):
                setattr(self, attribute, client)
        self.oms = OMSProxyClient(transport=shared)
        self.workspace = WorkspaceClient(transport=shared)

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
