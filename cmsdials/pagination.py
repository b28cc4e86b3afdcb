"""Pages and cursor pagination: :class:`Page`, the page and item iterators, ``list_all``.

DIALS paginates with an opaque cursor: each page carries ``next``, an absolute
URL whose ``next_token`` query parameter asks for the following page (``None``
on the last page). This module is the one that knows it: the cursor parameter,
reading a token from a ``next`` URL, putting it into a query
(:func:`with_cursor`), and reading a page or a plain list answer
(:func:`page_parts`). Everything else is generic; the endpoints hand in a
``fetch(cursor) -> Page`` function.

* :class:`PageIterator` walks the pages (one in memory at a time); its
  ``next`` is the URL of the first page not fetched yet, so an interrupted walk
  can be resumed exactly there.
* :class:`ItemIterator` yields the rows of those pages, at constant memory.
* :func:`collect` is ``list_all``: it drains a :class:`PageIterator` into one
  :class:`Page`, with the classic's ``keep_failed`` / ``resume_from``
  semantics and progress bar.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import parse_qs, urlsplit

from .exceptions import DialsCursorLoopError, DialsDecodeError, DialsError, Interrupted
from .models import model_dump
from .progress import progress
from .transport import encode_query

if TYPE_CHECKING:
    from typing import Literal

    import pandas as pd
    from matplotlib.axes import Axes

    from .arrays import Histograms
    from .lumi import LumiMask

__all__ = [
    "CURSOR_PARAM",
    "PAGINATION_PARAMS",
    "ItemIterator",
    "Page",
    "PageIterator",
    "collect",
    "cursor_token",
    "is_paginated",
    "next_token_of",
    "page_parts",
    "split_cursor",
    "with_cursor",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Fetches one page: given the cursor token (``None`` for the first page).
Fetch = Callable[[str | None], "Page[T]"]

#: The query parameter of DIALS's cursor.
CURSOR_PARAM = "next_token"
#: Query parameters that steer pagination rather than select rows.
PAGINATION_PARAMS = frozenset({CURSOR_PARAM, "page_size", "fields"})


class Page(Generic[T]):
    """A page of results, or everything ``list_all`` collected.

    ``results`` holds the rows (the generated models, or plain dicts when the
    request named ``fields``); ``next`` / ``previous`` are DIALS's cursor URLs.
    After ``list_all(..., keep_failed=True)`` hit an error, ``exc_type`` and
    ``exc_formatted`` describe it and ``next`` points at the first page not
    fetched (``None`` if no page was fetched): pass the page back as
    ``resume_from=`` to continue there.
    """

    __slots__ = ("exc_formatted", "exc_type", "model", "next", "previous", "results", "state")

    results: list[T]
    next: str | None
    previous: str | None
    exc_type: str | None
    exc_formatted: str | None
    model: type[Any] | None
    #: A partitioned walk's state (``workers=N``; :mod:`cmsdials.partitions`), else ``None``.
    state: Any

    def __init__(
        self,
        results: list[T],
        next: str | None = None,
        previous: str | None = None,
        exc_type: str | None = None,
        exc_formatted: str | None = None,
        *,
        model: type[Any] | None = None,
        state: Any = None,
    ) -> None:
        self.results = results
        self.next = next
        self.previous = previous
        self.exc_type = exc_type
        self.exc_formatted = exc_formatted
        self.model = model  # the row class: the DataFrame's columns when there is no row
        self.state = state

    def __repr__(self) -> str:
        failed = f", exc_type={self.exc_type!r}" if self.exc_type else ""
        if self.state is not None:
            failed += f", state={self.state!r}"
        return (
            f"Page(<{len(self.results)} results>, next={self.next!r}, "
            f"previous={self.previous!r}{failed})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Page):
            return NotImplemented
        return (
            self.results == other.results
            and self.next == other.next
            and self.previous == other.previous
            and self.exc_type == other.exc_type
            and self.exc_formatted == other.exc_formatted
        )

    __hash__ = None  # type: ignore[assignment]

    def model_dump(self) -> dict[str, Any]:
        """The page as plain data (rows as dicts), like the classic pydantic page's."""
        return {
            "next": self.next,
            "previous": self.previous,
            "results": [model_dump(row) for row in self.results],
            "exc_type": self.exc_type,
            "exc_formatted": self.exc_formatted,
        }

    def to_pandas(self) -> pd.DataFrame:
        """The results as a DataFrame: one column per field, one row per result.

        Columns follow DIALS's schema (the order of the JSON it sends): every
        field the spec requires, each optional one that some row has (a field
        the route never sends gets no all-``None`` column), then any field the
        server added. An empty page has a column for every spec field.
        Timestamps are ``datetime64[ns, UTC]``; histogram ``data`` stays a list
        in each cell. Rows fetched with ``fields=`` (plain dicts) give one column
        per returned field. Needs pandas: ``pip install 'cmsdials[pandas]'``.
        """
        try:
            import pandas as pd
        except ImportError:
            raise ImportError(
                "to_pandas() needs pandas, which is not installed: pip install 'cmsdials[pandas]'"
            ) from None
        rows = self.results
        fields: Mapping[str, Any] | None = getattr(self.model, "model_fields", None)
        if fields is None or (rows and not isinstance(rows[0], self.model)):  # type: ignore[arg-type]
            frame: pd.DataFrame = pd.DataFrame([model_dump(row) for row in rows])
            return frame
        # Each row's __dict__ is the object DIALS sent: the spec's fields in the
        # schema's order, then any field the server added (tolerant rows).
        sent: dict[str, None] = {}  # every key some row has, in order of appearance
        expected = fields.keys()
        complete = False  # sent has every spec field already
        for row in rows:
            keys = row.__dict__.keys()
            if complete and keys == expected:
                continue
            sent.update(dict.fromkeys(keys))
            complete = expected <= sent.keys()
        if rows:
            names = [n for n, f in fields.items() if getattr(f, "required", True) or n in sent]
        else:
            names = list(fields)
        known = set(fields)
        names.extend(k for k in sent if k not in known)
        data: dict[str, list[Any]] = {
            name: [row.__dict__.get(name) for row in rows] for name in names
        }
        frame = pd.DataFrame(data, columns=names)
        return frame

    def to_numpy(self) -> Histograms:
        """The histogram rows as arrays: stacked bins, bin edges, aligned key columns.

        ``values`` is ``(n, x_bin)`` (h1d) or ``(n, y_bin, x_bin)`` (h2d),
        float64; see :mod:`cmsdials.arrays`. Needs numpy
        (``pip install 'cmsdials[numpy]'``; the pandas extra brings it).
        """
        from .arrays import histograms

        return histograms(self.results)

    def to_hist(self) -> Any:
        """The histogram rows as one ``hist.Hist``: ``to_numpy().to_hist()`` (a
        ``lumisection`` axis, then ``x`` and ``y``; see :mod:`cmsdials.derived`).
        Needs ``pip install 'cmsdials[hist]'``."""
        return self.to_numpy().to_hist()

    def select(self, mask: LumiMask) -> Page[T]:
        """A page of the rows whose (run_number, ls_number) is in ``mask``, in their order
        (the same ``next``/``previous``); see :mod:`cmsdials.lumi`."""
        return Page(mask.select(self.results), self.next, self.previous, model=self.model)

    def plot(
        self,
        *,
        ax: Axes | None = None,
        index: int | None = None,
        reduce: Literal["sum"] | None = None,
        me: str | None = None,
        run_number: int | None = None,
        dataset_id: int | None = None,
        bad: Any = None,
        **kwargs: Any,
    ) -> Axes:
        """Draw the histogram rows; returns the matplotlib ``Axes`` drawn on (``ax=``, else
        a new figure's).

        A page of 1D rows of one ME and run: a lumisection x bin heat map, ``bad=``
        overlaying ``ml_bad_lumis`` rows, ``cert_json`` output, a ``LumiMask`` or
        lumisection numbers;
        ``index=i``: the i-th row alone; ``reduce="sum"``: their sum (for a page of 2D
        rows, one of the two is needed). ``me=`` / ``run_number=`` / ``dataset_id=``
        keep the rows that have it. ``kwargs`` go to matplotlib. See
        :mod:`cmsdials.plotting`. Needs matplotlib: ``pip install 'cmsdials[plot]'``.
        """
        from .plotting import plot_page

        return plot_page(
            self.results,
            ax=ax,
            index=index,
            reduce=reduce,
            me=me,
            run_number=run_number,
            dataset_id=dataset_id,
            bad=bad,
            **kwargs,
        )

    def _repr_html_(self) -> str:
        """Notebooks: the count, the ``next`` state and the first rows, bins summarised."""
        from .plotting import page_html

        return page_html(self)


