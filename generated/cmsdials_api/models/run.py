from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Run")


@_attrs_define
class Run:
    dataset_id: int
    run_number: int
    ls_count: int
    ls_completeness: float | None
    id: int | Unset = UNSET
    dataset: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dataset_id = self.dataset_id

        run_number = self.run_number

        ls_count = self.ls_count

        ls_completeness: float | None
        ls_completeness = self.ls_completeness

        id = self.id

        dataset = self.dataset

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dataset_id": dataset_id,
                "run_number": run_number,
                "ls_count": ls_count,
                "ls_completeness": ls_completeness,
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

        ls_count = d.pop("ls_count")

        def _parse_ls_completeness(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        ls_completeness = _parse_ls_completeness(d.pop("ls_completeness"))

        id = d.pop("id", UNSET)

        dataset = d.pop("dataset", UNSET)

        run = cls(
            dataset_id=dataset_id,
            run_number=run_number,
            ls_count=ls_count,
            ls_completeness=ls_completeness,
            id=id,
            dataset=dataset,
        )

        run.additional_properties = d
        return run

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
