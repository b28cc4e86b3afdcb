"""Rows out: a table fitted to the terminal, or JSON, CSV or Parquet for pipes and files.

* ``table``: one line per row, columns cut to the terminal's width (the columns
  that do not fit are named on stderr), histogram bins summarised
  (``100 bins in [0, 80000)``).
* ``json``: a list of row objects; dates as ISO 8601 UTC (``2024-05-01T12:00:00Z``).
* ``csv``: a header and one line per row; a list (the bins) as JSON text in its
  cell, dates as in JSON, ``None`` as an empty cell.
* ``parquet``: one file (pyarrow); dates as UTC timestamps, bins as lists.

JSON and CSV are written page by page as the pages arrive (constant memory);
the table and Parquet need every row first. A file (``-o``) is written under a
temporary name and renamed when complete, so it is never seen half written.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import click

__all__ = ["FORMATS", "RowWriter", "format_for", "jsonable", "open_output", "write_rows"]

FORMATS = ("table", "json", "csv", "parquet")
#: The widest a table column gets before its cells are cut.
MAX_CELL = 48
#: Fields that a table's summary of the bins (``data``) already shows.
_AXES = frozenset({"x_min", "x_max", "x_bin", "y_min", "y_max", "y_bin"})
#: Text longer than this may be cut in a table (a date to the second is 20 long).
LONG_CELL = 24
#: The narrowest a column is cut to before columns are left out.
MIN_CELL = 14
#: Width of a table when the terminal's is unknown.
DEFAULT_WIDTH = 100


def format_for(fmt: str | None, path: str | None) -> str:
    """The format asked for, else the one the output file's suffix names, else ``table``."""
    if fmt is not None:
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".") if path else ""
    return suffix if suffix in FORMATS[1:] else "table"


def utc(moment: dt.datetime) -> dt.datetime:
    """An aware UTC datetime (a naive one is taken as UTC, as DIALS's dates are)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def iso(moment: dt.datetime | dt.date) -> str:
    """ISO 8601, UTC as ``Z``."""
    if isinstance(moment, dt.datetime):
        return utc(moment).isoformat().replace("+00:00", "Z")
    return moment.isoformat()


def jsonable(value: Any) -> Any:
    """``value`` with its dates as ISO 8601 UTC text (lists and dicts walked)."""
    if isinstance(value, dt.date):
        return iso(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def _dump(row: Any) -> dict[str, Any]:
    from cmsdials.models import model_dump

    return model_dump(row) if not isinstance(row, dict) else dict(row)


@contextlib.contextmanager
def open_output(path: str | None, binary: bool = False) -> Iterator[IO[Any]]:
    """stdout, or ``path`` written under a temporary name and renamed when the block ends."""
    if path is None or path == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb" if binary else "w", **({} if binary else _TEXT)) as handle:
            yield handle
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


_TEXT: dict[str, Any] = {"encoding": "utf-8", "newline": ""}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class RowWriter:
    """Writes rows in one format: ``write(rows)`` per page, then ``close()``."""

    def __init__(self, fmt: str, stream: IO[Any], *, columns: Iterable[str] = ()) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        self.fmt = fmt
        self.stream = stream
        #: The model's fields: the columns of an empty result, and the first columns.
        self.columns: list[str] = list(columns)
        self.rows: list[dict[str, Any]] = []  # table and parquet: every row
        self.count = 0
        self._seen: dict[str, None] = dict.fromkeys(self.columns)  # every column, in order
        self._csv: Any = None

    def write(self, rows: Iterable[Any]) -> None:
        for row in rows:
            values = _dump(row)
            if values.keys() - self._seen.keys():
                self._seen.update(dict.fromkeys(values))
            if self.fmt == "json":
                self._json(values)
            elif self.fmt == "csv":
                self._csv_row(values)
            else:
                self.rows.append(values)
            self.count += 1

    def names(self) -> list[str]:
        """The columns: the model's fields, then any other field a row has."""
        return list(self._seen)

    # -- streaming formats ---------------------------------------------------------
    def _json(self, values: Mapping[str, Any]) -> None:
        import orjson

        self.stream.write("[\n" if not self.count else ",\n")
        self.stream.write(orjson.dumps(jsonable(values)).decode())

    def _csv_row(self, values: Mapping[str, Any]) -> None:
        import orjson

        if self._csv is None:
            self._csv = csv.DictWriter(
                self.stream, fieldnames=list(self._seen), extrasaction="ignore"
            )
            self._csv.writeheader()
        cells: dict[str, Any] = {}
        for key, value in values.items():
            if isinstance(value, list | dict):
                cells[key] = orjson.dumps(jsonable(value)).decode()
            elif isinstance(value, dt.date):
                cells[key] = iso(value)
            else:
                cells[key] = value
        self._csv.writerow(cells)

    # -- the end -------------------------------------------------------------------
    def close(self) -> None:
        if self.fmt == "json":
            self.stream.write("[]\n" if not self.count else "\n]\n")
        elif self.fmt == "csv":
            if self._csv is None and self.columns:
                csv.writer(self.stream).writerow(self.columns)
        elif self.fmt == "parquet":
            self._parquet()
        else:
            names = self.names()
            filled = [n for n in names if any(row.get(n) is not None for row in self.rows)]
            if "data" in filled:  # the bins' summary shows the axes
                filled = [n for n in filled if n not in _AXES]
            self.stream.write(table(self.rows, filled or names))
        self.stream.flush()

    def _parquet(self) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise click.ClickException(
                "--format parquet needs pyarrow, which is not installed: "
                "pip install 'cmsdials[store]'"
            ) from None
        names = self.names()
        columns = {name: [_arrow_value(row.get(name)) for row in self.rows] for name in names}
        if self.rows:
            frame = pa.table(columns)
        else:
            frame = pa.table({name: pa.array([], pa.null()) for name in names})
        pq.write_table(frame, self.stream)


