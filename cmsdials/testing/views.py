"""DIALS's answers: routing, authentication, workspaces and one view per route kind.

:class:`DialsApp` turns a :class:`~cmsdials.testing.messages.Request` into a
:class:`~cmsdials.testing.messages.Response`; it knows nothing of sockets, faults
or the contract check (see :mod:`cmsdials.testing.server`).
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

import orjson

from . import oms, third_parties
from .auth import AuthState
from .db import WorkspaceDB
from .messages import (
    Request,
    Response,
    html_response,
    json_response,
    not_found_page,
    server_error_page,
    text_response,
)
from .query import (
    HttpError,
    bad_request,
    decode_cursor,
    encode_cursor,
    fields_param,
    keyset,
    last_values,
    not_found,
    order_sql,
    ordering,
    page_link,
    page_size,
    project,
    server_error,
    where_clause,
)
from .routes import ApiSpec, Operation

log = logging.getLogger("cmsdials.testing")

TOKEN_NOT_VALID = {"detail": "Token is invalid or expired", "code": "token_not_valid"}
AUTHORIZATION_NOT_FOUND = {
    "detail": "Authorization header not found.",
    "code": "authorization_not_found",
}

CERT_JSON = "/api/v1/ml-bad-lumisection/cert-json/"
GOLDEN_JSON = "/api/v1/ml-bad-lumisection/golden-json/"
#: Routes answered both as GET with query lists (v1.12.0) and as POST with a JSON body
#: (the current DIALS, and the classic client since 2.1), whichever the spec declares.
GET_OR_POST = frozenset({CERT_JSON, GOLDEN_JSON})
JSON_ROUTE_ARGS = ("model_id__in", "dataset_id__in", "run_number__in")

View = Callable[["DialsApp", Request, Operation, dict[str, str], WorkspaceDB | None], Response]


class DialsApp:
    """The local DIALS's behaviour, over one database per workspace."""

    def __init__(
        self,
        spec: ApiSpec,
        dbs: Mapping[str, WorkspaceDB],
        auth: AuthState,
        default_workspace: str = "tracker",
    ) -> None:
        self.spec = spec
        self.dbs = dict(dbs)
        self.auth = auth
        self.default_workspace = default_workspace

    # ------------------------------------------------------------ dispatch

    def handle(self, req: Request) -> Response:
        """Answer ``req``; every error becomes DIALS's answer, never an exception."""
        try:
            return self._dispatch(req)
        except HttpError as exc:
            return error_response(exc)

    def _dispatch(self, req: Request) -> Response:
        matched = self.spec.match(req.path)
        if matched is None:
            if not req.path.endswith("/") and self.spec.match(req.path + "/") is not None:
                location = req.path + "/" + (f"?{req.query_string}" if req.query_string else "")
                return Response(301, b"", "text/html; charset=utf-8", [("Location", location)])
            return not_found_page()
        route, path_params = matched
        method = "GET" if req.method == "HEAD" else req.method
        op = route.operations.get(method)
        if op is None and method in ("GET", "POST") and route.template in GET_OR_POST:
            op = route.operations.get("POST" if method == "GET" else "GET")
        if op is None:
            allowed = ", ".join(sorted({*route.operations, "OPTIONS"}))
            return json_response(
                405, {"detail": f'Method "{req.method}" not allowed.'}, [("Allow", allowed)]
            )
        if op.secured:
            failure = self.authenticate(req)
            if failure is not None:
                raise failure
        db = self.workspace(req) if op.workspace_header else None
        view = SPECIAL_VIEWS.get(op.template) or GENERIC_VIEWS.get(op.kind)
        if view is None:
            return json_response(
                501, {"detail": f"{op.method} {op.template} is not served by the local DIALS"}
            )
        return view(self, req, op, path_params, db)

    def authenticate(self, req: Request) -> HttpError | None:
        """``None`` when the request carries a valid secret or bearer token."""
        secret = req.headers.get("x-client-secret")
        if secret is not None:
            return None if self.auth.check_secret(secret) else HttpError(403, TOKEN_NOT_VALID)
        authorization = req.headers.get("authorization")
        if authorization is None:
            return HttpError(403, AUTHORIZATION_NOT_FOUND)
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() == "bearer" and token and self.auth.check_bearer(token):
            return None
        return HttpError(403, TOKEN_NOT_VALID)

    def workspace(self, req: Request) -> WorkspaceDB:
        name = req.headers.get("workspace")
        if name is None or name == "":
            name = self.default_workspace
        db = self.dbs.get(name)
        if db is None:
            raise not_found(f"Workspace '{name}' not found")
        return db


