"""Classic import path: ``cmsdials.clients.h1d.client.LumisectionHistogram1DClient``."""

from ...endpoints import LumisectionHistogram1DClient

__all__ = ["LumisectionHistogram1DClient"]
