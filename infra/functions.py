"""Each function's template entry, written from its declaration (chalicelib/lambdas.py).

A need ("MainTable:write", "ReportsBucket:put:orders/*", …) becomes IAM
statements on that resource's ARN and the environment variable that names the
resource; the trigger becomes the event source (schedule, stream, queue); a
queued stream consumer gets its FIFO queue and dead-letter queue. Nothing here
is written by hand per function: adding a consumer is its declaration.

The API function is packaged by Chalice (routes, API Gateway); its role and
environment are written here the same way from `API_NEEDS`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from chalicelib.config import env_var
from chalicelib.lambdas import API_NEEDS, STREAM_CONSUMERS, LambdaFunction, Trigger, functions, load_declarations

ROOT = Path(__file__).resolve().parent.parent
API_FUNCTION = "api_handler"
API_LOGICAL_ID = "APIHandler"
API_ROLE = "ApiHandlerRole"
RUNTIME = "python3.11"
STREAM_DEAD_LETTERS = "StreamDeadLetterQueue"
# Variables every function has: pynamodb's models name their tables at import
# (names are not permissions: a function without a grant cannot use the table).
IMPORT_TIME_NEEDS = ("MainTable:name", "AuditTable:name", "IdempotencyTable:name", "CatalogTable:name")
API_ENVIRONMENT = {
    "CORS_ALLOW_ORIGIN": {"Fn::Sub": "https://${WebDistribution.DomainName}"},
    "MEDIA_BASE_URL": {"Fn::Sub": "https://${WebDistribution.DomainName}/media"},
}
QUEUE_MAX_RECEIVES = 5


class Need(NamedTuple):
    resource: str
    access: str
    scope: str  # an object-key pattern for buckets, else ""


def parse_need(text: str) -> Need:
    resource, access, *scope = text.split(":", 2)
    return Need(resource, access, scope[0] if scope else "")


def _arn(resource: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [resource, "Arn"]}


def _sub(text: str) -> dict[str, Any]:
    return {"Fn::Sub": text}


_TABLE_READ = ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"]
_TABLE_WRITE = [
    *_TABLE_READ,
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
]
# Audit events are only ever added: the code puts them under attribute_not_exists.
_TABLE_APPEND = ["dynamodb:PutItem"]
# Records kept one by one under conditions (powertools idempotency): no batches, no queries.
_TABLE_RECORDS = ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]


def _table_statement(need: Need, resources: Mapping[str, Any]) -> tuple[list[str], list[Any]] | None:
    table = [_arn(need.resource), _sub(f"${{{need.resource}.Arn}}/index/*")]
    if need.access == "name":
        return None
    if need.access == "read":
        return _TABLE_READ, table
    if need.access == "write":
        return _TABLE_WRITE, table
    if need.access == "append":
        return _TABLE_APPEND, [_arn(need.resource)]
    if need.access == "records":
        return _TABLE_RECORDS, [_arn(need.resource)]
    if need.access == "stream":
        actions = [
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:ListStreams",
        ]
        return actions, [{"Fn::GetAtt": [need.resource, "StreamArn"]}]
    raise ValueError(f"unknown table access {need.access!r}")


def _bucket_statement(need: Need, resources: Mapping[str, Any]) -> tuple[list[str], list[Any]] | None:
    objects = [_sub(f"${{{need.resource}.Arn}}/{need.scope or '*'}")]
    actions = {"read": ["s3:GetObject"], "put": ["s3:PutObject"], "delete": ["s3:DeleteObject"]}
    if need.access == "list":
        return ["s3:ListBucket"], [_arn(need.resource)]
    if need.access in actions:
        return actions[need.access], objects
    raise ValueError(f"unknown bucket access {need.access!r}")


def _queue_statement(need: Need, resources: Mapping[str, Any]) -> tuple[list[str], list[Any]] | None:
    if need.access == "send":
        return ["sqs:SendMessage"], [_arn(need.resource)]
    if need.access == "receive":
        actions = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
        return actions, [_arn(need.resource)]
    raise ValueError(f"unknown queue access {need.access!r}")


def _machine_arn(resource: str, resources: Mapping[str, Any]) -> dict[str, Any]:
    # Built from the machine's name rather than Ref: the machine refers to the
    # functions it invokes, and a Ref back would be a circular dependency.
    name = resources[resource]["Properties"]["StateMachineName"]["Fn::Sub"]
    return _sub(f"arn:${{AWS::Partition}}:states:${{AWS::Region}}:${{AWS::AccountId}}:stateMachine:{name}")


def _other_statement(need: Need, resources: Mapping[str, Any]) -> tuple[list[str], list[Any]] | None:
    kind = resources[need.resource]["Type"]
    if kind == "AWS::StepFunctions::StateMachine" and need.access == "start":
        return ["states:StartExecution"], [_machine_arn(need.resource, resources)]
    if kind == "AWS::StepFunctions::StateMachine" and need.access == "stop":
        name = resources[need.resource]["Properties"]["StateMachineName"]["Fn::Sub"]
        executions = f"arn:${{AWS::Partition}}:states:${{AWS::Region}}:${{AWS::AccountId}}:execution:{name}:*"
        return ["states:StopExecution"], [_sub(executions)]
    if kind == "AWS::KMS::Key" and need.access in ("encrypt", "decrypt"):
        return [f"kms:{need.access.capitalize()}"], [_arn(need.resource)]
    if kind == "AWS::Events::EventBus" and need.access == "publish":
        return ["events:PutEvents"], [_arn(need.resource)]
    if kind == "AWS::SecretsManager::Secret" and need.access == "read":
        return ["secretsmanager:GetSecretValue"], [{"Ref": need.resource}]
    if kind == "AWS::Cognito::UserPool" and need.access == "manage-users":
        actions = [
            "cognito-idp:AdminAddUserToGroup",
            "cognito-idp:AdminCreateUser",
            "cognito-idp:AdminDeleteUser",
            "cognito-idp:AdminDisableUser",  # the centre disables and re-enables its units' accounts
            "cognito-idp:AdminEnableUser",
            "cognito-idp:AdminGetUser",  # password reset: find the account
            "cognito-idp:AdminSetUserPassword",
            "cognito-idp:ListUsersInGroup",  # the centre's list of its units' accounts
        ]
        return actions, [_arn(need.resource)]
    if kind == "AWS::Cognito::UserPoolClient" and need.access == "name":
        return None  # the audience of the tokens: no API call
    raise ValueError(f"unknown access {need.access!r} to {need.resource} ({kind})")


_BY_TYPE = {
    "AWS::DynamoDB::Table": _table_statement,
    "AWS::S3::Bucket": _bucket_statement,
    "AWS::SQS::Queue": _queue_statement,
}


def statements(needs: Iterable[str], resources: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = []
    for text in sorted(set(needs)):
        need = parse_need(text)
        if need.resource not in resources:
            raise ValueError(f"need {text!r} names no resource of the template")
        make = _BY_TYPE.get(resources[need.resource]["Type"], _other_statement)
        made = make(need, resources)
        if made is not None:
            actions, arns = made
            sid = "".join(ch for ch in f"{need.resource}{need.access.title()}{need.scope}" if ch.isalnum())
            found.append({"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": arns})
    return found


def environment(needs: Iterable[str], resources: Mapping[str, Any]) -> dict[str, Any]:
    variables: dict[str, Any] = {"STAGE": {"Ref": "Stage"}}
    for text in [*IMPORT_TIME_NEEDS, *needs]:
        need = parse_need(text)
        variables[env_var(need.resource, resources[need.resource]["Type"])] = {"Ref": need.resource}
    return dict(sorted(variables.items()))


def platform_needs(function: LambdaFunction) -> tuple[str, ...]:
    """What the Lambda service itself does with the function's role: read its stream or queue."""
    if function.trigger is Trigger.STREAM:
        return (f"{function.source}:stream", f"{STREAM_DEAD_LETTERS}:send")
    if function.trigger is Trigger.QUEUE:
        return (f"{function.source}:receive",)
    return ()


