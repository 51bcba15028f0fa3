"""PynamoDB models over the tables that infra/resources.json declares.

Key layout of the main table (every tenant key starts with the tenant id):

    {site}#SITE        CONFIG                 the site's configuration
    {site}#SITE        CHANGE#{id}            a scheduled change of limits/methods
    {site}#ORG         {uscc}                 a buyer organisation (采购单位)

    GSI1 shandong#SITES         {site}                    list of sites
    GSI1 shandong#CHANGE_DUE    {effective_at}#{site}#{id} pending changes (sparse)
    GSI1 {site}#ORG#{district}  {name}#{uscc}              organisations by district

The audit table holds immutable events keyed by the entity they concern, with
a tenant-wide timeline on its GSI1.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    DiscriminatorAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.config import get_tables

PROVINCE_KEY = "shandong"


class _Gsi1(GlobalSecondaryIndex[Any]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class _Gsi2(GlobalSecondaryIndex[Any]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class MainItem(Model):
    """Every item of the main table; `kind` picks the subclass on reads."""

    class Meta:
        table_name = get_tables().main

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    gsi1 = _Gsi1()
    gsi2 = _Gsi2()


class SiteConfigItem(MainItem, discriminator="site_config"):
    site_id = UnicodeAttribute()
    version = NumberAttribute()
    data = JSONAttribute()
    updated_at = UnicodeAttribute()


class SiteChangeItem(MainItem, discriminator="site_change"):
    site_id = UnicodeAttribute()
    change_id = UnicodeAttribute()
    status = UnicodeAttribute()
    effective_at = UnicodeAttribute()
    data = JSONAttribute()


class BuyerOrgItem(MainItem, discriminator="buyer_org"):
    site_id = UnicodeAttribute()
    uscc = UnicodeAttribute()
    name = UnicodeAttribute()
    district = UnicodeAttribute()
    data = JSONAttribute()
    created_at = UnicodeAttribute()


class AuditItem(Model):
    class Meta:
        table_name = get_tables().audit

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    gsi1 = _Gsi1()
    data = JSONAttribute()


MODELS: tuple[type[Model], ...] = (MainItem, AuditItem)