def error_response(exc: HttpError) -> Response:
    if exc.html is not None:
        log.info("500: %s", exc.html)
        return server_error_page() if exc.status == 500 else html_response(exc.status, "Error")
    if isinstance(exc.body, str):
        return text_response(exc.status, exc.body)
    return json_response(exc.status, exc.body)


def _need(db: WorkspaceDB | None) -> WorkspaceDB:
    if db is None:  # a table route whose spec lost its workspace header
        raise server_error("no workspace database for this route")
    return db


def _table(op: Operation) -> Any:
    if op.table is None:
        raise server_error(f"{op.template} has no table")
    return op.table


# ---------------------------------------------------------------- generic views


def list_view(
    app: DialsApp, req: Request, op: Operation, _: dict[str, str], db: WorkspaceDB | None
) -> Response:
    """A DRF cursor page: ``{"next", "previous", "results"}``."""
    table = _table(op)
    params = last_values(req.query)
    where, values = where_clause(op, params)
    order = ordering(table, req.query)
    size = page_size(params)
    token = params.get("next_token")
    position: list[Any] | None = None
    backwards = False
    if token:
        position, backwards = decode_cursor(token, table, order)
        condition, extra = keyset(order, position, backwards)
        where = f"({where}) AND {condition}"
        values = values + extra
    columns = ", ".join(f'"{col}"' for col, _ in order)
    rows = _need(db).query(
        f'SELECT {columns}, json FROM "{table.name}" WHERE {where} '
        f"ORDER BY {order_sql(order, backwards)} LIMIT ?",
        [*values, size + 1],
    )
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    width = len(order)
    first = list(rows[0][:width]) if rows else None
    last = list(rows[-1][:width]) if rows else None
    next_cursor = prev_cursor = None
    if backwards:
        if more and first is not None:
            prev_cursor = encode_cursor(first, reverse=True)
        next_cursor = encode_cursor(last if last is not None else position or [], reverse=False)
    else:
        if more and last is not None:
            next_cursor = encode_cursor(last, reverse=False)
        if position is not None:
            prev_cursor = encode_cursor(first if first is not None else position, reverse=True)
    fields = fields_param(params)
    blobs = [row[width] for row in rows]
    if fields is not None:
        blobs = [project(blob, fields) for blob in blobs]
    host, path, query, scheme = req.host, req.path, req.query, req.scheme
    nxt = page_link(host, path, query, next_cursor, scheme) if next_cursor else None
    prv = page_link(host, path, query, prev_cursor, scheme) if prev_cursor else None
    body = b"".join(
        (
            b'{"next":',
            orjson.dumps(nxt),
            b',"previous":',
            orjson.dumps(prv),
            b',"results":[',
            b",".join(blobs),
            b"]}",
        )
    )
    return Response(200, body)


def plain_list_view(
    app: DialsApp, req: Request, op: Operation, _: dict[str, str], db: WorkspaceDB | None
) -> Response:
    """An unpaginated JSON list (``/mes/``)."""
    table = _table(op)
    params = last_values(req.query)
    where, values = where_clause(op, params)
    order = ordering(table, req.query)
    rows = _need(db).query(
        f'SELECT json FROM "{table.name}" WHERE {where} ORDER BY {order_sql(order, False)}',
        values,
    )
    fields = fields_param(params)
    blobs = [row[0] if fields is None else project(row[0], fields) for row in rows]
    return Response(200, b"[" + b",".join(blobs) + b"]")


