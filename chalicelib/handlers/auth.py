"""Login and the caller's own identity."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib.auth import verifier
from chalicelib.domain.principals import Principal
from chalicelib.http import ALL_ROLES, RequestContext, api_route
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


@api_route(bp, "/auth/login", methods=("POST",))
def login(ctx: RequestContext) -> dict[str, Any]:
    from chalicelib.schemas.auth import LoginBody

    body = ctx.body(LoginBody)
    token, expires_in = password_login(body.username, body.password)
    # Verify what Cognito issued, so the login answer and /me agree on every claim.
    principal = verifier().verify(token)
    return {"token": token, "expires_in": expires_in, "user": user_view(principal)}


@api_route(bp, "/me", roles=ALL_ROLES)
def me(ctx: RequestContext) -> dict[str, Any]:
    return {"user": user_view(ctx.user)}
