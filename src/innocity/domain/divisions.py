"""China's administrative divisions as shipped in ``innocity/data/divisions.csv``: lookups, no parsing.

Owns the loader and the pure lookups the region detector and the duty normaliser need: a division by
adcode, by full name (西宁市) or by short name (西宁, 湖南, 内蒙古), its parent chain, and the one-character
province abbreviations (湘 → 湖南省). The table comes from cpca (MIT); see ``data/samples/PROVENANCE.md``.
Standard library only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Province abbreviations (简称) as used in running text: 在湘院士, 鲁企, 入黔. Standard and unambiguous
# per province; the detector decides in which contexts a single character may count.
PROVINCE_ABBREVIATIONS: dict[str, str] = {
    "京": "北京市", "津": "天津市", "冀": "河北省", "晋": "山西省", "蒙": "内蒙古自治区",
    "辽": "辽宁省", "吉": "吉林省", "黑": "黑龙江省", "沪": "上海市", "苏": "江苏省",
    "浙": "浙江省", "皖": "安徽省", "闽": "福建省", "赣": "江西省", "鲁": "山东省",
    "豫": "河南省", "鄂": "湖北省", "湘": "湖南省", "粤": "广东省", "桂": "广西壮族自治区",
    "琼": "海南省", "渝": "重庆市", "川": "四川省", "蜀": "四川省", "黔": "贵州省",
    "贵": "贵州省", "滇": "云南省", "云": "云南省", "藏": "西藏自治区", "陕": "陕西省",
    "秦": "陕西省", "甘": "甘肃省", "陇": "甘肃省", "青": "青海省", "宁": "宁夏回族自治区",
    "新": "新疆维吾尔自治区", "港": "香港特别行政区", "澳": "澳门特别行政区", "台": "台湾省",
}  # fmt: skip

_GROUPING_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})

# Longest first, so 土家族苗族自治州 is cut before 自治州 and 自治州 before 州.
_ETHNIC = (
    "维吾尔", "回族", "壮族", "藏族", "蒙古族", "朝鲜族", "土家族", "苗族", "侗族", "布依族", "彝族",
    "白族", "傣族", "景颇族", "傈僳族", "哈尼族", "哈萨克", "柯尔克孜", "羌族", "黎族", "蒙古",
    "土族", "撒拉族", "满族", "畲族", "瑶族", "仡佬族", "水族", "纳西族", "普米族", "独龙族", "怒族",
    "拉祜族", "佤族", "达斡尔族", "鄂温克族", "仫佬族", "毛南族", "各族", "保安族", "东乡族", "裕固族",
    "塔吉克", "锡伯", "鄂伦春",
)  # fmt: skip
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "省",
    "市",
    "盟",
    "县",
    "区",
    "旗",
)


@dataclass(frozen=True, slots=True)
class Division:
    """One row of the divisions table. ``level`` is province, city or county."""

    adcode: str
    name: str
    level: str
    parent: str | None  # adcode of the province or city above, None for a province
    province: str
    city: str | None  # the prefecture-level city a county belongs to (the municipality for its districts)

    @property
    def short(self) -> str:
        """The name without its administrative suffix: 西宁市 → 西宁, 广西壮族自治区 → 广西."""
        return short_name(self.name)


def short_name(name: str) -> str:
    """Strip the administrative suffix and ethnic qualifiers: 湘西土家族苗族自治州 → 湘西."""
    for suf in _SUFFIXES:
        if name.endswith(suf) and len(name) > len(suf) + 1:
            base = name[: -len(suf)]
            changed = True
            while changed:  # several ethnic names can follow one another
                changed = False
                for eth in _ETHNIC:
                    if base.endswith(eth) and len(base) > len(eth) + 1:
                        base = base[: -len(eth)]
                        changed = True
            return base
    return name


class Divisions:
    """The divisions table with lookups by adcode, full name and short name."""

    def __init__(self, rows: list[Division]) -> None:
        self._by_code = {d.adcode: d for d in rows}
        self._by_name: dict[str, list[Division]] = {}
        self._by_short: dict[str, list[Division]] = {}
        for d in rows:
            self._by_name.setdefault(d.name, []).append(d)
            self._by_short.setdefault(d.short, []).append(d)

    def __iter__(self) -> Iterator[Division]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def by_adcode(self, adcode: str) -> Division | None:
        """The division with this six-digit code, or None."""
        return self._by_code.get(adcode)

    def by_name(self, name: str) -> list[Division]:
        """Every division whose full name is ``name`` (朝阳区 has two)."""
        return list(self._by_name.get(name, []))

    def by_short(self, short: str) -> list[Division]:
        """Every division whose short name is ``short`` (吉林 → the province and the city)."""
        return list(self._by_short.get(short, []))

    def parents(self, div: Division) -> list[Division]:
        """The chain above ``div``, nearest first (county → city → province)."""
        out: list[Division] = []
        cur = div
        while cur.parent is not None:
            nxt = self._by_code.get(cur.parent)
            if nxt is None:
                break
            out.append(nxt)
            cur = nxt
        return out

    def province_of(self, div: Division) -> Division | None:
        """The province-level division containing ``div`` (itself for a province)."""
        if div.level == "province":
            return div
        chain = self.parents(div)
        return chain[-1] if chain else None

    def city_of(self, div: Division) -> Division | None:
        """The prefecture-level city containing ``div``: itself for a city, the municipality for its
        districts, None for a province or a county-level city directly under a province."""
        if div.level == "city" or div.name in MUNICIPALITIES:
            return div
        if div.level == "county" and div.city:
            found = self._by_name.get(div.city, [])
            same = [c for c in found if c.province == div.province and c.level in ("city", "province")]
            return same[0] if same else None
        return None


@lru_cache(maxsize=1)
def load_divisions() -> Divisions:
    """The shipped table (provinces, cities, counties; the 市辖区 grouping rows are left out)."""
    raw = resources.files("innocity.data").joinpath("divisions.csv").read_text(encoding="utf-8")
    rows: list[Division] = []
    parsed = list(csv.DictReader(io.StringIO(raw)))
    group_parent = {r["adcode"]: r["parent"] for r in parsed if r["level"] == "group"}
    for r in parsed:
        # 市辖区 rows (the urban districts of a city taken together) are groupings, not places
        if r["level"] == "group" or r["name"] in _GROUPING_NAMES:
            continue
        parent = r["parent"] or None
        if parent in group_parent:  # counties under 省直辖县级行政区划 hang directly off the province
            parent = group_parent[parent] or None
        rows.append(
            Division(
                adcode=r["adcode"],
                name=r["name"],
                level=r["level"],
                parent=parent,
                province=r["province"],
                city=r["city"] or None,
            )
        )
    return Divisions(rows)
