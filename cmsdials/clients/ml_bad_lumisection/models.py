"""Classic import path of the ``ml_bad_lumisection`` rows, pages and filters (aliases only)."""

from typing import TYPE_CHECKING, TypeAlias

from ...filters import MLBadLumisectionFilters
from ...models import MLBadLumisection
from ...pagination import Page

# The classic page class of this group: a Page of its rows (``Page`` itself at run
# time, so that isinstance() works; ``Page[MLBadLumisection]`` for type checkers).
if TYPE_CHECKING:
    PaginatedMLBadLumisectionList: TypeAlias = Page[MLBadLumisection]
else:
    PaginatedMLBadLumisectionList = Page

__all__ = ["MLBadLumisection", "MLBadLumisectionFilters", "PaginatedMLBadLumisectionList"]
