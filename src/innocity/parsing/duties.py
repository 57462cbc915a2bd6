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
from dataclasses import dataclass

from innocity.domain.plan import Duty, Region, Section, Span
from innocity.parsing.sections import enclosing, section_path
from innocity.parsing.textfold import fold

_LEAD_LABELS = ("主要责任单位", "主要责任部门", "责任单位", "责任部门", "牵头单位", "牵头部门", "主责单位",
                "实施单位", "承办单位")  # fmt: skip
_SUPPORT_LABELS = ("配合单位", "配合部门", "协同单位", "协同部门", "协办单位", "参与单位", "参与部门",
                   "协作单位", "协助单位")  # fmt: skip
_DEADLINE_LABELS = (
    "完成时限",
    "完成时间",
    "完成期限",
    "时间节点",
    "时间进度",
    "进度安排",
    "时间要求",
    "时限",
)
_LABEL_RE = re.compile(
    "(" + "|".join(sorted(_LEAD_LABELS + _SUPPORT_LABELS, key=len, reverse=True)) + r")\s*:\s*"
)
_DEADLINE_RE = re.compile(
    "(?:" + "|".join(sorted(_DEADLINE_LABELS, key=len, reverse=True)) + r")\s*:\s*([^;。\n)]*)"
)
# One unit name: anything up to a separator, keeping bracketed parts (各县(市)区政府) whole.
_PIECE_RE = re.compile(r"(?:[^、,;/()\s]|\([^()]*\))+")
_LEAD_MARK = re.compile(
    r"(?:\((?:牵头|牵头单位|主责)\)|为牵头单位|牵头负责|牵头落实|牵头实施|总牵头|牵头|总负责|负责)$"
)
_SUPPORT_MARK = re.compile(
    r"(?:\((?:配合|配合单位|协同|参与)\)|为配合单位|协同配合|共同配合|配合实施|配合落实|配合|协同|协助|协办|参与|参加)$"
)
_SINGLE_MARK = re.compile(r"\([^()]*\)$")
_LEADING = re.compile(r"^(?:由|分别由|其中|以)")
_TRAILING = re.compile(r"(?:等(?:有关|相关)?(?:部门|单位)?|等)$")
_UNIT_END = re.compile(
    r"(?:局|委|厅|办|院|所|会|部|中心|政府|公司|集团|银行|协会|大学|学院|处|室|站|队|社|馆|联|团|县|区|市)$"
)
_CONJ = re.compile(r"(?:和|及|与|以及)")
# Bodies whose name without a level prefix means "the plan's own": bureaus, commissions, offices.
_BUREAU = re.compile(r"(?:局|委|厅|办|委员会|办公室|科协|工商联|总工会|妇联|团委|文联|残联|侨联)$")
_NOT_BUREAU = re.compile(r"管委会|管理委员会|领导小组|开发区|园区|新区|工业区|高新区|集团|公司|大学|学院")
_LEVEL_START = re.compile(
    r"^(?:自治区|市|省|县|区|州|盟|旗|国家|中央|中共|共青团|团|全|各|有关|相关|驻|国务院)"
)
_PLACE_CHARS = re.compile(r"[省市县区州旗]")
_NOT_PLACE = re.compile(r"市场|城市|都市|社区|地区|园区|市政|市民")

_TASK_HEAD = ("任务", "工作内容", "重点任务", "工作任务", "具体任务", "任务名称", "主要内容", "主要任务", "项目名称",
              "工作事项", "事项", "内容", "目标任务", "重点工作", "工作措施", "主要措施", "措施", "项目", "任务分解")  # fmt: skip
_SEQ_HEAD = ("序号", "编号")
_CELL_SPLIT = re.compile(r"\t|\s*\|\s*|\s{2,}")
_YM = re.compile(r"((?:19|20)\d\d)\s*(?:年|\.|/|-)\s*(\d{1,2})(?:\s*月)?(?!\d)")
_Y = re.compile(r"((?:19|20)\d\d)(?:\s*年)?(?!\d)")


@dataclass(slots=True)
class _Name:
    written: str
    role: str | None  # lead | support | None (not marked)
    group_mark: bool  # the role came from a marker that governs the names before it


def extract_duties(text: str, span: Span, outline: list[Section], region: Region) -> list[Duty]:
    """Every responsibility line and task-table row in ``text[span[0]:span[1]]``, in document order."""
    start, end = span
    folded = fold(text[start:end])
    duties = _label_lines(text, folded, start, outline, region)
    duties += _tables(text, folded, start, outline, region)
    duties.sort(key=lambda d: d.span)
    return duties


# -- labelled lines -----------------------------------------------------------------------------------


