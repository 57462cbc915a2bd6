"""Phrase normalisation for the matcher: the many spellings of one indicator folded to one vocabulary.

Aliases in the catalogue and phrases from plans go through the same ``normalize``, so a synonym only has
to be folded consistently, not perfectly: 研究与开发经费(R&D) → 研发经费, 地区生产总值 → gdp, 规模以上 → 规上,
销售收入 → 营收, 万人拥有 → 每万人, 比例 → 比重. What the phrase says about the *kind* of number (年均增长 …,
提高 … 个百分点) is taken out first and returned separately, because it decides the kind (growth/change)
rather than the indicator.

A handful of compiled regular expressions, cached per distinct phrase, so this never dominates parse time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Brackets and their content: "(R&D)", "(光伏、风能、锂电产业基地)", "(相对“十一五”末)".
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")
_QUOTES = re.compile(r"[“”\"'‘’《》〈〉「」]")

# A years clause at the start or inside: 2015年, 20XX年, 201*年, “十二五”末, 十一五期间.
_YEARS = re.compile(
    r"(到|至|截至|截止|在)?(20[0-9x*?]{2}|19[0-9]{2})年?(底|末|年底)?|(到|至)?十[一二三四五六]?五(末|期末|期间|时期|规划末)"
)
# Where a quoted sentence stops naming the indicator and starts giving the figure.
_CUT = re.compile(
    r"达到|(?<![到发])达(?![标成产])|超过|突破|不低于|不少于|不高于|不超过|保持在|控制在|稳定在|调整为|提高到|提升到|"
    r"增加到|降低到|下降到|降到|≥|>=|≤|<=|>|<|[0-9]"
)
# A baseline clause: 比“十一五”末, 比2010年, 较上年.
_BASELINE = re.compile(r"(?<!之)(比|较)(上年|去年|基期|基年|末|期末|期|年|同期)?(?=提高|增长|增加|下降|降低|提升|$)")
# A place name opening a quoted sentence: 西宁市完成…, 湘潭市…; never 城市 or 市场.
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,3}(?:市|省|县)(?![场民级内])")

_GROWTH = re.compile(
    r"(年均|年平均|平均每年|每年|逐年|年)?(增长|增速|增幅|增加(?!值)|提高|提升|翻番|翻一番|翻两番)(率|幅度|速度)?"
)
_DECLINE = re.compile(r"(年均|每年|累计)?(下降|降低|减少)(率|幅度)?")
_CHANGE_HINT = re.compile(r"个?百分点")

# Synonyms, in passes whose order matters: R&D first (研究与开发经费 → 研发经费), then the spending words built on
# it, then 与…之比 before 比例 → 比重, then the plain spellings in one alternation, then the 万人 family.
_RD = re.compile(r"r\s*&\s*d|研究与试验发展|研究和试验发展|研究与开发|研究和开发|研究与发展|研究开发")
_RD_SPEND = re.compile(
    r"研发经费内部支出|研发经费支出|研发经费投入|研发费用支出|研发费用|研发支出|研发资金|研发投入|技术开发费用?|研发经费"
)
_RATIO_OF = re.compile(r"与(.{1,16}?)之比")
_PLAIN: dict[str, str] = {
    **dict.fromkeys(["国内生产总值", "地区生产总值", "地方生产总值", "生产总值"], "gdp"),
    "规模以上": "规上",
    **dict.fromkeys(["主营业务收入", "营业总收入", "营业收入", "销售总收入", "销售收入"], "营收"),
    **dict.fromkeys(["每万人口", "每万人", "万人口", "万人拥有"], "每万人"),
    **dict.fromkeys(["所占比重", "所占比例", "所占份额", "比例", "比率", "份额"], "比重"),
    **dict.fromkeys(["高技术企业", "高企"], "高新技术企业"),
    "一般公共预算": "一般预算",
    "固体废弃物": "固体废物",
    "专业技术人才": "专业技术人员",
    "达标率": "达标比重",
}
_PLAIN_RE = re.compile("|".join(sorted(map(re.escape, _PLAIN), key=len, reverse=True)))
_PER_10K = re.compile(r"(?<!每)万(人(?!次|年)|名|家)")
_SHARE_OF = re.compile(r"占比(?!重)")


def _synonyms(s: str) -> str:
    if "研" in s or "&" in s:
        s = _RD_SPEND.sub("研发经费", _RD.sub("研发", s))
    elif "技术开发费" in s:
        s = _RD_SPEND.sub("研发经费", s)
    if "之比" in s:
        s = _RATIO_OF.sub(r"占\1比重", s)
    s = _PLAIN_RE.sub(lambda m: _PLAIN[m.group(0)], s)
    if "万" in s:
        s = _PER_10K.sub(r"每万\1", s)
    if "占比" in s:
        s = _SHARE_OF.sub("占比重", s)
    return s


# Words that never tell indicators apart (scope, hedging, filler).
_NOISE = re.compile(
    r"全市|全区|全县|全省|全州|全国|全社会|本市|我市|市本级|力争|争取|确保|当年|全年|年度|各类|其中|"
    r"累计|总计|合计|共计|以上|左右|以下|上下|约|余|的|实现|完成|拥有|建设|共有"
)
# Count words at the end ("专利申请量", "高新技术企业数", "专业技术人员总量") say "how many", nothing more.
_COUNT_TAIL = re.compile(r"(总量|总数|数量|个数|人数|规模|量|数|总额|额)$")
_COUNTING = re.compile(r"(总数|数量|个数|人数|(?<![天倍指系分参函])数)$")
_LEADING_NUMBER = re.compile(r"^[0-9.%~—\-]+")
_PUNCT = re.compile(r"[\s,，、;；:：。.!！?？·•/\\\-—_~～]+")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A phrase in the matcher's vocabulary, with what it said about the kind of number."""

    text: str
    growth: bool  # 年均增长 / 提高 / 增幅 … was said
    decline: bool  # 下降 / 降低 / 减少
    points: bool  # 个百分点
    baseline: bool  # 比“十一五”末 / 较上年: a change against a baseline
    counts: bool  # ends in 数/数量/个数: the phrase asks how many things or people


