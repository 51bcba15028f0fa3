"""The restore drill of docs/operations.md, run on moto: the tables that hold the record have point-in-time recovery
on; a restore to a new table brings back every item, with the same keys and indexes, and the app's own stores can
read the restored copy.

moto copies the table as it stands (it ignores the restore time), so this drills the procedure and what a restored
table must be; the point in time itself is AWS's part.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

import boto3

from chalicelib.config import get_tables
from chalicelib.store.models import PlanItem
from chalicelib.store.plans import plan_from_item
from tests.api.orders_support import SITE, add_plan
from tests.conftest import Api


def _items(ddb: Any, table: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in ddb.get_paginator("scan").paginate(TableName=table):
        found.extend(page["Items"])
    return sorted(found, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))


def _indexes(description: dict[str, Any]) -> list[tuple[str, Any]]:
    return sorted((i["IndexName"], i["KeySchema"]) for i in description.get("GlobalSecondaryIndexes", []))


def test_the_record_restores_to_a_point_in_time(api: Api) -> None:
    ddb = boto3.client("dynamodb")
    tables = get_tables()
    for table in (tables.main, tables.audit, os.environ["STATS_TABLE"]):
        backups = ddb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
        assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED", table
    plan_no = add_plan(41, budget_fen=500_000)
    moment = datetime.now(UTC)

    restored = f"{tables.main}-restored"
    ddb.restore_table_to_point_in_time(
        SourceTableName=tables.main, TargetTableName=restored, RestoreDateTime=moment, UseLatestRestorableTime=False
    )
    ddb.get_waiter("table_exists").wait(TableName=restored, WaiterConfig={"Delay": 1, "MaxAttempts": 60})

    source = ddb.describe_table(TableName=tables.main)["Table"]
    copy = ddb.describe_table(TableName=restored)["Table"]
    assert copy["KeySchema"] == source["KeySchema"] and _indexes(copy) == _indexes(source)
    assert _items(ddb, restored) == _items(ddb, tables.main)
    # The app's own model reads the restored copy: the plan, its budget and what is committed against it.
    raw = ddb.get_item(TableName=restored, Key={"pk": {"S": f"{SITE}#PLAN#{plan_no}"}, "sk": {"S": "PLAN"}})["Item"]
    plan = plan_from_item(PlanItem.from_raw_data(raw))
    assert (plan.plan_no, plan.budget_fen, plan.committed_fen) == (plan_no, 500_000, 0)
