"""The one schema source: infra/resources.json, the state machines beside it, and the declared functions.

resources.json holds the shared resources (tables, buckets, pool, bus, the
deadline machine); every function other than the API, its role, its queues and
the API's role are written from the declarations in chalicelib/lambdas.py by
infra/functions.py. `chalice package --merge-template` deploys the whole;
`infra.provision` creates the same resources in moto for tests and the local run.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

INFRA_DIR = Path(__file__).resolve().parent
RESOURCES_FILE = INFRA_DIR / "resources.json"
ASL_MARKER = "@asl:"


def load_resources() -> dict[str, Any]:
    with open(RESOURCES_FILE, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def _named_by_env() -> dict[str, str]:
    """Logical id -> the variable that carries its name in .chalice/config.json (tables and buckets), by the one
    naming rule the functions' environments use (chalicelib.config.env_var)."""
    from chalicelib.config import env_var

    kinds = ("AWS::DynamoDB::Table", "AWS::S3::Bucket")
    resources = load_resources()["Resources"]
    return {k: env_var(k, v["Type"]) for k, v in resources.items() if v.get("Type") in kinds}


NAMED_BY_ENV = _named_by_env()
# Importing the declarations imports the models, which name their tables at import.
_IMPORT_PLACEHOLDERS = {env: "packaging" for logical_id, env in NAMED_BY_ENV.items() if logical_id.endswith("Table")}


def read_asl(relative: str) -> dict[str, Any]:
    with open(INFRA_DIR / relative, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v.get("Type") == resource_type}


def declared_template() -> dict[str, Any]:
    """resources.json plus what the function declarations generate (ASL markers left in place)."""
    for variable, placeholder in _IMPORT_PLACEHOLDERS.items():
        os.environ.setdefault(variable, placeholder)
    from infra.functions import generated_resources

    template = copy.deepcopy(load_resources())
    template["Resources"].update(generated_resources(template["Resources"]))
    return template


def merge_template() -> dict[str, Any]:
    """The template to merge into Chalice's: each `@asl:` marker replaced by the ASL file's text."""
    template = declared_template()
    for machine in resources_of_type(template, "AWS::StepFunctions::StateMachine").values():
        sub = machine["Properties"]["DefinitionString"]["Fn::Sub"]
        text = sub[0]
        if not text.startswith(ASL_MARKER):
            raise ValueError(f"state machine definition must reference an ASL file: {text[:40]}")
        sub[0] = json.dumps(read_asl(text.removeprefix(ASL_MARKER)), ensure_ascii=False, separators=(",", ":"))
    return template


def state_machines() -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Logical id -> (ASL definition, substitution variables as declared)."""
    found = {}
    for logical_id, machine in resources_of_type(load_resources(), "AWS::StepFunctions::StateMachine").items():
        text, variables = machine["Properties"]["DefinitionString"]["Fn::Sub"]
        found[logical_id] = (read_asl(text.removeprefix(ASL_MARKER)), variables)
    return found
