from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paginated_th1_list import PaginatedTH1List
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    next_token: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    fields: list[str] | Unset = UNSET,
    dataset_id: int | Unset = UNSET,
    file_id: int | Unset = UNSET,
    run_number: int | Unset = UNSET,
    run_number_lte: int | Unset = UNSET,
    run_number_gte: int | Unset = UNSET,
    ls_number: int | Unset = UNSET,
    ls_number_lte: int | Unset = UNSET,
    ls_number_gte: int | Unset = UNSET,
    me_id: int | Unset = UNSET,
    entries_gte: int | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    logical_file_name: str | Unset = UNSET,
    logical_file_name_regex: str | Unset = UNSET,
    me: str | Unset = UNSET,
    me_regex: str | Unset = UNSET,
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

    params["file_id"] = file_id

    params["run_number"] = run_number

    params["run_number__lte"] = run_number_lte

    params["run_number__gte"] = run_number_gte

    params["ls_number"] = ls_number

    params["ls_number__lte"] = ls_number_lte

    params["ls_number__gte"] = ls_number_gte

    params["me_id"] = me_id

    params["entries__gte"] = entries_gte

    params["dataset"] = dataset

    params["dataset__regex"] = dataset_regex

    params["logical_file_name"] = logical_file_name

    params["logical_file_name__regex"] = logical_file_name_regex

    params["me"] = me

    params["me__regex"] = me_regex

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/th1/",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedTH1List | None:
    if response.status_code == 200:
        response_200 = PaginatedTH1List.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedTH1List]:
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
    file_id: int | Unset = UNSET,
    run_number: int | Unset = UNSET,
    run_number_lte: int | Unset = UNSET,
    run_number_gte: int | Unset = UNSET,
    ls_number: int | Unset = UNSET,
    ls_number_lte: int | Unset = UNSET,
    ls_number_gte: int | Unset = UNSET,
    me_id: int | Unset = UNSET,
    entries_gte: int | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    logical_file_name: str | Unset = UNSET,
    logical_file_name_regex: str | Unset = UNSET,
    me: str | Unset = UNSET,
    me_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> Response[PaginatedTH1List]:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        dataset_id (int | Unset):
        file_id (int | Unset):
        run_number (int | Unset):
        run_number_lte (int | Unset):
        run_number_gte (int | Unset):
        ls_number (int | Unset):
        ls_number_lte (int | Unset):
        ls_number_gte (int | Unset):
        me_id (int | Unset):
        entries_gte (int | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        logical_file_name (str | Unset):
        logical_file_name_regex (str | Unset):
        me (str | Unset):
        me_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedTH1List]
    """

    kwargs = _get_kwargs(
        next_token=next_token,
        page_size=page_size,
        fields=fields,
        dataset_id=dataset_id,
        file_id=file_id,
        run_number=run_number,
        run_number_lte=run_number_lte,
        run_number_gte=run_number_gte,
        ls_number=ls_number,
        ls_number_lte=ls_number_lte,
        ls_number_gte=ls_number_gte,
        me_id=me_id,
        entries_gte=entries_gte,
        dataset=dataset,
        dataset_regex=dataset_regex,
        logical_file_name=logical_file_name,
        logical_file_name_regex=logical_file_name_regex,
        me=me,
        me_regex=me_regex,
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
    file_id: int | Unset = UNSET,
    run_number: int | Unset = UNSET,
    run_number_lte: int | Unset = UNSET,
    run_number_gte: int | Unset = UNSET,
    ls_number: int | Unset = UNSET,
    ls_number_lte: int | Unset = UNSET,
    ls_number_gte: int | Unset = UNSET,
    me_id: int | Unset = UNSET,
    entries_gte: int | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    logical_file_name: str | Unset = UNSET,
    logical_file_name_regex: str | Unset = UNSET,
    me: str | Unset = UNSET,
    me_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> PaginatedTH1List | None:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        dataset_id (int | Unset):
        file_id (int | Unset):
        run_number (int | Unset):
        run_number_lte (int | Unset):
        run_number_gte (int | Unset):
        ls_number (int | Unset):
        ls_number_lte (int | Unset):
        ls_number_gte (int | Unset):
        me_id (int | Unset):
        entries_gte (int | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        logical_file_name (str | Unset):
        logical_file_name_regex (str | Unset):
        me (str | Unset):
        me_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedTH1List
    """

    return sync_detailed(
        client=client,
        next_token=next_token,
        page_size=page_size,
        fields=fields,
        dataset_id=dataset_id,
        file_id=file_id,
        run_number=run_number,
        run_number_lte=run_number_lte,
        run_number_gte=run_number_gte,
        ls_number=ls_number,
        ls_number_lte=ls_number_lte,
        ls_number_gte=ls_number_gte,
        me_id=me_id,
        entries_gte=entries_gte,
        dataset=dataset,
        dataset_regex=dataset_regex,
        logical_file_name=logical_file_name,
        logical_file_name_regex=logical_file_name_regex,
        me=me,
        me_regex=me_regex,
        workspace=workspace,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    next_token: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    fields: list[str] | Unset = UNSET,
    dataset_id: int | Unset = UNSET,
    file_id: int | Unset = UNSET,
    run_number: int | Unset = UNSET,
    run_number_lte: int | Unset = UNSET,
    run_number_gte: int | Unset = UNSET,
    ls_number: int | Unset = UNSET,
    ls_number_lte: int | Unset = UNSET,
    ls_number_gte: int | Unset = UNSET,
    me_id: int | Unset = UNSET,
    entries_gte: int | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    logical_file_name: str | Unset = UNSET,
    logical_file_name_regex: str | Unset = UNSET,
    me: str | Unset = UNSET,
    me_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> Response[PaginatedTH1List]:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        dataset_id (int | Unset):
        file_id (int | Unset):
        run_number (int | Unset):
        run_number_lte (int | Unset):
        run_number_gte (int | Unset):
        ls_number (int | Unset):
        ls_number_lte (int | Unset):
        ls_number_gte (int | Unset):
        me_id (int | Unset):
        entries_gte (int | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        logical_file_name (str | Unset):
        logical_file_name_regex (str | Unset):
        me (str | Unset):
        me_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedTH1List]
    """

    kwargs = _get_kwargs(
        next_token=next_token,
        page_size=page_size,
        fields=fields,
        dataset_id=dataset_id,
        file_id=file_id,
        run_number=run_number,
        run_number_lte=run_number_lte,
        run_number_gte=run_number_gte,
        ls_number=ls_number,
        ls_number_lte=ls_number_lte,
        ls_number_gte=ls_number_gte,
        me_id=me_id,
        entries_gte=entries_gte,
        dataset=dataset,
        dataset_regex=dataset_regex,
        logical_file_name=logical_file_name,
        logical_file_name_regex=logical_file_name_regex,
        me=me,
        me_regex=me_regex,
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
    file_id: int | Unset = UNSET,
    run_number: int | Unset = UNSET,
    run_number_lte: int | Unset = UNSET,
    run_number_gte: int | Unset = UNSET,
    ls_number: int | Unset = UNSET,
    ls_number_lte: int | Unset = UNSET,
    ls_number_gte: int | Unset = UNSET,
    me_id: int | Unset = UNSET,
    entries_gte: int | Unset = UNSET,
    dataset: str | Unset = UNSET,
    dataset_regex: str | Unset = UNSET,
    logical_file_name: str | Unset = UNSET,
    logical_file_name_regex: str | Unset = UNSET,
    me: str | Unset = UNSET,
    me_regex: str | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> PaginatedTH1List | None:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        dataset_id (int | Unset):
        file_id (int | Unset):
        run_number (int | Unset):
        run_number_lte (int | Unset):
        run_number_gte (int | Unset):
        ls_number (int | Unset):
        ls_number_lte (int | Unset):
        ls_number_gte (int | Unset):
        me_id (int | Unset):
        entries_gte (int | Unset):
        dataset (str | Unset):
        dataset_regex (str | Unset):
        logical_file_name (str | Unset):
        logical_file_name_regex (str | Unset):
        me (str | Unset):
        me_regex (str | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedTH1List
    """

    return (
        await asyncio_detailed(
            client=client,
            next_token=next_token,
            page_size=page_size,
            fields=fields,
            dataset_id=dataset_id,
            file_id=file_id,
            run_number=run_number,
            run_number_lte=run_number_lte,
            run_number_gte=run_number_gte,
            ls_number=ls_number,
            ls_number_lte=ls_number_lte,
            ls_number_gte=ls_number_gte,
            me_id=me_id,
            entries_gte=entries_gte,
            dataset=dataset,
            dataset_regex=dataset_regex,
            logical_file_name=logical_file_name,
            logical_file_name_regex=logical_file_name_regex,
            me=me,
            me_regex=me_regex,
            workspace=workspace,
        )
    ).parsed
