"""Classic import path of the page and filter base classes (aliases only)."""

from ..filters import Filters
from ..pagination import Page

PaginatedBaseModel = Page
CleanableBaseModel = Filters
PaginatedBaseFilters = Filters

__all__ = ["CleanableBaseModel", "PaginatedBaseFilters", "PaginatedBaseModel"]
