# Written by scripts/typed_groups.py (make regen) from cmsdials/groups.py and the
# generated package: what type checkers see of each group. Never edit by hand.
from cmsdials_api.api.dataset_index import DatasetIndexRow as _DatasetIndexRow
from cmsdials_api.api.file_index import FileIndexRow as _FileIndexRow
from cmsdials_api.api.lumisection import LumisectionRow as _LumisectionRow
from cmsdials_api.api.mes import MEsRow as _MEsRow
from cmsdials_api.api.ml_bad_lumisection import MLBadLumisectionRow as _MLBadLumisectionRow
from cmsdials_api.api.ml_models_index import MLModelsIndexRow as _MLModelsIndexRow
from cmsdials_api.api.run import RunRow as _RunRow
from cmsdials_api.api.th1 import TH1Row as _TH1Row
from cmsdials_api.api.th2 import TH2Row as _TH2Row

from ..models import DialsModel

class DatasetIndex(DialsModel, _DatasetIndexRow): ...
class FileIndex(DialsModel, _FileIndexRow): ...
class LumisectionHistogram1D(DialsModel, _TH1Row): ...
class LumisectionHistogram2D(DialsModel, _TH2Row): ...
class Lumisection(DialsModel, _LumisectionRow): ...
class Run(DialsModel, _RunRow): ...
class MonitoringElement(DialsModel, _MEsRow): ...
class MLModelsIndex(DialsModel, _MLModelsIndexRow): ...
class MLBadLumisection(DialsModel, _MLBadLumisectionRow): ...

__all__ = [
    "DatasetIndex",
    "FileIndex",
    "LumisectionHistogram1D",
    "LumisectionHistogram2D",
    "Lumisection",
    "Run",
    "MonitoringElement",
    "MLModelsIndex",
    "MLBadLumisection",
]
