"""The words the parser's rules share, in one place: each list is data, and the patterns built from it are
compiled once here so two modules can never disagree about what, say, a value verb is.

Everything matches *folded* text (``textfold.fold``: half-width digits and punctuation). Lists are plain
tuples of words; ``alternation`` turns one into a regex alternation, longest word first so that 提高到 wins
over 提高. Module-specific patterns that no other module needs stay in their module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from innocity.parsing.rx import rx


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, escaped, longest first (so 达到 is tried before 达).

    Words of one length are in code-point order: the pattern is then the same text in every process (a set's
    order changes with the hash seed), which the compiled-pattern cache (``rx``) keys on. Among words of one
    length the order cannot change a match: at any position at most one of them fits."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


# --- values --------------------------------------------------------------------------------------------
# Verbs that make a bare number (no unit) a value: "达到120", "调整为35". Anything else before a bare number
# (a date, a code, a list marker) leaves it unread.
VALUE_VERBS = ("达到", "达", "为", "突破", "超过", "提高到", "提升到", "增至", "降至", "控制在", "调整为")
BARE_VALUE_BEFORE = rx(f"(?:{alternation(VALUE_VERBS)}) ?$")

# 由/从 opens a baseline only when a figure follows (从2020年的10.2件, 由目前的60%), not in 从事, 由于, 自由.
# (The look-behinds of these patterns stand after the first character, so that each pattern opens with
# characters the engine can skip to instead of trying every position.)
FROM_FIGURE = rx(r"(?:由(?!于)|从(?![事而业严重优中来源头]))(?<![自理经缘].)(?=[^,;。]{0,12}(?:\d|$))")

# Classifiers of counted things: a value before its noun ("建成8个…基地") names the noun after it.
COUNT_UNITS = frozenset(
    "个 家 项 件 名 人 所 处 座 条 台 套 种 批 期 次 支 户 篇 门 辆 类 款 位 强 场 场次 人次 家次 户次 台套".split()
)

# --- tense and intent ----------------------------------------------------------------------------------
# Words that state an aim: the figure after them is a goal wherever it stands (even in a 现状 section).
PURSUE_WORDS = ("力争", "争取", "确保")
PURSUE = rx(alternation(PURSUE_WORDS))
# A goal stated in the future tense: 将达到, 预计到2025年, 预期目标, 计划到.
# 争取 is left out: in a review it means "secured" (争取国家项目62项), not "strive for".
GOAL_MARKERS = ("力争", "确保", "将达到", "将突破", "将超过", "将实现", "预计到", "计划到", "预期目标", "主要目标",
                "目标是", "目标为", "努力实现")
GOAL_MARKER = rx(alternation(GOAL_MARKERS))
# Words that report a result: 已, 了 (not 为了, 了解), 现有, 过去, 去年.
PAST_MARKER = rx(r"已|现有|共有|了(?<!为了)(?!解)|过去|去年|上年|同比")
# Comparisons with the year before report a result, wherever they stand in the sentence.
REPORTED_MARKER = rx(r"同比|比上年|较上年|今年以来")

# --- documents and sections ----------------------------------------------------------------------------
# Words that end a plan's title: 实施方案, 发展规划, 行动计划 …
TITLE_WORDS = ("方案", "规划", "计划", "意见", "纲要", "行动", "通知", "办法", "要点", "措施", "决定")
TITLE_WORD = rx(alternation(TITLE_WORDS))
# Section titles about the present or the past (试点基础, 发展现状 …) and about goals and tasks.
BASELINE_TITLE_WORDS = ("现状", "成效", "成绩", "成就", "进展", "回顾", "概况", "基本情况", "优势", "基础",
                        "发展环境", "形势", "背景")
FUTURE_TITLE_WORDS = ("目标", "任务", "措施", "思路", "举措", "保障", "重点工作", "主要工作", "安排", "行动", "工程")
# A report's review of the year before ("2017年工作回顾", "回顾了2017年工作"): its figures are results.
REVIEW = rx(r"(?P<y>(?:19|20)\d\d)年(?:的)?(?:工作)?回顾|回顾(?:了|过去的)?(?P<y2>(?:19|20)\d\d)年(?:的)?工作")
# How a plan speaks of itself, by level. Provincial plans also address 各市/设区市; city plans cite 全省.
SELF_SCOPE_WORDS = {
    "city": ("我市", "本市", "全市", "市委", "市政府", "市人民政府", "市直"),
    "province": ("我省", "本省", "全省", "省委", "省政府", "省人民政府", "省直", "各市", "设区市", "市州"),
    "county": ("我县", "本县", "全县", "县委", "县政府", "县人民政府", "县直"),
    "district": ("我区", "本区", "全区", "区委", "区政府", "区人民政府"),
}
WHOLE_PLACE = rx(r"(?:全市|全省|全区|全县|所辖)$")

# --- money and measures --------------------------------------------------------------------------------
INCENTIVE = rx(r"奖励|资助|补助|补贴|奖补|一次性|安排|扶持资金|贴息|给予|最高|配套")
SUBSIDY = rx(r"给予|补助|补贴|奖励|资助|贴息|奖补")
TAX = rx(r"抵扣|扣除|计税|税法|应纳税|减免税|免税|税收优惠|税前")
# Nouns measured in money: a bare scale after them (总规模突破三千亿) means 亿元.
MONEY_NOUN = rx(
    r"(?:规模|产值|收入|营收|总额|增加值|投资|产出|生产总值|GDP|交易额|成交额|销售额|市值|营业额|总量|基金|资金|税收)"
)
