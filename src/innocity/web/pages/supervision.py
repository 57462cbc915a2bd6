"""``/supervision``: the 督办 board, a column per lifecycle state (raised, responded, extended, escalated,
closed); each item shows its target or task, department, reply deadline and age, highlighted when the
reply is overdue. ``/supervision/{id}``: one item with its history (who did what, when) and the steps the
caller may take now: the department writes its 情况说明 or asks for an extension (at most two), the
coordinator closes (销号) or escalates. ``/supervision/sync``: what ``supervise sync`` would raise from
progress, shown first and raised only for the items ticked.

Which buttons a page shows is a hint computed from the same lifecycle rules (``domain.supervision``); the
service decides, and a refused step is shown with its reason.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup
from starlette.responses import Response

from innocity.domain.supervision import TransitionError, apply
from innocity.errors import ConflictError, InnocityError, UserInputError
from innocity.services import freshness, supervise
from innocity.services.context import Role, UnitOfWork
from innocity.services.models import SupervisionItem
from innocity.services.models.users import SignedIn
from innocity.services.supervise import ROLE_OF_ACTION

from ..cache import Kept
from ..deps import PageUowDep, PageUser
from ..templating import fragment, render
from . import vocab
from .formdata import FormDep, day, integer, text, year_param

router = APIRouter()
# the board's columns rendered, and how many items: kept while the freshness stamp (scope, day, last write) holds
BOARDS: Kept[tuple[Markup, int]] = Kept(512)
ACTIONS = ("respond", "extend", "close", "escalate")
# The steps each role is offered on the page: the department answers, the coordinator decides. (A
# coordinator's role may also answer for a department; the API allows it, the page does not offer it.)
OFFERED = {Role.DEPARTMENT: ("respond", "extend"), Role.COORDINATOR: ("close", "escalate")}


def steps_for(item: SupervisionItem, w: UnitOfWork, user: SignedIn) -> list[str]:
    """The steps the lifecycle allows on ``item`` now that the caller's role may take (a page hint)."""
    out = []
    for action in OFFERED.get(w.actor.role, ACTIONS):
        if not w.actor.may(ROLE_OF_ACTION[action]):
            continue
        if w.actor.is_department and item.department != user.user.department:
            continue
        try:
            apply(item.status, action, extensions=item.extensions, comment="-")
        except TransitionError:
            continue
        out.append(action)
    return out


@router.get("/supervision")
def board(request: Request, user: PageUser, w: PageUowDep,
          region: Annotated[str | None, Query(max_length=100)] = None,
          raised: Annotated[str | None, Query(max_length=6)] = None) -> Response:
    today = date.today()
    stamp = freshness.progress_stamp(w, region=region or None, today=today)

    def columns() -> tuple[Markup, int]:
        items = supervise.list_items(w, include_closed=True, region=region or None, today=today)
        return fragment("supervision/_board.html", {
            "columns": {s: [i for i in items if i.status == s] for s in vocab.SUPERVISION_ORDER},
            "ages": {i.id: (today - i.raised_at.date()).days for i in items},
        }), len(items)

    board_html, total = BOARDS.get_or_make(stamp, columns)
    notice = f"已生成 {raised} 项督办事项" if raised and raised.isdigit() else None
    return render(request, "supervision/board.html", {
        "board": board_html, "total": total, "today": today, "region": region or "", "notice": notice,
    })


def item_page(request: Request, w: UnitOfWork, user: SignedIn, item_id: int, *, error: str | None = None,
              notice: str | None = None) -> Response:
    item = supervise.get_item(w, item_id=item_id)
    today = date.today()
    return render(request, "supervision/item.html", {
        "i": item, "steps": steps_for(item, w, user), "error": error, "notice": notice, "today": today,
        "age": (today - item.raised_at.date()).days,
    })


@router.get("/supervision/{item_id:int}")
def item_detail(request: Request, item_id: int, user: PageUser, w: PageUowDep,
                done: Annotated[str | None, Query(max_length=12)] = None) -> Response:
    notice = f"已{vocab.ACTION_ZH.get(done, done)}" if done in ACTIONS else None
    return item_page(request, w, user, item_id, notice=notice)


@router.post("/supervision/{item_id:int}/{action}")
def step(request: Request, item_id: int, action: str, user: PageUser, w: PageUowDep, form: FormDep) -> Response:
    """One lifecycle step with the version the person saw."""
    try:
        if action not in ACTIONS:
            raise UserInputError(f"unknown step {action!r}", field="action")
        supervise.act(w, item_id=item_id, action=action, text=text(form, "text"),
                      new_due=day(text(form, "new_due", limit=12), field="new_due"),
                      version=integer(text(form, "version", limit=9), field="version"))
    except InnocityError as exc:
        w.session.rollback()
        message = "该事项已被他人处理，请刷新后再试。" if isinstance(exc, ConflictError) else exc.message
        return item_page(request, w, user, item_id, error=message)
    return RedirectResponse(f"/supervision/{item_id}?done={action}", status_code=303)


@router.get("/supervision/sync")
def sync_preview(request: Request, user: PageUser, w: PageUowDep,
                 year: Annotated[str | None, Query(max_length=8)] = None,
                 region: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    y = year_param(year) or date.today().year
    proposals = supervise.proposals(w, region=region or None, year=y)
    return render(request, "supervision/sync.html", {"proposals": proposals, "year": y, "region": region or ""})


@router.post("/supervision/sync")
def sync(request: Request, user: PageUser, w: PageUowDep, form: FormDep) -> Response:
    """Raise the proposals ticked on the preview (others stay proposals)."""
    y = year_param(text(form, "year", limit=8))
    region = text(form, "region", limit=100)
    only = []
    for raw in form.getlist("pick"):
        subject, _, sid = str(raw).partition(":")
        if subject not in ("target", "task") or not sid.isdigit():
            raise UserInputError(f"bad pick {str(raw)[:30]!r}", field="pick")
        only.append((subject, int(sid)))
    if not only:
        proposals = supervise.proposals(w, region=region, year=y)
        return render(request, "supervision/sync.html", {
            "proposals": proposals, "year": y or date.today().year, "region": region or "",
            "error": "请先勾选要立项督办的事项。"})
    raised = supervise.sync(w, region=region, year=y, only=only)
    return RedirectResponse(f"/supervision?raised={len(raised)}", status_code=303)
