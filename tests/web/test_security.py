"""What protects every response and request: headers, CSRF, cookies, untrusted plan text, upload limits and
types, and error bodies that never leak internals."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from websupport import UPLOAD_LIMIT, Seed, bearer, csrf_of, password_of, sign_in

from innocity.app import AppContext
from innocity.web.app import create_app
from innocity.web.config import WebSettings

XSS_PLAN = (
    "西宁市创新型城市建设实施方案<script>alert('title')</script>\n"
    "一、发展目标\n"
    "到2025年，全市研发经费支出占地区生产总值比重达到3.2%；<img src=x onerror=alert(1)>"
    "高新技术企业达到300家；技术合同成交额达到50亿元<a href=\"javascript:alert(2)\">。\n"
    "二、重点任务\n"
    "（一）建设创新平台<iframe src=javascript:alert(4)>。牵头单位：市科技局。\n"
)
MARKUP = ("<script>alert(", "<img src=x", "<svg onload", "<iframe", 'href="javascript:')


def test_every_response_carries_the_security_headers(client: TestClient, seeded: Seed) -> None:
    for path in ("/login", "/api/v1/openapi.json", "/api/docs", "/static/css/app.css", "/no-such-page",
                 "/api/v1/plans"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp and "style-src 'self'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"]
        assert re.fullmatch(r"[0-9a-f]{12}", r.headers["x-request-id"])


def test_pages_have_no_inline_script_or_style(client: TestClient, seeded: Seed) -> None:
    assert sign_in(client, "coordinator").status_code == 303
    for path in ("/", "/plans", f"/plans/{seeded.plans['西宁市']}", "/plans/compare", "/api/docs", "/login"):
        html = client.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"inline script on {path}: {tag}"
        assert not re.search(r"<script\b[^>]*>[^<\s]", html), f"script with a body on {path}"
        assert " style=" not in html and "<style" not in html, f"inline style on {path}"
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {path}"


def test_session_cookie_flags(client: TestClient, seeded: Seed) -> None:
    r = sign_in(client, "coordinator")
    cookies = r.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("innocity_session="))
    assert "HttpOnly" in session and "SameSite=Lax" in session and "Secure" not in session
    csrf = next(c for c in cookies if c.startswith("innocity_csrf="))
    assert "HttpOnly" in csrf


def test_https_setting_makes_cookies_secure(app: AppContext, seeded: Seed) -> None:
    web = WebSettings(secret_key="x" * 40, https=True, max_upload_bytes=UPLOAD_LIMIT)
    with TestClient(create_app(app, web=web), base_url="https://testserver") as c:
        r = sign_in(c, "coordinator")
        assert all("Secure" in cookie for cookie in r.headers.get_list("set-cookie"))


def test_a_state_changing_page_request_needs_the_csrf_token(client: TestClient, seeded: Seed) -> None:
    # no token at all: the sign-in form is refused and nobody is signed in
    r = client.post("/login", data={"username": "coordinator", "password": "coordinator-password-1"},
                    follow_redirects=False)
    assert r.status_code == 403 and "CSRF" in r.text
    assert sign_in(client, "coordinator").status_code == 303
    target = seeded.targets["西宁市"][0]
    url = f"/plans/{seeded.plans['西宁市']}/targets/{target}"
    form = {"version": "1", "action": "confirm"}
    assert client.post(url, data=form).status_code == 403
    assert client.post(url, data={**form, "csrf_token": "forged-token"}).status_code == 403
    assert client.post(url, data=form, headers={"X-CSRF-Token": "forged"}).status_code == 403
    ok = client.post(url, data={**form, "csrf_token": csrf_of(client)}, follow_redirects=False)
    assert ok.status_code == 303
    logout = client.post("/logout", data={}, follow_redirects=False)
    assert logout.status_code == 403  # even signing out needs the token (no forced log-outs from elsewhere)


def test_signed_out_pages_redirect_to_login_and_the_api_answers_401(client: TestClient, seeded: Seed) -> None:
    for path in ("/", "/plans", f"/plans/{seeded.plans['西宁市']}", "/plans/compare"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    r = client.get("/plans", headers={"HX-Request": "true"}, follow_redirects=False)
    assert r.headers["hx-redirect"].startswith("/login")
    r = client.get("/api/v1/plans")
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert r.json()["error"]["code"] == "not_authenticated"
    r = client.get("/api/v1/plans", headers=bearer("not-a-token"))
    assert r.status_code == 401


def test_login_does_not_redirect_elsewhere(client: TestClient, seeded: Seed) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        r = client.post("/login", data={"username": "coordinator", "password": "coordinator-password-1",
                                         "csrf_token": csrf_of(client), "next": target}, follow_redirects=False)
        assert r.headers["location"] == "/", target
        client.cookies.clear()


def test_a_plan_full_of_markup_renders_as_inert_text(client: TestClient, seeded: Seed,
                                                      tokens: dict[str, str]) -> None:
    h = bearer(tokens["coordinator"])
    r = client.post("/api/v1/plans", headers=h, files={"file": ("xss.txt", XSS_PLAN.encode(), "text/plain")})
    assert r.status_code == 201, r.text
    plan_id = r.json()["plans"][0]["id"]
    shown = client.get(f"/api/v1/plans/{plan_id}", headers=h).json()
    assert "<script>alert('title')</script>" in shown["text"]  # the API returns the text as it is, in JSON
    target = shown["targets"][0]
    # markup in the fields a reviewer types, too: a unit, a comment, a department name
    r = client.patch(f"/api/v1/targets/{target['id']}", headers=h, json={
        "version": target["version"], "unit": "<svg onload=alert(8)>", "comment": "<img src=x onerror=alert(7)>",
        "lead": ["<script>alert(9)</script>局"]})
    assert r.status_code in (200, 422), r.text
    sign_in(client, "coordinator")
    for path in (f"/plans/{plan_id}", f"/plans/{plan_id}?full=1", "/plans", "/",
                 f"/plans/{plan_id}/targets/{target['id']}/history",
                 f"/plans/{plan_id}/targets/{target['id']}/edit"):
        html = client.get(path).text
        for bad in MARKUP:
            assert bad not in html, f"{bad!r} unescaped on {path}"
    page = client.get(f"/plans/{plan_id}").text
    assert "&lt;script&gt;alert(" in page and "onerror=alert(1)&gt;" in page


def test_upload_over_the_limit_is_refused_before_the_body_is_read(client: TestClient, seeded: Seed,
                                                                  tokens: dict[str, str]) -> None:
    big = b"a" * (UPLOAD_LIMIT + 10)
    r = client.post("/api/v1/plans", headers=bearer(tokens["coordinator"]),
                    files={"file": ("big.txt", big, "text/plain")})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large" and "MB" in r.json()["error"]["message"]
    # announced as larger than the limit: refused at once, whatever follows
    r = client.post("/api/v1/plans", headers={**bearer(tokens["coordinator"]),
                                              "content-length": str(10**9), "content-type": "text/plain"},
                    content=b"x")
    assert r.status_code == 413


def test_a_chunked_body_is_cut_off_at_the_limit(client: TestClient, seeded: Seed, tokens: dict[str, str]) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"x" * 100_000

    r = client.post("/api/v1/plans", headers={**bearer(tokens["coordinator"]),
                                              "content-type": "multipart/form-data; boundary=zzz"},
                    content=chunks())
    assert r.status_code == 413


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        ("scan.pdf", b"\xff\xd8\xff\xe0" + b"\x00" * 100),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("archive.docx", b"\x1f\x8b\x08\x00" + b"\x00" * 100),
    ],
)
def test_files_that_are_not_documents_get_415(client: TestClient, seeded: Seed, tokens: dict[str, str],
                                              name: str, data: bytes) -> None:
    r = client.post("/api/v1/plans", headers=bearer(tokens["coordinator"]), files={"file": (name, data)})
    assert r.status_code == 415, r.text
    assert r.json()["error"]["code"] == "unsupported_media_type"


def test_a_spreadsheet_named_docx_is_415_and_a_broken_docx_422(client: TestClient, seeded: Seed,
                                                                tokens: dict[str, str]) -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    r = client.post("/api/v1/plans", headers=bearer(tokens["coordinator"]),
                    files={"file": ("plan.docx", buf.getvalue())})
    assert r.status_code == 415
    r = client.post("/api/v1/plans", headers=bearer(tokens["coordinator"]),
                    files={"file": ("plan.docx", b"PK\x03\x04truncated")})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "unreadable_document"


def test_the_same_bytes_again_point_to_the_existing_plan(client: TestClient, seeded: Seed,
                                                        tokens: dict[str, str]) -> None:
    from websupport import SAMPLE

    r = client.post("/api/v1/plans", headers=bearer(tokens["admin"]),
                    files={"file": ("again.txt", SAMPLE.read_bytes(), "text/plain")})
    assert r.status_code == 200
    assert r.json()["status"] == "unchanged"
    assert sorted(p["id"] for p in r.json()["plans"]) == sorted(seeded.plans.values())


def test_unexpected_errors_answer_500_with_a_request_id_and_no_internals(app: AppContext, seeded: Seed,
                                                                        web_settings: WebSettings) -> None:
    from fastapi import APIRouter

    boom = APIRouter()

    @boom.get("/api/v1/boom")
    def explode() -> None:
        raise RuntimeError("SELECT secret FROM /etc/passwd")

    fastapi_app = create_app(app, web=web_settings)
    fastapi_app.include_router(boom)
    with TestClient(fastapi_app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/boom")
    assert r.status_code == 500
    body = r.json()["error"]
    assert body["code"] == "internal_error" and r.headers["x-request-id"] in body["message"]
    assert "SELECT" not in r.text and "/etc" not in r.text and "Traceback" not in r.text


def test_malformed_and_invalid_requests(client: TestClient, seeded: Seed, tokens: dict[str, str]) -> None:
    h = {**bearer(tokens["coordinator"]), "content-type": "application/json"}
    target = seeded.targets["西宁市"][0]
    r = client.patch(f"/api/v1/targets/{target}", headers=h, content=b"{not json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_request"
    r = client.patch(f"/api/v1/targets/{target}", headers=h, json={"version": 1, "comparator": "≈"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "comparator"
    r = client.patch(f"/api/v1/targets/{target}", headers=h, json={"version": 1, "year": 3000})
    assert r.status_code == 422 and r.json()["error"]["field"] == "year"
    r = client.get("/api/v1/plans/999999", headers=h)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_the_csrf_token_is_masked_afresh_on_every_page(client: TestClient, seeded: Seed) -> None:
    """BREACH: a gzipped page never repeats the CSRF secret byte for byte; every masked form of it works."""
    first, second = csrf_of(client), csrf_of(client)
    assert first != second
    r = client.post("/login", data={"username": "coordinator", "password": "coordinator-password-1",
                                     "csrf_token": first, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303  # the older page's token is as good as the newer one's


def test_a_disabled_account_is_refused_on_its_very_next_request(client: TestClient, seeded: Seed,
                                                               app: AppContext) -> None:
    """Signed-in callers are remembered between requests; disabling the account (from the command line,
    another worker, anywhere) ends both its API token and its page session at once."""
    from innocity.services import users

    token = client.post("/api/v1/auth/token", data={"username": "leader", "password": password_of("leader")})
    h = bearer(token.json()["access_token"])
    assert sign_in(client, "leader").status_code == 303
    for _ in range(2):  # the second time from what was kept
        assert client.get("/api/v1/progress?year=2014", headers=h).status_code == 200
        assert client.get("/", follow_redirects=False).status_code == 200
    with app.uow() as w:
        users.disable_user(w, username="leader")
    r = client.get("/api/v1/progress?year=2014", headers=h)
    assert r.status_code == 401 and r.json()["error"]["code"]
    page = client.get("/", follow_redirects=False)
    assert page.status_code in (302, 303) and page.headers["location"].startswith("/login")
