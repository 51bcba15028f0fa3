"""Demo 特色场馆 (seed 002: 鲁产精品, 扶贫频道, 防疫专区) in every site, with demo listings put in them by the centre.

Which listings go where is the centre's choice; for the demo: 防疫专区 takes the cleaning and hygiene products
(清洁用品 A050405…), 乡村振兴 the micro suppliers' products from the counties, 鲁产精品 the rest of what small
Shandong makers list (their names start with a Shandong city). A restart adds nothing.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain import listings, pavilions
from chalicelib.domain.clock import utc_now
from chalicelib.domain.listings import Listing, ListingStatus
from chalicelib.store.listings import DynamoListingStore
from chalicelib.store.pavilions import DynamoPavilionStore
from chalicelib.store.site_files import all_site_configs
from chalicelib.store.sites import DynamoSiteStore
from scheduled.sample_orders import center_of

SHANDONG_CITIES = (
    "聊城",
    "临清",
    "莘县",
    "阳谷",
    "东阿",
    "冠县",
    "高唐",
    "茌平",
    "山东",
    "济南",
    "淄博",
    "威海",
    "日照",
    "临沂",
)


def _where(listing: Listing) -> str | None:
    if listing.catalog_code.startswith("A050405"):
        return "epidemic"
    name = listing.supplier.name
    if listing.supplier.scale == "micro" and not name.startswith("聊城市"):
        return "rural-revival"
    if listing.supplier.scale in ("micro", "small") and name.startswith(SHANDONG_CITIES):
        return "lu-quality"
    return None


def seed_demo_pavilions(now: datetime | None = None) -> int:
    """The three standard pavilions in every site that has none, and its active listings placed in them."""
    now = now or utc_now()
    store, sites, listing_store = DynamoPavilionStore(), DynamoSiteStore(), DynamoListingStore()
    made = 0
    for config in all_site_configs():
        site = sites.get(config.id)
        if site is None or store.all(site.id):
            continue
        centre = center_of(site.id)
        for sort, (code, name, intro) in enumerate(pavilions.STANDARD, start=1):
            pavilions.create(store, site.id, centre.as_actor(), code, name, intro, sort * 10, now)
            made += 1
        names = {code: name for code, name, _ in pavilions.STANDARD}
        cursor: str | None = None
        while True:
            found, cursor = listing_store.by_status(site.id, ListingStatus.ACTIVE, 100, cursor)
            for listing in found:
                where = _where(listing)
                if where is not None:
                    listings.set_pavilions(listing_store, centre, listing, (where,), names, now)
            if cursor is None:
                break
    return made
