"""The 督办通知单 (supervision notice) of one 督办 item, as a one-to-two page Word document in 公文 format.

``supervision_notice(data) -> bytes``: title and number (督〔year〕N号, the item's id and the year it was
raised), 主送 the 承办单位, a short body, then a form: 督办事项, 承办/协办单位, 督办事由, 办理时限, the facts
(goal, expected, actual, ratio for a target; deadline and status for a task), 督办要求, and the 反馈 section
the department fills in (pre-filled with the 情况说明 it already gave, if any), then the item's history.
"""

from __future__ import annotations

from docx.document import Document
from docx.shared import Pt

from innocity.services.models.reports import SupervisionNoticeData

from . import blocks as b
from . import gongwen
from .words import SUPERVISION_REASON_ZH, SUPERVISION_STATUS_ZH, cn_date, num, percent, short_date, status_zh

FORM_WIDTHS = [26.0, 52.0, 26.0, 52.0]
HISTORY_HEADER = ["步骤", "日期", "经办人", "内容"]
HISTORY_WIDTHS = [22.0, 24.0, 30.0, 80.0]
MAX_EXTENSIONS = 2  # as ``domain.supervision`` allows; said in the 督办要求


def supervision_notice(data: SupervisionNoticeData, *, body_font: str | None = None) -> bytes:
    """The 督办通知单 as DOCX bytes (GB/T 9704 layout, 三号 body)."""
    doc = gongwen.new_document(gongwen.layout_for("gbt9704", body_font))
    _write(doc, data)
    return b.to_bytes(doc)


def _facts(data: SupervisionNoticeData) -> str:
    r, t = data.target, data.task
    if r is not None:
        unit = r.unit or ""
        lines = [f"指标：{r.indicator}", f"目标：{r.goal_text()}"]
        if r.baseline.value is not None:
            lines.append(f"基期：{num(r.baseline.value)}{unit}（{r.baseline.year}年）")
        if r.expected is not None:
            lines.append(f"按进度{r.actual.year}年应达：{num(r.expected)}{unit}")
        if r.actual.value is not None:
            lines.append(f"实际：{num(r.actual.value)}{unit}（{r.actual.year}年）")
        else:
            lines.append("实际：数据缺失")
        if r.ratio is not None:
            lines.append(f"进度比：{percent(r.ratio)}")
        lines.append(f"状态（{r.evaluated_year}年评估）：{status_zh(r.status)}")
        return "\n".join(lines)
    if t is not None:
        deadline = cn_date(t.deadline) if t.deadline else (t.deadline_text or "未定")
        return "\n".join([
            f"任务：{t.task}", f"完成期限：{deadline}", f"当前进展：{t.status}",
            f"完成日期：{cn_date(t.completed_on)}" if t.completed_on else "尚未完成",
            "已逾期" if t.late else "未逾期",
        ])
    return data.item.detail or "—"


def _write(doc: Document, data: SupervisionNoticeData) -> None:
    item = data.item
    b.title(doc, "督办通知单")
    b.para(doc, f"督〔{item.raised_at.year}〕{item.id}号", indent=False, align="center")
    if data.simulated:
        p = b.para(doc)
        b.mark(p, "【模拟数据】本通知单依据标记为SIMULATED的演示数据库生成，所列数字均为模拟，不得印发。")
    p = b.para(doc, indent=False)
    if item.department:
        p.add_run(f"{item.department}：")
    else:
        b.mark(p, "【待补充：承办单位】")
        p.add_run("：")
    region = item.region or "本市"
    due = cn_date(item.due_on) if item.due_on else "规定时限"
    b.para(doc, f"根据{region}创新型城市建设目标任务跟踪监测情况，“{item.title}”事项需加快推进。现予立项督办，"
                f"请认真研究落实，并于{due}前将办理情况书面反馈。")
    reason = SUPERVISION_REASON_ZH.get(item.reason, item.reason)
    state = SUPERVISION_STATUS_ZH.get(item.status, item.status) + ("（逾期未反馈）" if item.reply_overdue else "")
    requirements = (
        "1. 对照目标查找进度滞后的原因，制定切实可行的整改措施；\n"
        f"2. 于{due}前书面反馈办理情况（情况说明），确需延期的应说明理由、申请延期"
        f"（最多{MAX_EXTENSIONS}次）；\n"
        "3. 事项办结后申请销号，并附相关证明材料。"
    )
    b.caption(doc, "督办事项")
    b.form(doc, [
        ["督办编号", f"督〔{item.raised_at.year}〕{item.id}号", "立项日期", cn_date(item.raised_at.date())],
        ["督办事项", item.title, None, None],
        ["承办单位", item.department or "—", "协办单位", "、".join(data.support) or "—"],
        ["督办事由", reason, "办理时限", due],
        ["办理状态", state, "延期次数", f"{item.extensions}次"],
        ["有关情况", _facts(data), None, None],
        ["督办要求", requirements, None, None],
    ], widths_mm=FORM_WIDTHS)
    replies = [e for e in item.events or [] if e.action == "respond"]
    reply = "\n".join(f"{short_date(e.at.date())} {e.by}：{e.text or ''}" for e in replies)
    b.caption(doc, "承办单位反馈")
    b.form(doc, [
        ["办理情况", reply, None, None],
        ["承办人", "", "联系电话", ""],
        ["单位负责人\n（签字）", "", "反馈日期", ""],
    ], widths_mm=FORM_WIDTHS, min_height_mm={0: 45.0, 1: 10.0, 2: 12.0})
    events = item.events or []
    if len(events) > 1:
        b.caption(doc, "办理记录")
        b.table(doc, HISTORY_HEADER, [[e.step, short_date(e.at.date()), e.by, e.text or "—"] for e in events],
                widths_mm=HISTORY_WIDTHS, left_cols=frozenset({2, 3}))
    b.para(doc)
    sign = b.para(doc, indent=False, align="right")
    b.mark(sign, "【待补充：督办单位】")
    size = gongwen.SIZE["三号"]
    sign.paragraph_format.right_indent = Pt(size * 2)
    day = b.para(doc, cn_date(data.today), indent=False, align="right")
    day.paragraph_format.right_indent = Pt(size * 4)
