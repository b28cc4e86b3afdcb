from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MLBadLumisection")


@_attrs_define
class MLBadLumisection:
    dataset_id: int
    file_id: int
    ls_number: int
    me_id: int
    model_id: int
    mse: float
    run_number: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dataset_id = self.dataset_id

        file_id = self.file_id

        ls_number = self.ls_number

        me_id = self.me_id

        model_id = self.model_id

        mse = self.mse

        run_number = self.run_number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dataset_id": dataset_id,
                "file_id": file_id,
                "ls_number": ls_number,
                "me_id": me_id,
                "model_id": model_id,
                "mse": mse,
                "run_number": run_number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        dataset_id = d.pop("dataset_id")

        file_id = d.pop("file_id")

        ls_number = d.pop("ls_number")

        me_id = d.pop("me_id")

        model_id = d.pop("model_id")

        mse = d.pop("mse")

        run_number = d.pop("run_number")

        ml_bad_lumisection = cls(
            dataset_id=dataset_id,
            file_id=file_id,
            ls_number=ls_number,
            me_id=me_id,
            model_id=model_id,
            mse=mse,
            run_number=run_number,
        )

        ml_bad_lumisection.additional_properties = d
        return ml_bad_lumisection

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
