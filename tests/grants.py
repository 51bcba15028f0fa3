"""Every AWS call a function makes during the tests, held against that function's role in the packaged template.

moto does not enforce IAM, so a missing grant passes every other test and
fails in AWS. While the suite runs, every botocore call (boto3's and
pynamodb's, presigned links included) is recorded with the function that made
it: the one the emulation is playing at that moment (`scheduled.emulation.
acting_as`: the API for requests through the test client, a timer, stream or
queue function when a pump or the state machine runs it). Each call becomes
the IAM actions and resource ARNs AWS would authorise, and these are
evaluated against the function's role with moto's IAM policy engine, after
resolving the template's Ref, Fn::GetAtt and Fn::Sub to the names the tests
use.
"""

from __future__ import annotations

import os
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, NamedTuple

REGION = "us-east-1"
ACCOUNT = "123456789012"
STACK = "yuncai-dev"
POOL = "POOL"  # user pool ids differ per test: compared by role, not by id
STREAM_LABEL = "LABEL"
SECRET_SUFFIX = "SUFFIX"


class Call(NamedTuple):
    action: str  # e.g. dynamodb:PutItem
    resource: str  # the ARN IAM authorises it on


class Unmapped(NamedTuple):
    service: str
    operation: str


# ---------------------------------------------------------------- recording

_lock = threading.Lock()
CALLS: dict[str, set[Call]] = defaultdict(set)
_taps: list[dict[str, set[Call]]] = []
UNMAPPED: dict[str, set[Unmapped]] = defaultdict(set)
_last_stream: dict[str, str] = {}
# Operations that need no IAM permission (unauthenticated Cognito user APIs, identity).
FREE = {
    ("cognito-idp", "InitiateAuth"),
    ("cognito-idp", "RespondToAuthChallenge"),
    ("cognito-idp", "GetUser"),
    ("sts", "GetCallerIdentity"),
}


def _function() -> str:
    from scheduled.emulation import current_function

    return current_function.get()


def record(service: str, operation: str, params: Mapping[str, Any]) -> None:
    function = _function()
    if not function or (service, operation) in FREE:
        return
    calls = calls_of(service, operation, params, function)
    with _lock:
        if calls is None:
            UNMAPPED[function].add(Unmapped(service, operation))
        else:
            for sink in (CALLS, *_taps):
                sink[function].update(calls)


@contextmanager
def tap() -> Iterator[dict[str, set[Call]]]:
    """The calls made inside the block (they are recorded for the suite's check as well)."""
    calls: dict[str, set[Call]] = defaultdict(set)
    with _lock:
        _taps.append(calls)
    try:
        yield calls
    finally:
        with _lock:
            _taps.remove(calls)


def forget(calls: Mapping[str, Iterable[Call]]) -> None:
    """Drop calls a test made for a function it declared itself (not one the template deploys)."""
    with _lock:
        for function, made in calls.items():
            CALLS[function].difference_update(made)


def install() -> None:
    """Wrap botocore's one door for API calls, and the two presigners (a link is used with the signer's rights)."""
    from botocore import signers
    from botocore.client import BaseClient

    if getattr(BaseClient._make_api_call, "_grants", False):
        return
    original_call = BaseClient._make_api_call
    original_url = signers.generate_presigned_url
    original_post = signers.generate_presigned_post

    def make_api_call(self: Any, operation_name: str, api_params: Mapping[str, Any]) -> Any:
        record(self.meta.service_model.service_name, operation_name, api_params)
        return original_call(self, operation_name, api_params)

    def generate_presigned_url(self: Any, ClientMethod: str, Params: Any = None, **kwargs: Any) -> Any:
        operation = self.meta.method_to_api_mapping.get(ClientMethod, ClientMethod)
        record(self.meta.service_model.service_name, operation, Params or {})
        return original_url(self, ClientMethod, Params, **kwargs)

    def generate_presigned_post(self: Any, Bucket: str, Key: str, *args: Any, **kwargs: Any) -> Any:
        record("s3", "PutObject", {"Bucket": Bucket, "Key": Key.replace("${filename}", "file")})
        return original_post(self, Bucket, Key, *args, **kwargs)

    make_api_call._grants = True  # type: ignore[attr-defined]
    BaseClient._make_api_call = make_api_call  # type: ignore[method-assign]
    # botocore copies these onto each client class when the class is first made: patch before any client exists.
    signers.generate_presigned_url = generate_presigned_url
    signers.generate_presigned_post = generate_presigned_post


