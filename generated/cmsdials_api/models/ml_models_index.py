from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from dateutil.parser import isoparse

if TYPE_CHECKING:
    from ..models.ml_models_index_input_signature_item import (
        MLModelsIndexInputSignatureItem,
    )
    from ..models.ml_models_index_output_signature_item import (
        MLModelsIndexOutputSignatureItem,
    )
    from ..models.ml_models_index_tags_type_0_item import MLModelsIndexTagsType0Item


T = TypeVar("T", bound="MLModelsIndex")


@_attrs_define
class MLModelsIndex:
    id: int
    name: str
    revision: int
    ready: bool
    active: bool
    type_: str
    anomaly_threshold: float | None
    builtin_threshold: bool
    description: str
    flagging_key: None | str
    input_signature: list[MLModelsIndexInputSignatureItem]
    metric_key: None | str
    output_signature: list[MLModelsIndexOutputSignatureItem]
    tags: list[MLModelsIndexTagsType0Item] | None
    isvc_service_name: None | str
    isvc_yaml: None | str
    created_by: str
    modified_by: str
    created_at: datetime.datetime
    modified_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        revision = self.revision

        ready = self.ready

        active = self.active

        type_ = self.type_

        anomaly_threshold: float | None
        anomaly_threshold = self.anomaly_threshold

        builtin_threshold = self.builtin_threshold

        description = self.description

        flagging_key: None | str
        flagging_key = self.flagging_key

        input_signature = []
        for input_signature_item_data in self.input_signature:
            input_signature_item = input_signature_item_data.to_dict()
            input_signature.append(input_signature_item)

        metric_key: None | str
        metric_key = self.metric_key

        output_signature = []
        for output_signature_item_data in self.output_signature:
            output_signature_item = output_signature_item_data.to_dict()
            output_signature.append(output_signature_item)

        tags: list[dict[str, Any]] | None
        if isinstance(self.tags, list):
            tags = []
            for tags_type_0_item_data in self.tags:
                tags_type_0_item = tags_type_0_item_data.to_dict()
                tags.append(tags_type_0_item)

        else:
            tags = self.tags

        isvc_service_name: None | str
        isvc_service_name = self.isvc_service_name

        isvc_yaml: None | str
        isvc_yaml = self.isvc_yaml

        created_by = self.created_by

        modified_by = self.modified_by

        created_at = self.created_at.isoformat()

        modified_at = self.modified_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "revision": revision,
                "ready": ready,
                "active": active,
                "type": type_,
                "anomaly_threshold": anomaly_threshold,
                "builtin_threshold": builtin_threshold,
                "description": description,
                "flagging_key": flagging_key,
                "input_signature": input_signature,
                "metric_key": metric_key,
                "output_signature": output_signature,
                "tags": tags,
                "isvc_service_name": isvc_service_name,
                "isvc_yaml": isvc_yaml,
                "created_by": created_by,
                "modified_by": modified_by,
                "created_at": created_at,
                "modified_at": modified_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ml_models_index_input_signature_item import (
            MLModelsIndexInputSignatureItem,
        )
        from ..models.ml_models_index_output_signature_item import (
            MLModelsIndexOutputSignatureItem,
        )
        from ..models.ml_models_index_tags_type_0_item import MLModelsIndexTagsType0Item

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        revision = d.pop("revision")

        ready = d.pop("ready")

        active = d.pop("active")

        type_ = d.pop("type")

        def _parse_anomaly_threshold(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        anomaly_threshold = _parse_anomaly_threshold(d.pop("anomaly_threshold"))

        builtin_threshold = d.pop("builtin_threshold")

        description = d.pop("description")

        def _parse_flagging_key(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        flagging_key = _parse_flagging_key(d.pop("flagging_key"))

        input_signature = []
        _input_signature = d.pop("input_signature")
        for input_signature_item_data in _input_signature:
            input_signature_item = MLModelsIndexInputSignatureItem.from_dict(
                input_signature_item_data
            )

            input_signature.append(input_signature_item)

        def _parse_metric_key(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        metric_key = _parse_metric_key(d.pop("metric_key"))

        output_signature = []
        _output_signature = d.pop("output_signature")
        for output_signature_item_data in _output_signature:
            output_signature_item = MLModelsIndexOutputSignatureItem.from_dict(
                output_signature_item_data
            )

            output_signature.append(output_signature_item)

        def _parse_tags(data: object) -> list[MLModelsIndexTagsType0Item] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_0 = []
                _tags_type_0 = data
                for tags_type_0_item_data in _tags_type_0:
                    tags_type_0_item = MLModelsIndexTagsType0Item.from_dict(
                        tags_type_0_item_data
                    )

                    tags_type_0.append(tags_type_0_item)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[MLModelsIndexTagsType0Item] | None, data)

        tags = _parse_tags(d.pop("tags"))

        def _parse_isvc_service_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        isvc_service_name = _parse_isvc_service_name(d.pop("isvc_service_name"))

        def _parse_isvc_yaml(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        isvc_yaml = _parse_isvc_yaml(d.pop("isvc_yaml"))

        created_by = d.pop("created_by")

        modified_by = d.pop("modified_by")

        created_at = isoparse(d.pop("created_at"))

        modified_at = isoparse(d.pop("modified_at"))

        ml_models_index = cls(
            id=id,
            name=name,
            revision=revision,
            ready=ready,
            active=active,
            type_=type_,
            anomaly_threshold=anomaly_threshold,
            builtin_threshold=builtin_threshold,
            description=description,
            flagging_key=flagging_key,
            input_signature=input_signature,
            metric_key=metric_key,
            output_signature=output_signature,
            tags=tags,
            isvc_service_name=isvc_service_name,
            isvc_yaml=isvc_yaml,
            created_by=created_by,
            modified_by=modified_by,
            created_at=created_at,
            modified_at=modified_at,
        )

        ml_models_index.additional_properties = d
        return ml_models_index

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
