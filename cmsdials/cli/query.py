"""``-f KEY=VALUE`` and the shorthands, into the library's own filter objects.

Values stay text here; the filter class of the group (:func:`cmsdials.filters.filters_class`)
types and checks them exactly as it does for Python callers (``"360392"`` is an
``int``, a misspelt key names the closest valid ones), before any request. The
one thing the command line adds is the list syntax: a value of a list filter is
split at commas (``-f run_number__in=1,2,3``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from cmsdials.filters import Filters, ParamSet

__all__ = ["Selection", "filters_of", "is_list", "parse_runs", "split_pairs"]

#: Most runs ``--runs A-B`` lists for a group that filters runs by ``run_number__in`` only.
MAX_LISTED_RUNS = 1000

_RUNS = re.compile(r"\s*(\d*)\s*(-?)\s*(\d*)\s*")


def is_list(kind: str) -> bool:
    """A spec kind whose value is a list (``list[int]``, or a nullable one)."""
    return kind.startswith("list[") or (kind.startswith("union[list["))


def split_pairs(pairs: Iterable[str], hint: str) -> dict[str, str]:
    """``KEY=VALUE`` items as a dict (a usage error for a malformed or repeated key)."""
    out: dict[str, str] = {}
    for item in pairs:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint=hint)
        if key in out:
            raise click.BadParameter(f"{key} is given twice", param_hint=hint)
        out[key] = value
    return out


def parse_runs(text: str) -> tuple[int | None, int | None]:
    """``A-B``, ``A`` (one run), ``A-`` or ``-B`` as (first, last)."""
    match = _RUNS.fullmatch(text)
    if match is None or not (match[1] or match[3]):
        raise click.BadParameter(
            f"{text!r} is not a run or a range of runs (e.g. 378142-378970, 378142, 378142-)",
            param_hint="'--runs'",
        )
    first = int(match[1]) if match[1] else None
    last = int(match[3]) if match[3] else None
    if not match[2]:
        return first, first
    if first is not None and last is not None and first > last:
        raise click.BadParameter(
            f"{text!r}: the first run is after the last", param_hint="'--runs'"
        )
    return first, last


@dataclass(frozen=True)
class Selection:
    """What the filter options of a command said, before they are checked."""

    pairs: Sequence[str] = ()
    runs: str | None = None
    dataset_regex: str | None = None
    me_regex: str | None = None
    fields: str | None = None

    def values(self, params: ParamSet, group: str) -> dict[str, Any]:
        """Wire-named values (text, or lists of text) for ``params``; shorthands expanded."""
        raw: dict[str, Any] = {}
        for key, value in split_pairs(self.pairs, "'-f'").items():
            param = params.by_wire.get(key)
            raw[key] = _split(value) if param is not None and is_list(param.type_name) else value

        def put(option: str, key: str, value: Any) -> None:
            if key not in params.by_wire:
                raise click.BadParameter(
                    f"dials {group} rows have no {key} filter", param_hint=f"'{option}'"
                )
            if key in raw:
                raise click.BadParameter(f"{key} is also given with -f", param_hint=f"'{option}'")
            raw[key] = value

        if self.runs is not None:
            self._put_runs(params, group, put)
        if self.dataset_regex is not None:
            put("--dataset-regex", "dataset__regex", self.dataset_regex)
        if self.me_regex is not None:
            put("--me-regex", "me__regex", self.me_regex)
        if self.fields is not None:
            put("--fields", "fields", _split(self.fields))
        return raw

    def _put_runs(self, params: ParamSet, group: str, put: Any) -> None:
        assert self.runs is not None
        first, last = parse_runs(self.runs)
        names = params.by_wire
        if first is not None and first == last and "run_number" in names:
            put("--runs", "run_number", first)
        elif "run_number__gte" in names and "run_number__lte" in names:
            if first is not None:
                put("--runs", "run_number__gte", first)
            if last is not None:
                put("--runs", "run_number__lte", last)
        elif "run_number__in" in names and first is not None and last is not None:
            if last - first >= MAX_LISTED_RUNS:
                raise click.BadParameter(
                    f"dials {group} filters runs by a list (run_number__in): "
                    f"{last - first + 1} runs are too many to list",
                    param_hint="'--runs'",
                )
            put("--runs", "run_number__in", list(range(first, last + 1)))
        else:
            raise click.BadParameter(
                f"dials {group} rows cannot be selected by this range of runs",
                param_hint="'--runs'",
            )


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def filters_of(group: str, selection: Selection, extra: Mapping[str, Any] | None = None) -> Filters:
    """The group's filter object for ``selection``: checked by the library, before any request."""
    from cmsdials.filters import filters_class

    cls = filters_class(group)
    values = selection.values(cls.params(), group)
    for key, value in (extra or {}).items():
        values.setdefault(key, value)
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint="'-f'") from None
