"""A site's 特色场馆 in the main table: pk {site}#PAVILIONS, sk the pavilion's code (one Query lists them)."""

from __future__ import annotations

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import Conflict
from chalicelib.domain.pavilions import Pavilion
from chalicelib.store import keys
from chalicelib.store.models import PavilionItem
from chalicelib.store.tx import AuditedWrite


def _item(p: Pavilion) -> PavilionItem:
    return PavilionItem(pk=keys.pavilions(p.site_id), sk=p.code, version=p.version, data=p._asdict())


class DynamoPavilionStore:
    """Implements domain.pavilions.PavilionStore."""

    def all(self, site_id: str) -> list[Pavilion]:
        return [Pavilion(**i.data) for i in PavilionItem.query(keys.pavilions(site_id)) if isinstance(i, PavilionItem)]

    def get(self, site_id: str, code: str) -> Pavilion | None:
        try:
            item = PavilionItem.get(keys.pavilions(site_id), code)
        except PavilionItem.DoesNotExist:
            return None
        return Pavilion(**item.data) if isinstance(item, PavilionItem) else None

    def create(self, pavilion: Pavilion, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(_item(pavilion), PavilionItem.pk.does_not_exist(), Conflict("场馆代码已存在", code="PAVILION_EXISTS"))
        write.commit()

    def save(self, pavilion: Pavilion, expected_version: int, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(
            _item(pavilion),
            PavilionItem.version == expected_version,
            Conflict("特色场馆已被他人修改，请刷新后重试", code="PAVILION_CHANGED"),
        )
        write.commit()
