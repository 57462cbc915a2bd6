"""Tracking commands: ``progress``, ``scorecard``, ``targets set``, ``tasks …`` and ``supervise …`` (督办).

Each command parses its arguments, calls one service and prints (JSON or a Rich table).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import typer

from innocity.errors import UserInputError
from innocity.settings import Settings

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

FORMAT = typer.Option("table", "--format", help="json or table")
TODAY = typer.Option(None, "--today", help="pretend today is this date (YYYY-MM-DD), for reports and tests")


def _settings() -> Settings:
    return Settings.from_env()


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserInputError(f"not a date (YYYY-MM-DD): {text!r}", source=option) from None


def _json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _num(x: float | None, digits: int = 2) -> str:
    if x is None:
        return "—"
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".") if abs(x) < 1e6 else f"{x:,.0f}"


STATUS_STYLE = {
    "achieved": "bold green", "on_track": "green", "behind": "yellow", "off_track": "bold red",
    "overdue": "red", "no_data": "dim", "needs_input": "magenta",
}


def progress_table(rows: list[dict[str, Any]], title: str | None = None) -> Any:
    """A Rich table of progress rows (shared with ``innocity demo``)."""
    from rich.table import Table

    t = Table(title=title, show_lines=False)
    widths = {"indicator": 18, "lead": 12, "note": 30}
    for c in ("id", "region", "indicator", "code", "baseline", "target", "expected", "actual", "ratio",
              "projected", "status", "lead", "note"):
        t.add_column(c, no_wrap=True, max_width=widths.get(c), overflow="ellipsis")
    for r in rows:
        b, tg, a = r["baseline"], r["target"], r["actual"]
        goal = ("≤" if tg["comparator"] == "<=" else "≥" if tg["comparator"] == ">=" else "")
        if tg["kind"] == "growth":
            goal += f"年均{_num(tg['value'])}%"
        elif tg["kind"] == "change":
            goal += f"+{_num(tg['value'])}{tg['unit'] or ''}"
        else:
            goal += _num(tg["value"]) + (f"–{_num(tg['value_max'])}" if tg["value_max"] is not None else "")
            goal += (tg["unit"] or "") + ("左右" if tg["approximate"] else "")
        goal += f" @{tg['year'] or tg['year_text'] or '?'}"
        st = r["status"]
        t.add_row(
            str(r["target_id"]), r["region"] or "—", r["indicator"][:24], r["indicator_code"] or "—",
            f"{_num(b['value'])} @{b['year']}" if b["value"] is not None else "—",
            goal, _num(r["expected"]),
            f"{_num(a['value'])} @{a['year']}" if a["value"] is not None else "—",
            _num(r["ratio"]), _num(r["projected"]), f"[{STATUS_STYLE.get(st, '')}]{st}[/]",
            "、".join(r["lead"]) or "—", r["reason"] or "",
        )
    return t


def scorecard_table(cards: list[dict[str, Any]], title: str | None = None) -> Any:
    """A Rich table of department scorecards (shared with ``innocity demo``)."""
    from rich.table import Table

    t = Table(title=title)
    for col in ("region", "department", "role", "targets", "achieved", "on_track", "behind", "off_track", "overdue",
              "no_data", "needs_input", "tasks", "late", "supports"):
        t.add_column(col, no_wrap=True, max_width=20 if col == "department" else None, overflow="ellipsis")
    for card in cards:
        k = card["targets"]
        t.add_row(
            card["region"] or "—", card["department"], card["role"], str(card["led_targets"]),
            *[str(k[s]) for s in ("achieved", "on_track", "behind", "off_track", "overdue", "no_data",
                                  "needs_input")],
            str(card["tasks"]["total"]), str(card["tasks"]["late"]),
            f"{card['supports']['targets']} targets, {card['supports']['tasks']} tasks",
        )
    return t


def items_table(items: list[dict[str, Any]], title: str | None = None) -> Any:
    """A Rich table of 督办 items (shared with ``innocity demo``)."""
    from rich.table import Table

    t = Table(title=title)
    for c in ("id", "region", "title", "department", "status", "ext", "due", "raised by"):
        t.add_column(c, overflow="fold")
    for i in items:
        due = str(i["due_on"]) + (" [red](逾期)[/]" if i["reply_overdue"] else "")
        t.add_row(str(i["id"]), i["region"] or "—", i["title"], i["department"] or "—", i["status"], str(i["extensions"]), due,
                  i["raised_by"])
    return t


def _print(obj: Any) -> None:
    from rich.console import Console

    Console().print(obj)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""

    @app.command("progress")
    def progress_cmd(
        region: str = typer.Option(None, "--region", help="region name or adcode, e.g. 西宁市 or 630100"),
        plan: int = typer.Option(None, "--plan", help="plan id (see innocity plans list)"),
        year: int = typer.Option(None, "--year", help="evaluation year (default: this year, or --as-of's)"),
        as_of: str = typer.Option(None, "--as-of", help="only figures known on this date (YYYY-MM-DD)"),
        include_draft: bool = typer.Option(False, "--include-draft", help="count unapproved figures too"),
        status: list[str] = typer.Option(None, "--status", help="only these statuses (repeatable): off_track …"),
        fmt: str = FORMAT,
    ) -> None:
        """Progress of every target: baseline, goal, expected, actual, ratio, projection, status.

        Example: innocity progress --region 西宁市 --year 2016 --format json
        """
        from innocity.services import tracking

        rows = tracking.progress(_settings(), region=region, plan_id=plan, year=year,
                                 as_of=_date(as_of, "--as-of"), include_draft=include_draft,
                                 statuses=status or None)
        if fmt == "json":
            _json(rows)
        else:
            _print(progress_table(rows, title=f"目标进度 ({len(rows)} targets)"))

    @app.command("scorecard")
    def scorecard_cmd(
        region: str = typer.Option(None, "--region", help="region name or adcode"),
        year: int = typer.Option(None, "--year", help="evaluation year"),
        today: str = TODAY,
        fmt: str = FORMAT,
    ) -> None:
        """Per lead department: its targets by status and its tasks on time / late; supporters listed too.

        Example: innocity scorecard --region 济南市 --year 2016
        """
        from innocity.services import scorecard

        cards = scorecard.scorecard(_settings(), region=region, year=year, today=_date(today, "--today"))
        if fmt == "json":
            _json(cards)
        else:
            _print(scorecard_table(cards, title="部门记分卡"))

    @targets_app.command("set")
    def targets_set(
        target_id: int = typer.Argument(..., help="target id (see innocity progress)"),
        year: int = typer.Option(None, "--year", help="the deadline year behind a masked one (201* → 2015)"),
        baseline_year: int = typer.Option(None, "--baseline-year"),
        baseline_value: float = typer.Option(None, "--baseline-value", help="in the indicator's catalogue unit"),
        lead: list[str] = typer.Option(None, "--lead", help="lead department (repeatable)"),
        support: list[str] = typer.Option(None, "--support", help="supporting department (repeatable)"),
        comment: str = typer.Option(None, "--comment", help="why (kept in the audit log)"),
        fmt: str = FORMAT,
    ) -> None:
        """Resolve a target's year, baseline or departments; recorded with who and when.

        Example: innocity targets set 12 --year 2015 --baseline-year 2010 --baseline-value 40 --lead 市科技局
        """
        from innocity.services import targets

        out = targets.set_target(_settings(), target_id, year=year, baseline_year=baseline_year,
                                  baseline_value=baseline_value, lead=lead, support=support, comment=comment)
        if fmt == "json":
            _json(out)
        else:
            typer.echo(f"target {out['target_id']}: year {out['year']}, baseline {out['baseline_value']} "
                       f"@{out['baseline_year']} (by {out['set_by']})")

    @tasks_app.command("list")
    def tasks_list(
        region: str = typer.Option(None, "--region"), plan: int = typer.Option(None, "--plan"),
        today: str = TODAY, fmt: str = FORMAT,
    ) -> None:
        """Tasks with departments, status, deadline and lateness. Example: innocity tasks list --format json"""
        from rich.table import Table

        from innocity.services import tasks

        rows = tasks.list_tasks(_settings(), region=region, plan_id=plan, today=_date(today, "--today"))
        if fmt == "json":
            _json(rows)
            return
        t = Table(title="任务")
        for c in ("id", "task", "lead", "support", "status", "deadline", "late"):
            t.add_column(c, overflow="fold")
        for r in rows:
            t.add_row(str(r["task_id"]), r["task"], "、".join(r["lead"]), "、".join(r["support"]), r["status"],
                      str(r["deadline"] or "—"), "[red]逾期[/]" if r["late"] else "")
        _print(t)

    @tasks_app.command("set")
    def tasks_set(
        task_id: int = typer.Argument(...),
        status: str = typer.Option(None, "--status", help="未启动, 进行中, 已完成 or 延期"),
        deadline: str = typer.Option(None, "--deadline", help="YYYY-MM-DD"),
        completed_on: str = typer.Option(None, "--completed-on", help="YYYY-MM-DD"),
        note: str = typer.Option(None, "--note"),
    ) -> None:
        """Report a task's status or deadline. Example: innocity tasks set 4 --status 进行中 --deadline 2016-06-30"""
        from innocity.services import tasks

        out = tasks.set_task(_settings(), task_id, status=status, deadline=_date(deadline, "--deadline"),
                             completed_on=_date(completed_on, "--completed-on"), note=note)
        typer.echo(f"task {out['task_id']}: {out['status']}, deadline {out['deadline'] or '—'}")

    @tasks_app.command("milestone")
    def tasks_milestone(
        task_id: int = typer.Argument(...),
        name: str = typer.Option(..., "--name"),
        due: str = typer.Option(..., "--due", help="YYYY-MM-DD"),
        done: str = typer.Option(None, "--done", help="YYYY-MM-DD when reached"),
    ) -> None:
        """Add a milestone to a task. Example: innocity tasks milestone 4 --name 完成选址 --due 2016-03-31"""
        from innocity.services import tasks

        due_on = _date(due, "--due")
        assert due_on is not None
        out = tasks.add_milestone(_settings(), task_id, name=name, due_on=due_on, done_on=_date(done, "--done"))
        typer.echo(f"milestone {out['id']} of task {task_id}: {out['name']} by {out['due_on']}")

    @tasks_app.command("milestone-done")
    def tasks_milestone_done(
        milestone_id: int = typer.Argument(...),
        on: str = typer.Option(..., "--on", help="YYYY-MM-DD the milestone was reached"),
    ) -> None:
        """Record that a milestone was reached. Example: innocity tasks milestone-done 7 --on 2016-03-20"""
        from innocity.services import tasks

        done_on = _date(on, "--on")
        assert done_on is not None
        out = tasks.complete_milestone(_settings(), milestone_id, done_on=done_on)
        typer.echo(f"milestone {out['id']}: reached {out['done_on']}" + (" (late)" if out["late"] else ""))

    _register_supervise()
    app.add_typer(targets_app, name="targets")
    app.add_typer(tasks_app, name="tasks")
    app.add_typer(supervise_app, name="supervise")


