"""The annual report read back with python-docx: layout values, fonts and sizes per element, the indicator
table against progress, charts, placeholders and provenance marks."""

from __future__ import annotations

import io
from functools import cache

import pytest
from docx.oxml.ns import qn
from PIL import Image

from innocity.reports import annual_tables, gongwen
from innocity.reports.annual import annual_report
from innocity.reports.words import STATUS_ZH, num
from innocity.services import reports
from innocity.services.models.reports import AnnualReportData

from .conftest import TODAY, YEAR, City
from .docx_read import attr, face, load, rows_of, sect, table_with_header, text_of

HEADER = annual_tables.INDICATOR_HEADER


@pytest.fixture(scope="module")
def data(shared_city: City) -> AnnualReportData:
    with shared_city.app.uow() as w:
        return reports.annual_report_data(w, region="芜湖市", year=YEAR, today=TODAY)


@pytest.fixture(scope="module")
def make(data: AnnualReportData):  # type: ignore[no-untyped-def]
    @cache
    def build(template: str = "gbt9704", body_font: str | None = None, label: str | None = None) -> bytes:
        d = data.model_copy(update={"dataset_label": label}) if label else data
        return annual_report(d, template=template, body_font=body_font)

    return build


def test_a4_with_gbt9704_margins_mirrored_on_a_22_line_grid(make) -> None:  # type: ignore[no-untyped-def]
    doc = load(make())
    s = doc.sections[0]
    mm = 1440 / 25.4
    assert (s.page_width.twips, s.page_height.twips) == (11906, 16838)
    for got, want_mm in ((s.top_margin, 37), (s.left_margin, 28), (s.right_margin, 26), (s.bottom_margin, 35)):
        assert abs(got.twips / mm - want_mm) <= 0.1  # the brief allows 1 mm; the file is exact
    assert doc.settings.element.find(qn("w:mirrorMargins")) is not None  # 订口 inside on even pages too
    grid = sect(doc).find(qn("w:docGrid"))
    assert attr(grid, "w:linePitch") == "579" and attr(grid, "w:type") == "lines"
    normal = doc.styles["Normal"].element.pPr
    spacing, ind = normal.find(qn("w:spacing")), normal.find(qn("w:ind"))
    assert attr(spacing, "w:line") == "579" and attr(spacing, "w:lineRule") == "exact"
    assert attr(ind, "w:firstLineChars") == "200"  # two characters
    # 28 characters of 3号 on the 156 mm line: each condensed to at most 15.79 pt
    condense = int(doc.styles["Normal"].element.rPr.find(qn("w:spacing")).get(qn("w:val")))
    assert 28 * (16 + condense / 20) <= 156 / 25.4 * 72


@pytest.mark.parametrize(
    ("template", "body_font", "body_pt", "kai"),
    [("gbt9704", None, 16, "楷体_GB2312"), ("outline2017", None, 15, "楷体_GB2312"), ("gbt9704", "仿宋", 16, "楷体")],
)
def test_fonts_and_sizes_per_element(make, template: str, body_font: str | None, body_pt: float,  # type: ignore[no-untyped-def]
                                     kai: str) -> None:
    doc = load(make(template, body_font))
    body = body_font or "仿宋_GB2312"
    seen = set()
    for p in doc.paragraphs:
        if not p.text.strip():
            continue
        f = face(doc, p)
        assert not f.theme, p.style.name
        name = p.style.name
        seen.add(name)
        want = {
            "Title": ("方正小标宋简体", 22),
            "Heading 1": ("黑体", body_pt),
            "Heading 2": (kai, body_pt),
            "Heading 3": (body, body_pt),
            "Heading 4": (body, body_pt),
            "Normal": (body, body_pt),
            "Caption": ("黑体", 12),
            "表注": ("宋体", 10.5),
        }[name]
        assert (f.east_asia, f.size_pt) == want, (name, p.text[:20])
        assert f.ascii == want[0]  # digits in the same face, as the standard has it
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Normal"} <= seen
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    assert (face(doc, p).east_asia, face(doc, p).size_pt) == ("宋体", 10.5)
    for level in (1, 2, 3, 4):
        outline = doc.styles[f"Heading {level}"].element.pPr.find(qn("w:outlineLvl"))
        assert attr(outline, "w:val") == str(level - 1)  # Word can build a table of contents


def test_page_numbers_outside_on_odd_and_even_pages_none_on_the_first(make) -> None:  # type: ignore[no-untyped-def]
    doc = load(make())
    s = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    assert s.different_first_page_header_footer
    assert not s.first_page_footer.is_linked_to_previous
    assert s.first_page_footer.paragraphs[0].text == ""
    for footer, align in ((s.footer, "right"), (s.even_page_footer, "left")):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert attr(p._p.pPr.find(qn("w:jc")), "w:val") == align
        f = face(doc, p)
        assert (f.east_asia, f.size_pt) == ("宋体", 14)
    assert s.footer.paragraphs[0].paragraph_format.right_indent.pt == 14  # 空一字
    assert s.even_page_footer.paragraphs[0].paragraph_format.left_indent.pt == 14


def test_official_font_names_with_gb2312_charset_in_the_font_table(make) -> None:  # type: ignore[no-untyped-def]
    doc = load(make())
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    blob = part.blob.decode("utf-8")
    for name in ("仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"):
        assert f'w:name="{name}"' in blob
    assert blob.count('w:charset w:val="86"') >= 5
    styles = doc.styles.element.xml
    assert 'w:eastAsia="仿宋_GB2312"' in styles and "AR PL" not in styles and "Noto" not in styles


