"""The one schema source: infra/resources.json plus the state machines beside it.

`chalice package --merge-template` deploys it to AWS; `infra.provision` creates
the same tables, pool, queue and machines in moto for tests and the local run.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

INFRA_DIR = Path(__file__).resolve().parent
RESOURCES_FILE = INFRA_DIR / "resources.json"
ASL_MARKER = "@asl:"

# Chalice function name -> logical id in the packaged template.
CHALICE_FUNCTIONS = {
    "api_handler": "APIHandler",
    "on_deadline": "OnDeadline",
    "sweep_due_changes": "SweepDueChanges",
    "on_main_table_change": "OnMainTableChange",
}

# Logical id -> the environment variable that carries its name in .chalice/config.json.
NAMED_BY_ENV = {
    "MainTable": "MAIN_TABLE",
    "AuditTable": "AUDIT_TABLE",
    "IdempotencyTable": "IDEMPOTENCY_TABLE",
    "CatalogTable": "CATALOG_TABLE",
    "ReportsBucket": "REPORTS_BUCKET",
    "UploadsBucket": "UPLOADS_BUCKET",
    "WebBucket": "WEB_BUCKET",
}


def load_resources() -> dict[str, Any]:
    with open(RESOURCES_FILE, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def read_asl(relative: str) -> dict[str, Any]:
    with open(INFRA_DIR / relative, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v.get("Type") == resource_type}


def merge_template() -> dict[str, Any]:
    """resources.json with each `@asl:` marker replaced by the ASL file's text."""
    template = copy.deepcopy(load_resources())
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
