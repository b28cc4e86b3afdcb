"""The ``dials`` commands, declared with click.

Only click and the name table (:mod:`cmsdials.groups`) are imported here, so
that ``dials --help`` starts fast; each command imports what it uses.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .._version import __version__
from ..groups import GROUPS
from .session import Config

if TYPE_CHECKING:
    from cmsdials.endpoints import ListEndpoint

    from .query import Selection

__all__ = ["cli", "run"]

F = TypeVar("F", bound=Callable[..., Any])

#: Exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _group_names() -> dict[str, str]:
    """Every name of a group on the command line: attribute, alias, route → attribute."""
    names: dict[str, str] = {}
    for g in GROUPS:
        names[g.attribute] = g.attribute
        for alias in g.aliases:
            names[alias] = g.attribute
        names.setdefault(g.route.strip("/"), g.attribute)
    return names


class GroupName(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.2
    """An endpoint group: ``h1d``, ``run``, ... (or DIALS's route name, ``th1``)."""

    name = "group"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        names = _group_names()
        if isinstance(value, str) and value in names:
            return names[value]
        import difflib

        close = difflib.get_close_matches(str(value), list(names), n=2)
        hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
        choices = ", ".join(g.attribute for g in GROUPS)
        self.fail(f"no group {value!r}{hint} (groups: {choices})", param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(g.attribute) for g in GROUPS if g.attribute.startswith(incomplete)]


GROUP = GroupName()


def _complete_filter(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    """``-f`` completes the group's filter names (read from the spec)."""
    from click.shell_completion import CompletionItem

    group = ctx.params.get("group")
    if group is None and ctx.args:  # `-f` still lacks its value: the group is left unparsed
        group = _group_names().get(ctx.args[0])
    if not group or "=" in incomplete:
        return []
    from cmsdials.filters import filters_class

    names = filters_class(group).params().by_wire
    return [CompletionItem(f"{n}=") for n in names if n.startswith(incomplete)]


# -- global options ------------------------------------------------------------------------------


def _refuse_secret(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    if value is not None:
        raise click.BadParameter(
            "a secret is never taken on the command line (it would show in ps and in the "
            "shell's history): set CMSDIALS_CLIENT_SECRET or pass --client-secret-file",
            ctx=ctx,
            param=param,
        )


def _set_up_logging(verbose: int, quiet: bool) -> None:
    """``-v`` shows the cmsdials loggers' INFO (retries, the device flow), ``-vv`` DEBUG;
    ``-q`` only errors. Messages go to stderr."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO)[min(verbose, 1)]
    if verbose >= 2:
        level = logging.DEBUG
    logger = logging.getLogger("cmsdials")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("dials: %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)


EPILOG = """\b
Configuration: each global option is also read from its environment variable
(shown in brackets). Applications (batch jobs) authenticate with their client
credentials: CMSDIALS_CLIENT_ID and CMSDIALS_CLIENT_SECRET (or
--client-secret-file); people with 'dials login'. A secret is never an argument.

\b
Examples:
  dials login
  dials ls run --runs 360390-360400
  dials --workspace jetmet count lumi --dataset-regex JetMET
  dials ls h1d -f run_number=360392 --me-regex charge --all --format csv > rows.csv
  eval "$(dials completion bash)"      # shell completion (or zsh)
"""


class DialsGroup(click.Group):
    """The ``dials`` group: a reader that closes the pipe (``dials ls ... | head``) ends the
    command quietly, with status 0 (click's own handling exits 1, a failure's status)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _silence_stdout()
            raise click.exceptions.Exit(0) from None


@click.group(cls=DialsGroup, context_settings=CONTEXT, epilog=EPILOG)
@click.option(
    "--base-url",
    envvar="CMSDIALS_BASE_URL",
    show_envvar=True,
    metavar="URL",
    help="The DIALS to talk to (default: production, https://cmsdials-api.web.cern.ch/).",
)
@click.option(
    "--workspace",
    envvar="CMSDIALS_WORKSPACE",
    show_envvar=True,
    metavar="NAME",
    help="The DIALS workspace (default: yours on the server), e.g. tracker, jetmet.",
)
@click.option(
    "--keycloak-url",
    envvar="CMSDIALS_KEYCLOAK_URL",
    show_envvar=True,
    metavar="URL",
    help="The Keycloak issuing tokens (default: CERN's, https://auth.cern.ch/auth/).",
)
@click.option(
    "--client-id",
    envvar="CMSDIALS_CLIENT_ID",
    show_envvar=True,
    metavar="ID",
    help="With a client secret: your application's id (client credentials). Without: "
    "the public application of 'dials login' (default: production DIALS's).",
)
@click.option(
    "--audience",
    envvar="CMSDIALS_AUDIENCE",
    show_envvar=True,
    metavar="ID",
    help="The DIALS application tokens are for (default: production DIALS).",
)
@click.option(
    "--client-secret-file",
    envvar="CMSDIALS_CLIENT_SECRET_FILE",
    show_envvar=True,
    type=click.Path(dir_okay=False),
    help="A file whose first line is your application's client secret "
    "(else CMSDIALS_CLIENT_SECRET).",
)
@click.option(
    "--client-secret",
    hidden=True,
    expose_value=False,
    is_eager=True,
    callback=_refuse_secret,
)
@click.option(
    "--cache-dir",
    envvar="CMSDIALS_CACHE_DIR",
    show_envvar=True,
    type=click.Path(file_okay=False),
    help="Where 'dials login' caches the login (the file 'creds'; default ./.cache).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Most seconds one call may take, retries included (default 30).",
)
@click.option("-v", "--verbose", count=True, help="Show what cmsdials does (-vv: more).")
@click.option("-q", "--quiet", is_flag=True, help="Only data and errors: no notes, no progress.")
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.version_option(__version__, "--version", prog_name="dials")
@click.pass_context
def cli(ctx: click.Context, /, **options: Any) -> None:
    """The DIALS command line: CMS's per-lumisection DQM data from a shell or a batch job.

    Data goes to stdout, messages to stderr. Exit status: 0 success, 1 a DIALS,
    network or login failure, 2 a usage error, 130 interrupted.
    """
    config = Config(**options)
    ctx.obj = config
    _STATE.debug = config.debug
    _set_up_logging(config.verbose, config.quiet)


class _State:
    debug = False


_STATE = _State()


def _config() -> Config:
    config = click.get_current_context().find_object(Config)
    assert config is not None
    return config


def note(text: str) -> None:
    """A message for the person (stderr), unless ``--quiet``."""
    if not _config().quiet:
        click.echo(text, err=True)


@contextmanager
def usage_errors() -> Iterator[None]:
    """A wrong argument found by the library (``TypeError``/``ValueError``) is a usage error."""
    try:
        yield
    except (TypeError, ValueError) as exc:
        raise click.UsageError(" ".join(str(exc).split())) from None


def stack(*decorators: Callable[[Any], Any]) -> Callable[[F], F]:
    """One decorator applying ``decorators`` as if written above each other, in order."""

    def apply(f: F) -> F:
        for decorator in reversed(decorators):
            f = decorator(f)
        return f

    return apply


# -- shared options of the data commands ---------------------------------------------------------


#: ``-f KEY=VALUE`` and the shorthands.
filter_options = stack(
    click.option(
        "-f",
        "--filter",
        "pairs",
        multiple=True,
        metavar="KEY=VALUE",
        shell_complete=_complete_filter,
        help="A filter of the group, as DIALS names it (repeatable). Lists are "
        "comma-separated: -f run_number__in=1,2,3.",
    ),
    click.option(
        "--runs",
        metavar="A-B",
        help="Runs A to B (also A, A- or -B): run_number__gte/__lte.",
    ),
    click.option("--dataset-regex", metavar="REGEX", help="Same as -f dataset__regex=."),
    click.option("--me-regex", metavar="REGEX", help="Same as -f me__regex=."),
)


#: ``--format`` and ``-o``.
output_options = stack(
    click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "json", "csv", "parquet"]),
        help="Output format (default: table, or the -o file's suffix).",
    ),
    click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, allow_dash=True),
        help="Write to this file (complete or not at all) instead of stdout.",
    ),
)


