"""Classic import path of the ``run`` rows, pages and filters (aliases only)."""

from typing import TYPE_CHECKING, TypeAlias

from ...filters import RunFilters
from ...models import Run
from ...pagination import Page

# The classic page class of this group: a Page of its rows (``Page`` itself at run
# time, so that isinstance() works; ``Page[Run]`` for type checkers).
if TYPE_CHECKING:
    PaginatedRunList: TypeAlias = Page[Run]
else:
    PaginatedRunList = Page

__all__ = ["PaginatedRunList", "Run", "RunFilters"]
