"""The two CSV readers of ``obs_files`` agree: a plain text (no quote, no line break but \\n or \\r\\n, every
line as wide as the header) is split by pandas' C reader for speed, anything else by the csv module, and
whatever the plain reader accepts it must read cell for cell, row for row, as the csv module does. Values
are SIMULATED."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innocity.errors import UserInputError
from innocity.services import obs_files

HEADERS = [
    ["地区", "指标", "年份", "数值", "单位", "备注"],
    ["region", "indicator", "period", "value", "unit", "vintage", "note"],
    ["指标", "2014", "2015", "2016"],
    ["地区", "指标", "年份", "数值", ""],
]
TITLES = [["苏州市科技统计(模拟数据)"], ["填报单位:科技局", "", "单位:万元"], []]
# no quote, no space, no control character: a text the plain reader may take (the csv module reads the rest)
CELLS = st.one_of(
    st.sampled_from(["苏州市", "320500", "TEC06", "2015", "2870", "1,234", "家", "", "#", "NA", "nan", "\t"]),
    st.text(st.characters(blacklist_characters='"\r\n \x00', blacklist_categories=("Cc", "Cs")), max_size=6),
)


@st.composite
def plain_text(draw: st.DrawFn) -> tuple[str, bool]:
    """A CSV text and whether every body line is exactly as wide as the header."""
    header = draw(st.sampled_from(HEADERS))
    titles = draw(st.lists(st.sampled_from(TITLES), max_size=2))
    width = len(header)
    n = draw(st.integers(1, 12))
    uniform = draw(st.booleans())
    lines = [",".join(t) for t in titles] + [",".join(header)]
    for _ in range(n):
        w = width if uniform else draw(st.integers(0, width + 1))
        cells = draw(st.lists(CELLS, min_size=w, max_size=w))
        uniform = uniform and not any("," in c for c in cells)  # "1,234" unquoted is two cells
        lines.append(",".join(cells))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    text = end.join(lines) + draw(st.sampled_from([end, ""]))
    return text, uniform


def _same(got: Any, expected: Any) -> None:
    """The plain reader's cells (its deferred value text read now) are the csv module's, and its numbers
    are the value cells' ``float()``."""
    cols = {j: v if isinstance(v, np.ndarray) else v() for j, v in got.columns.items()}
    assert (got.header, got.idx, got.unit, got.n) == (
        expected.header,
        expected.idx,
        expected.unit,
        expected.n,
    )
    assert sorted(cols) == sorted(expected.columns)
    for j, c in cols.items():
        assert c.tolist() == expected.columns[j].tolist()
        assert all(type(x) is str for x in c)
    if got.numbers is not None:
        (j,) = [j for j, v in got.columns.items() if not isinstance(v, np.ndarray)]
        assert got.numbers.tolist() == [float(x) for x in cols[j]]


@settings(max_examples=400, deadline=None, database=None)
@given(case=plain_text())
def test_the_plain_reader_reads_as_the_csv_module(case: tuple[str, bool]) -> None:
    text, uniform = case
    utf8 = text.encode("utf-8") if len(text) % 2 else None  # the file's own bytes, or encoded again
    try:
        expected = obs_files._quoted_csv(text, ",", "t.csv")
    except UserInputError as exc:
        with pytest.raises(UserInputError) as err:
            if obs_files._plain_csv(text, utf8, ",", "t.csv") is None:
                raise exc
        assert err.value.message == exc.message
        return
    got = obs_files._plain_csv(text, utf8, ",", "t.csv")
    if got is None:
        assert not uniform, "a file with every line as wide as the header is plain"
        return
    _same(got, expected)


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_plain_file_takes_the_plain_reader(end: str) -> None:
    text = end.join(
        ["单位:万元", "地区,指标,年份,数值,备注", "苏州市,TEC10,2015,741,", "320500,TEC06,2016,2870,NA"]
    )
    got = obs_files._plain_csv(text + end, None, ",", "t.csv")
    assert got is not None
    assert (got.header, got.idx, got.unit, got.n) == (["地区", "指标", "年份", "数值", "备注"], 1, "万元", 2)
    assert got.numbers is not None and got.numbers.tolist() == [741.0, 2870.0]
    _same(got, obs_files._quoted_csv(text + end, ",", "t.csv"))


@pytest.mark.parametrize("value", ["N/A", "12%", "Infinity", "1e400", "nan", ""])
def test_a_value_that_is_no_plain_finite_number_is_read_as_text(value: str) -> None:
    text = f"地区,指标,年份,数值\n苏州市,TEC10,2015,741\n苏州市,TEC10,2016,{value}\n"
    got = obs_files._plain_csv(text, None, ",", "t.csv")
    assert got is not None and got.numbers is None
    assert got.columns[3].tolist() == ["741", value]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "body",
    [
        "苏州市,TEC10,2015,741\n苏州市,TEC10,2016\n",  # a short row
        "苏州市,TEC10,2015,741,,\n苏州市,TEC10,2016\n",  # a long first row, a short second: same total
        "苏州市,TEC10,2015\n苏州市,TEC10,2016,741,,\n",  # a long later row
        "苏州市,TEC10,2015,741\n\n苏州市,TEC10,2016,800\n",  # a blank line
        '苏州市,TEC10,2015,"741"\n',  # a quote
        "苏州市,TEC10,2015,741\r苏州市,TEC10,2016,800\r",  # old Mac line breaks
    ],
)
def test_a_file_that_is_not_plain_is_left_to_the_csv_module(body: str) -> None:
    assert obs_files._plain_csv("地区,指标,年份,数值\n" + body, None, ",", "t.csv") is None


def test_cells_are_one_object_per_distinct_text() -> None:
    # what makes the later lookups cheap: equal cells are the same object
    body = "".join(f"苏州市,TEC10,{2000 + i % 15},{i}\n" for i in range(3000))
    got = obs_files._plain_csv("地区,指标,年份,数值\n" + body, None, ",", "t.csv")
    assert got is not None
    region = got.columns[0]
    assert isinstance(region, np.ndarray)
    assert len({id(c) for c in region}) == 1 and np.all(region == "苏州市")
