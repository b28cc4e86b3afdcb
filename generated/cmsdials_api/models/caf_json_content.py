from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CAFJsonContent")


@_attrs_define
class CAFJsonContent:
    run_number: list[list[int]] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        run_number: list[list[int]] | Unset = UNSET
        if not isinstance(self.run_number, Unset):
            run_number = []
            for run_number_item_data in self.run_number:
                run_number_item = run_number_item_data

                run_number.append(run_number_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if run_number is not UNSET:
            field_dict["run_number"] = run_number

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _run_number = d.pop("run_number", UNSET)
        run_number: list[list[int]] | Unset = UNSET
        if _run_number is not UNSET:
            run_number = []
            for run_number_item_data in _run_number:
                run_number_item = cast(list[int], run_number_item_data)

                run_number.append(run_number_item)

        caf_json_content = cls(
            run_number=run_number,
        )

        caf_json_content.additional_properties = d
        return caf_json_content

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
