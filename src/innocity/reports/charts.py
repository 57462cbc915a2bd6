"""The report's charts as PNG bytes: how many targets have each status, and key targets against their path.

matplotlib without pyplot (a ``Figure`` on the Agg canvas): no global state, safe in a web worker. The
CJK font is asked for by name (Noto Sans CJK SC, which Debian's fonts-noto-cjk provides, then other common
CJK faces); when none is installed the labels would show as boxes, so ``cjk_font()`` says which one is used
and the tests check it. A SIMULATED dataset is written across every chart.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, cast

from innocity.services.models.reports import Trajectory
from innocity.services.models.tracking import StatusCounts

from .words import STATUS_COLOURS, STATUS_ORDER, STATUS_ZH, num

CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "AR PL UMing CN", "Microsoft YaHei", "SimHei")
DPI = 160  # 976 px across 155 mm: sharp in print, and a third of the pixels of 200 dpi to draw
WIDTH_IN = 6.1  # 155 mm: the text width less a margin


@cache
def cjk_font() -> str | None:
    """The first of ``CJK_FONTS`` matplotlib can find, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


@contextmanager
def _style() -> Iterator[None]:
    import matplotlib

    font = cjk_font()
    rc: dict[str, Any] = {
        "font.family": "sans-serif",
        "font.sans-serif": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
        "axes.unicode_minus": False,  # the CJK fonts lack U+2212
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(cast(Any, rc)):
        yield


def _png(fig: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _watermark(fig: Any, simulated: bool) -> None:
    if simulated:
        fig.text(0.5, 0.5, "SIMULATED 模拟数据", ha="center", va="center", fontsize=28, color="#c00000",
                 alpha=0.12, rotation=20)


def status_chart(counts: StatusCounts, *, simulated: bool = False) -> bytes:
    """A horizontal bar per status (in the order of the status rules), with the count at its end."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with _style():
        labels = [STATUS_ZH[s] for s in STATUS_ORDER]
        values = [getattr(counts, s) for s in STATUS_ORDER]
        fig = Figure(figsize=(WIDTH_IN, 2.1), layout="constrained")
        ax = fig.add_subplot()
        ys = list(range(len(labels)))[::-1]
        ax.barh(ys, values, color=["#" + STATUS_COLOURS[s] for s in STATUS_ORDER], edgecolor="#555555",
                linewidth=0.4)
        ax.set_yticks(ys, labels)
        top = max([*values, 1])
        ax.set_xlim(0, top * 1.15 + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        for y, v in zip(ys, values, strict=True):
            ax.text(v + top * 0.02, y, f"{v}项", va="center", fontsize=8)
        ax.set_xlabel("指标数（项）")
        _watermark(fig, simulated)
        return _png(fig)


def trajectory_chart(items: Sequence[Trajectory], *, simulated: bool = False) -> bytes:
    """Small multiples: each key target's figures (solid) against its planned path (dashed) and goal."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with _style():
        cols = 2 if len(items) > 1 else 1
        rows = math.ceil(len(items) / cols)
        height = 2.4 * rows + 0.2
        fig = Figure(figsize=(WIDTH_IN, height))
        # a fixed layout: constrained layout measured every label several times (half the chart's time)
        fig.subplots_adjust(left=0.08, right=0.985, bottom=0.3 / height, top=1 - 0.45 / height, hspace=0.62,
                            wspace=0.2)
        axes = fig.subplots(rows, cols, squeeze=False)
        for ax, t in zip(axes.flat, items, strict=False):
            if t.path:
                ax.plot(*zip(*t.path, strict=True), linestyle="--", color="#7f7f7f", linewidth=1,
                        label="计划路径")
            if t.goal is not None and t.goal_year is not None:
                ax.plot([t.goal_year], [t.goal], marker="*", color="#7f7f7f", markersize=9, linestyle="none",
                        label=f"目标 {num(t.goal)}")
            colour = "#" + STATUS_COLOURS[t.status] if t.status != "no_data" else "#1f4e79"
            ax.plot(*zip(*t.actual, strict=True), marker="o", markersize=3, color=colour, linewidth=1.6,
                    label=f"实际（{STATUS_ZH[t.status]}）")
            ax.set_title(_wrap(t.indicator + (f"（{t.unit}）" if t.unit else ""), 20), fontsize=8.5)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.tick_params(labelsize=7)
            ax.legend(fontsize=6.5, frameon=False, loc="upper left")
        for ax in list(axes.flat)[len(items):]:
            ax.set_visible(False)
        _watermark(fig, simulated)
        return _png(fig)


def _wrap(text: str, width: int) -> str:
    """At most two lines of ``width`` characters (a full indicator name usually fits), then "…"."""
    if len(text) > 2 * width:
        text = text[: 2 * width - 1] + "…"
    return "\n".join(text[i: i + width] for i in range(0, len(text), width))
