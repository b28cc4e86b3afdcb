from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paginated_dataset_index_list import PaginatedDatasetIndexList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    next_token: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    fields: list[str] | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(workspace, Unset):
        headers["workspace"] = workspace

    params: dict[str, Any] = {}

    params["next_token"] = next_token

    params["page_size"] = page_size

    json_fields: list[str] | Unset = UNSET
    if not isinstance(fields, Unset):
        json_fields = fields

    params["fields"] = json_fields

    params["dataset"] = dataset

    params["dataset__regex"] = dataset_regex

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/dataset-index/",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedDatasetIndexList | None:
    if response.status_code == 200:
        response_200 = PaginatedDatasetIndexList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedDatasetIndexList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    next_token: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    fields: list[str] | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> Response[PaginatedDatasetIndexList]:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedDatasetIndexList]
    """

    kwargs = _get_kwargs(
        next_token=next_token,
        page_size=page_size,
        fields=fields,
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
    next_token: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    fields: list[str] | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> PaginatedDatasetIndexList | None:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedDatasetIndexList
    """

    return sync_detailed(
        client=client,
        next_token=next_token,
        page_size=page_size,
        fields=fields,
        dataset=dataset,
        dataset_regex=dataset_regex,
        workspace=workspace,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    next_token: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    fields: list[str] | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> Response[PaginatedDatasetIndexList]:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedDatasetIndexList]
    """

    kwargs = _get_kwargs(
        next_token=next_token,
        page_size=page_size,
        fields=fields,
        dataset=dataset,
        dataset_regex=dataset_regex,
        workspace=workspace,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    next_token: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    fields: list[str] | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> PaginatedDatasetIndexList | None:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedDatasetIndexList
    """

    return (
        await asyncio_detailed(
            client=client,
            next_token=next_token,
            page_size=page_size,
            fields=fields,
            dataset=dataset,
            dataset_regex=dataset_regex,
            workspace=workspace,
        )
    ).parsed