def all_needs(function: LambdaFunction) -> tuple[str, ...]:
    return tuple(sorted({*function.needs, *platform_needs(function)}))


def _logs_statement(name: str) -> dict[str, Any]:
    account = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}"
    group = f"{account}:log-group:/aws/lambda/${{AWS::StackName}}-{name}"
    return {
        "Sid": "Logs",
        "Effect": "Allow",
        "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": [_sub(group), _sub(f"{group}:*")],
    }


def role(name: str, needs: Iterable[str], resources: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            },
            "Policies": [
                {
                    "PolicyName": f"{name}-policy",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [_logs_statement(name), *statements(needs, resources)],
                    },
                }
            ],
        },
    }


def _events(function: LambdaFunction) -> dict[str, Any]:
    if function.trigger is Trigger.SCHEDULE:
        return {f"{function.logical_id}Schedule": {"Type": "Schedule", "Properties": {"Schedule": function.rate}}}
    if function.trigger is Trigger.STREAM:
        properties = {
            "Stream": {"Fn::GetAtt": [function.source, "StreamArn"]},
            "BatchSize": function.batch_size,
            "StartingPosition": "TRIM_HORIZON",
            "MaximumBatchingWindowInSeconds": 0,
            "MaximumRetryAttempts": 5,
            "BisectBatchOnFunctionError": True,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "DestinationConfig": {"OnFailure": {"Destination": _arn(STREAM_DEAD_LETTERS)}},
        }
        return {f"{function.logical_id}Stream": {"Type": "DynamoDB", "Properties": properties}}
    if function.trigger is Trigger.QUEUE:
        properties = {
            "Queue": _arn(function.source),
            "BatchSize": function.batch_size,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
        }
        return {f"{function.logical_id}Queue": {"Type": "SQS", "Properties": properties}}
    return {}


