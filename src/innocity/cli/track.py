"""Tracking commands: ``progress``, ``scorecard``, ``targets set``, ``tasks …`` and ``supervise …`` (督办).

Each command parses its arguments, calls one service in one unit of work and prints (JSON or a Rich table).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:  # the models (pydantic) are imported when a command runs, not at start-up
    from innocity.services.models import ProgressRow, ScorecardRow, SupervisionItem, TaskRow

from .common import (
    TABLE_OR_JSON,
    TODAY,
    Format,
    emit,
    id_argument,
    id_option,
    parse_date,
    print_rich,
    safe,
    uow,
)

targets_app = typer.Typer(
    help="Resolve what a plan left open. Example: innocity targets set 12 --year 2015 --baseline-year 2010 "
    "--baseline-value 40",
    no_args_is_help=True,
)
tasks_app = typer.Typer(help="Tasks (责任分工) and milestones. Example: innocity tasks list", no_args_is_help=True)
supervise_app = typer.Typer(
    help="督办: items for lagging targets and late tasks. Example: innocity supervise sync; innocity supervise "
    "respond 3 --text 情况说明…",
    no_args_is_help=True,
)

FMT = Annotated[str, TABLE_OR_JSON]
Today = Annotated[str | None, TODAY]
Region = Annotated[str | None, typer.Option("--region", help="region name or adcode, e.g. 西宁市 or 630100")]
Year = Annotated[int | None, typer.Option("--year", help="evaluation year (default: this year)", min=1949, max=2100)]
Expect = Annotated[str | None, typer.Option("--expect", help="the status you saw; refused (exit 3) if it changed")]

STATUS_STYLE = {
    "achieved": "bold green", "on_track": "green", "behind": "yellow", "off_track": "bold red",
    "overdue": "red", "no_data": "dim", "needs_input": "magenta",
}


def progress_table(rows: list[ProgressRow], title: str | None = None) -> Any:
    """A Rich table of progress rows (shared with ``innocity demo``)."""
    from rich.table import Table

    from innocity.services.models.tracking import fmt_num

    t = Table(title=title, show_lines=False)
    widths = {"indicator": 18, "lead": 12, "note": 30}
    for c in ("id", "region", "indicator", "code", "baseline", "target", "expected", "actual", "ratio",
              "projected", "status", "lead", "note"):
        t.add_column(c, no_wrap=True, max_width=widths.get(c), overflow="ellipsis")
    for r in rows:
        b, a = r.baseline, r.actual
        st = r.status
        t.add_row(
            str(r.target_id), safe(r.region or "—"), safe(r.indicator[:24]), safe(r.indicator_code or "—"),
            f"{fmt_num(b.value)} @{b.year}" if b.value is not None else "—",
            safe(r.goal_text()), fmt_num(r.expected),
            f"{fmt_num(a.value)} @{a.year}" if a.value is not None else "—",
            fmt_num(r.ratio), fmt_num(r.projected), f"[{STATUS_STYLE.get(st, '')}]{st}[/]",
            safe("、".join(r.lead) or "—"), safe(r.reason or ""),
        )
    return t


def scorecard_table(cards: list[ScorecardRow], title: str | None = None) -> Any:
    """A Rich table of department scorecards (shared with ``innocity demo``)."""
    from rich.table import Table

    t = Table(title=title)
    for col in ("region", "department", "role", "targets", "achieved", "on_track", "behind", "off_track", "overdue",
                "no_data", "needs_input", "tasks", "late", "supports"):
        t.add_column(col, no_wrap=True, max_width=20 if col == "department" else None, overflow="ellipsis")
    for card in cards:
        k = card.targets
        t.add_row(
            safe(card.region or "—"), safe(card.department), card.role, str(card.led_targets),
            *[str(getattr(k, s)) for s in ("achieved", "on_track", "behind", "off_track", "overdue", "no_data",
                                           "needs_input")],
            str(card.tasks.total), str(card.tasks.late),
            f"{card.supports.targets} targets, {card.supports.tasks} tasks",
        )
    return t


def items_table(items: list[SupervisionItem], title: str | None = None) -> Any:
    """A Rich table of 督办 items (shared with ``innocity demo``)."""
    from rich.table import Table

    t = Table(title=title)
    for c in ("id", "region", "title", "department", "status", "ext", "due", "raised by"):
        t.add_column(c, overflow="fold")
    for i in items:
        due = str(i.due_on) + (" [red](逾期)[/]" if i.reply_overdue else "")
        t.add_row(str(i.id), safe(i.region or "—"), safe(i.title), safe(i.department or "—"), i.status,
                  str(i.extensions), due, safe(i.raised_by))
    return t


def tasks_table(rows: list[TaskRow]) -> Any:
    from rich.table import Table

    t = Table(title="任务")
    for c in ("id", "task", "lead", "support", "status", "deadline", "late"):
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(str(r.task_id), safe(r.task), safe("、".join(r.lead)), safe("、".join(r.support)), r.status,
                  str(r.deadline or "—"), "[red]逾期[/]" if r.late else "")
    return t


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.command("progress")(progress_cmd)
    app.command("scorecard")(scorecard_cmd)
    app.add_typer(targets_app, name="targets")
    app.add_typer(tasks_app, name="tasks")
    app.add_typer(supervise_app, name="supervise")


def progress_cmd(
    region: Region = None,
    plan: Annotated[int | None, id_option("--plan", "plan id (see innocity plans list)")] = None,
    year: Year = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="only figures known on this date (YYYY-MM-DD)")] = None,
    include_draft: Annotated[bool, typer.Option("--include-draft", help="count unapproved figures too")] = False,
    status: Annotated[list[str] | None, typer.Option("--status", help="only these statuses (repeatable)")] = None,
    fmt: FMT = "table",
) -> None:
    """Progress of every target: baseline, goal, expected, actual, ratio, projection, status.

    Example: innocity progress --region 西宁市 --year 2016 --format json
    """
    from innocity.services import tracking

    with uow() as w:
        rows = tracking.progress(w, region=region, plan_id=plan, year=year, as_of=parse_date(as_of, "as_of"),
                                 include_draft=include_draft, statuses=status or None)
    emit(rows, fmt, table=lambda r: progress_table(r, title=f"目标进度 ({len(r)} targets)"))


def scorecard_cmd(region: Region = None, year: Year = None, today: Today = None, fmt: FMT = "table") -> None:
    """Per lead department: its targets by status and its tasks on time / late; supporters listed too.

    Example: innocity scorecard --region 济南市 --year 2016
    """
    from innocity.services import scorecard

    with uow() as w:
        cards = scorecard.scorecard(w, region=region, year=year, today=parse_date(today, "today"))
    emit(cards, fmt, table=lambda c: scorecard_table(c, title="部门记分卡"))


@targets_app.command("set")
def targets_set(
    target_id: Annotated[int, id_argument("target id (see innocity progress)")],
    year: Annotated[int | None, typer.Option("--year", help="the deadline year behind a masked one (201* → 2015)")] = None,
    baseline_year: Annotated[int | None, typer.Option("--baseline-year")] = None,
    baseline_value: Annotated[float | None, typer.Option("--baseline-value", help="in the indicator's catalogue unit")] = None,
    lead: Annotated[list[str] | None, typer.Option("--lead", help="lead department (repeatable)")] = None,
    support: Annotated[list[str] | None, typer.Option("--support", help="supporting department (repeatable)")] = None,
    comment: Annotated[str | None, typer.Option("--comment", help="why (kept in the audit log)")] = None,
    fmt: FMT = "table",
) -> None:
    """Resolve a target's year, baseline or departments; recorded with who and when.

    Example: innocity targets set 12 --year 2015 --baseline-year 2010 --baseline-value 40 --lead 市科技局
    """
    from innocity.services import targets

    with uow() as w:
        out = targets.set_target(w, target_id=target_id, year=year, baseline_year=baseline_year,
                                 baseline_value=baseline_value, lead=lead, support=support, comment=comment)
    if fmt == Format.json:
        emit(out, fmt)
    else:
        typer.echo(f"target {out.target_id}: year {out.year}, baseline {out.baseline_value} "
                   f"@{out.baseline_year} (by {out.set_by})")


@tasks_app.command("list")
def tasks_list(
    region: Region = None,
    plan: Annotated[int | None, id_option("--plan", "plan id")] = None,
    today: Today = None,
    fmt: FMT = "table",
) -> None:
    """Tasks with departments, status, deadline and lateness. Example: innocity tasks list --format json"""
    from innocity.services import tasks

    with uow() as w:
        rows = tasks.list_tasks(w, region=region, plan_id=plan, today=parse_date(today, "today"))
    emit(rows, fmt, table=tasks_table)


@tasks_app.command("set")
def tasks_set(
    task_id: Annotated[int, id_argument("task id (see innocity tasks list)")],
    status: Annotated[str | None, typer.Option("--status", help="未启动, 进行中, 已完成 or 延期")] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", help="YYYY-MM-DD")] = None,
    completed_on: Annotated[str | None, typer.Option("--completed-on", help="YYYY-MM-DD")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
) -> None:
    """Report a task's status or deadline. Example: innocity tasks set 4 --status 进行中 --deadline 2016-06-30"""
    from innocity.services import tasks

    with uow() as w:
        out = tasks.set_task(w, task_id=task_id, status=status, deadline=parse_date(deadline, "deadline"),
                             completed_on=parse_date(completed_on, "completed_on"), note=note)
    typer.echo(f"task {out.task_id}: {out.status}, deadline {out.deadline or '—'}")


