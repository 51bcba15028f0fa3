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


def _listing(found: list[bulletins.Bulletin], total: int) -> dict[str, Any]:
    return {"items": [b.summary_view() for b in found], "total": total}


@api_route(bp, "/sites/{site_id}/bulletins")
def public_bulletins(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.bulletins import BulletinQuery

    query = ctx.query(BulletinQuery)
    cached_site(site_id)
    found, total = bulletins.find(stores().bulletins, site_id, query.kind, query.q, False, query.limit)
    return _listing(found, total)


@api_route(bp, "/sites/{site_id}/bulletins/{bulletin_id}")
def public_bulletin(ctx: RequestContext, site_id: str, bulletin_id: str) -> dict[str, Any]:
    cached_site(site_id)
    return bulletins.public_one(stores().bulletins, site_id, bulletin_id).to_dict()


@api_route(bp, "/sites/{site_id}/bulletins/manage", roles=PUBLISHERS)
def managed_bulletins(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.bulletins import ManagedBulletinQuery

    query = ctx.query(ManagedBulletinQuery)
    found, total = bulletins.find(
        stores().bulletins, site_id, query.kind, query.q, query.include_withdrawn, query.limit
    )
    return _listing(found, total)


@api_route(bp, "/sites/{site_id}/bulletins", methods=("POST",), roles=PUBLISHERS)
def publish_bulletin(ctx: RequestContext, site_id: str) -> Reply:
    from chalicelib.schemas.bulletins import BulletinBody

    body = ctx.body(BulletinBody)
    site = cached_site(site_id)
    draft = bulletins.BulletinDraft(body.kind, body.title, body.body, body.pinned, body.link)
    made = bulletins.publish(stores().bulletins, site, ctx.user, draft, ctx.now, ctx.request_id)
    return Reply(made.to_dict(), status=201)


@api_route(bp, "/sites/{site_id}/bulletins/{bulletin_id}", methods=("PUT",), roles=PUBLISHERS)
def revise_bulletin(ctx: RequestContext, site_id: str, bulletin_id: str) -> dict[str, Any]:
    from chalicelib.schemas.bulletins import BulletinRevision

    body = ctx.body(BulletinRevision)
    draft = bulletins.BulletinDraft(body.kind, body.title, body.body, body.pinned, body.link)
    return bulletins.revise(
        stores().bulletins, site_id, bulletin_id, ctx.user, draft, body.version, ctx.now, ctx.request_id
    ).to_dict()


@api_route(bp, "/sites/{site_id}/bulletins/{bulletin_id}/withdraw", methods=("POST",), roles=PUBLISHERS)
def withdraw_bulletin(ctx: RequestContext, site_id: str, bulletin_id: str) -> dict[str, Any]:
    return bulletins.withdraw(stores().bulletins, site_id, bulletin_id, ctx.user, ctx.now, ctx.request_id).to_dict()
