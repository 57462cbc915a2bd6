"""Who is responsible for what: 责任单位/牵头单位/配合单位 lines and task tables flattened to text.

Owns ``extract_duties``. A labelled line ("责任单位:市工信局牵头,市发改委、科技局配合", "牵头单位:…;配合单位:…",
"(责任单位:市科技局、市财政局)") becomes one ``Duty`` attached to the heading of the task it sits under; a
task table (header row 任务 | 牵头单位 | 配合单位 | 完成时限, cells separated by tabs, ``|`` or two or more
spaces, as DOCX/Excel readers write them) becomes one ``Duty`` per row. Unit names are kept as written and
normalised for the kind of plan (科技局 → 市科技局 in a city's plan, 科技厅 → 省科技厅), never for things that
are not bureaus (曹妃甸工业区管委会, 唐海县, 各县区政府). Matching runs on ``fold(text)``; quotes are cut from
the original text.
"""

from __future__ import annotations

import re

from innocity.domain.plan import Duty, Region, Section, Span
from innocity.parsing.duty_prose import prose_duties
from innocity.parsing.duty_stacked import stacked_table_duties
from innocity.parsing.duty_tables import extract_table_duties
from innocity.parsing.duty_units import (
    DEADLINE_LABELS,
    LEAD_LABELS,
    SUPPORT_LABELS,
    UNIT_END,
    assign_roles,
    make_duty,
    normalise_units,
    parse_deadline,
    split_names,
)
from innocity.parsing.rx import rx
from innocity.parsing.textfold import fold

__all__ = ["extract_duties", "normalise_units", "parse_deadline"]

_LABELS = "|".join(sorted(LEAD_LABELS + SUPPORT_LABELS, key=len, reverse=True))
_LABEL_RE = rx(f"({_LABELS})" + r"(?:\s*:\s*|[】\]]\s*)")
# The same on unfolded text (full-width colon, 【责任单位】 brackets): finds the few lines worth folding.
_LABEL_RAW = rx(f"(?:{_LABELS})" + r"(?:\s*[:：]|[】\]］])")
_MAX_LIST = 400
_NEXT_LINE = rx(r"\s*\n\s*[^\n]{1,400}")
_PLAIN_LABELS = frozenset({"责任单位", "责任部门", "责任主体"})
_LEAD_ONLY_LABELS = frozenset({"牵头单位", "牵头部门", "牵头责任单位", "主要责任单位", "主要责任部门"})
# (市发改委牵头,市财政局、市科技局配合): an unlabelled list in brackets, recognised by its markers and
# accepted only when every item is a body (ends in 局/委/厅/政府/管委会 …).
# "(省科技厅、省发展改革委按职责分工负责)", "(各县(市、区)人民政府负责)": a list that ends in 负责 names the
# bodies that answer for the task, all of them leads. One level of nested brackets is allowed (县(市、区)).
_NEST = r"(?:[^()（）:：\n]|[(（][^()（）:：\n]{1,12}[)）])"
_BARE_RAW = rx(
    rf"[(（]({_NEST}{{2,150}}?(?:(?:牵头|配合|协同|参与){_NEST}{{0,60}}?|负责))[)）]"
)
_ALL_LEAD = rx(r"(?:按职责分工|按职能分工|按职责|分别|共同|各自)?负责$")
# "列第一位的为牵头单位": the first unit of each list leads and the others support (often said once, up front).
_FIRST_LEADS = rx(
    r"(?:列|排|排名|排在|列在)(?:第一位|首位|第一个|第一)(?:的|者)?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)?"
    r"(?:[,，;；、]?(?:其他|其余|其它)(?:单位|部门)?(?:为|是)?(?:配合|协同|参与)(?:单位|部门)?)?"
)
_DEADLINE_RE = rx(
    "(?:" + "|".join(sorted(DEADLINE_LABELS, key=len, reverse=True)) + r")\s*:\s*([^;。\n)]*)"
)


def extract_duties(text: str, span: Span, outline: list[Section], region: Region) -> list[Duty]:
    """Every responsibility line and task-table row in ``text[span[0]:span[1]]``, in document order.

    Only lines that hold a label are folded and read, so the cost follows the number of duties, not
    the length of the plan.
    """
    start, end = span
    out: list[Duty] = []
    note = _FIRST_LEADS.search(text, start, end)
    first_leads = note.start() if note else None
    done = start  # end of the last line read: a line with several labels is read once
    for m in _LABEL_RAW.finditer(text, start, end):
        if m.start() < done:
            continue
        ls = max(text.rfind("\n", start, m.start()) + 1, start)
        le = text.find("\n", m.end(), end)
        le = end if le < 0 else le
        if not text[m.end() : le].strip():  # "责任单位:" alone, its list on the next line (DOCX cells)
            nxt = _NEXT_LINE.match(text, le, end)
            if nxt and _looks_like_units(nxt.group()):
                le = nxt.end()
        done = le
        first = first_leads is not None and first_leads < le
        _label_lines(text, fold(text[ls:le]), ls, outline, region, out, first)
    out += _bare_lists(text, start, end, outline, region)
    out += extract_table_duties(text, span, outline, region)
    out += stacked_table_duties(text, span, outline, region, [d.span for d in out])
    out += prose_duties(text, span, outline, region, [d.span for d in out])
    out.sort(key=lambda d: d.span)
    return out


