"""Classic import path: ``cmsdials.clients.mes.client.MonitoringElementClient``."""

from ...endpoints import MonitoringElementClient

__all__ = ["MonitoringElementClient"]
