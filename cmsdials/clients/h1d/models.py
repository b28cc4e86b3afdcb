"""Classic import path of the ``h1d`` rows, pages and filters (aliases only)."""

from ...filters import LumisectionHistogram1DFilters
from ...models import LumisectionHistogram1D
from ...pagination import Page

#: The classic page class of this group: a :class:`~cmsdials.pagination.Page`.
PaginatedLumisectionHistogram1DList = Page

__all__ = [
    "LumisectionHistogram1D",
    "LumisectionHistogram1DFilters",
    "PaginatedLumisectionHistogram1DList",
]
