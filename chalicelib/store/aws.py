"""boto3 clients, built on first use: importing boto3 costs a cold start ~0.2 s."""

from __future__ import annotations

import threading
from typing import Any

# Throttling and a service's 5xx are retried with backoff (standard mode: three attempts in all), and no call
# waits long on a dead connection: together well inside an API function's 29 s. What still fails is answered
# 503 with a retry hint (chalicelib.faults).
CLIENT_CONFIG: dict[str, Any] = {
    "retries": {"mode": "standard", "max_attempts": 3},
    "connect_timeout": 3,
    "read_timeout": 10,
}

_clients: dict[str, Any] = {}
_lock = threading.Lock()


def client(service: str) -> Any:
    with _lock:
        if service not in _clients:
            import boto3
            from botocore.config import Config

            _clients[service] = boto3.client(service, config=Config(**CLIENT_CONFIG))
        return _clients[service]


def reset_clients() -> None:
    """Tests start a fresh moto backend per test; drop clients bound to the old one."""
    with _lock:
        _clients.clear()