def _arrow_value(value: Any) -> Any:
    return utc(value) if isinstance(value, dt.datetime) else value


# -- the table --------------------------------------------------------------------


def cell(name: str, value: Any, values: Mapping[str, Any]) -> str:
    """One value as the table shows it: bins summarised, long text cut."""
    if name == "data" and isinstance(value, list):
        from cmsdials.plotting import bins_summary

        return bins_summary(values)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):  # to the second: the table's width is precious
        return iso(value.replace(microsecond=0))
    if isinstance(value, dt.date):
        return iso(value)
    if isinstance(value, list):
        return f"<{len(value)} values>" if len(value) > 4 else ",".join(map(str, value))
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 3] + "..."


def terminal_width() -> int:
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


def table(rows: list[dict[str, Any]], names: list[str], width: int | None = None) -> str:
    """The rows as an aligned table at most ``width`` wide (the terminal's by default).

    The widest columns of paths or long text are narrowed first (their cells cut, down to
    :data:`MIN_CELL`);
    columns that still do not fit are left out, from the right, and named on stderr.
    """
    width = width or terminal_width()
    if not rows:
        return ""
    cells = [[cell(n, row.get(n), row) for n in names] for row in rows]
    widths = [max(len(n), *(len(c[i]) for c in cells)) for i, n in enumerate(names)]
    gap = 2
    # Paths and long text are narrowed; numbers, dates and the bins' summary stay whole.
    narrowed = [
        i
        for i, n in enumerate(names)
        if n != "data" and any("/" in c[i] or len(c[i]) > LONG_CELL for c in cells)
    ]
    while narrowed and sum(widths) + gap * (len(widths) - 1) > width:
        widest = max(narrowed, key=widths.__getitem__)
        if widths[widest] <= MIN_CELL:
            break
        widths[widest] -= 1
    # Columns are left out from the right, the bins' summary last.
    order = sorted(range(len(names)), key=lambda i: (names[i] == "data", -i))
    shown = list(range(len(names)))
    for i in order:
        if sum(widths[j] for j in shown) + gap * (len(shown) - 1) <= width or len(shown) == 1:
            break
        shown.remove(i)
    hidden = [names[i] for i in range(len(names)) if i not in shown]

    def line(texts: list[str]) -> str:
        return "  ".join(_fit(texts[i], widths[i]) for i in shown).rstrip()[:width] + "\n"

    out = io.StringIO()
    out.write(line(names))
    for row_cells in cells:
        out.write(line(row_cells))
    if hidden:
        click.echo(
            f"({len(hidden)} column(s) not shown at this width: {', '.join(hidden)}; "
            "pick some with --fields, or use --format json|csv)",
            err=True,
        )
    return out.getvalue()


def _fit(text: str, width: int) -> str:
    """``text`` in ``width`` characters; a path keeps its end (the ME's or dataset's name)."""
    if len(text) <= width:
        return text.ljust(width)
    if "/" in text:
        return "..." + text[len(text) - width + 3 :]
    return text[: width - 3] + "..."


def write_rows(
    rows: Iterable[Any], fmt: str, path: str | None, *, columns: Iterable[str] = ()
) -> int:
    """Write ``rows`` (one batch) in ``fmt`` to ``path`` or stdout; the number written."""
    with open_output(path, binary=fmt == "parquet") as stream:
        writer = RowWriter(fmt, stream, columns=columns)
        writer.write(rows)
        writer.close()
    return writer.count
