"""PynamoDB models over the tables that infra/resources.json declares.

The key of every item is built in chalicelib/store/keys.py, whose docstring is the map of the tables.

The catalog table is the buyers' read index, written only by the projection
(see chalicelib/domain/catalog_index.py for its partitions).

The audit table holds immutable events keyed by the entity they concern, with
a tenant-wide timeline on its GSI1.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pynamodb.attributes import (
    DiscriminatorAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.config import get_tables

# Throttles and 5xx retried with backoff (PynamoDB's own loop), no wait long on a dead connection: all within an
# API function's 29 s, as the boto3 clients (chalicelib.store.aws). What still fails is a 503 (chalicelib.faults).
SDK_READ_TIMEOUT_SECONDS = 10
SDK_CONNECT_TIMEOUT_SECONDS = 3
SDK_RETRIES = 3


class _SdkBudget:
    """Each table model's Meta inherits these: PynamoDB reads them off the Meta class."""

    read_timeout_seconds = SDK_READ_TIMEOUT_SECONDS
    connect_timeout_seconds = SDK_CONNECT_TIMEOUT_SECONDS
    max_retry_attempts = SDK_RETRIES


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


class _Gsi3(GlobalSecondaryIndex[Any]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = "gsi3"
        projection = AllProjection()

    gsi3pk = UnicodeAttribute(hash_key=True)
    gsi3sk = UnicodeAttribute(range_key=True)


class MainItem(Model):
    """Every item of the main table; `kind` picks the subclass on reads."""

    class Meta(_SdkBudget):
        table_name = get_tables().main

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    gsi3pk = UnicodeAttribute(null=True)
    gsi3sk = UnicodeAttribute(null=True)
    gsi1 = _Gsi1()
    gsi2 = _Gsi2()
    gsi3 = _Gsi3()


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


class SupplierItem(MainItem, discriminator="supplier"):
    uscc = UnicodeAttribute()
    status = UnicodeAttribute()
    version = NumberAttribute()
    data = JSONAttribute()
    # Ratings are added by order transactions (ADD), so they live outside the JSON document.
    rating_votes = NumberAttribute(default=0)
    rating_stars = NumberAttribute(default=0)
    suspended_sites = UnicodeSetAttribute(null=True)  # sites that suspended its trading


class ListingItem(MainItem, discriminator="listing"):
    site_id = UnicodeAttribute()
    listing_id = UnicodeAttribute()
    supplier_uscc = UnicodeAttribute()
    status = UnicodeAttribute()
    version = NumberAttribute()
    data = JSONAttribute()
    # Orders take and give back stock and count sales (ADD), so these live outside the JSON document.
    stock = NumberAttribute(default=0)
    sales = NumberAttribute(default=0)


class UniqueKeyItem(MainItem, discriminator="unique_key"):
    owner_id = UnicodeAttribute()


class PlanItem(MainItem, discriminator="plan"):
    site_id = UnicodeAttribute()
    plan_no = UnicodeAttribute()
    buyer_uscc = UnicodeAttribute()
    status = UnicodeAttribute()
    version = NumberAttribute()
    data = JSONAttribute()
    # Orders commit against the budget (ADD, conditional), so the amounts live outside the JSON document.
    budget_fen = NumberAttribute(default=0)
    committed_fen = NumberAttribute(default=0)
    ordered_quantity = NumberAttribute(null=True)  # of the plan's line, what orders have taken


class CapUsageItem(MainItem, discriminator="cap_usage"):
    used_fen = NumberAttribute(default=0)  # plans accepted this year in the 二级品目
    spent_fen = NumberAttribute(default=0)  # orders placed this year in the 二级品目


class OrderItem(MainItem, discriminator="order"):
    site_id = UnicodeAttribute()
    order_no = UnicodeAttribute()
    status = UnicodeAttribute()
    version = NumberAttribute()
    data = JSONAttribute()
    # Copies for the lists' filters (the document is a JSON string DynamoDB cannot look into).
    plan_no = UnicodeAttribute(null=True)
    supplier_uscc = UnicodeAttribute(null=True)
    supplier_name = UnicodeAttribute(null=True)


class RatingItem(MainItem, discriminator="rating"):
    target = UnicodeAttribute()
    stars = NumberAttribute()
    data = JSONAttribute()


class FollowupItem(MainItem, discriminator="followup"):
    status = UnicodeAttribute()
    data = JSONAttribute()


class SiteStatsItem(MainItem, discriminator="site_stats"):
    """Counters of a site, added to by transactions: ratings by direction ({target}_total, {target}_good)."""

    supplier_total = NumberAttribute(default=0)
    supplier_good = NumberAttribute(default=0)
    mall_total = NumberAttribute(default=0)
    mall_good = NumberAttribute(default=0)
    buyer_total = NumberAttribute(default=0)
    buyer_good = NumberAttribute(default=0)


class ReportJobItem(MainItem, discriminator="report_job"):
    """A requested compilation of a report: its INSERT reaches the report_jobs consumer through the stream."""

    status = UnicodeAttribute()
    version = NumberAttribute()
    data = JSONAttribute()


class SequenceItem(MainItem, discriminator="sequence"):
    value = NumberAttribute(default=0)


class CompetitionItem(MainItem, discriminator="competition"):
    """A 竞价 or 反拍: the document, plus what bids change concurrently as top-level attributes (conditions read
    them): the deadline, the best price and who holds it, the count of bids, the version."""

    site_id = UnicodeAttribute()
    competition_id = UnicodeAttribute()
    status = UnicodeAttribute()
    version = NumberAttribute()
    generation = NumberAttribute()
    starts_at = UnicodeAttribute()
    end_at = UnicodeAttribute()
    invited = UnicodeSetAttribute()
    best_total_fen = NumberAttribute(default=0)
    best_by = UnicodeAttribute(default="")
    bids = NumberAttribute(default=0)
    data = JSONAttribute()


class QuoteItem(MainItem, discriminator="quote"):
    """A supplier's 竞价 quote: the amount only as KMS ciphertext until the deadline."""

    supplier_uscc = UnicodeAttribute()
    sealed = UnicodeAttribute()
    commitment = UnicodeAttribute()
    submitted_at = UnicodeAttribute()
    revision = NumberAttribute()
    data = JSONAttribute()


class InvitationItem(MainItem, discriminator="invitation"):
    """That a supplier is invited: its inbox across sites (the competition's `invited` set is the authority)."""

    site_id = UnicodeAttribute()
    competition_id = UnicodeAttribute()


class NoticeItem(MainItem, discriminator="notice"):
    """A 站内信 in a unit's inbox: gsi1 lists the inbox newest first; gsi2 holds it only while unread."""

    recipient = UnicodeAttribute()
    notice_id = UnicodeAttribute()
    read_at = UnicodeAttribute(null=True)
    data = JSONAttribute()


class ListingImageItem(MainItem, discriminator="listing_image"):
    """An uploaded product image (domain.media): pending until the image consumer has processed it."""

    status = UnicodeAttribute()
    data = JSONAttribute()


class BulletinItem(MainItem, discriminator="bulletin"):
    """A notice, training material or FAQ entry of a site's front page (domain.bulletins); sk orders by time."""

    version = NumberAttribute()
    data = JSONAttribute()


class LoginGuardItem(MainItem, discriminator="login_guard"):
    """A username's recent failed sign-ins and lock (domain.accounts); gone by TTL when they no longer count."""

    data = JSONAttribute()
    expires_at = NumberAttribute()


class ResetCodeItem(MainItem, discriminator="reset_code"):
    """A password reset code's hash, expiry and tries left."""

    data = JSONAttribute()
    tries_left = NumberAttribute()
    expires_at = NumberAttribute()


class AgreementItem(MainItem, discriminator="agreement"):
    """A framework agreement (domain.frameworks); gsi1 lists the province's agreements by end date."""

    status = UnicodeAttribute()
    version = NumberAttribute()
    data = JSONAttribute()


class RotationItem(MainItem, discriminator="rotation"):
    """顺序轮候: how many turns a site has taken of an agreement's catalog code (written in each order's
    transaction under the value read)."""

    turns = NumberAttribute(default=0)


class BatchItem(MainItem, discriminator="batch"):
    """A batch purchase (domain.batches): the document, plus what joins add to and conditions read."""

    status = UnicodeAttribute()
    version = NumberAttribute()
    join_until = UnicodeAttribute()
    offer_until = UnicodeAttribute()
    buyers = NumberAttribute(default=0)
    quantity = NumberAttribute(default=0)
    data = JSONAttribute()


class BatchEntryItem(MainItem, discriminator="batch_entry"):
    """A buyer's entry in a batch, one per plan; `outcome` is set once, when the batch ends."""

    outcome = UnicodeAttribute(default="")
    data = JSONAttribute()


class BatchOfferItem(MainItem, discriminator="batch_offer"):
    """A supplier's 优惠率 for a batch, with its revision."""

    revision = NumberAttribute()
    data = JSONAttribute()


class DesignationItem(MainItem, discriminator="designation"):
    """A site's designated supplier for a service, with its negotiated rates (domain.designated)."""

    status = UnicodeAttribute()
    version = NumberAttribute()
    data = JSONAttribute()


class PavilionItem(MainItem, discriminator="pavilion"):
    """A site's 特色场馆 (domain.pavilions)."""

    version = NumberAttribute()
    data = JSONAttribute()


class InspectionItem(MainItem, discriminator="inspection"):
    """An inspection campaign (domain.inspections); its pre-check runs when it is inserted as prechecking."""

    status = UnicodeAttribute()
    version = NumberAttribute()
    data = JSONAttribute()


class FlagItem(MainItem, discriminator="inspection_flag"):
    """A listing the pre-check of a campaign queued, with its problems."""

    data = JSONAttribute()


class FindingItem(MainItem, discriminator="finding"):
    """An inspector's finding on a listing, with its evidence, correction and outcome."""

    status = UnicodeAttribute()
    version = NumberAttribute()
    data = JSONAttribute()


class FindingGuardItem(MainItem, discriminator="finding_guard"):
    """One finding per listing per campaign: written with the finding under attribute_not_exists."""

    finding_id = UnicodeAttribute()


class CreditEntryItem(MainItem, discriminator="credit_entry"):
    """A measure in a supplier's credit record (domain.credit)."""

    status = UnicodeAttribute()
    version = NumberAttribute()
    data = JSONAttribute()


class CreditRulesItem(MainItem, discriminator="credit_rules"):
    """The province's credit rule table, revised on its version."""

    version = NumberAttribute()
    data = JSONAttribute()


class AlertItem(MainItem, discriminator="alert"):
    """A 动态预警 of a site (domain.alerts); gsi1 is the site's queue by status."""

    status = UnicodeAttribute()
    version = NumberAttribute()
    data = JSONAttribute()


class AlertRulesItem(MainItem, discriminator="alert_rules"):
    """A site's alert thresholds, revised on their version."""

    version = NumberAttribute()
    data = JSONAttribute()


class ComplaintItem(MainItem, discriminator="complaint"):
    """A violation report or a complaint about a bidding (domain.complaints)."""

    status = UnicodeAttribute()
    version = NumberAttribute()
    data = JSONAttribute()


class TicketItem(MainItem, discriminator="ticket"):
    """A question to the service desk or a hotline call (domain.service_desk)."""

    status = UnicodeAttribute()
    version = NumberAttribute()
    data = JSONAttribute()


class PriceObservationItem(MainItem, discriminator="price_observation"):
    """One line of a deal: what the mall paid for a product (brand + model), where and when (domain.prices)."""

    data = JSONAttribute()


class NonceItem(MainItem, discriminator="nonce"):
    expires_at = NumberAttribute()  # the table's TTL attribute


class AuditItem(Model):
    class Meta(_SdkBudget):
        table_name = get_tables().audit

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    gsi1 = _Gsi1()
    data = JSONAttribute()
    # Copies of the event's who/what, top level so that the site's timeline can be filtered by them.
    actor = UnicodeAttribute(null=True)
    entity_type = UnicodeAttribute(null=True)
    entity_id = UnicodeAttribute(null=True)
    action = UnicodeAttribute(null=True)


class CatalogEntryItem(Model):
    """One index entry of an active listing (see chalicelib/domain/catalog_index.py)."""

    class Meta(_SdkBudget):
        table_name = get_tables().catalog

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    listing_id = UnicodeAttribute()
    price_fen = NumberAttribute()
    scale = UnicodeAttribute()
    districts = UnicodeSetAttribute(null=True)
    text = UnicodeAttribute()
    card = JSONAttribute()
    category_id = UnicodeAttribute(null=True)  # the listing's category, for a search's counts per category


class BrandRegistryItem(Model):
    """That a category (or a parent) has active listings of a brand, for the brand filter.

    Kept without transactions: whoever adds a listing renews `token`; whoever removes
    the last listing of the brand deletes the entry only if `token` is unchanged.
    """

    class Meta(_SdkBudget):
        table_name = get_tables().catalog

    pk = UnicodeAttribute(hash_key=True)  # {site}#CB#{category}
    sk = UnicodeAttribute(range_key=True)  # normalised brand
    brand = UnicodeAttribute()
    token = UnicodeAttribute()


@lru_cache(maxsize=1)
def item_kinds() -> frozenset[str]:
    """The `kind` of every item the main table holds (its stream carries no other)."""
    discriminator = MainItem._get_discriminator_attribute()
    assert discriminator is not None
    return frozenset(str(kind) for kind in discriminator._discriminator_map)
