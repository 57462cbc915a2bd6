"""Jinja2 templates (autoescaped) and what every page is rendered with: the signed-in user, the navigation,
the CSRF token, the dataset label (a SIMULATED database says so on every page) and cache-busted static URLs.

``render(request, "plans/list.html", {...})`` is the one way a page is rendered.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from innocity.domain.progress import STATUS_ZH as _STATUS_ZH
from innocity.services.context import Permission
from innocity.services.models.tracking import fmt_num
from innocity.services.users import ROLE_ZH, actor_of

from .security import CSRF_FIELD, csrf_token

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

# Every page the application has or will have, in the order of the navigation bar.
NAV: list[tuple[str, str]] = [
    ("/", "首页"),
    ("/plans", "方案"),
    ("/data", "数据填报"),
    ("/data/review", "数据审核"),
    ("/progress", "目标进度"),
    ("/scorecards", "部门记分卡"),
    ("/tasks", "任务"),
    ("/supervision", "督办"),
    ("/index", "创新指数"),
    ("/reports", "报告"),
    ("/plans/compare", "方案对比"),
]

REVIEW_ZH = {"extracted": "待审核", "confirmed": "已确认", "edited": "已修改", "rejected": "已驳回"}
KIND_ZH = {"targets": "目标", "facts": "现状数据", "duties": "任务分工", "phases": "实施阶段", "programs": "重点工程"}
COMPARATOR_ZH = {">=": "不低于 (≥)", "<=": "不高于 (≤)", "=": "达到 (=)", "range": "区间"}
STATUS_ZH = _STATUS_ZH  # the one list (innocity.domain.progress) the reports use too

templates = Jinja2Templates(directory=str(TEMPLATES))
env = templates.env
env.autoescape = True  # every template, whatever its suffix
env.trim_blocks = True
env.lstrip_blocks = True
# Templates ship with the package and do not change under a running server: no stat() of every template
# (and every template it includes) on every render. INNOCITY_TEMPLATES_RELOAD=1 turns it back on while
# editing templates.
env.auto_reload = os.environ.get("INNOCITY_TEMPLATES_RELOAD") == "1"


@cache
def _static_version(path: str) -> str:
    file = (STATIC / path).resolve()
    if STATIC not in file.parents or not file.is_file():
        raise ValueError(f"no static file {path!r}")
    return hashlib.sha256(file.read_bytes()).hexdigest()[:10]


def static_url(path: str) -> str:
    """``/static/<path>?v=<hash of the file>``: browsers may cache it for good, a new release changes it."""
    return f"/static/{path}?v={_static_version(path)}"


def _when(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _num(value: float | None) -> str:
    return fmt_num(value)


def _plain(value: float | None) -> str:
    """A number for an input field: no separators, no trailing ``.0``."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def goal_text(item: Any) -> str:
    """A target's goal in words: ``≥2.5%``, ``300–400亿元``, ``年均增长15%``, ``比基期提高50%``."""
    value, unit = fmt_num(item.value), item.unit or ""
    kind = getattr(item, "kind", None)
    if item.value is None:
        return "（未识别数值）"
    if kind == "growth":
        return f"年均增长{value}{unit or '%'}"
    if kind == "change":
        return f"比基期提高{value}{unit}"
    if item.comparator == "range" or item.value_max is not None:
        return f"{value}–{fmt_num(item.value_max)}{unit}"
    sign = {">=": "≥", "<=": "≤"}.get(item.comparator or "", "")
    return f"{sign}{value}{unit}" + ("左右" if getattr(item, "approximate", False) else "")


def selected(options: Markup, value: object) -> Markup:
    """Rendered ``<option>`` elements (``_options.html``, kept by the caller) with the one whose value is
    ``value`` selected. One substitution in the kept HTML instead of rendering every option per request: a
    scope's regions and plans run to hundreds. The value is escaped exactly as the template escaped it."""
    if value is None or value == "":
        return options
    text = str(value)
    return options.replace(Markup('<option value="{}">').format(text), Markup('<option value="{}" selected>').format(text), 1)


env.filters["when"] = _when
env.filters["selected"] = selected
env.filters["num"] = _num
env.filters["plain"] = _plain
env.filters["goal"] = goal_text
env.globals.update(
    static=static_url,
    NAV=NAV,
    P=Permission,
    ROLE_ZH=ROLE_ZH,
    REVIEW_ZH=REVIEW_ZH,
    KIND_ZH=KIND_ZH,
    COMPARATOR_ZH=COMPARATOR_ZH,
    STATUS_ZH=STATUS_ZH,
    CSRF_FIELD=CSRF_FIELD,
)


def _active(path: str) -> str:
    best = ""
    for href, _ in NAV:
        if (path == href or path.startswith(href.rstrip("/") + "/")) and len(href) > len(best):
            best = href
    return best


def _dataset_label(request: Request) -> str | None:
    try:
        return request.app.state.ctx.dataset_label  # type: ignore[no-any-return]
    except Exception:  # the label must never keep an error page from showing
        return None


def page_context(request: Request) -> dict[str, Any]:
    """What every page template can use."""
    user = getattr(request.state, "user", None)
    return {
        "user": user,
        "actor": actor_of(user) if user is not None else None,
        "csrf": csrf_token(request),
        "dataset_label": _dataset_label(request),
        "active_nav": _active(request.url.path),
        "max_upload_mb": request.app.state.web.max_upload_mb,
        "max_upload_bytes": request.app.state.web.max_upload_bytes,
    }


# What a kept fragment carries where the page's CSRF token goes (letters only: unchanged by escaping).
CSRF_SLOT = "csrfslotbd41c7e09a"


def fragment(name: str, context: dict[str, Any]) -> Markup:
    """The HTML of template ``name`` rendered without the request: a part of a page that does not depend
    on who looks at it beyond what ``context`` says (a role's ``actor`` when controls depend on it), so the
    caller may keep it (``web.cache``) under a key naming all of that. A form in it gets ``CSRF_SLOT`` for
    its token, which ``render`` replaces with the page's own (masked afresh for every page)."""
    return Markup(env.get_template(name).render({"csrf": CSRF_SLOT, **context}))


def render(request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200,
           headers: dict[str, str] | None = None) -> Response:
    """Render the page (or fragment) ``name`` with the common context and ``context``."""
    ctx = page_context(request)
    ctx.update(context or {})
    ctx["request"] = request
    html = env.get_template(name).render(ctx)
    if CSRF_SLOT in html:
        html = html.replace(CSRF_SLOT, ctx["csrf"])
    return HTMLResponse(html, status_code=status_code, headers=headers)
