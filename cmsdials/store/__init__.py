"""The on-disk store: big pulls that survive kills and batch boundaries, kept between runs.

``dials.<group>.store(filters, path, workers=1, shard=None, refresh="incomplete",
enable_progress=None)`` pulls into the folder ``path`` what it lacks of
``filters``'s rows and returns a :class:`StoredPull` (``to_pandas()``,
``to_arrow()``, ``to_dask()``, ``to_numpy()``, ``.stats``, ``.complete``).
``cmsdials.store.open(path)`` reads a store back without credentials or network.
``list_all(filters, cache=True)`` keeps pulls in the user's cache folder
(:func:`cache_dir`).

The data are Apache Parquet files, one per partition (monitoring element and
run, for histograms), that pandas, polars, duckdb and Dask read without
cmsdials; see :mod:`cmsdials.store.layout` for the folder and
:mod:`cmsdials.store.pull` for how a pull runs. Needs pyarrow:
``pip install 'cmsdials[store]'``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .layout import FORMAT_VERSION

if TYPE_CHECKING:
    from .pull import PullStats
    from .read import Store, StoredPull

__all__ = ["FORMAT_VERSION", "PullStats", "Store", "StoredPull", "cache_dir", "open"]

#: Overrides the user's cache folder (the store lives in its ``store/`` subfolder).
CACHE_ENV = "CMSDIALS_CACHE_DIR"


def cache_dir() -> Path:
    """The folder of ``list_all(cache=True)``'s stores: ``$CMSDIALS_CACHE_DIR/store``, or
    ``store`` in the platform's user cache folder (``~/.cache/cmsdials`` on Linux)."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override) / "store"
    try:
        import platformdirs
    except ImportError:
        raise ImportError(
            "list_all(cache=True) needs platformdirs, which is not installed: "
            "pip install 'cmsdials[store]'"
        ) from None
    return Path(platformdirs.user_cache_dir("cmsdials", appauthor=False)) / "store"


def open(path: str | os.PathLike[str]) -> Store:
    """The store at ``path`` (or a folder of stores, such as :func:`cache_dir`), read-only
    as far as DIALS goes: no credentials, no network."""
    from .read import Store

    return Store(path)


def __getattr__(name: str) -> Any:
    if name in ("Store", "StoredPull"):
        from . import read

        return getattr(read, name)
    if name == "PullStats":
        from .pull import PullStats

        return PullStats
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
