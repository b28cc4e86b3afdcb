from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from dateutil.parser import isoparse

T = TypeVar("T", bound="DatasetIndex")


@_attrs_define
class DatasetIndex:
    dataset_id: int
    dataset: str
    era: str
    data_tier: str
    primary_ds_name: str
    processed_ds_name: str
    processing_version: int
    last_modification_date: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dataset_id = self.dataset_id

        dataset = self.dataset

        era = self.era

        data_tier = self.data_tier

        primary_ds_name = self.primary_ds_name

        processed_ds_name = self.processed_ds_name

        processing_version = self.processing_version

        last_modification_date = self.last_modification_date.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dataset_id": dataset_id,
                "dataset": dataset,
                "era": era,
                "data_tier": data_tier,
                "primary_ds_name": primary_ds_name,
                "processed_ds_name": processed_ds_name,
                "processing_version": processing_version,
                "last_modification_date": last_modification_date,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        dataset_id = d.pop("dataset_id")

        dataset = d.pop("dataset")

        era = d.pop("era")

        data_tier = d.pop("data_tier")

        primary_ds_name = d.pop("primary_ds_name")

        processed_ds_name = d.pop("processed_ds_name")

        processing_version = d.pop("processing_version")

        last_modification_date = isoparse(d.pop("last_modification_date"))

        dataset_index = cls(
            dataset_id=dataset_id,
            dataset=dataset,
            era=era,
            data_tier=data_tier,
            primary_ds_name=primary_ds_name,
            processed_ds_name=processed_ds_name,
            processing_version=processing_version,
            last_modification_date=last_modification_date,
        )

        dataset_index.additional_properties = d
        return dataset_index

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
