"""The translated CloudFormation template deploys: created as a stack on moto, it makes what provision makes.

moto's CloudFormation does not know every resource type the template uses;
those are set aside (references to them become placeholders) and printed, and
any other difference between the stack and what infra/provision.py creates
for the tests fails.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chalicelib.lambdas import functions
from infra.template import NAMED_BY_ENV
from tests.conftest import PACKAGE, ROOT, _reset_process_caches, moto_environment

STACK = "yuncai-prod"
# moto has these models but cannot create ours: the REST API is defined by its OpenAPI Body, which moto's
# CloudFormation does not import (it wants a Name and then refuses a deployment without methods).
NOT_CREATED_BY_MOTO = {"AWS::ApiGateway::RestApi", "AWS::ApiGateway::Deployment", "AWS::ApiGateway::Stage"}


def _skipped_types(template: dict[str, Any]) -> dict[str, str]:
    from moto.cloudformation.parsing import get_model_map

    supported = set(get_model_map())
    return {
        k: v["Type"]
        for k, v in template["Resources"].items()
        if v["Type"] not in supported or v["Type"] in NOT_CREATED_BY_MOTO
    }


def _scrub(value: Any, skipped: dict[str, str]) -> Any:
    """References to a set-aside resource become a placeholder string."""
    if isinstance(value, list):
        return [_scrub(v, skipped) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"} and value["Ref"] in skipped:
        return f"not-created-{value['Ref']}"
    if set(value) == {"Fn::GetAtt"} and value["Fn::GetAtt"][0] in skipped:
        return f"not-created-{value['Fn::GetAtt'][0]}"
    if set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
        text = re.sub(
            r"\$\{(\w+)(\.\w+)?\}",
            lambda m: f"not-created-{m.group(1)}" if m.group(1) in skipped else m.group(0),
            value["Fn::Sub"],
        )
        return {"Fn::Sub": text}
    return {k: _scrub(v, skipped) for k, v in value.items()}


def _deployable(template: dict[str, Any], skipped: dict[str, str]) -> dict[str, Any]:
    resources = {}
    for name, resource in template["Resources"].items():
        if name in skipped:
            continue
        resource = _scrub(resource, skipped)
        if "DependsOn" in resource:
            depends = [resource["DependsOn"]] if isinstance(resource["DependsOn"], str) else resource["DependsOn"]
            resource["DependsOn"] = [d for d in depends if d not in skipped]
        resources[name] = resource
    return {**template, "Resources": resources, "Outputs": _scrub(template.get("Outputs", {}), skipped)}


def _table_shape(description: dict[str, Any]) -> dict[str, Any]:
    return {
        "keys": sorted((k["AttributeName"], k["KeyType"]) for k in description["KeySchema"]),
        "attributes": sorted((a["AttributeName"], a["AttributeType"]) for a in description["AttributeDefinitions"]),
        "indexes": sorted(
            (g["IndexName"], tuple(sorted((k["AttributeName"], k["KeyType"]) for k in g["KeySchema"])))
            for g in description.get("GlobalSecondaryIndexes") or []
        ),
        "stream": (description.get("StreamSpecification") or {}).get("StreamViewType"),
    }


def _queue_shape(url: str, names_by_arn: dict[str, str]) -> dict[str, Any]:
    attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    redrive = json.loads(attributes["RedrivePolicy"]) if "RedrivePolicy" in attributes else None
    return {
        "fifo": attributes.get("FifoQueue") == "true",
        "visibility": attributes.get("VisibilityTimeout"),
        "redrive": (names_by_arn[redrive["deadLetterTargetArn"]], int(redrive["maxReceiveCount"])) if redrive else None,
    }


def _machines(names: dict[str, str], machine_arns: list[str]) -> dict[str, Any]:
    """Each machine's definition, with the ARNs and URLs it names replaced by their logical ids."""
    sfn = boto3.client("stepfunctions")
    found = {}
    for arn in machine_arns:
        machine = sfn.describe_state_machine(stateMachineArn=arn)
        text = machine["definition"]
        for named, logical in names.items():
            text = text.replace(named, logical)
        found[machine["name"].rsplit("-", 1)[-1]] = json.loads(text)
    return found


class Created:
    """What one moto backend holds, named by the template's logical ids."""

    def __init__(
        self, tables: dict[str, str], queues: dict[str, str], functions: dict[str, str], machines: list[str]
    ) -> None:
        ddb = boto3.client("dynamodb")
        self.tables = {k: _table_shape(ddb.describe_table(TableName=v)["Table"]) for k, v in tables.items()}
        arns = {
            boto3.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]: k
            for k, url in queues.items()
        }
        self.queues = {k: _queue_shape(url, arns) for k, url in queues.items()}
        # The deploy artifacts' bucket is where the stack's code comes from, not part of the stack.
        buckets = boto3.client("s3").list_buckets()["Buckets"]
        self.buckets = len([b for b in buckets if b["Name"] != "yuncai-deploy-artifacts"])
        self.buses = sorted(
            b["Name"].rsplit("-", 1)[-1] for b in boto3.client("events").list_event_buses()["EventBuses"]
        )
        self.machines = _machines({**functions, **{url: k for k, url in queues.items()}}, machines)


