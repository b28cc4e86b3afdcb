"""Classic import path of the ``file_index`` rows, pages and filters (aliases only)."""

from typing import TYPE_CHECKING, TypeAlias

from ...filters import FileIndexFilters
from ...models import FileIndex
from ...pagination import Page

# The classic page class of this group: a Page of its rows (``Page`` itself at run
# time, so that isinstance() works; ``Page[FileIndex]`` for type checkers).
if TYPE_CHECKING:
    PaginatedFileIndexList: TypeAlias = Page[FileIndex]
else:
    PaginatedFileIndexList = Page

__all__ = ["FileIndex", "FileIndexFilters", "PaginatedFileIndexList"]
