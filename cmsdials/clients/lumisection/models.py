"""Classic import path of the ``lumisection`` rows, pages and filters (aliases only)."""

from ...filters import LumisectionFilters
from ...models import Lumisection
from ...pagination import Page

#: The classic page class of this group: a :class:`~cmsdials.pagination.Page`.
PaginatedLumisectionList = Page

__all__ = ["Lumisection", "LumisectionFilters", "PaginatedLumisectionList"]