@tasks_app.command("milestone")
def tasks_milestone(
    task_id: Annotated[int, id_argument("task id")],
    name: Annotated[str, typer.Option("--name", help="what the step is")],
    due: Annotated[str, typer.Option("--due", help="YYYY-MM-DD")],
    done: Annotated[str | None, typer.Option("--done", help="YYYY-MM-DD when reached")] = None,
) -> None:
    """Add a milestone to a task. Example: innocity tasks milestone 4 --name 完成选址 --due 2016-03-31"""
    from innocity.services import tasks

    due_on = parse_date(due, "due")
    assert due_on is not None
    with uow() as w:
        out = tasks.add_milestone(w, task_id=task_id, name=name, due_on=due_on, done_on=parse_date(done, "done"))
    typer.echo(f"milestone {out.id} of task {task_id}: {out.name} by {out.due_on}")


@tasks_app.command("milestone-done")
def tasks_milestone_done(
    milestone_id: Annotated[int, id_argument("milestone id")],
    on: Annotated[str, typer.Option("--on", help="YYYY-MM-DD the milestone was reached")],
) -> None:
    """Record that a milestone was reached. Example: innocity tasks milestone-done 7 --on 2016-03-20"""
    from innocity.services import tasks

    done_on = parse_date(on, "on")
    assert done_on is not None
    with uow() as w:
        out = tasks.complete_milestone(w, milestone_id=milestone_id, done_on=done_on)
    typer.echo(f"milestone {out.id}: reached {out.done_on}" + (" (late)" if out.late else ""))


