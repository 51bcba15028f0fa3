"""The API's OpenAPI 3.1 description, generated from the route table and the pydantic schemas: no hand-written copy.

- Routes, methods and roles come from `chalicelib.http.ROUTE_POLICIES` (what `api_route` registered).
- A route's request body and query string are the StrictBody / QueryParams models its view parses: read off the
  view's code (the names it loads or imports), and off the handler functions it calls in its own module.
- Error codes: every `DomainError` the code raises with a literal code (found in the source, with its class's
  status and its Chinese message) make the catalogue `x-error-codes`; each operation lists those its view and the
  chalicelib functions it reaches raise, plus those the HTTP edge raises for every route of its kind.
- The integration endpoints carry their signature scheme; docs/events.md's events are JSON Schema
  (chalicelib.event_schemas) under `x-events`.

Built on first request and cached: nothing here is on the import path of the API's routes.
"""

from __future__ import annotations

import ast
import dis
import functools
import importlib
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from types import CodeType, FunctionType, ModuleType
from typing import Any

from chalicelib.domain.errors import DomainError
from chalicelib.domain.principals import Role

PACKAGE_ROOT = Path(__file__).resolve().parent
CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
CJK = re.compile(r"[\u4e00-\u9fff]")
PATH_PARAM = re.compile(r"{(\w+)}")
API_VERSION = "1.0.0"
SIGNED_PREFIX = "/integration/"

