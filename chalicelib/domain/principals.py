"""Who is calling: roles, the verified claims, and which site they may act on."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from chalicelib.domain.errors import Forbidden

# Suppliers register once for the whole province (seed 002: 一地入驻，全省通行);
# their tokens and the provincial operator's carry this scope, not a city site.
PROVINCE_SCOPE = "shandong"


class Role(StrEnum):
    BUYER = "buyer"
    SUPPLIER = "supplier"
    CENTER_ADMIN = "center_admin"
    FINANCE = "finance"
    PROVINCE_ADMIN = "province_admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.BUYER: "采购人",
    Role.SUPPLIER: "供应商",
    Role.CENTER_ADMIN: "采购中心",
    Role.FINANCE: "财政局",
    Role.PROVINCE_ADMIN: "省级管理员",
}

# Roles whose scope is the province rather than one city site.
PROVINCE_WIDE_ROLES = frozenset({Role.SUPPLIER, Role.PROVINCE_ADMIN})


class Principal(NamedTuple):
    """A caller whose token has been verified. Built only by the auth layer."""

    user_id: str
    username: str
    display_name: str
    role: Role
    tenant: str
    org_id: str
    org_name: str
    district: str

    @property
    def is_province_wide(self) -> bool:
        return self.role in PROVINCE_WIDE_ROLES

    def as_actor(self) -> dict[str, str]:
        """The who of an audit event."""
        return {
            "user_id": self.user_id,
            "username": self.username,
            "name": self.display_name,
            "role": self.role.value,
            "org_id": self.org_id,
            "org_name": self.org_name,
        }


SYSTEM_ACTOR: dict[str, str] = {
    "user_id": "system",
    "username": "system",
    "name": "系统",
    "role": "system",
    "org_id": "",
    "org_name": "",
}


def require_role(principal: Principal, allowed: frozenset[Role]) -> None:
    if principal.role not in allowed:
        names = "、".join(sorted(r.label for r in allowed))
        raise Forbidden(
            f"当前角色（{principal.role.label}）无权执行此操作，需要：{names}",
            code="FORBIDDEN_ROLE",
        )


def require_site_access(principal: Principal, site_id: str) -> None:
    """A city-bound user acts only in its own site; province-wide roles in any."""
    if principal.is_province_wide or principal.tenant == site_id:
        return
    raise Forbidden("无权访问其他站点的数据", code="FORBIDDEN_TENANT", details={"site_id": site_id})
