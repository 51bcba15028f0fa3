"""Login, /me, and every protected route against bad tokens."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import pytest
import time_machine
from joserfc import jwt
from joserfc.jwk import RSAKey

from chalicelib.domain.principals import Role
from chalicelib.http import ROUTE_POLICIES, RoutePolicy
from tests.conftest import Api

# A user of each role in 聊城, and the same roles in 威海 for the foreign-tenant case.
HOME_USERS = {
    Role.BUYER: "liaocheng.buyer",
    Role.CENTER_ADMIN: "liaocheng.center",
    Role.FINANCE: "liaocheng.finance",
    Role.SUPPLIER: "supplier.demo",
    Role.PROVINCE_ADMIN: "province.admin",
}
FOREIGN_USERS = {Role.BUYER: "weihai.buyer", Role.CENTER_ADMIN: "weihai.center", Role.FINANCE: "weihai.finance"}

PROTECTED = [p for p in ROUTE_POLICIES if not p.public]


def _path(policy: RoutePolicy) -> str:
    return policy.path.replace("{site_id}", "liaocheng").replace("{change_id}", "0" * 32)


def _requests(policy: RoutePolicy) -> list[tuple[str, str]]:
    return [(method, _path(policy)) for method in policy.methods]


def _b64(data: dict) -> str:  # type: ignore[type-arg]
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_login_returns_a_verified_token_and_the_user(api: Api) -> None:
    status, body = api.call("POST", "/auth/login", {"username": "liaocheng.buyer", "password": "Yuncai2026demo"})
    assert status == 200
    assert body["user"] == {
        "user_id": body["user"]["user_id"],
        "username": "liaocheng.buyer",
        "name": "张敏",
        "role": "buyer",
        "role_label": "采购人",
        "tenant": "liaocheng",
        "org_id": body["user"]["org_id"],
        "org_name": "聊城市教育和体育局",
        "district": "371500",
    }
    assert body["expires_in"] == 3600
    status, me = api.call("GET", "/me", token=body["token"])
    assert status == 200 and me["user"] == body["user"]


@pytest.mark.parametrize(
    ("username", "password"),
    [("liaocheng.buyer", "wrong-password"), ("nobody.here", "Yuncai2026demo")],
)
def test_login_failures_do_not_tell_which_part_was_wrong(api: Api, username: str, password: str) -> None:
    status, body = api.call("POST", "/auth/login", {"username": username, "password": password})
    assert status == 401
    # The same answer for a wrong password and an unknown name (both count towards that name's lock).
    assert body == {
        "code": "LOGIN_FAILED",
        "message": "用户名或密码错误，再失败 4 次账号将锁定 15 分钟",
        "details": {"attempts_left": 4},
    }


@pytest.fixture(scope="module")
def walk() -> Iterator[Api]:
    """One emulated AWS for the walks over every route: they only read (every request is refused or fails its
    body), so a backend of their own per route would cost minutes and show nothing more."""
    from chalice.test import Client

    import app as app_module
    from scheduled import seed
    from tests.conftest import ROOT, STAGE, moto_environment

    with moto_environment() as outputs:
        seed.seed_all(outputs["USER_POOL_ID"])
        with Client(app_module.app, stage_name=STAGE, project_dir=str(ROOT)) as client:
            yield Api(client)


def test_every_protected_route_is_declared() -> None:
    # The walk below is only meaningful if it sees the routes: guard against an empty registry.
    assert len(PROTECTED) >= 8
    assert all(p.roles for p in PROTECTED)


@pytest.mark.parametrize("policy", PROTECTED, ids=lambda p: f"{'/'.join(p.methods)} {p.path}")
def test_route_rejects_missing_forged_tampered_and_expired_tokens(walk: Api, policy: RoutePolicy) -> None:
    api = walk
    allowed_user = HOME_USERS[sorted(policy.roles or [], key=lambda r: r.value)[0]]
    good = api.token(allowed_user)
    header_b64, payload_b64, signature = good.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload_b64 + "=" * (-len(payload_b64) % 4)))

    # Signed with another key under the same key id: the signature check must catch it.
    other_key = RSAKey.generate_key(2048, parameters={"kid": "dummy"})
    forged = jwt.encode({"alg": "RS256", "kid": "dummy"}, claims, other_key)
    # Genuine signature, edited claims (tenant and role).
    tampered = ".".join(
        [header_b64, _b64({**claims, "custom:tenant": "weihai", "cognito:groups": ["province_admin"]}), signature]
    )
    unsigned = ".".join([_b64({"alg": "none", "typ": "JWT"}), _b64(claims), ""])

    for method, path in _requests(policy):
        status, body = api.call(method, path, {})
        assert (status, body["code"]) == (401, "AUTH_REQUIRED"), (method, path, body)
        for bad in (forged, tampered, unsigned, "not-a-jwt", good + "x"):
            status, body = api.call(method, path, {}, token=bad)
            assert (status, body["code"]) == (401, "TOKEN_INVALID"), (method, path, bad[:20], body)
        status, body = api.call(method, path, {}, headers={"Authorization": f"Basic {good}"})
        assert status == 401, body
        with time_machine.travel(time.time() + 3601, tick=False):
            status, body = api.call(method, path, {}, token=good)
        assert (status, body["code"]) == (401, "TOKEN_EXPIRED"), (method, path, body)
        # And the genuine token passes authentication (whatever the body then says).
        status, body = api.call(method, path, {}, token=good)
        assert status not in (401, 403), (method, path, body)


@pytest.mark.parametrize("policy", PROTECTED, ids=lambda p: f"{'/'.join(p.methods)} {p.path}")
def test_route_rejects_wrong_roles_and_foreign_tenants(walk: Api, policy: RoutePolicy) -> None:
    api = walk
    refused = [role for role in Role if role not in (policy.roles or set())]
    for method, path in _requests(policy):
        for role in refused:
            status, body = api.call(method, path, {}, as_user=HOME_USERS[role])
            assert (status, body["code"]) == (403, "FORBIDDEN_ROLE"), (method, path, role, body)
            assert role.label in body["message"]
        if not policy.site_scoped:
            continue
        for role in policy.roles or set():
            if role not in FOREIGN_USERS:
                continue  # suppliers and the province act in every site
            status, body = api.call(method, path, {}, as_user=FOREIGN_USERS[role])
            assert (status, body["code"]) == (403, "FORBIDDEN_TENANT"), (method, path, role, body)


def test_province_wide_roles_reach_every_site(api: Api) -> None:
    for site in ("liaocheng", "weihai", "linyi"):
        status, body = api.call("GET", f"/sites/{site}/audit", as_user="province.admin")
        assert status == 200, body


def test_user_without_a_role_group_is_refused(api: Api, seeded: dict) -> None:  # type: ignore[type-arg]
    import boto3

    idp = boto3.client("cognito-idp")
    pool = api.client  # noqa: F841  (keeps the fixture order explicit)
    from chalicelib.config import get_settings

    pool_id = get_settings().user_pool_id
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="no.role",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "custom:tenant", "Value": "liaocheng"}],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username="no.role", Password="Yuncai2026demo", Permanent=True)
    status, body = api.call("POST", "/auth/login", {"username": "no.role", "password": "Yuncai2026demo"})
    assert (status, body["code"]) == (401, "ROLE_MISSING")


def _pool_key() -> RSAKey:
    """moto's user pool signs with a private key that ships with moto: anyone can mint a token locally."""
    import gzip
    from pathlib import Path

    import moto.cognitoidp

    path = Path(moto.cognitoidp.__file__).parent / "resources" / "jwks-private.json.gz"
    return RSAKey.import_key(json.loads(gzip.decompress(path.read_bytes())))


