"""Splitting pages into plans and marking website chrome."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from innocity.parsing.segment import split_plans


def nth(text: str, quote: str, n: int = 1) -> tuple[int, int]:
    pos = -1
    for _ in range(n):
        pos = text.index(quote, pos + 1)
    return (pos, pos + len(quote))


def covered(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in spans)


def test_sample_page_holds_the_gold_plans_in_order(sample_text: str, gold: dict[str, Any]) -> None:
    seg = split_plans(sample_text)
    assert [p.label for p in seg.plans] == [g["label"] for g in gold["plans"]]
    for sl, g in zip(seg.plans, gold["plans"], strict=True):
        a, b = sl.span
        body = sample_text[a:b]
        assert body.startswith(g["start_quote"])
        assert body.endswith(g["end_quote"])
        assert g["first_body_quote"] in body
        assert sl.title == g["title"]
        assert sl.title_span is not None and sample_text[sl.title_span[0] : sl.title_span[1]] == sl.title


def test_sample_page_boilerplate_covers_every_gold_quote(sample_text: str, gold: dict[str, Any]) -> None:
    seg = split_plans(sample_text)
    for item in gold["boilerplate"]:
        span = nth(sample_text, item["quote"], item.get("occurrence", 1))
        assert covered(span, seg.boilerplate), item
    # and no plan contains header/footer lines other than the inline watermark
    for a, b in seg.boilerplate:
        text = sample_text[a:b]
        owners = [p for p in seg.plans if p.span[0] <= a and b <= p.span[1]]
        assert not owners or text.startswith("("), text


def test_plans_do_not_overlap_and_quote_the_text(sample_text: str) -> None:
    page = sample_text * 3
    seg = split_plans(page)
    assert len(seg.plans) == 12
    for prev, cur in zip(seg.plans, seg.plans[1:], strict=False):
        assert prev.span[1] <= cur.span[0]
    for p in seg.plans:
        body = page[p.span[0] : p.span[1]]
        assert body == body.strip()
        assert p.label is not None and body.startswith(p.label)


@pytest.mark.parametrize("indent", ["", "\n\n　　"])
def test_plain_document_is_one_plan_covering_everything(indent: str) -> None:
    text = indent + "一、总体目标\n到2025年，全市研发投入强度达到3%。\n二、保障措施\n加强组织领导。\n\n  \n"
    seg = split_plans(text)
    assert len(seg.plans) == 1
    assert seg.plans[0].span == (0, len(text.rstrip()))
    assert seg.boilerplate == []


@pytest.mark.parametrize("text", ["", "   \n\n ", "\x00\x01", "http://example.com/a.html\n"])
def test_degenerate_pages_give_no_plan_body(text: str) -> None:
    seg = split_plans(text)
    for p in seg.plans:
        assert text[p.span[0] : p.span[1]].strip()
    assert all(0 <= a <= b <= len(text) for a, b in seg.boilerplate)


def test_notice_and_its_attached_plan_are_two_slices(doc: Callable[[str], str]) -> None:
    text = doc("notice_attachment")
    seg = split_plans(text)
    assert len(seg.plans) == 2
    notice, plan = seg.plans
    assert notice.title is not None and notice.title.endswith("的通知")
    assert plan.title is not None and plan.title.startswith("嘉兴市创新型城市建设三年行动计划")
    assert "现印发给你们" in text[notice.span[0] : notice.span[1]]
    plan_text = text[plan.span[0] : plan.span[1]]
    assert plan_text.startswith("嘉兴市创新型城市建设三年行动计划")
    assert plan_text.endswith("市财政每年安排科技专项资金不少于5亿元。")
    for quote in (
        "首页 > 政务公开 > 政策文件",
        "发布日期：2021-04-12 09:30",
        "上一篇：",
        "【打印本页】",
        "版权所有",
    ):
        assert covered(nth(text, quote), seg.boilerplate), quote


def test_two_titled_plans_on_a_template_site(doc: Callable[[str], str]) -> None:
    text = doc("two_plans_site")
    seg = split_plans(text)
    assert [p.title for p in seg.plans] == ["XX市国家创新型城市建设实施方案", "YY县科技创新三年行动方案"]
    first, second = (text[p.span[0] : p.span[1]] for p in seg.plans)
    assert first.endswith("确保各项任务落到实处。")
    assert "YY县" not in first
    assert second.endswith("县财政每年安排科技经费3000万元。")
    # page title in the header, related-article titles in the footer: chrome, not plans
    for quote in (
        "创新型城市建设方案范文",
        "相关文章",
        "某区科技创新行动计划",
        "如有侵权请联系删除",
        "http://www.fanwen123.com",
    ):
        assert covered(nth(text, quote), seg.boilerplate), quote
    # inline watermarks inside the first plan, in full-width brackets
    for quote in ("（第一范文网）", "（www.fanwen123.com）"):
        span = nth(text, quote)
        assert span in seg.boilerplate
        assert seg.plans[0].span[0] < span[0] < seg.plans[0].span[1]


def test_news_report_is_one_plan_without_its_bylines(doc: Callable[[str], str]) -> None:
    text = doc("news_report")
    seg = split_plans(text)
    assert len(seg.plans) == 1
    body = text[seg.plans[0].span[0] : seg.plans[0].span[1]]
    assert "2022—2023年为夯实基础阶段" in body
    assert not body.rstrip().endswith("【关闭】")
    for quote in ("宁波新闻网 > 要闻 > 正文", "来源：宁波日报", "【打印】【关闭】", "责任编辑：王某"):
        assert covered(nth(text, quote), seg.boilerplate), quote


def test_ordinary_parentheses_are_not_watermarks() -> None:
    text = "一、目标\n建设工业互联网（含5G专网）平台，完善城域网（宽带网）。推进物联网（IoT）应用。\n"
    assert split_plans(text).boilerplate == []


def test_government_portal_chrome_around_a_plan(doc: Callable[[str], str]) -> None:
    text = doc("gov_portal")
    seg = split_plans(text)
    assert [p.title for p in seg.plans] == ["绍兴市建设国家创新型城市实施方案"]
    body = text[seg.plans[0].span[0] : seg.plans[0].span[1]]
    assert body.endswith("加强组织领导。")
    for quote in (
        "首页 | 机构概况",
        "索引号：",
        "发文字号：",
        "扫一扫",
        "浙ICP备",
        "主办单位：",
        "联系电话：",
    ):
        assert covered(nth(text, quote), seg.boilerplate), quote


def test_schedule_lines_that_look_like_page_metadata_stay_text() -> None:
    text = "三、实施步骤\n（一）启动阶段\n时间：2022年3月—4月\n任务：制定方案。\n"
    seg = split_plans(text)
    assert seg.boilerplate == []
    assert seg.plans[0].span == (0, len(text.rstrip()))


@pytest.mark.parametrize(
    ("first", "second"), [("【篇一】", "【篇二】"), ("第一篇：", "第二篇："), ("范文一：", "范文二：")]
)
def test_other_ways_sites_number_their_plans(first: str, second: str) -> None:
    text = (
        f"某某范文网\n{first}科技创新工作方案\n为推进创新，制定本方案。到2025年研发投入强度达到3%。\n"
        f"{second}创新型县建设实施方案\n为建设创新型县，现制定如下方案，确保各项任务落到实处。\n"
    )
    seg = split_plans(text)
    assert [p.label for p in seg.plans] == [first.strip("【】："), second.strip("【】：")]
    assert [p.title for p in seg.plans] == ["科技创新工作方案", "创新型县建设实施方案"]
    assert covered(nth(text, "某某范文网"), seg.boilerplate)


def test_a_bare_subheading_that_ends_like_a_title_does_not_split_the_plan() -> None:
    text = (
        "某市创新型城市建设实施方案\n为推进创新型城市建设，制定本方案，请各地认真贯彻落实。\n"
        "工作计划\n每年制定年度工作计划，明确任务分工和完成时限，确保按期完成。\n"
    )
    seg = split_plans(text)
    assert len(seg.plans) == 1 and seg.plans[0].span == (0, len(text.rstrip()))


def test_title_in_book_brackets_with_a_draft_note() -> None:
    text = (
        "《丽水市科技创新三年行动计划（2021—2023年）》\n（征求意见稿）\n"
        "为加快科技创新，制定本行动计划，请各地各部门认真贯彻落实。\n一、目标\n到2023年研发投入强度达到2.5%。\n"
    )
    (plan,) = split_plans(text).plans
    assert plan.title == "《丽水市科技创新三年行动计划（2021—2023年）》"
    assert plan.span == (0, len(text.rstrip()))


def test_notice_with_masthead_and_numbered_attachments(doc: Callable[[str], str]) -> None:
    text = doc("notice_masthead")
    seg = split_plans(text)
    notice, plan = seg.plans
    assert notice.span[0] == 0  # masthead and 文号 stay with the notice
    assert notice.title == "湖州市人民政府办公室关于印发湖州市建设创新型城市行动方案的通知"
    assert text[notice.span[0] : notice.span[1]].endswith("2022年3月1日")
    assert plan.title == "湖州市建设创新型城市行动方案"
    body = text[plan.span[0] : plan.span[1]]
    assert body.startswith("附件1") and body.endswith(
        "市科技局"
    )  # the task table of 附件2 is part of the plan


def test_headline_of_a_single_document_is_its_title(doc: Callable[[str], str]) -> None:
    (plan,) = split_plans(doc("news_report")).plans
    assert plan.title == "宁波出台建设国家创新型城市实施方案"
    text = "宁波市创新型城市建设重点任务分解表\n序号\t任务\t牵头单位\n1\t建设甬江实验室\t市科技局\n"
    (table,) = split_plans(text).plans
    assert table.title == "宁波市创新型城市建设重点任务分解表"
    (untitled,) = split_plans("为加快建设创新型城市，制定本方案。\n一、目标\n").plans
    assert untitled.title is None
