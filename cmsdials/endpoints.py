"""The endpoint groups of ``Dials``: one generic implementation, one table of names.

Every group (``h1d``, ``run``, ...) is the same code: :class:`Endpoint` (``get``,
and calling the client is ``get``), :class:`ListEndpoint` (``list``,
``list_all``, ``iter_pages``, ``iter_items``) and :class:`CountingListEndpoint`
(``count``). What differs between groups is data: which generated operations
serve it and which classic names it answers to. That is the one hand-written
table, at the end of this module: a class per classic client name, naming the
generated operations, the row model and the filter class. Path parameters,
query names and types all come from the generated operations.

Requests are built by the generated operations' ``_get_kwargs`` and sent by
the shared :class:`~cmsdials.transport.Transport`; rows are built once per
page with the generated models' ``from_dict``.
"""

from __future__ import annotations

import builtins
import difflib
import inspect
import types
import typing
from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

from dials_api.api.authentication import get_user_default_workspace, get_workspaces
from dials_api.api.dataset_index import retrieve_dataset_index
from dials_api.api.file_index import count_file_index, retrieve_file_index
from dials_api.api.lumisection import count_lumisection, retrieve_lumisection
from dials_api.api.mes import list_dataset_run_mes, retrieve_me
from dials_api.api.ml_bad_lumisection import (
    cert_json_ml_bad_lumisection,
    golden_json_ml_bad_lumisection,
    retrieve_ml_bad_lumisection,
)
from dials_api.api.ml_models_index import retrieve_ml_models_index
from dials_api.api.run import count_run, retrieve_run
from dials_api.api.th1 import retrieve_th1
from dials_api.api.th2 import retrieve_th2
from dials_api.api.third_parties import proxy_oms
from dials_api.models import Count, ProxyOmsFilter, ProxyOmsPage

from .exceptions import NotFoundError
from .filters import (
    PAGINATION_PARAMS,
    DatasetIndexFilters,
    FileIndexFilters,
    Filters,
    FilterValue,
    LumisectionFilters,
    LumisectionHistogram1DFilters,
    LumisectionHistogram2DFilters,
    MEFilters,
    MLBadLumisectionFilters,
    MLModelsIndexFilters,
    OMSFilter,
    OMSPage,
    OperationParams,
    RunFilters,
    _converter,
    operation_params,
)
from .models import (
    DatasetIndex,
    DialsModel,
    FileIndex,
    Lumisection,
    LumisectionHistogram1D,
    LumisectionHistogram2D,
    MinifiedMonitoringElement,
    MLBadLumisection,
    MLModelsIndex,
    MonitoringElement,
    Run,
)
from .pagination import ItemIterator, Page, PageIterator, collect
from .settings import PRODUCTION_BASE_URL, RetriesType, TransportOptions, TransportSettings
from .transport import Transport, as_httpx_auth

if typing.TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "BaseClient",
    "CountingListEndpoint",
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
]

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
            if settings is None:
                settings = TransportSettings.of(base_url, route, version, workspace, **options)
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


_C = TypeVar("_C", bound=BaseClient)


def _path_parameters(operation: types.ModuleType) -> dict[str, Any]:
    """The path parameters of a generated operation, in URL order, with converters."""
    build = operation._get_kwargs
    hints = typing.get_type_hints(build)
    return {
        p.name: _converter(hints[p.name])[1]
        for p in inspect.signature(build).parameters.values()
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    }


