"""``dials.<group>.to_dask(filters)``: a pull as a Dask DataFrame, one partition per key range.

The partitions are those of ``workers=N`` (:mod:`cmsdials.partitions`: runs
of the selection from the run list, or the listed ``__in`` keys), handed to
``dask.dataframe.from_map``. Each partition is fetched on the Dask worker that
computes it, by a client built there from what the graph carries:

* the client's configuration (base URL, route, version, workspace, timeout,
  retries, proxy, TLS verification as a bool or a CA file path) and a **recipe** of its
  credentials, never a live connection. Secrets travel inside :class:`Secret`
  values, whose repr is ``'***'`` and which tokenize to a constant: no secret
  in a repr, a graph key or the dashboard;
* credentials are rebuilt on each worker process once, then reused by every
  partition it computes: client credentials (and a secret key used as client
  credentials) fetch and refresh their tokens there; a person's login
  (``device`` / ``bearer`` credentials) is read from its cache file on the
  worker (the same machine or a shared file system) and refreshed there, the
  processes coordinating through that file. Anything else needs
  ``credentials=``: a picklable zero-argument callable (a function of your
  module) that returns the credentials on the worker.

Needs the ``dask`` extra: ``pip install 'cmsdials[dask]'``.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import partitions
from .settings import TransportSettings

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

    from .cmsdials import Dials
    from .endpoints import ListEndpoint

__all__ = ["ClientConfig", "CredentialsRecipe", "Secret", "to_dask"]

DASK_EXTRA_MESSAGE = (
    "to_dask() needs dask, which is not installed: pip install 'cmsdials[dask]' "
    "(dask[dataframe,distributed])"
)


def _dask_dataframe() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError:
        raise ImportError(DASK_EXTRA_MESSAGE) from None
    return dd


class Secret:
    """A secret string that does not show: repr ``'***'``, a constant Dask token."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Secret, (self._value,))

    def __dask_tokenize__(self) -> str:
        return "cmsdials.Secret"


@dataclass(frozen=True, repr=False)
class CredentialsRecipe:
    """How to build the client's credentials in another process (secrets as :class:`Secret`)."""

    #: "secret_key" (X-CLIENT-SECRET), "client_credentials", or "device" (a person's login,
    #: read from its cache file on the worker, which refreshes it there).
    kind: str
    secret: Secret | None = None
    client_id: str | None = None
    auth_client: Mapping[str, Any] = field(default_factory=dict)
    cache_dir: str | None = None

    def build(self) -> Any:
        if self.kind == "device":
            from .auth.client import AuthClient
            from .auth.device import Credentials as Device

            return Device.from_creds_file(self.cache_dir, AuthClient(**dict(self.auth_client)))
        assert self.secret is not None
        if self.kind == "secret_key":
            import warnings

            from .auth.secret_key import Credentials as SecretKey

            with warnings.catch_warnings():  # the user was warned when building the original
                warnings.simplefilter("ignore", DeprecationWarning)
                return SecretKey(self.secret.reveal())
        from .auth.client import AuthClient
        from .auth.client_credentials import Credentials as ClientCredentials

        assert self.client_id is not None
        return ClientCredentials(
            self.client_id, self.secret.reveal(), AuthClient(**dict(self.auth_client))
        )

    def __repr__(self) -> str:
        who = f", client_id={self.client_id!r}" if self.client_id else ""
        where = f", cache_dir={self.cache_dir!r}" if self.cache_dir else ""
        return f"CredentialsRecipe({self.kind!r}{who}{where}, secret=***)"


def _auth_client_options(client: Any) -> dict[str, Any] | None:
    """What rebuilds an AuthClient of CERN's Keycloak (``None``: it cannot travel)."""
    if client.legacy:
        return None
    options = dict(client.transport.settings.options())  # verify, proxy, timeout, ...
    if not isinstance(options["verify"], bool | str | os.PathLike):
        return None
    return {
        "keycloak_url": client.keycloak_url,
        "realm": client.realm,
        "client_id": client.client_id,
        "audience": client.audience,
        **options,
        "interactive": False,  # a Dask worker has nobody to log in
    }


def recipe_of(auth: object) -> CredentialsRecipe | None:
    """The recipe of credentials that can be rebuilt from data, else ``None``."""
    from .auth import client_credentials, device, secret_key

    if isinstance(auth, secret_key.Credentials) and auth.legacy_header:
        token = auth.token
        return None if token is None else CredentialsRecipe("secret_key", Secret(token))
    if isinstance(auth, client_credentials.Credentials):
        options = _auth_client_options(auth.client)
        if options is None:
            return None
        return CredentialsRecipe(
            "client_credentials", Secret(auth.client_secret), auth.client_id, options
        )
    if isinstance(auth, device.Credentials):
        options = _auth_client_options(auth.client)
        if options is None:
            return None
        return CredentialsRecipe("device", auth_client=options, cache_dir=os.fspath(auth.cache_dir))
    return None