@supervise_app.command("list")
def sv_list(
    all_: Annotated[bool, typer.Option("--all", help="closed items too")] = False,
    region: Region = None,
    today: Today = None,
    fmt: FMT = "table",
) -> None:
    """Open 督办 items, newest first. Example: innocity supervise list --all --region 湖南省"""
    from innocity.services import supervise

    with uow() as w:
        items = supervise.list_items(w, include_closed=all_, region=region, today=parse_date(today, "today"))
    emit(items, fmt, table=lambda i: items_table(i, title="督办事项"))


@supervise_app.command("show")
def sv_show(item_id: Annotated[int, id_argument("item id")]) -> None:
    """One item with every step (who, when, what). Example: innocity supervise show 3"""
    from innocity.services import supervise

    with uow() as w:
        emit(supervise.get_item(w, item_id=item_id), Format.json)


@supervise_app.command("sync")
def sv_sync(
    region: Region = None,
    year: Year = None,
    today: Today = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="only show what would be raised")] = False,
    fmt: FMT = "table",
) -> None:
    """Raise items for off-track/overdue targets and late tasks (idempotent). Example: innocity supervise sync"""
    from innocity.services import supervise

    day = parse_date(today, "today")
    with uow() as w:
        if dry_run:
            emit(supervise.proposals(w, region=region, year=year, today=day), Format.json)
            return
        items = supervise.sync(w, region=region, year=year, today=day)
    emit(items, fmt, table=lambda i: items_table(i, title=f"新立督办事项 ({len(i)})"))


