"""Classic import path of the ``oms_proxy`` rows, pages and filters (aliases only)."""

from ...filters import OMSFilter, OMSPage

__all__ = ["OMSFilter", "OMSPage"]
