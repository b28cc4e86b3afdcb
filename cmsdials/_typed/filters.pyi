# Written by scripts/typed_groups.py (make regen) from cmsdials/groups.py and the
# generated package: what type checkers see of each group. Never edit by hand.
from typing_extensions import Unpack

from cmsdials_api.api.dataset_index import DatasetIndexFilters as _DatasetIndexFilters
from cmsdials_api.api.file_index import FileIndexFilters as _FileIndexFilters
from cmsdials_api.api.lumisection import LumisectionFilters as _LumisectionFilters
from cmsdials_api.api.mes import MEsFilters as _MEsFilters
from cmsdials_api.api.ml_bad_lumisection import MLBadLumisectionFilters as _MLBadLumisectionFilters
from cmsdials_api.api.ml_models_index import MLModelsIndexFilters as _MLModelsIndexFilters
from cmsdials_api.api.run import RunFilters as _RunFilters
from cmsdials_api.api.th1 import TH1Filters as _TH1Filters
from cmsdials_api.api.th2 import TH2Filters as _TH2Filters

from ..filters import Filters

class DatasetIndexFilters(Filters):
    def __init__(self, **filters: Unpack[_DatasetIndexFilters]) -> None: ...

class FileIndexFilters(Filters):
    def __init__(self, **filters: Unpack[_FileIndexFilters]) -> None: ...

class LumisectionHistogram1DFilters(Filters):
    def __init__(self, **filters: Unpack[_TH1Filters]) -> None: ...

class LumisectionHistogram2DFilters(Filters):
    def __init__(self, **filters: Unpack[_TH2Filters]) -> None: ...

class LumisectionFilters(Filters):
    def __init__(self, **filters: Unpack[_LumisectionFilters]) -> None: ...

class RunFilters(Filters):
    def __init__(self, **filters: Unpack[_RunFilters]) -> None: ...

class MEFilters(Filters):
    def __init__(self, **filters: Unpack[_MEsFilters]) -> None: ...

class MLModelsIndexFilters(Filters):
    def __init__(self, **filters: Unpack[_MLModelsIndexFilters]) -> None: ...

class MLBadLumisectionFilters(Filters):
    def __init__(self, **filters: Unpack[_MLBadLumisectionFilters]) -> None: ...

__all__ = [
    "DatasetIndexFilters",
    "FileIndexFilters",
    "LumisectionHistogram1DFilters",
    "LumisectionHistogram2DFilters",
    "LumisectionFilters",
    "RunFilters",
    "MEFilters",
    "MLModelsIndexFilters",
    "MLBadLumisectionFilters",
]
