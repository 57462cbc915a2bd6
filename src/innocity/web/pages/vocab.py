"""The words and filters the loop's templates share (statuses in the order people read them, 督办 states,
data workflow states, vintages), registered once on the template environment when a page module is
imported. Kept here rather than in ``templating`` so the core's module is not edited for each new page."""

from __future__ import annotations

import re
from typing import Any

from innocity.catalog.model import DIMENSION_NAMES
from innocity.domain.supervision import ACTION_ZH
from innocity.services.models.collection import STATUS_ZH as VALUE_STATUS_ZH
from innocity.services.models.collection import VINTAGE_ZH
from innocity.services.models.tracking import fmt_num

from ..templating import env

# from worst to best, then the two that cannot be judged: the order of every count and legend
STATUS_ORDER = ("overdue", "off_track", "behind", "on_track", "achieved", "no_data", "needs_input")
SUPERVISION_ORDER = ("raised", "responded", "extended", "escalated", "closed")
SUPERVISION_ZH = {"raised": "已立项", "responded": "已说明", "extended": "已延期", "closed": "已销号",
                  "escalated": "已提级"}
REASON_ZH = {"target_off_track": "指标进度严重滞后", "target_overdue": "指标逾期未完成", "task_late": "任务逾期",
             "manual": "人工立项"}
DEADLINE_ZH = {"target": "目标", "task": "任务", "milestone": "节点", "supervision": "督办答复"}
ROLE_IN_ZH = {"lead": "牵头", "support": "配合", "coordinator": "全部"}
TASK_STATUSES = ("未启动", "进行中", "已完成", "延期")
KIND_GOAL_ZH = {"level": "水平值", "growth": "年均增速", "change": "比基期变化"}


# The tracking rules explain a status in English (the command line's words); the pages say it in Chinese.
# (pattern, Chinese with the pattern's groups): the first that matches wins; unknown reasons are shown as is.
REASONS: tuple[tuple[str, str], ...] = (
    (r"the plan leaves the value blank", "方案未给出目标值"),
    (r"no deadline year \(masked or absent\)", "目标年份不明（如“201*”），请在方案审核中确定"),
    (r"a relative target needs a baseline", "增速或增幅目标需要基期年份和数值"),
    (r"the baseline year is not before the deadline", "基期年份不早于目标年份"),
    (r"no figure for this indicator", "还没有该指标的数据"),
    (r"indicator not matched to the catalogue", "指标未匹配到指标目录，无法找到数据"),
    (r"no figure after the baseline year (\d+)", r"基期 \1 年之后还没有数据"),
    (r"no baseline: set one", "缺少基期数值，请设定"),
    (r"deadline (\d+) passed, goal not met \(no baseline\)", r"\1 年已过，目标未完成（无基期）"),
    (r"deadline (\d+) passed, goal not met", r"\1 年已过，目标未完成"),
    (r"moving the wrong way", "指标向相反方向变化"),
    (r"unit: (.*)", r"单位无法换算：\1"),
)


# The index engine's reasons and warnings, likewise.
INDEX_REASONS: tuple[tuple[str, str], ...] = (
    (r"^no values for the indicators kept in (\S+)$", r"\1 年纳入计算的指标均无数据"),
    (r"^no values in (\S+)$", r"\1 年无数据"),
    (r"^no values$", "无数据"),
    (r"^values for (\d+) of (\d+) units in (\S+) \((.+?)\), below the (.+?) required$",
     r"\3 年只有 \2 个地区中的 \1 个有数据（\4），低于要求的 \5"),
    (r"^values for (\d+) of (\d+) indicators in (\S+) \((.+?)\), below the (.+?) required$",
     r"\3 年只有 \2 个指标中的 \1 个有数据（\4），低于要求的 \5"),
    (r"^none of its indicators is usable$", "该维度没有可用的指标"),
    (r"^a (\w+)-level region; this ranking compares (\w+)-level regions$", r"层级不同：本次排名比较同一层级的地区"),
    (r"^(\d+) of (\d+) indicators left out for low coverage in (\S+)",
     r"\2 个指标中有 \1 个因 \3 年数据覆盖不足未纳入计算（见下方列表）"),
    (r"^(\d+) unit\(s\) left out for missing data in (\S+): (.*)$", r"\1 个地区因 \2 年数据缺失未纳入：\3"),
    (r"^no usable data for (.+?); reporting (\S+), the latest period",
     r"\1 年没有可用数据；报告 \2 年（有数据的最近年度）"),
    (r"^(\d+) values are still missing after imputation \((\w+)\)",
     r"插补后仍有 \1 个缺失值（插补方法：\2），这些值不参与加权平均"),
)


