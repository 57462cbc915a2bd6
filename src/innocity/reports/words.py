"""The words and colours every report shares: status names in Chinese, their colours, number formats.

One place, so that the Word report, the Excel workbooks and the charts call a status the same thing.
"""

from __future__ import annotations

from datetime import date

from innocity.domain.progress import STATUS_ZH as _STATUS_ZH
from innocity.services.models.tracking import fmt_num

# the order of the status rules (docs/tracking.md), best first
STATUS_ORDER = ("achieved", "on_track", "behind", "off_track", "overdue", "no_data", "needs_input")

STATUS_ZH = _STATUS_ZH  # the one list (innocity.domain.progress): pages and reports use the same words

# what each status means, for the notes under the table
STATUS_MEANING = {
    "achieved": "本年值已达到目标值",
    "on_track": "进度比不低于0.95",
    "behind": "进度比0.6～0.95",
    "off_track": "进度比低于0.6或反向变化",
    "overdue": "已过目标年份仍未达标",
    "no_data": "基期之后无统计数据",
    "needs_input": "方案未写明目标年份、目标值或基期，需人工补充",
}

# bars and lines (saturated) and Excel cell fills (light, so that black text stays readable)
STATUS_COLOURS = {
    "achieved": "2E7D32", "on_track": "66BB6A", "behind": "F9A825", "off_track": "C62828",
    "overdue": "8E24AA", "no_data": "9E9E9E", "needs_input": "5C6BC0",
}
STATUS_FILLS = {
    "achieved": "C6EFCE", "on_track": "E2F0D9", "behind": "FFEB9C", "off_track": "FFC7CE",
    "overdue": "E4C1F9", "no_data": "EDEDED", "needs_input": "DDEBF7",
}

SUPERVISION_STATUS_ZH = {
    "raised": "已立项", "responded": "已说明", "extended": "已延期", "escalated": "已提级", "closed": "已销号",
}
SUPERVISION_REASON_ZH = {
    "target_off_track": "指标进度严重滞后",
    "target_overdue": "指标逾期未完成",
    "task_late": "任务逾期",
    "manual": "人工立项",
}

MISSING = "—"
NO_DATA = "数据缺失"


def status_zh(status: str) -> str:
    return STATUS_ZH.get(status, status)


def num(x: float | None) -> str:
    """A figure as ``innocity progress`` prints it (thousands separators, no trailing zeros), or "—"."""
    return fmt_num(x)


def percent(ratio: float | None) -> str:
    """A ratio as a percentage with one decimal (0.633 → "63.3%"), or "—"."""
    return MISSING if ratio is None else f"{ratio * 100:.1f}%"


def cn_date(d: date | None) -> str:
    """2026年6月9日 (GB/T 9704: Arabic digits, full year, no zero padding), or "—"."""
    return MISSING if d is None else f"{d.year}年{d.month}月{d.day}日"


def short_date(d: date | None) -> str:
    """2026.6.9, for table cells, or "—"."""
    return MISSING if d is None else f"{d.year}.{d.month}.{d.day}"


def joined(items: list[str], *, limit: int = 8, sep: str = "、") -> str:
    """Names joined with 、, the list cut after ``limit`` with 等N项."""
    if len(items) <= limit:
        return sep.join(items)
    return sep.join(items[:limit]) + f"等{len(items)}项"
