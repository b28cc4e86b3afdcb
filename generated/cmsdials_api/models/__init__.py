"""Contains all the data models used in inputs/outputs"""

from .caf_json import CAFJson
from .caf_json_content import CAFJsonContent
from .cert_json_ml_bad_lumisection_body import CertJsonMlBadLumisectionBody
from .configured_workspaces import ConfiguredWorkspaces
from .count import Count
from .dataset_index import DatasetIndex
from .file_index import FileIndex
from .golden_json_ml_bad_lumisection_body import GoldenJsonMlBadLumisectionBody
from .lumisection import Lumisection
from .m_es import MEs
from .minified_m_es import MinifiedMEs
from .ml_bad_lumisection import MLBadLumisection
from .ml_bad_lumisection_cert_entry import MLBadLumisectionCertEntry
from .ml_bad_lumisection_cert_json import MLBadLumisectionCertJson
from .ml_bad_lumisection_cert_json_additional_property import (
    MLBadLumisectionCertJsonAdditionalProperty,
)
from .ml_bad_lumisection_golden_json import MLBadLumisectionGoldenJson
from .ml_models_index import MLModelsIndex
from .ml_models_index_input_signature_item import MLModelsIndexInputSignatureItem
from .ml_models_index_output_signature_item import MLModelsIndexOutputSignatureItem
from .ml_models_index_tags_type_0_item import MLModelsIndexTagsType0Item
from .paginated_dataset_index_list import PaginatedDatasetIndexList
from .paginated_file_index_list import PaginatedFileIndexList
from .paginated_lumisection_list import PaginatedLumisectionList
from .paginated_ml_bad_lumisection_list import PaginatedMLBadLumisectionList
from .paginated_ml_models_index_list import PaginatedMLModelsIndexList
from .paginated_run_list import PaginatedRunList
from .paginated_th1_list import PaginatedTH1List
from .paginated_th2_list import PaginatedTH2List
from .proxy_oms_filter import ProxyOmsFilter
from .proxy_oms_page import ProxyOmsPage
from .proxy_oms_response_200 import ProxyOmsResponse200
from .run import Run
from .th1 import TH1
from .th2 import TH2
from .user_default_workspace import UserDefaultWorkspace

__all__ = (
    "CAFJson",
    "CAFJsonContent",
    "CertJsonMlBadLumisectionBody",
    "ConfiguredWorkspaces",
    "Count",
    "DatasetIndex",
    "FileIndex",
    "GoldenJsonMlBadLumisectionBody",
    "Lumisection",
    "MEs",
    "MinifiedMEs",
    "MLBadLumisection",
    "MLBadLumisectionCertEntry",
    "MLBadLumisectionCertJson",
    "MLBadLumisectionCertJsonAdditionalProperty",
    "MLBadLumisectionGoldenJson",
    "MLModelsIndex",
    "MLModelsIndexInputSignatureItem",
    "MLModelsIndexOutputSignatureItem",
    "MLModelsIndexTagsType0Item",
    "PaginatedDatasetIndexList",
    "PaginatedFileIndexList",
    "PaginatedLumisectionList",
    "PaginatedMLBadLumisectionList",
    "PaginatedMLModelsIndexList",
    "PaginatedRunList",
    "PaginatedTH1List",
    "PaginatedTH2List",
    "ProxyOmsFilter",
    "ProxyOmsPage",
    "ProxyOmsResponse200",
    "Run",
    "TH1",
    "TH2",
    "UserDefaultWorkspace",
)