def function_resource(function: LambdaFunction, resources: Mapping[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "FunctionName": _sub(f"${{AWS::StackName}}-{function.name}"),
        "Runtime": RUNTIME,
        "Handler": function.handler,
        "CodeUri": "./deployment.zip",
        "MemorySize": function.memory_mb,
        "Timeout": function.timeout_s,
        "Architectures": ["x86_64"],
        "Tracing": "PassThrough",
        "Role": {"Fn::GetAtt": [f"{function.logical_id}Role", "Arn"]},
        "Environment": {"Variables": {**_base_variables(), **environment(all_needs(function), resources)}},
    }
    events = _events(function)
    if events:
        properties["Events"] = events
    if function.layers:
        properties["Layers"] = [{"Ref": layer} for layer in function.layers]
    return {"Type": "AWS::Serverless::Function", "Properties": properties}


def queue_resources(resources: Mapping[str, Any]) -> dict[str, Any]:
    """A FIFO queue and its dead-letter queue for each queued stream consumer."""
    made: dict[str, Any] = {}
    for consumer in STREAM_CONSUMERS.values():
        if not consumer.queued:
            continue
        base = consumer.name.replace("_", "-")
        made[consumer.dead_letter_queue] = {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": _sub(f"${{AWS::StackName}}-{base}-dlq.fifo"),
                "FifoQueue": True,
                "MessageRetentionPeriod": 1209600,
                "SqsManagedSseEnabled": True,
            },
        }
        made[consumer.queue] = {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": _sub(f"${{AWS::StackName}}-{base}.fifo"),
                "FifoQueue": True,
                # Lambda's advice: six times the function's timeout.
                "VisibilityTimeout": 6 * consumer.timeout_s,
                "MessageRetentionPeriod": 345600,
                "SqsManagedSseEnabled": True,
                "RedrivePolicy": {
                    "deadLetterTargetArn": _arn(consumer.dead_letter_queue),
                    "maxReceiveCount": QUEUE_MAX_RECEIVES,
                },
            },
        }
    return made


@lru_cache(maxsize=1)
def _base_variables() -> dict[str, str]:
    """The packaged stage's plain settings from .chalice/config.json (the API gets the same from Chalice)."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return {**config["environment_variables"], **config["stages"]["prod"]["environment_variables"]}


def generated_resources(resources: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the declarations add to the template: queues, functions, roles, and the API's role."""
    load_declarations()
    made = queue_resources(resources)
    known = {**resources, **made}
    for function in functions():
        made[function.logical_id] = function_resource(function, known)
        made[f"{function.logical_id}Role"] = role(function.name, all_needs(function), known)
    made[API_ROLE] = role(API_FUNCTION, API_NEEDS, known)
    made[API_LOGICAL_ID] = {
        "Properties": {
            "FunctionName": _sub(f"${{AWS::StackName}}-{API_FUNCTION}"),
            "Environment": {"Variables": {**environment(API_NEEDS, known), **API_ENVIRONMENT}},
        }
    }
    from infra.alarms import alarm_resources

    names = {API_LOGICAL_ID: _sub(f"${{AWS::StackName}}-{API_FUNCTION}")}
    names.update({f.logical_id: _sub(f"${{AWS::StackName}}-{f.name}") for f in functions()})
    made.update(alarm_resources({**resources, **made}, names))
    return made


def function_needs() -> dict[str, tuple[str, ...]]:
    """Chalice function name -> every need its role is written from (tests hold calls against these)."""
    found = {API_FUNCTION: tuple(sorted(API_NEEDS))}
    for function in functions():
        found[function.name] = all_needs(function)
    return found
