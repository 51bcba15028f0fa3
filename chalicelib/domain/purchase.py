"""How an order was bought: its purchase method, its price mechanism, and where its price came from.

Every order, whatever the method, ends in the same commit (order, plan,
annual cap, stock where a line has stock, audit event); what differs is how
its lines are priced. A pricer per mechanism turns what the buyer asked for
into priced lines and a source: the listing price for 直购 today; the winning
quote of a bidding or reverse auction, the discount rate of a batch purchase
and the framework agreement's cap later. Statistics split orders by method
and mechanism, as the finance bureau's report does.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from chalicelib.domain.sites import PurchaseMethod


class BuyingMode(StrEnum):
    """采购方式 (the report's first split)."""

    SUPERMARKET = "supermarket"
    BATCH = "batch"
    FRAMEWORK = "framework"
    DESIGNATED = "designated"

    @property
    def label(self) -> str:
        return {"supermarket": "超市采购", "batch": "批量采购", "framework": "框架协议采购", "designated": "定点采购"}[
            self.value
        ]


class Mechanism(StrEnum):
    """价格形成方式: how the price was arrived at."""

    DIRECT = "direct"
    BIDDING = "bidding"
    REVERSE_AUCTION = "reverse_auction"
    DISCOUNT_RATE = "discount_rate"
    FRAMEWORK_DIRECT = "framework_direct"
    FRAMEWORK_BIDDING = "framework_bidding"
    FRAMEWORK_ROTATION = "framework_rotation"

    @property
    def label(self) -> str:
        return MECHANISM_LABELS[self]

    @property
    def site_method(self) -> PurchaseMethod:
        """The switch a site turns on to allow this mechanism (its 采购方式 settings)."""
        return _SITE_METHOD[self]


MECHANISM_LABELS = {
    Mechanism.DIRECT: "直购",
    Mechanism.BIDDING: "竞价",
    Mechanism.REVERSE_AUCTION: "反拍",
    Mechanism.DISCOUNT_RATE: "优惠率",
    Mechanism.FRAMEWORK_DIRECT: "直接选定",
    Mechanism.FRAMEWORK_BIDDING: "二次竞价",
    Mechanism.FRAMEWORK_ROTATION: "顺序轮候",
}
_SITE_METHOD = {
    Mechanism.DIRECT: PurchaseMethod.DIRECT,
    Mechanism.BIDDING: PurchaseMethod.BIDDING,
    Mechanism.REVERSE_AUCTION: PurchaseMethod.REVERSE_AUCTION,
    Mechanism.DISCOUNT_RATE: PurchaseMethod.BATCH,
    Mechanism.FRAMEWORK_DIRECT: PurchaseMethod.FRAMEWORK_DIRECT,
    Mechanism.FRAMEWORK_BIDDING: PurchaseMethod.FRAMEWORK_BIDDING,
    Mechanism.FRAMEWORK_ROTATION: PurchaseMethod.FRAMEWORK_ROTATION,
}


class SourceKind(StrEnum):
    LISTING = "listing"  # the catalog's listings (直购)
    BIDDING = "bidding"  # a bidding or reverse auction's award
    AGREEMENT = "agreement"  # a framework agreement or a designated-point contract
    BATCH = "batch"  # a batch purchase's award (批量采购)
    HISTORY = "history"  # imported from the old mall (历史导入): refs hold the old order number

    @property
    def label(self) -> str:
        return {
            "listing": "商城商品",
            "bidding": "竞价项目",
            "agreement": "协议",
            "batch": "批量采购项目",
            "history": "历史导入",
        }[self.value]


class OrderSource(NamedTuple):
    """Where the price came from: the listings bought, or the bidding or agreement that set it."""

    kind: SourceKind
    refs: tuple[str, ...]


# What the orders placed before methods were recorded are: bought from listings at their price.
DIRECT_PURCHASE = (BuyingMode.SUPERMARKET, Mechanism.DIRECT)
