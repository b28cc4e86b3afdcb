"""Classic import path of the ``h2d`` rows, pages and filters (aliases only)."""

from typing import TYPE_CHECKING, TypeAlias

from ...filters import LumisectionHistogram2DFilters
from ...models import LumisectionHistogram2D
from ...pagination import Page

# The classic page class of this group: a Page of its rows (``Page`` itself at run
# time, so that isinstance() works; ``Page[LumisectionHistogram2D]`` for type checkers).
if TYPE_CHECKING:
    PaginatedLumisectionHistogram2DList: TypeAlias = Page[LumisectionHistogram2D]
else:
    PaginatedLumisectionHistogram2DList = Page

__all__ = [
    "LumisectionHistogram2D",
    "LumisectionHistogram2DFilters",
    "PaginatedLumisectionHistogram2DList",
]
