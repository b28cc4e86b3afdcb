from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.caf_json_content import CAFJsonContent


T = TypeVar("T", bound="CAFJson")


@_attrs_define
class CAFJson:
    name: str | Unset = UNSET
    url: str | Unset = UNSET
    last_modified: str | Unset = UNSET
    size: str | Unset = UNSET
    content: CAFJsonContent | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        url = self.url

        last_modified = self.last_modified

        size = self.size

        content: dict[str, Any] | Unset = UNSET
        if not isinstance(self.content, Unset):
            content = self.content.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if url is not UNSET:
            field_dict["url"] = url
        if last_modified is not UNSET:
            field_dict["last_modified"] = last_modified
        if size is not UNSET:
            field_dict["size"] = size
        if content is not UNSET:
            field_dict["content"] = content

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.caf_json_content import CAFJsonContent

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        url = d.pop("url", UNSET)

        last_modified = d.pop("last_modified", UNSET)

        size = d.pop("size", UNSET)

        _content = d.pop("content", UNSET)
        content: CAFJsonContent | Unset
        if isinstance(_content, Unset):
            content = UNSET
        else:
            content = CAFJsonContent.from_dict(_content)

        caf_json = cls(
            name=name,
            url=url,
            last_modified=last_modified,
            size=size,
            content=content,
        )

        caf_json.additional_properties = d
        return caf_json

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
