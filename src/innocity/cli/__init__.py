"""The ``innocity`` command: the composition root.

Each command parses its arguments, calls one service and prints. Commands live in sibling modules, one
module per area, each exposing ``register(app)``. Errors from the one exception tree
(``innocity.errors``) are turned into one line on stderr and an exit status here, and only here.
"""

from __future__ import annotations

import sys

import typer

from innocity.errors import InnocityError
from innocity.settings import settings_help

from . import catalog, data, db, demo, eval, extract, index, parse, plans, report, serve, track, users
from .common import flag_for, reset_app_context

app = typer.Typer(
    name="innocity",
    help="创新型城市建设实施方案:解析、指标目录、数据存储、目标跟踪与创新指数评价。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=settings_help(),
)


@app.callback()
def _root() -> None:
    """创新型城市建设实施方案:解析、指标目录、数据存储、目标跟踪与创新指数评价。

    The process's one AppContext (settings, database, catalogue) is set up here: ``common.app_context()``
    builds it on first use, so a command that needs no database (``parse``, ``catalog``) opens none.
    """
    reset_app_context()


@app.command("version")
def version() -> None:
    """Print the version of innocity. Example: innocity version"""
    from innocity import __version__

    typer.echo(__version__)


for _module in (parse, eval, catalog, plans, data, db, track, index, report, users, serve, demo):
    _module.register(app)
extract.register(data.data_app)  # ``innocity data extract``: figures from statistical bulletins


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status.

    Typer/click handle usage errors themselves (status 2); our own errors become one line here.
    """
    try:
        app(args=argv, prog_name="innocity")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except InnocityError as exc:
        print(f"innocity: {exc.one_line(flag_for(exc.field, argv if argv is not None else sys.argv[1:]))}",
              file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("innocity: interrupted", file=sys.stderr)
        return 130
    finally:
        reset_app_context()
    return 0


def run() -> None:
    sys.exit(main())
