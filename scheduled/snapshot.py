"""Save and restore the embedded run's data, since moto keeps everything in memory.

Tables are written as DynamoDB-JSON lines, bucket objects as files with an
index, the user pool's users (attributes, password, groups) as users.json: a
supplier who registered during a run logs in after a restart. The pool itself
is new on every start, so old browser tokens are refused (log in again).
Between clean stops, scheduled/journal.py keeps every write.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import boto3

# Bumped when stored items change shape in a way the code does not read back
# (version 2: counters that transactions ADD to live outside the JSON document).
# A snapshot of another format is left alone and the run starts fresh.
FORMAT = 2


def _encode(value: Any) -> Any:
    """DynamoDB JSON with binary values base64-encoded, so that json can hold it."""
    if isinstance(value, bytes):
        return {"__b64__": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__b64__"}:
            return base64.b64decode(value["__b64__"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def save(state_dir: Path, tables: list[str], buckets: list[str], pool_id: str = "") -> dict[str, int]:
    """Write everything to state_dir atomically (a .tmp folder renamed at the end)."""
    tmp = state_dir.with_name(state_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "dynamodb").mkdir(parents=True)
    (tmp / "s3").mkdir(parents=True)
    counts = {"items": 0, "objects": 0}
    ddb = boto3.client("dynamodb")
    for table in tables:
        with open(tmp / "dynamodb" / f"{table}.jsonl", "w", encoding="utf-8") as out:
            for page in ddb.get_paginator("scan").paginate(TableName=table):
                for item in page["Items"]:
                    out.write(json.dumps(_encode(item), ensure_ascii=False) + "\n")
                    counts["items"] += 1
    s3 = boto3.client("s3")
    for bucket in buckets:
        folder = tmp / "s3" / bucket
        folder.mkdir()
        index: list[dict[str, str]] = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for number, obj in enumerate(page.get("Contents", []), start=len(index)):
                got = s3.get_object(Bucket=bucket, Key=obj["Key"])
                (folder / f"{number}.bin").write_bytes(got["Body"].read())
                index.append({"key": obj["Key"], "file": f"{number}.bin", "content_type": got.get("ContentType", "")})
                counts["objects"] += 1
        (folder / "_index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    if pool_id:
        from moto.cognitoidp.models import cognitoidp_backends

        from scheduled.journal import ACCOUNT, REGION, users_of

        users = users_of(cognitoidp_backends[ACCOUNT][REGION], pool_id)
        (tmp / "users.json").write_text(json.dumps(users, ensure_ascii=False), encoding="utf-8")
        counts["users"] = len(users)
    (tmp / "format.txt").write_text(str(FORMAT), encoding="utf-8")
    (tmp / "saved_at.txt").write_text(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), encoding="utf-8")
    shutil.rmtree(state_dir, ignore_errors=True)
    os.replace(tmp, state_dir)
    return counts


def restore(state_dir: Path, tables: list[str], buckets: list[str]) -> dict[str, int]:
    """Load a saved state into freshly provisioned tables and buckets; unknown ones are skipped."""
    counts = {"items": 0, "objects": 0}
    if not state_dir.is_dir():
        return counts
    if saved_format(state_dir) != FORMAT:
        return counts
    ddb = boto3.client("dynamodb")
    for table in tables:
        path = state_dir / "dynamodb" / f"{table}.jsonl"
        if not path.exists():
            continue
        with open(path, encoding="utf-8") as f:
            items = [_decode(json.loads(line)) for line in f if line.strip()]
        for start in range(0, len(items), 25):
            _write_batch(ddb, table, items[start : start + 25])
        counts["items"] += len(items)
    s3 = boto3.client("s3")
    for bucket in buckets:
        folder = state_dir / "s3" / bucket
        if not (folder / "_index.json").exists():
            continue
        for entry in json.loads((folder / "_index.json").read_text(encoding="utf-8")):
            extra = {"ContentType": entry["content_type"]} if entry["content_type"] else {}
            s3.put_object(Bucket=bucket, Key=entry["key"], Body=(folder / entry["file"]).read_bytes(), **extra)
            counts["objects"] += 1
    return counts


def restore_users(state_dir: Path, pool_id: str) -> int:
    """Recreate the saved users in this run's (new) user pool."""
    from scheduled.journal import restore_users as recreate

    path = state_dir / "users.json"
    if saved_format(state_dir) != FORMAT or not path.exists():
        return 0
    return recreate(pool_id, json.loads(path.read_text(encoding="utf-8")))


def saved_format(state_dir: Path) -> int:
    try:
        return int((state_dir / "format.txt").read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return 1


def _write_batch(ddb: Any, table: str, items: list[dict[str, Any]]) -> None:
    request = {table: [{"PutRequest": {"Item": item}} for item in items]}
    for _ in range(10):
        unprocessed = ddb.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
        if not unprocessed:
            return
        request = unprocessed
        time.sleep(0.1)
    raise RuntimeError(f"could not restore all items of {table}")