# ---------------------------------------------------------------- calls -> IAM


def _table(name: str, index: str | None = None) -> str:
    arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"
    return f"{arn}/index/{index}" if index else arn


def _stream(arn: str) -> str:
    return re.sub(r"/stream/[^/]+$", f"/stream/{STREAM_LABEL}", arn)


def _queue(url_or_name: str) -> str:
    return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{url_or_name.rstrip('/').rsplit('/', 1)[-1]}"


def _secret(secret_id: str) -> str:
    name = secret_id.split(":secret:", 1)[1].rsplit("-", 1)[0] if ":secret:" in secret_id else secret_id
    return f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}-{SECRET_SUFFIX}"


def _bus(name_or_arn: str) -> str:
    name = name_or_arn.rsplit("/", 1)[-1] if name_or_arn.startswith("arn:") else name_or_arn
    return f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{name}"


_TRANSACT = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem"}
_SQS_ACTION = {
    "SendMessageBatch": "SendMessage",
    "DeleteMessageBatch": "DeleteMessage",
    "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
}
_S3_ACTION = {"HeadObject": "GetObject", "ListObjectsV2": "ListBucket", "ListObjects": "ListBucket"}


def _dynamodb(operation: str, params: Mapping[str, Any]) -> set[Call] | None:
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return {Call(f"dynamodb:{operation}", _table(t)) for t in params.get("RequestItems", {})}
    if operation == "TransactWriteItems":
        found = set()
        for item in params.get("TransactItems", []):
            for kind, op in item.items():
                found.add(Call(f"dynamodb:{_TRANSACT[kind]}", _table(op["TableName"])))
        return found
    if operation == "TransactGetItems":
        return {Call("dynamodb:GetItem", _table(i["Get"]["TableName"])) for i in params.get("TransactItems", [])}
    if "TableName" in params:
        return {Call(f"dynamodb:{operation}", _table(params["TableName"], params.get("IndexName")))}
    return None


def _streams(operation: str, params: Mapping[str, Any], function: str) -> set[Call] | None:
    if "StreamArn" in params:
        _last_stream[function] = _stream(params["StreamArn"])
        return {Call(f"dynamodb:{operation}", _stream(params["StreamArn"]))}
    if operation == "GetRecords" and function in _last_stream:
        return {Call("dynamodb:GetRecords", _last_stream[function])}
    return None


def _s3(operation: str, params: Mapping[str, Any]) -> set[Call] | None:
    bucket = params.get("Bucket")
    if not bucket:
        return None
    action = _S3_ACTION.get(operation, operation)
    if action == "ListBucket" or "Key" not in params:
        return {Call(f"s3:{action}", f"arn:aws:s3:::{bucket}")}
    return {Call(f"s3:{action}", f"arn:aws:s3:::{bucket}/{params['Key']}")}


def _sqs(operation: str, params: Mapping[str, Any]) -> set[Call] | None:
    target = params.get("QueueUrl") or params.get("QueueName")
    if not target:
        return None
    return {Call(f"sqs:{_SQS_ACTION.get(operation, operation)}", _queue(str(target)))}


def _key(key_id: str) -> str:
    """A KMS key as the tests name it: each backend makes a new key id, so the key is named by the variable
    that carries it (QUOTE_KEY_ID -> key/QuoteKey), the same name the template's key resolves to."""
    import os

    from chalicelib.lambdas import logical_id

    for variable, value in os.environ.items():
        if variable.endswith("_KEY_ID") and value == key_id:
            return f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{logical_id(variable.removesuffix('_ID').lower())}"
    return f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}"


