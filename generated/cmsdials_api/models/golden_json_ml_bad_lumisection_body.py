from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GoldenJsonMlBadLumisectionBody")


@_attrs_define
class GoldenJsonMlBadLumisectionBody:
    model_id_in: list[int]
    dataset_id_in: list[int]
    run_number_in: list[int]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model_id_in = self.model_id_in

        dataset_id_in = self.dataset_id_in

        run_number_in = self.run_number_in

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model_id__in": model_id_in,
                "dataset_id__in": dataset_id_in,
                "run_number__in": run_number_in,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model_id_in = cast(list[int], d.pop("model_id__in"))

        dataset_id_in = cast(list[int], d.pop("dataset_id__in"))

        run_number_in = cast(list[int], d.pop("run_number__in"))

        golden_json_ml_bad_lumisection_body = cls(
            model_id_in=model_id_in,
            dataset_id_in=dataset_id_in,
            run_number_in=run_number_in,
        )

        golden_json_ml_bad_lumisection_body.additional_properties = d
        return golden_json_ml_bad_lumisection_body

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
