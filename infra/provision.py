"""Create the template's resources in moto (tests, the embedded run).

Every definition comes from infra/resources.json and the ASL files, the same
ones `make package` merges into the AWS template; only names differ, taken
from the stage's environment in .chalice/config.json. Each step lists first
and creates only what is missing, so provisioning twice changes nothing.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping
from typing import Any

import boto3

from chalicelib.config import env_var
from infra.template import NAMED_BY_ENV, declared_template, resources_of_type, state_machines

APP_NAME = "yuncai"
ACCOUNT_ID = "123456789012"
_SUB_VARIABLE = re.compile(r"\$\{([A-Za-z0-9_]+)\}")
# moto's Lambda never unpacks the code; an empty zip archive is enough.
_STUB_ZIP = b"PK\x05\x06" + b"\x00" * 18


def function_name(stage: str, chalice_name: str) -> str:
    """The deployed name Chalice gives a Lambda function."""
    return f"{APP_NAME}-{stage}-{chalice_name}"


def _table_request(name: str, props: Mapping[str, Any]) -> dict[str, Any]:
    request: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props["BillingMode"],
    }
    if props.get("GlobalSecondaryIndexes"):
        request["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    if props.get("StreamSpecification"):
        request["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
    if props.get("SSESpecification", {}).get("SSEEnabled"):
        request["SSESpecification"] = {"Enabled": True}
    return request


def provision_tables(env: Mapping[str, str], template: Mapping[str, Any]) -> dict[str, str]:
    """Create the tables; returns logical id -> stream ARN for tables with a stream."""
    ddb = boto3.client("dynamodb")
    existing = set(ddb.list_tables()["TableNames"])
    streams = {}
    for logical_id, resource in resources_of_type(dict(template), "AWS::DynamoDB::Table").items():
        props = resource["Properties"]
        name = env[NAMED_BY_ENV[logical_id]]
        if name not in existing:
            ddb.create_table(**_table_request(name, props))
            ttl = props.get("TimeToLiveSpecification")
            if ttl and ttl.get("Enabled"):
                ddb.update_time_to_live(
                    TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]}
                )
            if props.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled"):
                ddb.update_continuous_backups(
                    TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
                )
        described = ddb.describe_table(TableName=name)["Table"]
        if described.get("LatestStreamArn"):
            streams[logical_id] = described["LatestStreamArn"]
    return streams


def provision_buckets(env: Mapping[str, str], template: Mapping[str, Any]) -> None:
    s3 = boto3.client("s3")
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    for logical_id in resources_of_type(dict(template), "AWS::S3::Bucket"):
        name = env[NAMED_BY_ENV[logical_id]]
        if name not in existing:
            s3.create_bucket(Bucket=name)


def _stack_name(stage: str, text: str) -> str:
    return text.replace("${AWS::StackName}", f"{APP_NAME}-{stage}")


def _queue_attributes(props: Mapping[str, Any], arns: Mapping[str, str]) -> dict[str, str]:
    attributes = {}
    if props.get("FifoQueue"):
        attributes["FifoQueue"] = "true"
    for name in ("VisibilityTimeout", "MessageRetentionPeriod"):
        if name in props:
            attributes[name] = str(props[name])
    redrive = props.get("RedrivePolicy")
    if redrive:
        target = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
        attributes["RedrivePolicy"] = json.dumps(
            {"deadLetterTargetArn": arns[target], "maxReceiveCount": redrive["maxReceiveCount"]}
        )
    return attributes


def provision_queues(stage: str, template: Mapping[str, Any]) -> dict[str, str]:
    """Every queue (dead-letter queues first, so that redrive policies can name them); logical id -> URL."""
    sqs = boto3.client("sqs")
    queues = resources_of_type(dict(template), "AWS::SQS::Queue")
    ordered = sorted(queues.items(), key=lambda item: "RedrivePolicy" in item[1]["Properties"])
    urls: dict[str, str] = {}
    arns: dict[str, str] = {}
    for logical_id, resource in ordered:
        props = resource["Properties"]
        name = _stack_name(stage, props["QueueName"]["Fn::Sub"])
        url = sqs.create_queue(QueueName=name, Attributes=_queue_attributes(props, arns))["QueueUrl"]
        urls[logical_id] = url
        arns[logical_id] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return urls


def provision_secrets(stage: str, template: Mapping[str, Any]) -> dict[str, str]:
    """Secrets with a generated value, as GenerateSecretString does in AWS."""
    sm = boto3.client("secretsmanager")
    names = {}
    for logical_id, resource in resources_of_type(dict(template), "AWS::SecretsManager::Secret").items():
        name = _stack_name(stage, resource["Properties"]["Name"]["Fn::Sub"])
        try:
            sm.describe_secret(SecretId=name)
        except sm.exceptions.ResourceNotFoundException:
            sm.create_secret(Name=name, SecretString=secrets.token_urlsafe(36))
        names[logical_id] = name
    return names


def provision_event_buses(stage: str, template: Mapping[str, Any]) -> dict[str, str]:
    """Custom EventBridge buses (the order events for the budget and payment systems)."""
    events = boto3.client("events")
    existing = {b["Name"] for b in events.list_event_buses()["EventBuses"]}
    names = {}
    for logical_id, resource in resources_of_type(dict(template), "AWS::Events::EventBus").items():
        name = _stack_name(stage, resource["Properties"]["Name"]["Fn::Sub"])
        if name not in existing:
            events.create_event_bus(Name=name)
        names[logical_id] = name
    return names


def provision_keys(stage: str, template: Mapping[str, Any]) -> dict[str, str]:
    """KMS keys (the quote-sealing key), found again by an alias; logical id -> key id."""
    kms = boto3.client("kms")
    aliases = {a["AliasName"]: a.get("TargetKeyId", "") for a in kms.list_aliases()["Aliases"]}
    ids = {}
    for logical_id, resource in resources_of_type(dict(template), "AWS::KMS::Key").items():
        alias = f"alias/{APP_NAME}-{stage}-{logical_id}"
        key_id = aliases.get(alias)
        if not key_id:
            key_id = kms.create_key(Description=resource["Properties"]["Description"])["KeyMetadata"]["KeyId"]
            kms.create_alias(AliasName=alias, TargetKeyId=key_id)
        ids[logical_id] = key_id
    return ids


def provision_user_pool(stage: str, template: Mapping[str, Any]) -> tuple[str, str]:
    """The pool, its web client and its groups; returns (pool id, client id)."""
    idp = boto3.client("cognito-idp")
    pool_props = resources_of_type(dict(template), "AWS::Cognito::UserPool")["UserPool"]["Properties"]
    client_props = resources_of_type(dict(template), "AWS::Cognito::UserPoolClient")["UserPoolClient"]["Properties"]
    pool_name = f"{APP_NAME}-{stage}-users"
    pools = [p for p in idp.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == pool_name]
    if pools:
        pool_id = pools[0]["Id"]
    else:
        pool_id = idp.create_user_pool(
            PoolName=pool_name,
            Policies=pool_props["Policies"],
            Schema=pool_props["Schema"],
            AdminCreateUserConfig=pool_props["AdminCreateUserConfig"],
            UsernameConfiguration=pool_props["UsernameConfiguration"],
        )["UserPool"]["Id"]
    client_name = f"{APP_NAME}-{stage}-web"
    clients = [
        c
        for c in idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
        if c["ClientName"] == client_name
    ]
    if clients:
        client_id = clients[0]["ClientId"]
    else:
        client_id = idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=client_name,
            GenerateSecret=False,
            ExplicitAuthFlows=client_props["ExplicitAuthFlows"],
            ReadAttributes=client_props["ReadAttributes"],
            WriteAttributes=client_props["WriteAttributes"],
            PreventUserExistenceErrors=client_props["PreventUserExistenceErrors"],
        )["UserPoolClient"]["ClientId"]
    existing_groups = {g["GroupName"] for g in idp.list_groups(UserPoolId=pool_id)["Groups"]}
    for group in resources_of_type(dict(template), "AWS::Cognito::UserPoolGroup").values():
        props = group["Properties"]
        if props["GroupName"] not in existing_groups:
            idp.create_group(UserPoolId=pool_id, GroupName=props["GroupName"], Description=props["Description"])
    return pool_id, client_id


def _role_arn(stage: str) -> str:
    iam = boto3.client("iam")
    name = f"{APP_NAME}-{stage}-local-role"
    try:
        return str(iam.get_role(RoleName=name)["Role"]["Arn"])
    except iam.exceptions.NoSuchEntityException:
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": ["lambda.amazonaws.com", "states.amazonaws.com"]},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        return str(iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"])


def provision_functions(stage: str, role_arn: str, template: Mapping[str, Any]) -> dict[str, str]:
    """Stand-ins for the template's Lambda functions (the state machines name them); logical id -> ARN."""
    lam = boto3.client("lambda")
    arns = {}
    for logical_id, resource in resources_of_type(dict(template), "AWS::Serverless::Function").items():
        name = _stack_name(stage, resource["Properties"]["FunctionName"]["Fn::Sub"])
        try:
            arn = lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
        except lam.exceptions.ResourceNotFoundException:
            arn = lam.create_function(
                FunctionName=name,
                Runtime="python3.11",
                Role=role_arn,
                Handler=resource["Properties"]["Handler"],
                Code={"ZipFile": _STUB_ZIP},
            )["FunctionArn"]
        arns[logical_id] = arn
    return arns


