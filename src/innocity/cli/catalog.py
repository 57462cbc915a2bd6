"""``innocity catalog``: list, show and match indicators, and add the user's own.

Each command parses its arguments, calls one function of ``innocity.services.catalog`` and prints.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import typer

from .common import Format, app_context, format_option, print_json


def _service() -> ModuleType:
    """The catalogue service, imported on first use: loading it (pydantic, the YAML catalogue) costs a
    third of a second that other commands should not pay."""
    from innocity.services import catalog

    return catalog


class Kind(StrEnum):
    level = "level"
    growth = "growth"
    change = "change"


_SOURCE_ZH = {"confirmed": "评价报告确认", "common": "常用统计指标", "proposed": "建议"}
_AGG_ZH = {"flow": "流量(年内累加)", "stock": "存量(年末值)", "rate": "比率(由分子分母重算)"}

catalog_app = typer.Typer(
    name="catalog",
    help="指标目录:查看、匹配与扩充指标。 Indicator catalogue: list, show, match phrases, add your own.",
    no_args_is_help=True,
)


def _console() -> Any:
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 140, highlight=False)


def _print_json(data: object) -> None:
    print_json(data)


@catalog_app.command("list")
def list_cmd(
    dimension: Annotated[
        str | None, typer.Option("--dimension", "-d", help="GOV, ORI, TEC, TRA, DRV or the Chinese name")
    ] = None,
    fmt: Annotated[str, format_option(Format.table, Format.json, short=True)] = "table",
) -> None:
    """List the indicators (built-in and your own).

    Examples: innocity catalog list · innocity catalog list --dimension TEC · innocity catalog list -f json
    """
    items = _service().list_indicators(app_context().catalog, dimension=dimension)
    if fmt == Format.json:
        _print_json([i.to_dict() for i in items])
        return
    from rich.table import Table

    table = Table(title=f"指标目录({len(items)}项)")
    for head in ("代码", "指标名称", "单位", "方向", "维度", "类型", "来源", "纳入指数"):
        table.add_column(head)
    for i in items:
        table.add_row(i.code, i.name_zh, i.unit, "正向" if i.direction > 0 else "逆向", i.dimension_name,
                      i.kind, _SOURCE_ZH[i.source], "是" if i.in_index else "否")
    _console().print(table)


@catalog_app.command("show")
def show_cmd(
    code: Annotated[str, typer.Argument(help="indicator code, e.g. TEC01")],
    fmt: Annotated[str, format_option(Format.table, Format.json, short=True)] = "table",
) -> None:
    """Show one indicator: names, unit, direction, 口径, formula, aggregation, source.

    Example: innocity catalog show TEC01
    """
    ind = _service().show_indicator(app_context().catalog, code=code)
    if fmt == Format.json:
        _print_json(ind.to_dict())
        return
    from rich.table import Table

    table = Table(title=f"{ind.code} {ind.name_zh}", show_header=True)
    table.add_column("字段")
    table.add_column("内容")
    rows = [
        ("英文名称", ind.name_en),
        ("别名", "、".join(ind.aliases) or "—"),
        ("单位", ind.unit),
        ("方向", "正向(越高越好)" if ind.direction > 0 else "逆向(越低越好)"),
        ("维度", f"{ind.dimension} {ind.dimension_name}"),
        ("类型", ind.kind),
        ("口径", ind.definition),
        ("计算公式", str(ind.formula) if ind.formula else "—"),
        ("时间汇总", _AGG_ZH[ind.aggregation]),
        ("数据来源", ind.data_source),
        ("依据", f"{_SOURCE_ZH[ind.source]} ({ind.source})" + (f";{ind.evidence}" if ind.evidence else "")),
        ("纳入默认指数", "是" if ind.in_index else "否"),
        ("定义文件", ind.origin),
    ]
    for k, v in rows:
        table.add_row(k, v)
    _console().print(table)


@catalog_app.command("match")
def match_cmd(
    phrase: Annotated[str, typer.Argument(help="an indicator phrase or a whole target sentence")],
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="unit of the figure, e.g. % or 亿元")] = None,
    kind: Annotated[Kind | None, typer.Option("--kind", "-k", help="level, growth or change")] = None,
    fmt: Annotated[str, format_option(Format.table, Format.json, short=True)] = "table",
) -> None:
    """Match a phrase to an indicator and show the candidates behind the decision.

    Examples: innocity catalog match "万人专利申请量" --unit 件 ·
    innocity catalog match "高新技术产业增加值" --unit % · innocity catalog match "高新技术产业增加值年均增长率" -k growth
    """
    report = _service().match_phrase(
        app_context().matcher, phrase=phrase, unit=unit, kind=kind.value if kind else None
    )
    if fmt == Format.json:
        _print_json(
            {
                "phrase": report.phrase,
                "normalized": report.normalized,
                "unit": report.unit,
                "kind": report.kind,
                "match": report.match.to_dict() if report.match else None,
                "candidates": [
                    {"code": c.indicator.code, "name_zh": c.indicator.name_zh, "score": round(c.score, 4),
                     "alias": c.alias, "rejected": c.rejected}
                    for c in report.candidates
                ],
            }
        )
        return
    from rich.table import Table

    m = report.match
    headline = f"{m.code} (得分 {m.score:.2f}, {m.kind})" if m else "未匹配 (no indicator passes the gates)"
    table = Table(title=f"“{phrase}” → {headline}", caption=f"规范化: {report.normalized or '(空)'}")
    for head in ("代码", "指标名称", "得分", "匹配别名", "结果"):
        table.add_column(head)
    for c in report.candidates:
        if m and c.indicator.code == m.code:
            verdict = "✔ 匹配"
        elif c.rejected:
            verdict = f"✘ {c.rejected}"
        elif c.score < report.threshold:
            verdict = f"低于阈值 {report.threshold:.2f}"
        else:
            verdict = "✘ 短语列举了多个指标 (several indicators listed)"
        table.add_row(c.indicator.code, c.indicator.name_zh, f"{c.score:.2f}", c.alias, verdict)
    _console().print(table)


@catalog_app.command("add")
def add_cmd(
    file: Annotated[Path, typer.Argument(help="a YAML or CSV file of indicators (same fields as the catalogue)")],
) -> None:
    """Validate your own indicators and add them to your catalogue (in the innocity data directory).

    Examples: innocity catalog add my-indicators.yaml · innocity catalog add 本市指标.csv
    A bad file is rejected whole, naming the entry and field: my.yaml: indicator X01 field 'direction': must be 1 or -1
    """
    from innocity.errors import CatalogError

    try:
        result = _service().add_indicators(catalog_dir=app_context().catalog_dir, path=file)
    except CatalogError as exc:
        for line in exc.problems[1:]:  # the first is in the error line main() prints
            print(f"innocity: {exc.source}: {line}", file=sys.stderr)
        raise
    verb = "replaced" if result.replaced else "added"
    typer.echo(f"{verb} {len(result.codes)} indicators ({', '.join(result.codes)}) → {result.stored_at}")


def register(app: typer.Typer) -> None:
    """Add ``innocity catalog …`` to the root app."""
    app.add_typer(catalog_app)