# Tags: the area a route belongs to, by its handler module, in the words of the mall.
TAGS: dict[str, tuple[str, str]] = {
    "auth": ("登录与账号安全", "登录换取令牌、修改与找回密码"),
    "accounts": ("采购单位账号", "采购中心为采购单位开设、停用账号"),
    "sites": ("站点配置", "城市站点的限额、采购方式、区划与外观，以及健康检查"),
    "orgs": ("采购单位", "站点的采购单位名录"),
    "suppliers": ("供应商", "供应商注册、资质材料、审核与处理"),
    "listings": ("商品", "供应商的商品上架、审核、下架"),
    "media": ("商品图片", "商品图片的上传确认与处理状态"),
    "catalog": ("商品目录与搜索", "商城目录、搜索、比价与商品详情"),
    "pavilions": ("特色馆", "扶贫、中小企业等特色馆"),
    "plans": ("采购计划", "采购计划的推送、自建、接收与退回"),
    "orders": ("订单", "直购订单及其确认、发货、验收、结算、评价"),
    "competitions": ("竞价与反拍", "竞价、反向竞价项目与报价、成交确认"),
    "batches": ("批量采购", "批量采购的报名、优惠率报价与成交"),
    "agreements": ("框架协议采购", "框架协议的直接选定、二次竞价与顺序轮候"),
    "designations": ("定点采购", "定点采购的供应商与下单"),
    "bulletins": ("公告", "站点公告的发布与撤回"),
    "notifications": ("站内消息", "站内信的查看与已读"),
    "workbench": ("工作台", "各角色的待办与概览"),
    "reports": ("统计报表", "统计报表的生成与下载"),
    "analytics": ("统计分析", "交易统计的查询"),
    "open_data": ("公开数据", "按开放合同数据标准（OCDS）公开的成交数据"),
    "supervision": ("监督检查", "巡检、整改、信用记录与厂商调价"),
    "alerts": ("预警", "价格、履约等预警规则与处理"),
    "complaints": ("质疑投诉", "质疑、投诉的提交与处理"),
    "service_desk": ("服务台", "咨询工单与常见问题"),
    "contract": ("接口说明", "本接口描述本身"),
}
# The words of each path segment: an operation's Chinese title is its segments' words and its method's verb.
SEGMENT_WORDS: dict[str, str] = {
    "accept": "接收",
    "accounts": "账号",
    "agreements": "框架协议",
    "alert-rules": "预警阈值",
    "alerts": "预警",
    "answer": "答复",
    "attachments": "附件",
    "audit": "审计日志",
    "auth": "登录",
    "batches": "批量采购",
    "bidding": "二次竞价",
    "bids": "报价",
    "brands": "品牌",
    "bulletins": "公告",
    "calls": "调用",
    "cancel": "取消",
    "catalog": "商品目录",
    "changes": "变更",
    "checkout": "结算",
    "close": "关闭",
    "compare": "对比",
    "competitions": "竞价与反拍",
    "complaints": "质疑投诉",
    "config": "配置",
    "confirm": "确认",
    "contact": "联系方式",
    "correction": "整改",
    "credit": "信用",
    "credit-notices": "信用处理告知",
    "decision": "决定",
    "decline": "拒绝",
    "delist": "下架",
    "designations": "定点采购",
    "disable": "停用",
    "documents": "资料",
    "enable": "启用",
    "entries": "报名",
    "escalate": "升级处理",
    "evaluation": "评审",
    "expel": "清退",
    "export": "导出",
    "faq": "常见问题",
    "featured": "推荐",
    "figures": "数据",
    "files": "文件",
    "findings": "问题",
    "followups": "回访",
    "handle": "处理",
    "health": "健康检查",
    "images": "图片",
    "industries": "行业",
    "inspections": "巡检",
    "integration": "平台对接",
    "jobs": "生成任务",
    "limits": "限额",
    "listing-images": "商品图片",
    "listings": "商品",
    "login": "登录",
    "manage": "管理",
    "me": "本人",
    "members": "成员",
    "methods": "采购方式",
    "mine": "我的",
    "notifications": "站内消息",
    "offer": "报价",
    "open-data": "公开数据",
    "openapi.json": "接口描述",
    "options": "选项",
    "orders": "订单",
    "orgs": "采购单位",
    "packages": "采购包",
    "password": "密码",
    "password-reset": "找回密码",
    "pavilions": "特色馆",
    "payments": "支付回告",
    "plans": "采购计划",
    "price": "价格",
    "price-notices": "厂商调价",
    "prices": "价格",
    "province": "全省",
    "queue": "队列",
    "quote": "报价",
    "ratings": "评价",
    "read": "已读",
    "read-all": "全部已读",
    "register": "注册",
    "reinstate": "恢复",
    "relaunch": "重新发起",
    "reports": "统计报表",
    "resubmit": "重新提交",
    "return": "退回",
    "review": "审核",
    "rules": "规则",
    "search": "搜索",
    "ship": "发货",
    "sites": "站点",
    "standing": "信用状况",
    "statement": "说明",
    "status": "状态",
    "stock": "库存",
    "submit": "提交",
    "suggest": "联想",
    "summary": "汇总",
    "supervision": "监督",
    "suppliers": "供应商",
    "suspend": "暂停",
    "termination": "终止",
    "tickets": "工单",
    "unread": "未读",
    "withdraw": "撤回",
    "workbench": "工作台",
}
METHOD_VERBS = {"GET": "查询", "POST": "新建", "PUT": "修改", "PATCH": "修改", "DELETE": "删除"}


# What a client (and Schemathesis's stateful run) can do next with what a create returned: OpenAPI links.
def _link(operation_id: str, key: str | None = None, body: str | None = None) -> dict[str, Any]:
    """A link to `operation_id` in the same site, passing the response's `key` as its path parameter, or its
    `body` field into the next request's body."""
    link: dict[str, Any] = {"operationId": operation_id, "parameters": {"site_id": "$request.path.site_id"}}
    if key:
        link["parameters"][key] = f"$response.body#/{key}"
    if body:
        link["requestBody"] = {body: f"$response.body#/{body}"}
    return link


LINKS: dict[str, dict[str, dict[str, Any]]] = {
    "plans.create_plan": {
        "PlanDetail": _link("plans.plan_detail", key="plan_no"),
        "AcceptPlan": _link("plans.accept_plan", key="plan_no"),
        "OrderAgainstPlan": _link("orders.place_order", body="plan_no"),
    },
    "plans.accept_plan": {"OrderAgainstAcceptedPlan": _link("orders.place_order", body="plan_no")},
    "orders.place_order": {
        "OrderDetail": _link("orders.order_detail", key="order_no"),
        "CancelOrder": _link("orders.cancel_order", key="order_no"),
    },
}
# Who a route is for, in the words of the role names.
ROLE_WORDS = {role.value: role.label for role in Role}

