"""Classic import path: ``cmsdials.clients.h2d.client.LumisectionHistogram2DClient``."""

from ...endpoints import LumisectionHistogram2DClient

__all__ = ["LumisectionHistogram2DClient"]
