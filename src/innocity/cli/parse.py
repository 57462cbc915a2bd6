"""``innocity parse``: documents in, structured plans out (JSON for programs, tables for people).

The command only parses arguments, calls ``innocity.services.parsing`` and prints. Exit status: 0 when
every file was read and at least one plan was found; 1 when every file was read but none held a plan;
2 when any file could not be read (each one is named on stderr, the others are still delivered).

``--explain`` shows, for every number the parser considered, whether it became a target, a fact or
nothing, and the name of the rule that decided (docs/parsing-rules.md): an ``explain`` list per plan in
JSON, a table per plan in the table and Markdown formats.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, TextIO

import typer

from innocity.cli.common import Format, app_context, format_option
from innocity.domain.plan import ParsedDocument, Plan, Program, Target
from innocity.errors import NoPlanFoundError, UserInputError

_FORMAT = format_option(Format.json, Format.jsonl, Format.table, Format.md, short=True)  # -f as the README shows
_FORMAT.help = ("json (one file, the plan.schema.json contract; indented on a terminal), jsonl (one document "
                "per line; default for several files), table or md (for people, in Chinese).")


@contextlib.contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """stdout, or ``path`` written whole or not at all (a temp file renamed into place).

    Special files such as /dev/null are written directly: renaming over them would replace them.
    """
    if path is None:
        yield sys.stdout
        return
    if path.is_dir():
        raise UserInputError("is a directory, not an output file", source=str(path))
    try:
        if path.exists() and not path.is_file():
            fh = path.open("w", encoding="utf-8")
            tmp = None
        else:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.resolve().parent)
            fh = os.fdopen(fd, "w", encoding="utf-8")
    except OSError as exc:
        raise UserInputError(f"cannot write: {exc.strerror or exc}", source=str(path)) from None
    try:
        with fh:
            yield fh
        if tmp is not None:
            os.replace(tmp, path)
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise


def _write(doc: ParsedDocument, fmt: Format, out: TextIO) -> None:
    if fmt is Format.json:
        # Indented for a terminal; compact otherwise, because only the compact form uses json's C
        # encoder (indenting a 1.5 M-character document's result costs seconds in pure Python).
        # The result is a tree of fresh dicts and lists: no cycle to check for (10 % of the encoder's time).
        indent = 2 if out.isatty() else None
        out.write(json.dumps(doc.to_dict(), ensure_ascii=False, indent=indent, check_circular=False))
        out.write("\n")
    elif fmt is Format.jsonl:
        out.write(json.dumps(doc.to_dict(), ensure_ascii=False, separators=(",", ":"), check_circular=False))
        out.write("\n")
    elif fmt is Format.md:
        out.write(render_markdown(doc))
    else:
        render_table(doc, out)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one document is parsed and written.

    Parsing allocates millions of small objects that reference counting frees (it makes no reference cycles:
    a collection after parsing every test document finds a handful of objects, and peak memory on the sample
    page ×40 stays 84 MB), yet the collector kept walking them: about 10 % of a 1.5 M-character parse. The
    previous state is restored afterwards, for callers that live on (tests)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _single(path: Path, fmt: Format, output: Path | None, explain: bool) -> None:
    # Imported here: the parser's tables cost a few tenths of a second that other commands need not pay.
    from innocity.services import parsing

    matcher = app_context().matcher
    with _collector_paused():
        # errors go to innocity.cli.main: one line, exit 2
        doc = parsing.parse_path(path, matcher=matcher, explain=explain)
        with _output(output) as out:
            _write(doc, fmt, out)
    if not doc.plans:
        raise NoPlanFoundError("document read, but no plan found in it", source=str(path))


def _batch(paths: list[Path], fmt: Format, jobs: int, output: Path | None, explain: bool) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from innocity.services import parsing

    files = parsing.expand_paths(paths)
    failures: list[str] = []
    with_plans = 0
    err = Console(stderr=True)
    progress = Progress(
        TextColumn("[bold]解析[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=not err.is_terminal,  # a log file gets the error list, not a redrawn bar
    )
    with _output(output) as out, progress:
        task = progress.add_task("", total=len(files))
        for path, result in parsing.iter_parse(files, jobs=jobs, matcher=app_context().matcher, explain=explain):
            if isinstance(result, ParsedDocument):
                _write(result, fmt, out)
                out.flush()
                with_plans += bool(result.plans)
            else:
                failures.append(result.one_line())
            progress.update(task, advance=1, description=path.name)
    for line in failures:
        err.print(f"innocity: {line}", markup=False, highlight=False, soft_wrap=True)
    if failures:
        err.print(f"innocity: {len(failures)} of {len(files)} files failed", markup=False, highlight=False)
        return 2
    if with_plans == 0:
        err.print("innocity: no plan found in any of the files", markup=False, highlight=False)
        return 1
    return 0


_CMP = {">=": " ≥", "<=": " ≤", "=": "", "range": " 区间"}
_KIND = {"level": "达到", "growth": "年均增长", "change": "较基期增减"}


def _num(v: float | None) -> str:
    if v is None:
        return "—"
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _target_row(t: Target) -> list[str]:
    value = _num(t.value) if t.value_max is None else f"{_num(t.value)}–{_num(t.value_max)}"
    if t.approximate:
        value += "（约）"
    year = str(t.year) if t.year is not None else (t.year_text or "—")
    return [
        t.indicator,
        _KIND.get(t.kind, t.kind) + _CMP.get(t.comparator, t.comparator),
        value,
        t.unit or "—",
        year,
    ]


def _region(p: Plan) -> str:
    r = p.region
    place = r.name or "（未能确定城市）"
    if r.province and r.province != r.name:
        place += f"（{r.province}）"
    if r.adcode:
        place += f" 行政区划代码 {r.adcode}"
    return f"{place}，置信度 {r.confidence:.2f}" + ("，推断" if r.inferred else "")


def _program_parts(prog: Program) -> str:
    return "；".join(f"{pt.label} 声明{pt.declared}个/列出{len(pt.found)}个" for pt in prog.parts)


def _program_status(prog: Program) -> str:
    if not prog.checkable:
        return "无法核对"
    return "一致" if prog.consistent else "不一致"


def _plan_heading(p: Plan, i: int) -> str:
    label = p.label or f"方案{i}"
    return f"{label}：{p.title or '（无标题）'}"


def _sections(p: Plan) -> list[tuple[str, list[str], list[list[str]]]]:
    """(caption, header, rows) of every table shown for a plan, in the order people read them."""
    return [
        (
            "阶段",
            ["阶段", "开始", "结束"],
            [[ph.name, ph.start or ph.start_text or "—", ph.end or ph.end_text or "—"] for ph in p.phases],
        ),
        ("目标指标", ["指标", "比较", "数值", "单位", "年份"], [_target_row(t) for t in p.targets]),
        (
            "责任分工",
            ["任务", "牵头", "配合"],
            [[d.task or "—", "、".join(d.lead) or "—", "、".join(d.support) or "—"] for d in p.duties],
        ),
        (
            "工程/计划",
            ["名称", "组成", "核对"],
            [[pr.name, _program_parts(pr), _program_status(pr)] for pr in p.programs],
        ),
        *_explain_section(p),
    ]


_VERDICT = {"target": "目标", "fact": "现状/基数", "dropped": "舍弃"}


def _explain_section(p: Plan) -> list[tuple[str, list[str], list[list[str]]]]:
    """The decision trail (``--explain``): every number considered, what it became, and the deciding rule."""
    if p.explain is None:
        return []
    rows = [[d.text, str(d.span[0]), _VERDICT.get(d.verdict, d.verdict), d.rule] for d in p.explain]
    return [("判定说明（--explain）", ["数字", "位置", "判定", "规则"], rows)]


def render_table(doc: ParsedDocument, out: TextIO) -> None:
    """Rich tables, per plan: region, phases, targets, duties, programmes."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=None if out.isatty() else 120, highlight=False)
    console.print(
        f"[bold]{doc.source.name}[/]  {doc.source.media_type} {doc.source.encoding}，{doc.source.chars} 字"
    )
    if not doc.plans:
        console.print("未找到方案。")
    for i, p in enumerate(doc.plans, 1):
        console.rule(_plan_heading(p, i))
        console.print(f"地区：{_region(p)}", markup=False)
        for caption, header, rows in _sections(p):
            if not rows:
                console.print(f"{caption}：无", markup=False)
                continue
            table = Table(title=caption, title_justify="left", show_lines=False)
            for h in header:
                table.add_column(h, overflow="fold")
            for row in rows:
                table.add_row(*row)
            console.print(table)
    for w in doc.warnings:
        console.print(f"注意：{w}", markup=False)


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def render_markdown(doc: ParsedDocument) -> str:
    """The same content as ``render_table`` as Markdown."""
    lines = [f"# {doc.source.name}", ""]
    if not doc.plans:
        lines += ["未找到方案。", ""]
    for i, p in enumerate(doc.plans, 1):
        lines += [f"## {_plan_heading(p, i)}", "", f"**地区**：{_region(p)}", ""]
        for caption, header, rows in _sections(p):
            lines.append(f"### {caption}")
            lines.append("")
            if not rows:
                lines += ["无", ""]
                continue
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            lines.append("")
    lines += [f"> 注意：{w}" for w in doc.warnings]
    return "\n".join(lines).rstrip("\n") + "\n"