# What the gateway and Chalice answer before any view runs (the rest of the edge's codes are read off its source).
EDGE_CODES: dict[str, tuple[int, str]] = {
    "NOT_FOUND": (404, "接口不存在"),
    "METHOD_NOT_ALLOWED": (405, "不支持该请求方法"),
    "BAD_REQUEST": (400, "请求格式不正确"),
    "URI_TOO_LONG": (414, "请求地址过长（最长 8192 个字符）"),
    "PAYLOAD_TOO_LARGE": (413, "请求体过大"),
    "UNSUPPORTED_MEDIA_TYPE": (415, "请求体须为 JSON（Content-Type: application/json）"),
    "INTERNAL_ERROR": (500, "系统繁忙，请稍后重试"),
}
# The edge's own modules: what each kind of route may meet before its view decides anything.
EVERY_ROUTE = ("http.py", "faults.py")
PROTECTED_ROUTE = ("auth.py", "domain/principals.py")
PARSING_ROUTE = ("validation.py",)
WRITING_ROUTE = ("store/tx.py",)
STATUS_WORDS: dict[int, str] = {
    400: "请求格式或字段不正确",
    401: "未登录或登录已失效",
    403: "无权进行此操作",
    404: "对象不存在或不可见",
    409: "状态已变化或重复提交",
    413: "请求体过大",
    414: "请求地址过长",
    415: "请求体须为 JSON",
    422: "业务规则不允许",
    429: "请求过于频繁",
    500: "系统内部错误",
    503: "服务暂时繁忙，可稍后重试（见 Retry-After）",
}


# ---------------------------------------------------------------- the error catalogue, from the source


@functools.cache
def _statuses_by_class() -> dict[str, int]:
    from chalicelib.http import STATUS_BY_ERROR

    return {cls.__name__: status for cls, status in STATUS_BY_ERROR.items()}


def _status_of(class_name: str) -> int | None:
    return _statuses_by_class().get(class_name)


def _message_text(node: ast.AST | None) -> str:
    """A message literal as the user reads it; the parts filled in at run time shown as …."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else "…" for v in node.values)
    return ""


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _literal_codes(node: ast.AST | None) -> list[str]:
    """`"CODE"`, or either branch of `"A" if … else "B"`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE_PATTERN.match(node.value):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literal_codes(node.body) + _literal_codes(node.orelse)
    return []


def _guessed_status(code: str) -> int:
    """The status of a code raised through a helper (a guard's tuple, a refusal builder), by how it is named."""
    if code.startswith("NOT_") or code.endswith("_FORBIDDEN"):
        return 403
    if code.endswith("_NOT_FOUND") or code.endswith("_UNKNOWN"):
        return 404 if code.endswith("_NOT_FOUND") else 400
    if code.endswith(("_CONFLICT", "_PENDING", "_EXISTS", "_CLOSED", "_ENDED")):
        return 409
    if code.endswith(("_REQUIRED", "_INVALID", "_MALFORMED")):
        return 400
    return 422


def _raised_codes(tree: ast.AST) -> Iterator[tuple[str, int, str, bool]]:
    """(code, status, message, certain) of each error code in a piece of source: certain when built by an error
    class whose status is known; otherwise a code beside its Chinese message in a helper's call or tuple."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            certain = list(_constructed(node))
            if certain:
                yield from certain
                continue
        if isinstance(node, ast.Call | ast.Tuple):
            yield from _beside_words(node)
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "code" for t in node.targets):
            # `code = "A" if unknown else "B"`, then `InvalidInput(…, code=code)`.
            for code in _literal_codes(node.value):
                yield code, _guessed_status(code), "", False


def _constructed(node: ast.Call) -> Iterator[tuple[str, int, str, bool]]:
    """`Conflict("…", code="X")`, and lifecycle's `Subject(noun, conflict code, party code)`."""
    name = _call_name(node)
    status = _status_of(name)
    if status is not None:
        message = _message_text(node.args[0]) if node.args else ""
        for keyword in node.keywords:
            if keyword.arg == "code":
                for code in _literal_codes(keyword.value):
                    yield code, status, message, True
    elif name == "Subject" and len(node.args) == 3:
        for arg, code_status in zip(node.args[1:], (409, 403), strict=True):
            for code in _literal_codes(arg):
                yield code, code_status, "", True


