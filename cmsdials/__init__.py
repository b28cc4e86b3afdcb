"""cmsdials: the Python client of CMS DIALS.

>>> from cmsdials import Dials                      # doctest: +SKIP
>>> dials = Dials(creds, workspace="tracker")       # doctest: +SKIP
>>> dials.h1d.list_all(LumisectionHistogram1DFilters(me="..."), max_pages=5)  # doctest: +SKIP

``Dials`` is imported on first use, so that ``import cmsdials.auth`` or
``python -m cmsdials.testing`` do not pay for the whole client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .cmsdials import Dials

__all__ = ["Dials", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Dials":
        from .cmsdials import Dials

        return Dials
    raise AttributeError(f"module 'cmsdials' has no attribute {name!r}")