def _selection(options: dict[str, Any], fields: str | None = None) -> Selection:
    from .query import Selection

    return Selection(
        pairs=options.pop("pairs", ()),
        runs=options.pop("runs", None),
        dataset_regex=options.pop("dataset_regex", None),
        me_regex=options.pop("me_regex", None),
        fields=fields,
    )


def _endpoint(dials: Any, group: str) -> ListEndpoint[Any, Any]:
    endpoint: ListEndpoint[Any, Any] = getattr(dials, group)
    return endpoint


def _columns(endpoint: Any, fields: Any) -> list[str]:
    """The columns of the rows: the ``fields=`` asked for, else the row class's fields."""
    if fields:
        return list(fields)
    return list(getattr(endpoint.model, "model_fields", {}))


def _check_output(fmt: str, output: str | None) -> None:
    if fmt == "parquet" and (output is None or output == "-") and sys.stdout.isatty():
        raise click.UsageError("parquet is binary: write it to a file with -o FILE, or a pipe")


def command(**settings: Any) -> Callable[[F], F]:
    """A ``dials`` sub-command (with ``-h``)."""

    def decorate(f: F) -> F:
        return cli.command(context_settings=CONTEXT, **settings)(f)  # type: ignore[return-value]

    return decorate


# -- log in and out ------------------------------------------------------------------------------


