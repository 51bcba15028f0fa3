"""The statistics table: per-purchase counted records, daily rollups, dirty months and the report index.

    {site}#FACT#{fact_id}   FACT          what one purchase (rating, follow-up) added, and from which version
    {site}#ROLLUP#{grain}#{yyyy}  {grain}#{period}#{group}
                                          counters (top-level numbers, ADDed) and labels ("~" + name) of a year
                                          (Y#2024#core), a month (M#2024-03#b07) or a day (D#2024-03-15#s12);
                                          buyers and suppliers in 16 shards each, the rest in core
    {site}#DIRTY            DIRTY         per month ("yyyy-mm"): how many changes arrived since it was compiled
    {scope}#REPORTS         {period}      the report index: the current compilation's files and summary
    {scope}#REPORTJOB       {job_id}      a requested compilation: status and progress (the UI polls it)

Counters have names such as `d|371502|amt`; a day item carries hundreds, which
pynamodb's fixed models cannot express, so this store speaks to DynamoDB's
low-level API. The table has no stream: rollups never feed back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from chalicelib.config import get_settings
from chalicelib.domain.stats import GRAINS, Contribution, Counted, Delta, group_of, periods_of_day, tiles
from chalicelib.store.aws import client

LABEL = "~"
_KEYS = ("pk", "sk")


def _table() -> str:
    return get_settings().stats_table


def fact_pk(site_id: str, fact_id: str) -> str:
    return f"{site_id}#FACT#{fact_id}"


def rollup_pk(site_id: str, year: int | str, grain: str) -> str:
    """One partition per site, year and grain: a year's report reads 33 items, not its days too."""
    return f"{site_id}#ROLLUP#{grain}#{year}"


def rollup_sk(grain: str, period: str, group: str) -> str:
    return f"{grain}#{period}#{group}"


def _grouped(
    counters: Mapping[str, int], labels: Mapping[str, str]
) -> dict[str, tuple[dict[str, int], dict[str, str]]]:
    groups: dict[str, tuple[dict[str, int], dict[str, str]]] = {}
    for name, value in counters.items():
        groups.setdefault(group_of(name), ({}, {}))[0][name] = value
    for name, text in labels.items():
        groups.setdefault(group_of(name), ({}, {}))[1][name] = text
    return groups


def _split(item: Mapping[str, Any]) -> tuple[dict[str, int], dict[str, str]]:
    counters, labels = {}, {}
    for name, value in item.items():
        if name in _KEYS:
            continue
        if name.startswith(LABEL):
            labels[name[1:]] = value["S"]
        elif "N" in value:
            counters[name] = _number(value)
    return counters, labels


def dirty_pk(site_id: str) -> str:
    return f"{site_id}#DIRTY"


def reports_pk(scope: str) -> str:
    return f"{scope}#REPORTS"


def jobs_pk(scope: str) -> str:
    return f"{scope}#REPORTJOB"


def _number(value: Mapping[str, Any]) -> int:
    return int(Decimal(value["N"]))


def _plain(value: Mapping[str, Any]) -> Any:
    """A low-level attribute value -> Python (numbers as int: every number here is a count or fen)."""
    if "N" in value:
        return _number(value)
    if "S" in value:
        return value["S"]
    if "M" in value:
        return {k: _plain(v) for k, v in value["M"].items()}
    if "L" in value:
        return [_plain(v) for v in value["L"]]
    if "BOOL" in value:
        return value["BOOL"]
    if "NULL" in value:
        return None
    raise ValueError(f"unexpected attribute {value!r}")