@pytest.mark.parametrize(
    ("change", "accepted"),
    [
        ({}, True),
        ({"iat": +30}, True),  # within the clock skew
        ({"nbf": +3600}, False),
        ({"nbf": +365 * 86400}, False),
        ({"iat": +3600, "exp": +7200}, False),
        ({"iat": +365 * 86400, "exp": +365 * 86400 + 3600}, False),
        ({"exp": +30 * 86400}, False),  # a lifetime beyond the pool's hour
        ({"iat": None}, False),
    ],
    ids=["as-issued", "skew", "nbf-hour", "nbf-year", "iat-hour", "iat-year", "month-long", "no-iat"],
)
def test_tokens_from_the_future_or_with_a_forged_lifetime_are_refused(
    api: Api, change: dict[str, int | None], accepted: bool
) -> None:
    good = api.token("liaocheng.buyer")
    header_b64, payload_b64, _ = good.split(".")
    header = json.loads(base64.urlsafe_b64decode(header_b64 + "=" * (-len(header_b64) % 4)))
    claims = json.loads(base64.urlsafe_b64decode(payload_b64 + "=" * (-len(payload_b64) % 4)))
    now = int(time.time())
    claims.update({"iat": now, "exp": now + 3600})
    for name, offset in change.items():
        if offset is None:
            claims.pop(name)
        else:
            claims[name] = now + offset
    minted = jwt.encode({"alg": "RS256", "kid": header["kid"]}, claims, _pool_key())
    status, body = api.call("GET", "/me", token=minted)
    if accepted:
        assert status == 200, body
    else:
        assert (status, body["code"]) == (401, "TOKEN_INVALID"), body


def test_the_token_lifetime_limit_is_the_pools() -> None:
    from chalicelib.config import get_settings
    from infra.template import load_resources

    client = load_resources()["Resources"]["UserPoolClient"]["Properties"]
    assert client["TokenValidityUnits"]["IdToken"] == "minutes"
    assert get_settings().id_token_max_seconds == client["IdTokenValidity"] * 60
