"""The packaged AWS template and the resources tests and `make run` create are one schema."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from infra.template import NAMED_BY_ENV, read_asl
from tests.conftest import ROOT

PACKAGE = ROOT / "build" / "package"


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
    assert set(declared) == {"MainTable", "AuditTable", "IdempotencyTable", "CatalogTable", "StatsTable"}
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
    assert variables == {
        "OnDeadlineArn": {"Fn::GetAtt": ["OnDeadline", "Arn"]},
        "DeadlineDeadLetterQueueUrl": {"Ref": "DeadlineDeadLetterQueue"},
    }


def test_the_competition_machine_deployed_is_its_asl_file(packaged: dict[str, Any]) -> None:
    machine = packaged["Resources"]["CompetitionStateMachine"]["Properties"]
    text, variables = machine["DefinitionString"]["Fn::Sub"]
    assert json.loads(text) == read_asl("statemachines/competition.asl.json")
    assert variables == {
        "OnCompetitionArn": {"Fn::GetAtt": ["OnCompetition", "Arn"]},
        "CompetitionDeadLetterQueueUrl": {"Ref": "CompetitionDeadLetterQueue"},
    }


@pytest.mark.parametrize("name", ["deadline", "competition"])
def test_every_transition_of_a_machine_names_a_state_it_has(name: str) -> None:
    """Neither moto nor cfn-lint checks that a Next, Default or StartAt names an existing state."""
    definition = read_asl(f"statemachines/{name}.asl.json")
    states = definition["States"]
    named = {definition["StartAt"]}
    for state in states.values():
        named.update(x for x in (state.get("Next"), state.get("Default")) if x)
        named.update(choice["Next"] for choice in state.get("Choices", []))
        named.update(catch["Next"] for catch in state.get("Catch", []))
    assert named <= set(states), named - set(states)
    reachable, frontier = set(), [definition["StartAt"]]
    while frontier:
        current = frontier.pop()
        if current in reachable:
            continue
        reachable.add(current)
        state = states[current]
        frontier += [x for x in (state.get("Next"), state.get("Default")) if x]
        frontier += [c["Next"] for c in state.get("Choices", []) + state.get("Catch", [])]
    assert reachable == set(states), set(states) - reachable
    # No path that moto gets wrong: no JSONata, no `[N].field`, no $$.Execution.StartTime.
    text = json.dumps(definition)
    assert "QueryLanguage" not in text and "Assign" not in text and "$$.Execution.StartTime" not in text
    assert not re.search(r"\$[^\"]*\[\d+\]\.", text)


def test_every_function_is_written_from_its_declaration(packaged: dict[str, Any]) -> None:
    from chalicelib.lambdas import functions
    from infra.functions import all_needs, parse_need

    declared = {f.logical_id: f for f in functions()}
    deployed = {k: v for k, v in packaged["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}
    assert set(deployed) == {"APIHandler", *declared}
    assert {"OnDeadline", "SweepDueChanges", "OnMainTableChange", "ConsumeOrderOutputs"} <= set(declared)
    tables = {"MainTable", "AuditTable", "IdempotencyTable", "CatalogTable"}
    for logical_id, function in deployed.items():
        props = function["Properties"]
        env = props["Environment"]["Variables"]
        assert env["MAIN_TABLE"] == {"Ref": "MainTable"}, logical_id
        assert "set-by-infra-template" not in json.dumps(env), logical_id
        assert props["Runtime"] == "python3.11"
        if logical_id in declared:
            needed = {parse_need(n).resource for n in all_needs(declared[logical_id])}
            named = {v["Ref"] for v in env.values() if isinstance(v, dict) and "Ref" in v} - {"Stage"}
            assert named - tables == needed - tables, logical_id  # exactly what it needs, no more
    stream = deployed["OnMainTableChange"]["Properties"]["Events"]["OnMainTableChangeStream"]["Properties"]
    assert stream["Stream"] == {"Fn::GetAtt": ["MainTable", "StreamArn"]}
    assert stream["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert stream["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": ["StreamDeadLetterQueue", "Arn"]}
    queue = deployed["ConsumeOrderOutputs"]["Properties"]["Events"]["ConsumeOrderOutputsQueue"]["Properties"]
    assert queue["Queue"] == {"Fn::GetAtt": ["OrderOutputsQueue", "Arn"]}
    assert queue["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    redrive = packaged["Resources"]["OrderOutputsQueue"]["Properties"]["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["OrderOutputsDeadLetterQueue", "Arn"]}


def test_no_grant_is_a_wildcard_where_the_arn_is_known(packaged: dict[str, Any]) -> None:
    roles = {k: v for k, v in packaged["Resources"].items() if v["Type"] == "AWS::IAM::Role"}
    assert roles
    for logical_id, role in roles.items():
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                assert not [a for a in actions if "*" in a], (logical_id, statement)
                resources = (
                    statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                )
                for resource in resources:
                    text = json.dumps(resource)
                    assert resource != "*" and "arn:*" not in text and ":*:*" not in text, (logical_id, statement)


def test_no_function_may_rewrite_or_delete_audit_events(packaged: dict[str, Any]) -> None:
    """Audit events are append-only: only PutItem (which the code conditions on attribute_not_exists) may write."""
    seen = 0
    for logical_id, role in packaged["Resources"].items():
        if role["Type"] != "AWS::IAM::Role":
            continue
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                if "AuditTable" not in json.dumps(statement["Resource"]):
                    continue
                seen += 1
                allowed = {"dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}
                assert set(statement["Action"]) <= allowed, logical_id
    assert seen >= 3  # the API, the timer and the sweep write audit events


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


def test_every_function_imports_from_the_bundle_with_only_its_template_environment(
    tmp_path: Path, packaged: dict[str, Any]
) -> None:
    """Each deployed handler must import in a bare interpreter (no site-packages) with exactly the variables the
    template gives that function: a variable read at import that a declaration forgets fails here, not in AWS."""
    import zipfile

    with zipfile.ZipFile(PACKAGE / "deployment.zip") as bundle:
        bundle.extractall(tmp_path)
    functions = {k: v for k, v in packaged["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}
    for logical_id, function in functions.items():
        declared = function["Properties"]["Environment"]["Variables"]
        env = {name: value if isinstance(value, str) else f"probe-{name.lower()}" for name, value in declared.items()}
        env.update({"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(tmp_path), "AWS_REGION": "us-east-1"})
        module, _, attribute = function["Properties"]["Handler"].rpartition(".")
        probe = f"import importlib; print(callable(getattr(importlib.import_module({module!r}), {attribute!r})))"
        out = subprocess.run(
            [sys.executable, "-S", "-B", "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert out.returncode == 0 and out.stdout.strip() == "True", (logical_id, out.stderr[-2000:])


def test_heavy_libraries_ride_in_a_layer_of_the_export_function_only(packaged: dict[str, Any]) -> None:
    """DuckDB is in the analytics layer, attached to export_purchases alone; the API's bundle carries no analytics
    library; bundle and layer together stay within Lambda's 250 MB unzipped."""
    import zipfile

    from tests.conftest import PACKAGE

    functions = {k: v for k, v in packaged["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}
    layered = {k for k, v in functions.items() if v["Properties"].get("Layers")}
    assert layered == {"ExportPurchases", "CompileReports", "ConsumeReportJobs", "ConsumeProcessListingImage"}
    assert functions["ExportPurchases"]["Properties"]["Layers"] == [{"Ref": "AnalyticsLayer"}]
    assert functions["CompileReports"]["Properties"]["Layers"] == [{"Ref": "ReportsLayer"}]
    # Pillow decodes product images in their consumer only: the API checks an upload's first bytes.
    assert functions["ConsumeProcessListingImage"]["Properties"]["Layers"] == [{"Ref": "MediaLayer"}]
    bundle = zipfile.ZipFile(PACKAGE / "deployment.zip")
    heavy = (
        "duckdb",
        "pyarrow",
        "polars",
        "pandas",
        "numpy",
        "openpyxl",
        "matplotlib",
        "weasyprint",
        "reportlab",
        "PIL",
    )
    assert not [i.filename for i in bundle.infolist() if i.filename.split("/")[0].startswith(heavy)]
    layer = zipfile.ZipFile(PACKAGE / "analytics-layer.zip")
    assert any(i.filename.startswith("python/duckdb/") for i in layer.infolist())
    reports = zipfile.ZipFile(PACKAGE / "reports-layer.zip")
    assert any(i.filename.startswith("python/reportlab/") for i in reports.infolist())
    media = zipfile.ZipFile(PACKAGE / "media-layer.zip")
    assert any(i.filename.startswith("python/PIL/") for i in media.infolist())
    for carried in (layer, reports, media):
        unzipped = sum(i.file_size for i in bundle.infolist()) + sum(i.file_size for i in carried.infolist())
        assert unzipped < 250 * 1024 * 1024, unzipped


def test_what_can_fail_has_an_alarm_on_the_operators_topic(packaged: dict[str, Any]) -> None:
    """docs/operations.md: errors and throttles of every function, a message in any dead-letter queue, a failed
    state-machine execution, throttled tables, the API's 5xx, stale rollups; each alarm notifies OpsAlarmTopic."""
    resources = packaged["Resources"]
    alarms = {k: v["Properties"] for k, v in resources.items() if v["Type"] == "AWS::CloudWatch::Alarm"}
    functions = [k for k, v in resources.items() if v["Type"] == "AWS::Serverless::Function"]
    assert functions and all(f"{f}ErrorsAlarm" in alarms and f"{f}ThrottlesAlarm" in alarms for f in functions)
    for kind, suffix in (
        ("AWS::StepFunctions::StateMachine", "FailedAlarm"),
        ("AWS::DynamoDB::Table", "ThrottledAlarm"),
    ):
        assert all(f"{k}{suffix}" in alarms for k, v in resources.items() if v["Type"] == kind), kind
    dead = [k for k, v in resources.items() if v["Type"] == "AWS::SQS::Queue" and k.endswith("DeadLetterQueue")]
    assert len(dead) > 5 and all(f"{q}DepthAlarm" in alarms for q in dead)
    assert {"ApiServerErrorsAlarm", "StaleRollupsAlarm", "ReportCompileFailedAlarm"} <= set(alarms)
    assert all(a["AlarmActions"] == [{"Ref": "OpsAlarmTopic"}] for a in alarms.values())
    assert all(re.search(r"[\u4e00-\u9fff]", a["AlarmDescription"]) for a in alarms.values())
