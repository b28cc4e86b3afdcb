"""Classic import path of the ``lumisection`` rows, pages and filters (aliases only)."""

from typing import TYPE_CHECKING, TypeAlias

from ...filters import LumisectionFilters
from ...models import Lumisection
from ...pagination import Page

# The classic page class of this group: a Page of its rows (``Page`` itself at run
# time, so that isinstance() works; ``Page[Lumisection]`` for type checkers).
if TYPE_CHECKING:
    PaginatedLumisectionList: TypeAlias = Page[Lumisection]
else:
    PaginatedLumisectionList = Page

__all__ = ["Lumisection", "LumisectionFilters", "PaginatedLumisectionList"]