def count_view(
    app: DialsApp, req: Request, op: Operation, _: dict[str, str], db: WorkspaceDB | None
) -> Response:
    table = _table(op)
    where, values = where_clause(op, last_values(req.query))
    ((count,),) = _need(db).query(f'SELECT COUNT(*) FROM "{table.name}" WHERE {where}', values)
    return json_response(200, {"count": count})


def retrieve_view(
    app: DialsApp, req: Request, op: Operation, path: dict[str, str], db: WorkspaceDB | None
) -> Response:
    """One row by its primary key; DRF's 404 otherwise (also for non-integer keys)."""
    table = _table(op)
    missing = not_found(f"No {table.label} matches the given query.")
    keys: list[Any] = []
    for column, param in zip(table.pk, op.pk_params, strict=True):
        raw = path[param]
        kind = table.column_type(column)
        try:
            keys.append(int(raw) if kind == "INTEGER" else float(raw) if kind == "REAL" else raw)
        except ValueError:
            raise missing from None
    condition = " AND ".join(f'"{col}" = ?' for col in table.pk)
    rows = _need(db).query(f'SELECT json FROM "{table.name}" WHERE {condition}', keys)
    if not rows:
        raise missing
    blob: bytes = rows[0][0]
    fields = fields_param(last_values(req.query))
    if fields is not None and len(table.pk) == 1:  # ignored on composite-key routes
        blob = project(blob, fields)
    return Response(200, blob)


GENERIC_VIEWS: dict[str, View] = {
    "list": list_view,
    "plain_list": plain_list_view,
    "count": count_view,
    "retrieve": retrieve_view,
}


# ---------------------------------------------------------------- special views


def _body_json(req: Request) -> Any:
    if not req.body:
        return None
    try:
        return orjson.loads(req.body)
    except orjson.JSONDecodeError:
        return None


def _body_field(req: Request, name: str) -> str:
    body = _body_json(req)
    value = body.get(name) if isinstance(body, dict) else None
    if not isinstance(value, str) or not value:
        raise HttpError(400, f"Missing {name} in the request body")
    return value


def new_device_view(
    app: DialsApp, req: Request, op: Operation, _: dict[str, str], db: WorkspaceDB | None
) -> Response:
    return json_response(200, app.auth.new_device(f"{req.scheme}://{req.host}/_control/device"))


def device_token_view(
    app: DialsApp, req: Request, op: Operation, _: dict[str, str], db: WorkspaceDB | None
) -> Response:
    result = app.auth.poll(_body_field(req, "device_code"))
    return json_response(result.status, result.body)


def refresh_token_view(
    app: DialsApp, req: Request, op: Operation, _: dict[str, str], db: WorkspaceDB | None
) -> Response:
    token = app.auth.refresh(_body_field(req, "refresh_token"))
    if token is None:
        raise server_error("unknown or expired refresh token")
    return json_response(200, token)


def workspaces_view(
    app: DialsApp, req: Request, op: Operation, _: dict[str, str], db: WorkspaceDB | None
) -> Response:
    return json_response(200, {"workspaces": sorted(app.dbs)})


def default_workspace_view(
    app: DialsApp, req: Request, op: Operation, _: dict[str, str], db: WorkspaceDB | None
) -> Response:
    return json_response(200, {"workspace": app.default_workspace})


def _json_route_args(req: Request, op: Operation) -> dict[str, list[int]]:
    """The three ``__in`` arguments of cert-json/golden-json, from the query or a JSON body.

    A missing argument answers 500 on a GET (as v1.12.0 did) and DRF's 400
    ``{"name": ["This field is required."]}`` on a POST whose spec declares the body.
    """
    merged: dict[str, Any] = dict(last_values(req.query))
    body = _body_json(req) if req.method == "POST" else None
    if isinstance(body, dict):
        merged.update(body)
    args: dict[str, list[int]] = {}
    messages: list[str] = []
    required: dict[str, list[str]] = {}
    for name in JSON_ROUTE_ARGS:
        raw = merged.get(name)
        if raw is None or raw == "" or raw == []:
            if req.method == "POST" and op.body is not None:
                required[name] = ["This field is required."]
                continue
            raise server_error(f"missing {name}")
        items = raw if isinstance(raw, list) else str(raw).split(",")
        values: list[int] = []
        for item in items:
            text = str(item).strip()
            try:
                if isinstance(item, bool):
                    raise ValueError(text)
                values.append(int(text))
            except ValueError:
                field = name.removesuffix("__in")
                messages.append(f"Field '{field}' expected a number but got '{text}'.")
        args[name] = values
    if required:
        raise bad_request(required)
    if messages:
        raise bad_request(messages)
    return args


