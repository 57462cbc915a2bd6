"""The 督办通知单 read back: number, 督办事项, 承办单位, 办理时限, the facts, 督办要求, the 反馈 section, history."""

from __future__ import annotations

import pytest

from innocity.reports.notice import supervision_notice
from innocity.reports.words import cn_date, num
from innocity.services import reports
from innocity.services.models.reports import SupervisionNoticeData

from .conftest import TODAY, YEAR, City
from .docx_read import face, load, text_of


@pytest.fixture(scope="module")
def closed(shared_city: City) -> SupervisionNoticeData:
    with shared_city.app.uow() as w:
        return reports.supervision_notice_data(w, item_id=shared_city.closed_item, year=YEAR, today=TODAY)


def _cells(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.text for t in doc.tables for r in t.rows for c in r.cells]


def test_the_notice_names_the_matter_the_department_the_deadline_and_the_facts(closed: SupervisionNoticeData) -> None:
    doc = load(supervision_notice(closed))
    item, r = closed.item, closed.target
    assert r is not None and item.due_on is not None
    assert doc.paragraphs[0].text == "督办通知单" and doc.paragraphs[0].style.name == "Title"
    number = f"督〔{item.raised_at.year}〕{item.id}号"
    text = text_of(doc)
    assert number in text and f"{item.department}：" in text
    cells = _cells(doc)
    for label in ("督办编号", "督办事项", "承办单位", "协办单位", "督办事由", "办理时限", "办理状态", "延期次数",
                  "有关情况", "督办要求",
                  "办理情况", "承办人", "联系电话", "反馈日期"):
        assert label in cells
    assert item.title in cells and "市统计局" in cells and "已销号" in cells
    assert cn_date(item.due_on) in cells
    facts = next(c for c in cells if c.startswith("指标："))
    assert f"目标：{r.goal_text()}" in facts
    assert f"实际：{num(r.actual.value)}{r.unit}（{r.actual.year}年）" in facts
    assert f"按进度{r.actual.year}年应达：{num(r.expected)}{r.unit}" in facts
    assert r.ratio is not None and f"进度比：{r.ratio * 100:.1f}%" in facts


def test_the_feedback_carries_the_reply_and_the_history_every_step(closed: SupervisionNoticeData) -> None:
    doc = load(supervision_notice(closed))
    cells = _cells(doc)
    assert any("已召开专题会议，正在补齐数据" in c for c in cells)  # the 情况说明 given
    steps = [c for c in cells if c in ("立项督办", "情况说明", "销号")]
    assert steps == ["立项督办", "情况说明", "销号"]
    assert "数据已补报，予以销号" in cells


def test_notice_fonts(closed: SupervisionNoticeData) -> None:
    doc = load(supervision_notice(closed))
    title = face(doc, doc.paragraphs[0])
    assert (title.east_asia, title.size_pt) == ("方正小标宋简体", 22)
    body = next(p for p in doc.paragraphs if p.text.startswith("根据"))
    assert (face(doc, body).east_asia, face(doc, body).size_pt) == ("仿宋_GB2312", 16)
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    assert (face(doc, p).east_asia, face(doc, p).size_pt) == ("宋体", 10.5)


def test_a_task_notice_and_a_simulated_one(shared_city: City) -> None:
    with shared_city.app.uow() as w:
        from innocity.services import supervise

        items = supervise.list_items(w, include_closed=True, region="芜湖市")
        task_item = next(i for i in items if i.subject == "task")
        data = reports.supervision_notice_data(w, item_id=task_item.id, today=TODAY)
    assert data.task is not None and data.target is None
    cells = _cells(load(supervision_notice(data)))
    facts = next(c for c in cells if c.startswith("任务："))
    assert f"任务：{data.task.task}" in facts and "已逾期" in facts
    sim = data.model_copy(update={"dataset_label": "SIMULATED"})
    assert "【模拟数据】本通知单依据标记为SIMULATED" in text_of(load(supervision_notice(sim)))