def _label_lines(text: str, folded: str, offset: int, outline: list[Section], region: Region) -> list[Duty]:
    out: list[Duty] = []
    pos = 0
    while True:
        m = _LABEL_RE.search(folded, pos)
        if m is None:
            return out
        line_end = folded.find("\n", m.end())
        line_end = len(folded) if line_end < 0 else line_end
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
            default = "support" if label in _SUPPORT_LABELS else "lead"
            lw, sw = _roles(_split_names(text[offset + a : offset + a + len(content)], content), default)
            lead_w += lw
            support_w += sw
        rest = folded[m.end() : line_end]
        dlm = _DEADLINE_RE.search(rest)
        deadline = parse_deadline(dlm.group(1)) if dlm else None
        q_end = stop
        while q_end > m.start() and folded[q_end - 1] in " ,;。:、\t":
            q_end -= 1
        if lead_w or support_w:
            qs, qe = offset + m.start(), offset + q_end
            out.append(_duty(text, (qs, qe), outline, region, None, lead_w, support_w, deadline))
        pos = max(stop, m.end())


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


# -- names and roles -------------------------------------------------------------------------------------


def _split_names(original: str, folded: str) -> list[_Name]:
    """Unit names in one list, with any 牵头/配合 marker they carry; ``original`` is the same slice unfolded."""
    out: list[_Name] = []
    for m in _PIECE_RE.finditer(folded):
        piece = original[m.start() : m.end()]
        fpiece = m.group()
        for sub_o, sub_f in _split_conj(piece, fpiece):
            role: str | None = None
            group = False
            for mark, r in ((_LEAD_MARK, "lead"), (_SUPPORT_MARK, "support")):
                mm = mark.search(sub_f)
                if mm:
                    role = r
                    group = not _SINGLE_MARK.search(mm.group())
                    sub_o, sub_f = sub_o[: mm.start()], sub_f[: mm.start()]
                    break
            sub_o = _TRAILING.sub("", _LEADING.sub("", sub_o.strip()))
            if len(sub_o) < 2 or not re.search(r"[\u4e00-\u9fff]", sub_o):
                if role and out:  # a marker standing alone ("…科技局,配合") governs what came before
                    out.append(_Name("", role, True))
                continue
            out.append(_Name(sub_o, role, group))
    return out


def _split_conj(piece: str, fpiece: str) -> list[tuple[str, str]]:
    """Split at 和/及/与 only where the part before is a whole unit (市科技局和市财政局, not 住房和城乡建设局)."""
    parts: list[tuple[str, str]] = []
    last = 0
    for m in _CONJ.finditer(fpiece):
        before = fpiece[last : m.start()]
        if len(before) >= 2 and _UNIT_END.search(before) and len(fpiece) - m.end() >= 2:
            parts.append((piece[last : m.start()], before))
            last = m.end()
    parts.append((piece[last:], fpiece[last:]))
    return parts


def _roles(names: list[_Name], default: str) -> tuple[list[str], list[str]]:
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
        if not _BUREAU.search(n) or _NOT_BUREAU.search(n) or _PLACE_CHARS.search(_NOT_PLACE.sub("", n)):
            out.append(n)
            continue
        if n.endswith("厅"):  # departments (厅) exist only at provincial level
            prefix: str | None = "自治区" if plan == "自治区" else "省"
        else:
            prefix = carry or plan
        out.append(prefix + n if prefix else n)
    return out, carry


def _duty(
    text: str,
    span: Span,
    outline: list[Section],
    region: Region,
    task: str | None,
    lead_w: list[str],
    support_w: list[str],
    deadline: str | None,
) -> Duty:
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


# -- task tables flattened to text ------------------------------------------------------------------------


def _column_kind(cell: str) -> str:
    c = cell.replace(" ", "")
    if c in _SEQ_HEAD:
        return "seq"
    if any(c.startswith(h) or c == h for h in _SUPPORT_LABELS) or c in ("配合", "协同", "协办", "参与"):
        return "support"
    if any(c.startswith(h) for h in _LEAD_LABELS) or c in ("牵头", "责任", "主责"):
        return "lead"
    if any(h in c for h in _DEADLINE_LABELS) or c in ("时间", "期限"):
        return "deadline"
    if any(h in c for h in _TASK_HEAD):
        return "task"
    return "other"


