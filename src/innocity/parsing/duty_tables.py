"""Task tables flattened to text: a header row (任务 | 牵头单位 | 配合单位 | 完成时限) and one duty per row.

DOCX and Excel readers write table rows as lines whose cells are separated by tabs, ``|`` or runs of two
or more spaces; this module recognises the header by its column names and maps each row's cells to them.
Lines are folded one at a time, so only tables pay for folding.
"""

from __future__ import annotations

import re

from innocity.domain.plan import Duty, Region, Section, Span
from innocity.parsing.duty_units import (
    DEADLINE_LABELS,
    LEAD_LABELS,
    SUPPORT_LABELS,
    assign_roles,
    make_duty,
    parse_deadline,
    split_names,
)
from innocity.parsing.rx import rx
from innocity.parsing.textfold import fold

_TASK_HEAD = ("任务", "工作内容", "重点任务", "工作任务", "具体任务", "任务名称", "主要内容", "主要任务", "项目名称",
              "工作事项", "事项", "内容", "目标任务", "重点工作", "工作措施", "主要措施", "措施", "项目", "任务分解")  # fmt: skip
_SEQ_HEAD = ("序号", "编号")
_MAX_HEADER = 300
_HEADER_HINT = rx("牵头|责任单位|责任部门|主责")


# -- task tables flattened to text ------------------------------------------------------------------------


def column_kind(cell: str) -> str:
    """The kind of a task-table column from its header cell: seq, task, lead, support, deadline or other."""
    c = cell.replace(" ", "")
    if c in _SEQ_HEAD:
        return "seq"
    if any(c.startswith(h) or c == h for h in SUPPORT_LABELS) or c in ("配合", "协同", "协办", "参与"):
        return "support"
    if any(c.startswith(h) for h in LEAD_LABELS) or c in ("牵头", "责任", "主责"):
        return "lead"
    if any(h in c for h in DEADLINE_LABELS) or c in ("时间", "期限"):
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


def extract_table_duties(text: str, span: Span, outline: list[Section], region: Region) -> list[Duty]:
    """One duty per row of every task table in ``text[span[0]:span[1]]``."""
    start, end = span
    out: list[Duty] = []
    next_free = start  # rows already read cannot start another table
    for hm in _HEADER_HINT.finditer(text, start, end):
        if hm.start() < next_free:
            continue
        ls = max(text.rfind("\n", start, hm.start()) + 1, start)
        le = text.find("\n", hm.start(), end)
        le = end if le < 0 else le
        next_free = le  # one header candidate per line
        if le - ls > _MAX_HEADER:  # a header row is short; long lines are prose
            continue
        header = fold(text[ls:le])
        if ":" in header:  # a labelled line (责任单位:…), not a header row
            continue
        sep = _separator(header)
        if sep is None:
            continue
        heads = [header[a:b].replace(" ", "") for a, b in _cells(header, sep)]
        kinds = _demote_plain_lead(heads, [column_kind(h) for h in heads])
        if "lead" not in kinds or len(kinds) < 2 or not ({"task", "support", "deadline"} & set(kinds)):
            continue
        rows, next_free = _table_rows(text, le + 1, end, sep, kinds, outline, region)
        out += rows
    return out


_LEAD_ONLY_HEAD = rx(r"^(?:牵头|主要责任|主责|牵头责任)")


def _demote_plain_lead(heads: list[str], kinds: list[str]) -> list[str]:
    """牵头单位 | 责任单位 columns side by side: the 责任单位 column names the units that take part under the
    lead, as in a labelled line "牵头单位:X;责任单位:Y" (see ``duties``)."""
    leads = [i for i, k in enumerate(kinds) if k == "lead"]
    if len(leads) < 2 or not any(_LEAD_ONLY_HEAD.match(heads[i]) for i in leads):
        return kinds
    return ["support" if k == "lead" and not _LEAD_ONLY_HEAD.match(h) and "support" not in kinds else k
            for h, k in zip(heads, kinds, strict=True)]


def _table_rows(
    text: str,
    pos: int,
    end: int,
    sep: str,
    kinds: list[str],
    outline: list[Section],
    region: Region,
) -> tuple[list[Duty], int]:
    """The duties of the rows from ``pos`` on, and where the table ends."""
    out: list[Duty] = []
    while pos < end:
        le = text.find("\n", pos, end)
        le = end if le < 0 else le
        line = fold(text[pos:le])
        if not line.strip():
            pos = le + 1
            continue
        cells = _cells(line, sep) if _separator(line) == sep or (sep == "\t" and "\t" in line) else []
        if len(cells) < 2:
            # a merged category row (一、强化企业主体) inside the table, if a row follows it
            if len(line.strip()) <= 40 and _row_follows(text, le + 1, end, sep):
                pos = le + 1
                continue
            break
        cols = _align(line, cells, kinds)
        if "lead" in cols:
            duty = _row_duty(text, pos, line, cols, outline, region)
            if duty is not None:
                out.append(duty)
        pos = le + 1
    return out, pos


def _row_follows(text: str, pos: int, end: int, sep: str) -> bool:
    m = _NEXT_NONBLANK.match(text, pos, end)
    if m is None:
        return False
    line = fold(m.group(1))
    return _separator(line) == sep and len(_cells(line, sep)) >= 2


_NEXT_NONBLANK = rx(r"\s*([^\n]{1,400})")


def _row_duty(
    text: str, pos: int, line: str, cols: dict[str, tuple[int, int]], outline: list[Section], region: Region
) -> Duty | None:
    def cell(kind: str) -> tuple[str, str]:
        a, b = cols[kind]
        return text[pos + a : pos + b], line[a:b]

    lw, sw = assign_roles(split_names(*cell("lead")), "lead")
    if "support" in cols:
        s_l, s_s = assign_roles(split_names(*cell("support")), "support")
        lw, sw = lw + s_l, sw + s_s
    task = None
    if "task" in cols:
        task = _NUMBERING.sub("", cell("task")[0]) or None
    deadline = parse_deadline(cell("deadline")[1]) if "deadline" in cols else None
    a = len(line) - len(line.lstrip())
    b = len(line.rstrip())
    if not (lw or sw):
        return None
    return make_duty(text, (pos + a, pos + b), outline, region, task, lw, sw, deadline, rule="task-table",
                     confidence=0.9)


_NUMBERING = rx(r"^\s*(?:\d+[.、．]?|[一二三四五六七八九十]+、)\s*")


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
