"""innocity.services.parsing: paths to annotated documents, batches in input order, errors per file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from innocity.domain.plan import ParsedDocument
from innocity.errors import DocumentError, NotFoundError
from innocity.services.parsing import expand_paths, iter_parse, parse_path


def test_parse_path_describes_the_source(docs) -> None:
    doc = parse_path(docs["plan-gb18030.txt"])
    assert doc.source.name == str(docs["plan-gb18030.txt"])
    assert doc.source.encoding == "gb18030"
    assert doc.source.chars == len(doc.text)
    assert doc.plans


def test_parse_path_errors(tmp_path, docs) -> None:
    with pytest.raises(NotFoundError) as missing:
        parse_path(tmp_path / "none.pdf")
    assert missing.value.source == str(tmp_path / "none.pdf")
    with pytest.raises(DocumentError, match="is a directory"):
        parse_path(tmp_path)
    with pytest.raises(DocumentError, match="no text layer"):
        parse_path(docs["scanned.pdf"])


def test_expand_paths_recursive_sorted_supported_only(tmp_path) -> None:
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for rel in (
        "b/c/z.PDF",
        "b/a.docx",
        "a.txt",
        "notes.xlsx",
        "b/index.htm",
        "README",
        "b/~$a.docx",
        ".git/x.txt",
        ".hidden.txt",
    ):
        (tmp_path / rel).write_bytes(b"x")
    extra = tmp_path / "missing.txt"
    assert expand_paths([tmp_path, extra]) == [
        tmp_path / "a.txt",
        tmp_path / "b" / "a.docx",
        tmp_path / "b" / "c" / "z.PDF",
        tmp_path / "b" / "index.htm",
        extra,
    ]


def test_expand_paths_refuses_a_directory_without_documents(tmp_path) -> None:
    (tmp_path / "data.csv").write_text("a,b\n")
    with pytest.raises(DocumentError, match="holds no documents"):
        expand_paths([tmp_path])


@pytest.mark.parametrize("jobs", [1, 2])
def test_iter_parse_keeps_input_order_and_reports_errors_in_place(docs, tmp_path, jobs) -> None:
    paths = [docs["plan.pdf"], tmp_path / "gone.txt", docs["empty.txt"], docs["plan-utf8.txt"]]
    results = list(iter_parse(paths, jobs=jobs))
    assert [p for p, _ in results] == paths
    kinds = [type(r) for _, r in results]
    assert kinds == [ParsedDocument, NotFoundError, DocumentError, ParsedDocument]
    err = results[2][1]
    assert isinstance(err, DocumentError)
    assert err.one_line() == f"{docs['empty.txt']}: empty file"


def test_iter_parse_same_documents_with_and_without_workers(docs, tmp_path) -> None:
    for name in ("plan.docx", "plan-gb2312.html"):
        shutil.copy(docs[name], tmp_path / name)
    paths = sorted(Path(tmp_path).iterdir())
    one = [r.to_dict() for _, r in iter_parse(paths, jobs=1) if isinstance(r, ParsedDocument)]
    two = [r.to_dict() for _, r in iter_parse(paths, jobs=2) if isinstance(r, ParsedDocument)]
    assert one == two and len(one) == 2


def test_special_files_are_refused() -> None:
    with pytest.raises(DocumentError, match="not a regular file"):
        parse_path(Path("/dev/null"))


def _markers(doc: ParsedDocument) -> list[str]:
    return [s.marker for plan in doc.plans for top in plan.outline for s in top.walk()]


def test_word_numbering_reaches_the_outline_like_typed_numbers(docs) -> None:
    # The .txt has the numbers typed; in the .docx Word generates them. The parser must see the same
    # headings either way, or the duty/target sections of every Word plan would be lost.
    typed = _markers(parse_path(docs["plan-utf8.txt"]))
    assert typed, "the outline extractor found no headings in the typed plan"
    assert _markers(parse_path(docs["plan.docx"]))[: len(typed)] == typed
    assert _markers(parse_path(docs["plan-gb2312.html"])) == typed


def test_parse_path_matches_with_the_matcher_it_is_given(docs) -> None:
    from innocity.catalog import Catalog, Matcher, load_catalog

    full = load_catalog()
    doc = parse_path(docs["plan-utf8.txt"], matcher=Matcher(full))
    codes = {t.indicator_code for p in doc.plans for t in p.targets if t.indicator_code}
    assert codes, "the test document names catalogue indicators"
    keep = sorted(codes)[0]
    only = Matcher(Catalog([i for i in full.indicators if i.code == keep]))
    narrow = parse_path(docs["plan-utf8.txt"], matcher=only)
    assert {t.indicator_code for p in narrow.plans for t in p.targets if t.indicator_code} == {keep}
    bare = parse_path(docs["plan-utf8.txt"], annotate=False)
    assert all(t.indicator_code is None for p in bare.plans for t in p.targets)


def test_worker_processes_use_the_given_matcher_and_explain(docs) -> None:
    from innocity.catalog import Catalog, Matcher

    nothing = Matcher(Catalog([]))
    paths = [docs["plan-utf8.txt"], docs["plan.docx"]]
    for _, doc in iter_parse(paths, jobs=2, matcher=nothing, explain=True):
        assert isinstance(doc, ParsedDocument)
        assert all(t.indicator_code is None for p in doc.plans for t in p.targets)
        assert all(p.explain is not None for p in doc.plans)
        for p in doc.plans:
            for d in p.explain or []:
                assert doc.text[d.span[0]:d.span[1]] == d.text
