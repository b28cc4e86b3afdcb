from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.file_index import FileIndex
from ...types import UNSET, Response, Unset


def _get_kwargs(
    dataset_id: int,
    file_id: int,
    *,
    workspace: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(workspace, Unset):
        headers["workspace"] = workspace

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/file-index/{dataset_id}/{file_id}/".format(
            dataset_id=quote(str(dataset_id), safe=""),
            file_id=quote(str(file_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FileIndex | None:
    if response.status_code == 200:
        response_200 = FileIndex.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[FileIndex]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    dataset_id: int,
    file_id: int,
    *,
    client: AuthenticatedClient,
    workspace: str | Unset = UNSET,
) -> Response[FileIndex]:
    """
    Args:
        dataset_id (int):
        file_id (int):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FileIndex]
    """

    kwargs = _get_kwargs(
        dataset_id=dataset_id,
        file_id=file_id,
        workspace=workspace,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    dataset_id: int,
    file_id: int,
    *,
    client: AuthenticatedClient,
    workspace: str | Unset = UNSET,
) -> FileIndex | None:
    """
    Args:
        dataset_id (int):
        file_id (int):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FileIndex
    """

    return sync_detailed(
        dataset_id=dataset_id,
        file_id=file_id,
        client=client,
        workspace=workspace,
    ).parsed


async def asyncio_detailed(
    dataset_id: int,
    file_id: int,
    *,
    client: AuthenticatedClient,
    workspace: str | Unset = UNSET,
) -> Response[FileIndex]:
    """
    Args:
        dataset_id (int):
        file_id (int):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FileIndex]
    """

    kwargs = _get_kwargs(
        dataset_id=dataset_id,
        file_id=file_id,
        workspace=workspace,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    dataset_id: int,
    file_id: int,
    *,
    client: AuthenticatedClient,
    workspace: str | Unset = UNSET,
) -> FileIndex | None:
    """
    Args:
        dataset_id (int):
        file_id (int):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FileIndex
    """

    return (
        await asyncio_detailed(
            dataset_id=dataset_id,
            file_id=file_id,
            client=client,
            workspace=workspace,
        )
    ).parsed
