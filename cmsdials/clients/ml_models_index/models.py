"""Classic import path of the ``ml_models_index`` rows, pages and filters (aliases only)."""

from typing import TYPE_CHECKING, TypeAlias

from ...filters import MLModelsIndexFilters
from ...models import MLModelsIndex
from ...pagination import Page

# The classic page class of this group: a Page of its rows (``Page`` itself at run
# time, so that isinstance() works; ``Page[MLModelsIndex]`` for type checkers).
if TYPE_CHECKING:
    PaginatedMLModelsIndexList: TypeAlias = Page[MLModelsIndex]
else:
    PaginatedMLModelsIndexList = Page

__all__ = ["MLModelsIndex", "MLModelsIndexFilters", "PaginatedMLModelsIndexList"]
