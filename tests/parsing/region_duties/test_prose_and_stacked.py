"""Responsibilities without a 责任单位 label: sentences that say who leads and who supports (issue 13, item 12),
and task tables whose cells were flattened one per line (item 13). Inputs written for these tests."""

from __future__ import annotations

import pytest

from innocity.domain.plan import Duty, Region
from innocity.parsing.duties import extract_duties
from innocity.parsing.duty_prose import SHAPES

CITY = Region("襄阳市", "湖北省", 0.9, [], adcode="420600", level="city")
COUNTY = Region("岷县", "甘肃省", 0.9, [], adcode="621126", level="county")


def duties(text: str, region: Region = CITY) -> list[Duty]:
    got = extract_duties(text, (0, len(text)), [], region)
    for d in got:
        assert text[d.span[0]:d.span[1]] == d.text
        assert d.rule and d.confidence is not None and 0 < d.confidence <= 1
    return got


@pytest.mark.parametrize(
    ("text", "lead", "support", "rule"),
    [
        ("加快建设汉江创新走廊,由市科技局牵头,市发改委、市财政局配合。", ["市科技局"], ["市发改委", "市财政局"],
         "prose-lead-support"),
        ("推进企业上云用数赋智,市经信局负责,各县(市、区)落实。", ["市经信局"], ["各县(市、区)"],
         "prose-responsible-then"),
        ("完善科技金融服务体系,由市金融办、人行襄阳市中心支行牵头,各商业银行参与。",
         ["市金融办", "人行襄阳市中心支行"], ["各商业银行"], "prose-lead-support"),
        ("市科技创新委员会负责全市科技创新工作的统筹协调和督促检查。", ["市科技创新委员会"], [],
         "prose-responsible-for"),
        ("由市教育局、市人社局共同牵头,各高校协同配合。", ["市教育局", "市人社局"], [], "prose-lead-support"),
    ],
)
def test_prose_sentences_name_leads_and_supports(text: str, lead: list[str], support: list[str], rule: str) -> None:
    got = duties(text)
    assert len(got) == 1, got
    d = got[0]
    assert (d.lead, d.support, d.rule) == (lead, support, rule)
    assert d.confidence is not None and d.confidence < 0.95  # prose is less certain than a labelled line


def test_a_list_before_qianTou_is_all_leads_and_the_county_prefix_is_restored() -> None:
    got = duties("由县科技局、县农业农村局牵头,各乡镇配合,建设科技特派员服务站。", COUNTY)
    assert [(d.lead, d.support) for d in got] == [(["县科技局", "县农业农村局"], ["各乡镇"])]


def test_bracketed_duty_keeps_its_own_rule_and_prose_is_not_read_twice() -> None:
    got = duties("实施人才引育工程(市委组织部、市人社局按职责分工负责)。由市科技局牵头,市财政局配合。")
    assert [(d.rule, d.lead) for d in got] == [("bracketed-list", ["市委组织部", "市人社局"]),
                                               ("prose-lead-support", ["市科技局"])]
    labelled = duties("(牵头单位:市科技局,配合单位:市财政局)")
    assert [(d.rule, d.lead, d.support) for d in labelled] == [("labelled-line", ["市科技局"], ["市财政局"])]


@pytest.mark.parametrize("text", [
    "市政府负责同志要亲自部署。",  # 负责同志: an official, not a duty
    "企业负责研发投入的主体责任。",  # 企业 is not a body
    "各地要负责做好宣传。",
])
def test_sentences_that_name_no_body_give_no_duty(text: str) -> None:
    assert duties(text) == []


def test_every_prose_shape_reads_its_own_example() -> None:
    for shape in SHAPES:
        got = duties(shape.example)
        assert [d.rule for d in got] == [shape.name], (shape.name, got)


STACKED = """附件
2024年科技创新重点任务分工
序号
重点任务
牵头单位
配合单位
完成时限
1
建设襄阳科技城创新中心
市科技局
市发改委、市自然资源和规划局
2024年12月底
2
引进高层次创新团队
市委人才办
2024年10月
3
实施规上工业企业研发活动
全覆盖行动
市经信局
市科技局、市统计局
持续推进
四、保障措施
加强组织领导。"""


def test_a_table_with_one_cell_per_line_gives_one_duty_per_row() -> None:
    got = duties(STACKED)
    rows = [(d.task, d.lead, d.support, d.deadline, d.rule) for d in got]
    assert rows == [
        ("建设襄阳科技城创新中心", ["市科技局"], ["市发改委", "市自然资源和规划局"], "2024-12", "stacked-table"),
        ("引进高层次创新团队", ["市委人才办"], [], "2024-10", "stacked-table"),  # its empty support cell was lost
        ("实施规上工业企业研发活动 全覆盖行动", ["市经信局"], ["市科技局", "市统计局"], None, "stacked-table"),
    ]


def test_a_stacked_table_without_row_numbers_repeats_the_header_width() -> None:
    text = ("工作事项\n牵头部门\n配合部门\n完成时间\n"
            "举办科技成果对接会\n市科协\n市科技局\n2025年6月\n"
            "建设中试基地\n市经信局\n市财政局\n2025年12月\n"
            "以上任务各部门要按时完成,确保取得实效,并于每季度末报送进展。")
    got = duties(text)
    assert [(d.task, d.lead, d.support, d.deadline) for d in got] == [
        ("举办科技成果对接会", ["市科协"], ["市科技局"], "2025-06"),
        ("建设中试基地", ["市经信局"], ["市财政局"], "2025-12"),
    ]


def test_a_header_like_list_without_rows_gives_nothing() -> None:
    assert duties("序号\n重点任务\n牵头单位\n配合单位\n(表格内容见附件)") == []
