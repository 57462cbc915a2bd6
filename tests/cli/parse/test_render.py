"""The people's formats (table, md) show every part of a plan, in Chinese, for a hand-built document."""

from __future__ import annotations

import io

from innocity.cli.parse import render_markdown, render_table
from innocity.domain.plan import (
    Duty,
    ParsedDocument,
    Phase,
    Plan,
    Program,
    ProgramPart,
    Region,
    SourceInfo,
    Target,
)


def _doc() -> ParsedDocument:
    text = "芜湖市创新型城市建设实施方案。到2025年，研发投入强度达到3%以上。"
    plan = Plan(
        title="芜湖市创新型城市建设实施方案",
        span=(0, len(text)),
        region=Region(name="芜湖市", province="安徽省", confidence=0.95, adcode="340200", level="city"),
        label="篇一",
        targets=[
            Target(
                text="研发投入强度达到3%以上",
                span=(0, 1),
                indicator="研发投入强度",
                kind="level",
                comparator=">=",
                value=3,
                unit="%",
                year=2025,
                year_text="2025",
            ),
            Target(
                text="培育龙头企业3到5家",
                span=(0, 1),
                indicator="龙头企业|数量",
                kind="level",
                comparator="range",
                value=3,
                value_max=5,
                unit="家",
                year=None,
                year_text="201*",
            ),
            Target(
                text="年均增长15%",
                span=(0, 1),
                indicator="技术合同成交额",
                kind="growth",
                comparator="=",
                value=15,
                unit="%",
                year=None,
                year_text=None,
                approximate=True,
            ),
        ],
        duties=[
            Duty(
                text="市科技局牵头，市财政局配合",
                span=(0, 1),
                task="建设创新平台",
                lead=["市科技局"],
                support=["市财政局", "市发改委"],
            )
        ],
        phases=[
            Phase(
                text="启动阶段",
                span=(0, 1),
                name="启动阶段",
                start="2023-01",
                end=None,
                start_text="2023年1月",
                end_text="202*年6月",
            )
        ],
        programs=[
            Program(
                text="“1+3”工程",
                span=(0, 1),
                name="“1+3”工程",
                parts=[ProgramPart("平台", 3, ["甲", "乙", "丙"])],
                consistent=True,
            ),
            Program(
                text="“双十”行动",
                span=(0, 1),
                name="“双十”行动",
                parts=[ProgramPart("项目", 10, ["甲"])],
                consistent=False,
            ),
        ],
    )
    return ParsedDocument(
        source=SourceInfo(
            name="wuhu.docx", sha256="0" * 64, media_type="text/plain", encoding="utf-8", chars=len(text)
        ),
        plans=[plan],
        warnings=["region: demo warning"],
        text=text,
    )


def test_table_shows_region_phases_targets_duties_programmes() -> None:
    buf = io.StringIO()
    render_table(_doc(), buf)
    out = buf.getvalue()
    for expected in (
        "篇一：芜湖市创新型城市建设实施方案",
        "芜湖市（安徽省）",
        "340200",
        "启动阶段",
        "2023-01",
        "202*年6月",
        "研发投入强度",
        "达到 ≥",
        "达到 区间",
        "3–5",
        "年均增长",
        "15（约）",
        "201*",
        "2025",
        "建设创新平台",
        "市科技局",
        "市财政局、市发改委",
        "“1+3”工程",
        "一致",
        "不一致",
        "注意：region: demo warning",
    ):
        assert expected in out, expected


def test_markdown_has_the_same_content_and_escapes_pipes() -> None:
    out = render_markdown(_doc())
    assert out.startswith("# wuhu.docx\n")
    assert "## 篇一：芜湖市创新型城市建设实施方案" in out
    assert "| 研发投入强度 | 达到 ≥ | 3 | % | 2025 |" in out
    assert "| 龙头企业\\|数量 | 达到 区间 | 3–5 | 家 | 201* |" in out
    assert "| 建设创新平台 | 市科技局 | 市财政局、市发改委 |" in out
    assert "| “双十”行动 | 项目 声明10个/列出1个 | 不一致 |" in out
    assert "| 启动阶段 | 2023-01 | 202*年6月 |" in out


def test_document_without_plans_says_so() -> None:
    doc = _doc()
    doc.plans = []
    assert "未找到方案" in render_markdown(doc)