def render_definition(
    definition: Mapping[str, Any], variables: Mapping[str, Any], arns: Mapping[str, str], refs: Mapping[str, str]
) -> str:
    """Resolve the Fn::Sub variables of a definition: a function's Arn (GetAtt), or a queue's URL (Ref)."""
    resolved = {}
    for var, value in variables.items():
        resolved[var] = arns[value["Fn::GetAtt"][0]] if "Fn::GetAtt" in value else refs[value["Ref"]]
    text = json.dumps(definition)
    missing = set(_SUB_VARIABLE.findall(text)) - set(resolved)
    if missing:
        raise ValueError(f"unresolved variables in state machine: {sorted(missing)}")
    return _SUB_VARIABLE.sub(lambda m: resolved[m.group(1)], text)


def provision_state_machines(
    stage: str, role_arn: str, arns: Mapping[str, str], refs: Mapping[str, str]
) -> dict[str, str]:
    sfn = boto3.client("stepfunctions")
    template = declared_template()
    existing = {m["name"]: m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]}
    created = {}
    for logical_id, (definition, variables) in state_machines().items():
        props = template["Resources"][logical_id]["Properties"]
        name = _stack_name(stage, props["StateMachineName"]["Fn::Sub"])
        text = render_definition(definition, variables, arns, refs)
        if name in existing:
            sfn.update_state_machine(stateMachineArn=existing[name], definition=text)
            created[logical_id] = existing[name]
        else:
            created[logical_id] = sfn.create_state_machine(name=name, definition=text, roleArn=role_arn)[
                "stateMachineArn"
            ]
    return created