@supervise_app.command("raise")
def sv_raise(
    text: Annotated[str, typer.Option("--text", help="what the matter is")],
    target: Annotated[int | None, id_option("--target", "target id")] = None,
    task: Annotated[int | None, id_option("--task", "task id")] = None,
    department: Annotated[str | None, typer.Option("--department", help="answerable department")] = None,
) -> None:
    """Raise an item by hand. Example: innocity supervise raise --target 12 --text 请说明进展 --department 市科技局"""
    from innocity.services import supervise

    with uow() as w:
        out = supervise.raise_item(w, target_id=target, task_id=task, text=text, department=department)
    typer.echo(f"item {out.id} raised: {out.title} (reply by {out.due_on})")


def _step(action: str, item_id: int, text: str | None, until: str | None = None, expect: str | None = None) -> None:
    from innocity.services import supervise

    with uow() as w:
        out = supervise.act(w, item_id=item_id, action=action, text=text, new_due=parse_date(until, "new_due"),
                            expect_status=expect)
    typer.echo(f"item {out.id}: {out.status} (extensions {out.extensions}, due {out.due_on})")


@supervise_app.command("respond")
def sv_respond(
    item_id: Annotated[int, id_argument("item id")],
    text: Annotated[str, typer.Option("--text", help="情况说明")],
    expect: Expect = None,
) -> None:
    """Answer an item (情况说明). Example: innocity supervise respond 3 --text 已完成选址"""
    _step("respond", item_id, text, expect=expect)


@supervise_app.command("extend")
def sv_extend(
    item_id: Annotated[int, id_argument("item id")],
    text: Annotated[str, typer.Option("--text", help="the reason")],
    until: Annotated[str, typer.Option("--until", help="new reply date YYYY-MM-DD")],
    expect: Expect = None,
) -> None:
    """Request an extension (counted). Example: innocity supervise extend 3 --text 等待年鉴 --until 2017-06-30"""
    _step("extend", item_id, text, until, expect=expect)


@supervise_app.command("close")
def sv_close(
    item_id: Annotated[int, id_argument("item id")],
    text: Annotated[str, typer.Option("--text", help="why the matter is settled")],
    expect: Expect = None,
) -> None:
    """Close an item (销号). Example: innocity supervise close 3 --text 指标已完成 --expect responded"""
    _step("close", item_id, text, expect=expect)


@supervise_app.command("escalate")
def sv_escalate(
    item_id: Annotated[int, id_argument("item id")],
    text: Annotated[str | None, typer.Option("--text", help="why")] = None,
    expect: Expect = None,
) -> None:
    """Escalate an item to the leadership. Example: innocity supervise escalate 3 --text 两次延期仍未完成"""
    _step("escalate", item_id, text, expect=expect)


__all__ = ["items_table", "print_rich", "progress_table", "register", "scorecard_table"]