@command(
    short_help="Log in with your CERN account (device flow); cache it.",
    epilog="""\b
Example:
  dials login                     # open the URL it prints, log in, and it returns
  CMSDIALS_CACHE_DIR=~/.dials dials login   # a cache that batch jobs can share
""",
)
def login() -> None:
    """Log in with your CERN account (the device flow) and cache the login.

    Prints a URL to open in any browser and waits until you have logged in
    there. The login is written to the cache file that cmsdials (and every
    later 'dials' command) reads; it renews itself while used.
    """
    from cmsdials.auth.device import Credentials

    config = _config()
    auth = config.auth_client(interactive=True)
    token = auth.device_auth_flow()
    Credentials.from_authclient_token(token, config.cache_dir, client=auth)
    note(f"Logged in; the login is cached in {config.cache_file()}.")


@command(
    short_help="Forget the cached login.",
    epilog="""\b
Example:
  dials logout
""",
)
def logout() -> None:
    """Forget the cached login (delete the cache file)."""
    config = _config()
    path = config.cache_file()
    try:
        path.unlink()
    except FileNotFoundError:
        note(f"Not logged in (no {path}).")
        return
    note(f"Logged out: removed {path}.")
    if config.application:
        note("Client credentials (CMSDIALS_CLIENT_SECRET or --client-secret-file) still apply.")


