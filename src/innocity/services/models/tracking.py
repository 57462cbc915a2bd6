"""Progress rows, scorecards and what resolving a target returns."""

from __future__ import annotations

from pydantic import Field

from .common import AuditEntryOut, Model


class BaselineInfo(Model):
    year: int | None = None
    value: float | None = None
    source: str | None = None  # set | plan | observation


class TargetGoal(Model):
    """The target as the plan (or a person resolving it) states it."""

    year: int | None = None
    year_text: str | None = None
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    comparator: str
    kind: str
    approximate: bool = False


class ActualInfo(Model):
    year: int | None = None
    value: float | None = None


def fmt_num(x: float | None) -> str:
    """A figure as people write it: thousands separators, no trailing zeros, "—" when missing."""
    if x is None:
        return "—"
    if abs(x) >= 1e6:
        return f"{x:,.0f}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


class ProgressRow(Model):
    """One current target with its baseline, goal, figures and status (``innocity progress``)."""

    target_id: int
    plan_id: int
    region: str | None = None
    indicator: str
    indicator_code: str | None = None
    text: str
    unit: str | None = None
    baseline: BaselineInfo
    target: TargetGoal
    goal: float | None = None
    expected: float | None = None
    actual: ActualInfo
    ratio: float | None = None
    projected: float | None = None
    projected_met: bool | None = None
    status: str
    direction: int | None = None
    reason: str | None = None
    lead: list[str] = Field(default_factory=list)
    support: list[str] = Field(default_factory=list)
    evaluated_year: int
    # added for the web application (optional in the contract)
    region_adcode: str | None = None
    dimension: str | None = None
    plan_title: str | None = None
    span: tuple[int, int] | None = None
    version: int | None = None
    draft_actual: bool = False  # the latest figure counted is not approved yet

    def goal_text(self) -> str:
        """The goal in words, e.g. "≥300亿元 (2015年)", "年均增长15%": the one wording every view uses."""
        tg = self.target
        if tg.kind == "growth":
            text = f"年均增长{fmt_num(tg.value)}%"
        elif tg.kind == "change":
            text = f"比基期提高{fmt_num(tg.value)}{tg.unit or ''}"
        elif tg.value is None:  # the plan names the indicator but gives no figure ("建成一批新型研发机构")
            text = "目标值未定"
        else:
            sign = {"<=": "≤", ">=": "≥"}.get(tg.comparator, "")
            text = sign + fmt_num(tg.value)
            if tg.value_max is not None:
                text += f"–{fmt_num(tg.value_max)}"
            text += (tg.unit or "") + ("左右" if tg.approximate else "")
        when = tg.year or tg.year_text
        return f"{text}（{when}年）" if when and str(when).isdigit() else f"{text}（{when or '年份待定'}）"

    def detail_text(self) -> str:
        """One line: what the target asks, where it should be, where it is (督办 details, reports)."""
        unit = self.unit or ""
        parts = [
            f"{self.indicator}：{self.goal_text()}"
            + (f"，{self.target.year}年应达 {fmt_num(self.goal)}{unit}" if self.goal is not None else ""),
            f"按进度{self.actual.year}年应为 {fmt_num(self.expected)}{unit}" if self.expected is not None else None,
            f"实际 {fmt_num(self.actual.value)}{unit}（{self.actual.year}年）"
            if self.actual.value is not None
            else "无数据",
            f"进度比 {fmt_num(self.ratio)}" if self.ratio is not None else None,
            self.reason,
        ]
        return "；".join(p for p in parts if p)


class StatusCounts(Model):
    """How many targets have each status."""

    achieved: int = 0
    on_track: int = 0
    behind: int = 0
    off_track: int = 0
    overdue: int = 0
    no_data: int = 0
    needs_input: int = 0


class TaskCounts(Model):
    total: int = 0
    done: int = 0
    on_time: int = 0
    late: int = 0


class SupportCounts(Model):
    targets: int = 0
    tasks: int = 0


class ScorecardRow(Model):
    """One department of one region: its targets by status, its tasks on time or late, what it supports."""

    region: str | None = None
    department: str
    role: str  # lead | support
    led_targets: int = 0
    targets: StatusCounts = Field(default_factory=StatusCounts)
    target_ids: list[int] = Field(default_factory=list)
    tasks: TaskCounts = Field(default_factory=TaskCounts)
    late_task_ids: list[int] = Field(default_factory=list)
    supports: SupportCounts = Field(default_factory=SupportCounts)


class TargetResolution(Model):
    """What ``targets set`` changed, with the target's audit history."""

    target_id: int
    year: int | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    set_by: str
    history: list[AuditEntryOut] = Field(default_factory=list)
