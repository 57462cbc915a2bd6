"""``/data``: a department reports its figures; ``/data/review``: the coordinator approves them.

``/data`` lists every indicator the department leads or supports with the periods due (a coordinator may
pick a department, or see every indicator in scope). Values are entered in one form, each with its data
vintage, a note and a source; "保存草稿" stores them as drafts, "提交审核" sends them (and drafts shown)
for approval. Nothing is stored unless every value is valid: the checks are those of ``innocity data
import``, and each bad value is shown beside its input with the reason, the values typed kept. The same
sheet downloads as an Excel template and uploads back (all or nothing, bad cells listed by sheet, row and
column). Rejected values are listed with the reviewer's comment and can be corrected in place.

``/data/review`` is the approval queue: each value with the previous period's value, the change in per
cent, the jump warning, its vintage and source; approve or reject one (with a comment) or many at once.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from innocity.errors import ConflictError, DataValidationError, InnocityError, UserInputError
from innocity.reports.data_template import build_template
from innocity.services import bulletin_review, collection, collection_xlsx, observations, regions
from innocity.services.collection_xlsx import MAX_TEMPLATE_BYTES
from innocity.services.context import Permission, UnitOfWork
from innocity.services.models.collection import CollectionSheet, Entry, TemplateUpload

from ..deps import AppDep, PageUowDep, PageUser, WebDep
from ..highlight import Span, highlight
from ..templating import render
from ..uploads import check_type, read_limited
from . import vocab
from .formdata import FormDep, integer, picks, text, year_param

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 2000


def row_key(region: str, indicator: str, period: str) -> str:
    return f"{region}|{indicator}|{period}"


def entry_rows(sheet: CollectionSheet) -> list[dict[str, Any]]:
    """The form's rows: every period due of every line, with the key its inputs are named by."""
    out = []
    for line in sheet.lines:
        for k, p in enumerate(line.periods):
            out.append({"line": line, "p": p, "first": k == 0, "span": len(line.periods),
                        "key": row_key(line.region, line.indicator, p.period)})
    return out


def _query(department_id: int | None, year: int | None, **extra: Any) -> str:
    q = {k: v for k, v in {"department_id": department_id, "year": year, **extra}.items() if v is not None}
    return ("?" + urlencode(q)) if q else ""


def entry_page(request: Request, w: UnitOfWork, *, department_id: int | None, year: int | None,
               entered: dict[str, dict[str, str]] | None = None, errors: dict[str, list[str]] | None = None,
               error: str | None = None, notice: str | None = None, upload: TemplateUpload | None = None) -> Response:
    sheet = collection.sheet(w, department_id=department_id, year=year)
    departments = [] if w.actor.is_department else regions.list_departments(w)
    return render(request, "data/entry.html", {
        "sheet": sheet, "rows": entry_rows(sheet), "entered": entered or {}, "errors": errors or {},
        "departments": departments, "department_id": sheet.department_id, "year": sheet.year,
        "error": error, "notice": notice, "upload": upload,
        "query": _query(sheet.department_id, year),
    })


