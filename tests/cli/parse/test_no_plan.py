"""A document that holds no plan is not reported as one (issue 14): the service returns ``plans == []`` and
``innocity parse`` exits 1; pathological inputs (a megabyte of digits, one 8 MB line) stay fast and linear."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from innocity.cli import main
from innocity.parsing.pipeline import holds_a_plan, parse_text
from innocity.services.parsing import parse_path

LETTER = ("Sehr geehrte Damen und Herren,\nanbei die Rechnung Nr. 2024-117 über 45,00 Euro für März.\n"
          "Mit freundlichen Grüßen\nJürgen Müller\n")
PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n" * 20


@pytest.mark.parametrize(("name", "data"), [
    ("letter.txt", LETTER.encode("latin-1")),
    ("passwd", PASSWD.encode("ascii")),
    ("digits.txt", b"0123456789" * 100_000),
    ("menu.txt", "首页 | 新闻 | 联系我们\n版权所有\n".encode()),  # a few Chinese words, no plan in them
])
def test_documents_without_a_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert parse_path(path, annotate=False).plans == []
    capsys.readouterr()
    assert main(["parse", str(path), "-o", str(tmp_path / "out.json")]) == 1
    assert "no plan" in capsys.readouterr().err


def test_a_short_plan_is_still_a_plan() -> None:
    text = "到2025年,全县高新技术企业达到50家,研发投入强度达到2.5%。"
    plans, _ = parse_text(text)
    assert len(plans) == 1 and len(plans[0].targets) == 2
    assert holds_a_plan(text, (0, len(text)))


def _cpu(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        assert parse_text(text)[0] == []
        best = min(best, time.process_time() - t0)
    return best


@pytest.mark.parametrize("unit", ["1234567890", "abc def 123 "])
def test_one_huge_line_without_a_plan_is_dismissed_in_linear_time(unit: str) -> None:
    small = unit * (2_000_000 // len(unit))
    big = unit * (8_000_000 // len(unit))
    s, b = _cpu(small), _cpu(big)
    assert b <= 8 * s + 0.2, (s, b)  # 4x the text: ~4x the work (quadratic would be 16x)
