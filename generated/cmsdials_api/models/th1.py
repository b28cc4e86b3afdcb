from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TH1")


@_attrs_define
class TH1:
    dataset_id: int
    file_id: int
    run_number: int
    ls_number: int
    me_id: int
    x_min: float
    x_max: float
    x_bin: int
    entries: int
    data: list[float]
    dataset: str | Unset = UNSET
    me: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dataset_id = self.dataset_id

        file_id = self.file_id

        run_number = self.run_number

        ls_number = self.ls_number

        me_id = self.me_id

        x_min = self.x_min

        x_max = self.x_max

        x_bin = self.x_bin

        entries = self.entries

        data = self.data

        dataset = self.dataset

        me = self.me

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dataset_id": dataset_id,
                "file_id": file_id,
                "run_number": run_number,
                "ls_number": ls_number,
                "me_id": me_id,
                "x_min": x_min,
                "x_max": x_max,
                "x_bin": x_bin,
                "entries": entries,
                "data": data,
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
        dataset_id = d.pop("dataset_id")

        file_id = d.pop("file_id")

        run_number = d.pop("run_number")

        ls_number = d.pop("ls_number")

        me_id = d.pop("me_id")

        x_min = d.pop("x_min")

        x_max = d.pop("x_max")

        x_bin = d.pop("x_bin")

        entries = d.pop("entries")

        data = cast(list[float], d.pop("data"))

        dataset = d.pop("dataset", UNSET)

        me = d.pop("me", UNSET)

        th1 = cls(
            dataset_id=dataset_id,
            file_id=file_id,
            run_number=run_number,
            ls_number=ls_number,
            me_id=me_id,
            x_min=x_min,
            x_max=x_max,
            x_bin=x_bin,
            entries=entries,
            data=data,
            dataset=dataset,
            me=me,
        )

        th1.additional_properties = d
        return th1

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
