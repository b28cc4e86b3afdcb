"""Classic import path: ``cmsdials.clients.ml_bad_lumisection.client.MLBadLumisectionClient``."""

from ...endpoints import MLBadLumisectionClient

__all__ = ["MLBadLumisectionClient"]
