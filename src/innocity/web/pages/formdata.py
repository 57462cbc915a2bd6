"""Small helpers the loop's pages share: the submitted form as a dependency (the CSRF check has read it
already, so this costs nothing), and reading optional numbers, dates and "id:version" picks from it."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from innocity.errors import UserInputError


async def _form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(_form)]


def text(form: FormData, name: str, *, limit: int = 5000) -> str | None:
    """A text field, stripped; ``None`` when blank. Longer than ``limit`` is refused, not cut."""
    raw = form.get(name)
    if not isinstance(raw, str) or not raw.strip():
        return None
    if len(raw) > limit:
        raise UserInputError(f"{name} 超过 {limit} 字", field=name)
    return raw.strip()


def integer(raw: str | None, *, field: str) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise UserInputError(f"“{raw[:20]}”不是整数", field=field)
    return int(raw)


def day(raw: str | None, *, field: str) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise UserInputError(f"“{raw[:20]}”不是日期（YYYY-MM-DD）", field=field) from None


def picks(values: list[str], *, field: str = "item") -> list[tuple[int, int]]:
    """``["12:3", …]`` (id and the version the person saw) → ``[(12, 3), …]``."""
    out = []
    for raw in values:
        a, _, b = raw.partition(":")
        if not (a.isdigit() and b.isdigit()):
            raise UserInputError(f"bad item {raw[:30]!r}", field=field)
        out.append((int(a), int(b)))
    return out


def year_param(raw: str | None) -> int | None:
    """The ``year`` of a page's query string: blank is none, anything else four digits."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not (raw.isdigit() and len(raw) == 4):
        raise UserInputError(f"年份“{raw[:10]}”须为四位数字", field="year")
    return int(raw)
