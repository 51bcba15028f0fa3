"""Logger and Metrics singletons (powertools), configured from the environment.

POWERTOOLS_SERVICE_NAME must differ from the Chalice app name: Chalice forces
its own logger's level, and a shared name would silence ours.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics()