@dataclass(frozen=True, repr=False)
class ClientConfig:
    """What a Dask worker needs to build the client: configuration and a credentials recipe."""

    settings: TransportSettings
    credentials: CredentialsRecipe | Callable[[], Any] | None
    #: One client per configuration and worker process (credentials refresh there).
    key: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __repr__(self) -> str:
        base = self.settings.base_url
        return f"ClientConfig(base_url={base!r}, credentials={type(self.credentials).__name__})"

    def __dask_tokenize__(self) -> Any:
        return ("cmsdials.ClientConfig", self.key)

    def client(self) -> Dials:
        with _CLIENTS_LOCK:
            found = _CLIENTS.get(self.key)
            if found is None:
                from .cmsdials import Dials

                recipe = self.credentials
                if isinstance(recipe, CredentialsRecipe):
                    creds = recipe.build()
                elif recipe is None:
                    creds = None
                else:
                    creds = recipe()
                found = _CLIENTS[self.key] = Dials(creds, settings=self.settings)
            return found


_CLIENTS: dict[str, Dials] = {}
_CLIENTS_LOCK = threading.Lock()


@dataclass(frozen=True, repr=False)
class FetchPartition:
    """The function of every Dask partition: fetch one key range on the worker."""

    config: ClientConfig
    attribute: str
    query: Mapping[str, Any]
    retries: Any = None

    def __call__(self, lane: Mapping[str, Any]) -> pd.DataFrame:
        from .pagination import Page, PageIterator

        endpoint: ListEndpoint[Any, Any] = getattr(self.config.client(), self.attribute)
        op = endpoint._list_operation()
        query = partitions.lane_query(self.query, lane)
        rows: list[Any] = []
        for page in PageIterator(lambda token: endpoint._fetch(op, query, self.retries, token)):
            rows.extend(page.results)
        return Page(rows, model=endpoint.model).to_pandas()

    def __repr__(self) -> str:
        return f"FetchPartition({self.attribute!r})"

    def __dask_tokenize__(self) -> Any:
        return ("cmsdials.FetchPartition", self.attribute, sorted(self.query.items()))


def to_dask(
    endpoint: ListEndpoint[Any, Any],
    filters: Any,
    *,
    partitions_hint: int,
    retries: Any,
    credentials: Callable[[], Any] | None,
) -> dd.DataFrame:
    dask_df = _dask_dataframe()
    owner = f"{endpoint.name}.to_dask()"
    if isinstance(partitions_hint, bool) or not isinstance(partitions_hint, int):
        raise TypeError(f"{owner}: partitions must be an int, not {partitions_hint!r}")
    if partitions_hint < 1:
        raise ValueError(f"{owner}: partitions must be at least 1, not {partitions_hint}")
    if credentials is not None and not callable(credentials):
        raise TypeError(f"{owner}: credentials must be a zero-argument callable or None")
    op = endpoint._list_operation()
    query = endpoint._query(filters, op, "to_dask")
    query.pop("next_token", None)
    partitions.check_ranges(query, owner)
    transport = endpoint.transport
    verify = transport.settings.verify
    if not isinstance(verify, bool | str | os.PathLike):
        raise TypeError(
            f"{owner}: verify= must be True/False or a CA file path to travel to Dask "
            "workers (an ssl.SSLContext cannot)"
        )
    auth = transport.http.auth
    recipe: CredentialsRecipe | Callable[[], Any] | None
    if credentials is not None:
        recipe = credentials
    elif auth is None:
        recipe = None
    else:
        recipe = recipe_of(auth)
        if recipe is None:
            raise TypeError(
                f"{owner}: {type(auth).__name__} cannot be rebuilt on a Dask worker from "
                "data: pass credentials=, a picklable zero-argument function returning the "
                "credentials on the worker (e.g. from the shared cache file)"
            )
    parts = [
        dict(lane.filters)
        for lane in endpoint._make_plan(
            query,
            max(1, partitions_hint // partitions.DEFAULT_PARTITIONS_PER_WORKER),
            owner,
            parts=partitions_hint,
            retries=retries,
        ).lanes
    ]
    config = ClientConfig(transport.settings, recipe)
    func = FetchPartition(config, endpoint.name, dict(query), retries)
    from .pagination import Page

    meta = Page([], model=endpoint.model).to_pandas()
    import dask

    # Dask would turn every object column into strings (convert-string): the histograms'
    # ``data`` lists too. The rows' columns stay as to_pandas() makes them.
    with dask.config.set({"dataframe.convert-string": False}):
        frame: dd.DataFrame = dask_df.from_map(
            func,
            parts,
            meta=meta,
            label=f"dials-{endpoint.name}",
            enforce_metadata=False,
        )
    return frame