def _other(service: str, operation: str, params: Mapping[str, Any]) -> set[Call] | None:
    if service == "kms" and "KeyId" in params:
        return {Call(f"kms:{operation}", _key(str(params["KeyId"])))}
    if service == "events" and operation == "PutEvents":
        return {Call("events:PutEvents", _bus(e.get("EventBusName", "default"))) for e in params.get("Entries", [])}
    if service == "stepfunctions" and "stateMachineArn" in params:
        return {Call(f"states:{operation}", str(params["stateMachineArn"]))}
    if service == "stepfunctions" and "executionArn" in params:
        return {Call(f"states:{operation}", str(params["executionArn"]))}
    if service == "secretsmanager" and "SecretId" in params:
        return {Call(f"secretsmanager:{operation}", _secret(str(params["SecretId"])))}
    if service == "cognito-idp" and "UserPoolId" in params:
        return {Call(f"cognito-idp:{operation}", f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{POOL}")}
    return None


def calls_of(service: str, operation: str, params: Mapping[str, Any], function: str = "") -> set[Call] | None:
    """The (action, resource) pairs IAM checks for one API call; None when this module cannot tell."""
    if service == "dynamodb":
        return _dynamodb(operation, params)
    if service == "dynamodbstreams":
        return _streams(operation, params, function)
    if service == "s3":
        return _s3(operation, params)
    if service == "sqs":
        return _sqs(operation, params)
    return _other(service, operation, params)


# ---------------------------------------------------------------- the template, resolved


def _named(props: Mapping[str, Any], key: str) -> str:
    value = props.get(key)
    text = value["Fn::Sub"] if isinstance(value, dict) else str(value)
    return text.replace("${AWS::StackName}", STACK)


def _names_of(logical_id: str, kind: str, props: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, str] | None:
    from chalicelib.config import env_var

    if kind == "AWS::DynamoDB::Table":
        name = env[env_var(logical_id, kind)]
        return {"Ref": name, "Arn": _table(name), "StreamArn": f"{_table(name)}/stream/{STREAM_LABEL}"}
    if kind == "AWS::S3::Bucket":
        name = env[env_var(logical_id, kind)]
        return {"Ref": name, "Arn": f"arn:aws:s3:::{name}"}
    if kind == "AWS::SQS::Queue":
        return {"Ref": _named(props, "QueueName"), "Arn": _queue(_named(props, "QueueName"))}
    if kind == "AWS::Events::EventBus":
        return {"Ref": _named(props, "Name"), "Arn": _bus(_named(props, "Name"))}
    if kind == "AWS::SecretsManager::Secret":
        return {"Ref": _secret(_named(props, "Name"))}
    if kind == "AWS::StepFunctions::StateMachine":
        arn = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{_named(props, 'StateMachineName')}"
        return {"Ref": arn, "Arn": arn}
    if kind == "AWS::KMS::Key":
        arn = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{logical_id}"
        return {"Ref": logical_id, "Arn": arn}
    if kind == "AWS::Cognito::UserPool":
        return {"Ref": POOL, "Arn": f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{POOL}"}
    if kind == "AWS::Serverless::Function" and "FunctionName" in props:
        name = _named(props, "FunctionName")
        return {"Ref": name, "Arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"}
    return None


def _names(resources: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Logical id -> {"Ref": …, "Arn": …, "StreamArn": …} as the tests' resources are named."""
    found = {}
    for logical_id, resource in resources.items():
        names = _names_of(logical_id, resource.get("Type", ""), resource.get("Properties", {}), env)
        if names is not None:
            found[logical_id] = names
    return found


_PSEUDO = {"AWS::Partition": "aws", "AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::StackName": STACK}


def resolve(value: Any, names: Mapping[str, Mapping[str, str]]) -> Any:
    """Ref, Fn::GetAtt and Fn::Sub replaced by the tests' names; anything unresolvable raises KeyError."""
    if isinstance(value, list):
        return [resolve(v, names) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"}:
        return _PSEUDO.get(value["Ref"]) or names[value["Ref"]]["Ref"]
    if set(value) == {"Fn::GetAtt"}:
        logical_id, attribute = value["Fn::GetAtt"]
        return names[logical_id][attribute]
    if set(value) == {"Fn::Sub"}:
        text = value["Fn::Sub"]

        def substitute(match: re.Match[str]) -> str:
            token = match.group(1)
            if token in _PSEUDO:
                return _PSEUDO[token]
            logical_id, _, attribute = token.partition(".")
            return names[logical_id][attribute or "Ref"]

        return re.sub(r"\$\{([^}]+)\}", substitute, text)
    return {k: resolve(v, names) for k, v in value.items()}


def role_of(function: str) -> str:
    from chalicelib.lambdas import logical_id

    return "ApiHandlerRole" if function == "api_handler" else f"{logical_id(function)}Role"


def policies(template: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Role logical id -> its statements, resolved."""
    resources = template["Resources"]
    names = _names(resources, env)
    found: dict[str, list[dict[str, Any]]] = {}
    for logical_id, resource in resources.items():
        if resource.get("Type") != "AWS::IAM::Role":
            continue
        statements = []
        for policy in resource["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                statements.append(resolve(statement, names))
        found[logical_id] = statements
    return found


# ---------------------------------------------------------------- evaluation


def _permitted(statements: list[dict[str, Any]], call: Call) -> bool:
    import json

    from moto.iam.access_control import IAMPolicy, PermissionResult

    document = json.dumps({"Version": "2012-10-17", "Statement": statements})
    return IAMPolicy(document).is_action_permitted(call.action, call.resource) == PermissionResult.PERMITTED


def _matches(pattern: str, value: str) -> bool:
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."), value) is not None


class Verdict(NamedTuple):
    missing: dict[str, list[Call]]  # function -> calls its role does not allow
    unused: dict[str, list[tuple[str, str]]]  # role -> (action, resource pattern) no recorded call used
    unmapped: dict[str, list[Unmapped]]  # calls this module could not translate


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def check(
    calls: Mapping[str, Iterable[Call]],
    template: Mapping[str, Any],
    env: Mapping[str, str],
    unmapped: Mapping[str, Iterable[Unmapped]] | None = None,
) -> Verdict:
    resolved = policies(template, env)
    missing: dict[str, list[Call]] = {}
    for function, made in calls.items():
        statements = resolved.get(role_of(function), [])
        refused = sorted(c for c in made if not _permitted(statements, c))
        if refused:
            missing[function] = refused
    unused: dict[str, list[tuple[str, str]]] = {}
    by_role = {role_of(f): list(c) for f, c in calls.items()}
    function_roles = {role_of(f.name) for f in _declared_functions()} | {role_of("api_handler")}
    for role, statements in resolved.items():
        if role not in function_roles:
            continue  # a state machine's role: its calls are made by Step Functions, not by our code
        made_here = by_role.get(role, [])
        idle = [
            (action, pattern)
            for statement in statements
            if statement.get("Sid") != "Logs"  # the Lambda runtime writes logs, not our code
            for action in _as_list(statement["Action"])
            for pattern in _as_list(statement["Resource"])
            if not any(c.action == action and _matches(pattern, c.resource) for c in made_here)
        ]
        if idle:
            unused[role] = idle
    return Verdict(missing, unused, {f: sorted(u) for f, u in (unmapped or {}).items() if u})


def _declared_functions() -> list[Any]:
    from chalicelib.lambdas import functions

    return functions()


def report(verdict: Verdict) -> Iterator[str]:
    for function, refused in sorted(verdict.missing.items()):
        for call in refused:
            yield f"MISSING  {function} ({role_of(function)}): {call.action} on {call.resource}"
    for function, calls in sorted(verdict.unmapped.items()):
        for unmapped in calls:
            yield f"UNMAPPED {function}: {unmapped.service}.{unmapped.operation} (teach tests/grants.py its ARN)"
    for role, idle in sorted(verdict.unused.items()):
        for action, pattern in idle:
            yield f"unused   {role}: {action} on {pattern}"


def test_environment() -> dict[str, str]:
    """The names the tests give the tables and buckets (the dev stage's)."""
    return dict(os.environ)
