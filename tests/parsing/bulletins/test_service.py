"""The extraction service on every format, bad input, and storing: drafts with the document and spans as
evidence, nothing stored twice, growth and goals never stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from innocity.app import AppContext
from innocity.errors import DocumentError, ForbiddenError, UserInputError
from innocity.services.context import Actor, Role
from innocity.services.extract import NoFiguresFoundError, extract_bytes, store_proposals
from innocity.storage.tables import Document, ObservationRow

from .conftest import BULLETIN, WORK_REPORT, docx_bytes, html_bytes, pdf_bytes


@pytest.mark.parametrize(
    ("name", "make"),
    [("b.txt", lambda t: t.encode("gb18030")), ("b.html", html_bytes), ("b.docx", docx_bytes), ("b.pdf", pdf_bytes)],
)
def test_every_format_gives_figures_quoting_their_span(name, make, matcher) -> None:
    r = extract_bytes(data=make(BULLETIN), name=name, matcher=matcher)
    assert (r.year, r.region.name) == (2019, "株洲市")
    assert any(f.value == 3003.1 and f.unit == "亿元" and f.kind == "level" for f in r.observations)
    for f in [*r.observations, *r.goals]:
        assert r.source_text[f.span[0]: f.span[1]] == f.text


def test_json_contract(matcher) -> None:
    d = extract_bytes(data=BULLETIN.encode(), name="b.txt", matcher=matcher).json_dict()
    assert {"region", "year", "observations"} <= d.keys()
    assert "source_text" not in d
    for o in d["observations"]:
        assert {"indicator", "indicator_code", "value", "unit", "period", "kind", "preliminary", "text",
                "span"} <= o.keys()
    gdp = next(o for o in d["observations"] if o["value"] == 3003.1)
    assert (gdp["indicator_code"], gdp["storable"], gdp["preliminary"]) == ("DRV08", True, True)
    growth = next(o for o in d["observations"] if o["kind"] == "growth")
    assert growth["storable"] is False and "change" in growth["reason"]


def test_unmatched_phrases_stay_unmatched(matcher) -> None:
    r = extract_bytes(data="2018年统计公报\n全年接待游客1200万人次。".encode(), name="t.txt", matcher=matcher)
    assert r.observations[0].indicator_code is None and not r.observations[0].storable


def test_unreadable_and_empty(matcher) -> None:
    with pytest.raises(DocumentError):
        extract_bytes(data=b"", name="empty.txt", matcher=matcher)
    with pytest.raises(DocumentError):
        extract_bytes(data=b"%PDF-1.4 truncated", name="bad.pdf", matcher=matcher)
    with pytest.raises(NoFiguresFoundError) as e:
        extract_bytes(data="某市统计公报\n经济平稳运行。".encode(), name="none.txt", matcher=matcher)
    assert e.value.exit_code == 1 and e.value.source == "none.txt"


def test_goals_only_is_no_figures(matcher) -> None:
    text = "政府工作报告\n今年主要预期目标是:地区生产总值增长7%左右,城镇新增就业5万人。"
    with pytest.raises(NoFiguresFoundError, match="2 goals"):
        extract_bytes(data=text.encode(), name="goals.txt", matcher=matcher)


def _stored(app: AppContext) -> list[ObservationRow]:
    with app.uow() as w:
        rows = list(w.session.scalars(select(ObservationRow).order_by(ObservationRow.id)))
        w.session.expunge_all()
        return rows


def test_store_keeps_the_document_and_spans_and_stores_drafts_once(app: AppContext, matcher) -> None:
    data = BULLETIN.encode()
    r = extract_bytes(data=data, name="zhuzhou-2019.txt", matcher=matcher)
    with app.uow() as w:
        first = store_proposals(w, result=r, data=data, name="zhuzhou-2019.txt")
    assert first.stored >= 3 and first.unchanged == 0
    assert all(ns.index != f.index for ns in first.not_stored for f in r.observations if f.storable)
    rows = _stored(app)
    assert {row.status for row in rows} == {"draft"}
    gdp = next(row for row in rows if row.indicator_code == "DRV08")
    assert (gdp.period, gdp.vintage, gdp.source, gdp.document_id) == ("2019", "preliminary", "zhuzhou-2019.txt",
                                                                      first.document_id)
    assert BULLETIN[gdp.span_start: gdp.span_end].endswith("3003.1亿元")
    with app.uow() as w:
        doc = w.session.get(Document, first.document_id)
        assert doc is not None and (doc.kind, doc.content) == ("bulletin", data)
        again = store_proposals(w, result=r, data=data, name="zhuzhou-2019.txt")
    assert (again.stored, again.unchanged, again.document_id) == (0, first.stored, first.document_id)
    assert len(_stored(app)) == len(rows)
    # growth rates and shares of non-ratio indicators are reported, never stored
    reasons = {ns.reason for ns in first.not_stored}
    assert any("change" in why for why in reasons)


def test_store_accepted_and_edited(app: AppContext, matcher) -> None:
    data = WORK_REPORT.encode()
    r = extract_bytes(data=data, name="wr.txt", matcher=matcher)
    hte = next(f for f in r.observations if f.value == 832.0)
    with app.uow() as w:
        out = store_proposals(w, result=r, data=data, name="wr.txt", accepted=[hte.index],
                              edits={hte.index: {"value": 833}})
    assert out.stored == 1
    (row,) = _stored(app)
    assert (row.indicator_code, row.value, row.period, row.vintage) == ("TEC06", 833.0, "2018", "final")
    with app.uow() as w, pytest.raises(UserInputError):
        store_proposals(w, result=r, data=data, name="wr.txt", accepted=[999])
    with app.uow() as w, pytest.raises(UserInputError):
        store_proposals(w, result=r, data=b"other bytes", name="wr.txt")


def test_store_needs_the_right_to_submit(app: AppContext, matcher) -> None:
    data = BULLETIN.encode()
    r = extract_bytes(data=data, name="b.txt", matcher=matcher)
    with app.uow(Actor("viewer", Role.LEADER)) as w, pytest.raises(ForbiddenError):
        store_proposals(w, result=r, data=data, name="b.txt")
