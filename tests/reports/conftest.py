"""Fixtures of the reports suite: a stored city built through the services, as an office would build it.

芜湖 has a plan (written for these tests in the way Anhui cities phrase theirs; not a real document) with
eight targets and three tasks, figures for 2010–2014 for four of its indicators (one year only as a draft),
departments, task reports (one late) and 督办 items (one closed). 马鞍山 has a plan and no figures at all;
蚌埠 has nothing. Everything goes through the services (ingest, targets, observations, tasks, supervise).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from innocity.app import AppContext
from innocity.services import observations, supervise, targets, tasks, tracking
from innocity.services.ingest import ingest_bytes
from innocity.settings import Settings
from innocity.storage.tables import DATASET_LABEL, set_meta

ROOT = Path(__file__).resolve().parents[2]
FONTS_CONF = ROOT / "fontconfig" / "fonts.conf"
TODAY = date(2015, 3, 31)
YEAR = 2014

WUHU_PLAN = """芜湖市创新型城市建设实施方案（2011—2015年）

一、总体目标
到2015年，全市创新体系基本完善，自主创新能力显著增强。主要目标是：
（一）全社会研究与试验发展经费支出占地区生产总值的比重达到2.5%以上。
（二）高新技术企业数达到300家。
（三）每万人口发明专利拥有量达到6件。
（四）高新技术产业增加值占地区生产总值比重达到25%。
（五）技术合同成交额达到20亿元。
（六）科技企业孵化器数达到12家。

二、建设基础
2010年，全市全社会研究与试验发展经费支出占地区生产总值的比重为1.6%，高新技术企业180家，每万人口发明专利拥有量2.1件。

三、重点任务
（一）建设创新平台。牵头单位：市科技局；责任单位：市发改委、市经信委。2013年底前建成国家级工程技术研究中心3家。
（二）培育创新型企业。牵头单位：市经信委；责任单位：市科技局、市财政局。2014年6月前完成企业研发机构全覆盖。
（三）引进高层次人才。牵头单位：市人社局；责任单位：市科技局。2015年底前引进领军人才50名。
"""

MAANSHAN_PLAN = """马鞍山市创新型城市建设实施方案

一、发展目标
到2015年，全社会研发经费支出占地区生产总值比重达到2.2%，高新技术企业达到150家，技术合同成交额达到8亿元。