@pytest.fixture(scope="module")
def stack() -> Iterator[tuple[Created, dict[str, Any], dict[str, str]]]:
    template = json.loads((PACKAGE / "cfn.json").read_text(encoding="utf-8"))
    skipped = _skipped_types(template)
    # Without execute_state_machine: moto's CloudFormation creates machines in the plain Step Functions backend.
    with warnings.catch_warnings(), mock_aws():
        warnings.simplefilter("ignore")
        _reset_process_caches()
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="yuncai-deploy-artifacts")
        s3.put_object(
            Bucket="yuncai-deploy-artifacts",
            Key="yuncai/deployment.zip",
            Body=(ROOT / "build" / "package" / "deployment.zip").read_bytes(),
        )
        cfn = boto3.client("cloudformation")
        cfn.create_stack(
            StackName=STACK,
            TemplateBody=json.dumps(_deployable(template, skipped)),
            Parameters=[{"ParameterKey": "Stage", "ParameterValue": "prod"}],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
        )
        status = cfn.describe_stacks(StackName=STACK)["Stacks"][0]["StackStatus"]
        assert status == "CREATE_COMPLETE", status
        resources = {
            r["LogicalResourceId"]: r for r in cfn.list_stack_resources(StackName=STACK)["StackResourceSummaries"]
        }

        def physical(kind: str) -> dict[str, str]:
            return {k: r["PhysicalResourceId"] for k, r in resources.items() if r["ResourceType"] == kind}

        lambdas = physical("AWS::Lambda::Function")
        arns = {f"arn:aws:lambda:us-east-1:123456789012:function:{name}": k for k, name in lambdas.items()}
        machines = list(physical("AWS::StepFunctions::StateMachine").values())
        created = Created(physical("AWS::DynamoDB::Table"), physical("AWS::SQS::Queue"), arns, machines)
        extra = {
            "functions": lambdas,
            "roles": physical("AWS::IAM::Role"),
            "rules": {
                k: boto3.client("events").describe_rule(Name=v) for k, v in physical("AWS::Events::Rule").items()
            },
            "mappings": boto3.client("lambda").list_event_source_mappings()["EventSourceMappings"],
            "arns": {**arns, **{_arn(r): k for k, r in resources.items()}},
        }
    _reset_process_caches()
    print(f"\nmoto's CloudFormation set aside {len(skipped)} resources: {json.dumps(skipped, indent=1)}")
    yield created, extra, skipped


def _arn(resource: dict[str, Any]) -> str:
    return str(resource.get("PhysicalResourceId", ""))


@pytest.fixture(scope="module")
def provisioned() -> Iterator[Created]:
    import os

    with moto_environment() as outputs:
        names = {"APIHandler": "api_handler", **{f.logical_id: f.name for f in functions()}}
        functions_by_arn = {
            f"arn:aws:lambda:us-east-1:123456789012:function:yuncai-dev-{n}": k for k, n in names.items()
        }
        queues = {k.removesuffix("_URL"): v for k, v in outputs.items() if k.endswith("_QUEUE_URL")}
        from infra.template import declared_template

        queue_ids = {
            _env_of(k): k for k, v in declared_template()["Resources"].items() if v.get("Type") == "AWS::SQS::Queue"
        }
        yield Created(
            {k: os.environ[v] for k, v in NAMED_BY_ENV.items() if k.endswith("Table")},
            {queue_ids[name]: url for name, url in queues.items()},
            functions_by_arn,
            [outputs["DEADLINE_STATE_MACHINE_ARN"], outputs["COMPETITION_STATE_MACHINE_ARN"]],
        )


def _env_of(logical: str) -> str:
    from chalicelib.config import env_var

    return env_var(logical, "AWS::SQS::Queue").removesuffix("_URL")


def test_the_stack_creates_the_tables_queues_buckets_and_machines_the_tests_use(
    stack: tuple[Created, dict[str, Any], dict[str, str]], provisioned: Created
) -> None:
    created, _, skipped = stack
    assert created.tables == provisioned.tables
    assert created.queues == provisioned.queues
    assert created.buckets == provisioned.buckets == 4
    assert created.buses == provisioned.buses
    assert created.machines == provisioned.machines
    # Only types moto cannot create are set aside: never a table, queue, function, role, machine or rule.
    assert not {t for t in skipped.values() if t.startswith(("AWS::DynamoDB", "AWS::SQS", "AWS::Lambda", "AWS::IAM"))}


def test_the_stack_creates_every_declared_function_with_its_role_trigger_and_schedule(
    stack: tuple[Created, dict[str, Any], dict[str, str]],
) -> None:
    _, extra, _ = stack
    declared = {f.logical_id: f for f in functions()}
    assert set(extra["functions"]) == {"APIHandler", *declared}
    assert {name: physical for name, physical in extra["functions"].items()} == {
        "APIHandler": f"{STACK}-api_handler",
        **{k: f"{STACK}-{f.name}" for k, f in declared.items()},
    }
    machine_roles = {"DeadlineStateMachineRole", "CompetitionStateMachineRole"}
    assert set(extra["roles"]) == {"ApiHandlerRole", *machine_roles, *(f"{k}Role" for k in declared)}
    schedules = {k: f for k, f in declared.items() if f.rate}
    assert sorted(r["ScheduleExpression"] for r in extra["rules"].values()) == sorted(
        f.rate for f in schedules.values()
    )
    triggered = {
        (extra["arns"].get(m["FunctionArn"], m["FunctionArn"]), tuple(m.get("FunctionResponseTypes", [])))
        for m in extra["mappings"]
    }
    expected = {(k, ("ReportBatchItemFailures",)) for k, f in declared.items() if f.source}
    assert {t for t in triggered if t[0] in declared} == expected