@router.get("/data")
def data_page(request: Request, user: PageUser, w: PageUowDep,
              department_id: Annotated[str | None, Query(max_length=12)] = None,
              year: Annotated[str | None, Query(max_length=8)] = None,
              saved: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    notice = None
    if saved:
        stored, _, submitted = saved.partition("-")
        notice = f"已保存 {stored} 个数值" + (f"，其中 {submitted} 个已提交审核" if submitted not in ("", "0") else "")
    return entry_page(request, w, department_id=integer(department_id, field="department_id"),
                      year=year_param(year), notice=notice)


@router.post("/data")
def save(request: Request, user: PageUser, w: PageUowDep, form: FormDep) -> Response:
    """Save (or save and submit) every value of the form, all or nothing."""
    department_id = integer(text(form, "department_id"), field="department_id")
    year = year_param(text(form, "year"))
    submit = form.get("action") == "submit"
    entries: list[Entry] = []
    keys: dict[int, str] = {}
    entered: dict[str, dict[str, str]] = {}
    n = integer(text(form, "rows"), field="rows") or 0
    if n > MAX_ROWS:
        raise UserInputError(f"一次最多 {MAX_ROWS} 行", field="rows")
    for i in range(n):
        key = text(form, f"key-{i}", limit=200)
        if not key:
            continue
        region, indicator, period, oid, version = [*key.split("|"), "", "", "", ""][:5]
        fields = {f: (text(form, f"{f}-{i}", limit=2000) or "") for f in ("value", "vintage", "note", "source")}
        base = row_key(region, indicator, period)
        entered[base] = fields
        keys[i + 1] = base
        entries.append(Entry(region=region, indicator=indicator, period=period, value=fields["value"],
                             vintage=fields["vintage"] or None, note=fields["note"] or None,
                             source=fields["source"] or None, observation_id=int(oid) if oid.isdigit() else None,
                             version=int(version) if version.isdigit() else None, row=i + 1))
    try:
        res = collection.save(w, entries=entries, submit=submit)
    except DataValidationError as exc:
        w.session.rollback()
        errors: dict[str, list[str]] = {}
        for p in exc.problems:
            errors.setdefault(keys.get(p.row, ""), []).append(vocab.data_zh(p.reason))
        bad = len({p.row for p in exc.problems})
        return entry_page(request, w, department_id=department_id, year=year, entered=entered, errors=errors,
                          error=f"{bad} 个数值有误，未保存任何数据：请按提示修改后重新提交。")
    except ConflictError as exc:
        w.session.rollback()
        return entry_page(request, w, department_id=department_id, year=year, entered=entered,
                          error=f"{exc.message}（数据已被他人修改，请核对后重新提交）")
    done = f"{res.stored + res.corrected}-{res.submitted}"
    return RedirectResponse("/data" + _query(department_id, year, saved=done), status_code=303)


@router.get("/data/template.xlsx")
def download_template(user: PageUser, w: PageUowDep, app: AppDep,
                      department_id: Annotated[str | None, Query(max_length=12)] = None,
                      year: Annotated[str | None, Query(max_length=8)] = None) -> Response:
    data = collection_xlsx.template_data(w, department_id=integer(department_id, field="department_id"),
                                         year=year_param(year), dataset_label=app.dataset_label)
    name = f"{data.department or '全部责任单位'}-{data.year}年数据填报-{date.today():%Y%m%d}.xlsx"
    disposition = f"attachment; filename=\"data-template.xlsx\"; filename*=UTF-8''{quote(name)}"
    return Response(build_template(data), media_type=XLSX, headers={"Content-Disposition": disposition})


@router.post("/data/template")
def upload_template(request: Request, user: PageUser, w: PageUowDep,
                    file: Annotated[UploadFile, File()],
                    department_id: Annotated[str | None, Form(max_length=12)] = None,
                    year: Annotated[str | None, Form(max_length=8)] = None,
                    submit: Annotated[str | None, Form(max_length=8)] = None) -> Response:
    dept, yr = integer(department_id, field="department_id"), year_param(year)
    try:
        res = collection_xlsx.upload_template(w, data=read_limited(file, MAX_TEMPLATE_BYTES), submit=bool(submit))
    except (UserInputError, ConflictError) as exc:
        w.session.rollback()
        return entry_page(request, w, department_id=dept, year=yr, error=f"模板未导入：{exc.message}")
    if res.problems:
        w.session.rollback()
        return entry_page(request, w, department_id=dept, year=yr, upload=res, error=f"模板中 {len({p.row for p in res.problems})} 行有误，未保存任何数据。")
    if res.result is None:
        return entry_page(request, w, department_id=dept, year=yr, upload=res,
                          notice=f"模板共 {res.rows} 行，没有新填或修改的数值，未保存任何数据。")
    done = f"{res.result.stored + res.result.corrected}-{res.result.submitted}"
    return RedirectResponse("/data" + _query(dept, yr, saved=done), status_code=303)


# ---------------------------------------------------------------------- a statistical bulletin


@router.post("/data/bulletin")
def upload_bulletin(request: Request, user: PageUser, w: PageUowDep, web: WebDep,
                    file: Annotated[UploadFile, File()],
                    region: Annotated[str | None, Form(max_length=100)] = None,
                    year: Annotated[str | None, Form(max_length=8)] = None) -> Response:
    """Keep an uploaded 统计公报 and open its review beside the highlighted source."""
    name = file.filename or "bulletin"
    try:
        data = read_limited(file, web.max_upload_bytes)
        check_type(data, name)
        doc_id = bulletin_review.keep(w, data=data, name=name, region=region or None, year=year_param(year))
    except InnocityError as exc:
        w.session.rollback()
        return entry_page(request, w, department_id=None, year=None, error=f"公报未读取：{exc.message}")
    q = {k: v for k, v in {"region": region, "year": year}.items() if v}
    return RedirectResponse(f"/data/bulletin/{doc_id}" + (f"?{urlencode(q)}" if q else ""), status_code=303)


def bulletin_page(request: Request, w: UnitOfWork, doc_id: int, *, region: str | None, year: int | None,
                  error: str | None = None, problems: dict[int, str] | None = None) -> Response:
    rv = bulletin_review.review(w, document_id=doc_id, region=region, year=year)
    res = rv.result
    spans = [Span(f"{'facts' if f.storable else 'phases'}-{f.index}", "facts" if f.storable else "phases",
                  f.span[0], f.span[1]) for f in res.observations]
    spans += [Span(f"programs-{f.index}", "programs", f.span[0], f.span[1]) for f in res.goals]
    return render(request, "data/bulletin.html", {
        "rv": rv, "res": res, "source": highlight(rv.source_text, spans), "region": region or "",
        "year": year or "", "error": error, "problems": problems or {},
        "names": {i.code: i.name_zh for i in w.catalog.indicators},
    })


@router.get("/data/bulletin/{doc_id:int}")
def bulletin(request: Request, doc_id: int, user: PageUser, w: PageUowDep,
             region: Annotated[str | None, Query(max_length=100)] = None,
             year: Annotated[str | None, Query(max_length=8)] = None) -> Response:
    return bulletin_page(request, w, doc_id, region=region or None, year=year_param(year))


@router.post("/data/bulletin/{doc_id:int}")
def store_bulletin(request: Request, doc_id: int, user: PageUser, w: PageUowDep, form: FormDep) -> Response:
    """Store the proposals ticked, with the corrections typed beside them, as drafts (all or nothing)."""
    region, year = text(form, "region", limit=100), year_param(text(form, "year", limit=8))
    accepted = [int(str(v)) for v in form.getlist("accept") if str(v).isdigit()]
    edits: dict[int, dict[str, Any]] = {}
    for i in accepted:
        e: dict[str, Any] = {}
        code, value = text(form, f"code-{i}", limit=64), text(form, f"value-{i}", limit=40)
        if code and code != text(form, f"code0-{i}", limit=64):
            e["indicator_code"] = code
        if value and value != text(form, f"value0-{i}", limit=40):
            parsed = collection.parse_number(value)
            if not isinstance(parsed, float):
                return bulletin_page(request, w, doc_id, region=region, year=year, problems={i: parsed or "请填写数值"}, error="有数值无法识别，未保存。")
            e["value"] = parsed
        if e:
            edits[i] = e
    try:
        res = bulletin_review.store(w, document_id=doc_id, accepted=accepted, edits=edits, region=region,
                                    year=year)
    except DataValidationError as exc:
        w.session.rollback()
        return bulletin_page(request, w, doc_id, region=region, year=year, problems={p.row: vocab.data_zh(p.reason) for p in exc.problems},
                             error=f"{len(exc.problems)} 个数值不能保存，未保存任何数据。")
    except InnocityError as exc:
        w.session.rollback()
        return bulletin_page(request, w, doc_id, region=region, year=year, error=exc.message)
    return RedirectResponse(f"/data/review?status=draft&done={res.stored}-draft", status_code=303)


# ---------------------------------------------------------------------- the approval queue


def review_page(request: Request, w: UnitOfWork, *, region: str | None, indicator: str | None, status: str,
                error: str | None = None, notice: str | None = None) -> Response:
    items = observations.review_queue(w, region=region, indicator=indicator, status=status)
    return render(request, "data/review.html", {
        "items": items, "region": region or "", "indicator": indicator or "", "status": status,
        "may_approve": w.actor.may(Permission.APPROVE_DATA), "error": error, "notice": notice,
        "names": {i.code: i.name_zh for i in w.catalog.indicators},
    })


STATUSES = ("submitted", "rejected", "approved", "draft")


@router.get("/data/review")
def review_queue(request: Request, user: PageUser, w: PageUowDep,
                 region: Annotated[str | None, Query(max_length=100)] = None,
                 indicator: Annotated[str | None, Query(max_length=100)] = None,
                 status: Annotated[str, Query(max_length=12)] = "submitted",
                 done: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    if status not in STATUSES:
        raise UserInputError(f"unknown status {status!r}", field="status")
    notice = None
    if done:
        n, _, action = done.partition("-")
        notice = {"approve": f"已审核通过 {n} 个数值", "reject": f"已退回 {n} 个数值",
                  "draft": f"已从公报保存 {n} 个数值为草稿，请核对后审核"}.get(action)
    return review_page(request, w, region=region or None, indicator=indicator or None, status=status,
                       notice=notice)


@router.post("/data/review")
def review(request: Request, user: PageUser, w: PageUowDep, form: FormDep) -> Response:
    """Approve or reject the values picked (one row's buttons, or the ticked rows), all or none."""
    action = str(form.get("action") or "")
    comment = text(form, "comment", limit=2000)
    region, indicator = text(form, "region", limit=100), text(form, "indicator", limit=100)
    try:
        chosen = picks([str(v) for v in form.getlist("item")])
        res = collection.review_values(w, items=chosen, action=action, comment=comment)
    except InnocityError as exc:
        w.session.rollback()
        message = exc.message
        if isinstance(exc, ConflictError):
            message = "数值已被他人修改（例如已由他人审核或被退回后更正），请刷新后再试；本次未作任何更改。"
        elif exc.field == "comment":
            message = "退回时请填写审核意见，说明原因。"
        back = text(form, "status", limit=12) or "submitted"
        return review_page(request, w, region=region, indicator=indicator,
                           status=back if back in STATUSES else "submitted", error=message)
    q = {"done": f"{len(res)}-{action}", "region": region, "indicator": indicator,
         "status": text(form, "status", limit=12)}
    return RedirectResponse("/data/review?" + urlencode({k: v for k, v in q.items() if v}), status_code=303)
