from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.count import Count
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    logical_file_name: str | Unset = UNSET,
    logical_file_name_regex: str | Unset = UNSET,
    status: str | Unset = UNSET,
    min_size: int | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(workspace, Unset):
        headers["workspace"] = workspace

    params: dict[str, Any] = {}

    params["logical_file_name"] = logical_file_name

    params["logical_file_name__regex"] = logical_file_name_regex

    params["status"] = status

    params["min_size"] = min_size

    params["dataset"] = dataset

    params["dataset__regex"] = dataset_regex

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/file-index/count/",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Count | None:
    if response.status_code == 200:
        response_200 = Count.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Count]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    logical_file_name: str | Unset = UNSET,
    logical_file_name_regex: str | Unset = UNSET,
    status: str | Unset = UNSET,
    min_size: int | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> Response[Count]:
    """
    Args:
        logical_file_name (str | Unset):
        logical_file_name_regex (str | Unset):
        status (str | Unset):
        min_size (int | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Count]
    """

    kwargs = _get_kwargs(
        logical_file_name=logical_file_name,
        logical_file_name_regex=logical_file_name_regex,
        status=status,
        min_size=min_size,
        dataset=dataset,
        dataset_regex=dataset_regex,
        workspace=workspace,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    logical_file_name: str | Unset = UNSET,
    logical_file_name_regex: str | Unset = UNSET,
    status: str | Unset = UNSET,
    min_size: int | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> Count | None:
    """
    Args:
        logical_file_name (str | Unset):
        logical_file_name_regex (str | Unset):
        status (str | Unset):
        min_size (int | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Count
    """

    return sync_detailed(
        client=client,
        logical_file_name=logical_file_name,
        logical_file_name_regex=logical_file_name_regex,
        status=status,
        min_size=min_size,
        dataset=dataset,
        dataset_regex=dataset_regex,
        workspace=workspace,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    logical_file_name: str | Unset = UNSET,
    logical_file_name_regex: str | Unset = UNSET,
    status: str | Unset = UNSET,
    min_size: int | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> Response[Count]:
    """
    Args:
        logical_file_name (str | Unset):
        logical_file_name_regex (str | Unset):
        status (str | Unset):
        min_size (int | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Count]
    """

    kwargs = _get_kwargs(
        logical_file_name=logical_file_name,
        logical_file_name_regex=logical_file_name_regex,
        status=status,
        min_size=min_size,
        dataset=dataset,
        dataset_regex=dataset_regex,
        workspace=workspace,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    logical_file_name: str | Unset = UNSET,
    logical_file_name_regex: str | Unset = UNSET,
    status: str | Unset = UNSET,
    min_size: int | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> Count | None:
    """
    Args:
        logical_file_name (str | Unset):
        logical_file_name_regex (str | Unset):
        status (str | Unset):
        min_size (int | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Count
    """

    return (
        await asyncio_detailed(
            client=client,
            logical_file_name=logical_file_name,
            logical_file_name_regex=logical_file_name_regex,
            status=status,
            min_size=min_size,
            dataset=dataset,
            dataset_regex=dataset_regex,
            workspace=workspace,
        )
    ).parsed
