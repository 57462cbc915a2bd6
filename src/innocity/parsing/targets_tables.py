"""Indicator tables flattened to text ("R&D经费投入强度(%)\t2.5\t3.0"): rows become targets and facts.

A row is a line split by tabs, runs of two or more spaces, or '|', with a label cell and numeric cells.
A header row with years or 基期/目标 words says which column is the target; without one, the last number
is the target and the numbers before it are baselines (facts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from innocity.parsing.rx import rx

# A cell: text between separators (tab, '|', two or more spaces), without its surrounding blanks.
_CELL = rx(r"[^\t|\s](?:[^\t|]*?[^\t|\s])?(?=\s*(?:\t|\||  |$))")
_NUMCELL = rx(
    r"(?P<pre>≥|≤|>|<|约|不低于|不少于|超过|不超过)? ?(?P<n>\d+(?:\.\d+)?) ?(?P<u>%|‰|[^\d\s(),;]{1,6}?)?"
    r"(?P<post>以上|以下|左右|以内)?"
)
_LABEL_UNIT = rx(r"[((](?:单位:)?(?P<u>[^()()]{1,10})[))]\s*$")
_YEAR_HEAD = rx(r"(?P<y>(?:19|20)[0-9Xx*]{2})\s*年?(?P<w>目标值?|基期值?|预期值?|现状值?)?")
_TARGET_WORD = rx(r"目标|预期|规划")
# A column of planned growth rates ("年均增长", "年均增速(%)") beside the year columns: each cell is a target.
_GROWTH_HEAD = rx(r"年均增长|年均增速|年均增幅|年均|增速|增长率")
_BASE_WORD = rx(r"基期|现状|基数|基准")
_CJK = rx(r"[\u4e00-\u9fffA-Za-z]{2,}")
_UNITS = rx(r"^(?:%|‰|个百分点|百分点|[万亿]?(?:元|人|件|家|个|项|名|吨|亩|平方米|平方公里|辆|台|所)|[^\d]{1,3}/[^\d]{1,4})$")


@dataclass(slots=True)
class Cell:
    """One numeric cell of a table row, read as a target or a baseline fact."""

    start: int
    end: int
    indicator: str
    value: float | None
    unit: str | None
    year: int | None
    year_text: str | None
    is_target: bool
    kind: str = "level"
    comparator: str = "="


@dataclass(slots=True)
class TableState:
    """Header columns seen so far in the current table: column index → (year, year text, role)."""

    columns: dict[int, tuple[int | None, str | None, str]] = field(default_factory=dict)
    unit_col: int | None = None


def _cells(f: str, ps: int, pe: int) -> list[tuple[int, int, str]]:
    """Non-empty cells of a line split by tabs, '|' or runs of two or more spaces, with their offsets."""
    line = f[ps:pe]
    if "\t" not in line and "  " not in line and "|" not in line:
        return []
    return [(ps + m.start(), ps + m.end(), m.group()) for m in _CELL.finditer(line)]


def read_row(f: str, ps: int, pe: int, state: TableState) -> list[Cell] | None:
    """The numeric cells of the table row ``f[ps:pe]``; None when the line is not a table row."""
    cells = _cells(f, ps, pe)
    if len(cells) < 2:
        return None
    numeric = [(i, _numeric(c[2])) for i, c in enumerate(cells)]
    label_i = _label_cell(cells, numeric)
    if label_i is None:
        return None
    nums = [(i, m) for i, m in numeric if m is not None and i > label_i]
    if not nums:
        if any(len(c[2]) > 12 for c in cells):
            return None  # a task-table row: its cells are sentences, read as ordinary text
        heads = {}
        for i, c in enumerate(cells):
            if c[2].strip() == "单位":
                state.unit_col = i
            ym = _YEAR_HEAD.search(c[2])
            role = ("growth" if _GROWTH_HEAD.search(c[2]) and not ym else "target" if _TARGET_WORD.search(c[2])
                    else "base" if _BASE_WORD.search(c[2]) else "")
            if ym or role:
                y = ym.group("y") if ym else None
                heads[i] = (int(y) if y and y.isdigit() else None, y, role)
        if heads:
            state.columns = heads
            return []
        return None
    label = cells[label_i][2]
    unit = None
    lu = _LABEL_UNIT.search(label)
    if lu:
        unit = lu.group("u").strip()
        label = label[: lu.start()].strip()
    if state.unit_col is not None and state.unit_col < len(cells) and _UNITS.match(cells[state.unit_col][2]):
        unit = cells[state.unit_col][2]
    if unit is None:
        ucell = next((c for c in cells[label_i + 1:] if _UNITS.match(c[2])), None)
        unit = ucell[2] if ucell else None
    # A row whose empty category cell was lost in the spaces ("  每万人口…(件)  10  20") starts its numbers
    # one column early: shift it so its first number sits under the first dated column.
    shift = max(0, min(state.columns) - nums[0][0]) if state.columns else 0
    cols = {i: state.columns.get(i + shift, (None, None, "")) for i, _ in nums}
    target_i = _target_column(state, [i + shift for i, _ in nums if cols[i][2] != "growth"]
                              or [i + shift for i, _ in nums]) - shift
    ty, tyt, _ = cols.get(target_i, (None, None, ""))
    out = []
    for i, m in nums:
        y, yt, role = cols[i]
        if role == "growth":
            u = m.group("u") if m.group("u") and _UNITS.match(m.group("u")) else "%"
            out.append(Cell(cells[i][0], cells[i][1], label, float(m.group("n")), u, ty, tyt, True, "growth",
                            _comparator(m.group("pre"), m.group("post"))))
            continue
        cu = m.group("u") if m.group("u") and _UNITS.match(m.group("u")) else None
        comp = _comparator(m.group("pre"), m.group("post"))
        u = cu or unit
        kind = "growth" if re.search(r"增长|增速|年均", label) and u == "%" else "level"
        out.append(Cell(cells[i][0], cells[i][1], label, float(m.group("n")), u, y, yt, i == target_i, kind, comp))
    return out


def _comparator(pre: str | None, post: str | None) -> str:
    if pre in ("≥", ">", "不低于", "不少于", "超过") or post == "以上":
        return ">="
    return "<=" if pre in ("≤", "<", "不超过") or post in ("以下", "以内") else "="


def _label_cell(cells: list[tuple[int, int, str]], numeric: list[tuple[int, re.Match[str] | None]]) -> int | None:
    """The indicator's cell: of the text cells before the first number, the one with a unit in brackets
    ("R&D经费支出占GDP比重(%)"), else the last one that is not a unit ("创新投入 | 技术合同成交额 | 80")."""
    first_num = next((i for i, m in numeric if m is not None), len(cells))
    texts = [i for i, c in enumerate(cells) if _CJK.search(c[2]) and not numeric[i][1]]
    before = [i for i in texts if i < first_num and not _UNITS.match(cells[i][2])]
    if not before:
        return texts[0] if texts else None
    with_unit = [i for i in before if _LABEL_UNIT.search(cells[i][2])]
    return with_unit[0] if with_unit else before[-1]


def _numeric(cell: str) -> re.Match[str] | None:
    m = _NUMCELL.fullmatch(cell)
    if m is None or (m.group("u") or "").startswith("年"):
        return None  # "2025年" is a column header, not a value
    return m


def _target_column(state: TableState, cols: list[int]) -> int:
    targets = [i for i in cols if state.columns.get(i, (None, None, ""))[2] == "target"]
    if targets:
        return targets[-1]
    dated = [(state.columns[i][1] or "", i) for i in cols if i in state.columns and state.columns[i][1]]
    if dated:
        return max(dated)[1]
    return cols[-1]


# --- tables flattened with one cell per line (PDF and HTML text) -------------------------------------------
_STACK_HEAD = rx(
    r"(?:主要)?指标(?:名称)?|序号|单位|类别|属性|指标类别"
    r"|(?P<y>(?:19|20)[0-9Xx*]{2})\s*年?(?:\s*(?:目标值?|基期值?|预期值?|现状值?))?"
    r"|(?P<w>基期|目标|现状|预期|规划)值?(?:\((?P<y2>(?:19|20)[0-9Xx*]{2})年?\))?"
)
_STACK_OPEN = rx(r"(?:主要)?指标(?:名称)?")


@dataclass(slots=True)
class StackedState:
    """A table whose cells stand one per line: its header columns so far, and the row being read."""

    heads: list[tuple[int | None, str | None, str]] = field(default_factory=list)  # (year, text, role)
    has_unit: bool = False
    has_seq: bool = False
    open: bool = False  # inside a header that began with 指标
    label: tuple[int, int, str] | None = None
    unit: str | None = None
    cells: list[tuple[int, int, re.Match[str]]] = field(default_factory=list)

    def reset(self) -> None:
        self.heads, self.has_unit, self.has_seq, self.open = [], False, False, False
        self.label, self.unit, self.cells = None, None, []


def read_stacked(f: str, ps: int, pe: int, st: StackedState) -> list[Cell] | None:
    """Feed one line of a one-cell-per-line indicator table; None when the line is not part of one.

    The header opens with 指标 (or 指标名称) on a line of its own, followed by column lines with years or
    基期/目标 words; then each row is its label (its unit in brackets, or a 单位 line) and one value line per
    column. A row's cells come back once it is complete; the value under the target column (the latest
    dated or 目标 column) is the target, the others are baselines."""
    a, b = ps, pe
    while a < b and f[a] in " \t\u3000":
        a += 1
    while b > a and f[b - 1] in " \t\u3000\r":
        b -= 1
    cell = f[a:b]
    if not cell:
        return [] if st.open or st.heads else None
    if (len(cell) <= 16 and _STACK_HEAD.fullmatch(cell) and not st.label
            and (st.open or _STACK_OPEN.fullmatch(cell) or cell == "序号")):
        st.open = True
        m = _STACK_HEAD.fullmatch(cell)
        assert m is not None
        if cell == "单位":
            st.has_unit = True
        elif cell == "序号":
            st.has_seq = True
        elif m.group("y") or m.group("w"):
            y = m.group("y") or m.group("y2")
            role = "target" if _TARGET_WORD.search(cell) else "base" if _BASE_WORD.search(cell) else ""
            st.heads.append((int(y) if y and y.isdigit() else None, y, role))
        return []
    if not st.heads:
        if st.open:
            st.reset()
        return None
    st.open = False
    num = _numeric(cell)
    if st.label is None:
        if num is not None and st.has_seq and cell.isdigit():
            return []  # the row's number
        if num is None and _CJK.search(cell) and len(cell) <= 40:
            lu = _LABEL_UNIT.search(cell)
            label = cell[: lu.start()].strip() if lu else cell
            st.label, st.unit = (a, b, label), (lu.group("u").strip() if lu else None)
            return []
        st.reset()
        return None
    if st.has_unit and st.unit is None and not st.cells and _UNITS.match(cell):
        st.unit = cell
        return []
    if num is None:
        st.reset()
        return None
    st.cells.append((a, b, num))
    if len(st.cells) < len(st.heads):
        return []
    out = _stacked_row(st)
    st.label, st.unit, st.cells = None, None, []
    return out


def _stacked_row(st: StackedState) -> list[Cell]:
    assert st.label is not None
    targets = [i for i, h in enumerate(st.heads) if h[2] == "target"]
    dated = [(h[1] or "", i) for i, h in enumerate(st.heads) if h[1]]
    target_i = targets[-1] if targets else (max(dated)[1] if dated else len(st.heads) - 1)
    label = st.label[2]
    out = []
    for i, ((y, yt, _), (s, e, m)) in enumerate(zip(st.heads, st.cells, strict=False)):
        cu = m.group("u") if m.group("u") and _UNITS.match(m.group("u")) else None
        u = cu or st.unit
        kind = "growth" if re.search(r"增长|增速|年均", label) and u == "%" else "level"
        ty, tyt, _ = st.heads[target_i]
        out.append(Cell(s, e, label, float(m.group("n")), u, y if i != target_i else ty,
                        yt if i != target_i else tyt, i == target_i, kind, _comparator(m.group("pre"), m.group("post"))))
    return out
