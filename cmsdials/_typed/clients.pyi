# Written by scripts/typed_groups.py (make regen) from cmsdials/groups.py and the
# generated package: what type checkers see of each group. Never edit by hand.
from cmsdials_api.api.dataset_index import DatasetIndexGet as _DatasetIndexGet
from cmsdials_api.api.file_index import FileIndexGet as _FileIndexGet
from cmsdials_api.api.lumisection import LumisectionGet as _LumisectionGet
from cmsdials_api.api.ml_models_index import MLModelsIndexGet as _MLModelsIndexGet
from cmsdials_api.api.run import RunGet as _RunGet
from cmsdials_api.api.th1 import TH1Get as _TH1Get
from cmsdials_api.api.th2 import TH2Get as _TH2Get

from ..endpoints import ListEndpoint, MLBadLumisectionClient, MonitoringElementClient
from ..settings import RetriesType
from .filters import *
from .rows import *

class DatasetIndexClient(ListEndpoint[DatasetIndex, DatasetIndexFilters]):
    get: _DatasetIndexGet[DatasetIndex, RetriesType]  # type: ignore[assignment]
    __call__: _DatasetIndexGet[DatasetIndex, RetriesType]  # type: ignore[assignment]

class FileIndexClient(ListEndpoint[FileIndex, FileIndexFilters]):
    get: _FileIndexGet[FileIndex, RetriesType]  # type: ignore[assignment]
    __call__: _FileIndexGet[FileIndex, RetriesType]  # type: ignore[assignment]

class LumisectionHistogram1DClient(
    ListEndpoint[LumisectionHistogram1D, LumisectionHistogram1DFilters]
):
    get: _TH1Get[LumisectionHistogram1D, RetriesType]  # type: ignore[assignment]
    __call__: _TH1Get[LumisectionHistogram1D, RetriesType]  # type: ignore[assignment]

class LumisectionHistogram2DClient(
    ListEndpoint[LumisectionHistogram2D, LumisectionHistogram2DFilters]
):
    get: _TH2Get[LumisectionHistogram2D, RetriesType]  # type: ignore[assignment]
    __call__: _TH2Get[LumisectionHistogram2D, RetriesType]  # type: ignore[assignment]

class LumisectionClient(ListEndpoint[Lumisection, LumisectionFilters]):
    get: _LumisectionGet[Lumisection, RetriesType]  # type: ignore[assignment]
    __call__: _LumisectionGet[Lumisection, RetriesType]  # type: ignore[assignment]

class RunClient(ListEndpoint[Run, RunFilters]):
    get: _RunGet[Run, RetriesType]  # type: ignore[assignment]
    __call__: _RunGet[Run, RetriesType]  # type: ignore[assignment]

class MLModelsIndexClient(ListEndpoint[MLModelsIndex, MLModelsIndexFilters]):
    get: _MLModelsIndexGet[MLModelsIndex, RetriesType]  # type: ignore[assignment]
    __call__: _MLModelsIndexGet[MLModelsIndex, RetriesType]  # type: ignore[assignment]

class Groups:
    """The groups of ``Dials`` (``dials.<attribute>``)."""

    dataset_index: DatasetIndexClient
    file_index: FileIndexClient
    h1d: LumisectionHistogram1DClient
    h2d: LumisectionHistogram2DClient
    lumi: LumisectionClient
    run: RunClient
    mes: MonitoringElementClient
    ml_models_index: MLModelsIndexClient
    ml_bad_lumis: MLBadLumisectionClient
    ml_bad_lumisection: MLBadLumisectionClient

__all__ = [
    "DatasetIndexClient",
    "FileIndexClient",
    "LumisectionHistogram1DClient",
    "LumisectionHistogram2DClient",
    "LumisectionClient",
    "RunClient",
    "MLModelsIndexClient",
    "Groups",
]
