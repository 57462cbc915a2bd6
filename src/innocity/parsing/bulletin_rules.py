"""The decision rules of the bulletin extractor, as ordered tables of (name, reason, predicate, example).

- ``SKIP_RULES``: numbers that are not figures at all (slogans in Chinese numerals, page counters, text cut
  mid-unit, comparisons with other places, ranks, bounds, part-year figures). The first rule that holds
  decides; the number is reported as skipped with that rule's name.
- ``GOAL_RULES``: figures that state a goal rather than a result (a goals section, 力争/预期目标, a deadline
  or 今年 in a report on the year before, "8%的预期目标"). A goal is never an observation.
- ``KIND_RULES``: growth, share or level.

Each example is a short text of our own in which the rule decides the first number; the tests run every
example through the extractor, so the table is also the specification. Predicates look at a ``Context``:
small windows of folded text (footnote marks masked) around one number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from innocity.parsing.vocabulary import GOAL_MARKER


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule may look at for one number: ``lead`` is the text from the previous figure (or the clause
    start) up to the number, ``clause`` its whole clause up to the number (footnote marks removed),
    ``before`` the sentence up to the number, ``after`` a few characters after it, ``tail`` the
    rest of the document after it (at most 4 characters), ``unit`` as written."""

    lead: str
    clause: str
    before: str
    after: str
    tail: str
    unit: str | None
    chinese: bool
    comparator: str
    section_mode: str
    double: bool  # 翻一番 (numbers.py reads it as +100 %)
    time_goal: str | None  # a goal rule decided by the governing time phrase (future_time) or None


@dataclass(frozen=True, slots=True)
class Rule:
    """A named decision; ``example`` is a short text of our own in which it decides the number ``decides``
    (written as the figure's value and unit appear in the example)."""

    name: str
    reason: str
    test: Callable[[Context], bool]
    example: str
    decides: str


def _last(text: str, pattern: re.Pattern[str]) -> bool:
    return pattern.search(text) is not None


# --- numbers that are not figures ------------------------------------------------------------------------
_COUNTER = re.compile(r"(?:点击|浏览|阅读|访问|点击量|浏览量|阅读量|人气)[::]?\s*$")
_OTHER_PLACE = re.compile(
    r"(?:比|较|高于|低于|快于|慢于)(?:全国|全省|全市|全区|全州|全县|国家|省|市)(?:平均)?(?:水平)?[^,;。]{0,24}$"
)
_RANK = re.compile(r"(?:第|前|居|列|排名|位居|位列)\s*$")
_PART_YEAR = re.compile(
    r"上半年|下半年|前三季度|一季度|第[一二三四1-4]季度|\d{1,2}[-—~至到]\d{1,2}月|前\d{1,2}个?月|今年以来|前[一二三四五六七八九十]{1,2}个月"
)
_RATIO_NEXT = re.compile(r":\d")
_RATIO_PREV = re.compile(r"\d:$")
_CUT_OK = set("。;,!?)\n ")

SKIP_RULES: tuple[Rule, ...] = (
    Rule("chinese_numeral", "statistics are written in Arabic digits; a count in Chinese numerals names a "
         "slogan or a programme (四个中心, 三条底线)",
         lambda c: c.chinese, "打造四个中心,全年新增就业5万人。", "四个"),
    Rule("page_counter", "a web page's view counter, not a statistic",
         lambda c: _last(c.before, _COUNTER), "来源:市统计局 点击:8541次\n全年新增就业5万人。", "8541次"),
    Rule("cut_at_end", "the text ends right after the number, in the middle of its unit: the figure is cut",
         lambda c: len(c.tail) <= 3 and c.tail[:1] not in _CUT_OK and c.tail != "",
         "全年新增就业5万人。工业生产者出厂价格上升9.7个百", "9.7个"),
    Rule("other_place", "a difference from another place's figure (比全国高1.9个百分点) is not this place's value",
         lambda c: _last(c.clause, _OTHER_PLACE), "地区生产总值增长8.8%,比全国高1.9个百分点。", "1.9个百分点"),
    Rule("quoted_name", "a number inside quotation marks is part of a name or slogan (“1小时经济圈”)",
         lambda c: c.clause.count("“") > c.clause.count("”"), "建成“1小时经济圈”,全年新增就业5万人。", "1小时"),
    Rule("rank", "a rank (第3位, 前10强, 跻身500强) is not a value of the indicator",
         lambda c: c.unit == "强" or (_last(c.clause, _RANK) and (c.unit or "") in ("位", "名", "")),
         "地区生产总值增长8.8%,增速居全省前3位。", "3位"),
    Rule("damaged_ratio", "a part of a ratio whose separators were lost in the text (14.33:46.3439.33)",
         lambda c: _RATIO_NEXT.match(c.after) is not None or _RATIO_PREV.search(c.clause) is not None,
         "三次产业结构调整为14.33:46.3439.33。", "14.33"),
    Rule("bound_not_value", "a result said to stay within a bound (控制在4.2%以内) states the bound, not the value",
         lambda c: c.comparator == "<=", "城镇登记失业率控制在4.2%以内。", "4.2%以内"),
    Rule("part_year", "a figure for part of a year (上半年, 1-11月) is not the year's value",
         lambda c: _last(c.before, _PART_YEAR), "上半年完成地区生产总值520亿元。", "520亿元"),
)