def test_indicator_table_has_one_row_per_tracked_target_with_progress_figures(  # type: ignore[no-untyped-def]
    make, data: AnnualReportData
) -> None:
    doc = load(make())
    rows = rows_of(table_with_header(doc, HEADER))
    assert len(rows) == len(data.lines) == 8
    for cells, line in zip(rows, data.lines, strict=True):
        r = line.progress
        assert cells[0] == str(line.number)
        assert cells[1] == r.indicator
        assert cells[4] == r.goal_text().replace("（", "\n（", 1)
        assert cells[8] == STATUS_ZH[r.status]
        assert cells[6].split("（")[0] == (num(line.current.value) if line.current else "—")
        assert cells[5] == (num(line.previous.value) if line.previous else "—")
        if r.baseline.value is not None:
            assert cells[3].startswith(num(r.baseline.value))
        if r.ratio is not None:
            assert cells[7].startswith(f"{r.ratio * 100:.1f}%")
        if not line.current and not line.previous:
            assert cells[9].startswith("数据缺失")
    widths = annual_tables.INDICATOR_WIDTHS
    assert abs(sum(widths) - gongwen.TEXT_WIDTH_MM) < 0.01
    for widths in (annual_tables.TASK_WIDTHS, annual_tables.SUPERVISION_WIDTHS):
        assert abs(sum(widths) - gongwen.TEXT_WIDTH_MM) < 0.01


def test_sources_are_numbered_notes_and_missing_figures_are_named(make, data: AnnualReportData) -> None:  # type: ignore[no-untyped-def]
    text = text_of(load(make()))
    assert "1. 芜湖市统计局《芜湖市国民经济和社会发展统计公报》（测试数据）" in text
    missing = [line.progress.indicator for line in data.lines if line.current is None]
    assert f"以下{len(missing)}项目标缺少{YEAR}年数据" in text
    assert all(name in text for name in missing)
    assert "有草稿未计入" in text  # TEC06 has a 2014 draft the table does not count


def test_charts_are_embedded_as_png(make) -> None:  # type: ignore[no-untyped-def]
    doc = load(make())
    assert len(doc.inline_shapes) == 2  # status distribution, key targets' trajectories
    images = [p for p in doc.part.package.parts if p.content_type == "image/png"]
    assert len(images) == 2
    for part in images:
        img = Image.open(io.BytesIO(part.blob))
        assert img.width >= 900  # ≥ 150 dpi at 150 mm
    text = text_of(doc)
    assert "图1" in text and "图2" in text


def test_placeholders_carry_prompts_from_the_data(make) -> None:  # type: ignore[no-untyped-def]
    text = text_of(load(make()))
    assert "【待补充：经验做法。以下指标已达标或进度正常，可总结其做法：全社会研究与试验发展经费支出" in text
    assert "【待补充：存在的问题。以下指标进度滞后：" in text and "技术合同成交额" in text
    assert "以下任务逾期：培育创新型企业" in text
    assert "【待补充：下一步工作计划。" in text
    highlighted = [r for p in load(make()).paragraphs for r in p.runs if r.text.startswith("【待补充")]
    assert highlighted and all(r._r.rPr.find(qn("w:highlight")) is not None for r in highlighted)


def test_outline2017_uses_the_2017_headings(make) -> None:  # type: ignore[no-untyped-def]
    doc = load(make("outline2017"))
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1[:4] == ["一、试点城市基本情况", "二、建设方案提出的目标和指标完成情况", "三、重点任务的实施情况",
                      "四、组织和保障措施的落实情况"]
    assert doc.paragraphs[0].text == f"芜湖市创新型城市建设自总结评估报告（{YEAR}年度）"


def test_simulated_data_are_marked_in_captions_table_and_notes(make) -> None:  # type: ignore[no-untyped-def]
    doc = load(make(label="SIMULATED"))
    text = text_of(doc)
    assert "【模拟数据】本报告所用数据库标记为SIMULATED" in text
    assert "数据说明：本表所有数字来自标记为SIMULATED的演示数据库" in text
    assert "表1  芜湖市主要指标完成情况（2014年）（模拟数据）" in text
    rows = rows_of(table_with_header(doc, HEADER))
    assert all(r[9].startswith("模拟数据") for r in rows if r[6] != "—" or r[5] != "—")
    assert "统计公报（测试数据）" not in text  # no source is presented as real


def test_drafts_counted_are_marked(shared_city: City) -> None:
    with shared_city.app.uow() as w:
        d = reports.annual_report_data(w, region="芜湖市", year=YEAR, today=TODAY, include_draft=True)
    doc = load(annual_report(d))
    rows = rows_of(table_with_header(doc, HEADER))
    assert any(r[6] == "260（草稿）" for r in rows)
    assert "标注“草稿”的1个数字尚未审核通过" in text_of(doc)


def test_a_plan_without_figures_says_so_and_invents_nothing(shared_city: City) -> None:
    with shared_city.app.uow() as w:
        d = reports.annual_report_data(w, region="马鞍山市", year=YEAR, today=TODAY)
    doc = load(annual_report(d))
    text = text_of(doc)
    assert "尚无马鞍山市上述目标的任何统计数据" in text and "本报告不作估算" in text
    rows = rows_of(table_with_header(doc, HEADER))
    assert len(rows) == len(d.lines)
    for r in rows:
        assert r[3] == r[5] == r[6] == r[7] == "—" and r[9] == "数据缺失"
    assert len(doc.inline_shapes) == 1  # the status chart; no trajectory without figures


def test_unknown_template_or_font_is_refused(data: AnnualReportData) -> None:
    with pytest.raises(ValueError, match="template"):
        annual_report(data, template="gb2000")
    with pytest.raises(ValueError, match="body font"):
        annual_report(data, body_font="Arial")
