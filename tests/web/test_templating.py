"""Template helpers that work on kept HTML."""

from __future__ import annotations

from innocity.services.models.progress_view import Option
from innocity.web.templating import fragment, selected


def test_selected_marks_one_kept_option_escaped_as_rendered() -> None:
    """``templating.selected`` finds the option by its value as the template escaped it, marks that one
    only (not one whose value merely starts the same, nor one whose label says it), and leaves the kept
    HTML alone."""
    tricky = 'A&B "市" <x>'
    kept = fragment("_options.html", {"options": [Option(value="1", label="10"), Option(value="10", label="1"),
                                                  Option(value=tricky, label=tricky)]})
    assert selected(kept, 10).count(" selected") == 1 and '<option value="10" selected>1<' in selected(kept, 10)
    assert '<option value="1" selected>10<' in selected(kept, "1")
    marked = selected(kept, tricky)
    assert marked.count(" selected") == 1 and "&lt;x&gt;" in marked and "<x>" not in marked
    assert selected(kept, None) == selected(kept, "") == selected(kept, "11") == kept and " selected" not in kept