def _typed(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": str(value)}
    if isinstance(value, str):
        return {"S": value}
    if value is None:
        return {"NULL": True}
    if isinstance(value, Mapping):
        return {"M": {str(k): _typed(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [_typed(v) for v in value]}
    raise TypeError(f"cannot store {type(value).__name__}")


def plain_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in item.items()}


def _adds(counters: Mapping[str, int], labels: Mapping[str, str]) -> dict[str, Any]:
    """One UpdateItem that ADDs every counter and SETs every label, with placeholders for the names."""
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    adds, sets = [], []
    for i, (name, value) in enumerate(sorted(counters.items())):
        names[f"#a{i}"] = name
        values[f":a{i}"] = {"N": str(value)}
        adds.append(f"#a{i} :a{i}")
    for i, (name, text) in enumerate(sorted(labels.items())):
        names[f"#l{i}"] = LABEL + name
        values[f":l{i}"] = {"S": text}
        sets.append(f"#l{i} = :l{i}")
    expression = " ".join(
        part
        for part in (("ADD " + ", ".join(adds)) if adds else "", ("SET " + ", ".join(sets)) if sets else "")
        if part
    )
    update: dict[str, Any] = {"UpdateExpression": expression, "ExpressionAttributeNames": names}
    if values:
        update["ExpressionAttributeValues"] = values
    return update


class DynamoRollupStore:
    """Implements domain.stats.RollupStore on the statistics table."""

    def counted(self, site_id: str, fact_id: str) -> Counted | None:
        found = client("dynamodb").get_item(
            TableName=_table(), Key={"pk": {"S": fact_pk(site_id, fact_id)}, "sk": {"S": "FACT"}}, ConsistentRead=True
        )
        if "Item" not in found:
            return None
        item = plain_item(found["Item"])
        contribution = Contribution(item["day"], dict(item.get("counters") or {}), {}) if item.get("day") else None
        return Counted(int(item["version"]), contribution)

    def apply(
        self,
        site_id: str,
        fact_id: str,
        previous: Counted | None,
        now: Counted,
        changes: list[Delta],
        labels: Mapping[str, str],
    ) -> bool:
        fact: dict[str, Any] = {
            "pk": {"S": fact_pk(site_id, fact_id)},
            "sk": {"S": "FACT"},
            "version": {"N": str(now.version)},
        }
        if now.contribution is not None:
            fact["day"] = {"S": now.contribution.day}
            fact["counters"] = _typed(now.contribution.counters)
        put: dict[str, Any] = {"TableName": _table(), "Item": fact}
        if previous is None:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            put["ConditionExpression"] = "version = :seen"
            put["ExpressionAttributeValues"] = {":seen": {"N": str(previous.version)}}
        items: list[dict[str, Any]] = [{"Put": put}]
        months: dict[str, int] = {}
        for change in changes:
            named = labels if now.contribution is not None and change.day == now.contribution.day else {}
            for grain, period in zip(GRAINS, periods_of_day(change.day), strict=True):
                for group, (counters, group_labels) in _grouped(change.counters, named).items():
                    items.append(
                        {
                            "Update": {
                                "TableName": _table(),
                                "Key": {
                                    "pk": {"S": rollup_pk(site_id, change.day[:4], grain)},
                                    "sk": {"S": rollup_sk(grain, period, group)},
                                },
                                **_adds(counters, group_labels),
                            }
                        }
                    )
            months[change.day[:7]] = 1
        if months:
            items.append(
                {
                    "Update": {
                        "TableName": _table(),
                        "Key": {"pk": {"S": dirty_pk(site_id)}, "sk": {"S": "DIRTY"}},
                        **_adds(months, {}),
                    }
                }
            )
        ddb = client("dynamodb")
        try:
            ddb.transact_write_items(TransactItems=items)
        except ddb.exceptions.TransactionCanceledException as cancelled:
            reasons = cancelled.response.get("CancellationReasons") or []
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                return False
            raise
        return True

    def pieces(self, site_id: str, first: str, last: str) -> list[tuple[str, dict[str, int], dict[str, str]]]:
        found = []
        for grain, start, end in tiles(date.fromisoformat(first), date.fromisoformat(last)):
            for item in _query(rollup_pk(site_id, start[:4], grain), f"{grain}#{start}", f"{grain}#{end}~"):
                counters, labels = _split(item)
                found.append((item["sk"]["S"], counters, labels))
        return found

    def days(self, site_id: str, first: str, last: str) -> list[tuple[str, dict[str, int], dict[str, str]]]:
        """Each day's counters and labels (all its groups together) between two dates, in order."""
        by_day: dict[str, tuple[dict[str, int], dict[str, str]]] = {}
        for year in range(int(first[:4]), int(last[:4]) + 1):
            for item in _query(rollup_pk(site_id, year, "D"), f"D#{first}", f"D#{last}~"):
                day = item["sk"]["S"].split("#")[1]
                counters, labels = _split(item)
                into = by_day.setdefault(day, ({}, {}))
                into[0].update(counters)
                into[1].update(labels)
        return [(day, c, lab) for day, (c, lab) in sorted(by_day.items())]

    # ------------------------------------------------------------ rebuilding (backfill)

    def replace_year(
        self, site_id: str, year: int, days: Mapping[str, tuple[Mapping[str, int], Mapping[str, str]]]
    ) -> None:
        """Put a year's rollup items afresh from its days (a backfill's recompute): its days, months and the year;
        items of periods that no longer have anything are removed."""
        periods: dict[tuple[str, str], tuple[dict[str, int], dict[str, str]]] = {}
        for day, (counters, labels) in days.items():
            for grain, period in zip(GRAINS, periods_of_day(day), strict=True):
                into = periods.setdefault((grain, period), ({}, {}))
                for name, value in counters.items():
                    into[0][name] = into[0].get(name, 0) + value
                into[1].update(labels)
        wanted: dict[str, dict[str, Any]] = {}
        for (grain, period), (counters, labels) in periods.items():
            for group, (group_counters, group_labels) in _grouped(counters, labels).items():
                item: dict[str, Any] = {
                    "pk": {"S": rollup_pk(site_id, year, grain)},
                    "sk": {"S": rollup_sk(grain, period, group)},
                }
                item.update({k: {"N": str(v)} for k, v in group_counters.items() if v})
                item.update({LABEL + k: {"S": v} for k, v in group_labels.items()})
                wanted[item["sk"]["S"]] = item
        ddb = client("dynamodb")
        writes: list[dict[str, Any]] = [
            {"DeleteRequest": {"Key": {"pk": item["pk"], "sk": item["sk"]}}}
            for grain in GRAINS
            for item in _query(rollup_pk(site_id, year, grain), "0", "~")
            if item["sk"]["S"] not in wanted
        ]
        writes.extend({"PutRequest": {"Item": item}} for item in wanted.values())
        _batch_write(ddb, writes)

    def put_facts(self, site_id: str, facts: Iterable[tuple[str, Counted]]) -> None:
        ddb = client("dynamodb")
        writes = []
        for fact_id, counted in facts:
            item: dict[str, Any] = {
                "pk": {"S": fact_pk(site_id, fact_id)},
                "sk": {"S": "FACT"},
                "version": {"N": str(counted.version)},
            }
            if counted.contribution is not None:
                item["day"] = {"S": counted.contribution.day}
                item["counters"] = _typed(counted.contribution.counters)
            writes.append({"PutRequest": {"Item": item}})
        _batch_write(ddb, writes)

    # ------------------------------------------------------------ dirty months

    def dirty_months(self, site_id: str) -> dict[str, int]:
        found = client("dynamodb").get_item(
            TableName=_table(), Key={"pk": {"S": dirty_pk(site_id)}, "sk": {"S": "DIRTY"}}, ConsistentRead=True
        )
        item = found.get("Item") or {}
        return {k: _number(v) for k, v in item.items() if k not in _KEYS and "N" in v and _number(v) > 0}

    def mark_dirty(self, site_id: str, months: Iterable[str]) -> None:
        counters = {m: 1 for m in months}
        if counters:
            client("dynamodb").update_item(
                TableName=_table(), Key={"pk": {"S": dirty_pk(site_id)}, "sk": {"S": "DIRTY"}}, **_adds(counters, {})
            )

    def clear_dirty(self, site_id: str, month: str, seen: int) -> bool:
        """Forget a month's changes once compiled, unless more arrived meanwhile (then it stays dirty)."""
        ddb = client("dynamodb")
        try:
            ddb.update_item(
                TableName=_table(),
                Key={"pk": {"S": dirty_pk(site_id)}, "sk": {"S": "DIRTY"}},
                UpdateExpression="REMOVE #m",
                ConditionExpression="#m = :seen",
                ExpressionAttributeNames={"#m": month},
                ExpressionAttributeValues={":seen": {"N": str(seen)}},
            )
        except ddb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    # ------------------------------------------------------------ report index and jobs

    def put_report_entry(self, scope: str, period: str, entry: Mapping[str, Any]) -> None:
        item = {"pk": {"S": reports_pk(scope)}, "sk": {"S": period}, "entry": _typed(dict(entry))}
        client("dynamodb").put_item(TableName=_table(), Item=item)

    def report_entry(self, scope: str, period: str) -> dict[str, Any] | None:
        found = client("dynamodb").get_item(
            TableName=_table(), Key={"pk": {"S": reports_pk(scope)}, "sk": {"S": period}}
        )
        if "Item" not in found:
            return None
        entry: dict[str, Any] = plain_item(found["Item"])["entry"]
        return entry

    def report_entries(self, scope: str) -> list[dict[str, Any]]:
        return [plain_item(item)["entry"] for item in _query(reports_pk(scope), "0", "~")]

    def put_job(self, scope: str, job: Mapping[str, Any], expect_status: str | None = None) -> bool:
        request: dict[str, Any] = {
            "TableName": _table(),
            "Item": {"pk": {"S": jobs_pk(scope)}, "sk": {"S": job["id"]}, "job": _typed(dict(job))},
        }
        if expect_status is not None:
            request["ConditionExpression"] = "#j.#s = :s"
            request["ExpressionAttributeNames"] = {"#j": "job", "#s": "status"}
            request["ExpressionAttributeValues"] = {":s": {"S": expect_status}}
        ddb = client("dynamodb")
        try:
            ddb.put_item(**request)
        except ddb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def job(self, scope: str, job_id: str) -> dict[str, Any] | None:
        found = client("dynamodb").get_item(
            TableName=_table(), Key={"pk": {"S": jobs_pk(scope)}, "sk": {"S": job_id}}, ConsistentRead=True
        )
        if "Item" not in found:
            return None
        job: dict[str, Any] = plain_item(found["Item"])["job"]
        return job


def _query(pk: str, first: str, last: str) -> Iterable[dict[str, Any]]:
    ddb = client("dynamodb")
    request: dict[str, Any] = {
        "TableName": _table(),
        "KeyConditionExpression": "pk = :pk AND sk BETWEEN :first AND :last",
        "ExpressionAttributeValues": {":pk": {"S": pk}, ":first": {"S": first}, ":last": {"S": last}},
    }
    while True:
        page = ddb.query(**request)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _batch_write(ddb: Any, writes: list[dict[str, Any]]) -> None:
    table = _table()
    for start in range(0, len(writes), 25):
        pending: dict[str, Any] = {table: writes[start : start + 25]}
        while pending:
            answer = ddb.batch_write_item(RequestItems=pending)
            pending = answer.get("UnprocessedItems") or {}
