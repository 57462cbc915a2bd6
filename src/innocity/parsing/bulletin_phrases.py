"""Indicator phrases of bulletin figures: the words before a number, cleaned of scope, time and verbs
(全年, 全市, 2016年, 为, 达到), the noun after a count (安排42个重点专项), the parts of a 分别 list
(A和B分别为x和y), and the names of the parts of 三次产业结构.

Works on folded text with footnote marks masked as ``MASK`` characters, which are removed here.
"""

from __future__ import annotations

import re

MASK = "\x1f"

_LEAD_WORDS = re.compile(
    r"^(?:其中|另外|此外|全年|年末|年底|年内|当年|截至(?:(?:19|20)\d\d年)?(?:年底|年末|底|末)?|截止(?:(?:19|20)\d\d年)?(?:年底|年末)?|"
    r"全市|全省|全区|全县|全州|全盟|全国|我市|我省|我区|我县|我国|本市|全部|"
    r"据初步统计|初步统计|经初步核算|据初步核算|初步核算|根据[^,;]{0,16}结果|预计|分产业看|分行业看|从[^,;]{0,12}看|"
    r"按常住人口计算|按户籍人口计算|按(?:可比|不变)价格?计算|按年均汇率折算|(?:19|20)\d\d年(?:末|底)?|上年末?|"
    r"共有|现有|拥有|累计|共|已|建设|建成|新建|完成|实现|达到|\s)+"
)
_STRIP = " 、,;:"
# 实现/完成 inside a phrase are verbs (第一产业实现增加值, 财政系统完成收入), except in 完成额/完成率.
_VERB_INSIDE = re.compile(r"实现|完成(?![额率])")
_TAIL_WORDS = re.compile(
    r"(?:分别为|分别是|分别达到?|分别|为|是|达到了|达到|达|突破|超过|实现|完成|增至|增加到|增长到|提高到|上升到|"
    r"下降到|降至|降到|共计|总计|合计|累计|共有|拥有|共|有|约|近|在|计|的|\s)+$"
)
# Verbs a count follows when the noun comes after the number (安排42个重点专项, 完成22次宇航发射).
COUNT_VERB = re.compile(
    r"(?:安排|资助|设立|完成|建成|建设|新建|培育|引进|认定|签订|授予|组织|实施|发射|制定|修订|举办|开展|认证|对|"
    r"获得|获批|立项|新增|共|累计)+$"
)
COUNT_UNITS = frozenset("个 家 项 件 所 处 座 条 台 套 种 批 期 次 支 户 篇 门 辆 场 人 名 位 人次 张".split())
_NOUN = re.compile(r"[\u4e00-\u9fffA-Za-z&()“”\"]{1,16}")
_NOUN_STOP = re.compile(r"增|提|降|下|上|减|达|到|至|比|较|以|左|及|和|与|或|占")
_PARTS = re.compile(r"、|和|及|与")
_PAREN = re.compile(r"\([^()]{0,30}\)$")
_SECTORS = ("第一产业", "第二产业", "第三产业")


def clean(lead: str) -> str:
    """The indicator phrase in ``lead``: footnote marks, scope and time words in front, verbs behind removed."""
    s = _VERB_INSIDE.sub("", lead.replace(MASK, "")).strip(_STRIP)
    prev = None
    while prev != s:
        prev = s
        s = _LEAD_WORDS.sub("", s)
        s = _TAIL_WORDS.sub("", s)
        s = s.strip(_STRIP)
        if s.startswith("(") and ")" not in s:
            s = s[1:]
        if s.endswith(")") and "(" not in s:
            s = s[:-1]
    return s


def noun_after(f: str, end: int, limit: int) -> tuple[str, int] | None:
    """The noun right after a count (``42个重点专项`` → 重点专项) and where it ends, or None."""
    m = _NOUN.match(f, end, min(limit, end + 16))
    if not m:
        return None
    noun = m.group()
    stop = _NOUN_STOP.search(noun)
    if stop is not None:
        noun = noun[: stop.start()]
    noun = noun.removeprefix("的")
    if len(noun) < 2:
        return None
    return noun, end + (m.group().find(noun) + len(noun))


def split_parts(phrase: str, n: int) -> list[str] | None:
    """``A、B和C<tail>`` read as n names when a 分别 list gives n values: the last part's tail (增加值占…比重)
    is shared by the shorter parts before it (第一产业、第二产业 → 第一产业增加值占…比重)."""
    parts = [p for p in _PARTS.split(phrase) if p]
    if len(parts) != n or n < 2:
        return None
    last, first = parts[-1], parts[0]
    tail = last[len(first):] if len(last) > len(first) and all(len(p) == len(first) for p in parts[:-1]) else ""
    return [p + tail if i < n - 1 else p for i, p in enumerate(parts)]


def ratio_names(phrase: str, n: int) -> list[str]:
    """Names of the parts of a ratio: 三次产业结构 a:b:c → the three sectors' shares of GDP; otherwise the
    phrase with the part's position."""
    if "三次产业" in phrase and n == 3:
        return [f"{s}增加值占地区生产总值比重" for s in _SECTORS]
    base = phrase or "比例"
    return [f"{base}(第{i + 1}项)" for i in range(n)]


def share_subject(phrase: str, subject: str) -> str:
    """A share that starts with 占/与 (占GDP的比重) takes the subject of the figure before it."""
    if subject and phrase.startswith(("占", "与")):
        return subject + phrase
    return phrase


def strip_paren(phrase: str) -> str:
    """Drop a trailing explanation in brackets (研发经费投入强度(研发经费与GDP之比) keeps its head)."""
    return _PAREN.sub("", phrase) or phrase
