"""Fixtures of the bulletin suite: a short bulletin and a work report written for these tests (their figures
are illustrative, not real statistics), the same bulletin as .html, .docx and .pdf, and the real documents
with golds (``tests/fixtures/corpus/bulletins`` and ``fixtures/``)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from innocity.catalog import Matcher, load_catalog

HERE = Path(__file__).resolve().parent
OWN_GOLDS = HERE / "fixtures"
CORPUS_GOLDS = HERE.parents[1] / "fixtures" / "corpus" / "bulletins"
GOLD_DIRS = [d for d in (CORPUS_GOLDS, OWN_GOLDS) if d.is_dir() and any(d.glob("*.gold.json"))]

# An illustrative city bulletin in the usual shape (not real figures).
BULLETIN = (
    "株洲市2019年国民经济和社会发展统计公报\n"
    "株洲市统计局\n"
    "(2020年3月20日)\n"
    "一、综合\n"
    "初步核算,全年全市地区生产总值3003.1亿元,比上年增长7.8%。其中,第一产业增加值214.5亿元,增长3.2%;"
    "第二产业增加值1352.6亿元,增长8.1%。三次产业结构由上年的7.4:46.0:46.6调整为7.1:45.0:47.9。\n"
    "二、科学技术\n"
    "全年专利授权量6210件,比上年增长12.5%,其中发明专利授权量1021件。年末有效发明专利11520件。"
    "全年技术合同成交额86.4亿元,下降2.1%。年末高新技术企业1035家,比上年末增加203家。"
    "全年研究与试验发展(R&D)经费支出80.3亿元,与地区生产总值之比为2.67%。\n"
)
# An illustrative work report: a review of 2018, then the goals for 2019 (not real figures).
WORK_REPORT = (
    "2019年株洲市政府工作报告\n"
    "——2019年1月15日在株洲市第十五届人民代表大会第三次会议上\n"
    "一、2018年工作回顾\n"
    "过去一年,全市地区生产总值完成2631.5亿元,增长8.0%;地方一般公共预算收入161.1亿元,增长6.3%;"
    "高新技术企业达到832家。\n"
    "二、2019年工作安排\n"
    "今年经济社会发展的主要预期目标是:地区生产总值增长7.5%左右,地方一般公共预算收入增长6%,"
    "新增高新技术企业150家。\n"
)


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return Matcher(load_catalog())


def html_bytes(text: str) -> bytes:
    body = "".join(f"<p>{line}</p>\n" for line in text.splitlines())
    return f"<html><head><meta charset='utf-8'><title>公报</title></head><body>{body}</body></html>".encode()


def docx_bytes(text: str) -> bytes:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def pdf_bytes(text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y = A4[1] - 60
    for line in text.splitlines():
        for i in range(0, len(line), 34):
            c.setFont("STSong-Light", 12)
            c.drawString(40, y, line[i: i + 34])
            y -= 18
            if y < 60:
                c.showPage()
                y = A4[1] - 60
    c.showPage()
    c.save()
    return buf.getvalue()
