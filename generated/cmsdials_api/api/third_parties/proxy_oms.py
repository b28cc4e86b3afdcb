from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.proxy_oms_filter import ProxyOmsFilter
from ...models.proxy_oms_page import ProxyOmsPage
from ...models.proxy_oms_response_200 import ProxyOmsResponse200
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    endpoint: str,
    filter_: ProxyOmsFilter,
    page: ProxyOmsPage | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["endpoint"] = endpoint

    json_filter_ = filter_.to_dict()
    params.update(json_filter_)

    json_page: dict[str, Any] | Unset = UNSET
    if not isinstance(page, Unset):
        json_page = page.to_dict()
    if not isinstance(json_page, Unset):
        params.update(json_page)

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/oms-proxy/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProxyOmsResponse200 | None:
    if response.status_code == 200:
        response_200 = ProxyOmsResponse200.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ProxyOmsResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    endpoint: str,
    filter_: ProxyOmsFilter,
    page: ProxyOmsPage | Unset = UNSET,
) -> Response[ProxyOmsResponse200]:
    """Proxy request to OMS API

    Args:
        endpoint (str):
        filter_ (ProxyOmsFilter):  Example: {'dataset_name': 'ZeroBias', 'run_number': 382921}.
        page (ProxyOmsPage | Unset):  Example: {'limit': 10}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProxyOmsResponse200]
    """

    kwargs = _get_kwargs(
        endpoint=endpoint,
        filter_=filter_,
        page=page,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    endpoint: str,
    filter_: ProxyOmsFilter,
    page: ProxyOmsPage | Unset = UNSET,
) -> ProxyOmsResponse200 | None:
    """Proxy request to OMS API

    Args:
        endpoint (str):
        filter_ (ProxyOmsFilter):  Example: {'dataset_name': 'ZeroBias', 'run_number': 382921}.
        page (ProxyOmsPage | Unset):  Example: {'limit': 10}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProxyOmsResponse200
    """

    return sync_detailed(
        client=client,
        endpoint=endpoint,
        filter_=filter_,
        page=page,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    endpoint: str,
    filter_: ProxyOmsFilter,
    page: ProxyOmsPage | Unset = UNSET,
) -> Response[ProxyOmsResponse200]:
    """Proxy request to OMS API

    Args:
        endpoint (str):
        filter_ (ProxyOmsFilter):  Example: {'dataset_name': 'ZeroBias', 'run_number': 382921}.
        page (ProxyOmsPage | Unset):  Example: {'limit': 10}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProxyOmsResponse200]
    """

    kwargs = _get_kwargs(
        endpoint=endpoint,
        filter_=filter_,
        page=page,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    endpoint: str,
    filter_: ProxyOmsFilter,
    page: ProxyOmsPage | Unset = UNSET,
) -> ProxyOmsResponse200 | None:
    """Proxy request to OMS API

    Args:
        endpoint (str):
        filter_ (ProxyOmsFilter):  Example: {'dataset_name': 'ZeroBias', 'run_number': 382921}.
        page (ProxyOmsPage | Unset):  Example: {'limit': 10}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProxyOmsResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            endpoint=endpoint,
            filter_=filter_,
            page=page,
        )
    ).parsed
