"""The scorer and ``innocity eval``: the issue's bar on the bundled sample, and scoring of other documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from innocity.cli import main
from innocity.domain.plan import Duty, ParsedDocument, Plan, Region, SourceInfo, Target
from innocity.parsing.scoring import locate, score_document
from innocity.services.evaluation import evaluate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "plans"


@pytest.fixture(scope="module")
def sample_report():  # type: ignore[no-untyped-def]
    return evaluate()


def test_sample_targets_meet_the_bar(sample_report) -> None:  # type: ignore[no-untyped-def]
    overall = sample_report.overall
    assert overall["targets"].f1 >= 0.93, overall["targets"].to_dict()
    assert overall["facts"].f1 >= 0.85, overall["facts"].to_dict()


def test_sample_hard_negatives_are_not_targets(sample_report) -> None:  # type: ignore[no-untyped-def]
    assert [q for p in sample_report.plans for q in p.negatives_hit] == []


def test_sample_per_plan_scores(sample_report) -> None:  # type: ignore[no-untyped-def]
    assert [p.label for p in sample_report.plans] == ["篇一", "篇二", "篇三", "篇四"]
    for plan in sample_report.plans:
        assert plan.scores["targets"].f1 >= 0.85, (plan.label, plan.scores["targets"].to_dict())


def _doc(text: str, plans: list[Plan]) -> ParsedDocument:
    return ParsedDocument(SourceInfo("t.txt", "0" * 64, "text/plain", "utf-8", len(text)), plans, text=text)


def _target(text: str, quote: str, value: float, unit: str, year: int | None, kind: str = "level") -> Target:
    a = text.index(quote)
    return Target(text=quote, span=(a, a + len(quote)), indicator="x", kind=kind,  # type: ignore[arg-type]
                  comparator="=", value=value, unit=unit, year=year, year_text=None)


def test_scorer_counts_matches_misses_and_inventions() -> None:
    text = "篇一\n到2025年,研发投入强度达到3%。建成实验室10个。\n篇二\n全市人口500万。专利达到20件。\n"
    gold = {"plans": [
        {"label": "甲", "start_quote": "篇一", "end_quote": "建成实验室10个。", "region": {"city": "甲市"},
         "targets": [
             {"quote": "研发投入强度达到3%", "value": 3, "unit": "%", "comparator": "=", "year": 2025},
             {"quote": "建成实验室10个", "value": 10, "unit": "个", "comparator": "=", "year": 2025},
         ], "facts": [], "responsibilities": [
             {"quote": "建成实验室10个", "lead": {"normalized": ["市科技局"]}, "support": {"normalized": []}}]},
        {"label": "乙", "start_quote": "篇二", "end_quote": "专利达到20件。", "region": {"city": None, "province": "乙省"},
         "targets": [{"quote": "专利达到20件", "value": 20, "unit": "件", "comparator": "growth", "year": None}],
         "facts": [{"quote": "全市人口500万", "value": 500, "unit": "万", "year": None}]},
    ]}
    p1 = Plan(title=None, span=(0, text.index("篇二")), region=Region("甲市", "甲省", 0.9), targets=[
        _target(text, "研发投入强度达到3%", 3, "%", 2025),
        _target(text, "建成实验室10个", 10, "个", None),  # wrong year
    ], duties=[Duty(text="建成实验室10个", span=(text.index("建成"), text.index("建成") + 8), task=None,
                    lead=["市科技局"], support=[])])
    p2 = Plan(title=None, span=(text.index("篇二"), len(text)), region=Region(None, "乙省", 0.5), targets=[
        _target(text, "专利达到20件", 20, "件", None, kind="growth"),
        _target(text, "全市人口500万", 500, "万", None),  # a fact reported as a target
    ])
    report = score_document(_doc(text, [p1, p2]), gold)
    t = report.overall["targets"]
    assert (t.tp, t.fp, t.fn) == (2, 2, 1)
    assert report.overall["facts"].fn == 1
    assert report.overall["duties"].tp == 1
    assert [p.region_ok for p in report.plans] == [True, True]
    assert report.plans[0].misses["targets"][0].startswith("建成实验室10个")


def test_locate_uses_occurrence() -> None:
    assert locate("abcabc", "abc", 2) == (3, 6)
    assert locate("abcabc", "abc") == (0, 3)
    assert locate("abc", "x") is None


def test_eval_on_another_document_with_its_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = FIXTURES / "tg_news_report.txt"
    gold = {"plans": [{
        "label": "news", "start_quote": "记者", "end_quote": "突破2000家。",
        "targets": [
            {"quote": "高新技术企业突破2000家", "value": 2000, "unit": "家", "comparator": ">=", "year": 2025},
            {"quote": "R&D经费投入强度达到3%", "value": 3, "unit": "%", "comparator": "=", "year": 2025},
        ],
        "facts": [{"quote": "全市共有高新技术企业1200家", "value": 1200, "unit": "家", "year": 2022}],
    }]}
    gold_path = tmp_path / "news.gold.json"
    gold_path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    code = main(["eval", str(doc), "--gold", str(gold_path), "--format", "json", "--verbose"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["overall"]["targets"]["f1"] == 1.0, out
    assert out["overall"]["facts"]["f1"] == 1.0, out


def test_eval_default_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval"]) == 0
    out = capsys.readouterr().out
    assert "targets" in out and "篇四" in out


def test_eval_missing_gold_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["eval", str(FIXTURES / "tg_news_report.txt"), "--gold", str(tmp_path / "none.json")])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "none.json" in err[0]


def test_eval_bad_gold_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["eval", "--gold", str(bad)]) == 2
    assert "bad.json" in capsys.readouterr().err


def test_single_plan_gold_without_quotes_covers_the_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = {"plans": [{"label": "excerpt", "targets": [
        {"quote": "高新技术企业突破2000家", "value": 2000, "unit": "家", "comparator": ">=", "year": "2025"}]}]}
    gold_path = tmp_path / "g.json"
    gold_path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    assert main(["eval", str(FIXTURES / "tg_news_report.txt"), "--gold", str(gold_path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["overall"]["targets"]["tp"] == 1


def test_eval_a_directory_of_documents_with_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "news.txt").write_text((FIXTURES / "tg_news_report.txt").read_text("utf-8"), encoding="utf-8")
    gold = {"plans": [{"label": "p", "targets": [
        {"quote": "高新技术企业突破2000家", "value": 2000, "unit": "家", "comparator": ">=", "year": 2025}]}]}
    (tmp_path / "news.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "notes.md").write_text("no gold beside me", encoding="utf-8")
    assert main(["eval", str(tmp_path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["label"] for p in out["plans"]] == ["news/p"]
    assert out["overall"]["targets"]["tp"] == 1


def test_eval_a_directory_without_gold_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(tmp_path)]) == 2
    assert "gold" in capsys.readouterr().err


def _write_pair(directory: Path, name: str, text: str, kind: str, targets: list[dict[str, object]]) -> None:
    (directory / f"{name}.txt").write_text(text, encoding="utf-8")
    gold = {"kind": kind, "plans": [{"label": "p", "targets": targets}]}
    (directory / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")


def test_eval_reports_each_document_class(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_pair(tmp_path, "a_plan", "到2025年,全市高新技术企业达到800家。", "complete",
                [{"quote": "高新技术企业达到800家", "value": 800, "unit": "家", "comparator": "=", "year": 2025}])
    _write_pair(tmp_path, "b_news", "记者获悉,到2026年全县研发投入强度达到2.5%。", "news",
                [{"quote": "研发投入强度达到2.5%", "value": 2.5, "unit": "%", "comparator": "=", "year": 2026},
                 {"quote": "记者获悉", "value": 1, "unit": "个", "comparator": "=", "year": 2026}])  # a miss
    assert main(["eval", str(tmp_path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["classes"]) == {"complete", "news"}
    assert out["classes"]["complete"]["targets"]["f1"] == 1.0
    assert out["classes"]["news"]["targets"]["recall"] == 0.5
    assert [p["class"] for p in out["plans"]] == ["complete", "news"]
    assert main(["eval", str(tmp_path)]) == 0
    table = capsys.readouterr().out
    assert "class complete (1 plans): targets P 1.00 R 1.00 F1 1.00" in table
    assert "class news (1 plans): targets P 1.00 R 0.50" in table


def test_eval_service_refuses_a_gold_with_a_directory(tmp_path: Path) -> None:
    from innocity.errors import UserInputError

    with pytest.raises(UserInputError) as exc:
        evaluate(tmp_path, tmp_path / "x.gold.json")
    assert exc.value.field == "gold" and "--" not in exc.value.message
