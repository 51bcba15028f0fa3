"""The service desk on moto: questions by category from a buyer and a supplier, hotline calls the centre logs
(answered or missed), answers on time or late, the month's figures (answer rate, 接听率, mean response time, calls a
day), and an answered question published to the FAQ on the front page."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from chalicelib.domain.clock import china_date, to_iso, utc_now
from tests.conftest import Api

SITE = "liaocheng"
BASE = f"/sites/{SITE}/tickets"
CENTER = "liaocheng.center"


def test_questions_calls_answers_and_the_months_figures(api: Api, suppliers_seeded: int) -> None:
    status, asked = api.call(
        "POST",
        BASE,
        {"category": "framework", "question": "框架协议采购如何选择入围供应商下单？"},
        as_user="liaocheng.buyer",
    )
    assert status == 201 and asked["status_label"] == "待答复" and asked["category_label"] == "框架协议采购"
    status, listing = api.call(
        "POST", BASE, {"category": "listing", "question": "商品上架时节能证书如何上传？"}, as_user="supplier.demo"
    )
    assert status == 201
    for body, code in (
        ({"category": "weather", "question": "今天天气怎么样？"}, 400),
        ({"category": "other", "question": "？"}, 400),
    ):
        status, answer = api.call("POST", BASE, body, as_user="liaocheng.buyer")
        assert status == code, answer
    status, _ = api.call("POST", BASE, {"category": "other", "question": "采购中心能提问吗？"}, as_user=CENTER)
    assert status == 403

    now = utc_now()
    calls = [
        {"category": "onboarding", "caller": "王先生", "question": "新版商城入驻申请需要哪些材料", "answered": True,
         "answer": "营业执照、法人身份证明，线上提交后由注册地采购中心审核", "at": to_iso(now - timedelta(minutes=30))},
        {"category": "onboarding", "caller": "", "question": "未接通", "answered": False, "at": to_iso(now)},
    ]  # fmt: skip
    for call in calls:
        status, logged = api.call("POST", f"{BASE}/calls", call, as_user=CENTER)
        assert status == 201, logged
    status, answer = api.call("POST", f"{BASE}/calls", {**calls[0], "answer": ""}, as_user=CENTER)
    assert (status, answer["code"]) == (400, "VALIDATION_FAILED")  # an answered call says what was answered
    status, _ = api.call("POST", f"{BASE}/calls", calls[0], as_user="liaocheng.finance")
    assert status == 403

    # The buyer's question is answered at once; the supplier's after the site's 24 hours.
    status, done = api.call(
        "POST", f"{BASE}/{asked['id']}/answer", {"text": "在框架协议页面选择协议后点击“直接选定”"}, as_user=CENTER
    )
    assert status == 200 and done["actions"] == ["faq"]
    later = utc_now() + timedelta(hours=30)
    if china_date(later).month == china_date(utc_now()).month:
        with time_machine.travel(later, tick=False):
            late = Api(api.client)
            status, _ = late.call(
                "POST", f"{BASE}/{listing['id']}/answer", {"text": "在商品资质中上传"}, as_user=CENTER
            )
            assert status == 200
    status, mine = api.call("GET", BASE, as_user="supplier.demo")
    assert [t["id"] for t in mine["items"]] == [listing["id"]]

    month = f"{china_date(utc_now()):%Y-%m}"
    status, figures = api.call("GET", f"{BASE}/figures?month={month}", as_user="liaocheng.finance")
    assert status == 200
    assert (figures["received"], figures["calls"], figures["calls_answered"]) == (4, 2, 1)
    assert figures["call_answer_rate"] == "50.00"
    assert {c["label"]: c["count"] for c in figures["by_category"]} == {"入驻申请": 2, "商品上架": 1, "框架协议采购": 1}
    if figures["answered"] == 3:  # the late answer happened in the same month
        assert (figures["answer_rate"], figures["on_time"], figures["on_time_rate"]) == ("75.00", 2, "66.67")
    status, answer = api.call("GET", f"{BASE}/figures?month=2026-13", as_user=CENTER)
    assert status == 400

    # The answered question becomes an FAQ entry on the front page, once.
    status, published = api.call("POST", f"{BASE}/{asked['id']}/faq", {}, as_user=CENTER)
    assert status == 200 and published["faq_id"] and published["actions"] == []
    status, answer = api.call("POST", f"{BASE}/{asked['id']}/faq", {}, as_user=CENTER)
    assert (status, answer["code"]) == (409, "TICKET_IN_FAQ")
    status, faq = api.call("GET", f"/sites/{SITE}/bulletins?kind=faq")
    assert any(b["title"] == "框架协议采购如何选择入围供应商下单？" for b in faq["items"])


def test_the_centres_queue_holds_every_waiting_task_with_its_deadline(api: Api, suppliers_seeded: int) -> None:
    from tests.api.orders_support import COPY_PAPER, add_listing, add_plan, order_body

    plan = add_plan(4, budget_fen=1_000_000)
    paper = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100)
    _, order = api.call(
        "POST", f"/sites/{SITE}/orders", order_body(plan, "supplier.demo", [(paper, 2)]), as_user="liaocheng.buyer"
    )
    no = order["order_no"]
    assert api.call("POST", f"/sites/{SITE}/orders/{no}/confirm", {}, as_user="supplier.demo")[0] == 200
    status, _ = api.call(
        "POST", f"/sites/{SITE}/orders/{no}/termination", {"reason": "供应商无法按期供货"}, as_user="liaocheng.buyer"
    )
    assert status == 200
    api.call(
        "POST", BASE, {"category": "orders", "question": "订单终止后计划额度何时退回？"}, as_user="liaocheng.buyer"
    )
    report = {"ground": "contract_breach", "order_no": no, "facts": "供应商确认后迟迟不发货，联系不上"}
    status, filed = api.call("POST", f"/sites/{SITE}/complaints", report, as_user="liaocheng.buyer")
    assert status == 201

    status, queue = api.call("GET", f"/sites/{SITE}/supervision/queue", as_user="liaocheng.finance")
    assert status == 200
    kinds = {row["kind_label"]: row for row in queue["items"]}
    assert {"终止申请审核", "咨询待答复", "待被投诉方答复"} <= set(kinds)
    assert kinds["终止申请审核"]["link"] == f"/orders/{no}" and kinds["终止申请审核"]["due_at"]
    assert kinds["待被投诉方答复"]["due_at"] == filed["answer_by"] and not kinds["待被投诉方答复"]["overdue"]
    status, _ = api.call("GET", f"/sites/{SITE}/supervision/queue", as_user="liaocheng.buyer")
    assert status == 403
