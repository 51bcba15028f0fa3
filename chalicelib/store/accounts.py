"""Sign-in attempts and reset codes in the main table; passwords and users in the Cognito pool."""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.exceptions import UpdateError

from chalicelib.config import get_settings
from chalicelib.domain.accounts import LOCK_FOR, LoginAttempts, ResetCode, normalized
from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.clock import parse_iso
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.principals import PROVINCE_SCOPE
from chalicelib.store.aws import client
from chalicelib.store.models import LoginGuardItem, ResetCodeItem
from chalicelib.store.tx import audit_item


def _guard_key(username: str) -> tuple[str, str]:
    return f"{PROVINCE_SCOPE}#LOGIN#{normalized(username)}", "ATTEMPTS"


def _code_key(username: str) -> tuple[str, str]:
    return f"{PROVINCE_SCOPE}#RESET#{normalized(username)}", "CODE"


class DynamoLoginGuard:
    def get(self, username: str) -> LoginAttempts:
        try:
            item = LoginGuardItem.get(*_guard_key(username))
        except LoginGuardItem.DoesNotExist:
            return LoginAttempts()
        return LoginAttempts(tuple(item.data.get("failures", ())), str(item.data.get("locked_until", "")))

    def save(self, username: str, attempts: LoginAttempts) -> None:
        last = attempts.locked_until or (attempts.failures[-1] if attempts.failures else "")
        expires = int((parse_iso(last) + LOCK_FOR).timestamp()) if last else 0
        pk, sk = _guard_key(username)
        LoginGuardItem(pk=pk, sk=sk, data=attempts._asdict(), expires_at=expires).save()

    def clear(self, username: str) -> None:
        pk, sk = _guard_key(username)
        LoginGuardItem(pk=pk, sk=sk).delete()


class DynamoResetCodes:
    def put(self, code: ResetCode) -> None:
        pk, sk = _code_key(code.username)
        expires = int(parse_iso(code.expires_at).timestamp())
        ResetCodeItem(pk=pk, sk=sk, data=code._asdict(), tries_left=code.tries_left, expires_at=expires).save()

    def get(self, username: str) -> ResetCode | None:
        try:
            item = ResetCodeItem.get(*_code_key(username))
        except ResetCodeItem.DoesNotExist:
            return None
        return ResetCode(**{**item.data, "tries_left": int(item.tries_left)})

    def spend_try(self, username: str) -> None:
        """One try fewer (conditional, so that parallel guesses cannot share a try)."""
        item = ResetCodeItem(*_code_key(username))
        try:
            item.update(
                actions=[ResetCodeItem.tries_left.add(-1)],
                condition=ResetCodeItem.pk.exists() & (ResetCodeItem.tries_left > 0),
            )
        except UpdateError as exc:
            if exc.cause_response_code != "ConditionalCheckFailedException":
                raise

    def delete(self, username: str) -> None:
        ResetCodeItem(*_code_key(username)).delete()


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    tenant: str
    email: str
    phone: str
    enabled: bool
    org_id: str = ""
    org_name: str = ""
    district: str = ""
    created_at: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "username": self.username,
            "name": self.name,
            "org_id": self.org_id,
            "org_name": self.org_name,
            "district": self.district,
            "enabled": self.enabled,
            "state_label": "正常" if self.enabled else "已停用",
            "created_at": self.created_at,
        }


def _account(username: str, attributes: list[dict[str, str]], enabled: bool, created: object = None) -> Account:
    attrs = {a["Name"]: a["Value"] for a in attributes}
    return Account(
        username=username,
        name=attrs.get("name", ""),
        tenant=attrs.get("custom:tenant", PROVINCE_SCOPE),
        email=attrs.get("email", ""),
        phone=attrs.get("phone_number", ""),
        enabled=enabled,
        org_id=attrs.get("custom:org_id", ""),
        org_name=attrs.get("custom:org_name", ""),
        district=attrs.get("custom:district", ""),
        created_at=created.isoformat() if hasattr(created, "isoformat") else "",
    )


class CognitoAccounts:
    def find(self, username: str) -> Account | None:
        idp = client("cognito-idp")
        try:
            user = idp.admin_get_user(UserPoolId=get_settings().user_pool_id, Username=username)
        except (idp.exceptions.UserNotFoundException, idp.exceptions.InvalidParameterException):
            return None
        return _account(
            str(user["Username"]),
            user.get("UserAttributes", []),
            bool(user.get("Enabled", True)),
            user.get("UserCreateDate"),
        )

    def buyers_of_site(self, site_id: str) -> list[Account]:
        """The buyer accounts of a site's units (the pool's buyer group, read page by page)."""
        idp = client("cognito-idp")
        found: list[Account] = []
        token: str | None = None
        while True:
            request = {"UserPoolId": get_settings().user_pool_id, "GroupName": "buyer", "Limit": 60}
            page = idp.list_users_in_group(**request, **({"NextToken": token} if token else {}))
            for user in page.get("Users", []):
                account = _account(
                    str(user["Username"]),
                    user.get("Attributes", []),
                    bool(user.get("Enabled", True)),
                    user.get("UserCreateDate"),
                )
                if account.tenant == site_id:
                    found.append(account)
            token = page.get("NextToken")
            if not token:
                return sorted(found, key=lambda a: (a.org_name, a.username))

    def create_buyer(
        self, username: str, password: str, name: str, site_id: str, org_id: str, org_name: str, district: str
    ) -> None:
        from chalicelib.domain.errors import Conflict

        idp = client("cognito-idp")
        pool = get_settings().user_pool_id
        try:
            idp.admin_create_user(
                UserPoolId=pool,
                Username=username,
                MessageAction="SUPPRESS",
                UserAttributes=[
                    {"Name": "name", "Value": name},
                    {"Name": "custom:tenant", "Value": site_id},
                    {"Name": "custom:org_id", "Value": org_id},
                    {"Name": "custom:org_name", "Value": org_name},
                    {"Name": "custom:district", "Value": district},
                ],
            )
        except idp.exceptions.UsernameExistsException as exc:
            raise Conflict(f"用户名 {username} 已被使用", code="USERNAME_TAKEN") from exc
        try:
            self.set_password(username, password, field="password")
            idp.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName="buyer")
        except Exception:
            idp.admin_delete_user(UserPoolId=pool, Username=username)
            raise

    def set_enabled(self, username: str, enabled: bool) -> None:
        idp = client("cognito-idp")
        pool = get_settings().user_pool_id
        if enabled:
            idp.admin_enable_user(UserPoolId=pool, Username=username)
        else:
            idp.admin_disable_user(UserPoolId=pool, Username=username)

    def set_password(self, username: str, password: str, field: str = "new_password") -> None:
        idp = client("cognito-idp")
        try:
            idp.admin_set_user_password(
                UserPoolId=get_settings().user_pool_id, Username=username, Password=password, Permanent=True
            )
        except idp.exceptions.InvalidPasswordException as exc:
            raise InvalidInput(
                "密码不符合安全策略", code="WEAK_PASSWORD", details=[{"field": field, "message": "不符合密码策略"}]
            ) from exc


def record(audit: AuditEvent) -> None:
    """An account's change in its tenant's log (the password itself is never in it)."""
    audit_item(audit).save()
