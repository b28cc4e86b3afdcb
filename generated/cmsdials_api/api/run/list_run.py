from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paginated_run_list import PaginatedRunList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    next_token: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    fields: list[str] | Unset = UNSET,
    dataset_id: int | Unset = UNSET,
    dataset_id_in: list[int] | Unset = UNSET,
    run_number: int | Unset = UNSET,
    run_number_lte: int | Unset = UNSET,
    run_number_gte: int | Unset = UNSET,
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

    params["dataset_id"] = dataset_id

    json_dataset_id_in: list[int] | Unset = UNSET
    if not isinstance(dataset_id_in, Unset):
        json_dataset_id_in = dataset_id_in

    params["dataset_id__in"] = json_dataset_id_in

    params["run_number"] = run_number

    params["run_number__lte"] = run_number_lte

    params["run_number__gte"] = run_number_gte

    params["dataset"] = dataset

    params["dataset__regex"] = dataset_regex

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/run/",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedRunList | None:
    if response.status_code == 200:
        response_200 = PaginatedRunList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedRunList]:
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
    dataset_id: int | Unset = UNSET,
    dataset_id_in: list[int] | Unset = UNSET,
    run_number: int | Unset = UNSET,
    run_number_lte: int | Unset = UNSET,
    run_number_gte: int | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> Response[PaginatedRunList]:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        dataset_id (int | Unset):
        dataset_id_in (list[int] | Unset):
        run_number (int | Unset):
        run_number_lte (int | Unset):
        run_number_gte (int | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedRunList]
    """

    kwargs = _get_kwargs(
        next_token=next_token,
        page_size=page_size,
        fields=fields,
        dataset_id=dataset_id,
        dataset_id_in=dataset_id_in,
        run_number=run_number,
        run_number_lte=run_number_lte,
        run_number_gte=run_number_gte,
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
    dataset_id: int | Unset = UNSET,
    dataset_id_in: list[int] | Unset = UNSET,
    run_number: int | Unset = UNSET,
    run_number_lte: int | Unset = UNSET,
    run_number_gte: int | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> PaginatedRunList | None:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        dataset_id (int | Unset):
        dataset_id_in (list[int] | Unset):
        run_number (int | Unset):
        run_number_lte (int | Unset):
        run_number_gte (int | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedRunList
    """

    return sync_detailed(
        client=client,
        next_token=next_token,
        page_size=page_size,
        fields=fields,
        dataset_id=dataset_id,
        dataset_id_in=dataset_id_in,
        run_number=run_number,
        run_number_lte=run_number_lte,
        run_number_gte=run_number_gte,
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
    dataset_id: int | Unset = UNSET,
    dataset_id_in: list[int] | Unset = UNSET,
    run_number: int | Unset = UNSET,
    run_number_lte: int | Unset = UNSET,
    run_number_gte: int | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> Response[PaginatedRunList]:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        dataset_id (int | Unset):
        dataset_id_in (list[int] | Unset):
        run_number (int | Unset):
        run_number_lte (int | Unset):
        run_number_gte (int | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedRunList]
    """

    kwargs = _get_kwargs(
        next_token=next_token,
        page_size=page_size,
        fields=fields,
        dataset_id=dataset_id,
        dataset_id_in=dataset_id_in,
        run_number=run_number,
        run_number_lte=run_number_lte,
        run_number_gte=run_number_gte,
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
    dataset_id: int | Unset = UNSET,
    dataset_id_in: list[int] | Unset = UNSET,
    run_number: int | Unset = UNSET,
    run_number_lte: int | Unset = UNSET,
    run_number_gte: int | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> PaginatedRunList | None:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        dataset_id (int | Unset):
        dataset_id_in (list[int] | Unset):
        run_number (int | Unset):
        run_number_lte (int | Unset):
        run_number_gte (int | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedRunList
    """

    return (
        await asyncio_detailed(
            client=client,
            next_token=next_token,
            page_size=page_size,
            fields=fields,
            dataset_id=dataset_id,
            dataset_id_in=dataset_id_in,
            run_number=run_number,
            run_number_lte=run_number_lte,
            run_number_gte=run_number_gte,
            dataset=dataset,
            dataset_regex=dataset_regex,
            workspace=workspace,
        )
    ).parsed
