"""The order's paper trail: 订单确认单 (once the supplier confirms) and 验收单 (once the buyer accepts).

Rendered as self-contained HTML in Chinese, printable (A4, no external
assets). A document depends only on what the order held when the document
became due, so rendering it again gives the same bytes: a lost or repeated
stream record cannot produce two different versions.
"""

from __future__ import annotations

from enum import StrEnum
from html import escape

from chalicelib.domain.clock import china_date_text
from chalicelib.domain.money import amount_in_words, format_yuan
from chalicelib.domain.orders import Order, OrderStatus
from chalicelib.domain.purchase import SourceKind


class DocumentKind(StrEnum):
    CONFIRMATION = "confirmation"
    ACCEPTANCE = "acceptance"

    @property
    def label(self) -> str:
        return {DocumentKind.CONFIRMATION: "订单确认单", DocumentKind.ACCEPTANCE: "验收单"}[self]

    @property
    def due_at(self) -> OrderStatus:
        """The status whose reaching makes the document due."""
        return {DocumentKind.CONFIRMATION: OrderStatus.CONFIRMED, DocumentKind.ACCEPTANCE: OrderStatus.ACCEPTED}[self]


def document_key(site_id: str, order_no: str, kind: DocumentKind) -> str:
    return f"orders/{site_id}/{order_no}/{kind.value}.html"


def is_due(order: Order, kind: DocumentKind) -> bool:
    return kind.due_at.value in order.milestones


_STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:24px;color:#222}
h1{text-align:center;font-size:22px;letter-spacing:4px;margin:0 0 4px}
.sub{text-align:center;color:#555;margin-bottom:16px}
table{width:100%;border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border:1px solid #444;padding:6px 8px}
th{background:#f2f2f2;font-weight:normal;white-space:nowrap}
td.n{text-align:right;white-space:nowrap}
.sign{display:flex;justify-content:space-between;margin-top:40px}
.sign div{width:45%}
@page{size:A4;margin:15mm}
"""


def _row(*cells: tuple[str, str]) -> str:
    return "<tr>" + "".join(f"<th>{escape(k)}</th><td>{escape(v)}</td>" for k, v in cells) + "</tr>"


def render(order: Order, kind: DocumentKind, site_title: str) -> str:
    """The document as HTML; the order must have reached the status that makes it due."""
    if not is_due(order, kind):
        raise ValueError(f"{kind.label} is not due for order {order.order_no}")
    milestones = order.milestones
    lines = "".join(
        "<tr>"
        f"<td class='n'>{number}</td><td>{escape(line.name)}</td><td>{escape(line.brand)}</td>"
        f"<td>{escape(line.model)}</td><td>{escape(line.catalog_code)}</td>"
        f"<td class='n'>{format_yuan(line.unit_price_fen)}</td><td class='n'>{line.quantity}</td>"
        f"<td class='n'>{format_yuan(line.amount_fen)}</td>"
        "</tr>"
        for number, line in enumerate(order.lines, start=1)
    )
    delivery = order.delivery
    facts = [
        _row(("订单编号", order.order_no), ("采购计划编号", order.plan_no)),
        _row(("采购人", order.buyer_name), ("统一社会信用代码", order.buyer_uscc)),
        _row(("供应商", order.supplier_name), ("统一社会信用代码", order.supplier_uscc)),
        _row(("下单日期", china_date_text(order.created_at)), ("确认日期", _date(milestones, OrderStatus.CONFIRMED))),
        _row(("收货地址", delivery.address), ("联系人及电话", f"{delivery.contact} {delivery.phone}")),
        _row(("要求到货日期", delivery.expected_date), ("采购方式", f"{order.method.label} · {order.mechanism.label}")),
    ]
    if order.source.kind is not SourceKind.LISTING and order.source.refs:
        # Where the price came from: the competition, the agreement, or the old mall's order.
        facts.append(_row(("价格来源", order.source.kind.label), ("来源编号", " / ".join(order.source.refs[:2]))))
    if kind is DocumentKind.ACCEPTANCE:
        facts.append(
            _row(
                ("发货日期", _date(milestones, OrderStatus.SHIPPED)),
                ("验收日期", _date(milestones, OrderStatus.ACCEPTED)),
            )
        )
        facts.append(_row(("验收意见", order.acceptance_note or "验收合格"), ("验收结论", "合格")))
    signatures = (
        "<div>采购人（盖章）：<br><br>经办人：<br>日期：</div><div>供应商（盖章）：<br><br>经办人：<br>日期：</div>"
    )
    return (
        "<!DOCTYPE html>\n"
        f"<html lang='zh-CN'><head><meta charset='utf-8'><title>{kind.label} {order.order_no}</title>"
        f"<style>{_STYLE}</style></head><body>"
        f"<h1>{kind.label}</h1><div class='sub'>{escape(site_title)} · 政府采购网上商城</div>"
        f"<table>{''.join(facts)}</table>"
        "<table><tr><th>序号</th><th>商品名称</th><th>品牌</th><th>型号</th><th>品目编码</th>"
        "<th>单价（元）</th><th>数量</th><th>金额（元）</th></tr>"
        f"{lines}"
        f"<tr><th colspan='5'>合计（人民币大写）：{amount_in_words(order.total_fen)}</th>"
        f"<td class='n' colspan='3'>¥{format_yuan(order.total_fen)}</td></tr></table>"
        f"<div class='sign'>{signatures}</div>"
        "</body></html>\n"
    )


def _date(milestones: dict[str, str], status: OrderStatus) -> str:
    at = milestones.get(status.value)
    return china_date_text(at) if at else "—"
