"""The Excel data template through the API: download it pre-filled for a department, upload it filled in
(all or nothing; every bad cell named by sheet, row and column)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from innocity.reports.data_template import build_template
from innocity.services import collection_xlsx
from innocity.services.collection_xlsx import MAX_TEMPLATE_BYTES
from innocity.services.models.collection import TemplateUpload

from ..deps import AppDep, UowDep
from ..uploads import read_limited

router = APIRouter(prefix="/api/v1/data", tags=["data"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(name: str) -> str:
    """A Content-Disposition naming a Chinese file name (RFC 5987) with an ASCII fallback."""
    return f"attachment; filename=\"data-template.xlsx\"; filename*=UTF-8''{quote(name)}"


@router.get("/template", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "the .xlsx template"}})
def download(
    w: UowDep,
    app: AppDep,
    department_id: Annotated[int | None, Query()] = None,
    year: Annotated[int | None, Query()] = None,
) -> Response:
    """The department's template: every period due, pre-filled; only the input cells are unlocked."""
    data = collection_xlsx.template_data(w, department_id=department_id, year=year,
                                         dataset_label=app.dataset_label)
    name = f"{data.department or '全部'}-{data.year}年数据填报-{date.today():%Y%m%d}.xlsx"
    return Response(build_template(data), media_type=XLSX, headers={"Content-Disposition": attachment(name)})


@router.post("/template", response_model=TemplateUpload,
             responses={422: {"description": "bad cells (sheet, row, column, reason); nothing was stored"}})
def upload(file: Annotated[UploadFile, File(description="the filled-in .xlsx template")], w: UowDep,
           submit: Annotated[bool, Form()] = False) -> Response | TemplateUpload:
    """Store what a filled-in template changes, all or nothing; unchanged rows are not stored again."""
    data = read_limited(file, MAX_TEMPLATE_BYTES)
    res = collection_xlsx.upload_template(w, data=data, submit=submit)
    if res.problems:
        w.session.rollback()
        rows = [{"row": p.row, "field": p.field, "reason": p.reason, "sheet": p.sheet, "column": p.column}
                for p in res.problems]
        body = {"error": {"code": "validation_failed", "field": "file", "rows": rows,
                          "message": f"{len({p.row for p in res.problems})} 行有误，未保存任何数据"}}
        return JSONResponse(body, status_code=422)
    return res
