from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MLModelsIndex")


@_attrs_define
class MLModelsIndex:
    active: bool
    filename: str
    model_id: int
    target_me: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        active = self.active

        filename = self.filename

        model_id = self.model_id

        target_me = self.target_me

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active": active,
                "filename": filename,
                "model_id": model_id,
                "target_me": target_me,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active = d.pop("active")

        filename = d.pop("filename")

        model_id = d.pop("model_id")

        target_me = d.pop("target_me")

        ml_models_index = cls(
            active=active,
            filename=filename,
            model_id=model_id,
            target_me=target_me,
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
