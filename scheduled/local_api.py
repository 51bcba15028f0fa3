"""The local API server of `make run`, answering at its edges as API Gateway does in AWS.

Chalice's local server is a plain `http.server` with Python's default listen backlog (5): a burst of 50 clients
connecting at the same instant had 33 connections reset before the app saw them. API Gateway takes such a burst,
so this server listens with a backlog sized for it and serves each connection on its own thread.

What never reaches a route is answered in the API's error shape `{code, message, details}` with the same codes
and words as the gateway responses the template declares (infra/resources.json), not in HTML: an unmatched path
(404 NOT_FOUND), a body over API Gateway's 10 MB (413), a URL over its 8,192 characters (414), a malformed request
line or header (400). Every answer carries the API's security headers (chalicelib.http.API_SECURITY_HEADERS).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from chalice.local import ChaliceRequestHandler, ForbiddenError, LocalDevServer, ThreadedHTTPServer

from chalicelib.http import API_SECURITY_HEADERS

# Connections waiting to be accepted: API Gateway takes bursts; the kernel caps this at net.core.somaxconn.
LISTEN_BACKLOG = 1024
# API Gateway's quotas for a REST API: the URL (8,192 characters) and the payload (10 MB).
MAX_URL_CHARS = 8192
MAX_BODY_BYTES = 10 * 1024 * 1024


@lru_cache(maxsize=1)
def gateway_responses() -> dict[str, dict[str, Any]]:
    """The gateway responses of the template: type -> {status, body}."""
    from infra.template import load_resources

    declared = load_resources()["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    found: dict[str, dict[str, Any]] = {}
    for kind, spec in declared["x-amazon-apigateway-gateway-responses"].items():
        body = json.loads(spec["responseTemplates"]["application/json"])
        found[kind] = {"status": int(spec.get("statusCode", 0)), "body": body}
    return found


def gateway_body(kind: str, status: int) -> tuple[int, dict[str, Any]]:
    """What API Gateway answers for a gateway response type (its DEFAULT_4XX/5XX when not declared)."""
    responses = gateway_responses()
    fallback = "DEFAULT_5XX" if status >= 500 else "DEFAULT_4XX"
    chosen = responses.get(kind) or responses[fallback]
    return chosen["status"] or status, dict(chosen["body"])


class BurstServer(ThreadedHTTPServer):
    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True


class GatewayRequestHandler(ChaliceRequestHandler):
    """Chalice's handler, with API Gateway's answers for what matches no route and for what is malformed."""

    def parse_request(self) -> bool:
        parsed: bool = super().parse_request()
        if parsed and len(self.path) > MAX_URL_CHARS:
            self.send_error(414)  # API Gateway's limit is below http.server's own 65,536
            return False
        return parsed

    def _generic_handle(self) -> None:
        length = self.headers.get("content-length", "0") or "0"
        if not length.isdigit():
            self._answer(400, {"code": "BAD_REQUEST", "message": "请求头 Content-Length 不正确", "details": None})
            return
        if int(length) > MAX_BODY_BYTES:
            status, body = gateway_body("REQUEST_TOO_LARGE", 413)
            self._answer(status, body)
            return
        super()._generic_handle()

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _generic_handle

    def _send_error_response(self, error: Any) -> None:
        if isinstance(error, ForbiddenError):
            # Chalice's local gateway raises this for a path no route matches (API Gateway's "Missing
            # Authentication Token"), which the template turns into a 404 in the API's shape.
            status, body = gateway_body("MISSING_AUTHENTICATION_TOKEN", 404)
            self._answer(status, body)
            return
        status, body = gateway_body("DEFAULT_4XX" if error.CODE < 500 else "DEFAULT_5XX", error.CODE)
        self._answer(status, body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a bad request line, an over-long line, too many headers) in our shape."""
        words = {
            400: ("BAD_REQUEST", "请求格式不正确"),
            414: ("URI_TOO_LONG", "请求地址过长（最长 8192 个字符）"),
            431: ("HEADERS_TOO_LARGE", "请求头过大"),
            501: ("METHOD_NOT_SUPPORTED", "不支持该请求方法"),
            505: ("HTTP_VERSION_NOT_SUPPORTED", "不支持该 HTTP 版本"),
        }
        machine, chinese = words.get(code, ("BAD_REQUEST", "请求无法处理"))
        self._answer(code, {"code": machine, "message": chinese, "details": None})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if getattr(self, "request_version", "") in ("", "HTTP/0.9"):
            self.request_version = "HTTP/1.1"  # a request line that did not parse: answer with a status line
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Connection", "close")  # what was refused may have left a body unread
        self.close_connection = True
        self.end_headers()
        if getattr(self, "command", "") != "HEAD":
            self.wfile.write(payload)

    def end_headers(self) -> None:
        # Route answers already carry these (chalicelib.http); the gateway's own answers get them here.
        sent = {line.split(b":", 1)[0].strip().lower() for line in getattr(self, "_headers_buffer", [])}
        for name, value in API_SECURITY_HEADERS.items():
            if name.lower().encode() not in sent:
                self.send_header(name, value)
        super().end_headers()


def create_api_server(app: Any, config: Any, host: str, port: int) -> LocalDevServer:
    """chalice.local.create_local_server, with the burst-ready server and the gateway's answers."""
    from chalice.local import CustomLocalChalice, LocalChalice

    CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
    app.__class__ = CustomLocalChalice
    return LocalDevServer(app, config, host, port, handler_cls=GatewayRequestHandler, server_cls=BurstServer)


def web_security_headers(api_origin: str, uploads_origin: str) -> dict[str, str]:
    """The web UI's security headers from the template's CloudFront response headers policy, with this run's
    API and S3 addresses where the policy names the deployed ones."""
    from infra.template import load_resources

    config = load_resources()["Resources"]["WebResponseHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    security = config["SecurityHeadersConfig"]
    template, _ = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    csp = template.replace("${ApiOrigin}", api_origin).replace("${UploadsOrigin}", uploads_origin)
    hsts = security["StrictTransportSecurity"]
    return {
        "Content-Security-Policy": csp,
        "Strict-Transport-Security": f"max-age={hsts['AccessControlMaxAgeSec']}"
        + ("; includeSubDomains" if hsts.get("IncludeSubdomains") else ""),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": security["FrameOptions"]["FrameOption"],
        "Referrer-Policy": security["ReferrerPolicy"]["ReferrerPolicy"],
    }
