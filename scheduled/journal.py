"""An append-only journal of every write the local run's moto makes, so that nothing acknowledged is lost.

moto keeps everything in memory and the snapshot (scheduled/snapshot.py) is
written on a clean stop only. Each successful write to a table, a bucket or
the user pool appends the written thing's state after the write (not the
request) to this file, before moto answers; `kill -9` can then lose nothing
the API acknowledged, since a line written is in the kernel's page cache. On
the next start the snapshot is loaded, the journal replayed over it (each
line is idempotent: "this key now holds this"), a new snapshot saved and the
journal emptied.

Numbers handed out (plan and order sequences) are items like any other, so a
number given out before a crash is never given out again.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger("yuncai.journal")
ACCOUNT = "123456789012"
REGION = "us-east-1"


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(path, "a", encoding="utf-8")  # noqa: SIM115 (kept open for the run)

    def append(self, entry: dict[str, Any]) -> None:
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            self._file.write(line + "\n")
            self._file.flush()  # in the kernel before moto answers: survives kill -9 of this process

    def clear(self) -> None:
        with self._lock:
            self._file.truncate(0)
            self._file.seek(0)

    def close(self) -> None:
        with self._lock:
            self._file.close()


_active: Journal | None = None


def start(path: Path) -> Journal:
    """Journal from now on into an empty file at `path`."""
    global _active
    _install()
    journal = Journal(path)
    journal.clear()
    _active = journal
    return journal


def stop(clear: bool = False) -> None:
    global _active
    if _active is not None:
        if clear:
            _active.clear()
        _active.close()
    _active = None


def _record(make: Callable[[], dict[str, Any] | None]) -> None:
    journal = _active
    if journal is None:
        return
    entry = make()
    if entry is not None:
        journal.append(entry)


# ---------------------------------------------------------------- what is journaled


def _ddb_backend() -> Any:
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[ACCOUNT][REGION]


def _key_of(table: Any, attributes: dict[str, Any]) -> dict[str, Any]:
    key = {table.hash_key_attr: attributes[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attributes[table.range_key_attr]
    return key


def _item_entry(backend: Any, table_name: str, key: dict[str, Any]) -> dict[str, Any]:
    item = backend.get_item(table_name, key)
    return {"ddb": table_name, "key": key, "item": item.to_json()["Attributes"] if item is not None else None}


def _user_state(backend: Any, pool_id: str, username: str) -> dict[str, Any] | None:
    pool = backend.user_pools.get(pool_id)
    user = pool.users.get(username) if pool is not None else None
    if user is None:
        return None
    return {
        "attributes": [a for a in user.attributes if a["Name"] != "sub"],
        "password": user.password,
        "enabled": user.enabled,
        "groups": sorted(g.group_name for g in user.groups),
    }


def users_of(backend: Any, pool_id: str) -> dict[str, dict[str, Any]]:
    """Every user of the pool with what is needed to recreate them (the snapshot saves these)."""
    pool = backend.user_pools.get(pool_id)
    found = {}
    for username in list(pool.users) if pool is not None else []:
        state = _user_state(backend, pool_id, username)
        if state is not None:
            found[username] = state
    return found


def _patch(cls: Any, name: str, entry: Callable[..., dict[str, Any] | None]) -> None:
    """After each successful call of cls.name, journal what `entry` says it wrote."""
    original = getattr(cls, name)

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        _record(lambda: entry(self, result, *args, **kwargs))
        return result

    wrapper._journal = True  # type: ignore[attr-defined]
    setattr(cls, name, wrapper)


def _put_item(backend: Any, result: Any, table_name: str, item_attrs: dict[str, Any], *a: Any, **k: Any) -> Any:
    return _item_entry(backend, table_name, _key_of(backend.get_table(table_name), item_attrs))


def _keyed(backend: Any, result: Any, table_name: str, key: dict[str, Any], *a: Any, **k: Any) -> Any:
    return _item_entry(backend, table_name, key)


def _put_object(backend: Any, result: Any, bucket_name: str, key_name: str, value: bytes, *a: Any, **k: Any) -> Any:
    return {"s3": bucket_name, "key": key_name, "body": base64.b64encode(bytes(value)).decode()}


def _delete_object(backend: Any, result: Any, bucket_name: str, key_name: str, *a: Any, **k: Any) -> Any:
    return {"s3": bucket_name, "key": key_name, "body": None}


def _user(backend: Any, result: Any, pool_id: str, *args: Any, **kwargs: Any) -> Any:
    username = args[0] if args else kwargs["username"]
    return {"user": username, "state": _user_state(backend, pool_id, username)}


def _group_entry(backend: Any, result: Any, pool_id: str, group_name: str, username: str, *a: Any, **k: Any) -> Any:
    return {"user": username, "state": _user_state(backend, pool_id, username)}


def _install() -> None:
    from moto.cognitoidp.models import CognitoIdpBackend
    from moto.dynamodb.models import DynamoDBBackend
    from moto.s3.models import S3Backend

    if getattr(DynamoDBBackend.put_item, "_journal", False):
        return
    # Transactions and batches write through these too (scheduled/emulation.py, moto's batch_write_item).
    _patch(DynamoDBBackend, "put_item", _put_item)
    _patch(DynamoDBBackend, "update_item", _keyed)
    _patch(DynamoDBBackend, "delete_item", _keyed)
    _patch(S3Backend, "put_object", _put_object)
    _patch(S3Backend, "delete_object", _delete_object)
    for name in ("admin_create_user", "admin_set_user_password", "admin_delete_user", "admin_update_user_attributes"):
        _patch(CognitoIdpBackend, name, _user)
    for name in ("admin_add_user_to_group", "admin_remove_user_from_group"):
        _patch(CognitoIdpBackend, name, _group_entry)


# ---------------------------------------------------------------- replay


def entries(path: Path) -> Iterator[dict[str, Any]]:
    """The journal's entries; a line torn by the crash (the last, half written) is skipped."""
    if not path.exists():
        return
    with open(path, encoding="utf-8") as f:
        for line in f:
            with contextlib.suppress(ValueError):
                yield json.loads(line)


