"""Classic import path of the ``h1d`` rows, pages and filters (aliases only)."""

from typing import TYPE_CHECKING, TypeAlias

from ...filters import LumisectionHistogram1DFilters
from ...models import LumisectionHistogram1D
from ...pagination import Page

# The classic page class of this group: a Page of its rows (``Page`` itself at run
# time, so that isinstance() works; ``Page[LumisectionHistogram1D]`` for type checkers).
if TYPE_CHECKING:
    PaginatedLumisectionHistogram1DList: TypeAlias = Page[LumisectionHistogram1D]
else:
    PaginatedLumisectionHistogram1DList = Page

__all__ = [
    "LumisectionHistogram1D",
    "LumisectionHistogram1DFilters",
    "PaginatedLumisectionHistogram1DList",
]
