from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    brilws_version: str | Unset = "3.7.4",
    connect: str | Unset = "offline",
    fillnum: None | str | Unset = UNSET,
    runnumber: None | str | Unset = UNSET,
    beamstatus: None | str | Unset = UNSET,
    unit: str | Unset = "/ub",
    amodetag: None | str | Unset = UNSET,
    normtag: None | str | Unset = UNSET,
    begin: None | str | Unset = UNSET,
    end: None | str | Unset = UNSET,
    byls: bool | Unset = False,
    scope: str | Unset = "all",
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["brilws_version"] = brilws_version

    params["connect"] = connect

    json_fillnum: None | str | Unset
    if isinstance(fillnum, Unset):
        json_fillnum = UNSET
    else:
        json_fillnum = fillnum
    params["fillnum"] = json_fillnum

    json_runnumber: None | str | Unset
    if isinstance(runnumber, Unset):
        json_runnumber = UNSET
    else:
        json_runnumber = runnumber
    params["runnumber"] = json_runnumber

    json_beamstatus: None | str | Unset
    if isinstance(beamstatus, Unset):
        json_beamstatus = UNSET
    else:
        json_beamstatus = beamstatus
    params["beamstatus"] = json_beamstatus

    params["unit"] = unit

    json_amodetag: None | str | Unset
    if isinstance(amodetag, Unset):
        json_amodetag = UNSET
    else:
        json_amodetag = amodetag
    params["amodetag"] = json_amodetag

    json_normtag: None | str | Unset
    if isinstance(normtag, Unset):
        json_normtag = UNSET
    else:
        json_normtag = normtag
    params["normtag"] = json_normtag

    json_begin: None | str | Unset
    if isinstance(begin, Unset):
        json_begin = UNSET
    else:
        json_begin = begin
    params["begin"] = json_begin

    json_end: None | str | Unset
    if isinstance(end, Unset):
        json_end = UNSET
    else:
        json_end = end
    params["end"] = json_end

    params["byls"] = byls

    params["scope"] = scope

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/brilws/brilcalc-lumi/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | None:
    if response.status_code == 200:
        return None

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    brilws_version: str | Unset = "3.7.4",
    connect: str | Unset = "offline",
    fillnum: None | str | Unset = UNSET,
    runnumber: None | str | Unset = UNSET,
    beamstatus: None | str | Unset = UNSET,
    unit: str | Unset = "/ub",
    amodetag: None | str | Unset = UNSET,
    normtag: None | str | Unset = UNSET,
    begin: None | str | Unset = UNSET,
    end: None | str | Unset = UNSET,
    byls: bool | Unset = False,
    scope: str | Unset = "all",
) -> Response[Any]:
    """
    Args:
        brilws_version (str | Unset):  Default: '3.7.4'.
        connect (str | Unset):  Default: 'offline'.
        fillnum (None | str | Unset):
        runnumber (None | str | Unset):
        beamstatus (None | str | Unset):
        unit (str | Unset):  Default: '/ub'.
        amodetag (None | str | Unset):
        normtag (None | str | Unset):
        begin (None | str | Unset):
        end (None | str | Unset):
        byls (bool | Unset):  Default: False.
        scope (str | Unset):  Default: 'all'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any]
    """

    kwargs = _get_kwargs(
        brilws_version=brilws_version,
        connect=connect,
        fillnum=fillnum,
        runnumber=runnumber,
        beamstatus=beamstatus,
        unit=unit,
        amodetag=amodetag,
        normtag=normtag,
        begin=begin,
        end=end,
        byls=byls,
        scope=scope,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    brilws_version: str | Unset = "3.7.4",
    connect: str | Unset = "offline",
    fillnum: None | str | Unset = UNSET,
    runnumber: None | str | Unset = UNSET,
    beamstatus: None | str | Unset = UNSET,
    unit: str | Unset = "/ub",
    amodetag: None | str | Unset = UNSET,
    normtag: None | str | Unset = UNSET,
    begin: None | str | Unset = UNSET,
    end: None | str | Unset = UNSET,
    byls: bool | Unset = False,
    scope: str | Unset = "all",
) -> Response[Any]:
    """
    Args:
        brilws_version (str | Unset):  Default: '3.7.4'.
        connect (str | Unset):  Default: 'offline'.
        fillnum (None | str | Unset):
        runnumber (None | str | Unset):
        beamstatus (None | str | Unset):
        unit (str | Unset):  Default: '/ub'.
        amodetag (None | str | Unset):
        normtag (None | str | Unset):
        begin (None | str | Unset):
        end (None | str | Unset):
        byls (bool | Unset):  Default: False.
        scope (str | Unset):  Default: 'all'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any]
    """

    kwargs = _get_kwargs(
        brilws_version=brilws_version,
        connect=connect,
        fillnum=fillnum,
        runnumber=runnumber,
        beamstatus=beamstatus,
        unit=unit,
        amodetag=amodetag,
        normtag=normtag,
        begin=begin,
        end=end,
        byls=byls,
        scope=scope,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)
