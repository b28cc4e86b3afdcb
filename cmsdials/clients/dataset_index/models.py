"""Classic import path of the ``dataset_index`` rows, pages and filters (aliases only)."""

from typing import TYPE_CHECKING, TypeAlias

from ...filters import DatasetIndexFilters
from ...models import DatasetIndex
from ...pagination import Page

# The classic page class of this group: a Page of its rows (``Page`` itself at run
# time, so that isinstance() works; ``Page[DatasetIndex]`` for type checkers).
if TYPE_CHECKING:
    PaginatedDatasetIndexList: TypeAlias = Page[DatasetIndex]
else:
    PaginatedDatasetIndexList = Page

__all__ = ["DatasetIndex", "DatasetIndexFilters", "PaginatedDatasetIndexList"]
