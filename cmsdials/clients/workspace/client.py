"""Classic import path: ``cmsdials.clients.workspace.client.WorkspaceClient``."""

from ...endpoints import WorkspaceClient

__all__ = ["WorkspaceClient"]
