"""``innocity catalog``: list/show/match output, and ``catalog add`` storing good files and refusing bad ones
with exit status 2 and one line naming the file, entry and field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from innocity.cli import main

GOOD = """\
- code: XN01
  name_zh: 每万人口众创空间数
  name_en: Maker spaces per 10k population
  aliases: [万人众创空间数]
  unit: 个/万人
  direction: 1
  dimension: 成果转化力
  kind: per_capita
  definition: 众创空间数 / 年末常住人口(万人)
  aggregation: rate
  data_source: 科技局
  source: proposed
"""


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "data"
    monkeypatch.setenv("INNOCITY_DATA_DIR", str(d))
    return d


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["catalog", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_and_dimension_filter(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "list", "--format", "json")
    items = json.loads(out)
    assert code == 0 and len(items) >= 45 and {"code", "unit", "direction", "formula"} <= set(items[0])
    code, out, _ = _run(capsys, "list", "--dimension", "技术创新力", "--format", "json")
    assert code == 0 and {i["dimension"] for i in json.loads(out)} == {"TEC"}


def test_list_table_has_chinese_headers(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "list", "-d", "GOV")
    assert code == 0 and "代码" in out and "指标名称" in out and "GOV01" in out and "TEC01" not in out


def test_unknown_dimension_is_a_user_error(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "list", "-d", "XYZ")
    assert code == 2 and err.startswith("innocity: unknown dimension 'XYZ'") and err.count("\n") == 1


def test_show(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "show", "tec01", "-f", "json")
    d = json.loads(out)
    assert code == 0 and d["code"] == "TEC01" and d["formula"] == {"numerator": "TEC10", "denominator": "DRV08",
                                                                    "scale": 100.0}
    code, out, _ = _run(capsys, "show", "DRV03")
    assert code == 0 and "逆向" in out and "吨标准煤/万元" in out
    code, _, err = _run(capsys, "show", "NOPE99")
    assert code == 2 and "NOPE99" in err and "Traceback" not in err


def test_match_json_and_table(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "match", "万人专利申请量", "--unit", "件", "--format", "json")
    d = json.loads(out)
    assert code == 0 and d["match"]["code"] == "TEC09" and d["normalized"] == "每万人专利申请"
    rejected = {c["code"]: c["rejected"] for c in d["candidates"]}
    assert "TEC15" in rejected and "每万人" in rejected["TEC15"]
    code, out, _ = _run(capsys, "match", "良种工程实施面积", "-u", "万亩")
    assert code == 0 and "未匹配" in out
    code, out, _ = _run(capsys, "match", "高新技术产业增加值年均增长率", "-k", "growth", "-f", "json")
    assert json.loads(out)["match"]["code"] == "TRA10"


def test_add_good_file_then_it_is_listed_and_matched(data_dir: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "本市指标.yaml"
    f.write_text(GOOD, encoding="utf-8")
    code, out, _ = _run(capsys, "add", str(f))
    assert code == 0 and "XN01" in out
    assert (data_dir / "catalog.d" / "本市指标.yaml").read_text(encoding="utf-8") == GOOD
    code, out, _ = _run(capsys, "show", "XN01", "-f", "json")
    assert code == 0 and json.loads(out)["origin"] == "本市指标.yaml"
    code, out, _ = _run(capsys, "match", "万人众创空间数", "-u", "个", "-f", "json")
    assert json.loads(out)["match"]["code"] == "XN01"
    # adding the same file again replaces it instead of clashing with itself
    code, out, _ = _run(capsys, "add", str(f))
    assert code == 0 and out.startswith("replaced")


def test_add_csv(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "extra.csv"
    f.write_text(
        "code,name_zh,unit,direction,dimension,kind,definition,aggregation,data_source,source\n"
        "XC01,众创空间数,个,1,TRA,count,经备案的众创空间数,stock,科技局,common\n",
        encoding="utf-8",
    )
    code, out, _ = _run(capsys, "add", str(f))
    assert code == 0 and "XC01" in out


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("my.yaml", GOOD.replace("direction: 1", "direction: 3"),
         "innocity: my.yaml: indicator XN01 field 'direction': must be 1 or -1"),
        ("my.yaml", GOOD.replace("code: XN01", "code: TEC01"),
         "innocity: my.yaml: indicator TEC01 field 'code': duplicate code, already defined in indicators.yaml"),
        ("my.yaml", GOOD.replace("  unit: 个/万人\n", ""), "innocity: my.yaml: indicator XN01 field 'unit': is required"),
        ("bad.csv", "code,name_zh,unit,direction\nXB1,某指标,个,1\n", "innocity: bad.csv: row 2 (XB1) field '"),
        ("my.json", "{}", "innocity: my.json: a catalogue file must be .yaml, .yml or .csv"),
    ],
)
def test_add_bad_file_exit_2_one_line_nothing_stored(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     name: str, text: str, expected: str) -> None:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    code, _, err = _run(capsys, "add", str(f))
    assert code == 2, err
    lines = err.splitlines()
    assert any(line.startswith(expected) for line in lines), err
    assert all(line.startswith("innocity: ") for line in lines) and "Traceback" not in err
    # every problem of the file is reported in this one run, one line each (and one line when there is one)
    assert len(lines) == 1 or "more problems" in err
    assert not (data_dir / "catalog.d" / name).exists()


def test_add_reports_every_problem_of_the_file_at_once(data_dir: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "two.yaml"
    f.write_text(GOOD.replace("direction: 1", "direction: 3").replace("  unit: 个/万人\n", ""), encoding="utf-8")
    code, _, err = _run(capsys, "add", str(f))
    assert code == 2
    assert "field 'direction': must be 1 or -1" in err and "field 'unit': is required" in err


def test_a_billion_laughs_catalogue_is_refused_quickly(data_dir: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    import time

    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("indicators: [*i]")
    f = tmp_path / "lol.yaml"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.process_time()
    code, _, err = _run(capsys, "add", str(f))
    assert code == 2 and "too large or too deeply nested" in err
    assert time.process_time() - start < 5


def test_add_duplicate_across_user_files(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(GOOD, encoding="utf-8")
    second.write_text(GOOD, encoding="utf-8")
    assert _run(capsys, "add", str(first))[0] == 0
    code, _, err = _run(capsys, "add", str(second))
    assert code == 2 and "b.yaml: indicator XN01 field 'code': duplicate code, already defined in a.yaml" in err


def test_add_missing_file(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "add", str(tmp_path / "absent.yaml"))
    assert code == 2 and "absent.yaml: no such file" in err


def test_console_script_exit_status(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "x.yaml"
    bad.write_text(GOOD.replace("direction: 1", "direction: up"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", "from innocity.cli import run; run()", "catalog", "add", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "innocity: x.yaml: indicator XN01 field 'direction': must be 1 or -1"


def test_every_catalog_command_has_help_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    for cmd in ("list", "show", "match", "add"):
        assert main(["catalog", cmd, "--help"]) == 0
        assert "innocity catalog" in capsys.readouterr().out


def test_add_gbk_csv_saved_by_excel_is_stored_as_utf8(data_dir: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "excel.csv"
    text = ("code,name_zh,unit,direction,dimension,kind,definition,aggregation,data_source,source\n"
            "XG01,科技特派员人数,人,1,GOV,count,选派的科技特派员人数,stock,科技局,proposed\n")
    f.write_bytes(text.encode("gbk"))
    code, out, err = _run(capsys, "add", str(f))
    assert code == 0, err
    assert (data_dir / "catalog.d" / "excel.csv").read_text(encoding="utf-8") == text
    code, out, _ = _run(capsys, "show", "XG01", "-f", "json")
    assert json.loads(out)["name_zh"] == "科技特派员人数"
