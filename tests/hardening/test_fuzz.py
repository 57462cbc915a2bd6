"""The fuzz suite: a few thousand generated data files and damaged documents, each held to one property
(see ``fuzzing.py``): no traceback, every refusal names a file, row or field, a refused input leaves the
database as it was, nothing non-finite is stored. ``benchmarks/fuzz_long.py`` runs the same grammar for
100,000 cases."""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innocity.app import AppContext
from innocity.errors import DocumentError
from innocity.parsing.readers import read_document


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("innocity_fuzzing", Path(__file__).with_name("fuzzing.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fz = _load()
FIXTURE_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]


def _scaled(app: AppContext, n: int) -> int:
    return n if app.db.is_sqlite else max(20, n // 5)  # PostgreSQL round trips cost more; same grammar


@pytest.mark.parametrize("kind", ["csv", "json", "xlsx"])
def test_generated_data_files_keep_the_property(app: AppContext, tmp_path: Path, kind: str) -> None:
    strategy = {"csv": fz.csv_file(), "json": fz.json_file(), "xlsx": fz.xlsx_file()}[kind]
    n = _scaled(app, {"csv": 1500, "json": 800, "xlsx": 250}[kind])

    @settings(max_examples=n, deadline=None, suppress_health_check=FIXTURE_OK, database=None)
    @given(case=strategy)
    def run(case: tuple[str, bytes]) -> None:
        name, data = case
        fz.check_import(app, tmp_path, name, data)

    run()


def _docx_variant(data: bytes, member: str, pattern: bytes, repl: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == member:
                body = re.sub(pattern, lambda _: repl, body)
            zout.writestr(item, body)
    return out.getvalue()


ATTR_VALUES = st.one_of(
    st.sampled_from(
        [b"0", b"8", b"9", b"-1", b"x", b"1e9", b"99999999999999999999", b"", b"32767", b"32768"]
    ),
    st.binary(max_size=6).map(lambda b: b.replace(b'"', b"").replace(b"<", b"").replace(b"&", b"")),
)


@settings(max_examples=400, deadline=None, suppress_health_check=FIXTURE_OK, database=None)
@given(
    target=st.sampled_from(
        [
            ("word/document.xml", rb'w:ilvl w:val="[^"]*"', b'w:ilvl w:val="%s"'),
            ("word/numbering.xml", rb'w:start w:val="[^"]*"', b'w:start w:val="%s"'),
            ("word/numbering.xml", rb'w:lvl w:ilvl="[^"]*"', b'w:lvl w:ilvl="%s"'),
            ("word/numbering.xml", rb'w:numFmt w:val="[^"]*"', b'w:numFmt w:val="%s"'),
            ("word/document.xml", rb'w:numId w:val="[^"]*"', b'w:numId w:val="%s"'),
        ]
    ),
    value=ATTR_VALUES,
)
def test_docx_with_malformed_internals_is_read_or_refused_in_one_line(
    docs: dict[str, Path], target: tuple[str, bytes, bytes], value: bytes
) -> None:
    member, pattern, template = target
    data = _docx_variant(docs["plan.docx"].read_bytes(), member, pattern, template.replace(b"%s", value))
    try:
        doc = read_document(data, "plan.docx")
    except DocumentError as exc:
        assert exc.source == "plan.docx" and "\n" not in exc.one_line()
        return
    assert doc.text.strip()