def register(app: typer.Typer) -> None:
    """Add ``innocity parse`` to the root app."""

    @app.command("parse")
    def parse(
        ctx: typer.Context,
        files: Annotated[
            list[Path],
            typer.Argument(
                help="Documents (.txt .html .htm .docx .pdf) or directories of them.",
                metavar="FILE",
                show_default=False,
            ),
        ],
        fmt: Annotated[str, _FORMAT] = "json",
        jobs: Annotated[
            int, typer.Option("--jobs", "-j", min=1, help="Worker processes for many files.")
        ] = 1,
        output: Annotated[
            Path | None,
            typer.Option("--output", "-o", help="Write here instead of stdout (whole or not at all)."),
        ] = None,
        explain: Annotated[
            bool,
            typer.Option("--explain", help="Say for every number which rule made it a target or a fact, or dropped it."),
        ] = False,
    ) -> None:
        """Parse innovative-city plans (创新型城市建设实施方案) into structured plans.

        Every target, fact, duty, phase and programme quotes its exact source span. Exit status: 0 ok,
        1 every file read but no plan found, 2 a file could not be read (named on stderr; in a batch the
        other files are still delivered).

        Example: innocity parse 方案.docx --format table

        Example: innocity parse plans/ --jobs 2 -o plans.jsonl

        Example: innocity parse 方案.txt --explain --format table
        """
        batch = len(files) > 1 or any(p.is_dir() for p in files)
        chosen = Format(fmt)
        if not batch:
            _single(files[0], chosen, output, explain)
            return
        source = ctx.get_parameter_source("fmt")
        given = source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP")
        if chosen is Format.json and given:
            raise UserInputError("json takes one file; use jsonl for several", field="format")
        code = _batch(files, chosen if given else Format.jsonl, jobs, output, explain)
        if code:
            raise typer.Exit(code)