def _beside_words(node: ast.Call | ast.Tuple) -> Iterator[tuple[str, int, str, bool]]:
    parts = node.args if isinstance(node, ast.Call) else node.elts
    words = next((t for t in map(_message_text, parts) if CJK.search(t)), "")
    if not words:
        return
    status_hint = 422 if isinstance(node, ast.Call) and "refuse" in _call_name(node) else None
    for part in parts:
        for code in _literal_codes(part):
            yield code, status_hint or _guessed_status(code), words, False


@functools.lru_cache(maxsize=1)
def error_catalogue() -> dict[str, dict[str, Any]]:
    """Every error code the API can answer with: its status (`statuses` when places raise it with more than one)
    and its meaning in Chinese."""
    found: dict[str, dict[str, Any]] = {c: {"statuses": {s}, "message": m} for c, (s, m) in EDGE_CODES.items()}
    guessed: dict[str, dict[str, Any]] = {}
    for path in sorted(PACKAGE_ROOT.rglob("*.py")):
        raised, computed = _read_source(path.relative_to(PACKAGE_ROOT).as_posix())
        for code, status, message, certain in raised:
            # A module that raises codes it computed (`RuleViolation(found[1], code=found[0])`) with one class:
            # its helpers' codes take that class's status rather than a guess from their names.
            if not certain and len(computed) == 1:
                status = next(iter(computed))
            entry = (found if certain else guessed).setdefault(code, {"statuses": set(), "message": message})
            entry["statuses"].add(status)
            if not entry["message"] and message:
                entry["message"] = message
    for code, entry in guessed.items():
        found.setdefault(code, entry)
    from chalicelib.http import STATUS_BY_ERROR

    for cls, status in STATUS_BY_ERROR.items():
        found.setdefault(cls.default_code, {"statuses": {status}, "message": STATUS_WORDS.get(status, "请求无法处理")})
    catalogue: dict[str, dict[str, Any]] = {}
    for code, entry in sorted(found.items()):
        statuses = sorted(entry["statuses"])
        message = entry["message"] or f"{STATUS_WORDS.get(statuses[0], '请求无法处理')}（具体原因见 message）"
        catalogue[code] = {"status": statuses[0], "message": message}
        if len(statuses) > 1:
            catalogue[code]["statuses"] = statuses
    return catalogue


def _computed_code_statuses(tree: ast.AST) -> set[int]:
    statuses = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (status := _status_of(_call_name(node))) is not None:
            for keyword in node.keywords:
                if keyword.arg == "code" and not isinstance(keyword.value, ast.Constant | ast.IfExp | ast.Name):
                    statuses.add(status)
    return statuses


# ---------------------------------------------------------------- what a view reaches


def _imported_names(code: CodeType) -> dict[str, str]:
    """Names a function imports in its body (`from m import X`) -> the module they come from."""
    found: dict[str, str] = {}
    module = ""
    for instruction in dis.get_instructions(code):
        if instruction.opname == "IMPORT_NAME":
            module = str(instruction.argval)
        elif instruction.opname == "IMPORT_FROM" and module:
            found[str(instruction.argval)] = module
    return found