class Endpoint(BaseClient, Generic[M]):
    """A group with a retrieve route: ``get(**keys)``; calling the client is ``get``."""

    model: ClassVar[type[DialsModel]]
    retrieve: types.ModuleType
    #: Classic keyword names that differ from the spec's (``mes.get(id=)``).
    key_aliases: ClassVar[Mapping[str, str]] = {}
    _keys: ClassVar[dict[str, Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "retrieve" in cls.__dict__:
            cls._keys = _path_parameters(cls.retrieve)

    def _key_values(self, args: tuple[Any, ...], keys: dict[str, Any]) -> builtins.list[Any]:
        owner = f"{self.name}.get()"
        names = builtins.list(self._keys)
        if len(args) > len(names):
            raise TypeError(
                f"{owner} takes {len(names)} keys ({', '.join(names)}), got {len(args)}"
            )
        given: dict[str, Any] = dict(zip(names, args, strict=False))
        for name, value in keys.items():
            name = self.key_aliases.get(name, name)
            if name not in self._keys:
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
        return [self._keys[n](f"{owner}: {n}", given[n]) for n in names]

    def get(self, *args: int | str, retries: RetriesType = None, **keys: int | str) -> M:
        """The object with these keys (the spec's path parameters, e.g. ``dataset_id=``)."""
        values = self._key_values(args, keys)
        response = self.transport.request(self.retrieve, *values, retries=retries)
        return typing.cast(M, self.model.from_dict(response.json()))

    def __call__(self, *args: int | str, retries: RetriesType = None, **keys: int | str) -> M:
        return self.get(*args, retries=retries, **keys)


class ListEndpoint(Endpoint[M], Generic[M, F]):
    """A group with a paginated list route."""

    filters_class: ClassVar[type[Filters]]
    _list_params: ClassVar[OperationParams]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "filters_class" in cls.__dict__:
            cls._list_params = cls.filters_class.params

    # -- building requests --------------------------------------------------
    def _query(self, filters: FiltersArg, params: OperationParams, what: str) -> dict[str, Any]:
        """Filters → the generated operation's keywords (checked before any request)."""
        owner = f"{self.name}.{what}()"
        if filters is None or filters is Ellipsis:  # the README's placeholder `list_all(...)`
            return {}
        if isinstance(filters, Filters):
            values = filters._values
        elif isinstance(filters, Mapping):
            values = self._list_params.convert(owner, filters)
        else:
            raise TypeError(
                f"{owner}: filters must be a {self.filters_class.__name__}, a dict or None, "
                f"not {type(filters).__name__}"
            )
        ignore = PAGINATION_PARAMS if params is not self._list_params else frozenset()
        return params.keywords(owner, values, ignore=ignore)

    def _fetch(self, query: dict[str, Any], retries: RetriesType, token: str | None) -> Page[M]:
        if token is not None:
            query = {**query, "next_token": token}
        data = self.transport.request(self.filters_class.operation, retries=retries, **query).json()
        rows = data["results"]
        if "fields" in query:
            # Rows of a `fields=` request lack what they were not asked for: plain dicts.
            results = rows
        else:
            from_dict = self.model.from_dict
            results = [from_dict(row) for row in rows]
        return Page(results, data.get("next"), data.get("previous"), model=self.model)

    # -- the API ------------------------------------------------------------
    def list(self, filters: F | FiltersArg = None, retries: RetriesType = None) -> Page[M]:
        """One page (the first, or the one ``filters.next_token`` names)."""
        return self._fetch(self._query(filters, self._list_params, "list"), retries, None)

    def iter_pages(
        self,
        filters: F | FiltersArg = None,
        *,
        max_pages: int | None = None,
        retries: RetriesType = None,
        resume_from: Page[M] | str | None = None,
    ) -> PageIterator[M]:
        """The pages, fetched one at a time as you iterate (``.next``: where it stands)."""
        query = self._query(filters, self._list_params, "iter_pages")
        query.pop("next_token", None)
        start = resume_from.next if isinstance(resume_from, Page) else resume_from
        return PageIterator(
            lambda token: self._fetch(query, retries, token), start=start, max_pages=max_pages
        )

    def iter_items(
        self,
        filters: F | FiltersArg = None,
        *,
        max_pages: int | None = None,
        retries: RetriesType = None,
        resume_from: Page[M] | str | None = None,
    ) -> ItemIterator[M]:
        """Every row, page by page, holding one page in memory at a time."""
        pages = self.iter_pages(
            filters, max_pages=max_pages, retries=retries, resume_from=resume_from
        )
        return ItemIterator(pages)

    def list_all(
        self,
        filters: F | FiltersArg = None,
        max_pages: int | None = None,
        enable_progress: bool = True,
        retries: RetriesType = None,
        keep_failed: bool = False,
        resume_from: Page[M] | None = None,
    ) -> Page[M]:
        """Every page (or ``max_pages`` of them) in one :class:`Page`.

        With ``keep_failed=True`` an error returns the rows fetched so far,
        with ``exc_type``/``exc_formatted`` set and ``next`` at the first page
        not fetched; ``resume_from=`` that page continues exactly there.
        A progress bar (tqdm, if installed) is shown unless ``enable_progress=False``.
        """
        pages = self.iter_pages(
            filters, max_pages=max_pages, retries=retries, resume_from=resume_from
        )
        return collect(
            pages,
            resume_from=resume_from,
            keep_failed=keep_failed,
            enable_progress=enable_progress,
            model=self.model,
        )


class CountingListEndpoint(ListEndpoint[M, F]):
    """A list group whose spec has a count route."""

    count_operation: types.ModuleType

    def count(self, filters: F | FiltersArg = None, retries: RetriesType = None) -> int:
        """How many rows match ``filters`` (pagination keywords are ignored)."""
        query = self._query(filters, operation_params(self.count_operation), "count")
        response = self.transport.request(self.count_operation, retries=retries, **query)
        return Count.from_dict(response.json()).count


class MonitoringElementClient(Endpoint[MonitoringElement]):
    """``dials.mes``: the monitoring elements; ``list`` is not paginated (a plain list)."""

    name = "mes"
    model = MonitoringElement
    retrieve = retrieve_me
    key_aliases = {"id": "me_id"}  # the classic spelled mes.get(id=...)
    filters_class: ClassVar[type[MEFilters]] = MEFilters
    _by_run_keys: ClassVar[dict[str, Any]] = _path_parameters(list_dataset_run_mes)

    def list(
        self,
        filters: MEFilters | Mapping[str, FilterValue] | None = None,
        retries: RetriesType = None,
    ) -> builtins.list[MonitoringElement]:
        """Every monitoring element matching ``filters``, as the server's plain list."""
        owner = f"{self.name}.list()"
        params = self.filters_class.params
        if filters is None:
            values: Mapping[str, Any] = {}
        elif isinstance(filters, Filters):
            values = filters._values
        else:
            values = params.convert(owner, filters)
        query = params.keywords(owner, values)
        rows = self.transport.request(params.operation, retries=retries, **query).json()
        if "fields" in query:
            return rows  # type: ignore[no-any-return]
        from_dict = MonitoringElement.from_dict
        return [from_dict(row) for row in rows]

    def list_by_run(
        self, dataset_id: int, run_number: int, retries: RetriesType = None
    ) -> builtins.list[MinifiedMonitoringElement]:
        """The monitoring elements ingested for one run of one dataset."""
        owner = f"{self.name}.list_by_run()"
        given = {"dataset_id": dataset_id, "run_number": run_number}
        args = [convert(f"{owner}: {n}", given[n]) for n, convert in self._by_run_keys.items()]
        rows = self.transport.request(list_dataset_run_mes, *args, retries=retries).json()
        from_dict = MinifiedMonitoringElement.from_dict
        return [from_dict(row) for row in rows]


class MLBadLumisectionClient(ListEndpoint[MLBadLumisection, MLBadLumisectionFilters]):
    """``dials.ml_bad_lumis`` (also ``dials.ml_bad_lumisection``)."""

    name = "ml_bad_lumis"
    model = MLBadLumisection
    retrieve = retrieve_ml_bad_lumisection
    filters_class = MLBadLumisectionFilters

    def get(
        self, *args: int | str, retries: RetriesType = None, **keys: int | str
    ) -> MLBadLumisection:
        """One flagged lumisection: ``model_id, dataset_id, run_number, ls_number, me_id``.

        ``me_id`` may be left out (the classic README does): a model watches
        one monitoring element, so the other four keys name one row. It is
        then looked up with the list route; if the keys match rows of several
        MEs, ``TypeError`` asks for ``me_id``.
        """
        names = builtins.list(self._keys)
        given = dict(zip(names, args, strict=False))
        if "me_id" in self._keys and "me_id" not in given and "me_id" not in keys:
            return self._get_without_me(given | keys, retries)
        return super().get(*args, retries=retries, **keys)

    def _get_without_me(self, keys: dict[str, Any], retries: RetriesType) -> MLBadLumisection:
        owner = f"{self.name}.get()"
        unknown = [k for k in keys if k not in self._keys]
        if unknown:
            return super().get(retries=retries, **keys)  # raises the unknown-key TypeError
        missing = [n for n in self._keys if n != "me_id" and n not in keys]
        if missing:
            raise TypeError(f"{owner} missing {', '.join(missing)} (keys: {', '.join(self._keys)})")
        query = self._query(MLBadLumisectionFilters(**keys, page_size=2), self._list_params, "get")
        response = self.transport.request(self.filters_class.operation, retries=retries, **query)
        rows = response.json()["results"]
        if len(rows) == 1:
            return MLBadLumisection.from_dict(rows[0])
        if rows:
            found = sorted({row.get("me_id") for row in rows})
            raise TypeError(
                f"{owner}: {keys} matches flagged lumisections of several MEs {found}; "
                "pass me_id= to choose one"
            )
        raise NotFoundError(
            status_code=404,
            method="GET",
            url=str(response.request.url),
            body=response.text,
            data={"detail": "No MLBadLumisection matches the given query."},
        )

    def _plain_json(
        self, operation: types.ModuleType, what: str, filters: dict[str, Any], retries: RetriesType
    ) -> Any:
        owner = f"{self.name}.{what}()"
        params = operation_params(operation)
        query = params.keywords(owner, params.convert(owner, filters))
        return self.transport.request(operation, retries=retries, **query).json()

    def cert_json(self, *, retries: RetriesType = None, **filters: FilterValue) -> dict[str, Any]:
        """The ML certification JSON, ``{run: {ls: [entries]}}``, as the server returns it.

        Keywords as in the spec: ``model_id__in``, ``dataset_id__in``, ``run_number__in``.
        """
        result: dict[str, Any] = self._plain_json(
            cert_json_ml_bad_lumisection, "cert_json", filters, retries
        )
        return result

    def golden_json(self, *, retries: RetriesType = None, **filters: FilterValue) -> dict[str, Any]:
        """The golden-like JSON, ``{run: [[first_ls, last_ls], ...]}``, as the server returns it."""
        result: dict[str, Any] = self._plain_json(
            golden_json_ml_bad_lumisection, "golden_json", filters, retries
        )
        return result


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

    def query(
        self,
        endpoint: str,
        filters: builtins.list[OMSFilter] | None = None,
        pages: builtins.list[OMSPage] | None = None,
        retries: RetriesType = None,
    ) -> Any:
        """The OMS answer (plain JSON) for ``endpoint`` (``runs``, ``lumisections``, ...)."""
        if not isinstance(endpoint, str) or not endpoint:
            raise TypeError(f"oms.query(): endpoint must be a non-empty str, not {endpoint!r}")
        for item, cls in [(f, OMSFilter) for f in filters or ()] + [
            (p, OMSPage) for p in pages or ()
        ]:
            if not isinstance(item, cls):
                raise TypeError(f"oms.query(): expected {cls.__name__} items, got {item!r}")
        filter_ = ProxyOmsFilter.from_dict(dict(f.query_item() for f in filters or ()))
        page = ProxyOmsPage.from_dict(dict(p.query_item() for p in pages or ()))
        return self.transport.request(
            proxy_oms, endpoint=endpoint, filter_=filter_, page=page, retries=retries
        ).json()


class WorkspaceClient(_UnroutedClient):
    """``dials.workspace``: the workspaces DIALS serves and the caller's default one."""

    name = "workspace"

    def list(self, retries: RetriesType = None) -> Any:
        """The configured workspaces (plain JSON, as the classic returned it)."""
        return self.transport.request(get_workspaces, retries=retries).json()

    def my_workspace(self, retries: RetriesType = None) -> Any:
        """The caller's default workspace (plain JSON)."""
        return self.transport.request(get_user_default_workspace, retries=retries).json()


# -- The one hand table: classic client names → generated operations ------------
# (the list operation of each group is its filter class's `operation`)


class DatasetIndexClient(ListEndpoint[DatasetIndex, DatasetIndexFilters]):
    name = "dataset_index"
    model = DatasetIndex
    retrieve = retrieve_dataset_index
    filters_class = DatasetIndexFilters


class FileIndexClient(CountingListEndpoint[FileIndex, FileIndexFilters]):
    name = "file_index"
    model = FileIndex
    retrieve = retrieve_file_index
    filters_class = FileIndexFilters
    count_operation = count_file_index


class LumisectionHistogram1DClient(
    ListEndpoint[LumisectionHistogram1D, LumisectionHistogram1DFilters]
):
    name = "h1d"
    model = LumisectionHistogram1D
    retrieve = retrieve_th1
    filters_class = LumisectionHistogram1DFilters


class LumisectionHistogram2DClient(
    ListEndpoint[LumisectionHistogram2D, LumisectionHistogram2DFilters]
):
    name = "h2d"
    model = LumisectionHistogram2D
    retrieve = retrieve_th2
    filters_class = LumisectionHistogram2DFilters


class LumisectionClient(CountingListEndpoint[Lumisection, LumisectionFilters]):
    name = "lumi"
    model = Lumisection
    retrieve = retrieve_lumisection
    filters_class = LumisectionFilters
    count_operation = count_lumisection


class RunClient(CountingListEndpoint[Run, RunFilters]):
    name = "run"
    model = Run
    retrieve = retrieve_run
    filters_class = RunFilters
    count_operation = count_run


class MLModelsIndexClient(ListEndpoint[MLModelsIndex, MLModelsIndexFilters]):
    name = "ml_models_index"
    model = MLModelsIndex
    retrieve = retrieve_ml_models_index
    filters_class = MLModelsIndexFilters
