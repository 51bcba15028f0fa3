"""Open data (OCDS): each deal and accepted plan as a release in S3, daily release packages, a public listing.

open-data/releases/{yyyy-mm-dd}/{release id}.json   one release, written once (its id carries the version)
open-data/packages/{yyyy-mm-dd}.json                the day's release package (China dates)
open-data/packages/index.json                       every package: date, releases, size
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from chalice.app import Blueprint

from chalicelib.domain.clock import china_date, china_date_text, to_iso, utc_now
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.http import RequestContext, api_route
from chalicelib.lambdas import Change, document_of, entry_point, schedule, stream_consumer
from chalicelib.observability import logger

bp = Blueprint(__name__)

RELEASES = "open-data/releases"
PACKAGES = "open-data/packages"
INDEX = f"{PACKAGES}/index.json"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
JSON = "application/json; charset=utf-8"


def _s3() -> Any:
    from chalicelib.store.aws import client

    return client("s3")


def _bucket() -> str:
    from chalicelib.config import get_settings

    return get_settings().reports_bucket


def _put(key: str, document: Any) -> None:
    body = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    _s3().put_object(Bucket=_bucket(), Key=key, Body=body, ContentType=JSON)


@stream_consumer(
    "open_data_releases",
    table="MainTable",
    kinds=("order", "plan"),
    needs=("ReportsBucket:put:open-data/*",),
    queued=True,
)
def publish_release(change: Change) -> None:
    """A deal, a change of a deal's contract or an accepted plan becomes a release (idempotent: same key)."""
    from chalicelib.domain import ocds

    new, old = document_of(change.new), document_of(change.old)
    if new is None:
        return
    if change.kind == "order":
        from chalicelib.domain.orders import order_from_dict
        from chalicelib.store.documents import fields_of

        order = order_from_dict(fields_of("order", new))
        before = order_from_dict(fields_of("order", old)) if old else None
        if not ocds.is_published(order) or (before is not None and before.status is order.status):
            return
        first = before is None or not ocds.is_published(before)
        release = ocds.purchase_release(order, first)
    else:
        from chalicelib.domain.plans import PlanStatus, plan_from_dict
        from chalicelib.store.documents import fields_of

        # The item's own version (the document's may lag: counters move it outside the document).
        plan = plan_from_dict(fields_of("plan", new))._replace(version=int((change.new or {}).get("version", 1)))
        was = plan_from_dict(fields_of("plan", old)) if old else None
        if was is not None and was.status is PlanStatus.ACCEPTED:
            return
        found = ocds.plan_release(plan)
        if found is None:
            return
        release = found
    key = f"{RELEASES}/{china_date_text(release['date'])}/{release['id']}.json"
    _put(key, release)
    logger.info("open data release", extra={"key": key})


def package_day(day: str, published: str) -> int:
    """Collect a day's releases into its package; returns how many it holds."""
    from chalicelib.domain import ocds

    s3, bucket = _s3(), _bucket()
    releases = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{RELEASES}/{day}/"):
        for entry in page.get("Contents", []):
            releases.append(json.loads(s3.get_object(Bucket=bucket, Key=entry["Key"])["Body"].read()))
    if not releases:
        return 0
    _put(f"{PACKAGES}/{day}.json", ocds.package(releases, f"{PACKAGES}/{day}.json", published))
    return len(releases)


def _index() -> dict[str, Any]:
    s3 = _s3()
    try:
        found: dict[str, Any] = json.loads(s3.get_object(Bucket=_bucket(), Key=INDEX)["Body"].read())
    except s3.exceptions.NoSuchKey:
        return {"packages": {}}
    return found


@schedule(
    "package_open_data",
    rate="rate(1 day)",
    needs=("ReportsBucket:list", "ReportsBucket:read:open-data/*", "ReportsBucket:put:open-data/*"),
    timeout_s=600,
)
@entry_point("package_open_data")
def package_open_data(event: Any, context: Any) -> dict[str, int]:
    """Yesterday's package, complete, and today's so far (China dates); `detail.days` names others to redo."""
    now = utc_now()
    today = china_date(now)
    days = {(today - timedelta(days=1)).isoformat(), today.isoformat()}
    days.update(d for d in (event.get("detail") or {}).get("days", []) if isinstance(d, str) and _DAY.fullmatch(d))
    index = _index()
    counts = {}
    for day in sorted(days):
        count = package_day(day, to_iso(now))
        if count:
            index["packages"][day] = {
                "date": day,
                "releases": count,
                "key": f"{PACKAGES}/{day}.json",
                "published": to_iso(now),
            }
            counts[day] = count
    _put(INDEX, index)
    return counts


# ---------------------------------------------------------------- the public listing


@api_route(bp, "/open-data/packages", response="reports:OpenDataCatalogue")
def list_packages(ctx: RequestContext) -> dict[str, Any]:
    """Public (阳光采购): every daily release package, newest first, each with a short-lived download link."""
    from chalicelib.store.uploads import signed_link

    packages = sorted(_index()["packages"].values(), key=lambda p: p["date"], reverse=True)
    return {
        "format": "OCDS 1.1 release package",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "items": [
            {**p, "url": signed_link(_bucket(), p["key"], f"ocds-{p['date']}.json", inline=True)} for p in packages
        ],
    }


@api_route(bp, "/open-data/packages/{day}", response="reports:OpenDataPackage")
def package_link(ctx: RequestContext, day: str) -> dict[str, Any]:
    from chalicelib.store.uploads import signed_link

    if not _DAY.fullmatch(day):
        raise InvalidInput("日期格式应为 YYYY-MM-DD（如 2024-03-15）", code="DATE_INVALID", details={"field": "day"})
    found = _index()["packages"].get(day)
    if found is None:
        raise NotFound(f"{day} 没有公开数据包", code="PACKAGE_NOT_FOUND")
    return {**found, "url": signed_link(_bucket(), found["key"], f"ocds-{day}.json", inline=True)}