# The importer's row problems (``innocity data import`` speaks English on the command line).
DATA_REASONS: tuple[tuple[str, str], ...] = (
    (r"^value (\S+) is above what the indicator can be \((\S+) ?(.*)\)", r"数值 \1 超过该指标可能的上限 \2\3"),
    (r"^share (\S+) is outside 0–100%", r"比重 \1 不在 0–100% 之间"),
    (r"^negative value (\S+) for a count or amount", r"数量或金额不能为负数（\1）"),
    (r"^'(.*)' is not a finite number", r"“\1”不是有限的数值"),
    (r"^'(.*)' is not a number", r"“\1”不是数字"),
    (r"^value missing", "缺少数值"),
    (r"^unknown region '(.*)'", r"未知地区“\1”"),
    (r"^ambiguous region name '(.*?)'", r"地区名称“\1”有重名，请用行政区划代码"),
    (r"^region missing", "缺少地区"),
    (r"^unknown indicator '(.*)'", r"未知指标“\1”"),
    (r"^indicator missing", "缺少指标"),
    (r"^period missing", "缺少统计期"),
    (r"^not a period", "统计期的格式应为 2015、2015Q3 或 2015-07"),
    (r"^(?:year|month) out of range", "统计期超出范围"),
    (r"^a \w+ value for (\S+) is already stored \((.*?)\)", r"\1 已有同一性质的数值 \2；如需更正，请选“修订”另填一条"),
    (r"^jump by a factor of (\S+) from the previous period",
     r"与上期相比变化达 \1 倍，远超该指标以往的波动；如确实如此，请在备注中说明原因（如统计口径调整）"),
    (r"^same region, indicator, period and vintage as row (\d+)", r"与第 \1 行重复（地区、指标、统计期和数据性质都相同）"),
    (r"^unit '(.*?)' does not fit indicator unit '(.*?)'", r"单位“\1”与指标的单位“\2”不符"),
    (r"^no unit", "缺少单位"),
    (r"^too large once converted", "换算为指标单位后数值过大"),
    (r"^known_on (\S+) is in the future", r"获知日期 \1 晚于今天"),
    (r"^not a date", "日期格式应为 YYYY-MM-DD"),
    (r"^unknown vintage", "数据性质应为 初步、最终 或 修订"),
    (r"contains the invalid character (U\+\w+)", r"含有不允许的字符 \1"),
    (r"^longer than (\d+) characters", r"超过 \1 个字符"),
)


def data_zh(text: str | None) -> str:
    """The Chinese of an importer's row problem (see ``DATA_REASONS``); reasons in Chinese stay as they are."""
    return _translate(text, DATA_REASONS)


def warning_zh(text: str | None) -> str:
    """The review queue's jump warning, for the reviewer (the importer's words speak to the submitter)."""
    m = re.match(r"^jump by a factor of (\S+) from the previous period", text or "")
    if m:
        return f"与上期相比变化达 {m[1]} 倍，远超该指标以往的波动，请核对"
    return data_zh(text)


def index_zh(text: str | None) -> str:
    """The Chinese of an index reason or warning (see ``INDEX_REASONS``); unknown ones as they are."""
    return _translate(text, INDEX_REASONS)


def reason_zh(text: str | None) -> str:
    """The Chinese of a tracking reason (see ``REASONS``)."""
    return _translate(text, REASONS)


def _translate(text: str | None, table: tuple[tuple[str, str], ...]) -> str:
    if not text:
        return ""
    for pattern, zh in table:
        m = re.search(pattern, text)
        if m:
            return m.expand(zh)
    return text


def pct(x: Any, digits: int = 1) -> str:
    """0.834 → "83.4%"; "—" when missing."""
    if x is None:
        return "—"
    return f"{float(x) * 100:.{digits}f}%"


def signed(x: Any) -> str:
    """A change in per cent with its sign: +12.5%, −3%."""
    if x is None:
        return "—"
    v = float(x)
    return ("+" if v > 0 else "−" if v < 0 else "") + fmt_num(abs(v)) + "%"


env.globals.update(
    STATUS_ORDER=STATUS_ORDER,
    SUPERVISION_ORDER=SUPERVISION_ORDER,
    SUPERVISION_ZH=SUPERVISION_ZH,
    REASON_ZH=REASON_ZH,
    DEADLINE_ZH=DEADLINE_ZH,
    ROLE_IN_ZH=ROLE_IN_ZH,
    VALUE_STATUS_ZH=VALUE_STATUS_ZH,
    VINTAGE_ZH=VINTAGE_ZH,
    ACTION_ZH=ACTION_ZH,
    TASK_STATUSES=TASK_STATUSES,
    KIND_GOAL_ZH=KIND_GOAL_ZH,
    DIMENSION_ZH=DIMENSION_NAMES,
    REASON_TEXT=reason_zh,
    INDEX_TEXT=index_zh,
    DATA_TEXT=data_zh,
    WARNING_TEXT=warning_zh,
    RUN_ZH={"queued": "排队中", "running": "计算中", "done": "已完成", "failed": "失败"},
)
env.filters["pct"] = pct
env.filters["signed"] = signed
