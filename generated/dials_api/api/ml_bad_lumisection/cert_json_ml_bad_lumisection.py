from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ml_bad_lumisection_cert_json import MLBadLumisectionCertJson
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    model_id_in: list[int],
    dataset_id_in: list[int],
    run_number_in: list[int],
    workspace: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(workspace, Unset):
        headers["workspace"] = workspace

    params: dict[str, Any] = {}

    json_model_id_in = model_id_in

    params["model_id__in"] = json_model_id_in

    json_dataset_id_in = dataset_id_in

    params["dataset_id__in"] = json_dataset_id_in

    json_run_number_in = run_number_in

    params["run_number__in"] = json_run_number_in

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/ml-bad-lumisection/cert-json/",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MLBadLumisectionCertJson | None:
    if response.status_code == 200:
        response_200 = MLBadLumisectionCertJson.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[MLBadLumisectionCertJson]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    model_id_in: list[int],
    dataset_id_in: list[int],
    run_number_in: list[int],
    workspace: str | Unset = UNSET,
) -> Response[MLBadLumisectionCertJson]:
    """
    Args:
        model_id_in (list[int]):
        dataset_id_in (list[int]):
        run_number_in (list[int]):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MLBadLumisectionCertJson]
    """

    kwargs = _get_kwargs(
        model_id_in=model_id_in,
        dataset_id_in=dataset_id_in,
        run_number_in=run_number_in,
        workspace=workspace,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    model_id_in: list[int],
    dataset_id_in: list[int],
    run_number_in: list[int],
    workspace: str | Unset = UNSET,
) -> MLBadLumisectionCertJson | None:
    """
    Args:
        model_id_in (list[int]):
        dataset_id_in (list[int]):
        run_number_in (list[int]):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MLBadLumisectionCertJson
    """

    return sync_detailed(
        client=client,
        model_id_in=model_id_in,
        dataset_id_in=dataset_id_in,
        run_number_in=run_number_in,
        workspace=workspace,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    model_id_in: list[int],
    dataset_id_in: list[int],
    run_number_in: list[int],
    workspace: str | Unset = UNSET,
) -> Response[MLBadLumisectionCertJson]:
    """
    Args:
        model_id_in (list[int]):
        dataset_id_in (list[int]):
        run_number_in (list[int]):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MLBadLumisectionCertJson]
    """

    kwargs = _get_kwargs(
        model_id_in=model_id_in,
        dataset_id_in=dataset_id_in,
        run_number_in=run_number_in,
        workspace=workspace,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    model_id_in: list[int],
    dataset_id_in: list[int],
    run_number_in: list[int],
    workspace: str | Unset = UNSET,
) -> MLBadLumisectionCertJson | None:
    """
    Args:
        model_id_in (list[int]):
        dataset_id_in (list[int]):
        run_number_in (list[int]):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MLBadLumisectionCertJson
    """

    return (
        await asyncio_detailed(
            client=client,
            model_id_in=model_id_in,
            dataset_id_in=dataset_id_in,
            run_number_in=run_number_in,
            workspace=workspace,
        )
    ).parsed
