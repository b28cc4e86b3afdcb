"""Classic import path of the ``ml_bad_lumisection`` rows, pages and filters (aliases only)."""

from ...filters import MLBadLumisectionFilters
from ...models import MLBadLumisection
from ...pagination import Page

#: The classic page class of this group: a :class:`~cmsdials.pagination.Page`.
PaginatedMLBadLumisectionList = Page

__all__ = ["MLBadLumisection", "MLBadLumisectionFilters", "PaginatedMLBadLumisectionList"]
