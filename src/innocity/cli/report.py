"""Report commands: ``report annual|supervision|compare|progress`` write Word and Excel files.

Each gathers the data with one service call (``services.reports``), hands it to a writer
(``innocity.reports``) and writes the bytes to ``-o FILE``; it prints the file written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from innocity.errors import UserInputError

from .common import TODAY, id_argument, parse_date, uow

report_app = typer.Typer(
    help="Reports the office sends: the annual self-evaluation report and the 督办通知单 (Word), plan "
    "comparisons and progress by department (Excel). Example: innocity report annual --region 湘潭市 "
    "--year 2014 -o 湘潭市2014年度自评估报告.docx",
    no_args_is_help=True,
)

Region = Annotated[str, typer.Option("--region", help="region name or adcode, e.g. 湘潭市 or 430300")]
Year = Annotated[int, typer.Option("--year", help="the report year (evaluation year)", min=1949, max=2100)]
Today = Annotated[str | None, TODAY]
Draft = Annotated[bool, typer.Option("--include-draft", help="count unapproved figures too (marked 草稿)")]


def _output(path: Path | None, default: str, suffix: str) -> Path:
    out = path or Path(default)
    if out.suffix.lower() != suffix:
        raise UserInputError(f"the output file must end in {suffix}: {out}", field="output")
    if out.is_dir():
        raise UserInputError(f"{out} is a directory", field="output")
    return out


def _write(out: Path, data: bytes) -> None:
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UserInputError(f"cannot write {out}: {exc.strerror}", field="output") from None
    typer.echo(str(out))


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.add_typer(report_app, name="report")


@report_app.command("annual")
def annual_cmd(
    region: Region,
    year: Year,
    template: Annotated[str, typer.Option("--template", help="gbt9704 (三号 body) or outline2017 (小三 body, "
                                          "the 2017 编写提纲's headings)")] = "gbt9704",
    body_font: Annotated[str, typer.Option("--body-font", help="仿宋_GB2312 or 仿宋")] = "仿宋_GB2312",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="the .docx to write")] = None,
    include_draft: Draft = False,
    today: Today = None,
) -> None:
    """The annual self-evaluation report (年度自评估报告) of a region's plan, in 公文 format (DOCX).

    A region without a stored plan is refused (exit 2); a plan without figures gives a report that says
    which figures are missing. Example: innocity report annual --region 湘潭市 --year 2014 -o r.docx
    """
    from innocity.reports.annual import TEMPLATES, annual_report
    from innocity.reports.gongwen import BODY_FONTS
    from innocity.services import reports

    if template not in TEMPLATES:
        raise UserInputError(f"{template!r} is not one of {', '.join(TEMPLATES)}", field="template")
    if body_font not in BODY_FONTS:
        raise UserInputError(f"{body_font!r} is not one of {', '.join(BODY_FONTS)}", field="body_font")
    out = _output(output, f"{region}{year}年度自评估报告.docx", ".docx")
    with uow() as w:
        data = reports.annual_report_data(w, region=region, year=year, today=parse_date(today, "today"),
                                          include_draft=include_draft)
    _write(out, annual_report(data, template=template, body_font=body_font))


@report_app.command("supervision")
def supervision_cmd(
    item_id: Annotated[int, id_argument("督办 item id (see innocity supervise list)")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="the .docx to write")] = None,
    year: Annotated[int | None, typer.Option("--year", help="evaluation year of the facts quoted (default: "
                                             "the year of the target's latest figure)", min=1949, max=2100)] = None,
    today: Today = None,
) -> None:
    """The 督办通知单 of one item (DOCX, 公文 format). Example: innocity report supervision 3 -o 督办3.docx"""
    from innocity.reports.notice import supervision_notice
    from innocity.services import reports

    out = _output(output, f"督办通知单-{item_id}.docx", ".docx")
    with uow() as w:
        data = reports.supervision_notice_data(w, item_id=item_id, year=year, today=parse_date(today, "today"))
    _write(out, supervision_notice(data))


@report_app.command("compare")
def compare_cmd(
    indicator: Annotated[list[str], typer.Option("--indicator", help="indicator code (repeatable), e.g. TEC01")],
    regions: Annotated[list[str] | None, typer.Option("--regions", help="only these regions (repeatable)")] = None,
    year: Annotated[int | None, typer.Option("--year", help="evaluation year (default: this year)",
                                             min=1949, max=2100)] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="the .xlsx to write")] = None,
) -> None:
    """Each plan's target for the indicators, side by side (XLSX, one sheet per indicator).

    Example: innocity report compare --indicator TEC01 --indicator ORI02 --regions 西宁市 --regions 济南市 -o c.xlsx
    """
    from innocity.reports.excel import compare_workbook
    from innocity.services import reports

    out = _output(output, "compare.xlsx", ".xlsx")
    names = [r for text in regions or [] for r in text.replace("，", ",").split(",") if r.strip()]
    with uow() as w:
        data = reports.compare_data(w, indicators=indicator, regions=names or None, year=year)
    _write(out, compare_workbook(data))


@report_app.command("progress")
def progress_cmd(
    region: Region,
    year: Year,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="the .xlsx to write")] = None,
    include_draft: Draft = False,
    today: Today = None,
) -> None:
    """Progress of a region by department: a summary sheet and one sheet per department (XLSX).

    Example: innocity report progress --region 湘潭市 --year 2014 -o 湘潭市2014进度.xlsx
    """
    from innocity.reports.excel import progress_workbook
    from innocity.services import reports

    out = _output(output, f"{region}{year}进度.xlsx", ".xlsx")
    with uow() as w:
        data = reports.progress_workbook_data(w, region=region, year=year, today=parse_date(today, "today"),
                                              include_draft=include_draft)
    _write(out, progress_workbook(data))
