"""Classic import path: ``cmsdials.clients.dataset_index.client.DatasetIndexClient``."""

from ...endpoints import DatasetIndexClient

__all__ = ["DatasetIndexClient"]
