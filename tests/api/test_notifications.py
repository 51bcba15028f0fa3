"""站内信: produced from committed changes on the asynchronous side, read in each unit's message centre."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.clock import to_iso, utc_now
from tests.api.orders_support import COPY_PAPER, SITE, add_listing, add_plan, order_body, supplier_code
from tests.conftest import Api, Projection, invoke


def inbox(api: Api, user: str, query: str = "") -> dict:  # type: ignore[type-arg]
    status, body = api.call("GET", f"/me/notifications{query}", as_user=user)
    assert status == 200, body
    return body  # type: ignore[no-any-return]


def test_an_order_notifies_the_party_that_must_act_next(
    api: Api, suppliers_seeded: int, projection: Projection
) -> None:
    plan = add_plan(1, budget_fen=1_000_000)
    paper = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100)
    projection.drain()
    before = inbox(api, "supplier.demo")["unread"]
    status, order = api.call(
        "POST", f"/sites/{SITE}/orders", order_body(plan, "supplier.demo", [(paper, 2)]), as_user="liaocheng.buyer"
    )
    assert status == 201
    no = order["order_no"]
    # Nothing is written by the request itself: the notice comes from the stream.
    assert inbox(api, "supplier.demo")["unread"] == before
    projection.drain()
    supplier_box = inbox(api, "supplier.demo", "?unread=true")
    placed = next(n for n in supplier_box["items"] if n["link"] == f"/orders/{no}")
    assert placed["kind"] == "order_placed" and placed["kind_label"] == "新订单" and not placed["read"]
    assert placed["title"] == f"新订单待确认：{no}" and "聊城市教育和体育局下单 50.00 元" in placed["body"]
    assert supplier_box["unread"] == before + 1
    # The buyer hears of the confirmation.
    assert api.call("POST", f"/sites/{SITE}/orders/{no}/confirm", {}, as_user="supplier.demo")[0] == 200
    projection.drain()
    projection.drain()  # a replayed record adds nothing
    buyer_box = inbox(api, "liaocheng.buyer")
    confirmed = [n for n in buyer_box["items"] if n["kind"] == "order_confirmed"]
    assert len(confirmed) == 1 and confirmed[0]["link"] == f"/orders/{no}"
    assert buyer_box["unread"] >= 1
    # Read one, then read all; reading twice changes nothing.
    status, read = api.call("POST", f"/me/notifications/{placed['id']}/read", {}, as_user="supplier.demo")
    assert status == 200 and read["read"] and read["unread"] == before
    status, again = api.call("POST", f"/me/notifications/{placed['id']}/read", {}, as_user="supplier.demo")
    assert status == 200 and again["read_at"] == read["read_at"]
    status, done = api.call("POST", "/me/notifications/read-all", {}, as_user="liaocheng.buyer")
    assert status == 200 and done["unread"] == 0
    assert inbox(api, "liaocheng.buyer", "?unread=true")["items"] == []
    # Another unit cannot read or mark this unit's notices.
    status, body = api.call("POST", f"/me/notifications/{placed['id']}/read", {}, as_user="supplier.lc02")
    assert (status, body["code"]) == (404, "NOTICE_NOT_FOUND")
    for bad in ("x" * 24, "abc", "A" * 24):
        status, body = api.call("POST", f"/me/notifications/{bad}/read", {}, as_user="supplier.demo")
        assert status == 404, bad
    status, body = api.call("GET", "/me/notifications?limit=0", as_user="supplier.demo")
    assert status == 400 and "每页条数" in body["message"]
    status, _ = api.call("GET", "/me/notifications")
    assert status == 401


def test_a_pushed_plan_and_a_reviewed_listing(api: Api, suppliers_seeded: int, projection: Projection) -> None:
    from tests.api.test_plans_api import plan_body, push

    status, _ = push(api, plan_body(21))
    assert status == 201
    status, config = api.call("GET", f"/sites/{SITE}/config")
    listing = {
        "category_id": COPY_PAPER,
        "name": "得力 A4 复印纸 80g",
        "brand": "得力",
        "model": "DL-8055",
        "specs": [{"name": "规格", "value": "A4 80g"}, {"name": "包装", "value": "500张/包 5包/箱"}],
        "price_fen": 2_900,
        "reference_price_fen": 3_200,
        "reference_source": "京东自营 2026-11",
        "stock": 100,
        "delivery_districts": [d["code"] for d in config["districts"]],
        "images": [],
        "certificates": [],
    }
    status, created = api.call("POST", f"/sites/{SITE}/listings", listing, as_user="supplier.demo")
    assert status == 201, created
    paper = created["id"]
    status, _ = api.call(
        "POST",
        f"/sites/{SITE}/listings/{paper}/review",
        {"decision": "reject", "reason": "参考价来源不明"},
        as_user="liaocheng.center",
    )
    assert status == 200
    projection.drain()
    plan = next(n for n in inbox(api, "liaocheng.buyer")["items"] if n["kind"] == "plan_pushed")
    assert plan["title"] == "采购计划待接收：台式计算机采购项目" and plan["link"].startswith("/plans?plan=")
    rejected = next(n for n in inbox(api, "supplier.demo")["items"] if n["kind"] == "listing_rejected")
    assert "参考价来源不明" in rejected["body"] and rejected["link"] == "/my-listings"
    assert supplier_code("supplier.demo") == rejected["recipient"]


def test_the_deadline_reminder_reaches_who_has_not_quoted(
    api: Api, suppliers_seeded: int, projection: Projection, aws: dict[str, str]
) -> None:
    from tests.api.competition_support import launch_body, stock_sellers, stop_all

    stock_sellers()
    projection.drain()  # the catalog index names who is qualified
    plan_no = add_plan(7, budget_fen=5_000_000)
    body = launch_body(plan_no, end_at=to_iso(utc_now() + timedelta(hours=20)))
    status, competition = api.call("POST", f"/sites/{SITE}/competitions", body, as_user="liaocheng.buyer")
    assert status == 201, competition
    projection.drain()
    invited = [n for n in inbox(api, "supplier.demo")["items"] if n["kind"] == "invited"]
    assert invited and invited[0]["link"] == f"/competitions/{competition['id']}"
    assert invoke("remind_deadlines", {})["reminded"] >= 1
    assert invoke("remind_deadlines", {})["reminded"] >= 1  # made again, stored once
    reminders = [n for n in inbox(api, "supplier.demo")["items"] if n["kind"] == "deadline_soon"]
    assert len(reminders) == 1 and "尚未报价" in reminders[0]["body"]
    stop_all(aws["COMPETITION_STATE_MACHINE_ARN"])


def test_a_supplier_hears_how_its_registration_and_changes_were_decided(api: Api, projection: Projection) -> None:
    from tests.api.test_suppliers_api import REGISTRATION, USCC, _register, _upload_licence

    _register(api)
    _upload_licence(api, "guanxian.office")
    api.call("POST", f"/suppliers/{USCC}/review", {"decision": "approve"}, as_user="liaocheng.center")
    projection.drain()
    kinds = [n["kind"] for n in inbox(api, "guanxian.office")["items"]]
    assert kinds == ["supplier_approved"]
    profile = {k: v for k, v in REGISTRATION.items() if k not in ("username", "password", "uscc")}
    contact = {**profile["contact"], "phone": "13963588888"}  # type: ignore[dict-item]
    api.call("PUT", "/suppliers/me", {**profile, "contact": contact}, as_user="guanxian.office")
    api.call(
        "POST",
        f"/suppliers/{USCC}/changes/decision",
        {"decision": "reject", "reason": "电话无法接通"},
        as_user="liaocheng.center",
    )
    projection.drain()
    newest = inbox(api, "guanxian.office")["items"][0]
    assert newest["kind"] == "change_rejected" and newest["link"] == "/supplier-profile"
    assert newest["kind_label"] == "资料变更被驳回"
