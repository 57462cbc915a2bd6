"""Whatever the bytes, a reader returns text or raises DocumentError: never another exception.

Damaged copies of real documents (cut short, bytes overwritten) are the realistic case: a download that
stopped early, a file mangled by a mail gateway.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innocity.errors import DocumentError
from innocity.parsing.readers import read_document

NAMES = ["a.txt", "a.html", "a.docx", "a.pdf", "a"]


def _read_or_refuse(data: bytes, name: str) -> None:
    try:
        doc = read_document(data, name)
    except DocumentError as exc:
        assert exc.source == name
        assert exc.message and "\n" not in exc.one_line()
        return
    assert doc.text.strip()
    assert doc.name == name


@settings(max_examples=150, deadline=None)
@given(data=st.binary(min_size=0, max_size=2000), name=st.sampled_from(NAMES))
def test_arbitrary_bytes_under_any_name(data: bytes, name: str) -> None:
    _read_or_refuse(data, name)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    which=st.sampled_from(["plan.docx", "plan.pdf", "plan-gb2312.html"]),
    cut=st.floats(min_value=0.0, max_value=1.0),
    noise=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=8),
)
def test_damaged_real_documents(
    docs: dict[str, Path], which: str, cut: float, noise: list[tuple[float, int]]
) -> None:
    data = bytearray(docs[which].read_bytes())
    for where, byte in noise:
        data[int(where * (len(data) - 1))] = byte
    data = data[: max(1, int(len(data) * cut))] if cut < 1.0 else data
    _read_or_refuse(bytes(data), which)