# --- goals -----------------------------------------------------------------------------------------------
_NAMED_GOAL = re.compile(r"^\s*(?:以上|左右|以内)?(?:的)?(?:预期|年度|全年|计划|奋斗)?目标")

GOAL_RULES: tuple[Rule, ...] = (
    Rule("named_as_goal", "the number is named as a goal (超额完成8%的预期目标)",
         lambda c: _NAMED_GOAL.search(c.after) is not None,
         "2015年地区生产总值增长9%,高于8%的预期目标。", "8%"),
    Rule("goal_words", "a goal marker before it in the sentence (力争, 确保, 预期目标, 目标是)",
         lambda c: GOAL_MARKER.search(c.before) is not None,
         "2015年地区生产总值增长9%。力争2016年地区生产总值增长7%左右。", "7%左右"),
    Rule("future_time", "the governing time is later than the year reported on (今年 in a work report, "
         "到2020年, 明年)", lambda c: c.time_goal is not None,
         "政府工作报告\n一、2013年工作回顾\n完成生产总值100亿元。\n今年生产总值增长8%。", "8%"),
    Rule("goal_section", "inside a section announcing goals or tasks (二、2014年工作安排)",
         lambda c: c.section_mode == "goals",
         "一、2013年工作回顾\n完成生产总值100亿元。\n二、工作安排\n新建保障性住房1万套。", "1万套"),
)

# --- kind ------------------------------------------------------------------------------------------------
_BASE = r"(?:比上年末?|较上年末?|比去年(?:末|同期)?|同比|环比|比(?:19|20)\d\d年(?:末|底)?|较(?:19|20)\d\d年(?:末|底)?)"
_UP = "增长|增加|上涨|上升|提高|提升|扩大|净增|递增"
_DOWN = "下降|降低|减少|回落|下跌|缩小|减"
# 增加到/提高到/增至 reach a level; 新增 counts additions (a level): neither is a change.
GROWTH_TAIL = re.compile(
    rf"(?:{_BASE}?(?:年均|年平均|平均每年)?(?:分别)?(?P<verb>{_UP}|{_DOWN})(?:了)?(?:分别)?"
    rf"|{_BASE}(?:年均)?(?:分别)?(?P<short>增|降|涨|升|多|少)(?:了)?"
    rf"|(?:增速|增幅|涨幅|降幅|(?<!自然)增长率|增长速度)(?:分别)?(?:为|是|达到?)?)"
    r"(?:超过|超|近|约|逾|达到|达|突破|高达)?\s*$"
)
NEGATIVE = re.compile(rf"(?:{_DOWN}|降|少|降幅)(?:了)?(?:分别)?(?:超过|超|近|约|逾|达到|达)?\s*$|^\s*(?:累计)?(?:压减|削减|缩减)")
_NEW = re.compile(r"新(?:增|增加)\s*$")
SHARE_WORDS = re.compile(r"占|比重|比例|比率|之比|构成|结构|贡献率")


# 压减地下水开采量21.5亿立方米: a reduction verb that opens the clause governs its figure
CUT_FIRST = re.compile(r"^\s*(?:累计)?(?:压减|削减|缩减)")


def is_growth(lead: str) -> bool:
    return (GROWTH_TAIL.search(lead) is not None and _NEW.search(lead) is None) or CUT_FIRST.search(lead) is not None


KIND_RULES: tuple[Rule, ...] = (
    Rule("doubling", "翻一番/翻两番 double a value: a growth of 100 %/300 %",
         lambda c: c.double, "2019年进出口总值实现翻番。", "翻番"),
    Rule("growth_verb", "a change verb right before the number (增长7.8%, 下降0.05个百分点, 比上年末增加17.35万人)",
         lambda c: is_growth(c.lead), "2016年地区生产总值653亿元,比上年增长7.8%。", "7.8%"),
    Rule("share_words", "a part of a whole: 占…比重, 之比, 比例, 构成, 贡献率",
         lambda c: (c.unit in ("%", "‰", None)) and SHARE_WORDS.search(c.lead) is not None,
         "2015年第一产业增加值占生产总值的比重为14.06%。", "14.06%"),
    Rule("percent_share", "any other figure in per cent is a part of a whole (失业率2.17%, 毛入学率91.35%)",
         lambda c: c.unit == "%", "2016年末城镇登记失业率2.17%。", "2.17%"),
    Rule("level", "anything else is the value itself", lambda c: True, "2022年末常住人口941.5万人。", "941.5万人"),
)


def first(rules: tuple[Rule, ...], ctx: Context) -> Rule | None:
    """The first rule of ``rules`` that holds for ``ctx``."""
    for r in rules:
        if r.test(ctx):
            return r
    return None
