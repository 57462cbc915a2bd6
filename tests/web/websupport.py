"""Helpers of the web suite (imported by its conftest and tests): the seed, accounts, tokens, CSRF and a
live uvicorn server."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from innocity.app import AppContext
from innocity.services import ingest, observations, supervise, targets, users
from innocity.storage.tables import PlanRow, Region, TargetRow

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "src" / "innocity" / "data" / "samples" / "innovative-city-plans-4.txt"
SECRET = "test-secret-key-for-the-web-suite-0123456789"
UPLOAD_LIMIT = 2 * 10**6
ROLES = ("admin", "coordinator", "department", "leader", "evaluator")

# name → (role, region, department)
ACCOUNTS: dict[str, tuple[str, str | None, str | None]] = {
    "admin": ("admin", None, None),
    "coordinator": ("coordinator", "西宁市", None),
    "department": ("department", "西宁市", "市科技局"),
    "leader": ("leader", "西宁市", None),
    "evaluator": ("evaluator", "青海省", None),
    "ts-coordinator": ("coordinator", "唐山市", None),
    "ts-department": ("department", "唐山市", "市科技局"),
}


def password_of(name: str) -> str:
    return f"{name}-password-1"


@dataclass
class Seed:
    """Ids of what ``seed_web`` stored."""

    plans: dict[str, int] = field(default_factory=dict)  # region name → plan id
    targets: dict[str, list[int]] = field(default_factory=dict)  # region name → current target ids
    items: dict[str, int] = field(default_factory=dict)  # region name → 督办 item id
    observations: dict[str, int] = field(default_factory=dict)  # region name → a submitted value's id
    indicator: str = "TEC01"  # the indicator of those values; 市科技局 of 西宁市 leads its target


def seed_web(ctx: AppContext) -> Seed:
    """Accounts, the sample page and two 督办 items, through the services (as the shell user)."""
    seed = Seed()
    with ctx.uow() as w:
        for name, (role, region, dept) in ACCOUNTS.items():
            users.create_user(w, username=name, password=password_of(name), role=role, region=region,
                              department=dept)
        ingest.ingest_bytes(w, data=SAMPLE.read_bytes(), name=SAMPLE.name)
        for plan in w.session.scalars(select(PlanRow).order_by(PlanRow.id)):
            region = w.session.get(Region, plan.region_id)
            assert region is not None
            seed.plans[region.name] = plan.id
            seed.targets[region.name] = list(w.session.scalars(
                select(TargetRow.id).where(TargetRow.plan_id == plan.id, TargetRow.retired_in.is_(None))
                .order_by(TargetRow.id)))
        for city in ("西宁市", "唐山市"):
            item = supervise.raise_item(w, target_id=seed.targets[city][0], text="请说明进展滞后的原因",
                                        department="市科技局")
            seed.items[city] = item.id
        # 市科技局 of 西宁市 answers for the R&D intensity target, so its department user may report it;
        # one value per city waits for approval (test data, not a published figure)
        xining_rd = w.session.scalar(select(TargetRow.id).where(
            TargetRow.plan_id == seed.plans["西宁市"], TargetRow.indicator_code == seed.indicator))
        assert xining_rd is not None, "the sample's 西宁 plan targets R&D intensity"
        targets.set_target(w, target_id=xining_rd, lead=["市科技局"])
        for city, adcode in (("西宁市", "630100"), ("唐山市", "130200")):
            stored = observations.submit_rows(w, rows=[{
                "region": adcode, "indicator": seed.indicator, "period": "2013", "value": 1.2, "unit": "%",
                "note": "test data"}], status="submitted")
            seed.observations[city] = stored.ids[0]
    return seed


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def csrf_of(client: TestClient) -> str:
    """This client's CSRF token, as the pages embed it."""
    import re

    page = client.get("/login")
    m = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert m, "no CSRF token on the login page"
    return m.group(1)


def sign_in(client: TestClient, name: str, password: str | None = None) -> Any:
    """Sign ``client`` in through the login form; returns the response (a redirect when it worked)."""
    return client.post("/login", data={"username": name, "password": password or password_of(name),
                                       "csrf_token": csrf_of(client), "next": "/"}, follow_redirects=False)



# ---------------------------------------------------------------------- live server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn serving the app on 127.0.0.1 in a thread of the test process."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the live server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


