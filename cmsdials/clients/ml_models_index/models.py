"""Classic import path of the ``ml_models_index`` rows, pages and filters (aliases only)."""

from ...filters import MLModelsIndexFilters
from ...models import MLModelsIndex
from ...pagination import Page

#: The classic page class of this group: a :class:`~cmsdials.pagination.Page`.
PaginatedMLModelsIndexList = Page

__all__ = ["MLModelsIndex", "MLModelsIndexFilters", "PaginatedMLModelsIndexList"]
