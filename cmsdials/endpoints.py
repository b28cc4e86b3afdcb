"""The endpoint groups of ``Dials``: one generic implementation, one table of names.

Every group (``h1d``, ``run``, ...) is the same code: :class:`Endpoint`
(``get``; calling the client is ``get``) and :class:`ListEndpoint` (``list``,
``list_all``, ``iter_pages``, ``iter_items``, ``count``). What differs between
groups is data: the route of the group in :mod:`cmsdials.groups`, from which
:mod:`cmsdials.adapter` finds its operations in the generated package (path
parameters, query filters, JSON bodies and row fields included).

An operation the generated package lacks breaks only the methods that need it,
with :class:`~cmsdials.adapter.MissingOperationError` naming it.
"""

from __future__ import annotations

import builtins
import difflib
import logging
import os
import types
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar, overload

from . import adapter
from .exceptions import DialsDecodeError
from .filters import (
    Filters,
    FilterValue,
    MEFilters,
    MLBadLumisectionFilters,
    OMSFilter,
    OMSPage,
    ParamSet,
    body_params,
    converter,
    filters_class,
    query_params,
)
from .groups import GROUPS, Group, group
from .models import (
    DialsModel,
    MinifiedMonitoringElement,
    MLBadLumisection,
    MonitoringElement,
    RowReader,
    group_row_class,
    reader,
)
from .pagination import (
    PAGINATION_PARAMS,
    ItemIterator,
    Page,
    PageIterator,
    check_resume,
    classic_max_pages,
    collect,
    page_parts,
    split_cursor,
    with_cursor,
)
from .partitions import (
    PAGES_AHEAD,
    Lane,
    LaneState,
    PartitionedPages,
    Plan,
    Walk,
    WalkState,
    check_max_pages,
    check_ranges,
    check_workers,
    collect_partitioned,
    key_fields,
    plan,
)
from .settings import PRODUCTION_BASE_URL, RetriesType, TransportOptions, TransportSettings
from .transport import Transport, as_httpx_auth, encode_query

if TYPE_CHECKING:
    import dask.dataframe as dd
    from typing_extensions import Unpack

    from .oms import OMSTable
    from .store import StoredPull

if TYPE_CHECKING:
    from . import _typed as _t

__all__ = [
    "BaseClient",
    "DatasetIndexClient",
    "Endpoint",
    "FileIndexClient",
    "ListEndpoint",
    "LumisectionClient",
    "LumisectionHistogram1DClient",
    "LumisectionHistogram2DClient",
    "MLBadLumisectionClient",
    "MLModelsIndexClient",
    "MonitoringElementClient",
    "OMSProxyClient",
    "RunClient",
    "WorkspaceClient",
    "client_class",
]

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=DialsModel)
F = TypeVar("F", bound=Filters)

#: Filters of a list call; `...` (the README's placeholder) means none.
FiltersArg = Filters | Mapping[str, FilterValue] | types.EllipsisType | None


class BaseClient:
    """Holds the transport: shared (given by ``Dials``) or its own (a standalone client)."""

    #: The attribute name on ``Dials`` (``h1d``), used in messages.
    name: ClassVar[str] = ""
    PRODUCTION_BASE_URL: ClassVar[str] = PRODUCTION_BASE_URL

    def __init__(
        self,
        creds: object = None,
        workspace: str | None = None,
        base_url: str | None = None,
        route: str | None = None,
        version: str | None = None,
        *,
        transport: Transport | None = None,
        settings: TransportSettings | None = None,
        **options: Unpack[TransportOptions],
    ) -> None:
        self._owns_transport = transport is None
        if transport is None:
            settings = TransportSettings.of(
                settings, base_url, route, version, workspace, **options
            )
            transport = Transport(settings, auth=as_httpx_auth(creds))
        self.transport = transport

    def close(self) -> None:
        """Release the connections (of a standalone client; ``Dials.close`` does it for its own)."""
        if self._owns_transport:
            self.transport.close()

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} on {self.transport!r}>"

    def sibling(self, attribute: str) -> ListEndpoint[Any, Any]:
        """The client of the group ``dials.<attribute>`` on this client's transport
        (for code built on a group that needs another, as the store needs ``mes``)."""
        return client_class(attribute)(transport=self.transport)


_C = TypeVar("_C", bound=BaseClient)


