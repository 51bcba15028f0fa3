"""Every code the mall writes has the words a user reads: actions, objects, fields, values."""

from __future__ import annotations

import re
from pathlib import Path

from chalicelib.domain import labels
from chalicelib.domain.ratings import RatingTarget
from chalicelib.domain.site_admin import ChangeKind
from tests.conftest import ROOT

# An audit action is a dotted lower-case literal, written where an event is made.
ACTION_LITERAL = re.compile(
    r'"((?:site|buyer_org|supplier|listing|plan|order|competition|quote|bid|evaluation|award|'
    r'timer|report|history)\.[a-z_]+(?:\.[a-z_]+)?)"'
)


def written_actions() -> set[str]:
    found: set[str] = set()
    for folder in ("chalicelib", "scheduled"):
        for path in Path(ROOT, folder).rglob("*.py"):
            if path.name == "labels.py":
                continue
            found |= set(ACTION_LITERAL.findall(path.read_text(encoding="utf-8")))
    # The two families built with f-strings.
    found |= {f"site.{k.value}.{verb}" for k in ChangeKind for verb in ("changed", "scheduled", "schedule_cancelled")}
    found |= {f"order.rated.{t.value}" for t in RatingTarget}
    # Literals of the same shape that are not actions: a demo username, a prefix matched with startswith.
    return {a for a in found if not a.endswith("_") and a not in {"supplier.demo"}}


def test_every_action_written_has_a_label() -> None:
    actions = written_actions()
    assert len(actions) > 50
    missing = sorted(a for a in actions if a not in labels.ACTION_LABELS)
    assert missing == []


def test_changes_are_rows_of_words() -> None:
    event = {
        "entity_type": "order",
        "action": "order.confirmed",
        "actor": {"role": "supplier"},
        "before": {"status": "pending_confirmation", "total_fen": 28600, "contact": {"name": "张敏"}},
        "after": {"status": "confirmed", "total_fen": 28600, "contact": {"name": "李明"}},
    }
    shown = labels.described(event)
    assert shown["action_label"] == "供应商确认订单" and shown["entity_label"] == "订单"
    assert shown["actor"]["role_label"] == "供应商"
    assert shown["changes"] == [
        {"field": "status", "label": "状态", "before": "待确认", "after": "已确认"},
        {"field": "contact.name", "label": "联系人信息·名称", "before": "张敏", "after": "李明"},
    ]
    limits = labels.changes(
        {
            "entity_type": "site",
            "before": {"per_order_cap_fen": 100_000_000},
            "after": {"per_order_cap_fen": 50_000_000},
        }
    )
    assert limits == [
        {"field": "per_order_cap_fen", "label": "单笔订单限额", "before": "100.00 万元", "after": "50.00 万元"}
    ]
    assert labels.field_label("lines.0.quantity") == "订单明细第 1 项·数量"
    assert labels.value_text("site", "methods", ["direct", "batch"]) == "直购、批量采购（优惠率）"
    assert labels.value_text("site", "sme_deduction_bp", 1000) == "10.00%"
    assert labels.value_text("order", "updated_at", "2024-01-14T16:30:00.000Z") == "2024-01-15 00:30"


def test_every_request_field_has_a_label() -> None:
    """A validation error names the field in Chinese: every field of every request model has a label."""
    import importlib
    import inspect
    import pkgutil

    from pydantic import BaseModel

    import chalicelib.schemas as schemas

    # schemas/responses/ describes answers (what the API sends), not requests: its fields are never a validation error.
    names = [m.name for m in pkgutil.iter_modules(schemas.__path__) if m.name != "responses"]
    modules = [importlib.import_module(f"chalicelib.schemas.{name}") for name in names]
    modules += [importlib.import_module(f"chalicelib.handlers.{m}") for m in ("accounts", "notifications")]
    fields = {
        name
        for module in modules
        for model in vars(module).values()
        if inspect.isclass(model) and issubclass(model, BaseModel) and model.__module__ == module.__name__
        for name in model.model_fields
    }
    assert len(fields) > 100
    assert sorted(f for f in fields if f not in labels.FIELD_LABELS) == []
