"""What a department must report (``services.collection``): its indicators with the periods due, the
values entered so far and the rejections to correct; the Excel template's content and layout; what a form
or an uploaded template stored, and every bad cell it had."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from .common import Model


class EntryOut(Model):
    """One stored value of a due period, as the department sees it."""

    observation_id: int
    value: float
    vintage: str
    status: str  # draft | submitted | approved | rejected
    version: int
    known_on: date | None = None
    note: str | None = None
    source: str | None = None
    comment: str | None = None  # the reviewer's comment (why it was rejected)
    entered_by: str | None = None
    entered_at: datetime | None = None


class PeriodDue(Model):
    """One period an indicator is due for, with the value that counts now (the latest entered) and every
    vintage stored for it."""

    period: str
    status: str  # missing | draft | submitted | approved | rejected
    current: EntryOut | None = None
    vintages: list[EntryOut] = Field(default_factory=list)

    @property
    def editable(self) -> bool:
        """Missing, draft and rejected values may be entered or corrected; submitted and approved ones not."""
        return self.status in ("missing", "draft", "rejected")


class TargetRef(Model):
    target_id: int
    plan_id: int
    goal: str  # the goal in words, e.g. "≥2.5%（2020年）"
    year: int | None = None


class LastValue(Model):
    period: str
    value: float
    status: str
    vintage: str


class CollectionLine(Model):
    """One indicator of one region that the department answers for."""

    region: str  # adcode, or the name of a region without one: what a submitted row names
    region_name: str
    region_id: int
    indicator: str  # catalogue code
    indicator_name: str
    unit: str | None = None  # the catalogue unit values are entered in
    kind: str | None = None
    role: str  # lead | support | coordinator (a coordinator entering for anyone)
    min_value: float | None = None  # the range a value must lie in (the importer's checks)
    max_value: float | None = None
    targets: list[TargetRef] = Field(default_factory=list)
    last: LastValue | None = None
    periods: list[PeriodDue] = Field(default_factory=list)


class Rejection(Model):
    """A value the reviewer sent back, with the reason, for the department to correct and resubmit."""

    observation_id: int
    region_name: str
    indicator: str
    indicator_name: str
    period: str
    value: float
    comment: str | None = None
    by: str | None = None
    version: int


class CollectionCounts(Model):
    due: int = 0
    missing: int = 0
    draft: int = 0
    submitted: int = 0
    approved: int = 0
    rejected: int = 0


class CollectionSheet(Model):
    """Everything ``/data`` shows a department (or a coordinator, for a department or for everyone)."""

    department: str | None = None
    department_id: int | None = None
    region: str | None = None
    year: int  # the latest period due
    lines: list[CollectionLine] = Field(default_factory=list)
    rejections: list[Rejection] = Field(default_factory=list)
    counts: CollectionCounts = Field(default_factory=CollectionCounts)


class Entry(Model):
    """One value a person entered in the form or the template, as text (checked by the service).

    ``observation_id`` and ``version`` name a stored draft or rejected value being corrected; without them
    the value is new. ``row`` is where the person sees it (a form position, a sheet row) for errors."""

    region: str
    indicator: str
    period: str
    value: str | float | None = None
    vintage: str | None = None
    note: str | None = None
    source: str | None = None
    observation_id: int | None = None
    version: int | None = None
    row: int | None = None


class SaveResult(Model):
    """What a save stored: new values, corrected values, values sent for approval, and those unchanged."""

    stored: int = 0
    corrected: int = 0
    submitted: int = 0
    unchanged: int = 0
    ids: list[int] = Field(default_factory=list)


# ------------------------------------------------------------------ the Excel template

DATA_SHEET = "数据填报"
INSTRUCTIONS_SHEET = "填报说明"
HEADER_ROW = 3  # row 1: title; row 2: who and when; row 3: the headers; data from row 4

# (key, header) in column order; the writer and the reader share it, so a column is declared once.
TEMPLATE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("region", "地区代码"),
    ("region_name", "地区"),
    ("indicator", "指标代码"),
    ("indicator_name", "指标名称"),
    ("unit", "计量单位"),
    ("period", "统计期"),
    ("last", "上期数值"),
    ("range", "有效范围"),
    ("state", "当前状态"),
    ("value", "本期数值"),
    ("vintage", "数据性质"),
    ("note", "备注"),
    ("source", "数据来源"),
    ("comment", "审核意见"),
    ("observation_id", "记录号"),
    ("version", "版本"),
)
INPUT_KEYS = ("value", "vintage", "note", "source")  # the cells a department fills; all others are locked
HIDDEN_KEYS = ("observation_id", "version")
VINTAGE_ZH = {"preliminary": "初步", "final": "最终", "revised": "修订"}
STATUS_ZH = {
    "missing": "待填报",
    "draft": "草稿",
    "submitted": "已提交待审核",
    "approved": "已审核",
    "rejected": "已退回",
}


def column_letter(key: str) -> str:
    """The spreadsheet column (A, B, …) of a template field."""
    i = [k for k, _ in TEMPLATE_COLUMNS].index(key)
    return chr(ord("A") + i)


class TemplateRow(Model):
    """One row of the template: a due period of one indicator, pre-filled."""

    region: str
    region_name: str
    indicator: str
    indicator_name: str
    unit: str | None = None
    period: str
    last: str | None = None  # "2014: 2.1", the latest approved value before this period
    min_value: float | None = None
    max_value: float | None = None
    state: str  # missing | draft | submitted | approved | rejected
    value: float | None = None
    vintage: str = "final"
    note: str | None = None
    source: str | None = None
    comment: str | None = None
    observation_id: int | None = None
    version: int | None = None

    @property
    def editable(self) -> bool:
        return self.state in ("missing", "draft", "rejected")


class TemplateData(Model):
    """What the Excel template holds: a title, who it is for, the rows."""

    title: str
    department: str | None = None
    year: int
    generated_on: date
    dataset_label: str | None = None  # SIMULATED for the demo's training database
    rows: list[TemplateRow] = Field(default_factory=list)


class CellProblem(Model):
    """One bad cell of an uploaded template: the sheet, the row and column as Excel shows them, and why."""

    sheet: str
    row: int
    column: str  # A, B, …
    field: str | None = None
    reason: str


class TemplateUpload(Model):
    """What an uploaded template did (all or nothing): stored, corrected, unchanged, or every bad cell."""

    sheet: str
    rows: int  # data rows read
    entries: int  # rows with a change to store
    result: SaveResult | None = None
    problems: list[CellProblem] = Field(default_factory=list)