class Endpoint(BaseClient, Generic[M]):
    """A group with a retrieve route: ``get(**keys)``; calling the client is ``get``."""

    #: The group in the name table (``cmsdials.groups``).
    group: ClassVar[Group]
    #: The class of the rows (the classic name, e.g. ``LumisectionHistogram1D``).
    model: ClassVar[type[DialsModel]]
    #: Classic keyword names that differ from the spec's (``mes.get(id=)``).
    key_aliases: ClassVar[Mapping[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "group" in cls.__dict__:
            cls.name = cls.group.attribute
            if "model" not in cls.__dict__:
                cls.model = group_row_class(cls.group.attribute)

    @classmethod
    def _operations(cls) -> adapter.GroupOperations:
        return adapter.api().group(cls.group.route)

    @classmethod
    def _require(cls, op: adapter.Operation | None, what: str, route: str) -> adapter.Operation:
        if op is not None:
            return op
        return adapter.api().require(route, what=f"{cls.group.attribute}.{what}()")

    def _retrieve(self) -> adapter.Operation:
        ops = self._operations()
        return self._require(ops.retrieve, "get", ops.route + "{key}/")

    def _key_values(
        self, op: adapter.Operation, args: tuple[Any, ...], keys: Mapping[str, Any], owner: str
    ) -> dict[str, Any]:
        names = [p.wire for p in op.path_params]
        if len(args) > len(names):
            raise TypeError(
                f"{owner} takes {len(names)} keys ({', '.join(names)}), got {len(args)}"
            )
        given: dict[str, Any] = dict(zip(names, args, strict=False))
        for name, value in keys.items():
            name = self.key_aliases.get(name, name)
            if name not in names and len(names) == 1 and (name,) == key_fields(self._operations()):
                name = names[0]  # the rows' key under the route's name (DRF's pk: id = model_id)
            if name not in names:
                close = difflib.get_close_matches(name, names, n=2)
                hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
                raise TypeError(
                    f"{owner} got an unknown key {name!r}{hint} (keys: {', '.join(names)})"
                )
            if name in given:
                raise TypeError(f"{owner} got {name!r} twice")
            given[name] = value
        missing = [n for n in names if n not in given]
        if missing:
            raise TypeError(f"{owner} missing {', '.join(missing)} (keys: {', '.join(names)})")
        return {
            p.wire: converter(p.kind)(f"{owner}: {p.wire}", given[p.wire]) for p in op.path_params
        }

    def _reader(self, op: adapter.Operation, cls: type[DialsModel] | None = None) -> RowReader:
        return _reader_for(cls or self.model, op)

    def get(
        self,
        *args: int | str,
        retries: RetriesType = None,
        timeout: float | None = None,
        **keys: int | str,
    ) -> M:
        """The object with these keys (the spec's path parameters, e.g. ``dataset_id=``).

        ``timeout`` (seconds) caps this call, retries included (default: the client's).
        """
        op = self._retrieve()
        path = self._key_values(op, args, keys, f"{self.name}.get()")
        data = self.transport.request(op, path=path, retries=retries, timeout=timeout).json()
        row: M = self._reader(op).one(data)
        return row

    def __call__(
        self,
        *args: int | str,
        retries: RetriesType = None,
        timeout: float | None = None,
        **keys: int | str,
    ) -> M:
        return self.get(*args, retries=retries, timeout=timeout, **keys)


_READERS: dict[tuple[int, adapter.Operation], RowReader] = {}


def _reader_for(cls: type[DialsModel], op: adapter.Operation) -> RowReader:
    """The (cached) row reader of ``cls`` for the answers of ``op``."""
    key = (id(cls), op)
    found = _READERS.get(key)
    if found is None:
        found = _READERS[key] = reader(cls, f"{op.method} {op.path}")
    return found


class ListEndpoint(Endpoint[M], Generic[M, F]):
    """A group with a list route: cursor-paginated (or a plain list, as ``mes``)."""

    filters_class: ClassVar[type[Filters]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "group" in cls.__dict__ and "filters_class" not in cls.__dict__:
            cls.filters_class = filters_class(cls.group.attribute)

    @property
    def operations(self) -> adapter.GroupOperations:
        """The group's operations in the generated package (list, retrieve, count, ...)."""
        return self._operations()

    @property
    def list_operation(self) -> adapter.Operation:
        """The list operation (its query parameters and row shape); a
        :class:`~cmsdials.exceptions.MissingOperationError` when DIALS's spec lacks it."""
        return self._list_operation()

    def checked_query(self, filters: F | FiltersArg, owner: str) -> dict[str, Any]:
        """``filters`` as the list route's wire query, checked (no request); ``owner``
        names the call in error messages."""
        return self._query(filters, self._list_operation(), owner)

    def _list_operation(self) -> adapter.Operation:
        ops = self._operations()
        return self._require(ops.list, "list", ops.route)

    # -- the checked query --------------------------------------------------
    def _values(self, filters: FiltersArg, owner: str) -> dict[str, Any]:
        """Filters → checked wire-named values (before any request)."""
        if filters is None or filters is Ellipsis:  # the README's placeholder `list_all(...)`
            return {}
        if isinstance(filters, Filters):  # any class: checked against this route below
            return filters.model_dump(exclude_none=True)
        if isinstance(filters, Mapping):
            return self.filters_class.params().convert(owner, filters)
        raise TypeError(
            f"{owner}: filters must be a {self.filters_class.__name__}, a dict or None, "
            f"not {type(filters).__name__}"
        )

    def _query(self, filters: FiltersArg, op: adapter.Operation, owner: str) -> dict[str, Any]:
        """The query of ``op`` for ``filters``, checked (the one check of a call)."""
        values = self._values(filters, owner)
        params = query_params(op)
        ignore = PAGINATION_PARAMS if op is not self._operations().list else frozenset()
        return params.select(owner, values, ignore=ignore)

    def _request_page(
        self,
        op: adapter.Operation,
        query: Mapping[str, Any],
        retries: RetriesType,
        timeout: float | None,
        raw: bool = False,
    ) -> Page[M]:
        """Send ``query`` (cursor included) to ``op``; its answer as a :class:`Page`."""
        data = self.transport.request(op, query=query, retries=retries, timeout=timeout).json()
        route = f"{op.method} {op.path}"
        rows, next_url, previous = page_parts(data, route)
        if raw or "fields" in query:
            # Rows of a `fields=` request lack what they were not asked for: plain dicts.
            if not isinstance(rows, list):
                raise DialsDecodeError(f"{route}: results is not a list")
            results: builtins.list[Any] = rows
        else:
            results = self._reader(op).read(rows)
        return Page(results, next_url, previous, model=self.model)

    # -- the seam: plan, then fetch_page --------------------------------------
    def _plan(
        self,
        filters: FiltersArg,
        owner: str,
        *,
        split: bool,
        workers: int = 1,
        parts: int | None = None,
        retries: RetriesType = None,
        timeout: float | None = None,
    ) -> tuple[Plan, str | None]:
        """The plan of ``filters`` (checked here, once) and the cursor they named.

        ``split=False``: one lane, without asking DIALS anything (serial calls).
        """
        op = self._list_operation()
        query, cursor = split_cursor(self._query(filters, op, owner))
        check_ranges(query, owner)
        if not split:
            return Plan(op.path, query, (Lane({}),), "serial"), cursor
        made = plan(
            self._operations(),
            query,
            workers,
            lambda o, q: self._all_rows(o, q, retries, timeout),
            owner,
            parts=parts,
        )
        return made, cursor

    def plan(
        self,
        filters: F | FiltersArg = None,
        *,
        workers: int = 1,
        parts: int | None = None,
        retries: RetriesType = None,
        timeout: float | None = None,
    ) -> Plan:
        """What ``list_all(filters, workers=workers)`` would fetch, as a :class:`Plan`.

        The filters are checked here, once. The query is split into lanes (disjoint key
        ranges, in key order) as ``workers=`` splits it: about ``parts`` of them
        (default ``workers``) when the runs of the selection can be read from the
        run list (one request or a few), one per listed key for ``__in`` filters, or a
        single lane when the query cannot be split. ``fetch_page(plan, lane, cursor)``
        then fetches each lane's pages. A plan is plain, picklable data: keep it to
        fetch later, elsewhere, or to know what a store holds.
        """
        owner = f"{self.name}.plan()"
        workers = check_workers(workers, owner)
        if parts is not None and (
            isinstance(parts, bool) or not isinstance(parts, int) or parts < 1
        ):
            raise ValueError(f"{owner}: parts must be None or a positive int, not {parts!r}")
        made, _ = self._plan(
            filters,
            owner,
            split=True,
            workers=workers,
            parts=parts,
            retries=retries,
            timeout=timeout,
        )
        return made

    def fetch_page(
        self,
        plan: Plan,
        lane: Lane | int = 0,
        cursor: str | None = None,
        *,
        retries: RetriesType = None,
        timeout: float | None = None,
        raw: bool = False,
    ) -> Page[M]:
        """One page of one lane of ``plan``: the first (``cursor=None``), or the one
        ``cursor`` names (a page's ``next`` URL or its ``next_token``).

        The page's ``next`` is the cursor of the lane's following page (``None``: the
        lane is done). ``raw=True``: the rows are the plain objects DIALS sent, not row
        models (for consumers that convert them anyway, such as the store).
        """
        if not isinstance(plan, Plan):
            raise TypeError(
                f"{self.name}.fetch_page(): plan must be a Plan, not {type(plan).__name__}"
            )
        op = self._list_operation()
        if plan.route != op.path:
            raise ValueError(
                f"{self.name}.fetch_page(): the plan is of {plan.route}, not of this group's "
                f"{op.path}: make it with dials.{self.name}.plan(...)"
            )
        if isinstance(lane, int) and not isinstance(lane, bool):
            lane = plan.lanes[lane]
        if not isinstance(lane, Lane):
            raise TypeError(f"{self.name}.fetch_page(): lane must be a Lane or an index")
        query = with_cursor(plan.lane_query(lane), cursor)
        return self._request_page(op, query, retries, timeout, raw)

    def _all_rows(
        self,
        op: adapter.Operation,
        query: Mapping[str, Any],
        retries: RetriesType,
        timeout: float | None = None,
    ) -> builtins.list[Any]:
        """Every row of another list route (the run list a plan reads)."""
        rows: builtins.list[Any] = []
        fetch = lambda token: self._request_page(op, with_cursor(query, token), retries, timeout)  # noqa: E731
        for page in PageIterator(fetch):
            rows.extend(page.results)
        return rows

    # -- the API ------------------------------------------------------------
    def list(
        self,
        filters: F | FiltersArg = None,
        retries: RetriesType = None,
        *,
        timeout: float | None = None,
    ) -> Page[M]:
        """One page (the first, or the one ``filters.next_token`` names)."""
        made, cursor = self._plan(filters, f"{self.name}.list()", split=False)
        return self.fetch_page(made, 0, cursor, retries=retries, timeout=timeout)

    def _walk(
        self,
        filters: FiltersArg,
        what: str,
        *,
        workers: int,
        max_pages: int | None,
        retries: RetriesType,
        resume_from: object,
        ahead: int | None,
        timeout: float | None,
    ) -> PageIterator[M]:
        """The pages of ``filters``: their plan's one lane in turn, or its lanes by workers."""
        owner = f"{self.name}.{what}()"
        workers = check_workers(workers, owner)
        check_max_pages(max_pages)
        state = resume_from.state if isinstance(resume_from, Page) else resume_from
        resuming = isinstance(state, WalkState)
        counts: builtins.list[int | None] = []
        if workers > 1 and resume_from is not None and not resuming:
            logger.debug("%s: resuming a serial walk: walking serially", owner)
        split = workers > 1 and resume_from is None
        made, _ = self._plan(
            filters, owner, split=split, workers=workers, retries=retries, timeout=timeout
        )

        def fetch(lane: Lane | int, cursor: str | None) -> Page[M]:
            return self.fetch_page(made, lane, cursor, retries=retries, timeout=timeout)

        if isinstance(state, WalkState):
            if state.route != made.route or dict(state.query) != made.query:
                raise ValueError(
                    f"{owner}: resume_from holds the state of another query "
                    f"({state.route} {dict(state.query)}); pass the filters it was made with"
                )
        elif made.split:
            lanes = tuple(LaneState(x.filters, weight=x.ls_count) for x in made.lanes)
            state = WalkState(made.route, made.query, lanes)
            counts = [x.ls_count for x in made.lanes]
        else:
            start = resume_from.next if isinstance(resume_from, Page) else resume_from
            if start is not None and not isinstance(start, str):
                raise TypeError(
                    f"{owner}: resume_from must be a Page, a WalkState or a "
                    f"next URL, not {type(start).__name__}"
                )
            if start is not None:
                check_resume(start, made.route, made.query, f"dials.{self.name}")
            return PageIterator(lambda cursor: fetch(0, cursor), start=start, max_pages=max_pages)
        root = self.transport.base_url.rstrip("/")
        path = self._list_operation().url({})

        def first_url(lane: Mapping[str, Any]) -> str:
            return f"{root}{path}?{encode_query(lane)}"

        walk = Walk(fetch, state, workers, max_pages=max_pages, ahead=ahead, first_url=first_url)
        if counts and None not in counts:  # split by runs: the bar knows its lumisections
            walk.ls_counts = tuple(c for c in counts if c is not None)
        return PartitionedPages(walk)

    def iter_pages(
        self,
        filters: F | FiltersArg = None,
        *,
        max_pages: int | None = None,
        retries: RetriesType = None,
        resume_from: Page[M] | WalkState | str | None = None,
        timeout: float | None = None,
        workers: int = 1,
    ) -> PageIterator[M]:
        """The pages, fetched one at a time as you iterate (``.next``: where it stands).

        ``timeout`` (seconds) caps each page's request, retries included.

        ``workers=N`` (1 to :data:`~cmsdials.partitions.MAX_WORKERS`) walks
        disjoint key ranges of the query concurrently and yields their pages in
        key order (see :mod:`cmsdials.partitions`); the iterator's ``state``
        resumes it, and ``close()`` (or a ``with`` block) stops its workers.
        """
        max_pages = classic_max_pages(max_pages, f"{self.name}.iter_pages()")
        return self._walk(
            filters,
            "iter_pages",
            workers=workers,
            max_pages=max_pages,
            retries=retries,
            resume_from=resume_from,
            ahead=PAGES_AHEAD,
            timeout=timeout,
        )

    def iter_items(
        self,
        filters: F | FiltersArg = None,
        *,
        max_pages: int | None = None,
        retries: RetriesType = None,
        resume_from: Page[M] | WalkState | str | None = None,
        timeout: float | None = None,
        workers: int = 1,
    ) -> ItemIterator[M]:
        """Every row, page by page, holding one page in memory at a time.

        With ``workers=N``, a few pages per partition are fetched ahead
        (``iterator.pages.state`` resumes; ``iterator.pages.close()`` stops).
        """
        pages = self.iter_pages(
            filters,
            max_pages=max_pages,
            retries=retries,
            resume_from=resume_from,
            timeout=timeout,
            workers=workers,
        )
        return ItemIterator(pages)

    def list_all(
        self,
        filters: F | FiltersArg = None,
        max_pages: int | None = None,
        enable_progress: bool | None = None,
        retries: RetriesType = None,
        keep_failed: bool = False,
        resume_from: Page[M] | None = None,
        *,
        timeout: float | None = None,
        workers: int = 1,
        cache: bool | str | os.PathLike[str] | None = None,
    ) -> Page[M]:
        """Every page (or ``max_pages`` of them) in one :class:`Page`.

        With ``keep_failed=True`` an error returns the rows fetched so far,
        with ``exc_type``/``exc_formatted`` set and ``next`` at the first page
        not fetched; ``resume_from=`` that page continues exactly there.
        A progress bar is shown where a person is looking (a terminal or a notebook:
        see :mod:`cmsdials.progress`); ``enable_progress=True`` forces it, ``False`` hides it.
        ``timeout`` (seconds) caps each page's request, retries included.

        ``workers=N`` (1 to :data:`~cmsdials.partitions.MAX_WORKERS`; the
        name of the count of concurrent requests, as in ``concurrent.futures``)
        splits the query into disjoint key ranges that DIALS reports (the runs
        of the selection, or the listed ``__in`` keys) and walks them
        concurrently; the result is the serial result, in the same order. A
        query that cannot be split is walked serially (debug log). With
        workers, ``max_pages`` gives the rows of the first ``max_pages`` pages
        in key order (a prefix of the serial result), ``keep_failed`` the rows
        of every partition so far, and the returned page's ``state`` lets
        ``resume_from=`` continue every unfinished partition.

        ``cache=True`` (or a folder) keeps the rows in an on-disk store
        (:mod:`cmsdials.store`; ``pip install 'cmsdials[store]'``): the same rows
        come back from it with no request when it holds them, and it is filled
        otherwise. Not with ``max_pages``, ``keep_failed`` or ``resume_from``.
        """
        max_pages = classic_max_pages(max_pages, f"{self.name}.list_all()")
        if cache is not None and cache is not False:
            if max_pages is not None or keep_failed or resume_from is not None:
                raise ValueError(
                    f"{self.name}.list_all(): cache= keeps whole pulls: drop max_pages, "
                    "keep_failed and resume_from (a store resumes by itself)"
                )
            from .store.cache import cached_list_all

            return cached_list_all(
                self,
                filters,
                cache,
                workers=workers,
                enable_progress=enable_progress,
                retries=retries,
                timeout=timeout,
            )
        pages = self._walk(
            filters,
            "list_all",
            workers=workers,
            max_pages=max_pages,
            retries=retries,
            resume_from=resume_from,
            ahead=None,
            timeout=timeout,
        )
        page = resume_from if isinstance(resume_from, Page) else None
        if isinstance(pages, PartitionedPages):
            return collect_partitioned(
                pages.walk,
                resume_from=page,
                keep_failed=keep_failed,
                enable_progress=enable_progress,
                model=self.model,
            )
        return collect(
            pages,
            resume_from=page,
            keep_failed=keep_failed,
            enable_progress=enable_progress,
            model=self.model,
        )

    def store(
        self,
        filters: F | FiltersArg,
        path: str | os.PathLike[str],
        *,
        workers: int = 1,
        shard: tuple[int, int] | None = None,
        refresh: Literal["incomplete", "all", "none"] = "incomplete",
        enable_progress: bool | None = None,
        retries: RetriesType = None,
        timeout: float | None = None,
    ) -> StoredPull:
        """Pull into the folder ``path`` (a Parquet store; created if missing) what it lacks
        of ``filters``'s rows, and return the :class:`~cmsdials.store.StoredPull`.

        ``workers`` partitions are fetched at once; ``shard=(i, n)`` takes the i-th of n
        deterministic shares of the plan (n batch jobs, one store); ``refresh`` fetches
        again the partitions whose runs were incomplete (``"incomplete"``), all
        (``"all"``) or none (``"none"``). A killed pull, run again, continues. See
        :mod:`cmsdials.store`; needs ``pip install 'cmsdials[store]'``.
        """
        from .store.pull import store

        return store(
            self,
            filters,
            path,
            workers=workers,
            shard=shard,
            refresh=refresh,
            enable_progress=enable_progress,
            retries=retries,
            timeout=timeout,
        )

    def to_dask(
        self,
        filters: F | FiltersArg = None,
        *,
        partitions: int = 16,
        retries: RetriesType = None,
        credentials: Callable[[], object] | None = None,
    ) -> dd.DataFrame:
        """The rows as a ``dask.dataframe.DataFrame``, one partition per key range.

        The key ranges are those of ``workers=`` (about ``partitions`` of them;
        one if the query cannot be split), learned from DIALS now; each is
        fetched on the Dask worker that computes it, by a client built there
        from this client's configuration and credentials (see
        :mod:`cmsdials.distributed`; ``credentials=`` a picklable zero-argument
        function for credentials that cannot travel as data). Computing it gives
        the rows of ``list_all(filters).to_pandas()`` (each partition indexed
        from 0). Needs ``pip install 'cmsdials[dask]'``.
        """
        from .distributed import to_dask

        return to_dask(
            self, filters, partitions_hint=partitions, retries=retries, credentials=credentials
        )

    def count(
        self,
        filters: F | FiltersArg = None,
        retries: RetriesType = None,
        *,
        timeout: float | None = None,
    ) -> int:
        """How many rows match ``filters`` (pagination keywords are ignored)."""
        ops = self._operations()
        op = self._require(ops.count, "count", ops.route + "count/")
        query = self._query(filters, op, f"{self.name}.count()")
        data = self.transport.request(op, query=query, retries=retries, timeout=timeout).json()
        count = data.get("count") if isinstance(data, dict) else None
        if isinstance(count, bool) or not isinstance(count, int):
            raise DialsDecodeError(
                f'{op.method} {op.path}: expected {{"count": <int>}}, got {str(data)[:80]!r}'
            )
        return count


class MonitoringElementClient(ListEndpoint[MonitoringElement, MEFilters]):
    """``dials.mes``: the monitoring elements; ``list`` is not paginated (a plain list)."""

    group = group("mes")
    model = MonitoringElement
    filters_class = MEFilters

    key_aliases = {"id": "me_id"}  # the classic spelled mes.get(id=...)

    if TYPE_CHECKING:  # get()'s key as the spec has it (make regen), or the classic's id=

        @overload  # type: ignore[override]
        def get(
            self, me_id: int, *, retries: RetriesType = None, timeout: float | None = None
        ) -> MonitoringElement: ...

        @overload
        def get(
            self, *, id: int, retries: RetriesType = None, timeout: float | None = None
        ) -> MonitoringElement: ...

        def get(self, *args: Any, **keys: Any) -> MonitoringElement: ...

        __call__ = get  # type: ignore[assignment]

    def list(  # type: ignore[override]
        self,
        filters: MEFilters | Mapping[str, FilterValue] | None = None,
        retries: RetriesType = None,
        *,
        timeout: float | None = None,
    ) -> builtins.list[MonitoringElement]:
        """Every monitoring element matching ``filters``: the whole list, as the classic's
        (every page of it, should DIALS page the route)."""
        return self.list_all(filters, retries=retries, timeout=timeout)

    def list_all(  # type: ignore[override]
        self,
        filters: MEFilters | Mapping[str, FilterValue] | None = None,
        max_pages: int | None = None,
        enable_progress: bool | None = None,
        retries: RetriesType = None,
        *,
        timeout: float | None = None,
        workers: int = 1,
    ) -> builtins.list[MonitoringElement]:
        """Every monitoring element matching ``filters``: the whole list, as the classic 1.5's
        ``mes.list_all()``. DIALS answers it in one piece today (``max_pages``,
        ``enable_progress`` and ``workers`` then change nothing); when its spec says the
        route answers pages, every page is fetched (``next`` followed), as for any group."""
        max_pages = classic_max_pages(max_pages, f"{self.name}.list_all()")
        paged = self._list_operation().page_rows is not None
        page = super().list_all(
            filters,
            max_pages,
            enable_progress if paged else False,
            retries,
            timeout=timeout,
            workers=workers,
        )
        return page.results

    def list_by_run(
        self,
        dataset_id: int,
        run_number: int,
        retries: RetriesType = None,
        *,
        timeout: float | None = None,
    ) -> builtins.list[MinifiedMonitoringElement]:
        """The monitoring elements ingested for one run of one dataset (every page of them,
        should DIALS page the route)."""
        ops = self._operations()
        op = self._require(ops.by_key_list, "list_by_run", ops.route + "{dataset_id}/{run_number}/")
        owner = f"{self.name}.list_by_run()"
        path = self._key_values(op, (), {"dataset_id": dataset_id, "run_number": run_number}, owner)
        reader = self._reader(op, MinifiedMonitoringElement)
        route = f"{op.method} {op.path}"

        def fetch(cursor: str | None) -> Page[MinifiedMonitoringElement]:
            query = with_cursor({}, cursor)
            data = self.transport.request(
                op, path=path, query=query, retries=retries, timeout=timeout
            ).json()
            rows, next_url, previous = page_parts(data, route)
            return Page(reader.read(rows), next_url, previous)

        return [row for page in PageIterator(fetch) for row in page.results]


class MLBadLumisectionClient(ListEndpoint[MLBadLumisection, MLBadLumisectionFilters]):
    """``dials.ml_bad_lumis`` (also ``dials.ml_bad_lumisection``)."""

    group = group("ml_bad_lumis")
    model = MLBadLumisection
    filters_class = MLBadLumisectionFilters

    if TYPE_CHECKING:  # get()'s keys and their types, as the spec has them (make regen)
        get: _t.MLBadLumisectionGet[MLBadLumisection, RetriesType]  # type: ignore[assignment]
        __call__: _t.MLBadLumisectionGet[MLBadLumisection, RetriesType]  # type: ignore[assignment]

    def _plain_json(
        self,
        what: str,
        selection: tuple[Any, Any, Any],
        more: Mapping[str, Any],
        retries: RetriesType,
        timeout: float | None,
    ) -> dict[str, Any]:
        """cert_json/golden_json: the three ``__in`` lists (and any other keyword) checked
        against the route's body (or query, on a DIALS that serves them as GET)."""
        names = ("model_id__in", "dataset_id__in", "run_number__in")
        values = {**dict(zip(names, selection, strict=True)), **more}
        owner = f"{self.name}.{what}()"
        route = f"{self.group.route}{what.replace('_', '-')}/"
        op = adapter.api().require(route, "POST", "GET", what=owner)
        if op.body is not None:
            params: ParamSet = body_params(op)
            body = params.select(owner, params.convert(owner, values))
            answer = self.transport.request(op, json=body, retries=retries, timeout=timeout).json()
        else:
            params = query_params(op)
            query = params.select(owner, params.convert(owner, values))
            answer = self.transport.request(
                op, query=query, retries=retries, timeout=timeout
            ).json()
        if not isinstance(answer, dict):
            raise DialsDecodeError(f"{op.method} {op.path}: expected a JSON object")
        return PlainJSON(answer, what=f"{what}()")

    def cert_json(
        self,
        model_id__in: builtins.list[int] | None = None,
        dataset_id__in: builtins.list[int] | None = None,
        run_number__in: builtins.list[int] | None = None,
        *,
        retries: RetriesType = None,
        timeout: float | None = None,
        **more: FilterValue,
    ) -> dict[str, Any]:
        """The ML certification JSON, ``{run: {ls: [entries]}}``, as the server returns it."""
        selection = (model_id__in, dataset_id__in, run_number__in)
        return self._plain_json("cert_json", selection, more, retries, timeout)

    def golden_json(
        self,
        model_id__in: builtins.list[int] | None = None,
        dataset_id__in: builtins.list[int] | None = None,
        run_number__in: builtins.list[int] | None = None,
        *,
        retries: RetriesType = None,
        timeout: float | None = None,
        **more: FilterValue,
    ) -> dict[str, Any]:
        """The golden-like JSON, ``{run: [[first_ls, last_ls], ...]}``, as the server returns it."""
        selection = (model_id__in, dataset_id__in, run_number__in)
        return self._plain_json("golden_json", selection, more, retries, timeout)


class PlainJSON(dict[str, Any]):
    """A JSON object answered as it is (``cert_json()``, ``golden_json()``): a plain ``dict``
    that says so when asked for a page's ``to_pandas``/``to_numpy``."""

    def __init__(self, answer: Mapping[str, Any], *, what: str) -> None:
        super().__init__(answer)
        self._what = what

    def _not_a_page(self, method: str) -> TypeError:
        return TypeError(
            f"{self._what} returns plain JSON (a dict keyed by run number), not a Page of rows: "
            f"it has no {method}(). Read it as a dict, or list the rows themselves with "
            "dials.ml_bad_lumis.list_all(MLBadLumisectionFilters(...)).to_pandas()"
        )

    def to_pandas(self) -> Any:
        raise self._not_a_page("to_pandas")

    def to_numpy(self) -> Any:
        raise self._not_a_page("to_numpy")

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))


class _UnroutedClient(BaseClient):
    """A client of routes that no workspace routes: the classic constructor has no
    ``workspace`` argument (``OMSProxyClient(creds, base_url=...)``)."""

    def __init__(
        self,
        creds: object = None,
        base_url: str | None = None,
        route: str | None = None,
        version: str | None = None,
        *,
        transport: Transport | None = None,
        settings: TransportSettings | None = None,
        **options: Unpack[TransportOptions],
    ) -> None:
        super().__init__(
            creds, None, base_url, route, version, transport=transport, settings=settings, **options
        )


class OMSProxyClient(_UnroutedClient):
    """``dials.oms``: queries of the OMS API through DIALS's proxy."""

    name = "oms"
    route = "oms-proxy/"

    def query(
        self,
        endpoint: str,
        filters: builtins.list[OMSFilter] | None = None,
        pages: builtins.list[OMSPage] | None = None,
        retries: RetriesType = None,
        *,
        timeout: float | None = None,
    ) -> Any:
        """The OMS answer (plain JSON) for ``endpoint`` (``runs``, ``lumisections``, ...)."""
        if not isinstance(endpoint, str) or not endpoint:
            raise TypeError(f"oms.query(): endpoint must be a non-empty str, not {endpoint!r}")
        for item, cls in [(f, OMSFilter) for f in filters or ()] + [
            (p, OMSPage) for p in pages or ()
        ]:
            if not isinstance(item, cls):
                raise TypeError(f"oms.query(): expected {cls.__name__} items, got {item!r}")
        op = adapter.api().require(self.route, what="oms.query()")
        # OMS's deep-object parameters: filter[<attribute>][<operator>]=..., page[<attribute>]=...
        query: dict[str, Any] = {"endpoint": endpoint}
        query.update(f.query_item() for f in filters or ())
        query.update(p.query_item() for p in pages or ())
        return self.transport.request(op, query=query, retries=retries, timeout=timeout).json()

    def table(
        self,
        endpoint: str,
        filters: builtins.list[OMSFilter] | None = None,
        pages: builtins.list[OMSPage] | None = None,
        *,
        max_pages: int | None = None,
        enable_progress: bool | None = None,
        retries: RetriesType = None,
        timeout: float | None = None,
    ) -> OMSTable:
        """Every page of ``query(endpoint, filters, pages)`` (OMS's ``page[offset]``,
        ``page[limit]`` and ``links.next``; at most ``max_pages``) as an
        :class:`~cmsdials.oms.OMSTable` (``.to_pandas()`` indexed by run and lumisection)."""
        from .oms import fetch_table

        return fetch_table(
            self,
            endpoint,
            filters,
            pages,
            max_pages=max_pages,
            enable_progress=enable_progress,
            retries=retries,
            timeout=timeout,
        )


class WorkspaceClient(_UnroutedClient):
    """``dials.workspace``: the workspaces DIALS serves and the caller's default one."""

    name = "workspace"
    route = "workspaces/"

    def list(self, retries: RetriesType = None, *, timeout: float | None = None) -> Any:
        """The configured workspaces (plain JSON, as the classic returned it)."""
        op = adapter.api().require(self.route, what="workspace.list()")
        return self.transport.request(op, retries=retries, timeout=timeout).json()

    def names(self) -> tuple[str, ...]:
        """The workspace names, sorted (asked without a ``Workspace`` header, once, no retry:
        what an unknown workspace's error lists)."""
        op = adapter.api().require(self.route, what="workspace.list()")
        http = self.transport.http

        def build() -> Any:
            request = http.build_request(op.method, op.url({}))
            request.headers.pop("Workspace", None)
            return request

        answer = self.transport.send(build, retries=0).json()
        if isinstance(answer, dict):
            answer = answer.get("workspaces", list(answer))
        if isinstance(answer, dict):
            answer = list(answer)
        names = [n.get("name") if isinstance(n, dict) else n for n in answer or []]
        return tuple(sorted(str(n) for n in names if isinstance(n, str)))

    def my_workspace(self, retries: RetriesType = None, *, timeout: float | None = None) -> Any:
        """The caller's default workspace (plain JSON)."""
        op = adapter.api().require(self.route + "my-default/", what="workspace.my_workspace()")
        return self.transport.request(op, retries=retries, timeout=timeout).json()


# The client classes written here for their behaviour; every other group's is made from
# the name table (client_class). Type checkers see them all, with typed get(), in
# cmsdials/_typed/clients.pyi (written by make regen).
_CLIENTS: dict[str, type[ListEndpoint[Any, Any]]] = {
    cls.group.attribute: cls for cls in (MonitoringElementClient, MLBadLumisectionClient)
}


def client_class(attribute: str) -> type[ListEndpoint[Any, Any]]:
    """The client class of ``dials.<attribute>`` (made from the name table for a new group)."""
    cls = _CLIENTS.get(attribute)
    if cls is None:
        g = group(attribute)
        cls = _CLIENTS[attribute] = types.new_class(
            g.client, (ListEndpoint,), {}, lambda ns: ns.update(group=g, __module__=__name__)
        )
    return cls


if TYPE_CHECKING:
    from ._typed.clients import *
else:
    globals().update({g.client: client_class(g.attribute) for g in GROUPS})
