"""What every command shares: the process's ``AppContext``, one output-format enum, printing typed results,
and the mapping from the fields services name in errors to this command line's flags.

A command parses its arguments, calls one service in one line and prints::

    @app.command("progress")
    def progress_cmd(region: str = REGION, fmt: Format = FORMAT) -> None:
        with uow() as w:
            rows = tracking.progress(w, region=region)
        emit(rows, fmt, table=progress_table)
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from innocity.errors import UserInputError

if TYPE_CHECKING:
    from innocity.app import AppContext
    from innocity.services.context import UnitOfWork


class Format(StrEnum):
    """Every output format of the command line; each command says which it accepts (``--help``)."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    md = "md"


def format_option(*allowed: Format, short: bool = False) -> Any:
    """A ``--format`` option accepting only ``allowed`` (anything else is a usage error, exit 2); use it as
    ``fmt: Annotated[str, format_option(Format.table, Format.json)] = "table"``."""
    names = [f.value for f in allowed]

    def check(value: str | None) -> Format:
        if value not in names:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(names)}")
        return Format(value)

    flags = ("--format", "-f") if short else ("--format",)
    return typer.Option(*flags, help=" | ".join(names), callback=check, show_default=True)


TABLE_OR_JSON = format_option(Format.table, Format.json)
ID_MAX = 2**31 - 1  # the same bound as ``innocity.services.context.ID_MAX`` (not imported: it costs start-up)


def id_argument(help: str) -> Any:
    """A record id argument: a positive integer in the database's range, else a usage error (exit 2)."""
    return typer.Argument(help=help, min=1, max=ID_MAX)


def id_option(flag: str, help: str) -> Any:
    return typer.Option(flag, help=help, min=1, max=ID_MAX)
TODAY = typer.Option("--today", help="pretend today is this date (YYYY-MM-DD), for reports and tests")


# ---------------------------------------------------------------------- the application context


_APP: AppContext | None = None


def app_context() -> AppContext:
    """The process's ``AppContext``, built on first use (a command that needs no database opens none)."""
    global _APP
    if _APP is None:
        from innocity.app import AppContext
        from innocity.settings import Settings

        _APP = AppContext(Settings.from_env())
    return _APP


def reset_app_context() -> None:
    """Dispose of the context (end of a command; tests running several commands in one process)."""
    global _APP
    if _APP is not None:
        _APP.dispose()
    _APP = None


@contextmanager
def uow() -> Iterator[UnitOfWork]:
    """One unit of work as the shell user (every permission: whoever runs innocity can reach the database)."""
    with app_context().uow() as work:
        yield work


# ---------------------------------------------------------------------- fields → flags

# Services name parameters and fields; here they become this command line's words. Anything not listed
# becomes ``--field-name``; ``rows[12].value`` style fields are kept as they are.
FIELD_FLAGS: dict[str, str] = {
    "path": "FILE",
    "plan_id": "PLAN_ID",
    "target_id": "TARGET_ID",
    "task_id": "TASK_ID",
    "item_id": "ITEM_ID",
    "milestone_id": "MILESTONE_ID",
    "observation_id": "OBS_ID",
    "phrase": "PHRASE",
    "code": "CODE",
    "new_due": "--until",
    "expect_status": "--expect",
    "plan": "--plan",
}


def flag_for(field: str | None, argv: list[str] | None = None) -> str | None:
    """How this command line spells ``field``: the option or argument of the command ``argv`` ran that
    carries it (``plan_id`` → ``--plan`` in ``progress``, ``PLAN_ID`` in ``plans show``), else a default."""
    if not field:
        return None
    if "[" in field or "." in field:
        return field
    param = _param_for(field, argv or [])
    if param is not None:
        return param
    if field in FIELD_FLAGS:
        return FIELD_FLAGS[field]
    return "--" + field.replace("_", "-")


def _param_for(field: str, argv: list[str]) -> str | None:
    import typer.main

    from innocity.cli import app

    cmd: Any = typer.main.get_command(app)
    for token in argv:
        sub = getattr(cmd, "commands", {}).get(token)
        if sub is None:
            break
        cmd = sub
    names = {field, field.removesuffix("_id"), field.removesuffix("_on")}
    for p in cmd.params:
        if p.name in names:
            if getattr(p, "param_type_name", "") == "option":
                return str(max(p.opts, key=len))
            return str(getattr(p, "metavar", None) or (p.name or field).upper())
    return None


# ---------------------------------------------------------------------- printing


def parse_date(text: str | None, field: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserInputError(f"not a date (YYYY-MM-DD): {text!r}", field=field) from None


def to_jsonable(obj: Any) -> Any:
    """Typed results (pydantic models, or lists of them) as plain JSON values."""
    from pydantic import BaseModel

    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    if isinstance(obj, list | tuple):
        return [to_jsonable(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    return obj


def print_json(obj: Any) -> None:
    typer.echo(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2, default=str))


def safe(text: Any) -> str:
    """User text for a Rich table: its markup characters escaped ("[/bold]" in a name is printed as is)."""
    from rich.markup import escape

    return escape("" if text is None else str(text))


def print_rich(renderable: Any) -> None:
    from rich.console import Console

    Console().print(renderable)


def emit(result: Any, fmt: Format | str, *, table: Callable[[Any], Any] | None = None) -> None:
    """Print a typed result: JSON for ``json``, else the Rich renderable ``table(result)`` builds."""
    if Format(fmt) is Format.json or table is None:
        print_json(result)
    else:
        print_rich(table(result))


def simple_table(rows: Sequence[Any], columns: Sequence[str], title: str | None = None) -> Any:
    """A Rich table of ``columns`` read from each row (a model or a dict); user text is escaped."""
    from rich.table import Table

    t = Table(title=safe(title) if title else None)
    for c in columns:
        t.add_column(c)
    for r in rows:
        data = to_jsonable(r)
        t.add_row(*[safe(_cell(data.get(c))) for c in columns])
    return t


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return "、".join(str(x) for x in v)
    return str(v)


def warn(message: str) -> None:
    print(f"innocity: warning: {message}", file=sys.stderr)
