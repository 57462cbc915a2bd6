"""The reports over HTTP: ``/api/v1/reports/…`` (bearer token) and the 报告 page with its downloads (session
cookie), against every role and across cities, on the web suite's seed (the sample page's four plans, one
account per role scoped to 西宁市, a 唐山市 coordinator, one 督办 item per city)."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import openpyxl
import pytest
from docx import Document
from fastapi.testclient import TestClient
from websupport import Seed, bearer, sign_in

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ANNUAL = "/api/v1/reports/annual.docx?region=西宁市&year=2014"


def _filename(response: object) -> str:
    disposition = response.headers["content-disposition"]  # type: ignore[attr-defined]
    m = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert disposition.startswith("attachment;") and m, disposition
    return unquote(m.group(1))


def _indicator_rows(data: bytes) -> list[list[str]]:
    doc = Document(io.BytesIO(data))
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["序号", "指标"])
    return [[c.text for c in r.cells] for r in table.rows[1:]]


def test_the_annual_report_of_the_callers_city(client: TestClient, tokens: dict[str, str], seeded: Seed) -> None:
    r = client.get(ANNUAL, headers=bearer(tokens["coordinator"]))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == DOCX
    assert _filename(r) == "西宁市2014年度创新型城市建设自评估报告.docx"
    progress = client.get("/api/v1/progress?region=西宁市&year=2014", headers=bearer(tokens["coordinator"])).json()
    own = [row for row in progress["rows"] if row["plan_id"] == seeded.plans["西宁市"]]
    rows = _indicator_rows(r.content)
    assert len(rows) == len(own) > 0
    assert [row[1] for row in rows] == [p["indicator"] for p in own]


@pytest.mark.parametrize(
    ("user", "status"),
    [("admin", 200), ("coordinator", 200), ("department", 403), ("leader", 403), ("evaluator", 403),
     ("ts-coordinator", 404), ("anonymous", 401)],
)
def test_who_may_download_the_annual_report(client: TestClient, tokens: dict[str, str], user: str,
                                            status: int) -> None:
    r = client.get(ANNUAL, headers=bearer(tokens.get(user)))
    assert r.status_code == status, r.text
    if status >= 400:
        assert set(r.json()["error"]) >= {"code", "message", "field"}


def test_supervision_notice_in_scope_only(client: TestClient, tokens: dict[str, str], seeded: Seed) -> None:
    mine, theirs = seeded.items["西宁市"], seeded.items["唐山市"]
    r = client.get(f"/api/v1/reports/supervision/{mine}.docx", headers=bearer(tokens["coordinator"]))
    assert r.status_code == 200 and r.headers["content-type"] == DOCX
    assert _filename(r) == f"督办通知单-{mine}.docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "督办通知单" in text and f"〕{mine}号" in text
    other = client.get(f"/api/v1/reports/supervision/{theirs}.docx", headers=bearer(tokens["coordinator"]))
    assert other.status_code == 404


def test_workbooks(client: TestClient, tokens: dict[str, str]) -> None:
    h = bearer(tokens["coordinator"])
    r = client.get("/api/v1/reports/compare.xlsx?indicator=TEC01&indicator=TEC06&year=2014", headers=h)
    assert r.status_code == 200 and r.headers["content-type"] == XLSX, r.text
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert [n.split()[0] for n in wb.sheetnames[1:]] == ["TEC01", "TEC06"]
    assert wb[wb.sheetnames[1]].freeze_panes == "A2"
    r = client.get("/api/v1/reports/progress.xlsx?region=西宁市&year=2014", headers=h)
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    assert openpyxl.load_workbook(io.BytesIO(r.content)).sheetnames[:2] == ["说明", "汇总"]


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        (ANNUAL + "&template=a4", 422, "template"),
        (ANNUAL + "&body_font=Arial", 422, "body_font"),
        ("/api/v1/reports/annual.docx?region=北京市&year=2014", 404, "region"),  # no plan stored
        ("/api/v1/reports/annual.docx?region=西宁市&year=1800", 422, None),
        ("/api/v1/reports/compare.xlsx?indicator=NOPE1", 422, "indicator"),
        ("/api/v1/reports/supervision/999999.docx", 404, "item_id"),
    ],
)
def test_mistakes_answer_with_the_field(client: TestClient, tokens: dict[str, str], path: str, status: int,
                                        field: str | None) -> None:
    r = client.get(path, headers=bearer(tokens["admin"]))
    assert r.status_code == status, r.text
    if field:
        assert r.json()["error"]["field"] == field


def test_the_reports_page_and_its_downloads(client: TestClient, seeded: Seed) -> None:
    assert client.get("/reports", follow_redirects=False).status_code in (302, 303, 307)
    assert sign_in(client, "coordinator").status_code in (302, 303)
    page = client.get("/reports")
    assert page.status_code == 200
    html = page.text
    assert 'action="/reports/annual.docx"' in html and "西宁市" in html and "唐山市" not in html
    assert f'href="/reports/supervision/{seeded.items["西宁市"]}.docx"' in html
    assert 'action="/reports/compare.xlsx"' in html and 'action="/reports/progress.xlsx"' in html
    r = client.get("/reports/annual.docx?region=630100&year=2014&template=outline2017&body_font=仿宋")
    assert r.status_code == 200 and r.headers["content-type"] == DOCX
    assert "自总结评估报告" in Document(io.BytesIO(r.content)).paragraphs[0].text
    r = client.get(f"/reports/supervision/{seeded.items['西宁市']}.docx")
    assert r.status_code == 200
    assert client.get("/reports/progress.xlsx?region=西宁市&year=2014").status_code == 200
    assert client.get("/reports/compare.xlsx?indicator=TEC01").status_code == 200
    missing = client.get("/reports/annual.docx?region=630100&year=")
    assert missing.status_code == 422 and "报告年度" in missing.text


def test_a_department_sees_why_it_cannot(client: TestClient) -> None:
    assert sign_in(client, "department").status_code in (302, 303)
    page = client.get("/reports")
    assert page.status_code == 200 and "无权生成报告" in page.text and "/reports/annual.docx" not in page.text
    assert client.get("/reports/annual.docx?region=630100&year=2014").status_code == 403


def test_the_compare_and_supervision_pages_link_their_downloads(client: TestClient, seeded: Seed) -> None:
    assert sign_in(client, "coordinator").status_code in (302, 303)
    item = seeded.items["西宁市"]
    page = client.get(f"/supervision/{item}")
    assert page.status_code == 200 and f'href="/reports/supervision/{item}.docx"' in page.text
    page = client.get("/plans/compare?indicator=TEC01")
    assert page.status_code == 200 and 'href="/reports/compare.xlsx?indicator=TEC01"' in page.text
    client.post("/logout")
    assert sign_in(client, "department").status_code in (302, 303)
    page = client.get(f"/supervision/{item}")
    assert page.status_code == 200 and ".docx" not in page.text  # a department cannot generate reports
