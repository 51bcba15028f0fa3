"""Figures of the market at the moment a report is compiled: suppliers 入驻 in the sites, listings on sale.

A supplier is 入驻 in a site when it has a listing on sale there; its scale comes from its profile. These are
figures of the moment (the seed prints them so: 入驻供应商, 累计上架商品), not of the report's period.
"""

from __future__ import annotations

from collections.abc import Iterable

from chalicelib.domain.listings import ListingStatus
from chalicelib.domain.reports import Market
from chalicelib.domain.sme import Scale
from chalicelib.domain.suppliers import Ownership
from chalicelib.store import keys
from chalicelib.store.models import ListingItem, SupplierItem
from chalicelib.store.suppliers import supplier_from_item


def market_figures(site_ids: Iterable[str]) -> Market:
    suppliers: set[str] = set()
    listings = 0
    for site_id in site_ids:
        for item in ListingItem.gsi2.query(
            keys.listings_by_status(site_id, ListingStatus.ACTIVE.value), attributes_to_get=["supplier_uscc"]
        ):
            listings += 1
            suppliers.add(str(item.supplier_uscc))
    small_micro = private = 0
    ordered = sorted(suppliers)
    for start in range(0, len(ordered), 100):
        batch = [(keys.supplier(uscc), "PROFILE") for uscc in ordered[start : start + 100]]
        for item in SupplierItem.batch_get(batch):
            profile = supplier_from_item(item).profile
            small_micro += profile.scale in (Scale.SMALL, Scale.MICRO)
            private += profile.ownership is Ownership.PRIVATE
    return Market(len(suppliers), small_micro, listings, private)
