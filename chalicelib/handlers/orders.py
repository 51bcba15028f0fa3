"""Direct-purchase orders: placing, fulfilment, acceptance, termination, payment, ratings, follow-ups."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import labels, orders, ratings
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from chalicelib.domain.order_documents import DocumentKind, document_key, is_due, render
from chalicelib.domain.principals import Role
from chalicelib.domain.signing import TOLERANCE_SECONDS, verify
from chalicelib.handlers.views import order_fields
from chalicelib.http import Reply, RequestContext, api_route
from chalicelib.observability import logger, metrics
from chalicelib.store.reference import national_catalog
from chalicelib.store.sites import cached_site
from chalicelib.wiring import stores

bp = Blueprint(__name__)

BUYER = frozenset({Role.BUYER})
SUPPLIER = frozenset({Role.SUPPLIER})
OPERATOR = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
PARTIES = frozenset({Role.BUYER, Role.SUPPLIER})
ORDER_READERS = frozenset({Role.BUYER, Role.SUPPLIER, Role.CENTER_ADMIN, Role.FINANCE, Role.PROVINCE_ADMIN})
DOC_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def order_view(order: orders.Order, ctx: RequestContext, rated: frozenset[str] | None = None) -> dict[str, Any]:
    view = order_fields(order)
    level2 = national_catalog().get(order.level2_code)
    view.update(
        level2_name=level2.name if level2 else "",
        actions=orders.available_actions(order, ctx.user, rated),
        documents=[{"kind": k.value, "label": k.label} for k in DocumentKind if is_due(order, k)],
    )
    return view


def _order(ctx: RequestContext, site_id: str, order_no: str) -> orders.Order:
    return orders.visible_order(stores().orders, ctx.user, site_id, order_no)


# ---------------------------------------------------------------- placing and listing


@api_route(bp, "/sites/{site_id}/checkout", methods=("POST",), roles=BUYER, response="orders:CheckoutForecast")
def checkout_forecast(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """Before placing: each group's plan (the buyer's or the one the mall proposes), the plans that fit, and
    what would certainly refuse it. Writes nothing; three reads whatever the cart's size."""
    from chalicelib.domain import checkout
    from chalicelib.domain.clock import china_date
    from chalicelib.domain.errors import NotFound
    from chalicelib.schemas.orders import CheckoutBody

    body = ctx.body(CheckoutBody)
    groups = [
        checkout.Group(g.supplier_uscc, tuple((x.listing_id, x.quantity) for x in g.lines), g.plan_no)
        for g in body.groups
    ]
    inputs = stores().orders.checkout_inputs(
        site_id,
        ctx.user.org_id,
        ctx.user.district,
        china_date(ctx.now).year,
        [lid for g in groups for lid, _ in g.lines],
        [g.supplier_uscc for g in groups],
    )
    if inputs is None:
        raise NotFound(f"站点 {site_id} 不存在", code="SITE_NOT_FOUND")
    results = checkout.forecast(inputs, groups)
    return {
        "groups": [checkout.forecast_view(r) for r in results],
        "blocked": any(r.blocked for r in results),
        "limits": {
            "per_order_cap_fen": inputs.site.limits.per_order_cap_fen,
            "annual_category_cap_fen": inputs.site.limits.annual_category_cap_fen,
        },
    }


@api_route(bp, "/sites/{site_id}/orders", methods=("POST",), roles=BUYER, response="orders:OrderView")
def place_order(ctx: RequestContext, site_id: str) -> Reply:
    """直购下单: one order for one supplier's listings, paid from one accepted plan."""
    from chalicelib.schemas.orders import NewOrderBody
    from chalicelib.store.idempotency import run_once

    body = ctx.body(NewOrderBody)

    def create() -> dict[str, Any]:
        new = orders.NewOrder(
            plan_no=body.plan_no,
            supplier_uscc=body.supplier_uscc,
            lines=tuple((line.listing_id, line.quantity) for line in body.lines),
            delivery=orders.Delivery(
                body.delivery.address,
                body.delivery.contact,
                body.delivery.phone,
                body.delivery.expected_date.isoformat(),
            ),
            note=body.note,
        )
        order = orders.place(stores().orders, site_id, ctx.user, new, ctx.now, ctx.request_id)
        metrics.add_metric(name="OrderPlaced", unit="Count", value=1)
        logger.info("order placed", extra={"order_no": order.order_no, "total_fen": order.total_fen})
        return order_view(order, ctx)

    result = run_once(
        scope=f"{site_id}#{ctx.user.user_id}#place_order",
        key=ctx.header("idempotency-key") or None,
        body=json.loads(body.model_dump_json()),
        action=create,
        lambda_context=ctx.lambda_context,
    )
    return Reply(result, status=201)