def _in(column: str, values: list[int]) -> str:
    return f'"{column}" IN ({", ".join("?" * len(values))})'


def _bad_rows(db: WorkspaceDB, args: dict[str, list[int]]) -> list[tuple[Any, ...]]:
    """``(run_number, ls_number, model_id, me_id, me, row)`` of the flagged lumisections.

    ``me_id`` and ``me`` are stored columns in every DIALS version (fields in v1.12.0,
    filters only since), ``row`` the served row (``mse`` or ``metric_value``).
    """
    models, datasets, runs = (args[name] for name in JSON_ROUTE_ARGS)
    return db.query(
        "SELECT run_number, ls_number, model_id, me_id, me, json "
        f"FROM ml_bad_lumisection WHERE {_in('model_id', models)} "
        f"AND {_in('dataset_id', datasets)} AND {_in('run_number', runs)} "
        "ORDER BY run_number, ls_number, model_id, me_id",
        [*models, *datasets, *runs],
    )


def _model_files(db: WorkspaceDB) -> dict[int, str]:
    """Model id -> the name cert-json reports as ``filename`` (v1.12's file, else the name)."""
    files: dict[int, str] = {}
    for (blob,) in db.query("SELECT json FROM ml_models_index"):
        row = orjson.loads(blob)
        key = row.get("model_id", row.get("id"))
        if isinstance(key, int):
            files[key] = str(row.get("filename") or row.get("name") or "")
    return files


def cert_json_view(
    app: DialsApp, req: Request, op: Operation, _: dict[str, str], db: WorkspaceDB | None
) -> Response:
    """``{run: {ls: [{model_id, me_id, filename, me, mse}]}}``; clean runs map to ``{}``."""
    args = _json_route_args(req, op)
    database = _need(db)
    datasets, runs = args["dataset_id__in"], args["run_number__in"]
    present = database.query(
        f"SELECT DISTINCT run_number FROM run WHERE {_in('dataset_id', datasets)} "
        f"AND {_in('run_number', runs)} ORDER BY run_number",
        [*datasets, *runs],
    )
    result: dict[str, dict[str, list[dict[str, Any]]]] = {str(r): {} for (r,) in present}
    files = _model_files(database)
    for run, ls, model_id, me_id, me, blob in _bad_rows(database, args):
        row = orjson.loads(blob)
        entry = {
            "model_id": model_id,
            "me_id": me_id,
            "filename": files.get(model_id, ""),
            "me": me,
            "mse": row.get("mse", row.get("metric_value")),
        }
        result.setdefault(str(run), {}).setdefault(str(ls), []).append(entry)
    return json_response(200, result)


def golden_json_view(
    app: DialsApp, req: Request, op: Operation, _: dict[str, str], db: WorkspaceDB | None
) -> Response:
    """``{run: [[first, last], ...]}``: good lumisections as ranges; all-bad runs left out."""
    args = _json_route_args(req, op)
    database = _need(db)
    datasets, runs = args["dataset_id__in"], args["run_number__in"]
    lumis = database.query(
        f"SELECT DISTINCT run_number, ls_number FROM lumisection "
        f"WHERE {_in('dataset_id', datasets)} AND {_in('run_number', runs)} "
        "ORDER BY run_number, ls_number",
        [*datasets, *runs],
    )
    bad = {(row[0], row[1]) for row in _bad_rows(database, args)}
    result: dict[str, list[list[int]]] = {}
    for run, ls in lumis:
        if (run, ls) in bad:
            continue
        ranges = result.setdefault(str(run), [])
        if ranges and ranges[-1][1] == ls - 1:
            ranges[-1][1] = ls
        else:
            ranges.append([ls, ls])
    return json_response(200, result)


