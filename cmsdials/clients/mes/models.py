"""Classic import path of the ``mes`` rows, pages and filters (aliases only)."""

from ...filters import MEFilters
from ...models import MinifiedMonitoringElement, MonitoringElement

__all__ = ["MEFilters", "MinifiedMonitoringElement", "MonitoringElement"]