def _code_objects(code: CodeType) -> Iterator[CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _code_objects(const)


def _resolve(name: str, fn: FunctionType, imported: dict[str, str]) -> Any:
    if name in imported:
        try:
            found = getattr(importlib.import_module(imported[name]), name, None)
        except ImportError:
            return None
    else:
        found = fn.__globals__.get(name)
    return inspect.unwrap(found) if callable(found) and hasattr(found, "__wrapped__") else found  # lru_cache'd


def _reached(fn: FunctionType, depth: int = 6) -> Iterator[tuple[FunctionType, Any]]:
    """(function, object) for every global or imported name the view and the chalicelib functions it calls use.

    Names are read off the bytecode: globals and imports as such, attributes only after a module (`plans.refuse`)
    or the store wiring (`stores().ratings`), so `stores().inbox` is not taken for a view named `inbox`."""
    seen: set[int] = set()
    todo: list[tuple[FunctionType, int]] = [(fn, 0)]
    while todo:
        current, level = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current, None  # every function reached, even one that names nothing global
        codes = list(_code_objects(current.__code__))
        imported: dict[str, str] = {}
        for code in codes:
            imported.update(_imported_names(code))  # a closure uses what its outer function imported
        for code in codes:
            names, attributes = _names_and_attributes(code, imported)
            for name in names:
                target = _resolve(name, current, imported)
                if isinstance(target, ModuleType) and target.__name__.startswith("chalicelib."):
                    members = (getattr(target, a, None) for a in attributes)
                    todo.extend((m, level + 1) for m in members if isinstance(m, FunctionType) and level < depth)
                    continue
                yield current, target
                if isinstance(target, FunctionType) and target.__module__.startswith("chalicelib.") and level < depth:
                    todo.append((target, level + 1))
                    todo.extend((prop, level + 1) for prop in _wired_stores(target, attributes))


def _names_and_attributes(code: CodeType, imported: dict[str, str]) -> tuple[set[str], tuple[str, ...]]:
    names: set[str] = set()
    attributes: list[str] = []
    for instruction in dis.get_instructions(code):
        is_global = instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME")
        is_import = instruction.opname in ("LOAD_DEREF", "LOAD_FAST", "IMPORT_FROM") and instruction.argval in imported
        if is_global or is_import:
            names.add(str(instruction.argval))
        elif instruction.opname in ("LOAD_ATTR", "LOAD_METHOD"):
            attributes.append(str(instruction.argval))
    return names, tuple(attributes)


def _wired_stores(target: FunctionType, names: tuple[str, ...]) -> list[FunctionType]:
    """The store properties of the wiring a function asks for after calling `stores()`."""
    if target.__module__ != "chalicelib.wiring" or target.__name__ != "stores":
        return []
    from chalicelib.wiring import Stores

    found = [getattr(Stores.__dict__.get(name), "func", None) for name in names]
    return [f for f in found if isinstance(f, FunctionType)]


def _codes_reached(fn: FunctionType) -> set[str]:
    catalogue = error_catalogue()
    codes: set[str] = set()
    reached: dict[int, FunctionType] = {id(fn): fn}
    for user, target in _reached(fn):
        reached[id(user)] = user
        # Module-level declarations the code consults: a Subject, a table of moves and their guards.
        codes |= _strings_in(target, catalogue)
        # A store class or function the view uses: the conditions its writes refuse with.
        owner = getattr(target, "__module__", None)
        if isinstance(owner, str) and owner.startswith("chalicelib.store."):
            codes |= _codes_in_file(owner.removeprefix("chalicelib.").replace(".", "/") + ".py")
    for function in reached.values():
        for code in _code_objects(function.__code__):
            codes |= _strings_in(code.co_consts, catalogue)  # constant tuples too: `return "CODE", "说明"`
    return codes


def _strings_in(value: Any, catalogue: dict[str, Any], depth: int = 4) -> set[str]:
    if isinstance(value, str):
        return {value} if value in catalogue else set()
    if isinstance(value, DomainError):
        return {value.code}  # a refusal prepared at module level (accounts.WRONG_CODE)
    if depth == 0 or isinstance(value, type | FunctionType | ModuleType):
        return set()
    if isinstance(value, dict):
        return set().union(*(_strings_in(v, catalogue, depth - 1) for v in value.values()))
    if isinstance(value, tuple | list | frozenset | set):
        return set().union(*(_strings_in(v, catalogue, depth - 1) for v in value))
    return set()


@functools.cache
def _models_of(fn: FunctionType) -> tuple[tuple[type[Any], ...], tuple[type[Any], ...]]:
    """The body and query models the view parses (directly or through a helper of its handler module)."""
    from chalicelib.validation import QueryParams, StrictBody

    bodies: dict[int, type[Any]] = {}
    queries: dict[int, type[Any]] = {}
    for user, target in _reached(fn, depth=2):
        if not user.__module__.startswith("chalicelib.handlers"):
            continue
        if isinstance(target, type) and issubclass(target, StrictBody) and target is not StrictBody:
            bodies[id(target)] = target
        elif isinstance(target, type) and issubclass(target, QueryParams) and target is not QueryParams:
            queries[id(target)] = target
    return tuple(bodies.values()), tuple(queries.values())


def _uses(fn: FunctionType, name: str) -> bool:
    return any(getattr(target, "__name__", None) == name for _, target in _reached(fn, depth=1))


# ---------------------------------------------------------------- the description


def _error_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "错误：机器可读的 code、给用户看的中文 message、以及细节（字段错误时为字段列表）",
        "required": ["code", "message", "details"],
        "properties": {
            "code": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$", "description": "错误码（见 x-error-codes）"},
            "message": {"type": "string", "description": "中文说明"},
            "details": {
                "description": "细节：字段错误为 [{field, label, message}]，其他为对象或 null",
                "anyOf": [
                    {"type": "null"},
                    {"type": "object"},
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "field": {"type": "string"},
                                "label": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        },
                    },
                ],
            },
        },
    }


