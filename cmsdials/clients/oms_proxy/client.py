"""Classic import path: ``cmsdials.clients.oms_proxy.client.OMSProxyClient``."""

from ...endpoints import OMSProxyClient

__all__ = ["OMSProxyClient"]
