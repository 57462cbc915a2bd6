"""Fixtures of the tracking suite (the database fixtures are shared, in ``tests/conftest.py``) and a small
stored plan built from a hand-written plan text of a city that is not in the sample page."""

from __future__ import annotations

from datetime import date

import pytest

from innocity.app import AppContext
from innocity.domain.plan import (
    Baseline,
    Duty,
    Fact,
    ParsedDocument,
    Plan,
    Region,
    SourceInfo,
    Target,
)
from innocity.services.ingest import ingest_bytes
from innocity.storage.tables import ObservationRow

# A plan as a 株洲 implementation plan might phrase it (written for these tests, not a real document).
PLAN_TEXT = (
    "株洲市创新型城市建设实施方案\n"
    "二、建设目标\n"
    "到2020年，全社会研发经费支出占地区生产总值比重达到2.5%；"
    "高新技术产业增加值年均增长15%；"
    "发明专利授权量比2015年提高50%；"
    "万元GDP能耗控制在0.5吨标准煤以下；"
    "到201*年，科技型中小企业达到800家左右。\n"
    "到“十二五”末，技术合同成交额达到20亿元。\n"
    "2015年，全市研发经费支出占地区生产总值比重为2.0%。\n"
    "三、重点任务\n"
    "（一）建设创新平台。责任单位：市科技局牵头，市发改委、市财政局配合。\n"
    "（二）培育高新技术企业。责任单位：市工信局牵头，市科技局配合。\n"
)


def _quote(text: str, part: str) -> tuple[int, int]:
    i = text.index(part)
    return (i, i + len(part))


def make_target(text: str, quote: str, **kw: object) -> Target:
    base: dict[str, object] = {
        "text": quote,
        "span": _quote(text, quote),
        "indicator": "",
        "kind": "level",
        "comparator": "=",
        "value": None,
        "unit": None,
        "year": 2020,
        "year_text": "2020",
    }
    base.update(kw)
    return Target(**base)  # type: ignore[arg-type]


def make_plan_document() -> tuple[bytes, ParsedDocument]:
    t = PLAN_TEXT
    targets = [
        make_target(t, "全社会研发经费支出占地区生产总值比重达到2.5%", indicator="研发经费支出占GDP比重",
                    indicator_code="T_RD", value=2.5, unit="%"),
        make_target(t, "高新技术产业增加值年均增长15%", indicator="高新技术产业增加值", indicator_code="T_HT",
                    kind="growth", value=15.0, unit="%"),
        make_target(t, "发明专利授权量比2015年提高50%", indicator="发明专利授权量", indicator_code="T_PAT",
                    kind="change", value=50.0, unit="%", baseline=Baseline(year=2015, text="2015年")),
        make_target(t, "万元GDP能耗控制在0.5吨标准煤以下", indicator="万元GDP能耗", indicator_code="T_EN",
                    comparator="<=", value=0.5, unit="吨标准煤/万元"),
        make_target(t, "科技型中小企业达到800家左右", indicator="科技型中小企业数", indicator_code="T_SME",
                    value=800.0, unit="家", approximate=True, year=None, year_text="201*"),
        make_target(t, "技术合同成交额达到20亿元", indicator="技术合同成交额", indicator_code="T_TECH",
                    value=20.0, unit="亿元", year=2015, year_text="“十二五”末"),
    ]
    facts = [
        Fact(text="全市研发经费支出占地区生产总值比重为2.0%", span=_quote(t, "全市研发经费支出占地区生产总值比重为2.0%"),
             indicator="研发经费支出占GDP比重", value=2.0, unit="%", year=2015, year_text="2015",
             indicator_code="T_RD"),
    ]
    duties = [
        Duty(text="责任单位：市科技局牵头，市发改委、市财政局配合。", span=_quote(t, "责任单位：市科技局牵头，市发改委、市财政局配合。"),
             task="建设创新平台", lead=["市科技局"], support=["市发改委", "市财政局"], deadline="2016年6月"),
        Duty(text="责任单位：市工信局牵头，市科技局配合。", span=_quote(t, "责任单位：市工信局牵头，市科技局配合。"),
             task="培育高新技术企业", lead=["市工信局"], support=["市科技局"]),
    ]
    plan = Plan(
        title="株洲市创新型城市建设实施方案", span=(0, len(t)),
        region=Region(name="株洲市", province="湖南省", confidence=0.9, adcode="430200", level="city"),
        targets=targets, facts=facts, duties=duties,
    )
    data = t.encode("utf-8")
    doc = ParsedDocument(SourceInfo("zhuzhou.txt", "x", "text/plain", "utf-8", len(t)), [plan], text=t)
    return data, doc


@pytest.fixture
def plan_id(app: AppContext) -> int:
    data, doc = make_plan_document()
    with app.uow() as w:
        res = ingest_bytes(w, data=data, name="zhuzhou.txt", doc=doc)
    return res.plan_ids[0]


@pytest.fixture
def observe(app: AppContext) -> object:
    """A function storing test figures for 株洲市: observe(rows, known_on=…, status=…)."""
    return lambda rows, **kw: add_observations(app, rows, **kw)


def add_observations(app: AppContext, rows: list[tuple[str, int, float]], *, known_on: date | None = None,
                     status: str = "approved") -> None:
    """Store test figures (code, year, value) for 株洲市 (test data, not real statistics)."""
    from sqlalchemy import select

    from innocity.storage.tables import Region

    with app.uow() as w:
        s = w.session
        rid = s.scalar(select(Region.id).where(Region.adcode == "430200"))
        for code, year, value in rows:
            s.add(ObservationRow(region_id=rid, indicator_code=code, period=str(year), period_kind="year",
                                 period_year=year, period_index=0, value=value, unit=None, vintage="final",
                                 known_on=known_on or date(year + 1, 3, 1), status=status, entered_by="tester"))
