"""Framework agreements on moto: stage 1 pushed (signed) or entered, stage 2 by 直接选定 and 顺序轮候, refused
whenever the agreement, its supplier or the price does not allow it, with nothing written."""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import boto3
import pytest

from chalicelib.config import get_settings
from chalicelib.domain import frameworks as fw
from chalicelib.domain import orders
from chalicelib.domain.clock import china_date, utc_now
from chalicelib.domain.errors import DomainError
from chalicelib.domain.principals import Principal, Role
from chalicelib.domain.signing import sign
from chalicelib.store.agreements import DynamoAgreementStore
from chalicelib.store.models import AgreementItem, AuditItem, OrderItem, PlanItem
from chalicelib.store.orders import DynamoOrderStore
from chalicelib.wiring import stores
from scheduled import demo_market
from scheduled.demo_agreements import COPY_PAPER_AGREEMENT, copy_paper_body
from tests.api.orders_support import BUREAU, DELIVERY, SITE, add_plan, supplier_code
from tests.conftest import Api

BUYER = "liaocheng.buyer"
PROVINCE = "province.admin"
BASE = f"/sites/{SITE}/agreements/{COPY_PAPER_AGREEMENT}"
BUYER_PRINCIPAL = Principal("t-buyer", BUYER, "张敏", Role.BUYER, SITE, BUREAU, "聊城市教育和体育局", "371500")


def today() -> Any:
    return china_date(utc_now())


def body(**changes: Any) -> dict[str, Any]:
    return copy_paper_body(supplier_code, today(), **changes)


def push(api: Api, payload: dict[str, Any], *, nonce: str | None = None, forged: bool = False) -> tuple[int, Any]:
    raw = json.dumps(payload, ensure_ascii=False).encode()
    secret = boto3.client("secretsmanager").get_secret_value(SecretId=get_settings().integration_secret_id)
    key = "not-the-secret" if forged else secret["SecretString"]
    nonce = nonce or secrets.token_hex(16)
    ts = str(int(time.time()))
    headers = {"X-Yuncai-Timestamp": ts, "X-Yuncai-Nonce": nonce, "X-Yuncai-Signature": sign(key, ts, nonce, raw)}
    return api.call("POST", "/integration/agreements", raw=raw, headers=headers)


def writes() -> tuple[int, int, int]:
    return (
        sum(1 for _ in AgreementItem.scan()),
        sum(1 for _ in OrderItem.scan()),
        sum(1 for _ in AuditItem.scan()),
    )


def delivery() -> dict[str, str]:
    return {**DELIVERY, "expected_date": (today() + timedelta(days=3)).isoformat()}


def direct(api: Api, plan_no: str, seller: str, product: str, quantity: int = 10, price: int = 0) -> tuple[int, Any]:
    order = {
        "method": "direct_select",
        "plan_no": plan_no,
        "supplier_uscc": supplier_code(seller),
        "product_code": product,
        "quantity": quantity,
        "unit_price_fen": price,
        "delivery": delivery(),
        "note": "",
    }
    return api.call("POST", f"{BASE}/orders", order, as_user=BUYER)


def rotation(api: Api, plan_no: str, quantity: int = 5) -> tuple[int, Any]:
    order = {
        "method": "rotation",
        "plan_no": plan_no,
        "catalog_code": "A05040101",
        "quantity": quantity,
        "delivery": delivery(),
    }
    return api.call("POST", f"{BASE}/orders", order, as_user=BUYER)


@pytest.fixture
def shortlisted(api: Api, aws: dict[str, str]) -> str:
    demo_market.seed_demo_suppliers(aws["USER_POOL_ID"])
    status, answer = push(api, body())
    assert status == 201, answer
    return add_plan(31, budget_fen=5_000_000)  # 5 万元 of 办公用品