def next_token_of(url: str) -> str:
    """The ``next_token`` of a DIALS ``next`` URL."""
    tokens = parse_qs(urlsplit(url).query).get(CURSOR_PARAM)
    if not tokens:
        raise DialsError(f"the server's next page URL has no next_token: {url}")
    return tokens[-1]


def cursor_token(cursor: str | None) -> str | None:
    """The token of a cursor given as a page's ``next`` URL or as the token itself."""
    if cursor is not None and ("?" in cursor or f"{CURSOR_PARAM}=" in cursor):
        return next_token_of(cursor)
    return cursor


def split_cursor(query: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """``query`` without its cursor, and the cursor it named (``None``: none)."""
    rest = dict(query)
    return rest, rest.pop(CURSOR_PARAM, None)


def with_cursor(query: Mapping[str, Any], cursor: str | None) -> Mapping[str, Any]:
    """The query of the page ``cursor`` names (a ``next`` URL or its token; ``None``:
    the first page, ``query`` itself)."""
    if cursor is None:
        return query
    return {**query, CURSOR_PARAM: cursor_token(cursor)}


def is_paginated(query_names: Iterable[str]) -> bool:
    """Whether a list route with these query parameters takes a cursor."""
    return CURSOR_PARAM in query_names


def page_parts(data: Any, route: str) -> tuple[Any, str | None, str | None]:
    """``(rows, next, previous)`` of a decoded answer: a cursor page or a plain list."""
    if isinstance(data, list):  # a list route without pagination (mes)
        return data, None, None
    if isinstance(data, dict) and "results" in data:
        return data["results"], data.get("next"), data.get("previous")
    raise DialsDecodeError(
        f"{route}: expected a page ({{next, previous, results}}), got "
        f"{type(data).__name__}: {str(data)[:80]!r}"
    )


class PageIterator(Generic[T]):
    """Iterates the pages of a list route, fetching each when it is asked for.

    ``next`` is the URL of the first page not fetched yet (``None`` before the
    first page of a fresh walk, and at the end: see ``done``);
    ``pages_fetched`` counts the pages fetched by this iterator.

    A ``next`` whose cursor was already fetched in this walk would return the
    same rows again, maybe forever: the walk stops with
    :class:`~cmsdials.exceptions.DialsCursorLoopError` instead (``next`` is
    then ``None``: there is nothing to resume).
    """

    def __init__(
        self, fetch: Fetch[T], *, start: str | None = None, max_pages: int | None = None
    ) -> None:
        if max_pages is not None and (
            isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1
        ):
            raise ValueError(f"max_pages must be None or a positive int, not {max_pages!r}")
        self._fetch = fetch
        self._max_pages = max_pages
        self.next: str | None = start
        self.done = False
        self.pages_fetched = 0
        self._seen: set[str | None] = set()

    def __iter__(self) -> PageIterator[T]:
        return self

    @property
    def exhausted(self) -> bool:
        """No page left to fetch in this walk (the end, or ``max_pages``)."""
        return self.done or (self._max_pages is not None and self.pages_fetched >= self._max_pages)

    def __next__(self) -> Page[T]:
        if self.exhausted:
            raise StopIteration
        token = None if self.next is None else next_token_of(self.next)
        if token in self._seen:
            looping, self.next, self.done = self.next, None, True
            raise DialsCursorLoopError(str(looping), self.pages_fetched)
        self._seen.add(token)
        page = self._fetch(token)
        self.pages_fetched += 1
        self.next = page.next
        if page.next is None:
            self.done = True
        return page


class ItemIterator(Generic[T]):
    """Iterates the rows of a :class:`PageIterator`'s pages, one page in memory at a time.

    ``next`` is the cursor URL of the first page not fetched yet (resume with
    ``resume_from=iterator.next`` after an error: the rows of every fetched
    page have been yielded by then).
    """

    def __init__(self, pages: PageIterator[T]) -> None:
        self.pages = pages
        self._rows: Iterator[T] = iter(())

    def __iter__(self) -> ItemIterator[T]:
        return self

    def __next__(self) -> T:
        while True:
            for row in self._rows:
                return row
            # The previous page's rows are released before the next page is fetched.
            self._rows = iter(())
            self._rows = iter(next(self.pages).results)

    @property
    def next(self) -> str | None:
        return self.pages.next

    @property
    def done(self) -> bool:
        return self.pages.done


#: A pull that keeps every row still frees young cyclic garbage every so many pages.
YOUNG_COLLECTION_PAGES = 64

_pause_lock = threading.Lock()
_pausing = 0  # pulls in progress, in every thread
_collector_was_on = False


@contextlib.contextmanager
def rows_kept() -> Iterator[Callable[[], None]]:
    """The cyclic garbage collector paused while a pull keeps every row it reads.

    Each page brings thousands of lists and dicts that all survive; every
    automatic collection would walk them again (and every float in them): about
    a quarter of a pull's CPU, in pauses that hold every worker thread. Instead,
    the function this yields is called once per page and runs a collection of
    the young generation every :data:`YOUNG_COLLECTION_PAGES` pages (whatever
    cycles a retry or another thread leaves behind; each row is walked once). The collector
    is back on when the last pull of the process ends, unless it was off before.
    """
    global _pausing, _collector_was_on
    with _pause_lock:
        if _pausing == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _pausing += 1
    pages = 0

    def page_read() -> None:
        nonlocal pages
        pages += 1
        if pages % YOUNG_COLLECTION_PAGES == 0:
            gc.collect(0)

    try:
        yield page_read
    finally:
        with _pause_lock:
            _pausing -= 1
            if _pausing == 0 and _collector_was_on:
                if gc.get_freeze_count() == 0:  # nobody froze objects (gc.freeze) before us
                    # Every object alive goes to the oldest generation without a walk:
                    # the rows are kept, so only a full collection needs to see them.
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()


def collect(
    pages: PageIterator[T],
    *,
    resume_from: Page[T] | None = None,
    keep_failed: bool = False,
    enable_progress: bool | None = None,
    model: type[Any] | None = None,
) -> Page[T]:
    """Drain ``pages`` into one :class:`Page` (the body of ``list_all``).

    ``resume_from``'s results come first; ``pages`` must start at its ``next``.
    With ``keep_failed``, an error returns what was collected so far, with
    ``exc_type``/``exc_formatted`` set and ``next`` at the page that failed.
    """
    results: list[T] = list(resume_from.results) if resume_from is not None else []
    if resume_from is not None and resume_from.next is None and results:
        warnings.warn(
            "resume_from.next is None while resume_from.results is not empty: "
            "nothing left to fetch, returning its results",
            RuntimeWarning,
            stacklevel=3,
        )
        return Page(results, None, None, model=model)
    bar = progress(enable_progress)
    try:
        with rows_kept() as page_read:
            for page in pages:
                results.extend(page.results)
                page_read()
                if bar is not None:
                    bar.page(rows=len(page.results))
    except KeyboardInterrupt:
        raise interrupted(
            Page(results, pages.next, None, model=model), pages.pages_fetched
        ) from None
    except Exception as exc:
        if not keep_failed:
            raise
        formatted = traceback.format_exc()
        warnings.warn(
            f"a request failed, returning the {len(results)} results fetched so far "
            f"({type(exc).__name__}: {exc}); resume with resume_from=",
            RuntimeWarning,
            stacklevel=3,
        )
        return Page(results, pages.next, None, type(exc).__name__, formatted, model=model)
    finally:
        if bar is not None:
            bar.close()
    return Page(results, pages.next, None, model=model)


def interrupted(page: Page[Any], pages_fetched: int) -> Interrupted:
    """Ctrl-C during a walk: a short ``KeyboardInterrupt`` that keeps the rows (``.page``)."""
    return Interrupted(
        f"interrupted after {pages_fetched} pages ({len(page.results)} rows): the rows are on "
        "this exception's .page; list_all(..., resume_from=<it>.page) continues there",
        page,
    )


def classic_max_pages(max_pages: int | None, owner: str, stacklevel: int = 3) -> int | None:
    """``max_pages=0`` meant "no limit" in the classic 2.4.1: ``None``, with a warning."""
    if max_pages == 0 and not isinstance(max_pages, bool) and isinstance(max_pages, int):
        warnings.warn(
            f"{owner}: max_pages=0 means no limit only for compatibility with the classic "
            "client: pass max_pages=None",
            DeprecationWarning,
            stacklevel=stacklevel,
        )
        return None
    return max_pages


def check_resume(url: str, route: str, query: Mapping[str, Any], owner: str) -> None:
    """Refuse a ``resume_from`` whose next page belongs to another route or other filters
    (its cursor would ask this route for rows of another query), before any request."""
    parts = urlsplit(url)
    tail = route.rstrip("/").rsplit("/", 1)[-1]
    theirs = {k: v for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    theirs.pop(CURSOR_PARAM, None)
    ours = parse_qs(encode_query(query), keep_blank_values=True)
    if parts.path.rstrip("/").rsplit("/", 1)[-1] != tail:
        raise ValueError(
            f"{owner}: resume_from is a page of {parts.path}, not of this group's {route}: "
            "resume it with the group (and filters) that made it"
        )
    if theirs != ours:
        differ = sorted(k for k in theirs.keys() | ours.keys() if theirs.get(k) != ours.get(k))
        raise ValueError(
            f"{owner}: resume_from was made with other filters (they differ in "
            f"{', '.join(differ)}): pass the filters it was made with"
        )