@command(
    short_help="Who you are to DIALS, where, until when.",
    epilog="""\b
Example:
  dials whoami
  dials --workspace jetmet whoami --format json
""",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def whoami(fmt: str) -> None:
    """Who you are to DIALS, in which workspace, and when the login expires.

    Never prints a token.
    """
    from .identity import describe

    info = describe(_config())
    if fmt == "json":
        import orjson

        click.echo(orjson.dumps(info, option=orjson.OPT_INDENT_2).decode())
    else:
        width = max(map(len, info))
        for key, value in info.items():
            click.echo(f"{key.ljust(width)}  {'' if value is None else value}")


@command(
    short_help="The workspaces of DIALS (yours marked *).",
    epilog="""\b
Example:
  dials workspaces
""",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def workspaces(fmt: str) -> None:
    """The workspaces DIALS serves, and your default one (marked *)."""
    with _config().dials() as dials:
        names = dials.workspace.list().get("workspaces", [])
        mine = dials.workspace.my_workspace().get("workspace")
    if fmt == "json":
        import orjson

        data = {"workspaces": names, "default": mine}
        click.echo(orjson.dumps(data).decode())
        return
    for name in names:
        click.echo(f"{name} *" if name == mine else name)


# -- rows ----------------------------------------------------------------------------------------


@command(
    short_help="Rows of a group (one page; --limit N, --all).",
    epilog="""\b
Examples:
  dials ls run --runs 360390-360400
  dials ls h1d -f run_number=360392 --me-regex PXBarrel --limit 200
  dials ls lumi -f dataset_id=14412045 --all --format csv > lumis.csv
  dials ls h1d --me-regex charge --all --workers 4 -o charge.parquet
""",
)
@click.argument("group", type=GROUP)
@filter_options
@click.option("--fields", metavar="A,B", help="Only these fields of each row (comma-separated).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N rows.")
@click.option("--all", "everything", is_flag=True, help="Every row (every page).")
@click.option(
    "--workers",
    type=click.IntRange(1, 32),
    default=1,
    show_default=True,
    help="Fetch disjoint run ranges concurrently (same rows, same order).",
)
@output_options
def ls(
    group: str,
    fields: str | None,
    limit: int | None,
    everything: bool,
    workers: int,
    fmt: str | None,
    output: str | None,
    **options: Any,
) -> None:
    """Rows of a GROUP: one page by default (--limit N or --all for more).

    GROUP is one of dataset_index, file_index, h1d, h2d, lumi, run, mes,
    ml_models_index, ml_bad_lumis (or DIALS's route name: th1, th2, ...).
    """
    from .output import RowWriter, format_for, open_output
    from .query import filters_of

    if limit is not None and everything:
        raise click.UsageError("pass --limit N or --all, not both")
    selection = _selection(options, fields)
    filters = filters_of(group, selection)
    fmt = format_for(fmt, output)
    _check_output(fmt, output)
    config = _config()
    with config.dials() as dials:
        endpoint = _endpoint(dials, group)
        columns = _columns(endpoint, filters.fields)
        max_pages = None if (everything or limit) else 1
        with usage_errors():
            pages = endpoint.iter_pages(filters, max_pages=max_pages, workers=workers)
        bar = _progress(config, many=max_pages is None)
        more = False
        with open_output(output, binary=fmt == "parquet") as stream:
            writer = RowWriter(fmt, stream, columns=columns)
            try:
                for page in pages:
                    rows = page.results
                    if limit is not None:
                        rows = rows[: limit - writer.count]
                    writer.write(rows)
                    if bar is not None:
                        bar.page(page.next is not None)
                    if limit is not None and writer.count >= limit:
                        more = page.next is not None or len(rows) < len(page.results)
                        break
                else:
                    more = pages.next is not None if hasattr(pages, "next") else False
            finally:
                if bar is not None:
                    bar.close()
                close = getattr(pages, "close", None)
                if callable(close):
                    close()
            writer.close()
    if not writer.count and fmt == "table":
        note("(no rows)")
    counted = f"{writer.count} row{'s' if writer.count != 1 else ''}"
    if more and max_pages == 1:
        note(f"(the first page: {counted}; --limit N or --all for more)")
    elif more:
        note(f"(the first {counted}; --all for every row)")


def _progress(config: Config, *, many: bool) -> Any:
    """A page counter on stderr when a person is looking (never with --quiet or one page)."""
    if config.quiet or not many:
        return None
    from cmsdials.progress import progress

    return progress(None)


@command(
    short_help="How many rows of a group match.",
    epilog="""\b
Examples:
  dials count lumi -f dataset_id=14412045
  dials count run --runs 360390-360400
""",
)
@click.argument("group", type=GROUP)
@filter_options
def count(group: str, **options: Any) -> None:
    """How many rows of a GROUP match the filters (the number alone on stdout).

    DIALS has a count for some groups (lumi, run, file_index today).
    """
    from .. import adapter
    from .query import filters_of

    counted = [g.attribute for g in GROUPS if adapter.api().group(g.route).count is not None]
    if group not in counted:
        raise click.BadParameter(
            f"DIALS counts the rows of {', '.join(counted)}, not of {group} (count those "
            "with: dials ls ... --all --format csv | tail -n +2 | wc -l)",
            param_hint="'GROUP'",
        )
    filters = filters_of(group, _selection(options))
    with _config().dials() as dials:
        with usage_errors():
            n = _endpoint(dials, group).count(filters)
    click.echo(str(n))


@command(
    short_help="One row of a group, by its keys.",
    epilog="""\b
Examples:
  dials get run dataset_id=14412045 run_number=360392
  dials get h1d dataset_id=14412045 run_number=360392 ls_number=10 me_id=1 --format json
""",
)
@click.argument("group", type=GROUP)
@click.argument("keys", nargs=-1, required=True, metavar="KEY=VALUE...")
@output_options
def get(group: str, keys: Sequence[str], fmt: str | None, output: str | None) -> None:
    """One row of a GROUP, by its keys (DIALS's names for them).

    As a table it is shown one field per line; JSON is a list of one row object.
    """
    from .output import format_for, write_rows
    from .query import split_pairs

    values: dict[str, Any] = split_pairs(keys, "'KEY=VALUE'")
    fmt = format_for(fmt, output)
    _check_output(fmt, output)
    with _config().dials() as dials:
        endpoint = _endpoint(dials, group)
        with usage_errors():
            row = endpoint.get(**values)
    if fmt == "table":
        _vertical(row)
        return
    write_rows([row], fmt, output, columns=_columns(endpoint, None))


def _vertical(row: Any) -> None:
    from cmsdials.models import model_dump

    from .output import cell

    values = model_dump(row)
    width = max(map(len, values), default=0)
    for key, value in values.items():
        click.echo(f"{key.ljust(width)}  {cell(key, value, values)}")


@command(
    short_help="The monitoring elements (MEs).",
    epilog="""\b
Examples:
  dials mes --regex PXBarrel
  dials mes --dataset-id 14412045 --run 360392 --format csv
""",
)
@click.option("--regex", metavar="REGEX", help="Only the MEs whose name matches.")
@click.option("--dim", type=click.IntRange(1, 2), help="Only 1D or 2D MEs.")
@click.option("--dataset-id", type=int, help="With --run: the MEs ingested for that run.")
@click.option("--run", "run_number", type=int, help="With --dataset-id: the run.")
@output_options
def mes(
    regex: str | None,
    dim: int | None,
    dataset_id: int | None,
    run_number: int | None,
    fmt: str | None,
    output: str | None,
) -> None:
    """The monitoring elements (MEs): all of them, or those of one run."""
    from .output import format_for, write_rows

    if (dataset_id is None) != (run_number is None):
        raise click.UsageError("--dataset-id and --run go together")
    fmt = format_for(fmt, output)
    _check_output(fmt, output)
    with _config().dials() as dials:
        if dataset_id is not None and run_number is not None:
            rows: list[Any] = dials.mes.list_by_run(dataset_id, run_number)
            if regex is not None:
                import re

                try:
                    pattern = re.compile(regex)
                except re.error as exc:
                    raise click.BadParameter(str(exc), param_hint="'--regex'") from None
                rows = [r for r in rows if pattern.search(str(getattr(r, "me", "")))]
            if dim is not None:
                rows = [r for r in rows if getattr(r, "dim", dim) == dim]
            columns: list[str] = []
        else:
            with usage_errors():
                rows = dials.mes.list_all({"me__regex": regex, "dim": dim})
            columns = _columns(dials.mes, None)
    write_rows(rows, fmt, output, columns=columns)


def _shard(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    index, sep, total = text.partition("/")
    try:
        shard = (int(index), int(total))
    except ValueError:
        shard = None
    if not sep or shard is None or not (shard[1] >= 1 and 0 <= shard[0] < shard[1]):
        raise click.BadParameter(
            f"{text!r} is not I/N with 0 <= I < N (job I of N, e.g. $(Process)/10)",
            param_hint="'--shard'",
        )
    return shard


@command(
    short_help="Rows of a group into an on-disk store, resumably.",
    epilog="""\b
Examples:
  dials pull h1d --me-regex PXBarrel --runs 378142-378970 -o pixel-store --workers 4
  dials pull h1d --me-regex PXBarrel --runs 378142-378970 -o pixel-store --shard 3/10
  dials pull lumi -f dataset_id=14412045 -o lumis --refresh all
""",
)
@click.argument("group", type=GROUP)
@filter_options
@click.option(
    "-o",
    "--output",
    "store_path",
    required=True,
    metavar="STORE",
    type=click.Path(file_okay=False),
    help="The store's folder (created if missing; several pulls may share it).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 32),
    default=1,
    show_default=True,
    help="Partitions fetched at once.",
)
@click.option("--shard", metavar="I/N", help="Only job I's share of N (0 <= I < N).")
@click.option(
    "--refresh",
    type=click.Choice(["incomplete", "all", "none"]),
    default="incomplete",
    show_default=True,
    help="Fetch again the partitions of runs DIALS had not finished (incomplete), all, or none.",
)
def pull(
    group: str,
    store_path: str,
    workers: int,
    shard: str | None,
    refresh: str,
    **options: Any,
) -> None:
    """Pull rows of a GROUP into an on-disk store (Parquet), resumably.

    Run it again and it fetches only what the store lacks (nothing, when the pull is
    complete). N batch jobs with --shard 0/N ... N-1/N fill one store together. Exit
    status 0 only when the pull (or this job's shard) is complete; interrupted or
    killed, run the same command again to continue. Read the store with
    cmsdials.store.open(STORE) or any Parquet reader.
    """
    from .query import filters_of

    filters = filters_of(group, _selection(options))
    share = _shard(shard)
    config = _config()
    with config.dials() as dials:
        endpoint = _endpoint(dials, group)
        with usage_errors():
            stored = endpoint.store(
                filters,
                store_path,
                workers=workers,
                shard=share,
                refresh=refresh,  # type: ignore[arg-type]
                enable_progress=False if config.quiet else None,
            )
    from cmsdials.store.pull import in_shard

    missing = [pid for pid in stored.missing if in_shard(pid, share)]
    planned = len(stored.parts)
    held = planned - len(stored.missing)
    if missing:
        raise click.ClickException(
            f"the pull into {store_path} is not complete ({len(missing)} partitions missing): "
            "run the same command again to continue"
        )
    if share is None:
        note(f"The pull into {store_path} is complete ({planned} partitions).")
    else:
        note(
            f"Shard {share[0]}/{share[1]} is complete; the store holds {held} of the pull's "
            f"{planned} partitions."
        )


# -- JSON of the ML models -----------------------------------------------------------------------


def _ml_json(
    what: str,
    models: Sequence[str],
    datasets: Sequence[str],
    runs: Sequence[str],
    output: str | None,
) -> None:

    from .output import open_output

    def ints(values: Sequence[str]) -> list[str] | None:
        listed = [v.strip() for item in values for v in item.split(",") if v.strip()]
        return listed or None

    with _config().dials() as dials:
        call = getattr(dials.ml_bad_lumis, what)
        with usage_errors():
            answer = call(ints(models), ints(datasets), ints(runs))
    with open_output(output) as stream:
        stream.write(cms_json(answer))


def cms_json(data: Mapping[str, Any]) -> str:
    """A JSON object as CMS writes its lumisection files: one run per line."""
    import json

    lines = [
        f"  {json.dumps(str(k))}: {json.dumps(v, separators=(', ', ': '))}" for k, v in data.items()
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n" if lines else "{}\n"


#: The selection of ``cert-json`` and ``golden-json``.
_ml_json_options = stack(
    click.option(
        "--model-id",
        "models",
        multiple=True,
        metavar="ID[,ID]",
        required=True,
        help="The ML model(s) (repeatable or comma-separated).",
    ),
    click.option(
        "--dataset-id",
        "datasets",
        multiple=True,
        metavar="ID[,ID]",
        required=True,
        help="The dataset(s).",
    ),
    click.option(
        "--run",
        "runs",
        multiple=True,
        metavar="RUN[,RUN]",
        required=True,
        help="The run(s).",
    ),
    click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, allow_dash=True),
        help="Write the JSON to this file instead of stdout.",
    ),
)


@command(
    short_help="An ML model's certification JSON.",
    name="cert-json",
    epilog="""\b
Example:
  dials --workspace jetmet cert-json --model-id 19,20 --dataset-id 14677060 \
      --run 367112 -o cert.json
""",
)
@_ml_json_options
def cert_json(
    models: Sequence[str], datasets: Sequence[str], runs: Sequence[str], output: str | None
) -> None:
    """The ML certification JSON: {run: {lumisection: [what flagged it]}}."""
    _ml_json("cert_json", models, datasets, runs, output)


@command(
    short_help="The golden-like JSON of unflagged lumisections.",
    name="golden-json",
    epilog="""\b
Example:
  dials --workspace jetmet golden-json --model-id 19 --dataset-id 14677060 --run 367112 -o good.json
""",
)
@_ml_json_options
def golden_json(
    models: Sequence[str], datasets: Sequence[str], runs: Sequence[str], output: str | None
) -> None:
    """The golden-like JSON of the lumisections no model flagged: {run: [[first, last], ...]}."""
    _ml_json("golden_json", models, datasets, runs, output)


# -- lumisection masks -----------------------------------------------------------------------------


@command(
    short_help="Lumisection masks: and, or, sub, diff.",
    name="json",
    epilog="""\b
Examples:
  dials json and golden.json dcs.json -o certified.json     # in both
  dials json or a.json b.json c.json                        # in any
  dials json sub golden.json bad.json                       # in the first, not the others
  dials json diff golden.json new.json                      # run by run, what differs
""",
)
@click.argument("operation", type=click.Choice(["and", "or", "sub", "diff"]))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Write to this file."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="diff only: lines per run, or JSON.",
)
def json_(operation: str, files: Sequence[str], output: str | None, fmt: str) -> None:
    """Combine lumisection masks (CMS JSON files, or cert-json output): and, or, sub, diff.

    and/or/sub take two files or more and write a CMS JSON, one run per line; diff takes
    two and says, run by run, what only the first and only the second has. '-' reads stdin.
    """
    import functools
    import operator

    from cmsdials.lumi import LumiMask

    from .output import open_output

    if len(files) < 2 or (operation == "diff" and len(files) != 2):
        wanted = "two files" if operation == "diff" else "two files or more"
        raise click.UsageError(f"dials json {operation} takes {wanted}")
    with usage_errors():
        masks = [LumiMask(sys.stdin.read() if f == "-" else f) for f in files]
    if operation == "diff":
        difference = LumiMask.diff(*masks)
        if fmt == "json":
            import orjson

            text = orjson.dumps(difference.to_dict()).decode() + "\n"
        else:
            text = str(difference) + "\n"
        with open_output(output) as stream:
            stream.write(text)
        return
    combine = {"and": operator.and_, "or": operator.or_, "sub": operator.sub}[operation]
    mask = functools.reduce(combine, masks)
    with open_output(output) as stream:
        stream.write(cms_json(mask.to_dict()))
    note(f"{len(mask):,} lumisections in {len(mask.runs):,} runs.")


# -- pictures ------------------------------------------------------------------------------------


@command(
    short_help="A run's heat map of one ME, to a file.",
    epilog="""\b
Examples:
  dials plot h1d -f run_number=360392 \
      -f me=PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2 -o charge.png
  dials --workspace jetmet plot h1d -f run_number=367112 -f me_id=3 --bad-model 19 -o run.png
  dials plot h2d -f run_number=360392 -f me_id=2 --sum -o sum.pdf
""",
)
@click.argument("group", type=GROUP)
@filter_options
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The picture (PNG, PDF, SVG: by its suffix).",
)
@click.option(
    "--bad-model",
    type=int,
    metavar="ID",
    help="Mark the lumisections this ML model flagged in the run.",
)
@click.option("--index", type=int, metavar="I", help="Draw the I-th row alone.")
@click.option("--sum", "total", is_flag=True, help="Draw the sum of the rows.")
def plot(
    group: str, output: str, bad_model: int | None, index: int | None, total: bool, **options: Any
) -> None:
    """A run's heat map of one ME (lumisection x bin), as page.plot() draws it.

    The filters select the histogram rows (dials.h1d or dials.h2d) of one ME in one
    run; a 2D ME needs --index or --sum.
    """
    from .query import filters_of

    filters = filters_of(group, _selection(options))
    config = _config()
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise click.ClickException(
            "dials plot needs matplotlib, which is not installed: pip install 'cmsdials[plot]'"
        ) from None
    with config.dials() as dials:
        with usage_errors():
            page = _endpoint(dials, group).list_all(
                filters, enable_progress=not config.quiet and None
            )
        bad = None
        if bad_model is not None and page.results:
            first = page.results[0]
            bad = dials.ml_bad_lumis.list_all(
                {
                    "model_id": bad_model,
                    "run_number": first.run_number,
                    "dataset_id": first.dataset_id,
                },
                enable_progress=False,
            )
    figure = Figure(figsize=(10, 6), layout="constrained")
    with usage_errors():
        page.plot(ax=figure.add_subplot(), bad=bad, index=index, reduce="sum" if total else None)
    from .output import open_output

    suffix = output.rsplit(".", 1)[-1].lower() if "." in output else "png"
    with open_output(output, binary=True) as stream:
        figure.savefig(stream, format=suffix)
    note(f"Wrote {output} ({len(page.results)} rows).")


