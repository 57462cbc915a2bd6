"""Responsibilities written in running prose, without a 责任单位 label: an ordered table of named shapes.

    prose-lead-support        由市科技局牵头,市发改委、市财政局配合      → lead 市科技局; support the two
    prose-responsible-then    市工信局负责,各县区落实                     → lead 市工信局; support 各县区
    prose-responsible-for     市人才工作领导小组负责全市…的统筹协调       → lead the group (task: the rest)

A unit is a name that ends like a body (局, 委, 厅, 办, 政府, 管委会, 中心 …, see ``UNIT``) or a collective
(各县区, 各县(市、区)人民政府, 各有关部门); a list joins units with 、/和/及. Every unit of a list before
牵头/负责 leads, every unit of a list before 配合/参与/落实 supports. Bracketed lists and labelled lines are
read by ``duties``; a prose match that overlaps one of those is left to it. The reading is on folded text
and only sentences that hold 牵头 or 负责 are looked at, so the cost follows the number of such sentences.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from innocity.domain.plan import Duty, Region, Section, Span
from innocity.parsing.duty_units import make_duty
from innocity.parsing.rx import rx
from innocity.parsing.textfold import fold

_BODY_END = (r"(?:人民政府|政府|管委会|管理委员会|委员会|领导小组|办公室|局|委|厅|办|中心|公司|集团|协会|联合会|科协|支行|分行|"
             r"工商联|总工会|妇联|团委|银行|海关|法院|检察院|研究院|大学|部)")
# One unit: a level prefix (市, 省 …) or a collective (各县区), then at most 14 ideographs ending like a body.
_COLLECTIVE = (r"各(?:有关)?(?:县\(市、区\)|县\(市\)、区|县市区|区县市|县\(区\)|县区|区县|乡镇|街道|部门|单位|县|区|市|镇|乡)"
               r"(?:人民政府|政府|党委)?")
# Name characters: ideographs and letters, but not the particles that join a name to the sentence around it.
_NAME_CHAR = r"(?:(?![由的为在对将把以和与及是要等并从向即则均还也须需应可])[\u4e00-\u9fffA-Za-z])"
# A name ends where the sentence goes on: at a list separator, punctuation or the word that gives its role.
_NAME_STOP = r"(?=[、和及与,;。:\s(]|共同|牵头|配合|负责|参与|协同|协助|落实|实施|按|等|具体|全面|统一|抓好|组织|$)"
UNIT = rf"(?:{_COLLECTIVE}|(?:市|省|县|区|自治区|州)?{_NAME_CHAR}{{1,14}}?{_BODY_END}){_NAME_STOP}"
_LIST = rf"{UNIT}(?:[、和及与]{UNIT}){{0,12}}"
_SPLIT = rx(rf"(?:^|(?<=[、和及与]))({UNIT})")


@dataclass(frozen=True, slots=True)
class ProseShape:
    """A named sentence shape that says who leads and who supports."""

    name: str
    reason: str
    pattern: re.Pattern[str]
    confidence: float
    example: str
    word: str  # the role word the sentence must hold (checked before the pattern runs)


SHAPES: tuple[ProseShape, ...] = (
    ProseShape(
        "prose-lead-support", "由X牵头,Y配合: the units before 牵头 lead, those before 配合/参与/协同 support",
        rx(rf"(?:由)?(?P<lead>{_LIST})(?:共同)?(?:牵头负责|负责牵头|总牵头|牵头)(?:实施|推进|落实|组织)?[,、;]?"
                   rf"(?:(?P<sup>{_LIST})(?:等(?:部门|单位))?(?:按职责分工|按职责)?(?:协同配合|共同配合|配合|参与|协同|协助)?)?"),
        0.8, "由市科技局牵头,市发改委、市财政局配合,加快建设创新平台。", "牵头"),
    ProseShape(
        "prose-responsible-then", "X负责,Y落实: the unit that answers for the task leads, those that carry it out support",
        rx(rf"(?P<lead>{_LIST})(?:具体)?负责[,;]?(?P<sup>{_LIST})(?:具体|抓好|组织)?(?:落实|实施|执行|配合)"),
        0.75, "市工信局负责,各县区落实。", "负责"),
    ProseShape(
        "prose-responsible-for", "X负责Y: a named body that answers for a task (领导小组负责…统筹协调) leads it",
        rx(rf"(?:^|(?<=[。;:,\n]))(?:由)?(?P<lead>{_LIST})(?:具体|全面|统一)?负责(?!人|同志)(?P<task>[^,;。\n(]{{4,40}})"),
        0.6, "市人才工作领导小组负责全市人才工作的统筹协调。", "负责"),
)
_HINT = rx("牵头|负责")


def prose_duties(text: str, span: Span, outline: list[Section], region: Region,
                 taken: list[Span]) -> list[Duty]:
    """Duties stated in sentences of ``text[span]``; sentences overlapping a span in ``taken`` (duties read
    from labels, brackets or tables) are skipped."""
    start, end = span
    out: list[Duty] = []
    done = start
    spans = sorted(taken)
    ends = [y for _, y in spans]
    for hm in _HINT.finditer(text, start, end):
        if hm.start() < done:
            continue
        a, b = _sentence(text, hm.start(), start, end)
        done = b
        k = bisect_right(ends, a)  # the first taken span that ends after the sentence starts
        if k < len(spans) and spans[k][0] < b:
            continue
        f = fold(text[a:b])
        for shape in SHAPES:
            if shape.word not in f:
                continue
            m = shape.pattern.search(f)
            if m is None or not m.group("lead"):
                continue
            lead = _units(text[a + m.start("lead"): a + m.end("lead")], m.group("lead"))
            sup_group = m.groupdict().get("sup")
            support = (_units(text[a + m.start("sup"): a + m.end("sup")], sup_group)
                       if sup_group else [])
            if not lead:
                continue
            s, e = a + m.start(), a + m.end()
            while e > s and text[e - 1] in " ,，;；、":
                e -= 1
            task = m.groupdict().get("task")
            out.append(make_duty(text, (s, e), outline, region, task.strip() if task else None, lead, support,
                                 None, rule=shape.name, confidence=shape.confidence))
            break
    return out


def _units(original: str, folded: str) -> list[str]:
    return [original[m.start(1): m.end(1)] for m in _SPLIT.finditer(folded)]


_STOPS = "。;；\n!！?？"
_NEXT_STOP = rx(r"[。;；\n!！?？]")
_REACH = 300  # a sentence is never longer: a page without stops stays linear


def _sentence(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence around ``pos``."""
    lo2 = max(lo, pos - _REACH)
    a = max(text.rfind(c, lo2, pos) for c in _STOPS) + 1  # rfind per stop: no backtracking regex
    a = a if a > 0 else lo2
    n = _NEXT_STOP.search(text, pos, min(hi, pos + _REACH))
    return a, n.start() if n else min(hi, pos + _REACH)
