# Written by scripts/typed_groups.py (make regen) from cmsdials/groups.py and the
# generated package: what type checkers see of each group. Never edit by hand.
from cmsdials_api.api.dataset_index import DatasetIndexFilters as DatasetIndexFilters
from cmsdials_api.api.dataset_index import DatasetIndexGet as DatasetIndexGet
from cmsdials_api.api.dataset_index import DatasetIndexRow as DatasetIndexRow
from cmsdials_api.api.dataset_index import (
    PaginatedDatasetIndexListRow as PaginatedDatasetIndexListRow,
)
from cmsdials_api.api.file_index import CountRow as CountRow
from cmsdials_api.api.file_index import FileIndexFilters as FileIndexFilters
from cmsdials_api.api.file_index import FileIndexGet as FileIndexGet
from cmsdials_api.api.file_index import FileIndexRow as FileIndexRow
from cmsdials_api.api.file_index import PaginatedFileIndexListRow as PaginatedFileIndexListRow
from cmsdials_api.api.lumisection import LumisectionFilters as LumisectionFilters
from cmsdials_api.api.lumisection import LumisectionGet as LumisectionGet
from cmsdials_api.api.lumisection import LumisectionRow as LumisectionRow
from cmsdials_api.api.lumisection import PaginatedLumisectionListRow as PaginatedLumisectionListRow
from cmsdials_api.api.mes import MEsFilters as MEsFilters
from cmsdials_api.api.mes import MEsGet as MEsGet
from cmsdials_api.api.mes import MEsRow as MEsRow
from cmsdials_api.api.mes import MinifiedMEsRow as MinifiedMEsRow
from cmsdials_api.api.ml_bad_lumisection import MLBadLumisectionFilters as MLBadLumisectionFilters
from cmsdials_api.api.ml_bad_lumisection import MLBadLumisectionGet as MLBadLumisectionGet
from cmsdials_api.api.ml_bad_lumisection import MLBadLumisectionRow as MLBadLumisectionRow
from cmsdials_api.api.ml_bad_lumisection import (
    PaginatedMLBadLumisectionListRow as PaginatedMLBadLumisectionListRow,
)
from cmsdials_api.api.ml_models_index import MLModelsIndexFilters as MLModelsIndexFilters
from cmsdials_api.api.ml_models_index import MLModelsIndexGet as MLModelsIndexGet
from cmsdials_api.api.ml_models_index import MLModelsIndexRow as MLModelsIndexRow
from cmsdials_api.api.ml_models_index import (
    PaginatedMLModelsIndexListRow as PaginatedMLModelsIndexListRow,
)
from cmsdials_api.api.run import PaginatedRunListRow as PaginatedRunListRow
from cmsdials_api.api.run import RunFilters as RunFilters
from cmsdials_api.api.run import RunGet as RunGet
from cmsdials_api.api.run import RunRow as RunRow
from cmsdials_api.api.th1 import PaginatedTH1ListRow as PaginatedTH1ListRow
from cmsdials_api.api.th1 import TH1Filters as TH1Filters
from cmsdials_api.api.th1 import TH1Get as TH1Get
from cmsdials_api.api.th1 import TH1Row as TH1Row
from cmsdials_api.api.th2 import PaginatedTH2ListRow as PaginatedTH2ListRow
from cmsdials_api.api.th2 import TH2Filters as TH2Filters
from cmsdials_api.api.th2 import TH2Get as TH2Get
from cmsdials_api.api.th2 import TH2Row as TH2Row
from cmsdials_api.api.third_parties import CAFJsonContentRow as CAFJsonContentRow
from cmsdials_api.api.third_parties import CAFJsonRow as CAFJsonRow
from cmsdials_api.api.workspace import ConfiguredWorkspacesRow as ConfiguredWorkspacesRow
from cmsdials_api.api.workspace import UserDefaultWorkspaceRow as UserDefaultWorkspaceRow
