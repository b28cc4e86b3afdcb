"""Classic import path: ``cmsdials.clients.run.client.RunClient``."""

from ...endpoints import RunClient

__all__ = ["RunClient"]
