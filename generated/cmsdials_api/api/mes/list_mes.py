from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.m_es import MEs
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    fields: list[str] | Unset = UNSET,
    me: str | Unset = UNSET,
    me_regex: str | Unset = UNSET,
    dim: int | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(workspace, Unset):
        headers["workspace"] = workspace

    params: dict[str, Any] = {}

    json_fields: list[str] | Unset = UNSET
    if not isinstance(fields, Unset):
        json_fields = fields

    params["fields"] = json_fields

    params["me"] = me

    params["me__regex"] = me_regex

    params["dim"] = dim

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/mes/",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> list[MEs] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = MEs.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[list[MEs]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    fields: list[str] | Unset = UNSET,
    me: str | Unset = UNSET,
    me_regex: str | Unset = UNSET,
    dim: int | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> Response[list[MEs]]:
    """
    Args:
        fields (list[str] | Unset):
        me (str | Unset):
        me_regex (str | Unset):
        dim (int | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[list[MEs]]
    """

    kwargs = _get_kwargs(
        fields=fields,
        me=me,
        me_regex=me_regex,
        dim=dim,
        workspace=workspace,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    fields: list[str] | Unset = UNSET,
    me: str | Unset = UNSET,
    me_regex: str | Unset = UNSET,
    dim: int | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> list[MEs] | None:
    """
    Args:
        fields (list[str] | Unset):
        me (str | Unset):
        me_regex (str | Unset):
        dim (int | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        list[MEs]
    """

    return sync_detailed(
        client=client,
        fields=fields,
        me=me,
        me_regex=me_regex,
        dim=dim,
        workspace=workspace,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    fields: list[str] | Unset = UNSET,
    me: str | Unset = UNSET,
    me_regex: str | Unset = UNSET,
    dim: int | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> Response[list[MEs]]:
    """
    Args:
        fields (list[str] | Unset):
        me (str | Unset):
        me_regex (str | Unset):
        dim (int | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[list[MEs]]
    """

    kwargs = _get_kwargs(
        fields=fields,
        me=me,
        me_regex=me_regex,
        dim=dim,
        workspace=workspace,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    fields: list[str] | Unset = UNSET,
    me: str | Unset = UNSET,
    me_regex: str | Unset = UNSET,
    dim: int | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> list[MEs] | None:
    """
    Args:
        fields (list[str] | Unset):
        me (str | Unset):
        me_regex (str | Unset):
        dim (int | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        list[MEs]
    """

    return (
        await asyncio_detailed(
            client=client,
            fields=fields,
            me=me,
            me_regex=me_regex,
            dim=dim,
            workspace=workspace,
        )
    ).parsed
