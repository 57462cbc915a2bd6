"""Unit names in responsibility lists: splitting, 牵头/配合 roles, level prefixes, deadlines.

Shared by the labelled-line reader (``duties``) and the task-table reader (``duty_tables``). Pure string
work on one list at a time; ``make_duty`` builds the ``Duty`` with its task heading and section path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from innocity.domain.divisions import load_divisions
from innocity.domain.plan import Duty, Region, Section, Span
from innocity.parsing.rx import rx
from innocity.parsing.sections import enclosing, section_path
from innocity.parsing.textfold import fold

# Labels of a responsibility list, longest first where one contains another (其他责任单位 ⊃ 责任单位).
LEAD_LABELS = (
    "主要责任单位", "主要责任部门", "牵头责任单位", "责任单位", "责任部门", "责任主体", "牵头单位",
    "牵头部门", "主责单位", "实施单位", "承办单位",
)  # fmt: skip
SUPPORT_LABELS = (
    "其他责任单位", "其余责任单位", "相关责任单位", "配合责任单位", "协同配合单位", "协同配合部门",
    "配合单位", "配合部门", "协同单位", "协同部门", "协办单位", "参与单位", "参与部门", "协作单位", "协助单位",
)  # fmt: skip
DEADLINE_LABELS = (
    "完成时限",
    "完成时间",
    "完成期限",
    "时间节点",
    "时间进度",
    "进度安排",
    "时间要求",
    "时限",
)
_PIECE_RE = rx(r"(?:[^、,;/()\s]|\([^()]*\))+")
_LEAD_MARK = rx(
    r"(?:\((?:牵头|牵头单位|主责)\)|为牵头单位|总牵头|牵头(?:负责|落实|实施|抓总|组织|推进|协调)?|总负责|负责)$"
)
_SUPPORT_MARK = rx(
    r"(?:\((?:配合|配合单位|协同|参与)\)|为配合单位|(?:协同|共同|按职责)?配合(?:实施|落实|推进|做好)?"
    r"|协同|协助|协办|参与(?:实施)?|参加)$"
)
# Shared wording carries no role of its own: the list's label (or an explicit 牵头 beside it) decides.
_SHARED = rx(r"(?:(?:按职责分工|按职能分工|按职责|按职能|分别|共同|各自)负责|按职责分工|按职责|各负其责)$")
_SINGLE_MARK = rx(r"\([^()]*\)$")
_LEADING = rx(r"^(?:由|分别由|其中|以)")
_TRAILING = rx(r"(?:等(?:有关|相关)?(?:部门|单位)?|等)$")
_IDEOGRAPH = rx(r"[\u4e00-\u9fff]")
UNIT_END = rx(
    r"(?:局|委|厅|办|院|所|会|部|中心|政府|公司|集团|银行|支行|分行|海关|协会|科协|大学|学院|处|室|站|队|社|馆|联|团|县|区|市)$"
)
_CONJ = rx(r"(?:和|及|与|以及)")
# Bodies whose name without a level prefix means "the plan's own": bureaus, commissions, offices.
_BUREAU = rx(r"(?:局|委|厅|办|委员会|办公室|科协|工商联|总工会|妇联|团委|文联|残联|侨联)$")
_NOT_BUREAU = rx(r"管委会|管理委员会|领导小组|开发区|园区|新区|工业区|高新区|集团|公司|大学|学院")
_LEVEL_START = rx(
    r"^(?:自治区|市(?!场|民(?!政|宗|族|委))|省|县|区|州|盟|旗|国家|中央|中共|共青团|团|全|各|有关|相关|驻|国务院)"
)
_PLACE_CHARS = rx(r"[省市县区州旗]")
_NOT_PLACE = rx(r"市场|城市|都市|社区|地区|园区|市政|市民")
_YM = rx(r"((?:19|20)\d\d)\s*(?:年|\.|/|-)\s*(\d{1,2})(?:\s*月)?(?!\d)")
_Y = rx(r"((?:19|20)\d\d)(?:\s*年)?(?!\d)")


@dataclass(slots=True)
class _Name:
    written: str
    role: str | None  # lead | support | None (not marked)
    group_mark: bool  # the role came from a marker that governs the names before it


# -- names and roles -------------------------------------------------------------------------------------


def split_names(original: str, folded: str) -> list[_Name]:
    """Unit names in one list, with any 牵头/配合 marker they carry; ``original`` is the same slice unfolded."""
    out: list[_Name] = []
    for m in _PIECE_RE.finditer(folded):
        piece = original[m.start() : m.end()]
        fpiece = m.group()
        for sub_o, sub_f in _split_conj(piece, fpiece):
            role: str | None = None
            group = False
            shared = _SHARED.search(sub_f)
            if shared:
                sub_o, sub_f = sub_o[: shared.start()], sub_f[: shared.start()]
            for mark, r in ((_LEAD_MARK, "lead"), (_SUPPORT_MARK, "support")):
                mm = mark.search(sub_f)
                if mm:
                    role = r
                    group = not _SINGLE_MARK.search(mm.group())
                    sub_o, sub_f = sub_o[: mm.start()], sub_f[: mm.start()]
                    break
            sub_o = _TRAILING.sub("", _LEADING.sub("", sub_o.strip()))
            if len(sub_o) < 2 or not _IDEOGRAPH.search(sub_o):
                if role and out:  # a marker standing alone ("…科技局,配合") governs what came before
                    out.append(_Name("", role, True))
                continue
            out.append(_Name(sub_o, role, group))
    return _collectives(out)


# 各区、县级市 and 各县(市、区) name one collective body (every district and county-level city), not two.
_EACH_LEVEL = rx(r"^各(?:有关)?(?:区|县|市|镇|乡|乡镇|街道|县区)$")
_BARE_LEVEL = rx(r"^(?:县级市|县|区|市|镇|乡|乡镇|街道|开发区|功能区)$")


def _collectives(names: list[_Name]) -> list[_Name]:
    out: list[_Name] = []
    for n in names:
        prev = out[-1] if out else None
        if (prev is not None and prev.role is None and _BARE_LEVEL.match(n.written)
                and (_EACH_LEVEL.match(prev.written) or _EACH_LEVEL.match(prev.written.split("、")[0]))):
            out[-1] = _Name(f"{prev.written}、{n.written}", n.role, n.group_mark)
            continue
        out.append(n)
    return out


def _split_conj(piece: str, fpiece: str) -> list[tuple[str, str]]:
    """Split at 和/及/与 only where the part before is a whole unit (市科技局和市财政局, not 住房和城乡建设局)."""
    parts: list[tuple[str, str]] = []
    last = 0
    for m in _CONJ.finditer(fpiece):
        before = fpiece[last : m.start()]
        if len(before) >= 2 and UNIT_END.search(before) and len(fpiece) - m.end() >= 2:
            parts.append((piece[last : m.start()], before))
            last = m.end()
    parts.append((piece[last:], fpiece[last:]))
    return parts


def assign_roles(names: list[_Name], default: str) -> tuple[list[str], list[str]]:
    """Assign lead/support: a marker after a list governs the unmarked names before it (市发改委、科技局配合)."""
    resolved: list[tuple[str, str | None]] = []
    pending: list[str] = []
    for n in names:
        if n.role is None:
            pending.append(n.written)
            continue
        if n.group_mark:
            resolved += [(p, n.role) for p in pending]
            pending = []
            if n.written:
                resolved.append((n.written, n.role))
        else:
            resolved += [(p, None) for p in pending]
            pending = []
            resolved.append((n.written, n.role))
    resolved += [(p, None) for p in pending]
    marked = {r for _, r in resolved if r}
    # unmarked names: the label's role, unless a lead was marked explicitly (then the rest support it)
    fallback = "support" if marked == {"lead"} and default == "lead" else default
    lead = [w for w, r in resolved if (r or fallback) == "lead"]
    support = [w for w, r in resolved if (r or fallback) == "support"]
    return lead, support


def _plan_prefix(region: Region) -> str | None:
    if region.level == "province":
        return "自治区" if (region.name or region.province or "").endswith("自治区") else "省"
    if region.level == "city":
        return "市"
    if region.level == "county" and region.name:
        return region.name[-1] if region.name[-1] in "县区市旗" else None
    return None


def normalise_units(
    names: list[str], region: Region, carry: str | None = None
) -> tuple[list[str], str | None]:
    """Restore the level prefix bureaus drop in lists: 科技局 → 市科技局 in a city's plan.

    The prefix of the previous name in the same list carries over (市发改委、科技局 → 市科技局); bodies that
    are not bureaus (管委会, 唐海县, 各县区政府) and names that already hold a place stay as written.
    Returns the names and the prefix to carry into the next list of the same duty.
    """
    plan = _plan_prefix(region)
    out: list[str] = []
    for n in names:
        lm = _LEVEL_START.match(n)
        if lm:
            if lm.group() in ("市", "省", "县", "区", "自治区", "州", "旗", "盟"):
                carry = lm.group()
            out.append(n)
            continue
        if (
            not _BUREAU.search(n)
            or _NOT_BUREAU.search(n)
            or _PLACE_CHARS.search(_NOT_PLACE.sub("", n))
            or _starts_with_place(n)
        ):
            out.append(n)
            continue
        if n.endswith("厅"):  # departments (厅) exist only at provincial level
            prefix: str | None = "自治区" if plan == "自治区" else "省"
        else:
            prefix = carry or plan
        out.append(prefix + n if prefix else n)
    return out, carry


def make_duty(
    text: str,
    span: Span,
    outline: list[Section],
    region: Region,
    task: str | None,
    lead_w: list[str],
    support_w: list[str],
    deadline: str | None,
    *,
    rule: str = "labelled-line",
    confidence: float = 0.95,
) -> Duty:
    """A ``Duty`` for ``text[span]`` with names normalised for the plan's level, its task (the enclosing
    heading unless given), section path, the reading ``rule`` that found it and how sure that rule is."""
    lead, carry = normalise_units(lead_w, region)
    support, _ = normalise_units(support_w, region, carry)
    if task is None:
        chain = enclosing(outline, span[0])
        task = chain[-1].title if chain else None
    return Duty(
        text=text[span[0] : span[1]],
        span=span,
        task=task,
        lead=_dedupe(lead),
        support=_dedupe(support),
        section=section_path(outline, span[0]),
        lead_as_written=_dedupe(lead_w),
        support_as_written=_dedupe(support_w),
        deadline=deadline,
        confidence=confidence,
        rule=rule,
    )


def _dedupe(xs: list[str]) -> list[str]:
    return list(dict.fromkeys(xs))


def parse_deadline(cell: str) -> str | None:
    """YYYY-MM or YYYY from a deadline as written (2015年6月底前 → 2015-06; 2016—2018年 → 2018); masked → None."""
    f = fold(cell)
    yms = list(_YM.finditer(f))
    ys = list(_Y.finditer(f))
    if yms and (not ys or yms[-1].start() >= ys[-1].start()):
        y, mo = yms[-1].group(1), int(yms[-1].group(2))
        if 1 <= mo <= 12:
            return f"{y}-{mo:02d}"
    if ys:
        return ys[-1].group(1)
    return None


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    names: set[str] = set()
    for d in load_divisions():
        names.add(d.name)
        if d.level in ("province", "city") and len(sh := d.short) >= 2:  # d.short is computed on each access
            names.add(sh)
    return frozenset(names)


def _starts_with_place(name: str) -> bool:
    """江西银保监局, 南昌海关: a body named after a place is not the plan's own bureau."""
    places = _place_names()
    return any(name[:k] in places for k in range(2, min(len(name), 10)))
