"""One catalogue for the whole process: an indicator a user adds with ``innocity catalog add`` is known to
every path at once — the matcher, ingesting a plan, importing figures, progress and the composite index.

(The bug this guards against: ``catalog show`` found the new indicator while ``data import`` rejected it,
because four places loaded four catalogues.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

USER_INDICATOR = """\
- code: XK01
  name_zh: 科技特派员人数
  aliases: [科技特派员数量, 科技特派员]
  unit: 人
  direction: 1
  dimension: TRA
  kind: count
  definition: 年末在岗的市级以上科技特派员人数
  aggregation: stock
  data_source: 市科技局
  source: proposed
"""

# a plan text written for this test (not a real document)
PLAN = """株洲市科技特派员行动方案

一、工作目标
到2018年，全市科技特派员人数达到800人。
二、重点任务
（一）选派科技特派员。责任单位：市科技局牵头，市农业农村局配合。
"""

FIGURES = """region,indicator,period,value,unit
株洲市,XK01,2014,420,人
株洲市,XK01,2015,510,人
湘潭市,XK01,2014,300,人
湘潭市,XK01,2015,330,人
"""

FRAMEWORK = """name: 科技特派员指数（测试）
tree:
  - code: T
    name: 成果转化
    weight: 1
    children:
      - code: XK01
        name: 科技特派员人数
        direction: 1
        weight: 1
"""


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from innocity.cli import run; run()", *args], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("onecat")
    env = {**os.environ, "INNOCITY_DATA_DIR": str(tmp), "INNOCITY_USER": "tester",
           "INNOCITY_DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "COLUMNS": "200"}
    (tmp / "科技特派员.yaml").write_text(USER_INDICATOR, encoding="utf-8")
    added = _cli(env, "catalog", "add", str(tmp / "科技特派员.yaml"))
    assert added.returncode == 0, added.stderr
    return env


def test_the_matcher_knows_the_user_indicator(env: dict[str, str]) -> None:
    out = _cli(env, "catalog", "match", "科技特派员人数", "--unit", "人", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["match"]["code"] == "XK01"


def test_import_progress_and_index_know_the_user_indicator(env: dict[str, str]) -> None:
    tmp = Path(env["INNOCITY_DATA_DIR"])
    (tmp / "plan.txt").write_text(PLAN, encoding="utf-8")
    (tmp / "figures.csv").write_text(FIGURES, encoding="utf-8")
    (tmp / "framework.yaml").write_text(FRAMEWORK, encoding="utf-8")
    ingest = _cli(env, "ingest", str(tmp / "plan.txt"))
    assert ingest.returncode == 0, ingest.stderr
    imported = _cli(env, "data", "import", str(tmp / "figures.csv"), "--status", "approved")
    assert imported.returncode == 0, imported.stderr  # the bug: "unknown indicator 'XK01'"
    progress = _cli(env, "progress", "--region", "株洲市", "--year", "2016", "--format", "json")
    assert progress.returncode == 0, progress.stderr
    (row,) = [r for r in json.loads(progress.stdout) if r["indicator_code"] == "XK01"]
    assert row["actual"] == {"year": 2015, "value": 510.0}
    assert row["unit"] == "人" and row["status"] not in ("no_data",)
    index = _cli(env, "index", "run", "--framework", str(tmp / "framework.yaml"), "--from-db", "--format", "json")
    assert index.returncode == 0, index.stderr
    ranking = json.loads(index.stdout)
    assert [u["unit"] for u in ranking["units"]][:2] == ["株洲市", "湘潭市"]
    assert "XK01" in ranking["weights"]
