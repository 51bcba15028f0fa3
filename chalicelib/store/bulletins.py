"""A site's front-page bulletins (公告、培训资料、常见问题) in the main table.

pk {site}#BULLETINS  sk {id}   ids are time-ordered, so one Query (newest first) lists them
"""

from __future__ import annotations

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.bulletins import Bulletin, BulletinFile, BulletinKind, BulletinStatus
from chalicelib.domain.errors import Conflict
from chalicelib.store import keys
from chalicelib.store.models import BulletinItem
from chalicelib.store.tx import AuditedWrite


def _item(bulletin: Bulletin) -> BulletinItem:
    view = bulletin.to_dict()
    for derived in ("kind_label", "status_label", "site_id", "id", "version"):
        view.pop(derived)
    view["files"] = [f._asdict() for f in bulletin.files]  # with their keys
    return BulletinItem(pk=keys.bulletins(bulletin.site_id), sk=bulletin.id, version=bulletin.version, data=view)


def _bulletin(item: BulletinItem) -> Bulletin:
    data = item.data
    return Bulletin(
        site_id=item.pk.split("#", 1)[0],
        id=item.sk,
        kind=BulletinKind(data["kind"]),
        title=data["title"],
        body=data["body"],
        pinned=bool(data.get("pinned")),
        link=data.get("link", ""),
        status=BulletinStatus(data["status"]),
        published_at=data["published_at"],
        updated_at=data["updated_at"],
        author=data.get("author", ""),
        author_name=data.get("author_name", ""),
        version=int(item.version),
        files=tuple(BulletinFile(**f) for f in data.get("files", [])),
    )


class DynamoBulletinStore:
    """Implements domain.bulletins.BulletinStore."""

    def get(self, site_id: str, bulletin_id: str) -> Bulletin | None:
        try:
            item = BulletinItem.get(keys.bulletins(site_id), bulletin_id)
        except BulletinItem.DoesNotExist:
            return None
        return _bulletin(item) if isinstance(item, BulletinItem) else None

    def newest(self, site_id: str, limit: int) -> list[Bulletin]:
        found = BulletinItem.query(keys.bulletins(site_id), scan_index_forward=False, limit=limit)
        return [_bulletin(i) for i in found if isinstance(i, BulletinItem)]

    def create(self, bulletin: Bulletin, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(_item(bulletin), BulletinItem.pk.does_not_exist(), Conflict("公告编号重复", code="BULLETIN_EXISTS"))
        write.commit()

    def save(self, bulletin: Bulletin, expected_version: int, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(
            _item(bulletin),
            BulletinItem.version == expected_version,
            Conflict("公告已被他人修改，请刷新后重试", code="BULLETIN_CHANGED"),
        )
        write.commit()
