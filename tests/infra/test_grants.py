"""The grants each function's role holds are those its code uses (tests/grants.py records the calls)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from tests import grants
from tests.conftest import Api, Projection


def _without_statement(template: dict[str, Any], role: str, sid: str) -> dict[str, Any]:
    changed = copy.deepcopy(template)
    for policy in changed["Resources"][role]["Properties"]["Policies"]:
        statements = policy["PolicyDocument"]["Statement"]
        policy["PolicyDocument"]["Statement"] = [s for s in statements if s.get("Sid") != sid]
    return changed


def test_a_removed_grant_is_caught(packaged: dict[str, Any]) -> None:
    """The order-outputs function publishes on the order bus: without that grant the check names the call."""
    publish = grants.Call("events:PutEvents", "arn:aws:events:us-east-1:123456789012:event-bus/yuncai-dev-orders")
    calls = {"consume_order_outputs": {publish}}
    env = grants.test_environment()
    assert grants.check(calls, packaged, env).missing == {}
    verdict = grants.check(calls, _without_statement(packaged, "ConsumeOrderOutputsRole", "OrderEventBusPublish"), env)
    assert verdict.missing == {"consume_order_outputs": [publish]}
    assert any(
        "MISSING  consume_order_outputs" in line and "events:PutEvents" in line for line in grants.report(verdict)
    )


def test_a_call_on_another_resource_is_refused(packaged: dict[str, Any]) -> None:
    """Grants are per resource: the order documents' prefix does not cover the rest of the bucket, nor other tables."""
    env = grants.test_environment()
    inside = grants.Call("s3:PutObject", "arn:aws:s3:::yuncai-dev-reports/orders/liaocheng/X/confirmation.html")
    outside = grants.Call("s3:PutObject", "arn:aws:s3:::yuncai-dev-reports/stats/liaocheng/2024.json")
    audit = grants.Call("dynamodb:UpdateItem", "arn:aws:dynamodb:us-east-1:123456789012:table/yuncai-dev-audit")
    verdict = grants.check({"consume_order_outputs": {inside, outside}, "api_handler": {audit}}, packaged, env)
    assert verdict.missing == {"consume_order_outputs": [outside], "api_handler": [audit]}


def test_unused_grants_are_reported(packaged: dict[str, Any]) -> None:
    verdict = grants.check({"on_deadline": set()}, packaged, grants.test_environment())
    assert ("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/yuncai-dev-main") in verdict.unused[
        "OnDeadlineRole"
    ]


QUOTE_KEY = "arn:aws:kms:us-east-1:123456789012:key/QuoteKey"


def test_only_the_competition_task_may_open_a_sealed_quote(packaged: dict[str, Any]) -> None:
    """Sealed means sealed: of every role in the template only the competition timer's task may decrypt the quote
    key (the API may only encrypt), and the key's own policy denies decryption to every other principal."""
    env = grants.test_environment()
    decrypt = grants.Call("kms:Decrypt", QUOTE_KEY)
    roles = grants.policies(packaged, env)
    may_decrypt = {role for role, statements in roles.items() if grants._permitted(statements, decrypt)}
    assert may_decrypt == {"OnCompetitionRole"}
    assert grants._permitted(roles["ApiHandlerRole"], grants.Call("kms:Encrypt", QUOTE_KEY))
    statements = packaged["Resources"]["QuoteKey"]["Properties"]["KeyPolicy"]["Statement"]
    [deny] = [s for s in statements if s["Effect"] == "Deny"]
    assert "kms:Decrypt" in deny["Action"] and deny["Principal"] == "*"
    pattern = deny["Condition"]["ArnNotLike"]["aws:PrincipalArn"]["Fn::Sub"]
    assert pattern.endswith(":role/${AWS::StackName}-OnCompetitionRole-*")


def test_calls_are_recorded_with_the_function_that_made_them(api: Api, projection: Projection) -> None:
    main = "arn:aws:dynamodb:us-east-1:123456789012:table/yuncai-dev-main"
    with grants.tap() as calls:
        status, _ = api.call("PUT", "/sites/rizhao/limits", _LIMITS, as_user="rizhao.center")
        assert status == 200
        projection.drain()
    # The change is one transaction: the site under its version, and its audit event.
    assert grants.Call("dynamodb:PutItem", main) in calls["api_handler"]
    assert any(
        c.action == "dynamodb:PutItem" and c.resource.endswith("table/yuncai-dev-audit") for c in calls["api_handler"]
    )
    published = calls["consume_site_config_publication"]
    assert {c.action for c in published} >= {"sqs:ReceiveMessage", "sqs:DeleteMessage", "s3:PutObject"}
    assert any(c.action == "s3:PutObject" and c.resource.endswith("/sites/rizhao/config.json") for c in published)
    reader = calls["on_main_table_change"]
    assert any(c.action == "dynamodb:GetRecords" for c in reader)  # the event source mapping's reads, as the role
    assert any(c.action == "sqs:SendMessage" and "site-config-publication" in c.resource for c in reader)
    assert not grants.check(calls, grants_template(), grants.test_environment()).missing


def grants_template() -> dict[str, Any]:
    from infra.template import declared_template

    return declared_template()


_LIMITS = {"per_order_cap_fen": 70_000_000, "per_plan_cap_fen": 90_000_000, "annual_category_cap_fen": 250_000_000}


@pytest.mark.after_all
def test_every_call_of_the_suite_is_granted_to_its_function(packaged: dict[str, Any]) -> None:
    verdict = grants.check(grants.CALLS, packaged, grants.test_environment(), grants.UNMAPPED)
    lines = list(grants.report(verdict))
    print("\n".join(["", f"AWS calls recorded for {len(grants.CALLS)} functions:", *lines]))
    assert not verdict.missing and not verdict.unmapped, json.dumps(
        [line for line in lines if not line.startswith("unused")], ensure_ascii=False, indent=1
    )
