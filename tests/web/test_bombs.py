"""Hostile uploads against a real server process: a zip bomb and an XML bomb inside a DOCX get a clean 4xx
without the server's memory growing with the bomb, and the server keeps answering other requests while it
deals with them.

The server is ``uvicorn --factory innocity.web.app:create_app`` in its own process, so its peak memory
(``VmHWM``) can be read from ``/proc``.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websupport import free_port

from innocity.app import AppContext
from innocity.services import users
from innocity.settings import Settings

BOMB_BYTES = 320 * 2**20  # what the zip bomb's document.xml inflates to
MEMORY_BUDGET = 160 * 2**20  # the server's peak may grow by less than half the bomb

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _package(write_document: object) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            write_document(f)  # type: ignore[operator]
    return buf.getvalue()


@pytest.fixture(scope="session")
def zip_bomb() -> bytes:
    """A DOCX of about 300 kB whose document.xml inflates to 320 MB (one paragraph of spaces)."""

    def write(f: io.BufferedIOBase) -> None:
        f.write(f"<w:document {W}><w:body><w:p><w:r><w:t>".encode())
        chunk = b" " * (16 * 2**20)
        for _ in range(BOMB_BYTES // len(chunk)):
            f.write(chunk)
        f.write(b"</w:t></w:r></w:p></w:body></w:document>")

    return _package(write)


@pytest.fixture(scope="session")
def xml_bomb() -> bytes:
    """A DOCX whose document.xml is a billion laughs: ten levels of entities, each ten of the one below."""
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE lolz [", '<!ENTITY lol0 "创新型城市">']
    for i in range(1, 10):
        lines.append(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">')
    lines.append("]>")
    lines.append(f"<w:document {W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
    doc = "\n".join(lines).encode()
    return _package(lambda f: f.write(doc))


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, int]]:
    """A uvicorn process on a new database with one coordinator; yields (url, token, pid)."""
    db = tmp_path / "bomb.sqlite3"
    ctx = AppContext(Settings(database_url=f"sqlite:///{db}", data_dir=tmp_path, user="seed"))
    with ctx.uow() as w:
        users.create_user(w, username="coord", password="coord-password-1", role="coordinator", region="西宁市")
    ctx.dispose()
    port = free_port()
    env = {**os.environ, "INNOCITY_DATABASE_URL": f"sqlite:///{db}", "INNOCITY_DATA_DIR": str(tmp_path),
           "INNOCITY_SECRET_KEY": "k" * 40, "INNOCITY_MAX_UPLOAD_MB": "5"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "innocity.web.app:create_app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v1/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the server did not start: " + (proc.stderr.read().decode() if proc.stderr
                                                                   and proc.poll() is not None else ""))
            time.sleep(0.1)
        token = httpx.post(f"{url}/api/v1/auth/token",
                           data={"username": "coord", "password": "coord-password-1"}).json()["access_token"]
        yield url, token, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _upload_while_probing(url: str, token: str, data: bytes) -> tuple[httpx.Response, float, list[float]]:
    """Upload ``data`` as a .docx and, meanwhile, time other requests to the same server."""
    headers = {"Authorization": f"Bearer {token}"}
    result: dict[str, object] = {}

    def upload() -> None:
        t0 = time.monotonic()
        result["response"] = httpx.post(f"{url}/api/v1/plans", headers=headers, timeout=120,
                                        files={"file": ("方案.docx", data)})
        result["seconds"] = time.monotonic() - t0

    thread = threading.Thread(target=upload)
    thread.start()
    probes = []
    while thread.is_alive():
        t0 = time.monotonic()
        assert httpx.get(f"{url}/api/v1/me", headers=headers, timeout=30).status_code == 200
        probes.append(time.monotonic() - t0)
        time.sleep(0.05)
    thread.join()
    return result["response"], float(result["seconds"]), probes  # type: ignore[return-value]


@pytest.mark.parametrize("bomb", ["zip_bomb", "xml_bomb"])
def test_a_bomb_inside_a_docx_is_refused_and_the_server_stays_responsive(
    server: tuple[str, str, int], bomb: str, request: pytest.FixtureRequest
) -> None:
    url, token, pid = server
    data: bytes = request.getfixturevalue(bomb)
    assert len(data) < 5 * 10**6
    before = _peak_rss(pid)
    response, seconds, probes = _upload_while_probing(url, token, data)
    assert 400 <= response.status_code < 500, response.text[:300]
    body = response.json()["error"]
    assert body["code"] in ("unreadable_document", "unsupported_media_type", "too_large", "invalid")
    assert "Traceback" not in response.text
    assert seconds < 60
    assert _peak_rss(pid) - before < MEMORY_BUDGET, f"peak memory grew by {(_peak_rss(pid) - before) >> 20} MB"
    assert not probes or max(probes) < 5, f"other requests waited up to {max(probes):.1f} s"
    # and afterwards it still works normally
    assert httpx.get(f"{url}/api/v1/plans", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_an_external_entity_in_a_docx_is_not_read(server: tuple[str, str, int]) -> None:
    """XXE: a DOCX asking the XML parser to include /etc/passwd gets nothing of it, in no answer."""
    url, token, _ = server
    doc = (
        '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        f"<w:document {W}><w:body><w:p><w:r><w:t>西宁市创新型城市建设实施方案</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>到2025年，高新技术企业达到300家。&xxe;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    headers = {"Authorization": f"Bearer {token}"}
    r = httpx.post(f"{url}/api/v1/plans", headers=headers, files={"file": ("xxe.docx", _package(lambda f: f.write(doc)))})
    assert r.status_code in (201, 415, 422), r.text[:300]
    assert "root:" not in r.text
    if r.status_code == 201:
        plan = httpx.get(f"{url}/api/v1/plans/{r.json()['plans'][0]['id']}", headers=headers).json()
        assert "root:" not in plan["text"]