def provision(stage: str, env: Mapping[str, str]) -> dict[str, str]:
    """Create everything; returns the environment the app needs beyond config.json."""
    template = declared_template()
    provision_tables(env, template)
    provision_buckets(env, template)
    queues = provision_queues(stage, template)
    secret_names = provision_secrets(stage, template)
    buses = provision_event_buses(stage, template)
    key_ids = provision_keys(stage, template)
    pool_id, client_id = provision_user_pool(stage, template)
    role_arn = _role_arn(stage)
    function_arns = provision_functions(stage, role_arn, template)
    machines = provision_state_machines(stage, role_arn, function_arns, queues)
    found = {
        "USER_POOL_ID": pool_id,
        "USER_POOL_CLIENT_ID": client_id,
        "DEADLINE_STATE_MACHINE_ARN": machines["DeadlineStateMachine"],
        "COMPETITION_STATE_MACHINE_ARN": machines["CompetitionStateMachine"],
        "INTEGRATION_SECRET_ID": secret_names["IntegrationSecret"],
        "PAYMENT_SECRET_ID": secret_names["PaymentSecret"],
        "ORDER_EVENT_BUS_NAME": buses["OrderEventBus"],
    }
    found.update({env_var(logical_id, "AWS::SQS::Queue"): url for logical_id, url in queues.items()})
    found.update({env_var(logical_id, "AWS::KMS::Key"): key for logical_id, key in key_ids.items()})
    return found
