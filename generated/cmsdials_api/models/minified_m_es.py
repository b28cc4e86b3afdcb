from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MinifiedMEs")


@_attrs_define
class MinifiedMEs:
    me: str
    dim: int
    me_id: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        me = self.me

        dim = self.dim

        me_id = self.me_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "me": me,
                "dim": dim,
            }
        )
        if me_id is not UNSET:
            field_dict["me_id"] = me_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        me = d.pop("me")

        dim = d.pop("dim")

        me_id = d.pop("me_id", UNSET)

        minified_m_es = cls(
            me=me,
            dim=dim,
            me_id=me_id,
        )

        minified_m_es.additional_properties = d
        return minified_m_es

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
