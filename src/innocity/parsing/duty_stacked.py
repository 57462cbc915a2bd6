"""Task tables flattened with every cell on its own line (PDF and HTML text), read back into rows.

A header is a run of at least three short lines that are all column names (序号, 重点任务, 牵头单位, 配合单位,
完成时限 …) and include a lead column. The cells that follow repeat that shape: with a 序号 column each row
opens with its number (1, 2, 3 … in order), so rows whose empty cells were dropped are still cut right;
without one, every row has as many lines as the header. A row's cells are matched to the columns in order;
when a row is short, a date-like last cell is the deadline and the lead is the first cell that names a
body. The table ends at the first line that cannot be a cell (a heading, a long sentence) or a row whose
lead names no body. Lines are folded one at a time, only around header candidates.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from innocity.domain.plan import Duty, Region, Section, Span
from innocity.parsing.duty_tables import column_kind
from innocity.parsing.duty_units import UNIT_END, assign_roles, make_duty, parse_deadline, split_names
from innocity.parsing.rx import rx
from innocity.parsing.textfold import fold

_HEADER_HINT = rx("牵头|责任单位|责任部门|主责")
_LINE = rx(r"[^\n]*")
_MAX_CELL = 120  # a cell of a task table is at most a long task name
_MAX_ROWS = 500
_HEADING = rx(r"^(?:[一二三四五六七八九十]+[、.]|第[一二三四五六七八九十]+[章节部分])")
_ROW_NO = rx(r"^\d{1,3}$")


def stacked_table_duties(text: str, span: Span, outline: list[Section], region: Region,
                         taken: list[Span]) -> list[Duty]:
    """One duty per row of every one-cell-per-line task table in ``text[span]`` not already read."""
    start, end = span
    out: list[Duty] = []
    free = start
    spans = sorted(taken)
    for hm in _HEADER_HINT.finditer(text, start, end):
        pos = hm.start()
        if pos < free or _inside(spans, pos) or not _short_line(text, pos, start, end):
            continue
        lines = _lines_around(text, pos, start, end)
        if lines is None:
            continue
        kinds, cells_from = lines
        rows, free = _rows(text, cells_from, end, kinds)
        for cells in rows:
            duty = _row_duty(text, cells, kinds, outline, region)
            if duty is not None:
                out.append(duty)
    return out


def _inside(spans: list[Span], pos: int) -> bool:
    """True when ``pos`` falls inside one of the sorted, non-overlapping ``spans``."""
    k = bisect_right(spans, (pos, len(spans) + 10**12)) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


def _short_line(text: str, pos: int, lo: int, hi: int) -> bool:
    """A header cell sits on a short line of its own (checked without scanning a long line)."""
    a = text.rfind("\n", max(lo, pos - 12), pos)
    if a < 0 and pos - 12 > lo:
        return False
    b = text.find("\n", pos, min(hi, pos + 12))
    return b >= 0 or pos + 12 >= hi


def _cell_lines(text: str, pos: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Up to ``limit`` non-blank lines from ``pos`` as (start, end) with surrounding blanks trimmed."""
    out: list[tuple[int, int]] = []
    while pos < end and len(out) < limit:
        le = text.find("\n", pos, end)
        le = end if le < 0 else le
        a, b = pos, le
        while a < b and text[a] in " \t\u3000\r":
            a += 1
        while b > a and text[b - 1] in " \t\u3000\r":
            b -= 1
        if b > a:
            out.append((a, b))
        pos = le + 1
    return out


def _lines_around(text: str, pos: int, lo: int, hi: int) -> tuple[list[str], int] | None:
    """The header's column kinds and where its cells begin, when the line at ``pos`` is in a stacked header."""
    ls = text.rfind("\n", lo, pos) + 1
    back = max(lo, ls - 200)
    # the header may begin a few lines above the lead column (序号, 重点任务, 牵头单位 …)
    first = ls
    for _ in range(4):
        prev = text.rfind("\n", back, first - 1) + 1 if first > back else first
        if prev >= first or not _is_column(text[prev:first].strip()):
            break
        first = prev
    kinds: list[str] = []
    after = first
    for a, b in _cell_lines(text, first, hi, 8):
        cell = fold(text[a:b])
        if not _is_column(cell):
            break
        kinds.append(column_kind(cell))
        after = b
    if len(kinds) < 3 or "lead" not in kinds or len(set(kinds)) < 3:
        return None
    return kinds, after