def dataset_run_mes_view(
    app: DialsApp, req: Request, op: Operation, path: dict[str, str], db: WorkspaceDB | None
) -> Response:
    """MinifiedMEs ingested for one run of one dataset; an unknown run answers 500."""
    try:
        dataset_id, run_number = int(path["dataset_id"]), int(path["run_number"])
    except ValueError:
        raise not_found("Not found.") from None
    database = _need(db)
    known = database.query(
        "SELECT 1 FROM run WHERE dataset_id = ? AND run_number = ?", [dataset_id, run_number]
    )
    if not known:
        raise server_error(f"run {run_number} of dataset {dataset_id} does not exist")
    rows = database.query(
        "SELECT me_id, me, dim FROM mes WHERE me_id IN ("
        "SELECT me_id FROM th1 WHERE dataset_id = ? AND run_number = ? UNION "
        "SELECT me_id FROM th2 WHERE dataset_id = ? AND run_number = ?) ORDER BY me_id",
        [dataset_id, run_number, dataset_id, run_number],
    )
    answer = [{"me_id": i, "me": me, "dim": dim} for i, me, dim in rows]
    if "next_token" not in op.query:
        return json_response(200, answer)
    return _by_me_id_pages(req, answer)


def _by_me_id_pages(req: Request, answer: list[dict[str, Any]]) -> Response:
    """``answer`` (ordered by ``me_id``) as DRF cursor pages: a spec that pages the route."""
    params = last_values(req.query)
    token = params.get("next_token")
    after = None
    if token:
        try:
            after = int(orjson.loads(dict(parse_qsl(base64.b64decode(token).decode()))["p"])[0])
        except (ValueError, KeyError, IndexError, TypeError, UnicodeError, binascii.Error):
            raise not_found("Invalid cursor") from None
    rows = [row for row in answer if after is None or row["me_id"] > after]
    size = page_size(params)
    page, more = rows[:size], len(rows) > size
    nxt = None
    if more:
        cursor = encode_cursor([page[-1]["me_id"]], reverse=False)
        nxt = page_link(req.host, req.path, req.query, cursor, req.scheme)
    return json_response(200, {"next": nxt, "previous": None, "results": page})


def oms_view(
    app: DialsApp, req: Request, op: Operation, _: dict[str, str], db: WorkspaceDB | None
) -> Response:
    """OMS through the proxy: runs and lumisections of the runs this server holds."""
    return json_response(200, oms.answer(oms.for_app(app), last_values(req.query)))


def _canned(answer: Callable[[Mapping[str, str]], Any]) -> View:
    def view(
        app: DialsApp, req: Request, op: Operation, _: dict[str, str], db: WorkspaceDB | None
    ) -> Response:
        return json_response(200, answer(last_values(req.query)))

    return view


SPECIAL_VIEWS: dict[str, View] = {
    "/api/v1/auth/new-device/": new_device_view,
    "/api/v1/auth/device-token/": device_token_view,
    "/api/v1/auth/refresh-token/": refresh_token_view,
    "/api/v1/auth/workspaces/": workspaces_view,  # v1.12.0
    "/api/v1/auth/user-default-workspace/": default_workspace_view,  # v1.12.0
    "/api/v1/workspaces/": workspaces_view,
    "/api/v1/workspaces/my-default/": default_workspace_view,
    CERT_JSON: cert_json_view,
    GOLDEN_JSON: golden_json_view,
    "/api/v1/mes/{dataset_id}/{run_number}/": dataset_run_mes_view,
    "/api/v1/oms-proxy/": oms_view,
    "/api/v1/caf/": _canned(third_parties.caf),
    "/api/v1/runregistry/editable-datasets/": _canned(third_parties.rr_editable_datasets),
    "/api/v1/brilws/brilcalc-lumi/": _canned(third_parties.brilcalc),
}
SPECIAL_TEMPLATES = frozenset(SPECIAL_VIEWS)
