"""The annual self-evaluation report (年度自评估报告) as an editable Word document in 公文 format.

``annual_report(data, template=..., body_font=...) -> bytes``. Two templates share one body:

- ``gbt9704``: the skeleton of ``gongwen-format.md`` §2.2 (一、基本情况 … 七、下一步工作计划), 三号 body;
- ``outline2017``: the headings of the 2017 编写提纲 (国科创函〔2017〕3号), 小三 body.

Every number comes from ``AnnualReportData``; sentences only count and name what the data hold. What a
person must write (经验做法, 存在的问题, 下一步工作计划, 保障措施) is a highlighted 【待补充：…】 with a prompt
drawn from the data. Figures that are drafts, or come from a SIMULATED database, are marked in the table,
in the captions and in a note; missing figures are named ("数据缺失"), never filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.shared import Pt

from innocity.services.models.reports import AnnualReportData
from innocity.services.models.work import TaskRow

from . import blocks as b
from . import charts, gongwen
from .annual_tables import indicator_table, supervision_table, task_table
from .words import STATUS_ORDER, cn_date, joined, status_zh


@dataclass(frozen=True, slots=True)
class Outline:
    """The level-1 headings of a template, by the part of the report they hold."""

    title: str
    basics: str
    targets: str
    tasks: str
    measures: str
    experience: str
    problems: str
    plans: str
    attachments: str


OUTLINES = {
    "gbt9704": Outline(
        title="{region}{year}年度创新型城市建设自评估报告",
        basics="基本情况",
        targets="主要指标完成情况",
        tasks="重点任务推进情况",
        measures="组织保障措施落实情况",
        experience="经验做法与特色亮点",
        problems="存在的问题",
        plans="下一步工作计划",
        attachments="相关证明材料",
    ),
    "outline2017": Outline(
        title="{region}创新型城市建设自总结评估报告（{year}年度）",
        basics="试点城市基本情况",
        targets="建设方案提出的目标和指标完成情况",
        tasks="重点任务的实施情况",
        measures="组织和保障措施的落实情况",
        experience="试点建设总体评价和经验做法",
        problems="存在的问题",
        plans="意见建议和下一步工作计划",
        attachments="相关证明材料和附件",
    ),
}
TEMPLATES = tuple(OUTLINES)
LEVEL1 = "一二三四五六七八九十"


def annual_report(data: AnnualReportData, *, template: str = "gbt9704", body_font: str | None = None) -> bytes:
    """The report as DOCX bytes; ``template`` is gbt9704 or outline2017, ``body_font`` 仿宋_GB2312 or 仿宋."""
    if template not in OUTLINES:
        raise ValueError(f"unknown template {template!r} ({', '.join(OUTLINES)})")
    if body_font is not None and body_font not in gongwen.BODY_FONTS:
        raise ValueError(f"unknown body font {body_font!r} ({', '.join(gongwen.BODY_FONTS)})")
    layout = gongwen.layout_for(template, body_font)
    doc = gongwen.new_document(layout)
    _Writer(doc, data, OUTLINES[template]).write()
    return b.to_bytes(doc)


class _Writer:
    def __init__(self, doc: Document, data: AnnualReportData, outline: Outline) -> None:
        self.doc, self.d, self.o = doc, data, outline
        self.h1_count = 0
        self.figures = 0
        self.tables = 0

    # ------------------------------------------------------------------ numbering

    def h1(self, text: str) -> None:
        b.heading(self.doc, f"{LEVEL1[self.h1_count]}、{text}", 1)
        self.h1_count += 1
        self.h2_count = 0

    def h2(self, text: str) -> None:
        b.heading(self.doc, f"（{LEVEL1[self.h2_count]}）{text}", 2)
        self.h2_count += 1

    def caption(self, kind: str, text: str) -> None:
        """表N above its table, 图N below its figure, marked when the data are SIMULATED."""
        if kind == "图":
            self.figures += 1
            n = self.figures
        else:
            self.tables += 1
            n = self.tables
        marker = "（模拟数据）" if self.d.simulated else ""
        b.caption(self.doc, f"{kind}{n}  {text}{marker}", above=kind == "表")

    # ------------------------------------------------------------------ the document

    def write(self) -> None:
        d, doc = self.d, self.doc
        b.title(doc, self.o.title.format(region=d.region, year=d.year))
        if d.simulated:
            p = b.para(doc)
            b.mark(p, "【模拟数据】本报告所用数据库标记为SIMULATED（演示训练数据），文中所有数字均为模拟，"
                      "不是任何城市的真实统计，不得报送。")
        p = b.para(doc, indent=False)
        if d.province:
            p.add_run(f"{d.province}科学技术厅：")
        else:
            b.mark(p, "【待补充：主送机关】")
            p.add_run("：")
        titles = "、".join(f"《{p.title}》" for p in d.plans if p.title) or "本市创新型城市建设实施方案"
        b.para(doc, f"根据{titles}的要求，现将{d.region}{d.year}年度创新型城市建设情况报告如下。")
        self.basics()
        self.targets()
        self.tasks()
        self.measures()
        self.narratives()
        self.closing()

    def basics(self) -> None:
        d, doc = self.d, self.doc
        self.h1(self.o.basics)
        for plan in d.plans:
            text = (f"《{plan.title or '建设方案'}》（第{plan.version}版）共提出建设目标{plan.targets}项、"
                    f"重点任务{plan.duties}项。")
            if plan.phases:
                text += f"方案确定的建设阶段为：{'；'.join(plan.phases)}。"
            b.para(doc, text)
        n = len(d.lines)
        with_current = sum(1 for line in d.lines if line.current)
        counted = [f"{status_zh(s)}{getattr(d.counts, s)}项" for s in STATUS_ORDER if getattr(d.counts, s)]
        b.para(doc, f"按{d.year}年进度评估，{n}项目标中{'、'.join(counted) or '尚无可评估的目标'}。"
                    f"其中{with_current}项目标有{d.year}年统计数据，{n - with_current}项缺少{d.year}年数据。")
        if not d.has_figures:
            b.para(doc, f"截至报告日，系统中尚无{d.region}上述目标的任何统计数据，各项目标的完成情况均无法评估；"
                        "本报告不作估算，请相关部门补报数据后重新生成。")
        b.placeholder(doc, f"{d.year}年度创新型城市建设总体进展、重大举措和投入情况（本系统无此类数据）")

    def targets(self) -> None:
        d, doc = self.d, self.doc
        self.h1(self.o.targets)
        self.h2("分维度完成情况")
        for dim in d.dimensions:
            counted = [f"{status_zh(s)}{getattr(dim.counts, s)}项" for s in STATUS_ORDER if getattr(dim.counts, s)]
            if dim.code is None:
                text = f"另有{dim.total}项目标未匹配指标目录，无法取得统计数据：{'、'.join(counted)}。"
            else:
                text = f"{dim.name}方面，共{dim.total}项目标：{'、'.join(counted)}。"
            if dim.lagging:
                text += f"进度滞后的有{joined(dim.lagging)}。"
            if dim.missing:
                text += f"缺少数据或信息的有{joined(dim.missing)}。"
            b.para(doc, text)
        if d.lines:
            b.picture(doc, charts.status_chart(d.counts, simulated=d.simulated), width_mm=150)
            self.caption("图", f"{d.region}{d.year}年目标状态分布")
        if d.trajectories:
            b.picture(doc, charts.trajectory_chart(d.trajectories, simulated=d.simulated), width_mm=150)
            self.caption("图", "重点指标实际值与计划路径")
        else:
            b.para(doc, "基期之后有两年以上统计数据的目标不足一项，暂不绘制重点指标走势图。")
        self.h2("主要指标完成情况表")
        self.caption("表", f"{d.region}主要指标完成情况（{d.year}年）")
        notes = indicator_table(doc, d)
        for text in notes:
            b.note(doc, text)
        missing = [line.progress.indicator for line in d.lines if line.current is None]
        if missing:
            b.para(doc, f"数据缺失情况：以下{len(missing)}项目标缺少{d.year}年数据，表中以“—”表示，未作估算："
                        f"{'、'.join(missing)}。")

    def tasks(self) -> None:
        d, doc = self.d, self.doc
        self.h1(self.o.tasks)
        if not d.tasks:
            b.para(doc, "方案中未识别出责任分工明确的重点任务，系统中无任务进展记录。")
            b.placeholder(doc, "重点任务推进情况")
            return
        by_status: dict[str, int] = {}
        for t in d.tasks:
            by_status[t.status] = by_status.get(t.status, 0) + 1
        late = [t for t in d.tasks if t.late]
        counted = "、".join(f"{k}{v}项" for k, v in by_status.items())
        self.h2("总体进展")
        b.para(doc, f"方案分解重点任务{len(d.tasks)}项，截至{cn_date(d.today)}：{counted}；"
                    f"逾期任务{len(late)}项" + (f"（{joined([t.task for t in late])}）。" if late else "。"))
        self.h2("分部门推进情况")
        depts: dict[str, list[TaskRow]] = {}
        for t in d.tasks:
            depts.setdefault(t.lead[0] if t.lead else "（未指定牵头单位）", []).append(t)
        for i, (name, mine) in enumerate(depts.items(), start=1):
            b.heading(doc, f"{i}. {name}", 3)
            done = sum(1 for t in mine if t.status == "已完成")
            late_names = [t.task for t in mine if t.late]
            text = f"牵头重点任务{len(mine)}项（{joined([t.task for t in mine])}），已完成{done}项"
            text += f"，逾期{len(late_names)}项（{joined(late_names, limit=5)}）。" if late_names else "，无逾期任务。"
            b.para(doc, text)
        self.caption("表", "重点任务推进情况")
        task_table(doc, d.tasks)

    def measures(self) -> None:
        d, doc = self.d, self.doc
        self.h1(self.o.measures)
        self.h2("督查督办")
        window = f"{cn_date(d.period_start)}至{cn_date(d.today)}"
        lines = d.supervision
        raised = [s for s in lines if d.period_start <= s.raised_on <= d.today]
        closed = [s for s in lines if s.closed_on and d.period_start <= s.closed_on <= d.today]
        still_open = [s for s in lines if s.item.status != "closed"]
        if not lines:
            b.para(doc, f"{window}，系统中无督办事项。")
        else:
            b.para(doc, f"{window}，针对进度滞后的目标和逾期任务立项督办{len(raised)}件，办结销号{len(closed)}件；"
                        f"截至报告日尚未办结{len(still_open)}件。")
            self.caption("表", "督办事项办理情况")
            supervision_table(doc, lines)
        self.h2("其他保障措施")
        b.placeholder(doc, "组织领导、政策制定、资金投入、考核评价等保障措施的落实情况")

    def narratives(self) -> None:
        d, doc = self.d, self.doc
        good = [line.progress.indicator for line in d.lines if line.progress.status in ("achieved", "on_track")]
        lagging = [line.progress.indicator for line in d.lines
                   if line.progress.status in ("behind", "off_track", "overdue")]
        missing = [line.progress.indicator for line in d.lines if line.progress.status in ("no_data", "needs_input")]
        late = [t.task for t in d.tasks if t.late]
        self.h1(self.o.experience)
        b.placeholder(doc, "经验做法。" + (f"以下指标已达标或进度正常，可总结其做法：{joined(good)}" if good
                                        else "本年度尚无已达标或进度正常的指标"))
        self.h1(self.o.problems)
        prompts = []
        if lagging:
            prompts.append(f"以下指标进度滞后：{joined(lagging)}")
        if missing:
            prompts.append(f"以下指标缺少数据或信息：{joined(missing)}")
        if late:
            prompts.append(f"以下任务逾期：{joined(late)}")
        b.placeholder(doc, "存在的问题。" + ("；".join(prompts) if prompts else "数据中未见滞后指标或逾期任务"))
        self.h1(self.o.plans)
        ahead = sorted({line.progress.target.year for line in d.lines if line.progress.target.year})
        plan_prompt = "下一步工作计划。"
        if lagging or late:
            plan_prompt += f"请针对滞后指标（{joined(lagging, limit=5) or '无'}）和逾期任务（{joined(late, limit=5) or '无'}）提出措施"
        else:
            plan_prompt += "请说明下一年度的重点工作"
        if ahead:
            plan_prompt += f"；方案目标年份为{'、'.join(str(y) + '年' for y in ahead)}"
        b.placeholder(doc, plan_prompt)

    def closing(self) -> None:
        d, doc = self.d, self.doc
        p = b.para(doc)
        p.add_run("附件：")
        b.mark(p, f"【待补充：{self.o.attachments}】")
        notes = []
        if d.simulated:
            notes.append("本报告数据库标记为SIMULATED，所有数字均为演示用模拟数据")
        if d.include_draft:
            notes.append("本报告计入了尚未审核的草稿数据，已在表中标注“草稿”")
        b.para(doc)
        sign = b.para(doc, indent=False, align="right")
        b.mark(sign, "【待补充：报送单位】")
        sign.paragraph_format.right_indent = Pt(self._body_size() * 2)
        date_p = b.para(doc, cn_date(d.today), indent=False, align="right")
        date_p.paragraph_format.right_indent = Pt(self._body_size() * 4)
        if notes:
            b.para(doc, f"（{'；'.join(notes)}。）")

    def _body_size(self) -> float:
        size = self.doc.styles["Normal"].font.size
        return size.pt if size is not None else gongwen.SIZE["三号"]
