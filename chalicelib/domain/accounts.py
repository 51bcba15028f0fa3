"""Accounts (等保 2.0 identification and authentication): failed sign-ins limited, passwords changed and reset.

- Five failed sign-ins within 15 minutes lock the username for 15 minutes from the fifth; the message says
  until when (Beijing time). A locked username is refused before the password is even checked, and an unknown
  username is counted like a known one, so that the answer never tells which usernames exist.
- A reset code is six digits, valid 15 minutes and for five tries; only its hash is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from chalicelib.domain.clock import CHINA_TZ, parse_iso, to_iso
from chalicelib.domain.errors import InvalidInput, TooManyRequests

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_FOR = timedelta(minutes=15)
RESET_CODE_VALID = timedelta(minutes=15)
RESET_TRIES = 5
PASSWORD_RULE = "至少 10 位，须含大写字母、小写字母和数字"


class LoginAttempts(NamedTuple):
    failures: tuple[str, ...] = ()  # ISO times of the recent failures, oldest first
    locked_until: str = ""


def normalized(username: str) -> str:
    """The pool's usernames are case-insensitive: one counter per name however it is typed."""
    return username.strip().lower()


def check_not_locked(attempts: LoginAttempts, now: datetime) -> None:
    if attempts.locked_until and parse_iso(attempts.locked_until) > now:
        until = parse_iso(attempts.locked_until).astimezone(CHINA_TZ).strftime("%H:%M")
        raise TooManyRequests(
            f"连续登录失败 {MAX_FAILURES} 次，账号已临时锁定，请于 {until}（北京时间）后再试，或通过“忘记密码”重置",
            code="ACCOUNT_LOCKED",
            details={"locked_until": attempts.locked_until},
        )


def after_failure(attempts: LoginAttempts, now: datetime) -> LoginAttempts:
    """One more failure: the ones inside the window count; the fifth locks."""
    recent = (*(t for t in attempts.failures if parse_iso(t) > now - FAILURE_WINDOW), to_iso(now))
    if len(recent) >= MAX_FAILURES:
        return LoginAttempts((), to_iso(now + LOCK_FOR))
    return LoginAttempts(recent[-MAX_FAILURES:], "")


def failures_left(attempts: LoginAttempts) -> int:
    return max(MAX_FAILURES - len(attempts.failures), 0)


def password_problem(password: str) -> str | None:
    """The user pool's policy, checked first so that the answer is ours and in Chinese."""
    if (
        len(password) < 10
        or not any(c.isupper() for c in password)
        or not any(c.islower() for c in password)
        or not any(c.isdigit() for c in password)
    ):
        return PASSWORD_RULE
    return None


def check_password(password: str, field: str = "new_password") -> None:
    problem = password_problem(password)
    if problem:
        raise InvalidInput(
            f"密码强度不够：{problem}", code="WEAK_PASSWORD", details=[{"field": field, "message": problem}]
        )


class ResetCode(NamedTuple):
    username: str
    digest: str  # HMAC of the code, keyed by a per-code salt
    salt: str
    expires_at: str
    tries_left: int = RESET_TRIES


def new_reset_code(username: str, now: datetime) -> tuple[str, ResetCode]:
    """(the code to send, what is stored)."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    salt = secrets.token_hex(16)
    return code, ResetCode(normalized(username), _digest(code, salt), salt, to_iso(now + RESET_CODE_VALID))


def _digest(code: str, salt: str) -> str:
    return hmac.new(salt.encode(), code.encode(), hashlib.sha256).hexdigest()


WRONG_CODE = InvalidInput("验证码错误或已失效，请重新获取", code="RESET_CODE_INVALID")


def check_reset_code(stored: ResetCode | None, code: str, now: datetime) -> None:
    """Refuse a wrong, used-up or expired code (one message for all: a guess learns nothing)."""
    if stored is None or stored.tries_left <= 0 or parse_iso(stored.expires_at) <= now:
        raise WRONG_CODE
    if not hmac.compare_digest(stored.digest, _digest(code.strip(), stored.salt)):
        raise WRONG_CODE