def _error_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": STATUS_WORDS[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if status in (409, 429, 503):
        response["headers"] = {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}}
    return response


def _path_parameters(path: str) -> list[dict[str, Any]]:
    from chalicelib.domain.sites import SITE_ID_PATTERN

    parameters = []
    for name in PATH_PARAM.findall(path):
        schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 200}
        if name == "site_id":
            schema = {"type": "string", "pattern": SITE_ID_PATTERN.pattern}
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return parameters


class ModelSchemas:
    """The JSON Schema of every body and query model, made together by pydantic so that two models of the same
    name in different modules (and the models they nest) get distinct names and every $ref points at its own."""

    def __init__(self, found: list[type[Any]]) -> None:
        from pydantic.json_schema import models_json_schema

        unique = list({id(m): m for m in found}.values())
        self._refs, top = models_json_schema(
            [(m, "validation") for m in unique], ref_template="#/components/schemas/{model}"
        )
        self.schemas: dict[str, Any] = top.get("$defs", {})

    def reference(self, model: type[Any]) -> dict[str, Any]:
        return dict(self._refs[(model, "validation")])

    def definition(self, model: type[Any]) -> dict[str, Any]:
        import copy

        name = self.reference(model)["$ref"].rsplit("/", 1)[-1]
        return copy.deepcopy(self.schemas[name])


def _query_parameters(model: type[Any], models: ModelSchemas) -> list[dict[str, Any]]:
    schema = models.definition(model)
    required = set(schema.get("required", []))
    parameters = []
    for name, prop in schema.get("properties", {}).items():
        description = prop.pop("description", "") if isinstance(prop, dict) else ""
        prop = _without_null(prop)
        parameters.append(
            {"name": name, "in": "query", "required": name in required, "schema": prop, "description": description}
        )
    return parameters


def title_of(path: str, method: str) -> str:
    """GET /sites/{site_id}/orders → 订单 · 查询; POST …/orders/{order_no}/confirm → 订单 · 确认."""
    segments = [p for p in path.strip("/").split("/") if not p.startswith("{") and p != "sites"]
    words = [SEGMENT_WORDS.get(p, p) for p in segments] or ["站点"]
    last_is_action = len(segments) > 1 and method == "POST" and not path.endswith("}")
    if not last_is_action:
        words.append(METHOD_VERBS.get(method, method))
    return " · ".join(dict.fromkeys(words))


