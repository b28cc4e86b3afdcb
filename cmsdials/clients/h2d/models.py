"""Classic import path of the ``h2d`` rows, pages and filters (aliases only)."""

from ...filters import LumisectionHistogram2DFilters
from ...models import LumisectionHistogram2D
from ...pagination import Page

#: The classic page class of this group: a :class:`~cmsdials.pagination.Page`.
PaginatedLumisectionHistogram2DList = Page

__all__ = [
    "LumisectionHistogram2D",
    "LumisectionHistogram2DFilters",
    "PaginatedLumisectionHistogram2DList",
]
