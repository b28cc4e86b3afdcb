from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Lumisection")


@_attrs_define
class Lumisection:
    dataset_id: int
    run_number: int
    ls_number: int
    th1_count: int
    th2_count: int
    id: int | Unset = UNSET
    dataset: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dataset_id = self.dataset_id

        run_number = self.run_number

        ls_number = self.ls_number

        th1_count = self.th1_count

        th2_count = self.th2_count

        id = self.id

        dataset = self.dataset

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dataset_id": dataset_id,
                "run_number": run_number,
                "ls_number": ls_number,
                "th1_count": th1_count,
                "th2_count": th2_count,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if dataset is not UNSET:
            field_dict["dataset"] = dataset

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        dataset_id = d.pop("dataset_id")

        run_number = d.pop("run_number")

        ls_number = d.pop("ls_number")

        th1_count = d.pop("th1_count")

        th2_count = d.pop("th2_count")

        id = d.pop("id", UNSET)

        dataset = d.pop("dataset", UNSET)

        lumisection = cls(
            dataset_id=dataset_id,
            run_number=run_number,
            ls_number=ls_number,
            th1_count=th1_count,
            th2_count=th2_count,
            id=id,
            dataset=dataset,
        )

        lumisection.additional_properties = d
        return lumisection

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
