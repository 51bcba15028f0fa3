"""Login and the caller's own identity."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalice.app import Blueprint

from chalicelib.auth import verifier
from chalicelib.domain import accounts
from chalicelib.domain.errors import InvalidInput, Unauthenticated
from chalicelib.domain.principals import Principal
from chalicelib.http import ALL_ROLES, Reply, RequestContext, api_route
from chalicelib.store.cognito import password_login

bp = Blueprint(__name__)


def user_view(p: Principal) -> dict[str, Any]:
    return {
        "user_id": p.user_id,
        "username": p.username,
        "name": p.display_name,
        "role": p.role.value,
        "role_label": p.role.label,
        "tenant": p.tenant,
        "org_id": p.org_id,
        "org_name": p.org_name,
        "district": p.district,
    }


@api_route(bp, "/auth/login", methods=("POST",), response="site:LoginAnswer")
def login(ctx: RequestContext) -> dict[str, Any]:
    """Sign in; five failures within 15 minutes lock the username for 15 minutes (domain.accounts)."""
    from chalicelib.schemas.auth import LoginBody

    body = ctx.body(LoginBody)
    token, expires_in = _checked_login(body.username, body.password, ctx.now)
    # Verify what Cognito issued, so the login answer and /me agree on every claim.
    principal = verifier().verify(token)
    return {"token": token, "expires_in": expires_in, "user": user_view(principal)}


def _checked_login(username: str, password: str, now: datetime) -> tuple[str, int]:
    from chalicelib.store.accounts import DynamoLoginGuard

    guard = DynamoLoginGuard()
    attempts = guard.get(username)
    accounts.check_not_locked(attempts, now)
    try:
        token, expires_in = password_login(username, password)
    except Unauthenticated as failed:
        attempts = accounts.after_failure(attempts, now)
        guard.save(username, attempts)
        accounts.check_not_locked(attempts, now)  # the fifth failure locks at once
        left = accounts.failures_left(attempts)
        raise Unauthenticated(
            f"{failed.message}，再失败 {left} 次账号将锁定 15 分钟", code=failed.code, details={"attempts_left": left}
        ) from failed
    if attempts.failures or attempts.locked_until:
        guard.clear(username)
    _refuse_disabled(username)
    return token, expires_in


def _refuse_disabled(username: str) -> None:
    """A disabled account cannot sign in (Cognito refuses it in AWS; the local emulation does not, so the
    API asks: one AdminGetUser per sign-in)."""
    from chalicelib.domain.errors import Forbidden
    from chalicelib.store.accounts import CognitoAccounts

    account = CognitoAccounts().find(username)
    if account is not None and not account.enabled:
        raise Forbidden("账号已停用，请联系采购中心", code="ACCOUNT_DISABLED")


def _account_event(principal_or_name: Principal | str, tenant: str, action: str, summary: str, now: datetime) -> None:
    from chalicelib.domain.audit import new_event
    from chalicelib.domain.principals import SYSTEM_ACTOR
    from chalicelib.store.accounts import record

    if isinstance(principal_or_name, Principal):
        actor, username = principal_or_name.as_actor(), principal_or_name.username
    else:
        actor, username = {**SYSTEM_ACTOR, "username": principal_or_name, "name": principal_or_name}, principal_or_name
    record(
        new_event(
            tenant=tenant, entity_type="user", entity_id=username, action=action, summary=summary, actor=actor, at=now
        )
    )


@api_route(bp, "/me/password", methods=("POST",), roles=ALL_ROLES, response="site:PasswordChanged")
def change_password(ctx: RequestContext) -> dict[str, Any]:
    """The signed-in user changes their password: the old one first (failures count towards the lock)."""
    from chalicelib.schemas.auth import PasswordChangeBody
    from chalicelib.store.accounts import CognitoAccounts

    body = ctx.body(PasswordChangeBody)
    accounts.check_password(body.new_password)
    if body.new_password == body.old_password:
        raise InvalidInput("新密码不能与原密码相同", code="PASSWORD_UNCHANGED")
    try:
        _checked_login(ctx.user.username, body.old_password, ctx.now)
    except Unauthenticated as wrong:
        raise InvalidInput(
            wrong.message.replace("用户名或密码错误", "原密码不正确"),
            code="OLD_PASSWORD_WRONG",
            details=[{"field": "old_password", "message": "原密码不正确"}],
        ) from wrong
    CognitoAccounts().set_password(ctx.user.username, body.new_password)
    _account_event(ctx.user, ctx.user.tenant, "user.password_changed", "修改登录密码", ctx.now)
    return {"changed": True}


@api_route(bp, "/auth/password-reset", methods=("POST",), response="site:ResetRequested")
def request_reset(ctx: RequestContext) -> Reply:
    """A reset code to the account's registered phone or e-mail. The answer is the same whether or not the
    username exists, so that it cannot be used to find accounts."""
    from chalicelib.config import get_settings
    from chalicelib.observability import logger
    from chalicelib.schemas.auth import ResetRequestBody
    from chalicelib.store.accounts import CognitoAccounts, DynamoResetCodes

    body = ctx.body(ResetRequestBody)
    account = CognitoAccounts().find(body.username)
    if account is not None and account.enabled:
        code, stored = accounts.new_reset_code(account.username, ctx.now)
        DynamoResetCodes().put(stored)
        if get_settings().reset_codes_in_log:
            logger.info("本地运行：密码重置验证码", extra={"username": account.username, "reset_code": code})
        else:
            logger.info("password reset code issued", extra={"username": account.username})
    answer = {"sent": True, "message": "如账号存在，验证码已发送至其登记的手机或电子邮箱，15 分钟内有效"}
    return Reply(answer, status=202)


@api_route(bp, "/auth/password-reset/confirm", methods=("POST",), response="site:ResetDone")
def confirm_reset(ctx: RequestContext) -> dict[str, Any]:
    """The code and a new password: the password is set, the code spent, a sign-in lock lifted."""
    from chalicelib.schemas.auth import ResetConfirmBody
    from chalicelib.store.accounts import CognitoAccounts, DynamoLoginGuard, DynamoResetCodes

    body = ctx.body(ResetConfirmBody)
    codes = DynamoResetCodes()
    stored = codes.get(body.username)
    try:
        accounts.check_reset_code(stored, body.code, ctx.now)
    except InvalidInput:
        if stored is not None:
            codes.spend_try(body.username)
        raise
    accounts.check_password(body.new_password)
    people = CognitoAccounts()
    account = people.find(body.username)
    if account is None:
        raise accounts.WRONG_CODE
    people.set_password(account.username, body.new_password)
    codes.delete(body.username)
    DynamoLoginGuard().clear(body.username)
    _account_event(account.username, account.tenant, "user.password_reset", "通过验证码重置登录密码", ctx.now)
    return {"reset": True}


@api_route(bp, "/me", roles=ALL_ROLES, response="site:MeView")
def me(ctx: RequestContext) -> dict[str, Any]:
    return {"user": user_view(ctx.user)}