# -- the local DIALS -----------------------------------------------------------------------------


@command(
    short_help="A local DIALS with generated data.",
    epilog="""\b
Example:
  dials server > local.env &     # in the background; then, once it is up:
  . ./local.env && dials ls run
""",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=0, type=click.IntRange(0, 65535), help="Port (0: a free one).")
@click.option("--size", type=click.Choice(["small", "large"]), default="small", show_default=True)
@click.option("--seed", default=0, type=int, show_default=True, help="Seed of the data.")
def server(host: str, port: int, size: str, seed: int) -> None:
    """Run a local DIALS (and its Keycloak) with generated data, until Ctrl-C.

    Prints on stdout the shell lines that point 'dials' at it (its URL and an
    application's client credentials of its realm). Needs the server extra:
    pip install 'cmsdials[server]'.
    """
    import time

    from cmsdials.testing import DialsServer
    from cmsdials.testing.keycloak import RealmUnavailableError

    try:
        srv = DialsServer(host=host, port=port, size=size, seed=seed)  # type: ignore[arg-type]
        srv.start()
    except RealmUnavailableError as exc:  # the server extra is missing
        raise click.ClickException(str(exc)) from None
    try:
        lines = {
            "CMSDIALS_BASE_URL": srv.base_url,
            "CMSDIALS_KEYCLOAK_URL": srv.keycloak_url,
            "CMSDIALS_CLIENT_ID": srv.client_id,
            "CMSDIALS_CLIENT_SECRET": srv.client_secret,
        }
        click.echo("".join(f"export {k}={v}\n" for k, v in lines.items()), nl=False)
        sys.stdout.flush()
        note(
            f"A local DIALS ({size} data, seed {seed}) serves {srv.base_url}. Point dials at it "
            "with the lines above (e.g. dials server > local.env, then . ./local.env). "
            "Ctrl-C stops it."
        )
        while True:
            time.sleep(3600)
    finally:
        srv.stop()


