"""``innocity parse`` end to end: the JSON contract, exact spans, batches, people's formats, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from innocity.cli import main

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "src" / "innocity" / "data" / "samples" / "innovative-city-plans-4.txt"
SCHEMA = json.loads(
    (ROOT / "src" / "innocity" / "data" / "contracts" / "plan.schema.json").read_text("utf-8")
)
READABLE = [
    "plan-utf8.txt",
    "plan-gb18030.txt",
    "plan-utf16le.txt",
    "plan-gb2312.html",
    "plan.docx",
    "plan.pdf",
]


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from innocity.cli import run; run()", "parse", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


class _Result:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> _Result:
    """``innocity parse ARGS`` in this process (faster than a subprocess; main() is the real entry point)."""
    capsys.readouterr()
    code = main(["parse", *map(str, args)])
    captured = capsys.readouterr()
    return _Result(code, captured.out, captured.err)


def _quoted_items(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [*plan["targets"], *plan["facts"], *plan["duties"], *plan["phases"], *plan["programs"]]


def _check_document(out: dict[str, Any], decoded: str) -> None:
    jsonschema.validate(out, SCHEMA)
    assert out["source"]["chars"] == len(decoded)
    for plan in out["plans"]:
        s, e = plan["span"]
        assert 0 <= s <= e <= len(decoded)
        for item in _quoted_items(plan):
            s, e = item["span"]
            assert decoded[s:e] == item["text"], item


def test_sample_page_json_matches_the_contract_and_every_span_quotes_its_text(capsys) -> None:
    assert main(["parse", str(SAMPLE)]) == 0
    out = json.loads(capsys.readouterr().out)
    _check_document(out, SAMPLE.read_text("utf-8"))
    assert len(out["plans"]) == 4
    assert out["source"]["encoding"] == "utf-8"
    assert out["source"]["media_type"] == "text/plain"


@pytest.mark.parametrize("name", READABLE)
def test_every_format_gives_contract_json_with_exact_spans(docs, name, capsys) -> None:
    from innocity.parsing.readers import read_document

    decoded = read_document(docs[name].read_bytes(), str(docs[name])).text
    assert main(["parse", str(docs[name]), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    _check_document(out, decoded)
    assert out["plans"], name


def test_json_keeps_chinese_unescaped(capsys) -> None:
    main(["parse", str(SAMPLE)])
    out = capsys.readouterr().out
    assert "西宁" in out and "\\u" not in out


def test_output_file_is_written(tmp_path, capsys) -> None:
    target = tmp_path / "out.json"
    assert main(["parse", str(SAMPLE), "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    jsonschema.validate(json.loads(target.read_text("utf-8")), SCHEMA)


def test_failed_parse_leaves_no_output_file(tmp_path, docs) -> None:
    target = tmp_path / "out.json"
    proc = _cli(docs["truncated.docx"], "-o", target)
    assert proc.returncode == 2
    assert not target.exists()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file"),
        ("junk.txt", "binary"),
        ("truncated.docx", "truncated or corrupt DOCX"),
        ("truncated.pdf", "truncated or corrupt PDF"),
        ("scanned.pdf", "no text layer (scanned PDF?)"),
    ],
)
def test_bad_file_is_one_line_naming_it_exit_2(docs, name, reason, capsys) -> None:
    proc = _run(capsys, docs[name])
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"innocity: {docs[name]}: ")
    assert reason in lines[0]
    assert proc.stdout == ""


def test_missing_file(tmp_path) -> None:
    proc = _cli(tmp_path / "nowhere.docx")
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"innocity: {tmp_path / 'nowhere.docx'}: no such file"


def test_directory_without_documents(tmp_path, capsys) -> None:
    (tmp_path / "notes.xlsx").write_bytes(b"PK\x03\x04")
    proc = _run(capsys, tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith(f"innocity: {tmp_path}: directory holds no documents")


def test_batch_delivers_good_files_and_lists_the_bad_ones(docs, tmp_path, capsys) -> None:
    folder = tmp_path / "plans"
    (folder / "sub").mkdir(parents=True)
    good = ["plan-utf8.txt", "plan.docx", "plan.pdf"]
    bad = ["empty.txt", "scanned.pdf"]
    for name in good[:2] + bad:
        shutil.copy(docs[name], folder / name)
    shutil.copy(docs["plan.pdf"], folder / "sub" / "plan.pdf")
    proc = _run(capsys, folder)
    assert proc.returncode == 2
    lines = proc.stdout.splitlines()
    assert len(lines) == 3
    docs_out = [json.loads(x) for x in lines]
    for d in docs_out:
        jsonschema.validate(d, SCHEMA)
    # input order: recursive and sorted
    assert [Path(d["source"]["name"]).name for d in docs_out] == ["plan-utf8.txt", "plan.docx", "plan.pdf"]
    assert f"innocity: {folder / 'empty.txt'}: empty file" in proc.stderr
    assert f"innocity: {folder / 'scanned.pdf'}: no text layer (scanned PDF?)" in proc.stderr
    assert "2 of 5 files failed" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_batch_with_worker_processes_gives_the_same_lines(docs, capsys) -> None:
    files = [docs[n] for n in ("plan-utf8.txt", "plan.docx", "plan-gb2312.html")]
    one = _run(capsys, *files)
    two = _run(capsys, *files, "--jobs", "2")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    assert len(two.stdout.splitlines()) == 3


def test_batch_missing_file_is_listed_and_others_complete(docs, tmp_path, capsys) -> None:
    proc = _run(capsys, docs["plan-utf8.txt"], tmp_path / "gone.txt", "--jobs", "2")
    assert proc.returncode == 2
    assert len(proc.stdout.splitlines()) == 1
    assert f"innocity: {tmp_path / 'gone.txt'}: no such file" in proc.stderr


def test_json_format_refused_for_several_files(docs, capsys) -> None:
    proc = _run(capsys, docs["plan-utf8.txt"], docs["plan.docx"], "--format", "json")
    assert proc.returncode == 2
    assert "jsonl" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_formats_for_people_show_each_part_in_chinese(fmt, capsys) -> None:
    assert main(["parse", str(SAMPLE), "--format", fmt]) == 0
    out = capsys.readouterr().out
    for word in (
        "篇一",
        "篇四",
        "地区",
        "阶段",
        "目标指标",
        "指标",
        "比较",
        "数值",
        "单位",
        "年份",
        "责任分工",
        "工程/计划",
    ):
        assert word in out, word


def test_markdown_tables_are_well_formed(capsys) -> None:
    main(["parse", str(SAMPLE), "--format", "md"])
    out = capsys.readouterr().out
    header = "| 指标 | 比较 | 数值 | 单位 | 年份 |"
    assert header in out
    for line in out.splitlines():
        if line.startswith("| ") and line.count("|") != header.count("|"):
            # every table row has as many cells as its header (pipes inside cells are escaped)
            assert line.count("|") - line.count("\\|") in (4, 6), line


def test_help_has_an_example(capsys) -> None:
    assert main(["parse", "--help"]) == 0
    assert "Example: innocity parse" in capsys.readouterr().out


def _footer_only(tmp_path: Path, name: str) -> Path:
    # Only a site footer: the document reads fine but holds no plan.
    path = tmp_path / name
    path.write_text("版权所有 ICP备12345号", encoding="utf-8")
    return path


def test_document_without_a_plan_prints_json_and_exits_1(tmp_path, capsys) -> None:
    proc = _run(capsys, _footer_only(tmp_path, "footer.txt"))
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    jsonschema.validate(out, SCHEMA)
    assert out["plans"] == []
    assert (
        proc.stderr.strip() == f"innocity: {tmp_path / 'footer.txt'}: document read, but no plan found in it"
    )


def test_batch_exit_1_only_when_no_file_has_a_plan(tmp_path, docs, capsys) -> None:
    a, b = _footer_only(tmp_path, "a.txt"), _footer_only(tmp_path, "b.txt")
    assert _run(capsys, a, b).returncode == 1
    assert _run(capsys, a, docs["plan-utf8.txt"]).returncode == 0


@pytest.mark.parametrize("where", ["dir", "nodir"])
def test_unwritable_output_is_one_line(tmp_path, capsys, where) -> None:
    target = tmp_path if where == "dir" else tmp_path / "no" / "such" / "out.json"
    result = _run(capsys, SAMPLE, "-o", target)
    assert result.returncode == 2
    assert result.stderr.startswith(f"innocity: {target}: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_explain_lists_every_decision_with_its_rule(capsys, tmp_path) -> None:
    plan = tmp_path / "dongying.txt"
    plan.write_text("东营市科技创新行动方案\n一、发展基础\n全市现有高新技术企业310家。\n二、发展目标\n"
                    "到2026年,全市高新技术企业达到600家,对新认定企业给予30万元奖励。\n", encoding="utf-8")
    proc = _run(capsys, plan, "--explain")
    assert proc.returncode == 0
    out = json.loads(proc.stdout)
    jsonschema.validate(out, SCHEMA)
    text = plan.read_text("utf-8")
    got = {(d["text"], d["verdict"], d["rule"]) for d in out["plans"][0]["explain"]}
    assert ("310家", "fact", "baseline-section") in got
    assert ("600家", "target", "target-by-default") in got
    assert ("30万元", "dropped", "incentive-amount") in got
    for d in out["plans"][0]["explain"]:
        assert text[d["span"][0]:d["span"][1]] == d["text"]
    assert "explain" not in json.loads(_run(capsys, plan).stdout)["plans"][0]
    table = _run(capsys, plan, "--explain", "--format", "table").stdout
    assert "incentive-amount" in table and "baseline-section" in table