def _model(name: str) -> type[Any]:
    """A route's answer model by its name in api_route: "orders:OrderView" is chalicelib.schemas.responses.orders."""
    area, _, attribute = name.partition(":")
    found: type[Any] = getattr(importlib.import_module(f"chalicelib.schemas.responses.{area}"), attribute)
    return found


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query string has no null: an optional parameter is simply left out."""
    options = schema.get("anyOf")
    if isinstance(options, list):
        rest = [o for o in options if o != {"type": "null"}]
        if len(rest) == 1:
            merged = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
            return {**merged, **rest[0]}
    return {k: v for k, v in schema.items() if not (k == "default" and v is None)}


def _operation(policy: Any, method: str, models: ModelSchemas) -> dict[str, Any]:
    fn = policy.handler
    module = fn.__module__.rsplit(".", 1)[-1]
    bodies, queries = _models_of(fn)
    doc = inspect.getdoc(fn) or ""
    operation: dict[str, Any] = {
        "operationId": f"{module}.{fn.__name__}",
        "x-title": title_of(policy.path, method),
        "tags": [TAGS.get(module, (module, ""))[0]],
        "summary": doc.split("\n\n")[0].replace("\n", " ")[:200] or fn.__name__.replace("_", " "),
        "parameters": _path_parameters(policy.path),
    }
    if doc:
        operation["description"] = doc
    roles = sorted(r.value for r in policy.roles) if policy.roles is not None else []
    operation["x-roles"] = roles
    operation["x-role-names"] = [ROLE_WORDS[r] for r in roles]
    if policy.path.startswith(SIGNED_PREFIX):
        operation["security"] = [{"platformSignature": [], "platformTimestamp": [], "platformNonce": []}]
    elif policy.roles is None:
        operation["security"] = []
    else:
        operation["security"] = [{"bearerAuth": []}]
    for model in queries:
        operation["parameters"].extend(_query_parameters(model, models))
    if method in ("POST", "PUT", "PATCH") and bodies:
        refs = [models.reference(m) for m in bodies]
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[0] if len(refs) == 1 else {"oneOf": refs}}},
        }
    if method == "POST" and _uses(fn, "run_once"):
        operation["parameters"].append({"$ref": "#/components/parameters/IdempotencyKey"})
    operation["responses"] = _responses()
    if policy.response is not None:
        operation["responses"]["2XX"]["content"]["application/json"]["schema"] = models.reference(
            _model(policy.response)
        )
    links = LINKS.get(operation["operationId"])
    if links:
        operation["responses"]["2XX"]["links"] = {name: dict(link) for name, link in links.items()}
    codes = _codes_reached(fn) | _edge_codes(policy, method, bool(bodies or queries), module)
    if any("cursor" in q.model_fields for q in queries):
        codes |= _codes_in_file("store/paging.py")
    catalogue = error_catalogue()
    operation["x-error-codes"] = {code: dict(catalogue[code]) for code in sorted(codes)}
    return operation


def _edge_codes(policy: Any, method: str, parses: bool, module: str) -> set[str]:
    files = list(EVERY_ROUTE)
    if policy.roles is not None or policy.path.startswith("/auth/"):
        files += PROTECTED_ROUTE  # logging in checks the same claims the token will carry
    if parses:
        files += PARSING_ROUTE
    if method != "GET":
        # The view's own store module (a write's conditions) and the transaction every write goes through.
        files += [*WRITING_ROUTE, f"store/{module}.py"]
    codes = {"INTERNAL_ERROR", "PAYLOAD_TOO_LARGE"} | ({"UNSUPPORTED_MEDIA_TYPE"} if parses else set())
    return codes | set().union(*(_codes_in_file(f) for f in files))


def _codes_in_file(relative: str) -> frozenset[str]:
    if not (PACKAGE_ROOT / relative).exists():
        return frozenset()
    raised, _ = _read_source(relative)
    return frozenset(code for code, *_ in raised)


@functools.cache
def _read_source(relative: str) -> tuple[tuple[tuple[str, int, str, bool], ...], frozenset[int]]:
    """One module of chalicelib, parsed once: the codes it raises, and the statuses it raises computed codes with."""
    tree = ast.parse((PACKAGE_ROOT / relative).read_text(encoding="utf-8"))
    return tuple(_raised_codes(tree)), frozenset(_computed_code_statuses(tree))


def _responses() -> dict[str, Any]:
    responses: dict[str, Any] = {
        "2XX": {
            "description": "成功",
            "headers": {"X-Request-Id": {"$ref": "#/components/headers/RequestId"}},
            "content": {"application/json": {"schema": {}}},
        }
    }
    # Every status the edge may answer for any route (a public route still refuses a wrong password with 401,
    # any request may meet a throttled dependency); which codes come with each: the operation's x-error-codes.
    for status in sorted(STATUS_WORDS):
        responses[str(status)] = _error_response(status)
    return responses


def _components(schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "schemas": {"Error": _error_schema(), **schemas},
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "POST /auth/login 换取的 Cognito ID 令牌，有效期 1 小时",
            },
            "platformSignature": {
                "type": "apiKey",
                "in": "header",
                "name": "X-Yuncai-Signature",
                "description": '对接平台签名：hex(HMAC-SHA256(密钥, 时间戳 + "\\n" + 随机串 + "\\n" + 请求体原文))；'
                "时间戳与服务器相差不得超过 5 分钟，随机串 10 分钟内不得重复（见 docs/api.md）",
            },
            "platformTimestamp": {
                "type": "apiKey",
                "in": "header",
                "name": "X-Yuncai-Timestamp",
                "description": "Unix 秒级时间戳",
            },
            "platformNonce": {
                "type": "apiKey",
                "in": "header",
                "name": "X-Yuncai-Nonce",
                "description": "每次请求不同的随机串（16–64 位）",
            },
        },
        "parameters": {
            "IdempotencyKey": {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "幂等键（8–128 位字母、数字或 - _ : .）：同键同内容重试返回首次结果；"
                "首次请求仍在处理时返回 409 REQUEST_IN_PROGRESS 与 Retry-After，稍候用同一键重试",
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9_\\-:.]{8,128}$"},
            }
        },
        "headers": {
            "RequestId": {"description": "本次请求的编号（报障时提供）", "schema": {"type": "string"}},
            "RetryAfter": {"description": "可在多少秒后重试同一请求", "schema": {"type": "integer", "minimum": 1}},
        },
    }


@functools.lru_cache(maxsize=1)
def describe() -> dict[str, Any]:
    """The whole description (cached for the life of the function instance)."""
    from chalicelib.http import ROUTE_POLICIES

    views = [policy.handler for policy in ROUTE_POLICIES if isinstance(policy.handler, FunctionType)]
    answers = [_model(policy.response) for policy in ROUTE_POLICIES if policy.response is not None]
    models = ModelSchemas([m for view in views for found in _models_of(view) for m in found] + answers)
    paths: dict[str, dict[str, Any]] = {}
    for policy in ROUTE_POLICIES:
        for method in policy.methods:
            paths.setdefault(policy.path, {})[method.lower()] = _operation(policy, method, models)
    schemas = dict(models.schemas)
    _drop_unused(schemas, paths)
    used = {op["tags"][0] for ops in paths.values() for op in ops.values()}
    tags = [{"name": name, "description": words} for name, words in TAGS.values() if name in used]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "云采商城 接口",
            "version": API_VERSION,
            "license": {"name": "仅供对接方使用", "identifier": "LicenseRef-YunCai-Integration"},
            "description": "政府采购网上商城（云采商城）的 HTTP 接口。金额一律为整数“分”；时间为 UTC ISO 8601；"
            "日期为北京时间的 YYYY-MM-DD。错误统一为 {code, message, details}，"
            "各接口可能返回的错误码见 x-error-codes。",
        },
        "servers": [{"url": "/", "description": "本站点的接口地址（部署时为 API Gateway 的 api 阶段）"}],
        "tags": tags,
        "paths": dict(sorted(paths.items())),
        "components": _components(schemas),
        "x-error-codes": error_catalogue(),
        "x-events": _events(),
    }


def _drop_unused(schemas: dict[str, Any], paths: dict[str, Any]) -> None:
    """Nested definitions no operation reaches (a model's $defs that only another model's variant used)."""
    import json

    def refs(value: Any) -> set[str]:
        return set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(value)))

    reached = refs(paths)
    todo = list(reached)
    while todo:
        for name in refs(schemas.get(todo.pop(), {})) - reached:
            reached.add(name)
            todo.append(name)
    for name in list(schemas):
        if name not in reached:
            del schemas[name]


def _events() -> dict[str, Any]:
    from chalicelib.event_schemas import event_schemas

    return event_schemas()
