"""The centre's accounts for its units' buyers (采购人账号): opened, listed, disabled and enabled again."""

from __future__ import annotations

import re
from typing import Any

from chalice.app import Blueprint
from pydantic import Field

from chalicelib.domain import accounts
from chalicelib.domain.audit import new_event
from chalicelib.domain.errors import Forbidden, NotFound
from chalicelib.domain.principals import Role
from chalicelib.domain.site_admin import load_site
from chalicelib.http import Reply, RequestContext, api_route
from chalicelib.validation import StrictBody
from chalicelib.wiring import stores

bp = Blueprint(__name__)

ACCOUNT_EDITORS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
USERNAME = re.compile(r"^[a-z][a-z0-9._-]{3,31}$")


class NewBuyerBody(StrictBody):
    username: str = Field(min_length=4, max_length=32, pattern=r"^[a-z][a-z0-9._-]{3,31}$")
    name: str = Field(min_length=2, max_length=20)
    org_uscc: str = Field(min_length=18, max_length=18)
    password: str = Field(min_length=1, max_length=256)


class ReasonBody(StrictBody):
    reason: str = Field(min_length=2, max_length=200)


def _record(ctx: RequestContext, site_id: str, username: str, action: str, summary: str, after: Any) -> None:
    from chalicelib.store.accounts import record

    record(
        new_event(
            tenant=site_id,
            entity_type="user",
            entity_id=username,
            action=action,
            summary=summary,
            actor=ctx.user.as_actor(),
            at=ctx.now,
            after=after,
            request_id=ctx.request_id,
        )
    )


@api_route(bp, "/sites/{site_id}/accounts", roles=ACCOUNT_EDITORS, response="site:AccountList")
def list_accounts(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.store.accounts import CognitoAccounts

    load_site(stores().sites, site_id)
    return {"items": [a.to_dict() for a in CognitoAccounts().buyers_of_site(site_id)]}


@api_route(bp, "/sites/{site_id}/accounts", methods=("POST",), roles=ACCOUNT_EDITORS, response="site:AccountView")
def open_account(ctx: RequestContext, site_id: str) -> Reply:
    """A buyer account for one of the site's units, with an initial password the centre hands over (the user
    changes it in 个人信息)."""
    from chalicelib.store.accounts import CognitoAccounts

    body = ctx.body(NewBuyerBody)
    site = load_site(stores().sites, site_id)
    accounts.check_password(body.password, field="password")
    org = next((o for o in stores().orgs.list(site_id, None) if o.uscc == body.org_uscc), None)
    if org is None:
        raise NotFound(f"{site.short_name}站点没有统一社会信用代码为 {body.org_uscc} 的采购单位", code="ORG_NOT_FOUND")
    CognitoAccounts().create_buyer(body.username, body.password, body.name, site_id, org.uscc, org.name, org.district)
    after = {"username": body.username, "name": body.name, "org_name": org.name, "district": org.district}
    _record(
        ctx, site_id, body.username, "user.created", f"为{org.name}开通采购人账号 {body.username}（{body.name}）", after
    )
    return Reply({**after, "enabled": True, "state_label": "正常"}, status=201)


def _own_account(site_id: str, username: str) -> Any:
    from chalicelib.store.accounts import CognitoAccounts

    account = CognitoAccounts().find(username) if USERNAME.match(username) else None
    if account is None or account.tenant != site_id or not account.org_id:
        raise NotFound("本站没有该采购人账号", code="ACCOUNT_NOT_FOUND")
    return account


@api_route(
    bp,
    "/sites/{site_id}/accounts/{username}/disable",
    methods=("POST",),
    roles=ACCOUNT_EDITORS,
    response="site:AccountView",
)
def disable_account(ctx: RequestContext, site_id: str, username: str) -> dict[str, Any]:
    from chalicelib.store.accounts import CognitoAccounts

    body = ctx.body(ReasonBody)
    load_site(stores().sites, site_id)
    account = _own_account(site_id, username)
    if account.username == ctx.user.username:
        raise Forbidden("不能停用自己的账号", code="SELF_DISABLE")
    CognitoAccounts().set_enabled(account.username, False)
    _record(
        ctx,
        site_id,
        account.username,
        "user.disabled",
        f"停用采购人账号 {account.username}：{body.reason}",
        {"enabled": False, "reason": body.reason},
    )
    return {**account.to_dict(), "enabled": False, "state_label": "已停用"}


@api_route(
    bp,
    "/sites/{site_id}/accounts/{username}/enable",
    methods=("POST",),
    roles=ACCOUNT_EDITORS,
    response="site:AccountView",
)
def enable_account(ctx: RequestContext, site_id: str, username: str) -> dict[str, Any]:
    from chalicelib.store.accounts import CognitoAccounts

    body = ctx.body(ReasonBody)
    load_site(stores().sites, site_id)
    account = _own_account(site_id, username)
    CognitoAccounts().set_enabled(account.username, True)
    _record(
        ctx,
        site_id,
        account.username,
        "user.enabled",
        f"启用采购人账号 {account.username}：{body.reason}",
        {"enabled": True, "reason": body.reason},
    )
    return {**account.to_dict(), "enabled": True, "state_label": "正常"}
