"""Write docs/cli.md, the reference of every ``innocity`` command and option, from the command line itself.

Run: .venv/bin/python scripts/cli_docs.py        (rewrites docs/cli.md)
     .venv/bin/python scripts/cli_docs.py --check (exit 1 when docs/cli.md is out of date)

``tests/cli/test_docs.py`` checks that every command and option appears in docs/cli.md, as sqlite-utils
checks its documentation.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"

HEAD = """# The `innocity` command line

Generated from the commands themselves by `scripts/cli_docs.py`; a test checks that every command and option
is here. Exit status: 0 ok · 1 a document was read but holds no plan (or no figures) · 2 a user error (one
line naming the file, row or field) · 3 a conflict (someone changed the record first) · 4 the database is
unavailable or not an innocity database.
"""


def commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every (path, command) below ``group``, depth first, in the order they are shown in ``--help``."""
    out: list[tuple[tuple[str, ...], Any]] = []
    for name, cmd in getattr(group, "commands", {}).items():
        path = (*prefix, name)
        out.append((path, cmd))
        out.extend(commands(cmd, path))
    return out


def render() -> str:
    import typer.main

    from innocity.cli import app

    root = typer.main.get_command(app)
    parts = [HEAD]
    for path, cmd in commands(root):
        title = "innocity " + " ".join(path)
        parts.append(f"## {title}\n")
        text = (cmd.help or cmd.short_help or "").strip()
        if text:
            parts.append(text.replace("\b\n", "") + "\n")
        rows = []
        for p in cmd.params:
            if getattr(p, "hidden", False):
                continue
            if getattr(p, "param_type_name", "") == "option":
                names = ", ".join(f"`{o}`" for o in [*p.opts, *getattr(p, "secondary_opts", [])])
            else:
                names = f"`{(p.metavar or p.name or '').upper()}`"
            rows.append(f"| {names} | {(getattr(p, 'help', None) or '').replace('|', '/')} |")
        if rows:
            parts.append("| argument or option | meaning |\n|---|---|\n" + "\n".join(rows) + "\n")
    return "\n".join(parts)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        ok = DOC.exists() and DOC.read_text(encoding="utf-8") == text
        print("docs/cli.md is up to date" if ok else "docs/cli.md is out of date: run scripts/cli_docs.py")
        return 0 if ok else 1
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
