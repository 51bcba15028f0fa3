"""Login against the Cognito user pool (moto's locally, the real one in AWS)."""

from __future__ import annotations

from chalicelib.config import get_settings
from chalicelib.domain.errors import Forbidden, TooManyRequests, Unauthenticated
from chalicelib.store.aws import client


def password_login(username: str, password: str) -> tuple[str, int]:
    """Return (id_token, expires_in seconds)."""
    cognito = client("cognito-idp")
    settings = get_settings()
    try:
        result = cognito.initiate_auth(
            AuthFlow="USER_PASSWORD_AUTH",
            ClientId=settings.user_pool_client_id,
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
    except (
        cognito.exceptions.NotAuthorizedException,
        cognito.exceptions.UserNotFoundException,
        # A username Cognito cannot even hold (spaces, control characters) is just a wrong login.
        cognito.exceptions.InvalidParameterException,
    ) as exc:
        if "disabled" in str(exc).lower():
            raise Forbidden("账号已停用，请联系采购中心", code="ACCOUNT_DISABLED") from exc
        raise Unauthenticated("用户名或密码错误", code="LOGIN_FAILED") from exc
    except cognito.exceptions.TooManyRequestsException as exc:
        raise TooManyRequests("登录请求过于频繁，请稍后再试") from exc
    except cognito.exceptions.PasswordResetRequiredException as exc:
        raise Forbidden("密码需要重置，请联系采购中心", code="PASSWORD_RESET_REQUIRED") from exc
    auth = result.get("AuthenticationResult")
    if not auth:
        # A challenge such as NEW_PASSWORD_REQUIRED: the account is not ready for use.
        raise Forbidden("账号尚未激活，请联系采购中心设置密码", code="ACCOUNT_NOT_READY")
    return str(auth["IdToken"]), int(auth.get("ExpiresIn", 3600))