def _cells(line: str, sep: str) -> list[tuple[int, int]]:
    """(start, end) of each cell in ``line``, empty cells kept for tab and bar separators."""
    out: list[tuple[int, int]] = []
    if sep == "\t":
        pat = re.compile(r"[^\t]*")
    elif sep == "|":
        pat = re.compile(r"[^|]*")
    else:
        pat = re.compile(r"\S(?:\S| (?! ))*")
    for m in pat.finditer(line):
        if sep in ("\t", "|") and m.start() > 0 and line[m.start() - 1] not in "\t|":
            continue  # finditer's empty match right after a cell
        a, b = m.start(), m.end()
        while a < b and line[a] == " ":
            a += 1
        while b > a and line[b - 1] == " ":
            b -= 1
        out.append((a, b))
    if sep == "|":  # a leading or trailing bar frames the row
        if out and out[0][0] == out[0][1] and line.lstrip().startswith("|"):
            out = out[1:]
        if out and out[-1][0] == out[-1][1] and line.rstrip().endswith("|"):
            out = out[:-1]
    return out


def _separator(line: str) -> str | None:
    if "\t" in line:
        return "\t"
    if line.count("|") >= 2:
        return "|"
    if re.search(r"\S {2,}\S", line):
        return " "
    return None


_HEADER_HINT = re.compile("牵头|责任单位|责任部门|主责")


def _tables(text: str, folded: str, offset: int, outline: list[Section], region: Region) -> list[Duty]:
    out: list[Duty] = []
    for hm in _HEADER_HINT.finditer(folded):
        ls = folded.rfind("\n", 0, hm.start()) + 1
        le = folded.find("\n", hm.start())
        le = len(folded) if le < 0 else le
        header = folded[ls:le]
        if ":" in header or any(d.span[0] - offset >= ls and d.span[0] - offset < le for d in out):
            continue
        sep = _separator(header)
        if sep is None:
            continue
        kinds = [_column_kind(header[a:b]) for a, b in _cells(header, sep)]
        if "lead" not in kinds or len(kinds) < 2 or not ({"task", "support", "deadline"} & set(kinds)):
            continue
        out += _table_rows(text, folded, offset, le + 1, sep, kinds, outline, region)
    return out


def _table_rows(
    text: str,
    folded: str,
    offset: int,
    pos: int,
    sep: str,
    kinds: list[str],
    outline: list[Section],
    region: Region,
) -> list[Duty]:
    out: list[Duty] = []
    n = len(folded)
    while pos < n:
        le = folded.find("\n", pos)
        le = n if le < 0 else le
        line = folded[pos:le]
        if not line.strip():
            pos = le + 1
            continue
        cells = _cells(line, sep) if _separator(line) == sep or (sep == "\t" and "\t" in line) else []
        if len(cells) < 2:
            break
        cols = _align(line, cells, kinds)
        lead_cell = cols.get("lead")
        if lead_cell:
            ca, cb = lead_cell
            lw, sw = _roles(_split_names(text[offset + pos + ca : offset + pos + cb], line[ca:cb]), "lead")
            if "support" in cols:
                sa, sb = cols["support"]
                s_l, s_s = _roles(
                    _split_names(text[offset + pos + sa : offset + pos + sb], line[sa:sb]), "support"
                )
                lw, sw = lw + s_l, sw + s_s
            task = None
            if "task" in cols:
                ta, tb = cols["task"]
                task = (
                    re.sub(
                        r"^\s*(?:\d+[.、．]?|[一二三四五六七八九十]+、)\s*",
                        "",
                        text[offset + pos + ta : offset + pos + tb],
                    )
                    or None
                )
            deadline = None
            if "deadline" in cols:
                da, db = cols["deadline"]
                deadline = parse_deadline(line[da:db])
            a = len(line) - len(line.lstrip())
            b = len(line.rstrip())
            if lw or sw:
                out.append(
                    _duty(text, (offset + pos + a, offset + pos + b), outline, region, task, lw, sw, deadline)
                )
        pos = le + 1
    return out


def _align(line: str, cells: list[tuple[int, int]], kinds: list[str]) -> dict[str, tuple[int, int]]:
    """Map a row's cells to header columns; a short row (merged or empty cells lost in the spaces)
    keeps its first cells in order and puts a date-like last cell under the deadline column."""
    cols: dict[str, tuple[int, int]] = {}
    if len(cells) >= len(kinds):
        pairs = list(zip(kinds, cells, strict=False))
    else:
        pairs = []
        cells_left = list(cells)
        if "deadline" in kinds and cells_left and parse_deadline(line[cells_left[-1][0] : cells_left[-1][1]]):
            pairs.append(("deadline", cells_left.pop()))
        rest = (
            [k for k in kinds if k not in ("deadline", "seq")] if pairs else [k for k in kinds if k != "seq"]
        )
        if (
            kinds[0] == "seq"
            and cells_left
            and re.fullmatch(r"\d+", line[cells_left[0][0] : cells_left[0][1]])
        ):
            cells_left.pop(0)
        pairs += list(zip(rest, cells_left, strict=False))
    for k, c in pairs:
        if k not in cols and c[1] > c[0]:
            cols[k] = c
    return cols
