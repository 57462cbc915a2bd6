"""``/plans/{id}``: the review workspace. The plan's source text with every extracted item highlighted on
one side, the items with their fields on the other; per target: confirm, reject, edit (value, range, unit,
comparator, year, indicator, departments), its audit history; many targets confirmed at once.

Every change goes through ``services.targets.update_target`` / ``services.plans.review_many`` with the
version the reviewer saw, so a stale page gets 已被他人修改，请刷新后再试 and changes nothing. A failed
change is rolled back before the answer is rendered (the unit of work would otherwise commit what the
service flushed before it refused).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup, escape
from pydantic import ValidationError
from starlette.responses import HTMLResponse, Response

from innocity.errors import InnocityError, NotFoundError, UserInputError
from innocity.services import freshness, plans, regions, targets
from innocity.services.context import Permission, UnitOfWork
from innocity.services.models import PlanDetail, PlanItem
from innocity.services.plans import REVIEWED, BulkReview
from innocity.services.targets import TargetPatch

from ..cache import PLAN_VIEW, Kept, plan_detail
from ..deps import PageUowDep, PageUser
from ..errors import wants_fragment
from ..highlight import KINDS, Span, highlight, window
from ..templating import fragment, render

router = APIRouter()
WORKSPACES: Kept[tuple[Markup, Markup, str | None]] = Kept(256)

MASKED = re.compile(r"[*＊Xx×]")
NAMES = re.compile(r"[、,，;；\s]+")


def spans_of(detail: PlanDetail) -> list[Span]:
    out = []
    for kind in KINDS:
        for item in getattr(detail, kind):
            if item.span_start is not None and item.span_end is not None:
                out.append(Span(f"{kind}-{item.id}", kind, item.span_start, item.span_end))
    return out


def review_counts(detail: PlanDetail) -> dict[str, int]:
    states = [t.review for t in detail.targets]
    return {"total": len(states), "reviewed": sum(s in REVIEWED for s in states),
            **{s: states.count(s) for s in ("extracted", "confirmed", "edited", "rejected")}}


@dataclass(frozen=True)
class PlanView:
    """What the workspace shows of a plan that does not depend on who looks: kept while it is fresh."""

    plan: PlanDetail
    source: Markup
    window: dict[str, Any]
    counts: dict[str, int]


def plan_view(w: UnitOfWork, plan_id: int, *, full: bool, stamp: str) -> PlanView:
    """What the workspace shows of the plan (``stamp``: its freshness stamp, read by the caller; the plan
    itself is shared with the API's answer under it)."""
    detail = plan_detail(w, plan_id, stamp)
    text = detail.text or ""
    spans = spans_of(detail)
    start, end = (0, len(text)) if full else window(text, spans)
    return PlanView(
        plan=detail,
        source=highlight(text, spans, start=start, end=end),
        window={"start": start, "end": end, "length": len(text), "full": full or (start, end) == (0, len(text))},
        counts=review_counts(detail),
    )


def workspace(request: Request, w: UnitOfWork, plan_id: int, *, error: str | None = None,
              notice: str | None = None) -> Response:
    full = request.query_params.get("full") == "1"
    stamp = freshness.plan_stamp(w, plan_id=plan_id)  # checks the scope too

    def parts() -> tuple[Markup, Markup, str | None]:
        view = PLAN_VIEW.get_or_make((stamp, full), lambda: plan_view(w, plan_id, full=full, stamp=stamp))
        assert isinstance(view, PlanView)
        region_id = view.plan.region_id
        ctx = {
            "plan": view.plan,
            "source": view.source,
            "window": view.window,
            "counts": view.counts,
            "departments": regions.list_departments(w, region_id=region_id) if region_id else [],
            "actor": w.actor,
        }
        return fragment("plans/_workspace_head.html", ctx), fragment("plans/_workspace.html", ctx), view.plan.title

    # the workspace rendered once per plan state and role (which controls it shows): sixty target cards
    # cost more to render than everything else on the page
    head, body, title = WORKSPACES.get_or_make((stamp, full, w.actor.role), parts)
    return render(request, "plans/review.html", {
        "head": head, "workspace": body, "title": title, "error": error, "notice": notice,
    })


@router.get("/plans/{plan_id:int}")
def review_page(request: Request, plan_id: int, user: PageUser, w: PageUowDep) -> Response:
    done = request.query_params.get("done")
    notice = f"已处理 {int(done)} 个目标" if done and done.isdigit() else None
    return workspace(request, w, plan_id, notice=notice)


# ---------------------------------------------------------------------- one target


def _number(raw: str | None, field: str) -> float | None:
    raw = (raw or "").strip().replace(",", "").replace("，", "")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise UserInputError(f"“{raw}”不是数字", field=field) from None


def _year(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise UserInputError(f"年份“{raw}”须为四位数字，如 2025", field="year")
    return int(raw)


def _names(raw: str | None) -> list[str]:
    return [n for n in NAMES.split(raw or "") if n]


EDIT_FIELDS = ("value", "value_max", "unit", "comparator", "year", "indicator_code", "lead", "support")


async def sent_fields(request: Request) -> dict[str, str]:
    """The text fields the form sent, as sent: an empty field is there (and clears its value), a field the
    form did not have is not (and changes nothing), which FastAPI's ``Form()`` parameters cannot tell apart."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


SentFields = Annotated[dict[str, str], Depends(sent_fields)]


def build_patch(action: str, form: dict[str, str]) -> TargetPatch:
    """The change a review form asks for: confirm, reject, or save the edited fields it sent."""
    raw_version = form.get("version", "")
    if not raw_version.isdigit():
        raise UserInputError("the form has no version", field="version")
    base: dict[str, Any] = {"version": int(raw_version), "comment": (form.get("comment") or "").strip() or None}
    if action in ("confirm", "reject"):
        return _patch(review="confirmed" if action == "confirm" else "rejected", **base)
    if action != "save":
        raise UserInputError(f"unknown action {action!r}", field="action")
    fields: dict[str, Any] = {}
    parse: dict[str, Any] = {
        "value": lambda v: _number(v, "value"),
        "value_max": lambda v: _number(v, "value_max"),
        "unit": lambda v: v.strip() or None,
        "indicator_code": lambda v: v.strip() or None,
        "lead": _names,
        "support": _names,
    }
    for name, read in parse.items():
        if name in form:
            fields[name] = read(form[name])
    if form.get("comparator"):
        fields["comparator"] = form["comparator"]
    year = _year(form.get("year"))
    if year is not None:
        fields["year"] = year
    return _patch(**base, **fields)


def _patch(**fields: Any) -> TargetPatch:
    try:
        return TargetPatch(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(x) for x in first.get("loc", ())) or None
        raise UserInputError(f"{field}: {first.get('msg')}", field=field) from None


def _target_fragment(request: Request, w: UnitOfWork, plan_id: int, item: PlanItem) -> Response:
    detail = plans.show_plan(w, plan_id=plan_id)
    return render(request, "plans/_target_response.html", {
        "plan": detail, "t": item, "counts": review_counts(detail),
    })


def _message(exc: InnocityError) -> str:
    if exc.message == "nothing to change":  # the service's words for a form saved unchanged
        return "没有需要保存的修改"
    return " ".join(exc.message.split())


@router.post("/plans/{plan_id:int}/targets/{target_id:int}")
def target_action(request: Request, plan_id: int, target_id: int, user: PageUser, w: PageUowDep,
                  form: SentFields) -> Response:
    """Confirm, reject or save one target (``action``), with the ``version`` the reviewer's card shows."""
    try:
        t = targets.target_in_scope(w, target_id=target_id)
        if t.plan_id != plan_id:
            raise NotFoundError(f"目标 {target_id} 不属于方案 {plan_id}", field="target_id")
        item = targets.update_target(w, target_id=target_id, patch=build_patch(form.get("action", ""), form))
    except InnocityError as exc:
        w.session.rollback()  # nothing the refused change flushed may be committed
        if not wants_fragment(request):
            return workspace(request, w, plan_id, error=_message(exc))
        return HTMLResponse(
            f'<p class="msg error" role="alert">{escape(_message(exc))}</p>',
            headers={"HX-Retarget": f"#msg-targets-{target_id}", "HX-Reswap": "innerHTML"},
        )
    if not wants_fragment(request):
        return RedirectResponse(f"/plans/{plan_id}#item-targets-{target_id}", status_code=303)
    return _target_fragment(request, w, plan_id, item)


@router.get("/plans/{plan_id:int}/targets/{target_id:int}/edit")
def edit_form(request: Request, plan_id: int, target_id: int, user: PageUser, w: PageUowDep,
              version: int | None = None) -> Response:
    """The edit fields of one target, loaded when the reviewer opens them: the indicator list starts with
    the matcher's suggestions for the target's wording."""
    w.require(Permission.REVIEW_PLAN)
    row = targets.target_in_scope(w, target_id=target_id)
    item = targets.target_item(w, target=row)
    suggested = w.matcher.candidates(item.indicator or item.text, unit=item.unit, kind=item.kind, limit=6)
    codes = {c.indicator.code for c in suggested}
    groups: dict[str, list[Any]] = {}
    for ind in w.catalog.indicators:
        if ind.code not in codes:
            groups.setdefault(ind.dimension_name, []).append(ind)
    if row.plan_id != plan_id:
        raise NotFoundError(f"目标 {target_id} 不属于方案 {plan_id}", field="target_id")
    plan = {"id": plan_id}
    return render(request, "plans/_edit.html", {
        "plan": plan, "t": item, "suggested": suggested, "groups": groups,
        # the version the reviewer's card shows: if the target changed since, saving is a conflict
        "version": version or item.version,
        "masked": bool(item.year_text and MASKED.search(item.year_text)),
    })


@router.get("/plans/{plan_id:int}/targets/{target_id:int}/history")
def target_history(request: Request, plan_id: int, target_id: int, user: PageUser, w: PageUowDep) -> Response:
    return render(request, "plans/_history.html", {
        "history": plans.item_history(w, kind="targets", item_id=target_id),
    })


@router.post("/plans/{plan_id:int}/review")
def review_selected(
    request: Request,
    plan_id: int,
    user: PageUser,
    w: PageUowDep,
    item: Annotated[list[str] | None, Form()] = None,
    review: Annotated[str, Form(max_length=16)] = "confirmed",
    comment: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    """Confirm (or reject) the ticked targets at once: all or nothing."""
    try:
        chosen: dict[int, int] = {}
        for raw in item or []:
            tid, _, ver = raw.partition(":")
            if not (tid.isdigit() and ver.isdigit()):
                raise UserInputError(f"bad item {raw!r}", field="item")
            chosen[int(tid)] = int(ver)
        if not chosen:
            raise UserInputError("请先勾选要处理的目标", field="item")
        if review not in ("confirmed", "rejected"):
            raise UserInputError(f"unknown review {review!r}", field="review")
        bulk = BulkReview(review=review, items=chosen, comment=(comment or "").strip() or None)
        plans.review_many(w, plan_id=plan_id, bulk=bulk)
    except InnocityError as exc:
        w.session.rollback()
        return workspace(request, w, plan_id, error=_message(exc))
    return RedirectResponse(f"/plans/{plan_id}?done={len(chosen)}", status_code=303)
