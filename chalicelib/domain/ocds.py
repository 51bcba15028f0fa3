"""Open data (阳光采购): every deal and every accepted plan as OCDS 1.1 releases, packaged by day.

One contracting process per purchase (ocid `{prefix}-{site}-{order_no}`), and one per purchase plan
(`{prefix}-{site}-plan-{plan_no}`, a planning release); a purchase links to its plan through
`relatedProcesses` (relationship `planning`, scheme `ocid`). A release is an event: the deal (tags award and
contract; tender too where a 竞价 or 反拍 set the price), and later changes of its contract (contractUpdate,
contractTermination), each with its own id. Amounts are yuan (OCDS Value), currency CNY. Parties are identified
by their 统一社会信用代码 (scheme CN-USCC, as org-id.guide lists China's). The `ocds-` prefix is the placeholder
until the publisher registers one with the Open Contracting Partnership.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chalicelib.domain.orders import Order, OrderStatus
from chalicelib.domain.plans import Plan, PlanStatus
from chalicelib.domain.purchase import SourceKind

OCID_PREFIX = "ocds-yc0000"  # a placeholder: register a prefix before publishing for real
OCDS_VERSION = "1.1"
PUBLISHER = {"name": "山东省政府采购网上商城（云采商城）", "scheme": "CN-USCC"}
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PUBLICATION_POLICY = "https://ccgp-shandong.gov.cn/open-data-policy"  # the publisher's own policy page
USCC_SCHEME = "CN-USCC"
CATALOG_SCHEME = "CN-GPCC-2022"  # 政府采购品目分类目录（2022 年版）
DEAL_STATUSES = frozenset({OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.ACCEPTED, OrderStatus.SETTLED})


def ocid(site_id: str, order_no: str) -> str:
    return f"{OCID_PREFIX}-{site_id}-{order_no}"


def plan_ocid(site_id: str, plan_no: str) -> str:
    return f"{OCID_PREFIX}-{site_id}-plan-{plan_no}"


def _yuan(fen: int) -> float:
    # OCDS amounts are JSON numbers; a fen count over 100 prints with at most two decimals.
    return round(fen / 100, 2)


def _party(uscc: str, name: str, roles: list[str], region: str = "") -> dict[str, Any]:
    party: dict[str, Any] = {
        "id": f"{USCC_SCHEME}-{uscc}",
        "name": name,
        "identifier": {"scheme": USCC_SCHEME, "id": uscc, "legalName": name},
        "roles": roles,
    }
    if region:
        party["address"] = {"region": region, "countryName": "中国"}
    return party


def _items(order: Order) -> list[dict[str, Any]]:
    return [
        {
            "id": str(i),
            "description": line.name,
            "classification": {"scheme": CATALOG_SCHEME, "id": line.catalog_code},
            "quantity": line.quantity,
            "unit": {"name": "件", "value": {"amount": _yuan(line.unit_price_fen), "currency": "CNY"}},
        }
        for i, line in enumerate(order.lines, start=1)
    ]


def _contract_status(order: Order) -> str:
    return "terminated" if order.status is OrderStatus.TERMINATED else "active"


def is_published(order: Order) -> bool:
    """A deal, or a deal that was later terminated (its termination is news too)."""
    return order.status in DEAL_STATUSES or (order.status is OrderStatus.TERMINATED and "confirmed" in order.milestones)


def purchase_release(order: Order, first: bool) -> dict[str, Any]:
    """The release for the order as it is now: the deal itself when `first`, else a change of its contract."""
    process = ocid(order.site_id, order.order_no)
    confirmed = order.milestones.get("confirmed") or order.created_at
    value = {"amount": _yuan(order.total_fen), "currency": "CNY"}
    buyer = _party(order.buyer_uscc, order.buyer_name, ["buyer", "procuringEntity"], order.buyer_district)
    supplier = _party(
        order.supplier_uscc, order.supplier_name, ["supplier", "tenderer"] if _competed(order) else ["supplier"]
    )
    tags = (["tender", "award", "contract"] if _competed(order) else ["award", "contract"]) if first else []
    if not first:
        tags = ["contractTermination"] if order.status is OrderStatus.TERMINATED else ["contractUpdate"]
    release: dict[str, Any] = {
        "ocid": process,
        "id": f"{process}-v{order.version}",
        "date": order.updated_at if not first else confirmed,
        "tag": tags,
        "initiationType": "tender",
        "language": "zh",
        "parties": [buyer, supplier],
        "buyer": {"id": buyer["id"], "name": order.buyer_name},
        "awards": [
            {
                "id": f"{process}-award",
                "title": f"{order.method.label}·{order.mechanism.label}",
                "status": "active",
                "date": confirmed,
                "value": value,
                "suppliers": [{"id": supplier["id"], "name": order.supplier_name}],
                "items": _items(order),
            }
        ],
        "contracts": [
            {
                "id": f"{process}-contract",
                "awardID": f"{process}-award",
                "status": _contract_status(order),
                "value": value,
                "dateSigned": confirmed,
                "items": _items(order),
            }
        ],
    }
    if _competed(order):
        release["tender"] = {
            "id": order.source.refs[0] if order.source.refs else process,
            "status": "complete",
            # 竞价/反拍/二次竞价 invite qualified or shortlisted suppliers; a batch's offers are open to any supplier.
            "procurementMethod": "open" if order.source.kind is SourceKind.BATCH else "selective",
            "procurementMethodDetails": f"{order.method.label}·{order.mechanism.label}",
            "value": {"amount": _yuan(max(order.budget_fen, order.total_fen)), "currency": "CNY"},
        }
    if order.plan_no:
        release["relatedProcesses"] = [
            {
                "id": "plan",
                "relationship": ["planning"],
                "title": f"采购计划 {order.plan_no}",
                "scheme": "ocid",
                "identifier": plan_ocid(order.site_id, order.plan_no),
            }
        ]
    if order.is_imported and order.imported is not None:
        release["awards"][0]["description"] = f"历史导入：旧版商城订单 {order.imported.old_order_no}"
    return release


def _competed(order: Order) -> bool:
    return order.source.kind in (SourceKind.BIDDING, SourceKind.BATCH)


def plan_release(plan: Plan) -> dict[str, Any] | None:
    """The planning release of an accepted plan (a plan still pending or returned is not published)."""
    if plan.status is not PlanStatus.ACCEPTED:
        return None
    process = plan_ocid(plan.site_id, plan.plan_no)
    buyer = _party(plan.buyer_uscc, plan.buyer_name, ["buyer"], plan.district)
    return {
        "ocid": process,
        "id": f"{process}-v{plan.version}",
        "date": plan.updated_at,
        "tag": ["planning"],
        "initiationType": "tender",
        "language": "zh",
        "parties": [buyer],
        "buyer": {"id": buyer["id"], "name": plan.buyer_name},
        "planning": {
            "rationale": plan.name,
            "budget": {
                "id": plan.plan_no,
                "description": f"{plan.business_year} 年采购计划 {plan.plan_no}",
                "amount": {"amount": _yuan(plan.budget_fen), "currency": "CNY"},
            },
        },
    }


def package(releases: Iterable[dict[str, Any]], uri: str, published: str) -> dict[str, Any]:
    """A release package of the given releases (ordered by date, then id)."""
    ordered = sorted(releases, key=lambda r: (r["date"], r["id"]))
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": published,
        "publisher": PUBLISHER,
        "license": LICENSE,
        "publicationPolicy": PUBLICATION_POLICY,
        "releases": ordered,
    }
