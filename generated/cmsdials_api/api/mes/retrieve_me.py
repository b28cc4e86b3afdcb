from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.m_es import MEs
from ...types import UNSET, Response, Unset


def _get_kwargs(
    me_id: int,
    *,
    workspace: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(workspace, Unset):
        headers["workspace"] = workspace

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/mes/{me_id}/".format(
            me_id=quote(str(me_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MEs | None:
    if response.status_code == 200:
        response_200 = MEs.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[MEs]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    me_id: int,
    *,
    client: AuthenticatedClient,
    workspace: str | Unset = UNSET,
) -> Response[MEs]:
    """
    Args:
        me_id (int):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MEs]
    """

    kwargs = _get_kwargs(
        me_id=me_id,
        workspace=workspace,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    me_id: int,
    *,
    client: AuthenticatedClient,
    workspace: str | Unset = UNSET,
) -> MEs | None:
    """
    Args:
        me_id (int):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MEs
    """

    return sync_detailed(
        me_id=me_id,
        client=client,
        workspace=workspace,
    ).parsed


async def asyncio_detailed(
    me_id: int,
    *,
    client: AuthenticatedClient,
    workspace: str | Unset = UNSET,
) -> Response[MEs]:
    """
    Args:
        me_id (int):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MEs]
    """

    kwargs = _get_kwargs(
        me_id=me_id,
        workspace=workspace,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    me_id: int,
    *,
    client: AuthenticatedClient,
    workspace: str | Unset = UNSET,
) -> MEs | None:
    """
    Args:
        me_id (int):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MEs
    """

    return (
        await asyncio_detailed(
            me_id=me_id,
            client=client,
            workspace=workspace,
        )
    ).parsed
