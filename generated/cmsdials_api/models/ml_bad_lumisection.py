from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MLBadLumisection")


@_attrs_define
class MLBadLumisection:
    model_id: int
    dataset_id: int
    run_number: int
    ls_number: int
    metric_value: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model_id = self.model_id

        dataset_id = self.dataset_id

        run_number = self.run_number

        ls_number = self.ls_number

        metric_value = self.metric_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model_id": model_id,
                "dataset_id": dataset_id,
                "run_number": run_number,
                "ls_number": ls_number,
                "metric_value": metric_value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model_id = d.pop("model_id")

        dataset_id = d.pop("dataset_id")

        run_number = d.pop("run_number")

        ls_number = d.pop("ls_number")

        metric_value = d.pop("metric_value")

        ml_bad_lumisection = cls(
            model_id=model_id,
            dataset_id=dataset_id,
            run_number=run_number,
            ls_number=ls_number,
            metric_value=metric_value,
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