def _register_supervise() -> None:
    @supervise_app.command("list")
    def sv_list(
        all_: bool = typer.Option(False, "--all", help="closed items too"),
        region: str = typer.Option(None, "--region", help="region name or adcode (with the regions under it)"),
        today: str = TODAY, fmt: str = FORMAT,
    ) -> None:
        """Open 督办 items, newest first. Example: innocity supervise list --all --region 湖南省"""
        from innocity.services import supervise

        items = supervise.list_items(_settings(), include_closed=all_, region=region, today=_date(today, "--today"))
        _json(items) if fmt == "json" else _print(items_table(items, title="督办事项"))

    @supervise_app.command("show")
    def sv_show(item_id: int = typer.Argument(...)) -> None:
        """One item with every step (who, when, what). Example: innocity supervise show 3"""
        from innocity.services import supervise

        _json(supervise.list_items(_settings(), item_id=item_id)[0])

    @supervise_app.command("sync")
    def sv_sync(
        region: str = typer.Option(None, "--region"), year: int = typer.Option(None, "--year"),
        today: str = TODAY, fmt: str = FORMAT,
    ) -> None:
        """Raise items for off-track/overdue targets and late tasks (idempotent). Example: innocity supervise sync"""
        from innocity.services import supervise

        items = supervise.sync(_settings(), region=region, year=year, today=_date(today, "--today"))
        _json(items) if fmt == "json" else _print(items_table(items, title=f"新立督办事项 ({len(items)})"))

    @supervise_app.command("raise")
    def sv_raise(
        target: int = typer.Option(None, "--target", help="target id"),
        task: int = typer.Option(None, "--task", help="task id"),
        text: str = typer.Option(..., "--text", help="what the matter is"),
        department: str = typer.Option(None, "--department", help="answerable department"),
    ) -> None:
        """Raise an item by hand. Example: innocity supervise raise --target 12 --text 请说明进展 --department 市科技局"""
        from innocity.services import supervise

        out = supervise.raise_item(_settings(), target_id=target, task_id=task, text=text, department=department)
        typer.echo(f"item {out['id']} raised: {out['title']} (reply by {out['due_on']})")

    def _step(action: str, item_id: int, text: str | None, until: str | None = None,
              expect: str | None = None) -> None:
        from innocity.services import supervise

        out = supervise.act(_settings(), item_id, action, text=text, new_due=_date(until, "--until"),
                            expect_status=expect)
        typer.echo(f"item {out['id']}: {out['status']} (extensions {out['extensions']}, due {out['due_on']})")

    @supervise_app.command("respond")
    def sv_respond(
        item_id: int = typer.Argument(...), text: str = typer.Option(..., "--text"), expect: str = typer.Option(None, "--expect", help="the status you saw; refused (exit 3) if it changed"),
    ) -> None:
        """Answer an item (情况说明). Example: innocity supervise respond 3 --text 已完成选址"""
        _step("respond", item_id, text, expect=expect)

    @supervise_app.command("extend")
    def sv_extend(
        item_id: int = typer.Argument(...), text: str = typer.Option(..., "--text", help="the reason"),
        until: str = typer.Option(..., "--until", help="new reply date YYYY-MM-DD"), expect: str = typer.Option(None, "--expect", help="the status you saw; refused (exit 3) if it changed"),
    ) -> None:
        """Request an extension (counted). Example: innocity supervise extend 3 --text 等待年鉴 --until 2017-06-30"""
        _step("extend", item_id, text, until, expect=expect)

    @supervise_app.command("close")
    def sv_close(
        item_id: int = typer.Argument(...), text: str = typer.Option(..., "--text"), expect: str = typer.Option(None, "--expect", help="the status you saw; refused (exit 3) if it changed"),
    ) -> None:
        """Close an item (销号). Example: innocity supervise close 3 --text 指标已完成 --expect responded"""
        _step("close", item_id, text, expect=expect)

    @supervise_app.command("escalate")
    def sv_escalate(
        item_id: int = typer.Argument(...), text: str = typer.Option(None, "--text"), expect: str = typer.Option(None, "--expect", help="the status you saw; refused (exit 3) if it changed"),
    ) -> None:
        """Escalate an item to the leadership. Example: innocity supervise escalate 3 --text 两次延期仍未完成"""
        _step("escalate", item_id, text, expect=expect)