def fold(text: str) -> str:
    """Full-width to half-width (NFKC), lower-case latin."""
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=65536)
def normalize(phrase: str) -> Normalized:
    """Normalise an indicator phrase or a whole quoted target sentence (see the module docstring)."""
    s = fold(phrase)
    s = _QUOTES.sub("", s)
    s = _BRACKETS.sub("", _BRACKETS.sub("", s))  # twice: one level of nesting
    s = _PLACE.sub("", _YEARS.sub("", s))
    s = _LEADING_NUMBER.sub("", s.strip(" ,、;:。"))
    m = _CUT.search(s, 2)
    if m:
        s = s[: m.start()]
    points = bool(_CHANGE_HINT.search(s))
    s = _CHANGE_HINT.sub("", s)
    baseline = bool(_BASELINE.search(s))
    s = _BASELINE.sub("", s)
    growth = bool(_GROWTH.search(s))
    decline = bool(_DECLINE.search(s))
    s = _DECLINE.sub("", _GROWTH.sub("", s))
    s = _synonyms(s)
    s = _NOISE.sub("", s)
    s = _PUNCT.sub("", s)
    s = s.lstrip("年每") if not s.startswith("每万") else s
    counts = bool(_COUNTING.search(s))
    s = _COUNT_TAIL.sub("", s)
    return Normalized(s, growth, decline, points, baseline, counts)


def listed_parts(phrase: str, separators: str = "、") -> list[str]:
    """The parts of a phrase listing several things (split at any of ``separators`` outside brackets;
    以及 counts as 及), ignoring parts shorter than two characters once normalised."""
    s = _BRACKETS.sub("", _BRACKETS.sub("", fold(phrase))).replace("以及", "及")
    parts = re.split("[" + re.escape(separators) + "]", s)
    return [p for p in parts if len(normalize(p).text) >= 2]


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams (the single character for one-character text)."""
    if len(text) < 2:
        return frozenset({text}) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))
