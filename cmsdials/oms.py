"""OMS as a table: ``dials.oms.table(endpoint, filters, pages)`` → :class:`OMSTable`.

``dials.oms.query`` returns one raw JSON:API answer of OMS (through DIALS's proxy),
as the classic did: one page, ``data[i]["attributes"]`` to flatten by hand.
``table`` takes the same arguments and follows every page: it asks for
``page[offset]``/``page[limit]`` (starting where ``pages`` says, else at 0 with OMS's
default limit) and moves on to the offset of the answer's ``links.next``, until OMS
gives no ``next`` (or ``max_pages`` pages were read). An answer without ``links``
is continued from ``meta.totalResourceCount`` (or until a short page). A
``links.next`` that does not move forward is a
:class:`~cmsdials.exceptions.DialsCursorLoopError`. A progress bar counts the pages
where a person is looking (``enable_progress`` as in ``list_all``).

:meth:`OMSTable.to_pandas` flattens the resources' ``attributes`` (nested objects
as ``parent.child`` columns; ``*_time`` columns as UTC timestamps), indexed by
``run_number``, and by (``run_number``, ``lumisection_number``) where the endpoint
has lumisections.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from .exceptions import DialsCursorLoopError, DialsDecodeError
from .filters import OMSFilter, OMSPage
from .progress import progress

if TYPE_CHECKING:
    import pandas as pd

    from .endpoints import OMSProxyClient
    from .settings import RetriesType

__all__ = ["INDEX", "OMSTable", "fetch_table"]

#: The index of a table, the longest that its rows have: (run) or (run, lumisection).
INDEX = ("run_number", "lumisection_number")


@dataclass
class OMSTable:
    """Every resource of an OMS endpoint's pages: ``data`` (JSON:API resources, as sent),
    ``meta`` (of the last page), ``pages`` read and ``total`` (OMS's
    ``totalResourceCount``, when it says)."""

    endpoint: str
    data: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    pages: int = 0
    total: int | None = None

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Each resource's ``attributes``."""
        return [item.get("attributes") or {} for item in self.data]

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __repr__(self) -> str:
        total = f" of {self.total}" if self.total is not None else ""
        return f"OMSTable({self.endpoint!r}, {len(self)} rows{total}, {self.pages} pages)"

    def to_pandas(self) -> pd.DataFrame:
        """The attributes, one column each (nested objects flattened with ``.``), indexed by
        ``run_number`` (and ``lumisection_number``). Needs ``pip install 'cmsdials[pandas]'``."""
        try:
            import pandas
        except ImportError:
            raise ImportError(
                "OMSTable.to_pandas() needs pandas, which is not installed: "
                "pip install 'cmsdials[pandas]'"
            ) from None
        frame: pd.DataFrame = pandas.json_normalize(self.rows, sep=".")
        for name in frame.columns:
            column = frame[name]
            if str(name).endswith("_time") and not pandas.api.types.is_numeric_dtype(column):
                frame[name] = pandas.to_datetime(column, utc=True, errors="coerce")
        index = [name for name in INDEX if name in frame.columns]
        if index and index[0] == INDEX[0]:
            frame = frame.set_index(index)
        return frame


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _next_window(url: str) -> tuple[int | None, int | None]:
    """``page[offset]`` and ``page[limit]`` of a ``links.next`` URL."""
    query = parse_qs(urlsplit(url).query)
    offset = _int(query.get("page[offset]", [None])[-1])
    limit = _int(query.get("page[limit]", [None])[-1])
    return offset, limit


def fetch_table(
    client: OMSProxyClient,
    endpoint: str,
    filters: Sequence[OMSFilter] | None = None,
    pages: Sequence[OMSPage] | None = None,
    *,
    max_pages: int | None = None,
    enable_progress: bool | None = None,
    retries: RetriesType = None,
    timeout: float | None = None,
) -> OMSTable:
    """The body of ``dials.oms.table`` (see the module doc)."""
    if max_pages is not None and (
        isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1
    ):
        raise ValueError(
            f"oms.table(): max_pages must be None or a positive int, not {max_pages!r}"
        )
    given = {p.attribute_name: p for p in pages or () if isinstance(p, OMSPage)}
    offset = given["offset"].value if "offset" in given else 0
    limit = given["limit"].value if "limit" in given else None
    others = [
        p
        for p in pages or ()
        if getattr(p, "attribute_name", None) not in given.keys() & {"offset", "limit"}
    ]
    table = OMSTable(endpoint)
    bar = progress(enable_progress)
    try:
        while True:
            window = [*others, OMSPage("offset", offset)]
            if limit is not None:
                window.append(OMSPage("limit", limit))
            answer = client.query(
                endpoint,
                list(filters) if filters is not None else None,
                window,
                retries,
                timeout=timeout,
            )
            data = answer.get("data") if isinstance(answer, dict) else None
            if not isinstance(data, list):
                raise DialsDecodeError(
                    f"OMS {endpoint}: expected a JSON:API answer with a data list, got "
                    f"{str(answer)[:80]!r}"
                )
            table.data.extend(data)
            table.pages += 1
            meta = answer.get("meta")
            table.meta = meta if isinstance(meta, dict) else {}
            table.total = _int(table.meta.get("totalResourceCount"))
            if bar is not None:
                bar.page(rows=len(data))
            if max_pages is not None and table.pages >= max_pages:
                break
            links = answer.get("links")
            following: int | None
            if isinstance(links, dict) and "next" in links:
                nxt = links.get("next")
                if not nxt:
                    break
                following, next_limit = _next_window(str(nxt))
                if following is None:
                    raise DialsDecodeError(f"OMS {endpoint}: links.next has no page[offset]: {nxt}")
                if following <= offset:
                    raise DialsCursorLoopError(str(nxt), table.pages)
                limit = next_limit if next_limit is not None else limit
            elif not data or (limit is not None and len(data) < limit):
                break
            else:
                following = offset + len(data)
                if table.total is not None and following >= table.total:
                    break
            offset = following
    finally:
        if bar is not None:
            bar.close()
    return table
