from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.golden_json_ml_bad_lumisection_body import GoldenJsonMlBadLumisectionBody
from ...models.ml_bad_lumisection_golden_json import MLBadLumisectionGoldenJson
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: GoldenJsonMlBadLumisectionBody,
    workspace: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(workspace, Unset):
        headers["workspace"] = workspace

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/ml-bad-lumisection/golden-json/",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MLBadLumisectionGoldenJson | None:
    if response.status_code == 200:
        response_200 = MLBadLumisectionGoldenJson.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[MLBadLumisectionGoldenJson]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: GoldenJsonMlBadLumisectionBody,
    workspace: str | Unset = UNSET,
) -> Response[MLBadLumisectionGoldenJson]:
    """
    Args:
        workspace (str | Unset):
        body (GoldenJsonMlBadLumisectionBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MLBadLumisectionGoldenJson]
    """

    kwargs = _get_kwargs(
        body=body,
        workspace=workspace,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: GoldenJsonMlBadLumisectionBody,
    workspace: str | Unset = UNSET,
) -> MLBadLumisectionGoldenJson | None:
    """
    Args:
        workspace (str | Unset):
        body (GoldenJsonMlBadLumisectionBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MLBadLumisectionGoldenJson
    """

    return sync_detailed(
        client=client,
        body=body,
        workspace=workspace,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: GoldenJsonMlBadLumisectionBody,
    workspace: str | Unset = UNSET,
) -> Response[MLBadLumisectionGoldenJson]:
    """
    Args:
        workspace (str | Unset):
        body (GoldenJsonMlBadLumisectionBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MLBadLumisectionGoldenJson]
    """

    kwargs = _get_kwargs(
        body=body,
        workspace=workspace,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: GoldenJsonMlBadLumisectionBody,
    workspace: str | Unset = UNSET,
) -> MLBadLumisectionGoldenJson | None:
    """
    Args:
        workspace (str | Unset):
        body (GoldenJsonMlBadLumisectionBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MLBadLumisectionGoldenJson
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            workspace=workspace,
        )
    ).parsed