def _bare_lists(text: str, start: int, end: int, outline: list[Section], region: Region) -> list[Duty]:
    out: list[Duty] = []
    for m in _BARE_RAW.finditer(text, start, end):
        a, b = m.span(1)
        names = split_names(text[a:b], fold(text[a:b]))
        written = [n.written for n in names if n.written]
        all_lead = _ALL_LEAD.search(text, a, b) is not None
        if not written or not all(_is_body(w) for w in written) or not (all_lead or any(n.role for n in names)):
            continue
        lead, support = assign_roles(names, "lead")
        if lead:
            out.append(make_duty(text, (a, b), outline, region, None, lead, support, None,
                                 rule="bracketed-list", confidence=0.85))
    return out


def _looks_like_units(line: str) -> bool:
    first = re.split(r"[、,，;；\s]+", line.strip(), maxsplit=1)[0]
    first = re.sub(r"(?:牵头|配合|负责)$", "", first)
    return bool(first) and first[0] not in "(（0123456789一二三四五六七八九十第" and _is_body(first)


def _is_body(name: str) -> bool:
    return bool(UNIT_END.search(name)) or name.endswith(("部门", "单位")) or name.startswith(("各", "有关"))


# -- labelled lines -----------------------------------------------------------------------------------


def _label_lines(
    text: str,
    folded: str,
    offset: int,
    outline: list[Section],
    region: Region,
    out: list[Duty],
    first_leads: bool = False,
) -> None:
    """Read the labelled duties in one folded line (``folded`` is ``text[offset:…]`` folded) into ``out``."""
    pos = 0
    while True:
        m = _LABEL_RE.search(folded, pos)
        if m is None:
            return
        line_end = folded.find("\n", m.end())
        # a responsibility list is short; the cap keeps a page with no line breaks linear
        line_end = min(len(folded) if line_end < 0 else line_end, m.end() + _MAX_LIST)
        if not folded[m.end() : line_end].strip():
            nxt = _NEXT_LINE.match(folded, line_end)
            if nxt:
                line_end = nxt.end()
        in_paren = m.start() > 0 and folded[m.start() - 1] == "("
        stop = (
            _close_paren(folded, m.end(), line_end) if in_paren else _sentence_end(folded, m.end(), line_end)
        )
        segments: list[tuple[str, int, int]] = []  # (label, content start, content end)
        seg_re_pos = m.start()
        while True:
            lm = _LABEL_RE.search(folded, seg_re_pos, stop)
            if lm is None:
                break
            if segments:
                segments[-1] = (segments[-1][0], segments[-1][1], lm.start())
            segments.append((lm.group(1), lm.end(), stop))
            seg_re_pos = lm.end()
        lead_w: list[str] = []
        support_w: list[str] = []
        for label, a, b in segments:
            content = folded[a:b]
            dl = _DEADLINE_RE.search(content)
            if dl:
                content = content[: dl.start()]
            original = text[offset + a : offset + a + len(content)]
            local = _FIRST_LEADS.search(content)
            if local:  # blank the note out in both copies so offsets stay aligned
                blank = " " * (local.end() - local.start())
                content = content[: local.start()] + blank + content[local.end() :]
                original = original[: local.start()] + blank + original[local.end() :]
            names = split_names(original, content)
            default = "support" if label in SUPPORT_LABELS else "lead"
            if label in _PLAIN_LABELS and any(lab in _LEAD_ONLY_LABELS for lab, _, _ in segments):
                default = "support"  # 牵头单位:X;责任单位:Y — Y takes part under X's lead
            lw, sw = assign_roles(names, default)
            if (
                (first_leads or local)
                and default == "lead"
                and not sw
                and len(lw) > 1
                and not any(n.role for n in names)
            ):
                lw, sw = lw[:1], lw[1:]
            lead_w += lw
            support_w += sw
        rest = folded[m.end() : min(line_end, stop + 40)]
        dlm = _DEADLINE_RE.search(rest)
        deadline = parse_deadline(dlm.group(1)) if dlm else None
        q_end = stop
        while q_end > m.start() and folded[q_end - 1] in " ,;。:、\t":
            q_end -= 1
        if lead_w or support_w:
            qs, qe = offset + m.start(), offset + q_end
            prev = out[-1] if out else None
            if (prev is not None and lead_w and not support_w and len(segments) == 1
                    and segments[0][0] in _PLAIN_LABELS and not prev.support
                    and fold(prev.text).startswith(tuple(_LEAD_ONLY_LABELS)) and _adjacent_line(text, prev.span[1], qs)):
                # "牵头单位:X" on one line and "责任单位:Y" on the next: Y takes part under X's lead
                lead_w, support_w = [], lead_w
            if prev is not None and not lead_w and _adjacent_line(text, prev.span[1], qs):
                # 牵头单位:… on one line and 配合单位:… on the next are one duty
                merged = (prev.lead_as_written, prev.support_as_written + support_w)
                deadline = prev.deadline or deadline
                out[-1] = make_duty(text, (prev.span[0], qe), outline, region, None, *merged, deadline)
            else:
                out.append(make_duty(text, (qs, qe), outline, region, None, lead_w, support_w, deadline))
        pos = max(stop, m.end())


def _adjacent_line(text: str, prev_end: int, start: int) -> bool:
    """True when only a line break (or one blank line, as web pages print paragraphs) separates them."""
    gap = text[prev_end:start]
    return 1 <= gap.count("\n") <= 2 and not gap.strip(" \t\r\n\u3000;；。")


def _close_paren(folded: str, a: int, line_end: int) -> int:
    depth = 0
    for i in range(a, line_end):  # bounded by one line
        ch = folded[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return i
            depth -= 1
    return line_end


def _sentence_end(folded: str, a: int, line_end: int) -> int:
    stop = folded.find("。", a, line_end)
    return line_end if stop < 0 else stop
