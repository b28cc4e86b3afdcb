"""Classic import path of the ``run`` rows, pages and filters (aliases only)."""

from ...filters import RunFilters
from ...models import Run
from ...pagination import Page

#: The classic page class of this group: a :class:`~cmsdials.pagination.Page`.
PaginatedRunList = Page

__all__ = ["PaginatedRunList", "Run", "RunFilters"]
