"""Verify Cognito ID tokens in the app itself.

Chalice's Cognito authorizer is not enforced by `chalice local` or the test
client, so the app checks every token the same way everywhere: RS256 signature
against the pool's JWKS, then issuer, audience, token use and expiry, then the
mall's own claims (role group, tenant, organisation, district).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from chalicelib.config import Settings, get_settings
from chalicelib.domain.errors import Unauthenticated
from chalicelib.domain.principals import Principal, Role

# Claims the user pool carries as custom attributes (see infra/resources.json).
CLAIM_TENANT = "custom:tenant"
CLAIM_ORG_ID = "custom:org_id"
CLAIM_ORG_NAME = "custom:org_name"
CLAIM_DISTRICT = "custom:district"

_JWKS_REFRESH_SECONDS = 300
# Clocks of Cognito and Lambda may differ a little; a token a minute "early" is fine, an hour is forged.
CLOCK_SKEW_SECONDS = 60


def _invalid(reason: str) -> Unauthenticated:
    return Unauthenticated("登录凭证无效，请重新登录", code="TOKEN_INVALID", details={"reason": reason})


class JwksCache:
    """The pool's public keys, fetched once per process and again for an unknown kid."""

    def __init__(self, url: str, fetch: Callable[[str], dict[str, Any]] | None = None) -> None:
        self._url = url
        self._fetch = fetch or _fetch_json
        self._lock = threading.Lock()
        self._keys: Any = None
        self._kids: set[str] = set()
        self._fetched_at = 0.0

    def key_set(self, kid: str) -> Any:
        with self._lock:
            stale = time.monotonic() - self._fetched_at > _JWKS_REFRESH_SECONDS
            if self._keys is None or (kid not in self._kids and stale):
                from joserfc.jwk import KeySet

                raw = self._fetch(self._url)
                self._keys = KeySet.import_key_set(raw)  # type: ignore[arg-type]
                self._kids = {str(k.get("kid")) for k in raw.get("keys", [])}
                self._fetched_at = time.monotonic()
            if kid not in self._kids:
                raise _invalid("unknown key id")
            return self._keys


def _is_time(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _fetch_json(url: str) -> dict[str, Any]:
    import requests  # imported here: only a cold container's first login pays for it

    response = requests.get(url, timeout=5)
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


class TokenVerifier:
    def __init__(
        self, settings: Settings, jwks: JwksCache | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self._settings = settings
        self._jwks = jwks or JwksCache(settings.jwks_url)
        self._clock = clock

    def verify(self, token: str) -> Principal:
        claims = self._verified_claims(token)
        return self._principal(claims)

    def _verified_claims(self, token: str) -> dict[str, Any]:
        from joserfc import jwt
        from joserfc.errors import JoseError

        header = _unverified_header(token)
        if header.get("alg") != "RS256":
            raise _invalid("algorithm not allowed")
        keys = self._jwks.key_set(str(header.get("kid", "")))
        try:
            decoded = jwt.decode(token, keys, algorithms=["RS256"])
        except (JoseError, ValueError) as exc:
            raise _invalid(type(exc).__name__) from exc
        claims: dict[str, Any] = dict(decoded.claims)
        if claims.get("iss") != self._settings.issuer:
            raise _invalid("issuer")
        if claims.get("aud") != self._settings.user_pool_client_id:
            raise _invalid("audience")
        if claims.get("token_use") != "id":
            raise _invalid("token use")
        self._check_times(claims)
        return claims

    def _check_times(self, claims: dict[str, Any]) -> None:
        """Expiry, and no token from the future: issued (iat) and valid from (nbf) no later than now, within a
        small clock skew, and no lifetime longer than the pool gives (a forged lifetime would outlive a sanction)."""
        now = self._clock()
        exp, iat, nbf = claims.get("exp"), claims.get("iat"), claims.get("nbf", claims.get("iat"))
        if not all(_is_time(v) for v in (exp, iat, nbf)):
            raise _invalid("times")
        assert isinstance(exp, int) and isinstance(iat, int) and isinstance(nbf, int)
        if iat > now + CLOCK_SKEW_SECONDS or nbf > now + CLOCK_SKEW_SECONDS:
            raise _invalid("issued in the future")
        if exp - iat > self._settings.id_token_max_seconds + CLOCK_SKEW_SECONDS or exp <= iat:
            raise _invalid("lifetime")
        if exp <= now:
            raise Unauthenticated("登录已过期，请重新登录", code="TOKEN_EXPIRED")

    @staticmethod
    def _principal(claims: dict[str, Any]) -> Principal:
        groups = claims.get("cognito:groups") or []
        roles = [Role(g) for g in groups if g in Role._value2member_map_]
        if len(roles) != 1:
            raise Unauthenticated("账号未分配唯一角色，请联系采购中心", code="ROLE_MISSING")
        tenant = str(claims.get(CLAIM_TENANT, ""))
        if not tenant:
            raise Unauthenticated("账号未绑定站点，请联系采购中心", code="TENANT_MISSING")
        return Principal(
            user_id=str(claims.get("sub", "")),
            username=str(claims.get("cognito:username", "")),
            display_name=str(claims.get("name", "") or claims.get("cognito:username", "")),
            role=roles[0],
            tenant=tenant,
            org_id=str(claims.get(CLAIM_ORG_ID, "")),
            org_name=str(claims.get(CLAIM_ORG_NAME, "")),
            district=str(claims.get(CLAIM_DISTRICT, "")),
        )


def _unverified_header(token: str) -> dict[str, Any]:
    import base64

    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise _invalid("not a JWT")
    try:
        padded = parts[0] + "=" * (-len(parts[0]) % 4)
        header = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError) as exc:
        raise _invalid("header") from exc
    if not isinstance(header, dict):
        raise _invalid("header")
    return header


_verifier: TokenVerifier | None = None
_verifier_lock = threading.Lock()


def verifier() -> TokenVerifier:
    """One verifier per process, so warm invocations reuse the fetched keys."""
    global _verifier
    with _verifier_lock:
        settings = get_settings()
        if _verifier is None or _verifier._settings is not settings:
            _verifier = TokenVerifier(settings)
        return _verifier


def reset_verifier() -> None:
    """A new user pool (tests, the local run): fetch its keys again."""
    global _verifier
    with _verifier_lock:
        _verifier = None


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise Unauthenticated("请先登录", code="AUTH_REQUIRED")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("登录凭证格式错误，应为 Bearer 令牌", code="TOKEN_INVALID")
    return token.strip()
