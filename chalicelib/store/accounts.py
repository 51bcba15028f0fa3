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


class CognitoAccounts:
    def find(self, username: str) -> Account | None:
        idp = client("cognito-idp")
        try:
            user = idp.admin_get_user(UserPoolId=get_settings().user_pool_id, Username=username)
        except (idp.exceptions.UserNotFoundException, idp.exceptions.InvalidParameterException):
            return None
        attrs = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
        return Account(
            username=str(user["Username"]),
            name=attrs.get("name", ""),
            tenant=attrs.get("custom:tenant", PROVINCE_SCOPE),
            email=attrs.get("email", ""),
            phone=attrs.get("phone_number", ""),
            enabled=bool(user.get("Enabled", True)),
        )

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