@api_route(bp, "/sites/{site_id}/orders", roles=ORDER_READERS, response="orders:OrderPage")
def list_orders(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """A buyer sees its unit's orders, a supplier its own, the operator and finance the site's; searchable by
    number, plan, supplier and China days."""
    from chalicelib.schemas.orders import OrderQuery

    query = ctx.query(OrderQuery)
    found, cursor = _visible_orders(ctx, site_id, _order_filter(query), query.limit, query.cursor)
    return {"items": [order_view(o, ctx) for o in found], "next_cursor": cursor}


def _order_filter(query: Any) -> orders.OrderFilter:
    return orders.OrderFilter(
        query.status, query.number, query.plan_no, query.supplier.strip(), query.first_day, query.last_day
    )


def _visible_orders(
    ctx: RequestContext, site_id: str, only: orders.OrderFilter, limit: int, cursor: str | None
) -> tuple[list[orders.Order], str | None]:
    store, user = stores().orders, ctx.user
    if user.role is Role.BUYER:
        return store.list_for_buyer(site_id, user.org_id, only, limit, cursor)
    if user.role is Role.SUPPLIER:
        return store.list_for_supplier(site_id, user.org_id, only, limit, cursor)
    return store.list_for_site(site_id, only, limit, cursor)


EXPORT_MAX_ORDERS = 5000


@api_route(bp, "/sites/{site_id}/orders/export", methods=("POST",), roles=ORDER_READERS, response="site:ExportFile")
def export_orders(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """The caller's filtered orders (up to EXPORT_MAX_ORDERS, newest first) as XLSX or CSV, by signed link."""
    from chalicelib.domain import sheets
    from chalicelib.domain.clock import china_date
    from chalicelib.schemas.orders import OrderExportQuery
    from chalicelib.store.report_files import S3ReportFiles

    query = ctx.query(OrderExportQuery)
    site = cached_site(site_id)
    only = _order_filter(query)
    found, cursor = _visible_orders(ctx, site_id, only, 100, None)
    while cursor and len(found) < EXPORT_MAX_ORDERS:
        more, cursor = _visible_orders(ctx, site_id, only, 100, cursor)
        found.extend(more)
    sheet = orders_sheet(site.short_name, found[:EXPORT_MAX_ORDERS], ctx.now)
    content_type, extension = sheets.FORMATS[query.format]
    key = f"exports/{site_id}/orders/{uuid.uuid4().hex}.{extension}"
    file_name = f"{site.short_name}订单_{china_date(ctx.now):%Y%m%d}.{extension}"
    files = S3ReportFiles()
    files.put(key, sheets.render(sheet, query.format), content_type)
    truncated = bool(cursor) or len(found) > EXPORT_MAX_ORDERS
    return {"url": files.link(key, file_name), "file_name": file_name, "rows": len(sheet.rows), "truncated": truncated}


def orders_sheet(site_name: str, found: list[orders.Order], now: Any) -> Any:
    from decimal import Decimal

    from chalicelib.domain.clock import CHINA_TZ, china_date_text
    from chalicelib.domain.sheets import Sheet

    rows = [
        (
            o.order_no,
            china_date_text(o.created_at),
            o.buyer_name,
            o.supplier_name,
            o.plan_no,
            f"{o.method.label}·{o.mechanism.label}",
            "；".join(f"{line.name} × {line.quantity}" for line in o.lines),
            Decimal(o.total_fen) / 100,
            o.status.label,
            china_date_text(o.milestones["accepted"]) if o.milestones.get("accepted") else "",
            o.payment_voucher,
        )
        for o in found
    ]
    return Sheet(
        title=f"{site_name}订单清单",
        caption=f"共 {len(rows)} 笔；导出时间：{now.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}（北京时间）",
        header=(
            "订单编号",
            "下单日期",
            "采购单位",
            "供应商",
            "采购计划",
            "采购方式",
            "商品",
            "金额（元）",
            "状态",
            "验收日期",
            "支付凭证号",
        ),
        widths=(24, 12, 26, 30, 24, 16, 40, 14, 10, 12, 18),
        rows=rows,
    )


@api_route(bp, "/sites/{site_id}/orders/{order_no}", roles=ORDER_READERS, response="orders:OrderDetail")
def order_detail(ctx: RequestContext, site_id: str, order_no: str) -> dict[str, Any]:
    """The order, its ratings and its full audit timeline: two Queries."""
    store = stores().orders
    order, given = store.get_with_ratings(site_id, order_no) if orders.ORDER_NO_PATTERN.match(order_no) else (None, [])
    if order is None:
        raise NotFound("订单不存在", code="ORDER_NOT_FOUND")
    orders.check_visible(order, ctx.user)
    timeline = [labels.described(e) for e in stores().audit.entity_history(site_id, orders.ENTITY_ORDER, order_no)]
    rated = frozenset(str(r["target"]) for r in given)
    view = {**order_view(order, ctx, rated), "ratings": given, "timeline": timeline}
    _link_attachments(order, view)
    return view


def _link_attachments(order: orders.Order, view: dict[str, Any]) -> None:
    """Each acceptance attachment with a short-lived download link (the detail only: a list signs nothing)."""
    from chalicelib.store.uploads import download_url

    for shown, acceptance in zip(view["acceptances"], order.acceptances, strict=True):
        for entry, attachment in zip(shown["attachments"], acceptance.attachments, strict=True):
            entry["download_url"] = download_url(attachment.key, attachment.file_name)


# ---------------------------------------------------------------- the supplier


@api_route(
    bp, "/sites/{site_id}/orders/{order_no}/confirm", methods=("POST",), roles=SUPPLIER, response="orders:OrderView"
)
def confirm_order(ctx: RequestContext, site_id: str, order_no: str) -> dict[str, Any]:
    store = stores().orders
    return order_view(orders.confirm(store, ctx.user, _order(ctx, site_id, order_no), ctx.now), ctx)


@api_route(
    bp, "/sites/{site_id}/orders/{order_no}/decline", methods=("POST",), roles=SUPPLIER, response="orders:OrderView"
)
def decline_order(ctx: RequestContext, site_id: str, order_no: str) -> dict[str, Any]:
    from chalicelib.schemas.orders import ReasonBody

    body = ctx.body(ReasonBody)
    order = orders.decline(stores().orders, ctx.user, _order(ctx, site_id, order_no), body.reason, ctx.now)
    return order_view(order, ctx)


@api_route(
    bp, "/sites/{site_id}/orders/{order_no}/ship", methods=("POST",), roles=SUPPLIER, response="orders:OrderView"
)
def ship_order(ctx: RequestContext, site_id: str, order_no: str) -> dict[str, Any]:
    from chalicelib.schemas.orders import ShipBody

    body = ctx.body(ShipBody)
    shipment = orders.Shipment(body.carrier, body.waybill_no, body.delivery_note)
    order = orders.ship(stores().orders, ctx.user, _order(ctx, site_id, order_no), shipment, ctx.now)
    return order_view(order, ctx)


# ---------------------------------------------------------------- the buyer


@api_route(bp, "/sites/{site_id}/orders/{order_no}/accept", methods=("POST",), roles=BUYER, response="orders:OrderView")
def accept_order(ctx: RequestContext, site_id: str, order_no: str) -> dict[str, Any]:
    """验收 with its result, opinion and the attachments uploaded for it (each checked to be this order's)."""
    from chalicelib.schemas.orders import AcceptBody

    body = ctx.body(AcceptBody)
    order = _order(ctx, site_id, order_no)
    attachments = tuple(_attachment(order, doc_id) for doc_id in dict.fromkeys(body.attachments))
    acceptance = orders.Acceptance(body.result == "passed", body.opinion, attachments)
    order = orders.accept(stores().orders, ctx.user, order, acceptance, ctx.now)
    metrics.add_metric(name="OrderAccepted" if acceptance.passed else "DeliveryRejected", unit="Count", value=1)
    return order_view(order, ctx)


def _attachment_key(order: orders.Order, doc_id: str) -> str:
    return f"order-attachments/{order.site_id}/{order.order_no}/{doc_id}"


def _attachment(order: orders.Order, doc_id: str) -> orders.Attachment:
    from chalicelib.store.uploads import uploaded

    found = uploaded(_attachment_key(order, doc_id)) if DOC_ID.match(doc_id) else None
    if found is None or found.metadata.get("order") != order.order_no:
        raise InvalidInput(
            "验收附件未上传成功，请重新上传",
            code="UPLOAD_NOT_FOUND",
            details=[{"field": "attachments", "message": "附件不存在"}],
        )
    return orders.Attachment(doc_id, found.metadata.get("file-name", doc_id), found.key, found.size)


@api_route(
    bp,
    "/sites/{site_id}/orders/{order_no}/attachments",
    methods=("POST",),
    roles=BUYER,
    response="orders:DocumentUploadTicket",
)
def start_attachment(ctx: RequestContext, site_id: str, order_no: str) -> Reply:
    """A presigned POST for one acceptance attachment (PDF, JPEG or PNG, up to 10 MB): the browser sends the
    file straight to S3; the attachment counts once the acceptance names it."""
    from chalicelib.schemas.orders import AttachmentUploadBody
    from chalicelib.store.uploads import presigned_post

    body = ctx.body(AttachmentUploadBody)
    order = _order(ctx, site_id, order_no)
    orders.check_can(order, ctx.user, "accept")
    doc_id = uuid.uuid4().hex
    metadata = {"order": order.order_no, "file-name": body.file_name}
    upload = presigned_post(_attachment_key(order, doc_id), body.content_type, MAX_ATTACHMENT_BYTES, metadata)
    return Reply({"doc_id": doc_id, "upload": upload, "max_bytes": MAX_ATTACHMENT_BYTES}, status=201)


@api_route(bp, "/sites/{site_id}/orders/{order_no}/cancel", methods=("POST",), roles=BUYER, response="orders:OrderView")
def cancel_order(ctx: RequestContext, site_id: str, order_no: str) -> dict[str, Any]:
    from chalicelib.schemas.orders import ReasonBody

    body = ctx.body(ReasonBody)
    order = orders.cancel(stores().orders, ctx.user, _order(ctx, site_id, order_no), body.reason, ctx.now)
    return order_view(order, ctx)


@api_route(
    bp, "/sites/{site_id}/orders/{order_no}/termination", methods=("POST",), roles=BUYER, response="orders:OrderView"
)
def request_termination(ctx: RequestContext, site_id: str, order_no: str) -> dict[str, Any]:
    from chalicelib.schemas.orders import ReasonBody

    body = ctx.body(ReasonBody)
    order = orders.request_termination(stores().orders, ctx.user, _order(ctx, site_id, order_no), body.reason, ctx.now)
    return order_view(order, ctx)


# ---------------------------------------------------------------- the site operator


@api_route(
    bp,
    "/sites/{site_id}/orders/{order_no}/termination/decision",
    methods=("POST",),
    roles=OPERATOR,
    response="orders:OrderView",
)
def decide_termination(ctx: RequestContext, site_id: str, order_no: str) -> dict[str, Any]:
    from chalicelib.schemas.orders import TerminationDecisionBody

    body = ctx.body(TerminationDecisionBody)
    order = orders.decide_termination(
        stores().orders, ctx.user, _order(ctx, site_id, order_no), body.approve, body.decision, ctx.now
    )
    return order_view(order, ctx)


# ---------------------------------------------------------------- documents


@api_route(
    bp, "/sites/{site_id}/orders/{order_no}/documents/{kind}", roles=ORDER_READERS, response="orders:DocumentLink"
)
def order_document(ctx: RequestContext, site_id: str, order_no: str, kind: str) -> dict[str, Any]:
    """A short-lived link to the 订单确认单 or 验收单 in the reports bucket."""
    from chalicelib.store.order_outputs import DOWNLOAD_EXPIRES_SECONDS, document_exists, document_url, store_document

    order = _order(ctx, site_id, order_no)
    document = next((k for k in DocumentKind if k.value == kind), None)
    if document is None:
        raise NotFound("没有这种订单文档（confirmation 或 acceptance）", code="DOCUMENT_NOT_FOUND")
    if not is_due(order, document):
        raise Conflict(f"订单尚未到“{document.label}”生成的环节", code="DOCUMENT_NOT_DUE")
    key = document_key(site_id, order_no, document)
    if not document_exists(key):
        # The stream writes it moments after the transition; a reader who is quicker gets the same bytes now.
        store_document(key, render(order, document, cached_site(site_id).look.title))
    file_name = f"{document.label}-{order_no}.html"
    return {"url": document_url(key, file_name), "file_name": file_name, "expires_in": DOWNLOAD_EXPIRES_SECONDS}


# ---------------------------------------------------------------- ratings and follow-ups


@api_route(
    bp, "/sites/{site_id}/orders/{order_no}/ratings", methods=("POST",), roles=PARTIES, response="orders:RatingView"
)
def rate_order(ctx: RequestContext, site_id: str, order_no: str) -> Reply:
    from chalicelib.schemas.orders import RatingBody

    body = ctx.body(RatingBody)
    order = _order(ctx, site_id, order_no)
    rating = ratings.rate(stores().ratings, ctx.user, order, body.target, body.stars, body.comment, ctx.now)
    metrics.add_metric(name="OrderRated", unit="Count", value=1)
    return Reply(ratings.rating_to_dict(rating), status=201)


@api_route(bp, "/sites/{site_id}/ratings/summary", roles=ORDER_READERS, response="orders:RatingSummary")
def rating_summary(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """The site's 好评率 by direction (good = 4–5 stars)."""
    cached_site(site_id)  # a site that does not exist is a 404, not an empty summary
    return {"site_id": site_id, "ratings": ratings.summary(stores().ratings.site_counts(site_id))}


@api_route(bp, "/sites/{site_id}/followups", roles=OPERATOR, response="orders:FollowupPage")
def list_followups(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.orders import FollowupQuery

    query = ctx.query(FollowupQuery)
    found, cursor = stores().ratings.list_followups(site_id, query.status, query.limit, query.cursor)
    return {"items": [ratings.followup_to_dict(f) for f in found], "next_cursor": cursor}


@api_route(
    bp,
    "/sites/{site_id}/followups/{order_no}/{target}/close",
    methods=("POST",),
    roles=OPERATOR,
    response="orders:FollowupView",
)
def close_followup(ctx: RequestContext, site_id: str, order_no: str, target: str) -> dict[str, Any]:
    from chalicelib.schemas.orders import FollowupCloseBody

    body = ctx.body(FollowupCloseBody)
    rated = next((t for t in ratings.RatingTarget if t.value == target), None)
    if rated is None or not orders.ORDER_NO_PATTERN.match(order_no):
        raise NotFound("回访记录不存在", code="FOLLOWUP_NOT_FOUND")
    closed = ratings.close_followup(
        stores().ratings, ctx.user, site_id, order_no, rated, body.note, ctx.now, body.reached, body.satisfaction
    )
    return ratings.followup_to_dict(closed)


# ---------------------------------------------------------------- the payment system


@api_route(bp, "/integration/payments", methods=("POST",), response="orders:PaymentReceipt")
def payment_notice(ctx: RequestContext) -> dict[str, Any]:
    """国库集中支付 reports an accepted order paid (HMAC-signed like the plan push, its own key)."""
    from chalicelib.schemas.orders import PaymentNoticeBody
    from chalicelib.store.nonces import nonce_used
    from chalicelib.store.secrets import payment_secret

    timestamp = ctx.header("x-yuncai-timestamp")
    nonce = ctx.header("x-yuncai-nonce")
    moment = verify(payment_secret(), timestamp, nonce, ctx.header("x-yuncai-signature"), ctx.raw_body, time.time())
    if nonce_used(nonce):
        raise Unauthenticated("请求已处理过（nonce 重复），疑似重放", code="REQUEST_REPLAYED")
    body = ctx.body(PaymentNoticeBody)
    store = stores().orders
    order = store.get(body.site_id, body.order_no)
    if order is None:
        raise NotFound("订单不存在", code="ORDER_NOT_FOUND")
    # A nonce is remembered for twice the tolerance: after that the timestamp check refuses a replay anyway.
    settled = orders.settle(
        store, order, body.paid_fen, body.voucher_no, ctx.now, (nonce, moment + 2 * TOLERANCE_SECONDS)
    )
    logger.info("order settled", extra={"order_no": settled.order_no, "voucher": body.voucher_no})
    return {"order_no": settled.order_no, "status": settled.status.value, "payment_voucher": settled.payment_voucher}
