"""Classic import path: ``cmsdials.clients.file_index.client.FileIndexClient``."""

from ...endpoints import FileIndexClient

__all__ = ["FileIndexClient"]
