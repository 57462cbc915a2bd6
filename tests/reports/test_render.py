"""Rendering checks: the annual report and a 督办通知单 through LibreOffice (headless, the official fonts
mapped to free ones by fontconfig/fonts.conf) to PDF and PNG, then measured: A4, the text inside the GB/T
9704 text area on every page (订口 28 mm inside, 26 mm outside, 天头 37 mm, bottom 35 mm, each within 1 mm),
page numbers "— N —" on the outer side of every page but the first, nothing off the page.

Where LibreOffice or poppler is missing the tests say so and fail under CI=1 (skip elsewhere)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from innocity.reports.annual import annual_report
from innocity.reports.notice import supervision_notice
from innocity.services import reports

from .conftest import TODAY, YEAR, City, require_tools, to_pdf

PAGE_W, PAGE_H = 210.0, 297.0
TOP, BOTTOM, INSIDE, OUTSIDE = 37.0, 35.0, 28.0, 26.0
MM = 25.4 / 72
BODY_CHAR = 16 * MM  # one character of 三号
HANGING = set("、，。；：？！）》”’")


@dataclass
class Line:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def lines_of(pdf: Path) -> dict[int, list[Line]]:
    """Every text line of ``pdf`` with its box in mm (pdftotext -bbox-layout), by page number."""
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    out: dict[int, list[Line]] = {}
    for n, page in enumerate(html.split("<page ")[1:], start=1):
        out[n] = []
        for m in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
                             page, re.S):
            words = " ".join(re.findall(r">([^<]*)</word>", m[5]))
            x0, y0, x1, y1 = (float(m[i]) * MM for i in range(1, 5))
            out[n].append(Line(n, x0, y0, x1, y1, words))
    return out


@pytest.fixture(scope="module")
def rendered(shared_city: City, tmp_path_factory: pytest.TempPathFactory, lo_profile: Path) -> dict[str, Path]:
    require_tools()
    out = tmp_path_factory.mktemp("render")
    with shared_city.app.uow() as w:
        data = reports.annual_report_data(w, region="芜湖市", year=YEAR, today=TODAY)
        notice = reports.supervision_notice_data(w, item_id=shared_city.closed_item, year=YEAR, today=TODAY)
    files = {"annual": out / "annual.docx", "notice": out / "notice.docx"}
    files["annual"].write_bytes(annual_report(data))
    files["notice"].write_bytes(supervision_notice(notice))
    return {k: to_pdf(v, lo_profile) for k, v in files.items()}


@pytest.mark.parametrize("name", ["annual", "notice"])
def test_a4_pages(rendered: dict[str, Path], name: str) -> None:
    reader = PdfReader(rendered[name])
    assert len(reader.pages) >= 2
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) * MM - PAGE_W) < 0.5 and abs(float(box.height) * MM - PAGE_H) < 0.5


def _is_number(line: Line) -> bool:
    return re.fullmatch(r"—\s*\d+\s*—", line.text.strip()) is not None


@pytest.mark.parametrize("name", ["annual", "notice"])
def test_page_numbers_on_every_page_but_the_first_on_the_outer_side(rendered: dict[str, Path], name: str) -> None:
    pages = lines_of(rendered[name])
    assert not [ln for ln in pages[1] if ln.y0 > PAGE_H - BOTTOM], "page 1 carries no page number"
    for n, lines in pages.items():
        if n == 1:
            continue
        numbers = [ln for ln in lines if _is_number(ln)]
        assert len(numbers) == 1, (n, [ln.text for ln in lines if ln.y0 > 250])
        num = numbers[0]
        assert int(re.sub(r"\D", "", num.text)) == n
        # the dash's top 7 mm below the text area (GB/T 9704 §7.5), within the measuring slack
        assert PAGE_H - BOTTOM + 4 < num.y0 < PAGE_H - BOTTOM + 10
        if n % 2:  # odd: right, 空一字 from the text area's outer edge
            assert abs(num.x1 - (PAGE_W - OUTSIDE - 14 * MM)) < 1.5
        else:
            assert abs(num.x0 - (OUTSIDE + 14 * MM)) < 1.5


@pytest.mark.parametrize("name", ["annual", "notice"])
def test_text_stays_in_the_text_area_and_fills_it_to_the_margins(rendered: dict[str, Path], name: str) -> None:
    pages = lines_of(rendered[name])
    for n, lines in pages.items():
        body = [ln for ln in lines if not _is_number(ln)]
        assert body, f"page {n} is empty"
        left = INSIDE if n % 2 else OUTSIDE  # mirrored margins: the 订口 is inside
        right = PAGE_W - (OUTSIDE if n % 2 else INSIDE)
        for ln in lines:
            assert 0 <= ln.x0 and ln.x1 <= PAGE_W and 0 <= ln.y0 and ln.y1 <= PAGE_H, ln
        for ln in body:
            # LibreOffice hangs a line-end punctuation mark into the margin (see gongwen: it reads
            # w:overflowPunct the other way round from Word); only such a mark may pass the right margin
            limit = right + 1 + (BODY_CHAR if ln.text.rstrip()[-1:] in HANGING else 0)
            assert ln.x0 >= left - 1 and ln.x1 <= limit, (n, ln)
            assert ln.y0 >= TOP - 1 and ln.y1 <= PAGE_H - BOTTOM + 1, (n, ln)
    # lines of body text start at the left margin and justified ones end at the right one: the margins
    # are where the standard puts them, not merely respected (pages of centred tables only start inside)
    body = {n: [ln for ln in lines if not _is_number(ln)] for n, lines in pages.items()}
    starts = {n: min(ln.x0 for ln in lines) for n, lines in body.items()}
    assert any(abs(x - INSIDE) <= 1 for n, x in starts.items() if n % 2)
    if name == "annual":  # the notice's second page holds only its centred forms
        assert any(abs(x - OUTSIDE) <= 1 for n, x in starts.items() if not n % 2)
    ends = [ln.x1 for ln in body[1] if ln.text.rstrip()[-1:] not in HANGING]
    assert abs(max(ends) - (PAGE_W - OUTSIDE)) <= 1
    # a page's first line of text: its glyphs sit inside the 28.95 pt line that starts at the top margin
    # (page 1 opens with the taller title line, and a page may open with a chart)
    tops = [min(ln.y0 for ln in lines) for n, lines in body.items() if n > 1]
    assert any(TOP - 1 <= y <= TOP + 4 for y in tops), tops


def test_fonts_resolve_to_the_stand_ins_and_chinese_is_extracted(rendered: dict[str, Path]) -> None:
    fonts = subprocess.run(["pdffonts", str(rendered["annual"])], check=True, capture_output=True,
                           text=True).stdout
    assert "UKai" in fonts  # 仿宋_GB2312 / 楷体_GB2312
    assert "NotoSansCJK" in fonts  # 黑体
    assert "NotoSerifCJK" in fonts and "Bold" in fonts  # 宋体, 方正小标宋简体 (bold)
    text = "".join(ln.text for ln in lines_of(rendered["annual"])[1]).replace(" ", "")
    assert "芜湖市2014年度创新型城市建设自评估报告" in text


def test_png_of_the_first_page(rendered: dict[str, Path], tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(rendered["annual"]),
                    str(tmp_path / "p")], check=True, capture_output=True)
    png = next(tmp_path.glob("p*.png"))
    img = Image.open(png).convert("L")
    assert abs(img.width / img.height - PAGE_W / PAGE_H) < 0.01
    dark = sum(img.histogram()[:128])
    assert dark > 1000  # text was drawn
