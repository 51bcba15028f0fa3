"""Every answer the API tests receive, held against the published description (chalicelib.openapi).

Api.call (tests/conftest.py) passes each response here: the route and method must be described, the status must
be one the operation lists, an error must be `{code, message, details}` with a code the catalogue knows, and the
body must match the schema the operation gives for that status. So a route left out of the description, a status
it does not list, or a body that breaks its schema fails the test that met it.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from jsonschema import Draft202012Validator


@functools.lru_cache(maxsize=1)
def description() -> dict[str, Any]:
    from chalicelib.openapi import describe

    return describe()


@functools.lru_cache(maxsize=1)
def _templates() -> list[tuple[re.Pattern[str], str]]:
    found = []
    for template in description()["paths"]:
        pattern = re.sub(r"\\{\w+\\}", "[^/]+", re.escape(template))
        found.append((re.compile(f"^{pattern}$"), template))
    # Literal segments win over parameters (/suppliers/me before /suppliers/{uscc}).
    return sorted(found, key=lambda p: p[1].count("{"))


def template_of(path: str) -> str | None:
    bare = path.split("?", 1)[0]
    return next((template for pattern, template in _templates() if pattern.match(bare)), None)


@functools.lru_cache(maxsize=256)
def _validator(pointer: str) -> Draft202012Validator:
    return Draft202012Validator({"components": description()["components"], "$ref": pointer})


def _response_spec(operation: dict[str, Any], status: int) -> dict[str, Any] | None:
    responses = operation["responses"]
    return responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")


def check(method: str, path: str, status: int, content_type: str, body: Any) -> None:
    """Raise AssertionError when the answer is not what the description promises."""
    if method == "OPTIONS":
        return  # CORS preflight: API Gateway's, not an operation
    template = template_of(path)
    if template is None:
        assert status in (403, 404) and isinstance(body, dict) and body.get("code"), (path, status, body)
        return  # no such route: the gateway's answer
    operation = description()["paths"][template].get(method.lower())
    if operation is None:
        assert status in (403, 405), f"{method} {template} is not described but answered {status}"
        return
    spec = _response_spec(operation, status)
    assert spec is not None, f"{method} {template} answered {status}, which its description does not list"
    if status >= 400:
        assert content_type.startswith("application/json"), (method, template, status, content_type)
        errors = sorted(_validator("#/components/schemas/Error").iter_errors(body), key=str)
        assert not errors, f"{method} {template} {status}: {errors[0].message} in {body}"
        listed = operation.get("x-error-codes", {})
        assert body["code"] in listed, f"{method} {template}: {body['code']} is not among the operation's x-error-codes"
        entry = listed[body["code"]]
        assert status in entry.get("statuses", [entry["status"]]), (method, template, body["code"], status, entry)
        return
    schema = spec.get("content", {}).get("application/json", {}).get("schema")
    if schema and content_type.startswith("application/json"):
        # A published answer is a $ref to its model (chalicelib.schemas.responses): one validator per model.
        errors = sorted(_validator(schema["$ref"]).iter_errors(body), key=str)
        assert not errors, f"{method} {template} {status}: {errors[0].json_path}: {errors[0].message}"
