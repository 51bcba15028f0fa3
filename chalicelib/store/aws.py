"""boto3 clients, built on first use: importing boto3 costs a cold start ~0.2 s."""

from __future__ import annotations

import threading
from typing import Any

_clients: dict[str, Any] = {}
_lock = threading.Lock()


def client(service: str) -> Any:
    with _lock:
        if service not in _clients:
            import boto3

            _clients[service] = boto3.client(service)
        return _clients[service]


def reset_clients() -> None:
    """Tests start a fresh moto backend per test; drop clients bound to the old one."""
    with _lock:
        _clients.clear()
