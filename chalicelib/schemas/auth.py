from __future__ import annotations

from pydantic import Field

from chalicelib.validation import StrictBody


class LoginBody(StrictBody):
    username: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=256)
