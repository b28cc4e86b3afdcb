from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paginated_ml_models_index_list import PaginatedMLModelsIndexList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    next_token: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    fields: list[str] | Unset = UNSET,
    model_id: int | Unset = UNSET,
    model_id_in: list[int] | Unset = UNSET,
    filename: str | Unset = UNSET,
    filename_regex: str | Unset = UNSET,
    target_me: str | Unset = UNSET,
    target_me_regex: str | Unset = UNSET,
    active: bool | Unset = UNSET,
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

    params["model_id"] = model_id

    json_model_id_in: list[int] | Unset = UNSET
    if not isinstance(model_id_in, Unset):
        json_model_id_in = model_id_in

    params["model_id__in"] = json_model_id_in

    params["filename"] = filename

    params["filename__regex"] = filename_regex

    params["target_me"] = target_me

    params["target_me__regex"] = target_me_regex

    params["active"] = active

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/ml-models-index/",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedMLModelsIndexList | None:
    if response.status_code == 200:
        response_200 = PaginatedMLModelsIndexList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedMLModelsIndexList]:
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
    model_id: int | Unset = UNSET,
    model_id_in: list[int] | Unset = UNSET,
    filename: str | Unset = UNSET,
    filename_regex: str | Unset = UNSET,
    target_me: str | Unset = UNSET,
    target_me_regex: str | Unset = UNSET,
    active: bool | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> Response[PaginatedMLModelsIndexList]:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        model_id (int | Unset):
        model_id_in (list[int] | Unset):
        filename (str | Unset):
        filename_regex (str | Unset):
        target_me (str | Unset):
        target_me_regex (str | Unset):
        active (bool | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedMLModelsIndexList]
    """

    kwargs = _get_kwargs(
        next_token=next_token,
        page_size=page_size,
        fields=fields,
        model_id=model_id,
        model_id_in=model_id_in,
        filename=filename,
        filename_regex=filename_regex,
        target_me=target_me,
        target_me_regex=target_me_regex,
        active=active,
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
    model_id: int | Unset = UNSET,
    model_id_in: list[int] | Unset = UNSET,
    filename: str | Unset = UNSET,
    filename_regex: str | Unset = UNSET,
    target_me: str | Unset = UNSET,
    target_me_regex: str | Unset = UNSET,
    active: bool | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> PaginatedMLModelsIndexList | None:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        model_id (int | Unset):
        model_id_in (list[int] | Unset):
        filename (str | Unset):
        filename_regex (str | Unset):
        target_me (str | Unset):
        target_me_regex (str | Unset):
        active (bool | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedMLModelsIndexList
    """

    return sync_detailed(
        client=client,
        next_token=next_token,
        page_size=page_size,
        fields=fields,
        model_id=model_id,
        model_id_in=model_id_in,
        filename=filename,
        filename_regex=filename_regex,
        target_me=target_me,
        target_me_regex=target_me_regex,
        active=active,
        workspace=workspace,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    next_token: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    fields: list[str] | Unset = UNSET,
    model_id: int | Unset = UNSET,
    model_id_in: list[int] | Unset = UNSET,
    filename: str | Unset = UNSET,
    filename_regex: str | Unset = UNSET,
    target_me: str | Unset = UNSET,
    target_me_regex: str | Unset = UNSET,
    active: bool | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> Response[PaginatedMLModelsIndexList]:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        model_id (int | Unset):
        model_id_in (list[int] | Unset):
        filename (str | Unset):
        filename_regex (str | Unset):
        target_me (str | Unset):
        target_me_regex (str | Unset):
        active (bool | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedMLModelsIndexList]
    """

    kwargs = _get_kwargs(
        next_token=next_token,
        page_size=page_size,
        fields=fields,
        model_id=model_id,
        model_id_in=model_id_in,
        filename=filename,
        filename_regex=filename_regex,
        target_me=target_me,
        target_me_regex=target_me_regex,
        active=active,
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
    model_id: int | Unset = UNSET,
    model_id_in: list[int] | Unset = UNSET,
    filename: str | Unset = UNSET,
    filename_regex: str | Unset = UNSET,
    target_me: str | Unset = UNSET,
    target_me_regex: str | Unset = UNSET,
    active: bool | Unset = UNSET,
    workspace: str | Unset = UNSET,
) -> PaginatedMLModelsIndexList | None:
    """
    Args:
        next_token (str | Unset):
        page_size (int | Unset):
        fields (list[str] | Unset):
        model_id (int | Unset):
        model_id_in (list[int] | Unset):
        filename (str | Unset):
        filename_regex (str | Unset):
        target_me (str | Unset):
        target_me_regex (str | Unset):
        active (bool | Unset):
        workspace (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedMLModelsIndexList
    """

    return (
        await asyncio_detailed(
            client=client,
            next_token=next_token,
            page_size=page_size,
            fields=fields,
            model_id=model_id,
            model_id_in=model_id_in,
            filename=filename,
            filename_regex=filename_regex,
            target_me=target_me,
            target_me_regex=target_me_regex,
            active=active,
            workspace=workspace,
        )
    ).parsed
