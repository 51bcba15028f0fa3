from __future__ import annotations

from pydantic import Field

from chalicelib.validation import StrictBody


class LoginBody(StrictBody):
    username: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=256)


class PasswordChangeBody(StrictBody):
    old_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class ResetRequestBody(StrictBody):
    username: str = Field(min_length=1, max_length=128)


class ResetConfirmBody(StrictBody):
    username: str = Field(min_length=1, max_length=128)
    code: str = Field(min_length=6, max_length=6, pattern=r"^[0-9]{6}$")
    new_password: str = Field(min_length=1, max_length=256)
