"""Deadline timers on Step Functions (infra/statemachines/deadline.asl.json)."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

from chalicelib.config import get_settings
from chalicelib.store.aws import client

_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


class StepFunctionsTimer:
    """Implements domain.site_admin.DeadlineTimer: one execution per deadline."""

    def start(self, name: str, due_at: str, payload: dict[str, Any]) -> None:
        sfn = client("stepfunctions")
        with contextlib.suppress(sfn.exceptions.ExecutionAlreadyExists):
            sfn.start_execution(
                stateMachineArn=get_settings().deadline_state_machine_arn,
                # The name makes a retried start a no-op instead of a second timer.
                name=_NAME_UNSAFE.sub("-", name)[:80],
                input=json.dumps({"due_at": due_at, "task": payload}),
            )