def test_a_pushed_agreement_is_checked_signed_once_and_shown_to_the_site(api: Api, aws: dict[str, str]) -> None:
    demo_market.seed_demo_suppliers(aws["USER_POOL_ID"])
    before = writes()
    status, answer = push(api, body(), forged=True)
    assert (status, answer["code"]) == (401, "SIGNATURE_INVALID")
    status, answer = push(api, body(catalog_codes=["A05049999"]))
    assert (status, answer["code"]) == (400, "CATEGORY_UNKNOWN") and "品目分类目录" in answer["message"]
    outsider = body()
    outsider["members"][0]["uscc"] = "91371500MA3C4D5E6R"  # well-formed, not a registered supplier
    status, answer = push(api, outsider)
    assert status == 400 and answer["code"] == "AGREEMENT_INVALID" and "尚未在商城注册" in answer["message"]
    assert writes() == before

    nonce = secrets.token_hex(16)
    status, answer = push(api, body(), nonce=nonce)
    assert status == 201 and answer == {"number": COPY_PAPER_AGREEMENT, "version": 1, "status": "active"}
    status, answer = push(api, body(), nonce=nonce)
    assert (status, answer["code"]) == (401, "REQUEST_REPLAYED")

    status, listed = api.call("GET", f"/sites/{SITE}/agreements", as_user=BUYER)
    assert status == 200 and listed["margin_days"] == 7
    [shown] = listed["items"]
    assert shown["status_label"] == "有效" and shown["source_label"] == "省平台推送"
    assert shown["catalog"] == [{"code": "A05040101", "name": "复印纸"}]
    assert all(shown["stage2"][m]["open"] for m in ("direct_select", "secondary_bidding", "rotation"))
    assert shown["rules"]["method_labels"] == ["直接选定", "二次竞价", "顺序轮候"]
    [rota] = shown["rotation"]
    assert rota["order"] == ["聊城市东昌府区鑫诚办公用品有限公司", "聊城市百汇文具店", "聊城市信达电子科技有限公司"]
    # A supplier sees the agreements it is shortlisted in, and no other.
    status, mine = api.call("GET", f"/sites/{SITE}/agreements", as_user="supplier.lc02")
    assert [a["number"] for a in mine["items"]] == [COPY_PAPER_AGREEMENT]
    status, none = api.call("GET", f"/sites/{SITE}/agreements", as_user="supplier.lc05")
    assert none["items"] == []
    # The push is audited in the province's log.
    events = [a.data for a in AuditItem.scan() if a.data["entity_type"] == "agreement"]
    assert [e["action"] for e in events] == ["agreement.created"]


def test_direct_selection_orders_at_or_below_the_cap(api: Api, shortlisted: str) -> None:
    plan_no = shortlisted
    status, order = direct(api, plan_no, "supplier.lc02", "FZ-02", quantity=10, price=11_000)
    assert status == 201, order
    assert order["method"] == "framework" and order["mechanism"] == "framework_direct"
    assert order["method_label"] == "框架协议采购" and order["mechanism_label"] == "直接选定"
    assert order["total_fen"] == 110_000 and order["supplier"]["uscc"] == supplier_code("supplier.lc02")
    assert order["source"] == {
        "kind": "agreement",
        "refs": [COPY_PAPER_AGREEMENT, supplier_code("supplier.lc02"), "FZ-02"],
    }
    stored = OrderItem.get(f"{SITE}#ORDER#{order['order_no']}", "ORDER").data
    assert stored["budget_fen"] == 118_000  # the cap × quantity: 节约资金 8,000 分
    assert int(PlanItem.get(f"{SITE}#PLAN#{plan_no}", "PLAN").committed_fen) == 110_000
    # At the cap when no price is given.
    status, at_cap = direct(api, plan_no, "supplier.demo", "FZ-01", quantity=2)
    assert status == 201 and at_cap["total_fen"] == 24_000

    before = writes()
    status, answer = direct(api, plan_no, "supplier.lc02", "FZ-02", price=11_801)
    assert (status, answer["code"]) == (422, "PRICE_ABOVE_CAP") and "入围限价 118.00 元" in answer["message"]
    status, answer = direct(api, plan_no, "supplier.lc05", "FZ-02")
    assert (status, answer["code"]) == (422, "NOT_SHORTLISTED")
    status, answer = direct(api, plan_no, "supplier.lc02", "FZ-01")
    assert (status, answer["code"]) == (404, "PRODUCT_NOT_IN_AGREEMENT")
    status, answer = api.call(
        "POST",
        f"/sites/{SITE}/agreements/NO-SUCH-01/orders",
        {"method": "direct_select", "plan_no": plan_no, "quantity": 1, "delivery": delivery()},
        as_user=BUYER,
    )
    assert (status, answer["code"]) == (404, "AGREEMENT_NOT_FOUND")
    assert writes() == before