# -- shell completion ----------------------------------------------------------------------------


@command(
    short_help="Shell completion code (bash, zsh).",
    epilog="""\b
Examples:
  eval "$(dials completion bash)"          # in ~/.bashrc
  eval "$(dials completion zsh)"           # in ~/.zshrc
""",
)
@click.argument("shell", type=click.Choice(["bash", "zsh"]))
def completion(shell: str) -> None:
    """The shell code that completes dials's commands, groups and filters."""
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    assert cls is not None
    click.echo(cls(cli, {}, "dials", "_DIALS_COMPLETE").source())


# -- running it ----------------------------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def run(argv: Sequence[str] | None = None) -> int:
    """``dials`` with ``argv``: the exit status; errors reported on stderr."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = cli.main(args=args, prog_name="dials", standalone_mode=False)
    except click.exceptions.Abort:  # Ctrl-C (click turns KeyboardInterrupt into Abort)
        click.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:  # usage errors (2) and our own failures (1)
        if _STATE.debug and exc.exit_code != 2:
            raise
        exc.show()
        return exc.exit_code
    except Exception as exc:
        if _STATE.debug:
            raise
        from cmsdials.exceptions import DialsError

        if isinstance(exc, DialsError | OSError):
            click.echo(f"Error: {_one_line(exc)}", err=True)
            return 1
        click.echo(
            f"Error: {type(exc).__name__}: {_one_line(exc)} (a bug of dials? run again with "
            "--debug for the traceback)",
            err=True,
        )
        return 1
    return result if isinstance(result, int) else 0


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
