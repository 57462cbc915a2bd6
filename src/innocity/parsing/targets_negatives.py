"""Hard negatives: numbers that look like values but are not (names, list labels, incentives, tax rules,
durations, descriptors, the plan's own structure). An ordered table of named rules; the first that applies
drops the number, and ``parse --explain`` names it.

Each rule carries an example sentence whose figure it must drop: ``tests/parsing/test_rule_tables.py`` runs
the extractor on every example and checks that this very rule decided. docs/parsing-rules.md prints the
table. Predicates look only at a small window around the number (``Window``), so each is a cheap regex.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from innocity.parsing.numbers import Quantity
from innocity.parsing.rx import rx
from innocity.parsing.vocabulary import INCENTIVE, SUBSIDY, TAX, WHOLE_PLACE


@dataclass(frozen=True, slots=True)
class Window:
    """A number and the words around it in its clause (folded text)."""

    q: Quantity
    pre: str  # from the clause start to the number
    post: str  # from the number's end to the clause end
    segment: str  # the whole clause
    target_context: bool  # False inside a baseline section, where figures are read as facts
    row_gap: bool = False  # the number opens its line and a blank follows it ("5 大力发展…": a row number)
    verdict: str = "target"  # what the tense rules made of it (target | fact)
    heading_number: bool = False  # "11.121人才…" opens its line: the heading number 11. ran into a name

    @property
    def unit(self) -> str:
        return self.q.unit or ""


@dataclass(frozen=True, slots=True)
class Rule:
    """One named reading rule: why it exists, when it applies, and a sentence it must decide."""

    name: str
    reason: str
    applies: Callable[[Window], bool]
    example: str
    units: frozenset[str] | None = None  # the units (or units as written) it can apply to; None: any ("" = none)
    chinese_only: bool = False  # applies to numbers written in Chinese numerals only


_MEASURE_UNITS = rx(r"(?:万|亿)?(?:吨|公里|千米|米|km/h|km|千瓦|兆瓦|MW|GW|kW|毫米|英寸|平方米|千伏|千伏安)$")
_GOAL_VERB = rx(r"(?:达到|达|提高到|提升到|保持在|稳定在|不低于) ?$")
_MODIFIER_OK_PRE = rx(r"(?:年产|产能|规模|达到|达|为|超过|突破|新增|增加|提高到|形成|建成|建设)$")
_CJK = rx(r"[\u4e00-\u9fff]")
_AFTER_OK = "以左的及和、与或,;。:)(上下余多"
_CN_NAME_AFTER = rx(r"^(?:经费|费用|制度|原则|机制|产业|开发|性|创新|服务|融合)")
_MEASURE_COUNT_UNITS = frozenset(("项", "条", "个", "方面", "类"))
_MEASURES_AFTER = rx(r"(?:的)?[^,;。\d]{0,8}?(?:措施|举措|政策|条款|意见|办法|细则|任务清单|经验|做法)")
_SPREAD_AFTER = rx(r"[^,;。\d]{0,20}?(?:推广|复制|出台|印发|发布|实施)")
_MEASURES_RIGHT_AFTER = rx(r"(?:政策)?(?:措施|举措)")
_PROPOSED_BEFORE = rx(r"提出|出台|制定|印发|发布|包括|涵盖|推出|明确了|共有|涉及|落实|贯彻|执行")
_LABEL_UNITS = frozenset(("个", "大", "项", "类", "种", "条", "家"))
_LIST_ITEM_SEP = rx(r"、|和|及|与")
# 十四届人大三次会议, 二十届三中全会, 第三次党代会: sessions and rounds are ordinals, not amounts.
_SESSION_AFTER = rx(r"^(?:会议|全会|全体会议|党代会|人代会|代表大会|常委会|会)")
_SESSION_BEFORE = rx(r"(?:届|大|第)$")
# The plan's own structure: 抓好5个方面工作, 实施十大工程, 部署8项重点任务 — counts of what the text then spells out.
_STRUCTURE_UNITS = frozenset(("个", "大", "项", "条", "类", "方面", "批"))
_STRUCTURE_NOUN = rx(
    r"^(?:个)?(?:方面|重点|主要|专项|重大|重点领域|领域)?[^,;。、\d\s]{0,6}?"
    r"(?:方面(?:工作|任务)?|工程|行动|任务|措施|举措|政策|战略|重点工作|工作|环节|机制|体系|指标)(?=[,;。:、()\s]|$|的|和|及)"
)
_STRUCTURE_VERB = rx(
    r"(?:抓好|实施|开展|推进|部署|落实|出台|制定|提出|明确|设置|设定|围绕|聚焦|包括|突出|重点|推出|安排|采取|做好|完成|启动)"
    r"[^,;。\d]{0,6}$"
)
# 达标率=(达标单位数/单位总数)×100%; 小型企业指年营业收入2000万元以下的企业: definitions, not aims.
_FORMULA = rx(r"[=×÷]|/\(|\)/")
_DEFINES = rx(r"(?:是指|系指|指的是|定义为|(?<![目旨意所手])指(?![标导出挥引南数向令示定明]))[^,;。]{0,30}$")


# 跃居全省前40位, 进入长三角20强, 达到全市前3水平: a rank is not a value of the indicator.
_RANK_BEFORE = rx(r"(?:前|第|排名|位次|排位|名列|位居|跻身|进入)[^,;。\d]{0,4}$")
_RANK_AFTER = rx(r"^(?:位|名|强)|^(?:水平|行列|方阵)")
# 预计每年可增收粮食35万公斤, 带动农民增收87.5万元: the estimated effect of a work, neither aim nor result.
_EFFECT_BEFORE = rx(
    r"(?:预计|预期)[^,;。\d]{0,6}可[^,;。\d]{0,10}$|每年可[^,;。\d]{0,10}$|带动[^,;。\d]{0,10}增收[^,;。\d]{0,2}$"
)
# 十件民生实事, 50件惠民实事: the name of a city's yearly package, its items listed elsewhere.
_PACKAGE_AFTER = rx(r"^(?:大)?(?:民生实事|惠民实事|为民办实事|实事|好事)")
# 对4个乡镇34.76万亩灌区: a count of places that only says where the next figure applies.
_PLACES_AFTER = rx(r"^(?:乡镇|乡|镇|县区|县市区|县(?:\(市、区\))?|区|街道|村|社区|园区)")


# 6大产业集群总规模突破三千亿: the count names the subject whose amount the clause then gives.
_MEASURED_AFTER = rx(
    r"^[^,;。、\d]{1,16}?(?:总规模|规模|总产值|产值|营业收入|收入|总额|增加值|产出|总量|营收|市值)[^,;。、\d]{0,4}?"
    r"(?:突破|达到|超过|超|达|实现|冲刺|迈上|迈向)"
)


_STEP_AFTER = rx(r"^(?:\d|[一二三四五六七八九十]?[百千万]亿|[一二三四五六七八九十]?千万)")


def _definition(w: Window) -> bool:
    seg, pre = w.segment, w.pre
    # cheap membership tests first: this rule looks at every number
    if ("=" in seg or "×" in seg or "÷" in seg or "/" in seg) and _FORMULA.search(seg):
        return True
    return ("指" in pre or "定义" in pre) and bool(_DEFINES.search(pre))


def _count_of_subject(w: Window) -> bool:
    m = _MEASURED_AFTER.match(w.post) if (w.q.unit_text or w.unit) in _LABEL_UNITS else None
    # 培育10家年销售收入超50亿元的企业: there the amount describes what is counted, and the count is the goal
    return m is not None and "的" not in w.post[m.end():]


def _places_scope(w: Window) -> bool:
    m = _PLACES_AFTER.match(w.post) if w.unit == "个" else None
    return m is not None and w.post[m.end(): m.end() + 1].isdigit()


_LIST_START = rx(r"[,;:“”\"](?=[^,;:“”\"]*$)|(?:支持|推动|培育|发展|建设|打造|包括|聚焦|围绕)(?=[^,;:“”\"]*、)")


def _list_size(pre: str) -> int:
    """How many items the list right before a count names (A、B和C → 3; “甲、乙”支持A、B、C → 3)."""
    m = _LIST_START.search(pre)
    tail = pre[m.end():] if m else pre
    return len(_LIST_ITEM_SEP.split(tail))


def _structure(w: Window) -> bool:
    unit = w.q.unit_text or w.unit
    if unit not in _STRUCTURE_UNITS or not _STRUCTURE_VERB.search(w.pre):
        return False
    return bool(_STRUCTURE_NOUN.match(w.post))


def _descriptor(w: Window) -> bool:
    post = w.post
    if not (w.q.unit and _MEASURE_UNITS.search(w.unit) and post[:1] and _CJK.match(post[:1])):
        return False
    return post[0] not in _AFTER_OK and not _MODIFIER_OK_PRE.search(w.pre.rstrip())


HARD_NEGATIVES: tuple[Rule, ...] = (
    Rule("row-number", "a number that opens a line, followed by a blank, numbers a row of a flattened table",
         lambda w: w.row_gap and w.q.comparator == "=", "重点任务\n5 大力发展数字经济"),
    Rule("heading-number", "11.121人才梯队项目: a heading's number ran into the digits of a name after it",
         lambda w: w.heading_number, "一、重点项目\n11.121人才梯队项目。建立人才梯队。"),
    Rule("ordinal-session", "sessions, rounds and congresses are ordinals (十四届人大三次会议), not amounts",
         lambda w: w.unit in ("次", "届", "轮") and (
             bool(_SESSION_AFTER.match(w.post)) or bool(_SESSION_BEFORE.search(w.pre))),
         "市十四届人大三次会议审议通过了规划纲要。",
         units=frozenset(("次", "届", "轮"))),
    Rule("chinese-name", "a Chinese numeral inside a name (三次产业, 两项制度) names a thing",
         lambda w: w.q.chinese and bool(_CN_NAME_AFTER.match(w.post)), "建立健全两项制度。", chinese_only=True),
    Rule("definition", "a definition or a formula (达标率=…×100%, 小型企业指…以下) states no aim", _definition,
         "小型企业指年营业收入2000万元以下的企业。"),
    Rule("small-chinese-count", "五个平台, 八个基地: small counts in words label lists the text spells out",
         lambda w: w.target_context and w.q.chinese and (w.q.value or 0) < 10
         and not w.unit.startswith(("万", "亿", "千")), "重点建设五个平台。", chinese_only=True),
    Rule("count-of-steps", "跨越两个千亿元台阶: a count of steps of a size, not an amount",
         lambda w: w.unit == "个" and bool(_STEP_AFTER.match(w.post)), "一、发展成效\n五年跨越两个千亿元台阶。",
         units=frozenset(("个",))),
    Rule("count-after-etc", "a count after 等/包括 sums up a list (清华、北大等10所高校)",
         lambda w: w.target_context and w.pre.rstrip()[-3:].endswith(("等", "等共", "包括")),
         "引进清华大学、浙江大学等10所高校。"),
    Rule("count-labels-list", "a count equal to the items listed right before it labels that list",
         lambda w: w.target_context and w.unit in _LABEL_UNITS and "、" in w.pre
         and _list_size(w.pre) == w.q.value, "发展电子信息、生物医药和新材料3大产业。",
         units=_LABEL_UNITS),
    Rule("incentive-amount", "money in an incentive (奖励30万元, 安排1亿元) or describing a project (总投资20亿元的)",
         lambda w: w.target_context and w.unit.endswith("元") and (
             bool(INCENTIVE.search(w.segment)) or w.post.startswith("的")), "对新认定的企业给予50万元奖励。"),
    Rule("subsidy-share", "a percentage that sets a subsidy (按研发投入的10%给予补助)",
         lambda w: w.target_context and w.unit == "%" and bool(SUBSIDY.search(w.segment)),
         "按企业研发投入的10%给予补助。",
         units=frozenset(("%",))),
    Rule("policy-package", "the size of a policy document (研究提出了18项培育措施, 18条经验在全国推广)",
         lambda w: w.unit in _MEASURE_COUNT_UNITS and bool(_MEASURES_AFTER.match(w.post))
         and (bool(_PROPOSED_BEFORE.search(w.pre)) or bool(_SPREAD_AFTER.match(w.post))),
         "会议研究提出了18项培育措施。",
         units=_MEASURE_COUNT_UNITS),
    Rule("headline-package", "a headline '18项措施助力…' counts a policy package, with no verb to aim at it",
         lambda w: w.unit in _MEASURE_COUNT_UNITS and not w.pre.strip() and bool(_MEASURES_RIGHT_AFTER.match(w.post)),
         "18项措施助力企业创新",
         units=_MEASURE_COUNT_UNITS),
    Rule("plan-structure", "a count of the plan's own parts (抓好5个方面工作, 实施10大工程, 出台18项措施) is its outline",
         _structure, "今年重点抓好5个方面工作。",
         units=_STRUCTURE_UNITS),
    Rule("rank-goal", "跃居全省前40位, 进入长三角20强: a rank is no value to reach (a rank reached is kept as a fact)",
         lambda w: w.verdict == "target" and (
             (w.unit in ("位", "名", "强") and bool(_RANK_BEFORE.search(w.pre))) or w.unit == "强"
             or (w.q.unit is None and bool(_RANK_BEFORE.search(w.pre)) and bool(_RANK_AFTER.match(w.post)))),
         "科技进步综合评价位次跃居全省前30位。",
         units=frozenset(("位", "名", "强", ""))),
    Rule("estimated-effect", "预计每年可增收粮食35万公斤: the estimated effect of a work, neither aim nor result",
         lambda w: ("可" in w.pre or "带动" in w.pre) and bool(_EFFECT_BEFORE.search(w.pre)),
         "工程完工后预计每年可增收粮食约20万公斤。"),
    Rule("named-package", "十件民生实事: the name of a yearly package whose items are listed elsewhere",
         lambda w: w.unit in ("件", "项", "个") and bool(_PACKAGE_AFTER.match(w.post)), "全年十件民生实事全部办结。",
         units=frozenset(("件", "项", "个"))),
    Rule("scope-before-amount", "对4个乡镇34.76万亩灌区: a count of places that says where the next figure applies",
         _places_scope, "对6个乡镇12万亩农田实施改造。",
         units=frozenset(("个",))),
    Rule("count-of-subject", "6大产业集群总规模突破三千亿: the count names the subject, the amount is the goal",
         _count_of_subject,
         "到2025年,6大产业集群总规模突破三千亿。",
         units=_LABEL_UNITS),
    Rule("duration", "3个月内, 5个工作日: a duration", lambda w: w.unit == "个" and w.post.startswith(("月", "工作日")),
         "在3个月内完成审批。",
         units=frozenset(("个",))),
    Rule("tax-rule", "按150%抵扣应纳税所得额: a tax rule, not a goal",
         lambda w: ("扣" in w.segment or "税" in w.segment) and bool(TAX.search(w.segment))
         and not w.unit.endswith("人") and not _GOAL_VERB.search(w.pre),
         "研发费用按150%抵扣应纳税所得额。"),
    Rule("scope-of-measure", "在全市5个县市区设立…: the scope of a measure, not a count to reach",
         lambda w: w.unit == "个" and bool(WHOLE_PLACE.search(w.pre)) and w.post[:1] in ("县", "区", "乡", "镇", "市"),
         "在全市5个县区设立创新服务站。",
         units=frozenset(("个",))),
    Rule("ministries", "六部委: the number of issuing ministries", lambda w: w.unit.endswith("部") and w.post.startswith("委"),
         "经国家6部委联合认定。",
         units=frozenset(("部",))),
    Rule("measure-descriptor", "300km/h高速动车组, 12英寸集成电路: a measure that describes a product", _descriptor,
         "研制300km/h高速动车组。"),
    Rule("times-an-action", "5次调高养老金标准: how often something was done, not a value of an indicator",
         lambda w: w.unit == "次" and w.post[:1] in "调提上下召开举修出降组发", "五年来5次调高城乡居民基础养老金标准。",
         units=frozenset(("次",))),
    Rule("age-descriptor", "35岁以下青年人才, 招收2—3岁幼儿: an age describes whom a measure is for (寿命 is an indicator)",
         lambda w: "寿命" not in w.pre, "加大对35岁以下青年科技人才的支持。", units=frozenset(("岁",))),
    Rule("frequency-name", "3次产业, 2次开发: a name, not a frequency",
         lambda w: w.unit == "次" and w.post.startswith(("产业", "开发", "性", "分配")), "推动3次产业融合发展。",
         units=frozenset(("次",))),
)


_FOR_UNIT: dict[tuple[str, str, bool], tuple[Rule, ...]] = {}


def hard_negative(w: Window) -> Rule | None:
    """The first rule of ``HARD_NEGATIVES`` that drops the number, or None when it may be a value."""
    key = (w.q.unit or "", w.q.unit_text or "", w.q.chinese)
    rules = _FOR_UNIT.get(key)
    if rules is None:  # the rules that can apply to such a number, in table order (looked up once per kind)
        rules = _FOR_UNIT[key] = tuple(
            r for r in HARD_NEGATIVES
            if (r.units is None or key[0] in r.units or (key[1] and key[1] in r.units)) and (key[2] or not r.chinese_only))
    for rule in rules:
        if rule.applies(w):
            return rule
    return None


def is_hard_negative(q: Quantity, pre: str, post: str, segment: str, *, target_context: bool) -> bool:
    """True when some rule of ``HARD_NEGATIVES`` drops the number (kept for callers of the old API)."""
    return hard_negative(Window(q, pre, post, segment, target_context)) is not None