def _is_column(cell: str) -> bool:
    c = cell.replace(" ", "")
    return 0 < len(c) <= 8 and not c.endswith(("表", "清单", "。")) and column_kind(c) != "other"


def _rows(text: str, pos: int, end: int, kinds: list[str]) -> tuple[list[list[tuple[int, int]]], int]:
    """The rows of cells after the header, and where the table ends."""
    numbered = kinds[0] == "seq"
    width = len(kinds) - (1 if numbered else 0)
    rows: list[list[tuple[int, int]]] = []
    lines = _cell_lines(text, pos, end, (width + 2) * _MAX_ROWS)
    i = 0
    while i < len(lines) and len(rows) < _MAX_ROWS:
        if numbered:
            if text[lines[i][0]:lines[i][1]] != str(len(rows) + 1):
                break
            j = i + 1
            nxt = str(len(rows) + 2)
            while (j < len(lines) and j - i <= width + 2 and text[lines[j][0]:lines[j][1]] != nxt
                   and _cellish(text[lines[j][0]:lines[j][1]])):
                j += 1
            cells = lines[i + 1: j]
        else:
            j = i + width
            cells = lines[i:j]
            if any(not _cellish(text[a:b]) for a, b in cells):
                break
        if not cells:
            break
        rows.append(cells)
        if numbered and j < len(lines) and text[lines[j][0]:lines[j][1]] != str(len(rows) + 1):
            break  # the line after this row is no cell: the table ends here
        i = j
    table_end = rows[-1][-1][1] if rows else pos
    return rows, table_end


def _cellish(cell: str) -> bool:
    return len(cell) <= _MAX_CELL and not _HEADING.match(cell) and cell.count("。") <= 1


def _looks_like_units(cell: str) -> bool:
    first = re.split(r"[、,，;；\s]+", cell.strip(), maxsplit=1)[0]
    first = re.sub(r"(?:牵头|配合|负责)$", "", first)
    return bool(first) and (bool(UNIT_END.search(first)) or first.startswith(("各", "有关")))


def _row_duty(text: str, cells: list[tuple[int, int]], kinds: list[str], outline: list[Section],
              region: Region) -> Duty | None:
    cols = [k for k in kinds if k != "seq"]
    values = [text[a:b] for a, b in cells]
    assigned: dict[str, int] = {}
    if len(values) >= len(cols):
        extra = len(values) - len(cols)  # a task written over several lines
        for k_i, kind in enumerate(cols):
            assigned[kind] = k_i + (extra if k_i > 0 else 0)
        if extra and "task" in cols:
            assigned["task"] = 0
    else:
        rest = list(range(len(values)))
        if "deadline" in cols and rest and parse_deadline(values[rest[-1]]):
            assigned["deadline"] = rest.pop()
        if "task" in cols and rest and cols.index("task") < cols.index("lead"):
            assigned["task"] = rest.pop(0)  # the task column comes first: its cell does, whatever it ends with
        units = [i for i in rest if _looks_like_units(values[i])]
        if units:
            assigned["lead"] = units[0]
            if "support" in cols and len(units) > 1:
                assigned["support"] = units[1]
        texts = [i for i in rest if i not in units]
        if texts and "task" in cols and "task" not in assigned:
            assigned["task"] = texts[0]
    if "lead" not in assigned or not _looks_like_units(values[assigned["lead"]]):
        return None

    def names(kind: str, default: str) -> tuple[list[str], list[str]]:
        if kind not in assigned:
            return [], []
        v = values[assigned[kind]]
        return assign_roles(split_names(v, fold(v)), default)

    lw, sw = names("lead", "lead")
    sl, ss = names("support", "support")
    task = None
    if "task" in assigned:
        first = 0 if len(values) > len(cols) and assigned["task"] == 0 else assigned["task"]
        last = len(values) - len(cols) if len(values) > len(cols) else first
        task = " ".join(values[first: last + 1]).strip() or None
    deadline = parse_deadline(values[assigned["deadline"]]) if "deadline" in assigned else None
    s, e = cells[0][0], cells[-1][1]
    return make_duty(text, (s, e), outline, region, task, lw + sl, sw + ss, deadline, rule="stacked-table",
                     confidence=0.85)
