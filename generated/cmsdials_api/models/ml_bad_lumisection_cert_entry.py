from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MLBadLumisectionCertEntry")


@_attrs_define
class MLBadLumisectionCertEntry:
    """One model's verdict on one ME of a bad lumisection."""

    model_id: int
    me_id: int
    filename: str
    me: str
    mse: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model_id = self.model_id

        me_id = self.me_id

        filename = self.filename

        me = self.me

        mse = self.mse

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model_id": model_id,
                "me_id": me_id,
                "filename": filename,
                "me": me,
                "mse": mse,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model_id = d.pop("model_id")

        me_id = d.pop("me_id")

        filename = d.pop("filename")

        me = d.pop("me")

        mse = d.pop("mse")

        ml_bad_lumisection_cert_entry = cls(
            model_id=model_id,
            me_id=me_id,
            filename=filename,
            me=me,
            mse=mse,
        )

        ml_bad_lumisection_cert_entry.additional_properties = d
        return ml_bad_lumisection_cert_entry

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
