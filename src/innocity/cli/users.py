"""User accounts of the web application: ``innocity users add|list|disable|reset-password``.

Passwords never appear on the command line (where ``ps`` and the shell history would keep them): they are
read from standard input with ``--password-stdin``, or asked for twice without echo.
"""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from innocity.errors import UserInputError

from .common import TABLE_OR_JSON, emit, print_rich, simple_table, uow

users_app = typer.Typer(
    help="Web application accounts. Example: innocity users add li --role coordinator --region 西宁市 "
    "--password-stdin",
    no_args_is_help=True,
)
FMT = Annotated[str, TABLE_OR_JSON]
NAME = Annotated[str, typer.Argument(help="user name (2–64 letters, digits, Chinese characters, _ . @ -)")]
PASSWORD_STDIN = Annotated[
    bool, typer.Option("--password-stdin", help="read the password from the first line of standard input")
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise UserInputError("no password on standard input", field="password")
        return line.rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise UserInputError("the two passwords differ", field="password")
    return first


@users_app.command("add")
def users_add(
    username: NAME,
    role: Annotated[str, typer.Option("--role", help="admin | coordinator | department | leader | evaluator")],
    region: Annotated[
        str | None, typer.Option("--region", help="region name or adcode (required except for admin/evaluator)")
    ] = None,
    department: Annotated[
        str | None, typer.Option("--department", help="the department a department user speaks for (市科技局)")
    ] = None,
    password_stdin: PASSWORD_STDIN = False,
    fmt: FMT = "table",
) -> None:
    """Create an account. Example: printf '%s\\n' "$PW" | innocity users add wang --role department
    --region 西宁市 --department 市科技局 --password-stdin"""
    from innocity.services import users

    password = _password(password_stdin)
    with uow() as w:
        user = users.create_user(w, username=username, password=password, role=role, region=region,
                                 department=department)
    emit(user, fmt, table=lambda u: simple_table([u], ["id", "username", "role", "department"], title="已创建用户"))


@users_app.command("list")
def users_list(fmt: FMT = "table") -> None:
    """List accounts (never their passwords). Example: innocity users list --format json"""
    from innocity.services import users

    with uow() as w:
        rows = users.list_users(w)
    if fmt == "table":
        table = simple_table(
            [{**u.json_dict(), "region": u.region.name if u.region else ""} for u in rows],
            ["id", "username", "role", "region", "department", "disabled", "created_at"],
            title=f"用户 ({len(rows)})",
        )
        print_rich(table)
    else:
        emit(rows, fmt)


@users_app.command("disable")
def users_disable(username: NAME, fmt: FMT = "table") -> None:
    """Disable an account: it cannot sign in and its sessions and tokens stop working.
    Example: innocity users disable wang"""
    from innocity.services import users

    with uow() as w:
        user = users.disable_user(w, username=username)
    emit(user, fmt, table=lambda u: simple_table([u], ["id", "username", "disabled"], title="已停用"))


@users_app.command("reset-password")
def users_reset_password(username: NAME, password_stdin: PASSWORD_STDIN = False, fmt: FMT = "table") -> None:
    """Set a new password (ends every session and token of the account, lifts a lock).
    Example: printf '%s\\n' "$PW" | innocity users reset-password wang --password-stdin"""
    from innocity.services import users

    password = _password(password_stdin)
    with uow() as w:
        user = users.reset_password(w, username=username, password=password)
    emit(user, fmt, table=lambda u: simple_table([u], ["id", "username", "password_changed_at"],
                                                  title="密码已重置"))


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.add_typer(users_app, name="users")
