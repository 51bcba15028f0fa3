"""What the benchmarks share: the environment on moto (the dev stage's variables, fake credentials, TZ=UTC, quiet
logs) and how a latency percentile is read off the samples."""

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


def percentile(samples: list[float], q: float) -> float:
    """The sample at quantile `q` (0.99: the p99) of a non-empty list, by rank (no interpolation)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]