def test_stage_two_is_refused_when_the_agreement_does_not_allow_it(api: Api, shortlisted: str) -> None:
    plan_no = shortlisted
    base = "/agreements/" + COPY_PAPER_AGREEMENT
    # A paused shortlisted supplier: refused for it, and too few suppliers are left for any stage-2 order.
    status, paused = api.call(
        "POST",
        f"{base}/members/{supplier_code('supplier.lc04')}/status",
        {"status": "suspended", "reason": "履约投诉核查中"},
        as_user=PROVINCE,
    )
    assert status == 200 and paused["active_suppliers"] == 2, paused
    before = writes()
    status, answer = direct(api, plan_no, "supplier.lc02", "FZ-02")
    assert (status, answer["code"]) == (422, "TOO_FEW_SUPPLIERS") and "少于协议要求的 3 家" in answer["message"]
    assert writes() == before
    api.call(
        "POST",
        f"{base}/members/{supplier_code('supplier.lc04')}/status",
        {"status": "active", "reason": "核查完毕"},
        as_user=PROVINCE,
    )

    status, _ = api.call("POST", f"{base}/status", {"action": "suspend", "reason": "协议价格复核"}, as_user=PROVINCE)
    assert status == 200
    before = writes()
    status, answer = direct(api, plan_no, "supplier.lc02", "FZ-02")
    assert (status, answer["code"]) == (422, "AGREEMENT_SUSPENDED") and "协议价格复核" in answer["message"]
    status, answer = rotation(api, plan_no)
    assert (status, answer["code"]) == (422, "AGREEMENT_SUSPENDED")
    assert writes() == before
    status, _ = api.call("POST", f"{base}/status", {"action": "resume", "reason": "复核完毕"}, as_user=PROVINCE)
    assert status == 200
    # A city operator cannot change the province's agreement.
    status, answer = api.call(
        "POST", f"{base}/status", {"action": "terminate", "reason": "x" * 3}, as_user="liaocheng.center"
    )
    assert status == 403

    # Ending within the site's margin, or ended: the platform re-delivers the dates.
    status, _ = push(api, body(valid_to=(today() + timedelta(days=5)).isoformat()))
    assert status == 200
    status, answer = direct(api, plan_no, "supplier.lc02", "FZ-02")
    assert (status, answer["code"]) == (422, "AGREEMENT_ENDING")
    status, _ = push(
        api,
        body(
            valid_from=(today() - timedelta(days=100)).isoformat(), valid_to=(today() - timedelta(days=1)).isoformat()
        ),
    )
    status, answer = direct(api, plan_no, "supplier.lc02", "FZ-02")
    assert (status, answer["code"]) == (422, "AGREEMENT_EXPIRED") and "已于" in answer["message"]
    status, listed = api.call("GET", f"/sites/{SITE}/agreements/{COPY_PAPER_AGREEMENT}", as_user=BUYER)
    assert listed["status_label"] == "已到期" and listed["stage2"]["direct_select"]["code"] == "AGREEMENT_EXPIRED"
    assert writes()[1] == 0
    actions = [a.data["action"] for a in AuditItem.scan() if a.data["entity_type"] == "agreement"]
    assert Counter(actions) == Counter(
        {
            "agreement.created": 1,
            "agreement.member_suspended": 1,
            "agreement.member_resumed": 1,
            "agreement.suspended": 1,
            "agreement.resumed": 1,
            "agreement.revised": 2,
        }
    )


def test_rotation_takes_turns_in_the_published_order(api: Api, shortlisted: str) -> None:
    plan_no = shortlisted
    got = []
    for _ in range(4):
        status, order = rotation(api, plan_no)
        assert status == 201, order
        assert order["mechanism_label"] == "顺序轮候" and order["total_fen"] == 5 * order["lines"][0]["unit_price_fen"]
        got.append(order["supplier"]["name"])
    assert got == [
        "聊城市东昌府区鑫诚办公用品有限公司",
        "聊城市百汇文具店",
        "聊城市信达电子科技有限公司",
        "聊城市东昌府区鑫诚办公用品有限公司",
    ]
    status, shown = api.call("GET", BASE, as_user=BUYER)
    assert shown["rotation"][0]["turns_taken"] == 4 and shown["rotation"][0]["next"] == "聊城市百汇文具店"
    # A supplier suspended in this site is passed over (its turn is spent), not waited for.
    status, _ = api.call(
        "POST",
        f"/suppliers/{supplier_code('supplier.lc02')}/suspend",
        {"reason": "送货严重超时"},
        as_user="liaocheng.center",
    )
    assert status == 200
    status, order = rotation(api, plan_no)
    assert status == 201 and order["supplier"]["name"] == "聊城市信达电子科技有限公司"
    status, shown = api.call("GET", BASE, as_user=BUYER)
    assert shown["rotation"][0]["turns_taken"] == 6


