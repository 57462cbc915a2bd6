"""``/reports`` (报告): coordinators choose a region, a year and a template and download the annual
self-evaluation report; the 督办通知单 of each 督办 item, the plan comparison and progress by department are
downloaded from the same page. The downloads are page routes (the session cookie signs them in), answering
the same files as ``/api/v1/reports/…``; the services check the ``report`` permission and the scope, so a
role without it sees the page's explanation and gets 403 from a download link.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from innocity.errors import UserInputError
from innocity.reports.annual import TEMPLATES, annual_report
from innocity.reports.excel import compare_workbook, progress_workbook
from innocity.reports.gongwen import BODY_FONTS
from innocity.reports.notice import supervision_notice
from innocity.reports.words import SUPERVISION_STATUS_ZH
from innocity.services import plans, reports, supervise
from innocity.services.context import Permission

from ..api.reports import DOCX, XLSX, attachment, check_layout
from ..deps import PageUowDep, PageUser
from ..templating import render
from .formdata import year_param

router = APIRouter()

TEMPLATE_ZH = {"gbt9704": "GB/T 9704 公文格式（正文三号）", "outline2017": "2017年编写提纲（正文小三）"}
Text = Annotated[str | None, Query(max_length=100)]


def _year(raw: str | None) -> int:
    year = year_param(raw)
    if year is None:
        raise UserInputError("请填写报告年度（四位数字）", field="year")
    return year


def _region(raw: str | None) -> str:
    if not raw or not raw.strip():
        raise UserInputError("请选择地区", field="region")
    return raw.strip()


@router.get("/reports")
def reports_page(request: Request, user: PageUser, w: PageUowDep) -> Response:
    may = w.actor.may(Permission.REPORT)
    regions: dict[str, str] = {}
    for p in plans.list_plans(w):
        if p.region:
            regions.setdefault(p.adcode or p.region, p.region)
    items = supervise.list_items(w, include_closed=True) if may else []
    return render(request, "reports/index.html", {
        "may_report": may,
        "regions": sorted(regions.items(), key=lambda kv: kv[0]),
        "default_year": date.today().year - 1,  # an annual report is written early in the next year
        "templates": [(t, TEMPLATE_ZH.get(t, t)) for t in TEMPLATES],
        "body_fonts": BODY_FONTS,
        "items": items,
        "shared": plans.shared_indicators(w, min_plans=1) if may else [],
        "item_status": SUPERVISION_STATUS_ZH,
    })


@router.get("/reports/annual.docx")
def annual_download(
    user: PageUser, w: PageUowDep, region: Text = None, year: Annotated[str | None, Query(max_length=8)] = None,
    template: Annotated[str, Query(max_length=20)] = "gbt9704",
    body_font: Annotated[str, Query(max_length=20)] = "仿宋_GB2312",
    include_draft: Annotated[str | None, Query(max_length=8)] = None,
) -> Response:
    check_layout(template, body_font)
    data = reports.annual_report_data(w, region=_region(region), year=_year(year), include_draft=bool(include_draft))
    body = annual_report(data, template=template, body_font=body_font)
    return attachment(body, DOCX, f"{data.region}{data.year}年度创新型城市建设自评估报告.docx",
                      f"annual-{data.year}.docx")


@router.get("/reports/supervision/{item_id}.docx")
def supervision_download(item_id: int, user: PageUser, w: PageUowDep) -> Response:
    data = reports.supervision_notice_data(w, item_id=item_id)
    return attachment(supervision_notice(data), DOCX, f"督办通知单-{item_id}.docx", f"supervision-{item_id}.docx")


@router.get("/reports/compare.xlsx")
def compare_download(
    user: PageUser, w: PageUowDep,
    indicator: Annotated[list[str] | None, Query(max_length=64)] = None,
    year: Annotated[str | None, Query(max_length=8)] = None,
) -> Response:
    data = reports.compare_data(w, indicators=[i for i in indicator or [] if i.strip()][:50], year=year_param(year))
    return attachment(compare_workbook(data), XLSX, f"方案对比-{'-'.join(s.code for s in data.sheets)}.xlsx",
                      "compare.xlsx")


@router.get("/reports/progress.xlsx")
def progress_download(
    user: PageUser, w: PageUowDep, region: Text = None, year: Annotated[str | None, Query(max_length=8)] = None,
) -> Response:
    data = reports.progress_workbook_data(w, region=_region(region), year=_year(year))
    return attachment(progress_workbook(data), XLSX, f"{data.region}{data.year}年目标进度.xlsx",
                      f"progress-{data.year}.xlsx")
