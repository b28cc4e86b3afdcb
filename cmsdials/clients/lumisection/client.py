"""Classic import path: ``cmsdials.clients.lumisection.client.LumisectionClient``."""

from ...endpoints import LumisectionClient

__all__ = ["LumisectionClient"]
