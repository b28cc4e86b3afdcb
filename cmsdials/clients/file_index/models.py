"""Classic import path of the ``file_index`` rows, pages and filters (aliases only)."""

from ...filters import FileIndexFilters
from ...models import FileIndex
from ...pagination import Page

#: The classic page class of this group: a :class:`~cmsdials.pagination.Page`.
PaginatedFileIndexList = Page

__all__ = ["FileIndex", "FileIndexFilters", "PaginatedFileIndexList"]
