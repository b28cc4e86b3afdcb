from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from dateutil.parser import isoparse

from ..types import UNSET, Unset

T = TypeVar("T", bound="FileIndex")


@_attrs_define
class FileIndex:
    file_id: int
    dataset_id: int
    file_size: int
    creation_date: datetime.datetime
    last_modification_date: datetime.datetime
    logical_file_name: str
    status: str
    err_trace: None | str
    dataset: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_id = self.file_id

        dataset_id = self.dataset_id

        file_size = self.file_size

        creation_date = self.creation_date.isoformat()

        last_modification_date = self.last_modification_date.isoformat()

        logical_file_name = self.logical_file_name

        status = self.status

        err_trace: None | str
        err_trace = self.err_trace

        dataset = self.dataset

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file_id": file_id,
                "dataset_id": dataset_id,
                "file_size": file_size,
                "creation_date": creation_date,
                "last_modification_date": last_modification_date,
                "logical_file_name": logical_file_name,
                "status": status,
                "err_trace": err_trace,
            }
        )
        if dataset is not UNSET:
            field_dict["dataset"] = dataset

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file_id = d.pop("file_id")

        dataset_id = d.pop("dataset_id")

        file_size = d.pop("file_size")

        creation_date = isoparse(d.pop("creation_date"))

        last_modification_date = isoparse(d.pop("last_modification_date"))

        logical_file_name = d.pop("logical_file_name")

        status = d.pop("status")

        def _parse_err_trace(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        err_trace = _parse_err_trace(d.pop("err_trace"))

        dataset = d.pop("dataset", UNSET)

        file_index = cls(
            file_id=file_id,
            dataset_id=dataset_id,
            file_size=file_size,
            creation_date=creation_date,
            last_modification_date=last_modification_date,
            logical_file_name=logical_file_name,
            status=status,
            err_trace=err_trace,
            dataset=dataset,
        )

        file_index.additional_properties = d
        return file_index

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
