"""The charts: PNG bytes drawn with a CJK font (no missing glyphs), without touching pyplot's global state."""

from __future__ import annotations

import io
import warnings

from PIL import Image

from innocity.reports import charts
from innocity.services.models.reports import Trajectory
from innocity.services.models.tracking import StatusCounts


def _png(data: bytes) -> Image.Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(data))


def test_a_cjk_font_is_found() -> None:
    assert charts.cjk_font() == "Noto Sans CJK SC"  # fonts-noto-cjk, installed by .ci/run


def test_status_chart_draws_every_label_without_missing_glyphs() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font" for tofu
        img = _png(charts.status_chart(StatusCounts(achieved=3, behind=2, no_data=5), simulated=True))
    assert img.width >= 900 and img.height < img.width  # ≥ 150 dpi at 150 mm


def test_trajectory_chart_small_multiples() -> None:
    items = [
        Trajectory(target_id=i, indicator=f"技术合同成交额{i}", unit="亿元", status=s,
                   actual=[(2010, 10.0), (2012, 9.5), (2014, 10.2)], path=[(2010, 10.0), (2015, 20.0)],
                   goal_year=2015, goal=20.0)
        for i, s in enumerate(["off_track", "on_track", "achieved"])
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        img = _png(charts.trajectory_chart(items))
    assert img.height > 600


def test_pyplot_is_left_alone() -> None:
    import sys

    charts.status_chart(StatusCounts(on_track=1))
    assert "matplotlib.pyplot" not in sys.modules or not sys.modules["matplotlib.pyplot"].get_fignums()