二、保障措施
（一）加强组织领导。牵头单位：市科技局；责任单位：市发改委。
"""

SOURCE = "芜湖市统计局《芜湖市国民经济和社会发展统计公报》（测试数据）"
# (indicator code, {year: value}) in the catalogue's unit; 2014 of TEC06 is stored only as a draft
FIGURES = {
    "TEC01": {2010: 1.6, 2011: 1.75, 2012: 1.9, 2013: 2.2, 2014: 2.6},  # achieved
    "TEC06": {2010: 180, 2011: 200, 2012: 215, 2013: 230},  # behind (2013)
    "TEC04": {2010: 2.1, 2011: 2.5, 2012: 3.1, 2013: 3.9, 2014: 4.6},  # behind
    "TRA08": {2010: 10.0, 2012: 9.5, 2013: 11.0, 2014: 10.2},  # off track
    "TRA20": {2010: 5, 2013: 6, 2014: 7},  # off track
}
DRAFT = ("TEC06", 2014, 260.0)


@dataclass
class City:
    app: AppContext
    target_ids: list[int]
    closed_item: int
    open_item: int


def _rows(code: str, values: dict[int, float], unit: str | None) -> list[dict[str, object]]:
    return [
        {"region": "芜湖市", "indicator": code, "period": str(y), "value": v, "unit": unit or "",
         "known_on": date(y + 1, 3, 1).isoformat(), "note": f"{y}年统计公报"}
        for y, v in values.items()
    ]


def build_city(app: AppContext, *, label: str | None = None) -> City:
    """芜湖 and 马鞍山 as described in the module docstring, in their own units of work."""
    with app.uow() as w:
        ingest_bytes(w, data=WUHU_PLAN.encode(), name="芜湖市创新型城市建设实施方案.txt")
        ingest_bytes(w, data=MAANSHAN_PLAN.encode(), name="马鞍山市创新型城市建设实施方案.txt")
        if label:
            set_meta(w.session, DATASET_LABEL, label)
    with app.uow() as w:
        rows = tracking.progress(w, region="芜湖市", year=YEAR)
        ids = [r.target_id for r in rows]
        for r in rows:
            if r.indicator_code:
                targets.set_target(w, target_id=r.target_id, baseline_year=2010, lead=["市科技局"],
                                   support=["市统计局"], comment="测试")
    with app.uow() as w:
        units = {code: w.catalog.get(code).unit for code in FIGURES}
        data = [row for code, values in FIGURES.items() for row in _rows(code, values, units[code])]
        observations.submit_rows(w, rows=data, status="approved", source=SOURCE)
        code, year, value = DRAFT
        observations.submit_rows(w, rows=_rows(code, {year: value}, units[code]), status="draft")
    with app.uow() as w:
        for i, t in enumerate(tasks.list_tasks(w, region="芜湖市", today=TODAY)):
            if i == 0:
                tasks.set_task(w, task_id=t.task_id, status="已完成", deadline=date(2013, 12, 31),
                               completed_on=date(2013, 11, 30))
            elif i == 1:
                tasks.set_task(w, task_id=t.task_id, status="进行中", deadline=date(2014, 6, 30))
            else:
                tasks.set_task(w, task_id=t.task_id, status="进行中", deadline=date(2015, 12, 31))
    with app.uow() as w:
        items = supervise.sync(w, region="芜湖市", year=YEAR, today=TODAY)
        assert len(items) >= 2, [i.title for i in items]
        closed, still_open = items[0].id, items[1].id
        supervise.act(w, item_id=closed, action="respond", text="已召开专题会议，正在补齐数据", today=TODAY)
        supervise.act(w, item_id=closed, action="close", text="数据已补报，予以销号", today=TODAY)
    return City(app=app, target_ids=ids, closed_item=closed, open_item=still_open)


@pytest.fixture
def city(app: AppContext) -> City:
    return build_city(app)


@pytest.fixture(scope="module")
def shared_city(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[City]:
    """One 芜湖 database for a whole module of writer tests, which only read it (SQLite)."""
    path = tmp_path_factory.mktemp("city") / "city.sqlite3"
    shutil.copyfile(sqlite_template, path)
    app = AppContext(Settings(database_url=f"sqlite:///{path}", data_dir=path.parent, user="tester"))
    yield build_city(app)
    app.dispose()


@pytest.fixture
def simulated_city(app: AppContext) -> City:
    return build_city(app, label="SIMULATED")


# ---------------------------------------------------------------------- rendering with LibreOffice


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _font(family: str) -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return family in out


def require_tools() -> str:
    """LibreOffice, poppler and the free CJK fonts, or: fail in CI (CI set: the render checks must run
    there), skip elsewhere, saying what is missing."""
    exe = soffice()
    missing = [name for name, found in (("LibreOffice (libreoffice-writer-nogui)", exe),
                                        ("pdftotext/pdftoppm (poppler-utils)", shutil.which("pdftoppm")),
                                        ("Noto CJK (fonts-noto-cjk)", _font("Noto Sans CJK SC")),
                                        ("AR PL UKai (fonts-arphic-ukai)", _font("AR PL UKai CN")))
               if not found]
    if missing:
        msg = (f"render checks need {', '.join(missing)}: apt-get install libreoffice-writer-nogui "
               "poppler-utils fonts-noto-cjk fonts-arphic-ukai")
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    assert exe
    return exe


def to_pdf(docx: Path, profile: Path) -> Path:
    """DOCX → PDF with LibreOffice headless, the official fonts mapped to free ones (fontconfig/fonts.conf),
    in a profile of its own so that parallel test workers never share one."""
    exe = require_tools()
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
    subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(docx.parent), str(docx)],
        check=True, env=env, capture_output=True, timeout=180,
    )
    pdf = docx.with_suffix(".pdf")
    assert pdf.exists(), f"LibreOffice wrote no PDF for {docx}"
    return pdf


@pytest.fixture(scope="session")
def lo_profile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("lo-profile")
