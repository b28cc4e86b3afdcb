from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TH2")


@_attrs_define
class TH2:
    data: list[list[float]]
    dataset_id: int
    entries: int
    file_id: int
    ls_number: int
    me_id: int
    run_number: int
    x_bin: int
    x_max: float
    x_min: float
    y_bin: int
    y_max: float
    y_min: float
    dataset: str | Unset = UNSET
    me: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data

            data.append(data_item)

        dataset_id = self.dataset_id

        entries = self.entries

        file_id = self.file_id

        ls_number = self.ls_number

        me_id = self.me_id

        run_number = self.run_number

        x_bin = self.x_bin

        x_max = self.x_max

        x_min = self.x_min

        y_bin = self.y_bin

        y_max = self.y_max

        y_min = self.y_min

        dataset = self.dataset

        me = self.me

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "dataset_id": dataset_id,
                "entries": entries,
                "file_id": file_id,
                "ls_number": ls_number,
                "me_id": me_id,
                "run_number": run_number,
                "x_bin": x_bin,
                "x_max": x_max,
                "x_min": x_min,
                "y_bin": y_bin,
                "y_max": y_max,
                "y_min": y_min,
            }
        )
        if dataset is not UNSET:
            field_dict["dataset"] = dataset
        if me is not UNSET:
            field_dict["me"] = me

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = cast(list[float], data_item_data)

            data.append(data_item)

        dataset_id = d.pop("dataset_id")

        entries = d.pop("entries")

        file_id = d.pop("file_id")

        ls_number = d.pop("ls_number")

        me_id = d.pop("me_id")

        run_number = d.pop("run_number")

        x_bin = d.pop("x_bin")

        x_max = d.pop("x_max")

        x_min = d.pop("x_min")

        y_bin = d.pop("y_bin")

        y_max = d.pop("y_max")

        y_min = d.pop("y_min")

        dataset = d.pop("dataset", UNSET)

        me = d.pop("me", UNSET)

        th2 = cls(
            data=data,
            dataset_id=dataset_id,
            entries=entries,
            file_id=file_id,
            ls_number=ls_number,
            me_id=me_id,
            run_number=run_number,
            x_bin=x_bin,
            x_max=x_max,
            x_min=x_min,
            y_bin=y_bin,
            y_max=y_max,
            y_min=y_min,
            dataset=dataset,
            me=me,
        )

        th2.additional_properties = d
        return th2

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