def replay(path: Path, pool_id: str) -> int:
    """Apply the journal over what the snapshot restored; returns the number of entries applied."""
    ddb = _ddb_backend()
    applied = 0
    users: dict[str, dict[str, Any] | None] = {}
    for entry in entries(path):
        if "ddb" in entry:
            if entry["item"] is None:
                ddb.delete_item(entry["ddb"], entry["key"])
            else:
                ddb.put_item(entry["ddb"], entry["item"])
        elif "s3" in entry:
            _replay_object(entry)
        elif "user" in entry:
            users[entry["user"]] = entry["state"]  # the last state of each user is the one that counts
        applied += 1
    restore_users(pool_id, users)
    return applied


def _replay_object(entry: dict[str, Any]) -> None:
    import boto3

    s3 = boto3.client("s3")
    if entry["body"] is None:
        s3.delete_object(Bucket=entry["s3"], Key=entry["key"])
        return
    extra = {"ContentType": _content_type(entry["key"])} if _content_type(entry["key"]) else {}
    s3.put_object(Bucket=entry["s3"], Key=entry["key"], Body=base64.b64decode(entry["body"]), **extra)


_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def _content_type(key: str) -> str:
    return _CONTENT_TYPES.get(Path(key).suffix.lower(), "")


def restore_users(pool_id: str, users: dict[str, dict[str, Any] | None]) -> int:
    """Recreate users (attributes, password, groups) in this run's pool; None means the user was deleted."""
    import boto3

    idp = boto3.client("cognito-idp")
    restored = 0
    for username, state in users.items():
        with contextlib.suppress(idp.exceptions.UserNotFoundException):
            idp.admin_delete_user(UserPoolId=pool_id, Username=username)
        if state is None:
            continue
        idp.admin_create_user(
            UserPoolId=pool_id, Username=username, UserAttributes=state["attributes"], MessageAction="SUPPRESS"
        )
        if state["password"]:
            idp.admin_set_user_password(
                UserPoolId=pool_id, Username=username, Password=state["password"], Permanent=True
            )
        for group in state["groups"]:
            idp.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
        if not state["enabled"]:
            idp.admin_disable_user(UserPoolId=pool_id, Username=username)
        restored += 1
    return restored
