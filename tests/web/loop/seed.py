"""A small stored scenario for the collection, dashboard and page tests of the loop.

Two cities of 安徽省: 芜湖市 with a plan of five targets and two tasks, and 蚌埠市 with a plan of two targets
(to check that one city's users never see the other's). The plan texts are written for these tests in the
way such plans are phrased; they are not real documents, and every figure stored here is test data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from innocity.app import AppContext
from innocity.domain.plan import Baseline, Duty, Fact, ParsedDocument, Plan, Region, SourceInfo, Target
from innocity.services import targets as target_service
from innocity.services.context import Actor, Role
from innocity.services.ingest import ingest_bytes
from innocity.storage.tables import Department, ObservationRow, PlanRow, TargetRow
from innocity.storage.tables import Region as RegionRow

WUHU_TEXT = (
    "芜湖市创新型城市建设实施方案（2016—2020年）\n"
    "一、发展目标\n"
    "到2020年，全社会研发经费支出占地区生产总值比重达到2.8%；"
    "高新技术企业达到800家；"
    "技术合同成交额年均增长20%；"
    "地方财政科技支出占一般公共预算支出比重达到5%以上；"
    "建成一批高水平新型研发机构。\n"
    "2015年，全市研发经费支出占地区生产总值比重为2.2%。\n"
    "二、重点任务\n"
    "（一）建设科技创新公共服务平台。牵头单位：市科技局；配合单位：市财政局。2019年6月底前完成。\n"
    "（二）实施高新技术企业倍增计划。牵头单位：市科技局。\n"
)
BENGBU_TEXT = (
    "蚌埠市创新型城市建设实施方案\n"
    "到2020年，全社会研发经费支出占地区生产总值比重达到2.5%；高新技术企业达到500家。\n"
)


def _span(text: str, part: str) -> tuple[int, int]:
    i = text.index(part)
    return (i, i + len(part))


def _target(text: str, quote: str, **kw: object) -> Target:
    base: dict[str, object] = {
        "text": quote, "span": _span(text, quote), "indicator": quote[:12], "kind": "level",
        "comparator": ">=", "value": None, "unit": None, "year": 2020, "year_text": "2020",
    }
    base.update(kw)
    return Target(**base)  # type: ignore[arg-type]


def wuhu_document() -> tuple[bytes, ParsedDocument]:
    t = WUHU_TEXT
    targets = [
        _target(t, "全社会研发经费支出占地区生产总值比重达到2.8%", indicator="研发经费支出占地区生产总值比重",
                indicator_code="TEC01", value=2.8, unit="%"),
        _target(t, "高新技术企业达到800家", indicator="高新技术企业", indicator_code="TEC06", value=800.0,
                unit="家"),
        _target(t, "技术合同成交额年均增长20%", indicator="技术合同成交额", indicator_code="TRA08", kind="growth",
                value=20.0, unit="%", baseline=Baseline(year=2015, text="2015年")),
        _target(t, "地方财政科技支出占一般公共预算支出比重达到5%以上", indicator="地方财政科技支出占比",
                indicator_code="GOV01", value=5.0, unit="%"),
        _target(t, "建成一批高水平新型研发机构", indicator="新型研发机构", value=None),
    ]
    facts = [
        Fact(text="全市研发经费支出占地区生产总值比重为2.2%", span=_span(t, "全市研发经费支出占地区生产总值比重为2.2%"),
             indicator="研发经费支出占地区生产总值比重", value=2.2, unit="%", year=2015, year_text="2015",
             indicator_code="TEC01"),
    ]
    duties = [
        Duty(text="（一）建设科技创新公共服务平台。牵头单位：市科技局；配合单位：市财政局。2019年6月底前完成。",
             span=_span(t, "（一）建设科技创新公共服务平台。牵头单位：市科技局；配合单位：市财政局。2019年6月底前完成。"),
             task="建设科技创新公共服务平台", lead=["市科技局"], support=["市财政局"], deadline="2019年6月"),
        Duty(text="（二）实施高新技术企业倍增计划。牵头单位：市科技局。",
             span=_span(t, "（二）实施高新技术企业倍增计划。牵头单位：市科技局。"),
             task="实施高新技术企业倍增计划", lead=["市科技局"], support=[]),
    ]
    plan = Plan(
        title="芜湖市创新型城市建设实施方案（2016—2020年）", span=(0, len(t)),
        region=Region(name="芜湖市", province="安徽省", confidence=0.9, adcode="340200", level="city"),
        targets=targets, facts=facts, duties=duties,
    )
    return t.encode(), ParsedDocument(SourceInfo("wuhu.txt", "x", "text/plain", "utf-8", len(t)), [plan], text=t)


def bengbu_document() -> tuple[bytes, ParsedDocument]:
    t = BENGBU_TEXT
    targets = [
        _target(t, "全社会研发经费支出占地区生产总值比重达到2.5%", indicator="研发经费支出占地区生产总值比重",
                indicator_code="TEC01", value=2.5, unit="%"),
        _target(t, "高新技术企业达到500家", indicator="高新技术企业", indicator_code="TEC06", value=500.0, unit="家"),
    ]
    plan = Plan(
        title="蚌埠市创新型城市建设实施方案", span=(0, len(t)),
        region=Region(name="蚌埠市", province="安徽省", confidence=0.9, adcode="340300", level="city"),
        targets=targets,
    )
    return t.encode(), ParsedDocument(SourceInfo("bengbu.txt", "y", "text/plain", "utf-8", len(t)), [plan], text=t)


@dataclass
class Scenario:
    app: AppContext
    wuhu: int  # region ids
    bengbu: int
    plan: int  # 芜湖's plan
    other_plan: int
    targets: dict[str, int]  # 芜湖's targets by indicator code
    other_targets: dict[str, int]
    kejiju: int  # department ids: 芜湖市科技局, 芜湖市商务局, 蚌埠市科技局
    shangwu: int
    bengbu_kejiju: int

    def actor(self, role: str, *, name: str | None = None, city: str = "wuhu", department: int | None = None) -> Actor:
        region = self.wuhu if city == "wuhu" else self.bengbu
        r = Role(role)
        return Actor(username=name or f"{city}-{role}", role=r,
                     region_id=None if r is Role.ADMIN else region, department_id=department)

    def department(self, which: str = "kejiju") -> Actor:
        dept = {"kejiju": self.kejiju, "shangwu": self.shangwu, "bengbu": self.bengbu_kejiju}[which]
        city = "bengbu" if which == "bengbu" else "wuhu"
        return self.actor("department", name=f"{which}-user", city=city, department=dept)

    def observe(self, code: str, year: int, value: float, *, status: str = "approved", city: str = "wuhu",
                vintage: str = "final", note: str | None = None) -> int:
        """Store one test figure directly (what an approved import would have left)."""
        with self.app.uow() as w:
            row = ObservationRow(
                region_id=self.wuhu if city == "wuhu" else self.bengbu, indicator_code=code, period=str(year),
                period_kind="year", period_year=year, period_index=0, value=value,
                unit=w.catalog.get(code).unit, vintage=vintage, known_on=date(year + 1, 3, 1), status=status,
                entered_by="tester", note=note,
            )
            w.session.add(row)
            w.session.flush()
            return row.id


def build(app: AppContext) -> Scenario:
    with app.uow() as w:
        plans = {}
        for name, (data, doc) in (("wuhu", wuhu_document()), ("bengbu", bengbu_document())):
            plans[name] = ingest_bytes(w, data=data, name=f"{name}.txt", doc=doc).plan_ids[0]
    with app.uow() as w:
        s = w.session

        def codes(plan_id: int) -> dict[str, int]:
            rows = s.scalars(select(TargetRow).where(TargetRow.plan_id == plan_id))
            return {t.indicator_code or t.indicator: t.id for t in rows}

        tw, tb = codes(plans["wuhu"]), codes(plans["bengbu"])
        assign = {
            "TEC01": (["市科技局"], ["市统计局"]), "TEC06": (["市科技局"], []),
            "TRA08": (["市商务局"], ["市科技局"]), "GOV01": (["市财政局"], ["市科技局"]),
        }
        for code, (lead, support) in assign.items():
            target_service.set_target(w, target_id=tw[code], lead=lead, support=support)
        target_service.set_target(w, target_id=tb["TEC01"], lead=["市科技局"])
        target_service.set_target(w, target_id=tb["TEC06"], lead=["市科技局"])
        region_of = {p: s.get(PlanRow, p).region_id for p in plans.values()}  # type: ignore[union-attr]

        def dept(region: int, name: str) -> int:
            return s.scalar(select(Department.id).where(Department.region_id == region, Department.name == name))  # type: ignore[return-value]

        wuhu, bengbu = region_of[plans["wuhu"]], region_of[plans["bengbu"]]
        assert wuhu == s.scalar(select(RegionRow.id).where(RegionRow.adcode == "340200"))
        return Scenario(
            app=app, wuhu=wuhu, bengbu=bengbu, plan=plans["wuhu"], other_plan=plans["bengbu"], targets=tw,
            other_targets=tb, kejiju=dept(wuhu, "市科技局"), shangwu=dept(wuhu, "市商务局"),
            bengbu_kejiju=dept(bengbu, "市科技局"),
        )


INDEX_CODES = ("TEC01", "TEC06", "TRA08", "GOV01", "ORI08", "TRA03", "TEC15", "TRA10")


def index_data(app: AppContext, *, years: tuple[int, ...] = (2016, 2017, 2018), seed: int = 11,
               skip: tuple[str, ...] = ()) -> list[str]:
    """Approved test figures (SIMULATED, not statistics) of eight indicators for the cities of 安徽省 (but
    those whose adcode is in ``skip``), so an index run has units to rank; returns the cities' names."""
    import random

    from innocity.storage.tables import Region as R

    rng = random.Random(seed)
    with app.uow() as w:
        anhui = w.session.scalar(select(R.id).where(R.adcode == "340000"))
        cities = list(w.session.execute(select(R.id, R.name).where(R.parent_id == anhui, R.adcode.not_in(skip))
                                        .order_by(R.adcode)))
        have = set(w.session.execute(select(ObservationRow.region_id, ObservationRow.indicator_code,
                                            ObservationRow.period_year)))
        for rid, _ in cities:
            strength = rng.uniform(0.5, 1.5)
            for code in INDEX_CODES:
                base = {"TEC01": 2.0, "GOV01": 3.0, "TRA03": 30.0}.get(code, 100.0) * strength * rng.uniform(0.8, 1.2)
                for k, y in enumerate(years):
                    if (rid, code, y) in have:
                        continue
                    w.session.add(ObservationRow(
                        region_id=rid, indicator_code=code, period=str(y), period_kind="year", period_year=y,
                        period_index=0, value=round(base * (1 + 0.05 * k), 3), unit=w.catalog.get(code).unit,
                        vintage="final", known_on=date(y + 1, 3, 1), status="approved", entered_by="tester",
                        note="SIMULATED test figure"))
    return [name for _, name in cities]
