"""Request bodies and query strings through pydantic, with errors in Chinese.

Bodies are validated strictly in JSON mode: "12" is not an integer, 1.5 is not
an amount in fen, unknown fields are refused. Query strings arrive as text, so
they are validated leniently but still refuse unknown parameters.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.labels import field_label

M = TypeVar("M", bound=BaseModel)


class StrictBody(BaseModel):
    """Base for request bodies."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


class QueryParams(BaseModel):
    """Base for query strings (text in, typed out)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


_TYPE_NAMES = {
    "string_type": "字符串",
    "int_type": "整数",
    "int_from_float": "整数",
    "int_parsing": "整数",
    "bool_type": "布尔值",
    "bool_parsing": "布尔值",
    "list_type": "数组",
    "dict_type": "对象",
    "model_type": "对象",
    "model_attributes_type": "对象",
    "float_type": "数字",
    "date_type": "日期（YYYY-MM-DD）",
}


_FIXED_MESSAGES = {
    "missing": "必填",
    "extra_forbidden": "不支持的字段",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "日期格式应为 YYYY-MM-DD",
    "string_pattern_mismatch": "格式不正确",
}

# Error type -> (message template, the ctx key it quotes).
_BOUNDED_MESSAGES = {
    "string_too_short": ("长度不能少于 {} 个字符", "min_length"),
    "string_too_long": ("长度不能超过 {} 个字符", "max_length"),
    "too_short": ("至少需要 {} 项", "min_length"),
    "too_long": ("最多 {} 项", "max_length"),
    "greater_than": ("须大于 {}", "gt"),
    "greater_than_equal": ("须不小于 {}", "ge"),
    "less_than": ("须小于 {}", "lt"),
    "less_than_equal": ("须不大于 {}", "le"),
    "enum": ("取值无效，可选值：{}", "expected"),
    "literal_error": ("取值无效，可选值：{}", "expected"),
}


def _message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in _FIXED_MESSAGES:
        return _FIXED_MESSAGES[kind]
    if kind in _TYPE_NAMES:
        return f"类型错误，应为{_TYPE_NAMES[kind]}"
    if kind in _BOUNDED_MESSAGES:
        template, key = _BOUNDED_MESSAGES[kind]
        return template.format(ctx.get(key, ""))
    if kind == "value_error":
        # Our own validators raise ValueError with a Chinese message.
        return str(error.get("msg", "")).removeprefix("Value error, ")
    return "取值无效"


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    found = []
    for error in exc.errors(include_url=False, include_context=True, include_input=False):
        loc = ".".join(str(p) for p in error.get("loc", ()) if p != "__root__")
        # A field we do not have is named as the caller wrote it; ours by their Chinese names.
        label = loc if error.get("type") == "extra_forbidden" else field_label(loc) if loc else ""
        found.append({"field": loc, "label": label, "message": _message(error)})
    return found


def _raise_invalid(errors: list[dict[str, str]], what: str) -> None:
    for error in errors:
        error.setdefault("label", field_label(error["field"]) if error["field"] else "")
    summary = "；".join(f"{e['label'] or what}：{e['message']}" for e in errors[:5])
    raise InvalidInput(f"{what}有误：{summary}", code="VALIDATION_FAILED", details=errors)


# Control, format, surrogate and line/paragraph-separator characters: invisible, and some
# (U+202E RIGHT-TO-LEFT OVERRIDE) make "gpj.exe" display as "exe.jpg".
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_LINE_BREAKS = {"\t", "\n", "\r"}
# Names, numbers, codes and file names are one line; notes, reasons and addresses may break lines.
_ONE_LINE_FIELD = re.compile(
    r"(^|_)(name|username|file_name|filename|id|no|code|uscc|brand|model|key|kid|phone|email)$"
)


def _hidden_character(text: str, one_line: bool) -> str | None:
    for ch in text:
        if ch in _LINE_BREAKS and not one_line:
            continue
        if unicodedata.category(ch) in _HIDDEN_CATEGORIES:
            return ch
    return None


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str, str]]:
    """(field path, last key, text) for every string in a decoded body, keys included."""
    if isinstance(value, str):
        yield path, path.rsplit(".", 1)[-1], value
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, "name", str(key)
            yield from _strings(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}" if path else str(index))


def refuse_hidden_characters(value: Any, what: str) -> None:
    """Refuse, with the field and the character named in Chinese, text that hides control or format characters."""
    errors = []
    for path, key, text in _strings(value):
        found = _hidden_character(text, one_line=bool(_ONE_LINE_FIELD.search(key)))
        if found is not None:
            label = unicodedata.name(found, "控制字符")
            errors.append(
                {"field": path, "message": f"不得包含控制字符或不可见的格式字符（U+{ord(found):04X} {label}）"}
            )
    if errors:
        _raise_invalid(errors, what)


def parse_body(raw: bytes, model: type[M]) -> M:
    if not raw or not raw.strip():
        raise InvalidInput("请求体不能为空", code="BODY_REQUIRED")
    try:
        decoded = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError; deep nesting recurses
        raise InvalidInput("请求体不是合法的 JSON", code="MALFORMED_JSON") from exc
    if not isinstance(decoded, dict):
        raise InvalidInput("请求体应为 JSON 对象", code="MALFORMED_JSON")
    refuse_hidden_characters(decoded, "请求参数")
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        _raise_invalid(field_errors(exc), "请求参数")
        raise  # unreachable: keeps type checkers sure we never return None


def parse_query(params: Mapping[str, str] | None, model: type[M]) -> M:
    refuse_hidden_characters(dict(params or {}), "查询参数")
    try:
        return model.model_validate(dict(params or {}))
    except ValidationError as exc:
        _raise_invalid(field_errors(exc), "查询参数")
        raise
