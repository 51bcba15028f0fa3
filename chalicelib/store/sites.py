"""Sites in DynamoDB: configuration, scheduled changes, and loading the data files."""

from __future__ import annotations

import time
from typing import Any

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.site_admin import ChangeKind, ChangeStatus, ScheduledChange
from chalicelib.domain.sites import SiteConfig, site_from_dict, site_to_dict
from chalicelib.store import keys
from chalicelib.store.models import SiteChangeItem, SiteConfigItem
from chalicelib.store.tx import AuditedWrite

_VERSION_CONFLICT = Conflict("站点配置已被他人修改，请刷新后重试", code="VERSION_CONFLICT")
_CHANGE_NOT_PENDING = Conflict("该预约修改已生效或已撤销", code="CHANGE_NOT_PENDING")


def site_pk(site_id: str) -> str:
    return keys.site(site_id)


def _config_item(site: SiteConfig) -> SiteConfigItem:
    return SiteConfigItem(
        pk=site_pk(site.id),
        sk="CONFIG",
        gsi1pk=keys.sites_index(),
        gsi1sk=site.id,
        site_id=site.id,
        version=site.version,
        data=site_to_dict(site),
        updated_at=site.updated_at,
    )


def _change_item(change: ScheduledChange) -> SiteChangeItem:
    pending = change.status is ChangeStatus.PENDING
    return SiteChangeItem(
        pk=site_pk(change.site_id),
        sk=f"CHANGE#{change.id}",
        # Only pending changes sit on the due index, so the sweep reads just those.
        gsi1pk=keys.changes_due() if pending else None,
        gsi1sk=keys.sorted_by(change.effective_at, change.site_id, change.id) if pending else None,
        site_id=change.site_id,
        change_id=change.id,
        status=change.status.value,
        effective_at=change.effective_at,
        data=change.to_dict(),
    )


def _change_from_item(item: SiteChangeItem) -> ScheduledChange:
    d: dict[str, Any] = item.data
    return ScheduledChange(
        id=d["id"],
        site_id=d["site_id"],
        kind=ChangeKind(d["kind"]),
        payload=d["payload"],
        effective_at=d["effective_at"],
        status=ChangeStatus(d["status"]),
        requested_by=d["requested_by"],
        requested_at=d["requested_at"],
        closed_at=d.get("closed_at", ""),
    )


_CACHE_SECONDS = 30.0
_site_cache: dict[str, tuple[float, SiteConfig]] = {}


def cached_site(site_id: str) -> SiteConfig:
    """A site's configuration for catalog reads, kept 30 s per container.

    Configuration changes rarely; a buyer browsing pages should not pay a read
    for it on every page. Changes show within the cache age.
    """
    now = time.monotonic()
    hit = _site_cache.get(site_id)
    if hit is not None and now - hit[0] < _CACHE_SECONDS:
        return hit[1]
    site = DynamoSiteStore().get(site_id)
    if site is None:
        raise NotFound(f"站点 {site_id} 不存在", code="SITE_NOT_FOUND")
    _site_cache[site_id] = (now, site)
    return site


def clear_site_cache() -> None:
    _site_cache.clear()


class DynamoSiteStore:
    """Implements domain.site_admin.SiteStore."""

    def get(self, site_id: str) -> SiteConfig | None:
        try:
            item = SiteConfigItem.get(site_pk(site_id), "CONFIG")
        except SiteConfigItem.DoesNotExist:
            return None
        return site_from_dict(item.data)

    def list_sites(self) -> list[SiteConfig]:
        items = SiteConfigItem.gsi1.query(keys.sites_index())
        return [site_from_dict(i.data) for i in items if isinstance(i, SiteConfigItem)]

    def create_if_absent(self, site: SiteConfig, audit: AuditEvent) -> bool:
        """Seed a site from its data file; an existing site (maybe edited) is left alone."""
        write = AuditedWrite(audit)
        write.put(_config_item(site), SiteConfigItem.pk.does_not_exist(), Conflict("站点已存在", code="SITE_EXISTS"))
        try:
            write.commit()
        except Conflict:
            return False
        return True

    def save(self, site: SiteConfig, expected_version: int, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(_config_item(site), SiteConfigItem.version == expected_version, _VERSION_CONFLICT)
        write.commit()

    def get_change(self, site_id: str, change_id: str) -> ScheduledChange | None:
        try:
            item = SiteChangeItem.get(site_pk(site_id), f"CHANGE#{change_id}")
        except SiteChangeItem.DoesNotExist:
            return None
        return _change_from_item(item)

    def list_changes(self, site_id: str) -> list[ScheduledChange]:
        items = SiteChangeItem.query(site_pk(site_id), SiteChangeItem.sk.startswith("CHANGE#"))
        changes = [_change_from_item(i) for i in items if isinstance(i, SiteChangeItem)]
        return sorted(changes, key=lambda c: (c.effective_at, c.requested_at), reverse=True)

    def due_changes(self, now_iso: str) -> list[ScheduledChange]:
        items = SiteChangeItem.gsi1.query(keys.changes_due(), SiteChangeItem.gsi1sk <= f"{now_iso}#~")
        return [_change_from_item(i) for i in items if isinstance(i, SiteChangeItem)]

    def put_change(self, change: ScheduledChange, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(
            _change_item(change), SiteChangeItem.pk.does_not_exist(), Conflict("预约修改已存在", code="CHANGE_EXISTS")
        )
        write.commit()

    def close_change(
        self,
        change: ScheduledChange,
        audit: AuditEvent,
        site: SiteConfig | None = None,
        expected_version: int | None = None,
    ) -> None:
        write = AuditedWrite(audit)
        write.put(_change_item(change), SiteChangeItem.status == ChangeStatus.PENDING.value, _CHANGE_NOT_PENDING)
        if site is not None:
            write.put(_config_item(site), SiteConfigItem.version == expected_version, _VERSION_CONFLICT)
        write.commit()
