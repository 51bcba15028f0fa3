"""The environment a benchmark on moto needs: the dev stage's variables, fake credentials, TZ=UTC, quiet logs."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def moto_stage_environment(stage: str = "dev", log_level: str = "WARNING") -> None:
    from scheduled.emulation import set_environment

    set_environment()
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    for key, value in {**config["environment_variables"], **config["stages"][stage]["environment_variables"]}.items():
        os.environ.setdefault(key, value)
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
    os.environ["POWERTOOLS_LOG_LEVEL"] = log_level
    warnings.filterwarnings("ignore", message="No application metrics to publish")
