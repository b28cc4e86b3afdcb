"""Classic import path of the ``dataset_index`` rows, pages and filters (aliases only)."""

from ...filters import DatasetIndexFilters
from ...models import DatasetIndex
from ...pagination import Page

#: The classic page class of this group: a :class:`~cmsdials.pagination.Page`.
PaginatedDatasetIndexList = Page

__all__ = ["DatasetIndex", "DatasetIndexFilters", "PaginatedDatasetIndexList"]
