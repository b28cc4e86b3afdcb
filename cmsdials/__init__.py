"""cmsdials: the Python client of CMS DIALS.

>>> from cmsdials import Dials                      # doctest: +SKIP
>>> dials = Dials(creds, workspace="tracker")       # doctest: +SKIP
>>> dials.h1d.list_all(LumisectionHistogram1DFilters(me="..."), max_pages=5)  # doctest: +SKIP
"""

from ._version import __version__
from .cmsdials import Dials

__all__ = ["Dials", "__version__"]
