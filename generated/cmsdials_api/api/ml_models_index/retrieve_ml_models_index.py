from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ml_models_index import MLModelsIndex
from ...types import UNSET, Response, Unset


def _get_kwargs(
    model_id: int,
    *,
    workspace: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(workspace, Unset):
        headers["workspace"] = workspace

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/ml-models-index/{model_id}/".format(
            model_id=quote(str(model_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MLModelsIndex | None:
    if response.status_code == 200:
        response_200 = MLModelsIndex.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[MLModelsIndex]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model_id: int,
    *,
    client: AuthenticatedClient,
    workspace: str | Unset = UNSET,
) -> Response[MLModelsIndex]:
    """
    Args:
        model_id (int):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MLModelsIndex]
    """

    kwargs = _get_kwargs(
        model_id=model_id,
        workspace=workspace,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    model_id: int,
    *,
    client: AuthenticatedClient,
    workspace: str | Unset = UNSET,
) -> MLModelsIndex | None:
    """
    Args:
        model_id (int):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MLModelsIndex
    """

    return sync_detailed(
        model_id=model_id,
        client=client,
        workspace=workspace,
    ).parsed


async def asyncio_detailed(
    model_id: int,
    *,
    client: AuthenticatedClient,
    workspace: str | Unset = UNSET,
) -> Response[MLModelsIndex]:
    """
    Args:
        model_id (int):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MLModelsIndex]
    """

    kwargs = _get_kwargs(
        model_id=model_id,
        workspace=workspace,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_id: int,
    *,
    client: AuthenticatedClient,
    workspace: str | Unset = UNSET,
) -> MLModelsIndex | None:
    """
    Args:
        model_id (int):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MLModelsIndex
    """

    return (
        await asyncio_detailed(
            model_id=model_id,
            client=client,
            workspace=workspace,
        )
    ).parsed