class ReadTogether(DynamoOrderStore):
    """The app's order store; each attempt waits after its reads until every attempt has read."""

    def __init__(self, barrier: threading.Barrier) -> None:
        self.barrier = barrier

    def inputs(self, *args: Any, **kwargs: Any) -> orders.OrderInputs:
        found = super().inputs(*args, **kwargs)
        self.barrier.wait(timeout=60)
        return found


def _request(plan_no: str) -> fw.AgreementOrder:
    return fw.AgreementOrder(
        fw.Stage2.ROTATION,
        plan_no,
        "",
        "",
        "A05040101",
        1,
        0,
        orders.Delivery(**DELIVERY, expected_date=(today() + timedelta(days=3)).isoformat()),
        "",
    )


def test_two_buyers_at_once_never_take_the_same_turn(api: Api, shortlisted: str) -> None:
    plan_no = shortlisted
    site = stores().sites.get(SITE)
    assert site is not None
    agreement = DynamoAgreementStore().get(COPY_PAPER_AGREEMENT)
    assert agreement is not None
    trading = {m.uscc for m in agreement.members}
    attempts = 6
    # All read turn 0 before any writes: the turn's condition lets one through.
    store = ReadTogether(threading.Barrier(attempts))

    def attempt(_: int) -> str:
        try:
            fw.place_order(store, site, agreement, BUYER_PRINCIPAL, _request(plan_no), utc_now(), trading=trading)
        except DomainError as exc:
            return exc.code
        return "placed"

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        outcome = Counter(pool.map(attempt, range(attempts)))
    assert outcome == Counter({"placed": 1, "ROTATION_TAKEN": attempts - 1})

    # Retrying as the route does (read the turn again): every buyer gets its own turn, round the published order.
    def retried(_: int) -> str:
        for _try in range(20):
            turns = DynamoAgreementStore().turns(SITE, COPY_PAPER_AGREEMENT).get("A05040101", 0)
            try:
                order = fw.place_order(
                    DynamoOrderStore(), site, agreement, BUYER_PRINCIPAL, _request(plan_no), utc_now(),
                    turns_taken=turns, trading=trading,
                )  # fmt: skip
            except DomainError as exc:
                assert exc.code == "ROTATION_TAKEN", exc.code
                continue
            return order.supplier_uscc
        raise AssertionError("no turn in 20 tries")

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        suppliers = Counter(pool.map(retried, range(attempts)))
    # Turn 0 went to the first supplier; the next six: two rounds of three, less the one already taken.
    assert sum(suppliers.values()) == attempts
    assert DynamoAgreementStore().turns(SITE, COPY_PAPER_AGREEMENT) == {"A05040101": 7}
    placed = Counter(o.data["supplier"]["uscc"] for o in OrderItem.scan())
    assert sorted(placed.values()) == [2, 2, 3]


@pytest.mark.slow
def test_secondary_bidding_among_the_shortlisted_ends_in_a_framework_order(
    api: Api, aws: dict[str, str], shortlisted: str, projection: Any
) -> None:
    from tests.api.competition_support import shorten, stop_all, wait_for_status

    plan_no = shortlisted
    launch = {
        "title": "A4 复印纸 100 箱（二次竞价）",
        "plan_no": plan_no,
        "catalog_code": "A05040101",
        "spec": "A4 70g，500 张/包，5 包/箱",
        "quantity": 100,
        "unit": "箱",
        "ceiling_fen": 100 * 12_500,
        "delivery": {**delivery(), "district": "371500"},
    }
    before = writes()
    status, answer = api.call("POST", f"{BASE}/competitions", {**launch, "ceiling_fen": 100 * 12_501}, as_user=BUYER)
    assert (status, answer["code"]) == (422, "CEILING_ABOVE_CAP")
    assert writes() == before
    try:
        status, c = api.call("POST", f"{BASE}/competitions", launch, as_user=BUYER)
        assert status == 201, c
        assert c["kind_label"] == "二次竞价" and c["mechanism_label"] == "二次竞价" and c["invited_count"] == 3
        assert c["agreement_no"] == COPY_PAPER_AGREEMENT
        path = f"/sites/{SITE}/competitions/{c['id']}"
        # Each supplier is held to its own cap: 百汇 won 118 元/箱.
        status, answer = api.call("PUT", f"{path}/quote", {"unit_price_fen": 11_900}, as_user="supplier.lc02")
        assert (status, answer["code"]) == (422, "PRICE_ABOVE_CAP") and "118.00" in answer["message"]
        status, answer = api.call("PUT", f"{path}/quote", {"unit_price_fen": 11_000}, as_user="supplier.lc05")
        assert status == 404  # not shortlisted: not invited, not even visible
        for seller, unit in (("supplier.demo", 11_500), ("supplier.lc02", 11_200), ("supplier.lc04", 11_900)):
            status, receipt = api.call("PUT", f"{path}/quote", {"unit_price_fen": unit}, as_user=seller)
            assert status == 200, receipt
        shorten(SITE, c["id"], 2)
        closed = wait_for_status(SITE, c["id"], "confirming")
        winner = next(
            s
            for s in ("supplier.demo", "supplier.lc02", "supplier.lc04")
            if supplier_code(s) == closed.ranking[0].supplier_uscc
        )
        status, done = api.call("POST", f"{path}/confirm", as_user=winner)
        assert status == 200, done
        projection.drain()
        awarded = wait_for_status(SITE, c["id"], "awarded", timeout=5)
        order = OrderItem.get(f"{SITE}#ORDER#{awarded.order_no}", "ORDER").data
        assert order["method"] == "framework" and order["mechanism"] == "framework_bidding"
        assert order["source"] == {"kind": "bidding", "refs": [c["id"], COPY_PAPER_AGREEMENT]}
        status, shown = api.call("GET", f"/sites/{SITE}/orders/{awarded.order_no}", as_user=BUYER)
        assert shown["method_label"] == "框架协议采购" and shown["mechanism_label"] == "二次竞价"
    finally:
        stop_all(aws["COMPETITION_STATE_MACHINE_ARN"])


