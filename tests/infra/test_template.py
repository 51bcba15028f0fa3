"""The packaged AWS template and the resources tests and `make run` create are one schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from infra.template import NAMED_BY_ENV, read_asl
from tests.conftest import ROOT

PACKAGE = ROOT / "build" / "package"


@pytest.fixture(scope="module")
def packaged() -> dict[str, Any]:
    """The template `make package` builds; built here when the run did not do it first."""
    sam = PACKAGE / "sam.json"
    newest_source = max(
        p.stat().st_mtime for p in [ROOT / "infra" / "resources.json", *ROOT.glob("infra/statemachines/*.json")]
    )
    if not sam.exists() or sam.stat().st_mtime < newest_source:
        subprocess.run([sys.executable, "-m", "infra.build", "package"], cwd=ROOT, check=True)
    return dict(json.loads(sam.read_text(encoding="utf-8")))


def _normalise_table(
    keys: list[dict[str, str]], attrs: list[dict[str, str]], gsis: list[dict[str, Any]] | None
) -> dict[str, Any]:
    return {
        "keys": sorted((k["AttributeName"], k["KeyType"]) for k in keys),
        "attributes": sorted((a["AttributeName"], a["AttributeType"]) for a in attrs),
        "indexes": sorted(
            (
                g["IndexName"],
                tuple(sorted((k["AttributeName"], k["KeyType"]) for k in g["KeySchema"])),
                g["Projection"]["ProjectionType"],
            )
            for g in gsis or []
        ),
    }


def test_tables_created_for_tests_equal_the_tables_the_template_declares(
    aws: dict[str, str], packaged: dict[str, Any]
) -> None:
    ddb = boto3.client("dynamodb")
    declared = {k: v for k, v in packaged["Resources"].items() if v["Type"] == "AWS::DynamoDB::Table"}
    assert set(declared) == {"MainTable", "AuditTable", "IdempotencyTable", "CatalogTable"}
    for logical_id, resource in declared.items():
        props = resource["Properties"]
        live = ddb.describe_table(TableName=os.environ[NAMED_BY_ENV[logical_id]])["Table"]
        assert _normalise_table(
            live["KeySchema"], live["AttributeDefinitions"], live.get("GlobalSecondaryIndexes")
        ) == _normalise_table(props["KeySchema"], props["AttributeDefinitions"], props.get("GlobalSecondaryIndexes")), (
            logical_id
        )
        assert live["BillingModeSummary"]["BillingMode"] == props["BillingMode"]
        declared_stream = props.get("StreamSpecification", {}).get("StreamViewType")
        assert live.get("StreamSpecification", {}).get("StreamViewType") == declared_stream
        ttl = ddb.describe_time_to_live(TableName=live["TableName"])["TimeToLiveDescription"]
        declared_ttl = props.get("TimeToLiveSpecification")
        assert (ttl.get("AttributeName") if ttl["TimeToLiveStatus"] == "ENABLED" else None) == (declared_ttl or {}).get(
            "AttributeName"
        )


def test_pynamodb_models_use_only_declared_keys_and_indexes(packaged: dict[str, Any]) -> None:
    from chalicelib.store.models import AuditItem, MainItem

    for model, logical_id in ((MainItem, "MainTable"), (AuditItem, "AuditTable")):
        props = packaged["Resources"][logical_id]["Properties"]
        declared_indexes = {
            g["IndexName"]: {k["AttributeName"] for k in g["KeySchema"]} for g in props["GlobalSecondaryIndexes"]
        }
        meta = model._get_schema()
        assert {k["AttributeName"] for k in meta["key_schema"]} == {k["AttributeName"] for k in props["KeySchema"]}
        for index in meta["global_secondary_indexes"]:
            assert {k["AttributeName"] for k in index["key_schema"]} == declared_indexes[index["index_name"]]


def test_the_state_machine_deployed_is_the_asl_file_tests_run(packaged: dict[str, Any]) -> None:
    machine = packaged["Resources"]["DeadlineStateMachine"]["Properties"]
    text, variables = machine["DefinitionString"]["Fn::Sub"]
    assert json.loads(text) == read_asl("statemachines/deadline.asl.json")
    assert variables == {"OnDeadlineArn": {"Fn::GetAtt": ["OnDeadline", "Arn"]}}


def test_every_function_gets_its_resources_from_the_template(packaged: dict[str, Any]) -> None:
    functions = {k: v for k, v in packaged["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}
    assert set(functions) == {"APIHandler", "OnDeadline", "SweepDueChanges", "OnMainTableChange"}
    for name, function in functions.items():
        env = function["Properties"]["Environment"]["Variables"]
        assert env["MAIN_TABLE"] == {"Ref": "MainTable"}, name
        assert env["USER_POOL_CLIENT_ID"] == {"Ref": "UserPoolClient"}, name
        assert "set-by-infra-template" not in json.dumps(env), name
        assert function["Properties"]["Runtime"] == "python3.11"
    stream = functions["OnMainTableChange"]["Properties"]["Events"]["OnMainTableChangeDynamodbEventSource"][
        "Properties"
    ]
    assert stream["Stream"] == {"Fn::GetAtt": ["MainTable", "StreamArn"]}
    assert stream["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": ["StreamDeadLetterQueue", "Arn"]}


def test_no_function_may_rewrite_or_delete_audit_events(packaged: dict[str, Any]) -> None:
    policies = [v for v in packaged["Resources"].values() if v["Type"] == "AWS::IAM::Policy"]
    for policy in policies:
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if "AuditTable" in json.dumps(statement["Resource"]):
                assert not {"dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"} & set(
                    statement["Action"]
                )


def test_users_cannot_write_their_own_tenant_or_role_claims(packaged: dict[str, Any]) -> None:
    client = packaged["Resources"]["UserPoolClient"]["Properties"]
    assert client["WriteAttributes"] == ["name"]
    assert "ALLOW_USER_PASSWORD_AUTH" in client["ExplicitAuthFlows"]


def test_lambda_bundle_carries_compiled_bytecode() -> None:
    import zipfile

    names = zipfile.ZipFile(PACKAGE / "deployment.zip").namelist()
    assert "app.py" in names and "chalicelib/data/tenants/liaocheng.toml" in names
    assert any(n.startswith("chalicelib/__pycache__/") and n.endswith(".pyc") for n in names)
    assert not any(n.startswith(("tests/", "scheduled/", "frontend/", "bench/")) for n in names)


def test_lambda_bundle_imports_with_nothing_but_the_template_environment(tmp_path: Path) -> None:
    """The deployed handler must import in a bare interpreter (no site-packages) with exactly the variables the
    template gives the function: a variable read at import that the template forgets fails here, not in AWS."""
    import zipfile

    from bench.cold_start import lambda_environment, sample

    with zipfile.ZipFile(PACKAGE / "deployment.zip") as bundle:
        bundle.extractall(tmp_path)
    seconds = sample(tmp_path, tmp_path, lambda_environment(PACKAGE / "sam.json"))
    assert seconds > 0
