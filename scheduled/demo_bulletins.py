"""Each site's front-page notices, training material and FAQ for `make run` (scheduled/demo_data/bulletins.toml),
published through the domain by the site's 采购中心, so that each is audited like one an operator types."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta
from pathlib import Path

from chalicelib.domain import bulletins
from chalicelib.domain.clock import utc_now
from chalicelib.store.bulletins import DynamoBulletinStore
from chalicelib.store.site_files import all_site_configs
from chalicelib.store.sites import DynamoSiteStore
from scheduled.sample_orders import center_of

DATA = Path(__file__).parent / "demo_data" / "bulletins.toml"


def seed_demo_bulletins(now: datetime | None = None) -> int:
    """Publishes the demo entries in every site that has none yet (a restart adds nothing)."""
    now = now or utc_now()
    entries = tomllib.loads(DATA.read_text(encoding="utf-8"))["bulletins"]
    store, sites = DynamoBulletinStore(), DynamoSiteStore()
    made = 0
    for config in all_site_configs():
        site = sites.get(config.id)
        if site is None or store.newest(site.id, 1):
            continue
        centre = center_of(site.id)
        # Oldest first, so the ids (time-ordered) follow the publication dates.
        for entry in sorted(entries, key=lambda e: -int(e["days_ago"])):
            draft = bulletins.BulletinDraft(
                kind=bulletins.BulletinKind(entry["kind"]),
                title=entry["title"].format(site=site.short_name),
                body=entry["body"].format(site=site.short_name),
                pinned=bool(entry.get("pinned", False)),
            )
            at = now - timedelta(days=int(entry["days_ago"]), hours=made % 5)
            bulletins.publish(store, site, centre, draft, at)
            made += 1
    return made
