"""The API's published contract: its OpenAPI 3.1 description (chalicelib.openapi), for integrators and the web
UI's 接口文档."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib.http import Reply, RequestContext, api_route

bp = Blueprint(__name__)


@api_route(bp, "/openapi.json", response="common:OpenApiDocument")
def openapi_description(ctx: RequestContext) -> Reply:
    """本接口的 OpenAPI 3.1 描述：全部路由、角色、请求与响应、错误码及其含义、对接签名方式与订单事件的 JSON Schema。"""
    from chalicelib.openapi import describe

    description: dict[str, Any] = describe()
    # The same for every caller and every instance of this build: browsers and tools may keep it a while.
    return Reply(description, headers={"Cache-Control": "public, max-age=300"})
