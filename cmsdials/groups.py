"""The one hand table: the classic client's names for DIALS's routes.

Each line is one endpoint group of ``Dials``: the attribute (``dials.h1d``), the
route below ``/api/v1/`` that serves it, and the stem of its classic class names
(rows ``LumisectionHistogram1D``, filters ``LumisectionHistogram1DFilters``,
client ``LumisectionHistogram1DClient``). Everything else (the list, retrieve
and count operations, their parameters, the row fields) is found in the
generated package by :mod:`cmsdials.adapter` from the route alone.

When DIALS adds a list route, one line here makes it ``dials.<attribute>``
with ``get``, ``list``, ``list_all``, ``iter_items``, ``count`` and filters.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GROUPS", "Group", "group"]


@dataclass(frozen=True)
class Group:
    attribute: str
    route: str
    stem: str
    #: The classic filter class name where it is not ``<stem>Filters``.
    filters_name: str = ""
    #: Other attribute names of ``Dials`` for the same group.
    aliases: tuple[str, ...] = ()

    @property
    def filters(self) -> str:
        return self.filters_name or f"{self.stem}Filters"

    @property
    def client(self) -> str:
        return f"{self.stem}Client"


GROUPS: tuple[Group, ...] = (
    Group("dataset_index", "dataset-index/", "DatasetIndex"),
    Group("file_index", "file-index/", "FileIndex"),
    Group("h1d", "th1/", "LumisectionHistogram1D"),
    Group("h2d", "th2/", "LumisectionHistogram2D"),
    Group("lumi", "lumisection/", "Lumisection"),
    Group("run", "run/", "Run"),
    Group("mes", "mes/", "MonitoringElement", filters_name="MEFilters"),
    Group("ml_models_index", "ml-models-index/", "MLModelsIndex"),
    Group(
        "ml_bad_lumis", "ml-bad-lumisection/", "MLBadLumisection", aliases=("ml_bad_lumisection",)
    ),
)

_BY_ATTRIBUTE = {g.attribute: g for g in GROUPS}


def group(attribute: str) -> Group:
    """The group ``dials.<attribute>``."""
    return _BY_ATTRIBUTE[attribute]