def test_a_shortlisted_product_cannot_be_listed_above_its_cap(api: Api, shortlisted: str) -> None:
    from tests.api.test_listings_api import PEN

    paper = {
        **PEN,
        "category_id": "LC-0107",  # 复印纸 A05040101
        "name": "晨光 A4 复印纸 70g 5包/箱",
        "brand": "晨光",
        "model": "ＡＰＹＶＱ９５９",  # full-width: the same model as the agreement's APYVQ959
        "specs": [{"name": "规格", "value": "A4 70g"}, {"name": "包装", "value": "500张/包，5包/箱"}],
        "price_fen": 11_900,
        "reference_price_fen": 13_000,
        "certificates": [],
    }
    before = writes()
    status, answer = api.call("POST", f"/sites/{SITE}/listings", paper, as_user="supplier.lc02")
    assert (status, answer["code"]) == (422, "PRICE_ABOVE_CAP"), answer
    assert "入围限价 118.00 元" in answer["message"]
    assert writes() == before
    # Another supplier's same product is not its cap; below the cap it is listed (and reviewed as usual).
    status, listing = api.call(
        "POST", f"/sites/{SITE}/listings", {**paper, "price_fen": 11_500}, as_user="supplier.lc02"
    )
    assert status == 201, listing
    status, answer = api.call(
        "PUT",
        f"/sites/{SITE}/listings/{listing['id']}/price",
        {"price_fen": 12_000, "reference_price_fen": 13_000, "reference_source": "京东自营"},
        as_user="supplier.lc02",
    )
    assert (status, answer["code"]) == (422, "PRICE_ABOVE_CAP")
    status, other = api.call("POST", f"/sites/{SITE}/listings", paper, as_user="supplier.lc03")
    assert status == 201, other

    # On sale at 115 元, then the province lowers 百汇's cap to 110 元: the listing is taken off sale at once,
    # and cannot come back until it is repriced.
    status, _ = api.call(
        "POST", f"/sites/{SITE}/listings/{listing['id']}/review", {"decision": "approve"}, as_user="liaocheng.center"
    )
    assert status == 200
    lowered = body()
    lowered["members"][1]["products"][0]["cap_fen"] = 11_000
    status, _ = push(api, lowered)
    assert status == 200
    status, mine = api.call("GET", f"/sites/{SITE}/listings/mine", as_user="supplier.lc02")
    shown = next(x for x in mine["items"] if x["id"] == listing["id"])
    assert shown["status"] == "delisted" and "入围限价 110.00 元" in shown["status_reason"]
    status, answer = api.call("POST", f"/sites/{SITE}/listings/{listing['id']}/resubmit", {}, as_user="supplier.lc02")
    assert (status, answer["code"]) == (422, "PRICE_ABOVE_CAP")
    actions = [a.data["action"] for a in AuditItem.scan() if a.data["entity_id"] == listing["id"]]
    assert "listing.blocked_above_cap" in actions
