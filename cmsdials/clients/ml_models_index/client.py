"""Classic import path: ``cmsdials.clients.ml_models_index.client.MLModelsIndexClient``."""

from ...endpoints import MLModelsIndexClient

__all__ = ["MLModelsIndexClient"]
