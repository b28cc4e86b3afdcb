from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import UNSET, Response


def _get_kwargs(
    *,
    class_name: str,
    dataset_name: str,
    global_state: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["class_name"] = class_name

    params["dataset_name"] = dataset_name

    params["global_state"] = global_state

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/runregistry/editable-datasets/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> list[float] | None:
    if response.status_code == 200:
        response_200 = cast(list[float], response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[list[float]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    class_name: str,
    dataset_name: str,
    global_state: str,
) -> Response[list[float]]:
    """
    Args:
        class_name (str):
        dataset_name (str):
        global_state (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[list[float]]
    """

    kwargs = _get_kwargs(
        class_name=class_name,
        dataset_name=dataset_name,
        global_state=global_state,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    class_name: str,
    dataset_name: str,
    global_state: str,
) -> list[float] | None:
    """
    Args:
        class_name (str):
        dataset_name (str):
        global_state (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        list[float]
    """

    return sync_detailed(
        client=client,
        class_name=class_name,
        dataset_name=dataset_name,
        global_state=global_state,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    class_name: str,
    dataset_name: str,
    global_state: str,
) -> Response[list[float]]:
    """
    Args:
        class_name (str):
        dataset_name (str):
        global_state (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[list[float]]
    """

    kwargs = _get_kwargs(
        class_name=class_name,
        dataset_name=dataset_name,
        global_state=global_state,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    class_name: str,
    dataset_name: str,
    global_state: str,
) -> list[float] | None:
    """
    Args:
        class_name (str):
        dataset_name (str):
        global_state (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        list[float]
    """

    return (
        await asyncio_detailed(
            client=client,
            class_name=class_name,
            dataset_name=dataset_name,
            global_state=global_state,
        )
    ).parsed
