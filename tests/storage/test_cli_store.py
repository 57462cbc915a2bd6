"""The store commands end to end through the real parser: ingest (idempotent), plans list/show, and
user errors as one line with exit status 2. The plan text is written for this test (not a real plan)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

PLAN = """无锡市创新型城市建设实施方案

为深入实施创新驱动发展战略，加快建设创新型城市，制定本方案。

一、总体目标
到2020年，全社会研发经费支出占地区生产总值比重达到3.2%，高新技术企业达到2500家。

二、重点任务
（一）强化企业创新主体地位。责任单位：市科学技术局牵头，市发展和改革委员会、市财政局配合。
（二）建设高水平创新平台。责任单位：市科技局牵头，市教育局配合。
"""

Run = Callable[..., tuple[int, str, str]]


def test_ingest_twice_then_list_and_show(run_cli: Run, tmp_path: Path) -> None:
    doc = tmp_path / "无锡方案.txt"
    doc.write_text(PLAN, encoding="utf-8")
    code, out, err = run_cli("ingest", doc)
    assert code == 0, err
    assert "stored (plans #" in out
    code, out, _ = run_cli("ingest", doc)
    assert code == 0 and "already stored, nothing changed" in out
    code, out, _ = run_cli("plans", "list", "--format", "json")
    (plan,) = json.loads(out)
    assert plan["region"] == "无锡市" and plan["version"] == 1
    code, out, _ = run_cli("plans", "show", str(plan["id"]), "--format", "json")
    shown = json.loads(out)
    assert code == 0 and shown["document"] == "无锡方案.txt"
    for d in shown["duties"]:  # quotes are exact and departments are normalised
        assert d["text"] in PLAN
    assert any(d["lead"] == ["市科技局"] and "市发改委" in d["support"] for d in shown["duties"])
    code, out, _ = run_cli("plans", "show", str(plan["id"]))
    assert code == 0 and "无锡市" in out


def test_user_errors_are_one_line_with_status_2(run_cli: Run, tmp_path: Path) -> None:
    code, _, err = run_cli("plans", "show", "999")
    assert code == 2 and "no plan with id 999" in err and "Traceback" not in err
    code, _, err = run_cli("plans", "show", "abc")
    assert code == 2 and "Invalid value" in err and "Traceback" not in err
    code, _, err = run_cli("ingest", tmp_path / "missing.txt")
    assert code == 2 and "no such file" in err
    code, _, err = run_cli("data", "export", "--format", "xml")
    assert code == 2 and "xml" in err and "Traceback" not in err


def test_review_through_the_cli_with_a_stale_version_is_exit_3(run_cli: Run, tmp_path: Path) -> None:
    p = tmp_path / "v.csv"
    p.write_text("region,indicator,period,value,unit\n苏州市,TEC06,2015,2870,家\n", encoding="utf-8")
    assert run_cli("data", "import", p)[0] == 0
    code, out, _ = run_cli("data", "export", "--format", "json")
    (row,) = json.loads(out)
    assert (row["status"], row["version"]) == ("draft", 1)
    code, out, err = run_cli("data", "review", str(row["id"]), "--to", "submitted", "--version", "1")
    assert code == 0 and "submitted (version 2)" in out, err
    code, _, err = run_cli("data", "review", str(row["id"]), "--to", "approved", "--version", "1")
    assert code == 3 and "was changed by" in err
    code, _, err = run_cli("data", "review", str(row["id"]), "--to", "rejected")
    assert code == 2 and "needs a comment" in err
    code, out, _ = run_cli(
        "data", "review", str(row["id"]), "--to", "rejected", "--comment", "口径不一致(模拟)"
    )
    assert code == 0 and "rejected (version 3)" in out
