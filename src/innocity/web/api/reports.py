"""The reports through the API: the annual self-evaluation report and the 督办通知单 (DOCX), the plan
comparison and progress by department (XLSX) — the files ``innocity report …`` writes.

Each handler calls one ``services.reports`` function (which checks the ``report`` permission and the
caller's scope) and one writer of ``innocity.reports``, and answers the bytes as an attachment named in
Chinese (RFC 5987, with an ASCII fallback).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response

from innocity.errors import UserInputError
from innocity.reports.annual import TEMPLATES, annual_report
from innocity.reports.excel import compare_workbook, progress_workbook
from innocity.reports.gongwen import BODY_FONTS
from innocity.reports.notice import supervision_notice
from innocity.services import reports

from ..deps import UowDep

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Year = Annotated[int, Query(ge=1949, le=2100, description="the report year (evaluation year)")]
Region = Annotated[str, Query(min_length=1, max_length=100, description="region name or adcode")]
Draft = Annotated[bool, Query(description="count values not yet approved (marked 草稿)")]


def attachment(data: bytes, media_type: str, name: str, ascii_name: str) -> Response:
    """``data`` as a download named ``name`` (ASCII ``ascii_name`` for old clients)."""
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


def check_layout(template: str, body_font: str) -> None:
    """The template and body font a report may be written with (the writers' own lists)."""
    if template not in TEMPLATES:
        raise UserInputError(f"{template!r} is not one of {', '.join(TEMPLATES)}", field="template")
    if body_font not in BODY_FONTS:
        raise UserInputError(f"{body_font!r} is not one of {', '.join(BODY_FONTS)}", field="body_font")


@router.get("/annual.docx", response_class=Response,
            responses={200: {"content": {DOCX: {}}, "description": "the annual self-evaluation report"}})
def annual(
    w: UowDep,
    region: Region,
    year: Year,
    template: Annotated[str, Query(max_length=20, description="gbt9704 or outline2017")] = "gbt9704",
    body_font: Annotated[str, Query(max_length=20, description="仿宋_GB2312 or 仿宋")] = "仿宋_GB2312",
    include_draft: Draft = False,
) -> Response:
    """The annual self-evaluation report of the region's plan in 公文 format (docs/reports.md). A region
    without a stored plan answers 404 (field ``region``); a plan without figures gives a report saying so."""
    check_layout(template, body_font)
    data = reports.annual_report_data(w, region=region, year=year, include_draft=include_draft)
    body = annual_report(data, template=template, body_font=body_font)
    return attachment(body, DOCX, f"{data.region}{year}年度创新型城市建设自评估报告.docx", f"annual-{year}.docx")


@router.get("/supervision/{item_id}.docx", response_class=Response,
            responses={200: {"content": {DOCX: {}}, "description": "the 督办通知单"}})
def supervision(
    item_id: int,
    w: UowDep,
    year: Annotated[int | None, Query(ge=1949, le=2100, description="evaluation year of the facts quoted "
                                      "(default: the year of the target's latest figure)")] = None,
) -> Response:
    """The 督办通知单 of one item; outside the caller's scope it answers 404, like the item itself."""
    data = reports.supervision_notice_data(w, item_id=item_id, year=year)
    return attachment(supervision_notice(data), DOCX, f"督办通知单-{item_id}.docx", f"supervision-{item_id}.docx")


@router.get("/compare.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "one sheet per indicator"}})
def compare(
    w: UowDep,
    indicator: Annotated[list[str], Query(max_length=64, description="indicator codes (repeat the parameter)")],
    regions: Annotated[list[str] | None, Query(max_length=100, description="only these regions")] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100, description="evaluation year (default: this year)")]
    = None,
) -> Response:
    """Each plan's target for the indicators side by side: target, year, baseline, latest value, status."""
    if len(indicator) > 50:
        raise UserInputError("at most 50 indicators in one workbook", field="indicator")
    data = reports.compare_data(w, indicators=indicator, regions=regions or None, year=year)
    return attachment(compare_workbook(data), XLSX, f"方案对比-{'-'.join(s.code for s in data.sheets)}.xlsx",
                      "compare.xlsx")


@router.get("/progress.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "a summary and one sheet per department"}})
def progress(w: UowDep, region: Region, year: Year, include_draft: Draft = False) -> Response:
    """Progress of the region by department: department scorecards, every target, tasks, one sheet each."""
    data = reports.progress_workbook_data(w, region=region, year=year, include_draft=include_draft)
    return attachment(progress_workbook(data), XLSX, f"{data.region}{year}年目标进度.xlsx", f"progress-{year}.xlsx")
