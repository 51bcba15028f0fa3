"""工作台: each role's to-do counts, each linking to the list that shows them (filters in the link's query)."""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

from chalicelib.domain.principals import Principal, Role

# A count stops here (it is read by a bounded query): the tile then shows 999+.
COUNT_CAP = 999


class Tile(NamedTuple):
    key: str
    label: str
    value: int  # how many (not `count`: a tuple has a method of that name)
    link: str
    hint: str

    def to_dict(self) -> dict[str, Any]:
        capped = self.value >= COUNT_CAP
        return {
            "key": self.key,
            "label": self.label,
            "count": min(self.value, COUNT_CAP),
            "count_text": f"{COUNT_CAP}+" if capped else str(self.value),
            "link": self.link,
            "hint": self.hint,
        }


class WorkCounts(Protocol):
    """Each count of one site, for one unit where it names one; at most COUNT_CAP."""

    def plans_pending(self, site_id: str, buyer: str) -> int: ...
    def orders_in(self, site_id: str, party: str, unit: str, status: str) -> int: ...
    def orders_to_rate(self, site_id: str, buyer: str) -> int: ...
    def competitions_open(self, site_id: str, buyer: str) -> int: ...
    def invitations_unanswered(self, site_id: str, supplier: str) -> int: ...
    def listings_mine(self, site_id: str, supplier: str, status: str) -> int: ...
    def certificates_expiring(self, site_id: str, supplier: str, before: str) -> int: ...
    def suppliers_pending(self) -> int: ...
    def supplier_changes(self) -> int: ...
    def orders_unconfirmed_since(self, site_id: str, last_day: str) -> int:
        """Orders still awaiting the supplier's confirmation that were placed on or before a China day."""

    def listings_pending(self, site_id: str) -> int: ...
    def terminations_pending(self, site_id: str) -> int: ...
    def followups_open(self, site_id: str) -> int: ...
    def reports_compiled(self, site_id: str) -> int: ...
    def orders_terminated(self, site_id: str) -> int: ...


# 预警: an order its supplier has left unconfirmed this many days (the buyer waits; the centre calls the supplier).
OVERDUE_CONFIRMATION_DAYS = 3


def tiles(counts: WorkCounts, site_id: str, user: Principal, expiring_before: str, today: str) -> list[Tile]:
    """`today`: the China day (ISO) the overdue warnings count back from."""
    unit = user.org_id
    if user.role is Role.BUYER:
        return [
            Tile(
                "plans_pending",
                "待接收计划",
                counts.plans_pending(site_id, unit),
                "/plans?status=pending_acceptance",
                "备案平台推送的计划，核对后接收或退回",
            ),
            Tile(
                "orders_to_accept",
                "待验收订单",
                counts.orders_in(site_id, "buyer", unit, "shipped"),
                "/orders?status=shipped",
                "供应商已发货，收货后验收",
            ),
            Tile(
                "orders_to_rate",
                "待评价",
                counts.orders_to_rate(site_id, unit),
                "/orders?status=accepted",
                "已验收的订单，评价供应商",
            ),
            Tile(
                "competitions_open",
                "进行中的竞价",
                counts.competitions_open(site_id, unit),
                "/competitions?status=open",
                "本单位发起、尚在报价期的竞价与反拍",
            ),
        ]
    if user.role is Role.SUPPLIER:
        return [
            Tile(
                "orders_to_confirm",
                "待确认订单",
                counts.orders_in(site_id, "supplier", unit, "pending_confirmation"),
                "/orders?status=pending_confirmation",
                "采购人已下单，请确认或拒单",
            ),
            Tile(
                "orders_to_ship",
                "待发货",
                counts.orders_in(site_id, "supplier", unit, "confirmed"),
                "/orders?status=confirmed",
                "已确认的订单，备货发货",
            ),
            Tile(
                "invitations",
                "待响应邀请",
                counts.invitations_unanswered(site_id, unit),
                "/competitions",
                "受邀参加、尚未报价的竞价",
            ),
            Tile(
                "listings_rejected",
                "被驳回商品",
                counts.listings_mine(site_id, unit, "rejected"),
                "/my-listings?status=rejected",
                "修改后可重新提交审核",
            ),
            Tile(
                "certificates_expiring",
                "资质到期",
                counts.certificates_expiring(site_id, unit, expiring_before),
                "/my-listings",
                "30 天内到期或已过期的节能环保认证",
            ),
        ]
    if user.role in (Role.CENTER_ADMIN, Role.PROVINCE_ADMIN):
        return [
            Tile(
                "suppliers_pending",
                "待审核供应商",
                counts.suppliers_pending(),
                "/supplier-review",
                "入驻申请（全省一次注册）",
            ),
            Tile(
                "supplier_changes",
                "资料变更待审",
                counts.supplier_changes(),
                "/supplier-review?status=changes",
                "已入驻供应商更新的资料与证照",
            ),
            Tile(
                "listings_pending",
                "待审核商品",
                counts.listings_pending(site_id),
                "/listing-review",
                "供应商新发布或修改的商品",
            ),
            Tile(
                "terminations_pending",
                "终止待审",
                counts.terminations_pending(site_id),
                "/orders",
                "采购人申请终止、待采购中心审核的订单",
            ),
            Tile("followups_open", "差评回访", counts.followups_open(site_id), "/followups", "1–2 星评价，待回访办结"),
            _overdue_tile(counts, site_id, today),
        ]
    return [
        Tile("reports", "统计报表", counts.reports_compiled(site_id), "/reports", "已编制的月度、年度报表"),
        Tile(
            "orders_terminated",
            "异常订单",
            counts.orders_terminated(site_id),
            "/orders?status=terminated",
            "近期被终止的订单",
        ),
    ]


def _overdue_tile(counts: WorkCounts, site_id: str, today: str) -> Tile:
    """预警: orders placed OVERDUE_CONFIRMATION_DAYS China days ago or earlier and still unconfirmed; the tile
    opens the order list with the same filter (status and last day), so both show the same orders."""
    from datetime import date, timedelta

    last_day = (date.fromisoformat(today) - timedelta(days=OVERDUE_CONFIRMATION_DAYS)).isoformat()
    return Tile(
        "orders_overdue",
        "预警",
        counts.orders_unconfirmed_since(site_id, last_day),
        f"/orders?status=pending_confirmation&last_day={last_day}",
        f"下单 {OVERDUE_CONFIRMATION_DAYS} 天以上仍未确认的订单（更多预警见监管）",
    )
