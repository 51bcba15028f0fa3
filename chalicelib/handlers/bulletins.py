"""The front page's notices, training material and FAQ: read by anyone, published by the site's operator."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import bulletins
from chalicelib.domain.principals import Role
from chalicelib.http import Reply, RequestContext, api_route
from chalicelib.store.sites import cached_site
from chalicelib.wiring import stores

bp = Blueprint(__name__)

PUBLISHERS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})


FILE_LINK_SECONDS = 3600  # a 政策小视频 streams by range requests for as long as it plays


def _file_key(site_id: str, file_id: str) -> str:
    return f"bulletin-files/{site_id}/{file_id}"


def _files(site_id: str, file_ids: list[str]) -> tuple[bulletins.BulletinFile, ...]:
    """The uploaded files a bulletin names, each checked to be what it claims (first bytes) and this site's."""
    from chalicelib.domain.errors import InvalidInput
    from chalicelib.store.media import first_bytes
    from chalicelib.store.uploads import uploaded

    found = []
    for file_id in dict.fromkeys(file_ids):
        key = _file_key(site_id, file_id)
        arrived = uploaded(key) if bulletins.FILE_ID_PATTERN.match(file_id) else None
        if arrived is None or arrived.metadata.get("site") != site_id:
            raise InvalidInput(
                "附件未上传成功，请重新上传",
                code="UPLOAD_NOT_FOUND",
                details=[{"field": "files", "message": "附件不存在"}],
            )
        bulletins.check_file(arrived.content_type, arrived.size, first_bytes(key))
        name = arrived.metadata.get("file-name", file_id)
        found.append(bulletins.BulletinFile(file_id, name, arrived.content_type, arrived.size, key))
    return tuple(found)


def _with_links(bulletin: bulletins.Bulletin) -> dict[str, Any]:
    from chalicelib.config import get_settings
    from chalicelib.store.uploads import signed_link

    view = bulletin.to_dict()
    bucket = get_settings().uploads_bucket
    for shown, f in zip(view["files"], bulletin.files, strict=True):
        shown["url"] = signed_link(bucket, f.key, f.file_name, inline=True, expires_s=FILE_LINK_SECONDS)
    return view


def _listing(found: list[bulletins.Bulletin], total: int) -> dict[str, Any]:
    return {"items": [b.summary_view() for b in found], "total": total}


@api_route(bp, "/sites/{site_id}/bulletins", response="site:BulletinPage")
def public_bulletins(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.bulletins import BulletinQuery

    query = ctx.query(BulletinQuery)
    cached_site(site_id)
    found, total = bulletins.find(stores().bulletins, site_id, query.kind, query.q, False, query.limit)
    return _listing(found, total)


@api_route(bp, "/sites/{site_id}/bulletins/{bulletin_id}", response="site:BulletinView")
def public_bulletin(ctx: RequestContext, site_id: str, bulletin_id: str) -> dict[str, Any]:
    cached_site(site_id)
    return _with_links(bulletins.public_one(stores().bulletins, site_id, bulletin_id))


@api_route(bp, "/sites/{site_id}/bulletins/manage", roles=PUBLISHERS, response="site:BulletinPage")
def managed_bulletins(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.bulletins import ManagedBulletinQuery

    query = ctx.query(ManagedBulletinQuery)
    found, total = bulletins.find(
        stores().bulletins, site_id, query.kind, query.q, query.include_withdrawn, query.limit
    )
    return _listing(found, total)


@api_route(bp, "/sites/{site_id}/bulletins", methods=("POST",), roles=PUBLISHERS, response="site:BulletinView")
def publish_bulletin(ctx: RequestContext, site_id: str) -> Reply:
    from chalicelib.schemas.bulletins import BulletinBody

    body = ctx.body(BulletinBody)
    site = cached_site(site_id)
    draft = bulletins.BulletinDraft(
        body.kind, body.title, body.body, body.pinned, body.link, _files(site_id, body.files)
    )
    made = bulletins.publish(stores().bulletins, site, ctx.user, draft, ctx.now, ctx.request_id)
    return Reply(made.to_dict(), status=201)


@api_route(
    bp, "/sites/{site_id}/bulletins/files", methods=("POST",), roles=PUBLISHERS, response="site:BulletinFileTicket"
)
def start_bulletin_file(ctx: RequestContext, site_id: str) -> Reply:
    """A presigned POST for one attachment (MP4 video, PDF, picture): checked when the bulletin names it."""
    import uuid

    from chalicelib.schemas.bulletins import BulletinFileBody
    from chalicelib.store.uploads import presigned_post

    body = ctx.body(BulletinFileBody)
    cached_site(site_id)
    limit = bulletins.FILE_TYPES[body.content_type]
    bulletins.check_size(body.content_type, body.size)
    file_id = uuid.uuid4().hex
    upload = presigned_post(
        _file_key(site_id, file_id), body.content_type, limit, {"file-name": body.file_name, "site": site_id}
    )
    return Reply({"file_id": file_id, "upload": upload, "max_bytes": limit}, status=201)


@api_route(
    bp, "/sites/{site_id}/bulletins/{bulletin_id}", methods=("PUT",), roles=PUBLISHERS, response="site:BulletinView"
)
def revise_bulletin(ctx: RequestContext, site_id: str, bulletin_id: str) -> dict[str, Any]:
    from chalicelib.schemas.bulletins import BulletinRevision

    body = ctx.body(BulletinRevision)
    draft = bulletins.BulletinDraft(
        body.kind, body.title, body.body, body.pinned, body.link, _files(site_id, body.files)
    )
    return bulletins.revise(
        stores().bulletins, site_id, bulletin_id, ctx.user, draft, body.version, ctx.now, ctx.request_id
    ).to_dict()


@api_route(
    bp,
    "/sites/{site_id}/bulletins/{bulletin_id}/withdraw",
    methods=("POST",),
    roles=PUBLISHERS,
    response="site:BulletinView",
)
def withdraw_bulletin(ctx: RequestContext, site_id: str, bulletin_id: str) -> dict[str, Any]:
    return bulletins.withdraw(stores().bulletins, site_id, bulletin_id, ctx.user, ctx.now, ctx.request_id).to_dict()
