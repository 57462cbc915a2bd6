"""The annual report's tables: indicators (one row per tracked target), tasks, and 督办 items.

Column widths add up to the 156 mm text width, so a table never runs off the page.

The indicator table's columns are those of ``gongwen-format.md`` §2.2: 序号, 指标, 单位, 基期值, 目标值, 上年值,
本年值, 完成率, 状态, 数据来源. 完成率 is the 进度比 ``innocity progress`` shows — (实际值 − 基期值) ÷ (按计划
路径应达值 − 基期值), at the year of the latest figure — as a percentage; an achieved target has no ratio
(the path no longer matters) and reads 已达标. When the latest figure is older than the report year its year
is given. 数据来源 points to numbered notes under the table (a source is often a long link or a quote); a row
without a figure reads 数据缺失.
"""

from __future__ import annotations

from docx.document import Document

from innocity.services.models.reports import AnnualReportData, Figure, IndicatorLine, SupervisionLine
from innocity.services.models.work import TaskRow

from . import blocks as b
from .words import (
    MISSING,
    NO_DATA,
    STATUS_MEANING,
    STATUS_ORDER,
    SUPERVISION_STATUS_ZH,
    num,
    percent,
    short_date,
    status_zh,
)

INDICATOR_HEADER = ["序号", "指标", "单位", "基期值", "目标值", "上年值", "本年值", "完成率", "状态", "数据来源"]
INDICATOR_WIDTHS = [7.0, 25.0, 9.0, 15.0, 22.0, 15.0, 15.0, 14.0, 17.0, 17.0]
TASK_HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "进展", "完成期限", "是否逾期"]
TASK_WIDTHS = [8.0, 54.0, 22.0, 26.0, 14.0, 18.0, 14.0]
SUPERVISION_HEADER = ["编号", "督办事项", "承办单位", "立项日期", "办理时限", "状态", "销号日期"]
SUPERVISION_WIDTHS = [10.0, 50.0, 22.0, 19.0, 19.0, 16.0, 20.0]
SOURCE_CHARS = 160  # a source quoted in a note is cut here (the database keeps it whole)



def _value(fig: Figure | None) -> str:
    if fig is None:
        return MISSING
    return num(fig.value) + ("（草稿）" if fig.draft else "")


def _completion(line: IndicatorLine, year: int) -> str:
    r = line.progress
    if r.ratio is None:
        return "已达标" if r.status == "achieved" else MISSING
    text = percent(r.ratio)
    if r.actual.year is not None and r.actual.year != year:
        text += f"（{r.actual.year}年）"
    return text


class _Sources:
    """Numbered source notes, one number per distinct source text."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def ref(self, figs: list[Figure | None]) -> list[int]:
        out = []
        for f in figs:
            if f is None or not f.source:
                continue
            text = " ".join(f.source.split())
            if len(text) > SOURCE_CHARS:
                text = text[: SOURCE_CHARS - 1] + "…"
            n = self.numbers.setdefault(text, len(self.numbers) + 1)
            if n not in out:
                out.append(n)
        return out


def indicator_table(doc: Document, data: AnnualReportData) -> list[str]:
    """The indicator table; returns the notes to print under it (meanings, sources, provenance)."""
    sources = _Sources()
    rows = []
    drafts = 0
    for line in data.lines:
        r = line.progress
        base = MISSING if r.baseline.value is None else num(r.baseline.value)
        if r.baseline.value is not None and r.baseline.year:
            base += f"\n{r.baseline.year}年"
        goal = r.goal_text().replace("（", "\n（", 1)
        figs = [line.current, line.previous]
        drafts += sum(1 for f in figs if f is not None and f.draft)
        refs = sources.ref(figs)
        if data.simulated and any(figs):
            where = "模拟数据"
        elif refs:
            where = "注" + "、".join(str(n) for n in refs)
        elif any(figs):
            where = "未注明"
        else:
            where = NO_DATA
        if line.draft_pending:
            where += "（有草稿未计入）"
        rows.append([
            str(line.number), r.indicator, r.unit or MISSING, base, goal, _value(line.previous),
            _value(line.current), _completion(line, data.year), status_zh(r.status), where,
        ])
    if not rows:
        rows = [["", "方案中未识别出可跟踪的目标", *[""] * 8]]
    b.table(doc, INDICATOR_HEADER, rows, widths_mm=INDICATOR_WIDTHS, left_cols=frozenset({1}))
    notes = [
        f"注：上年值、本年值为{data.year - 1}年、{data.year}年的统计数；“—”表示数据缺失，未作估算。"
        "完成率为进度比：（实际值－基期值）÷（按计划路径应达值－基期值），括号内年份为所据数据年份。",
        "状态：" + "；".join(f"{status_zh(s)}——{STATUS_MEANING[s]}" for s in STATUS_ORDER) + "。",
    ]
    if data.simulated:
        notes.append("数据说明：本表所有数字来自标记为SIMULATED的演示数据库，是生成的模拟数据，不是任何城市的真实统计。")
    if drafts:
        notes.append(f"标注“草稿”的{drafts}个数字尚未审核通过，仅供参考。")
    elif any(line.draft_pending for line in data.lines):
        notes.append("标注“有草稿未计入”的指标另有尚未审核的草稿数据，本表未计入。")
    if not data.simulated:  # in a SIMULATED database every figure is simulated, whatever its note says
        notes.extend(f"{n}. {text}" for text, n in sources.numbers.items())
    return notes


def task_table(doc: Document, tasks: list[TaskRow]) -> None:
    rows = [
        [str(i), t.task, "、".join(t.lead) or MISSING, "、".join(t.support) or MISSING, t.status,
         short_date(t.deadline) if t.deadline else (t.deadline_text or MISSING), "逾期" if t.late else "否"]
        for i, t in enumerate(sorted(tasks, key=lambda t: (t.lead[:1], t.task_id)), start=1)
    ]
    b.table(doc, TASK_HEADER, rows, widths_mm=TASK_WIDTHS, left_cols=frozenset({1, 2, 3}))


def supervision_table(doc: Document, lines: list[SupervisionLine]) -> None:
    rows = [
        [str(s.item.id), s.item.title, s.item.department or MISSING, short_date(s.raised_on),
         short_date(s.item.due_on), SUPERVISION_STATUS_ZH.get(s.item.status, s.item.status),
         short_date(s.closed_on)]
        for s in lines
    ]
    b.table(doc, SUPERVISION_HEADER, rows, widths_mm=SUPERVISION_WIDTHS, left_cols=frozenset({1, 2}))
