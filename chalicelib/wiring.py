"""The one composition point: which store each rule is handed, and every process-wide cache in one place.

Handlers ask `stores()` for their adapters instead of constructing them in
each view; a test that starts a fresh AWS backend (or hands in twins) calls
`reset()` once instead of clearing module globals one by one. Each store is
built, and its module imported, on first use, so a cold start pays only for
the stores the request touches.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chalicelib.store.agreements import DynamoAgreementStore
    from chalicelib.store.alerts import DynamoAlertStore
    from chalicelib.store.audit_log import DynamoAuditLog
    from chalicelib.store.batches import DynamoBatchStore
    from chalicelib.store.bulletins import DynamoBulletinStore
    from chalicelib.store.competitions import (
        DynamoCompetitionStore,
        KmsSealer,
        S3RecordWriter,
        StepFunctionsCompetitionTimer,
    )
    from chalicelib.store.complaints import DynamoComplaintStore
    from chalicelib.store.deadlines import StepFunctionsTimer
    from chalicelib.store.designations import DynamoDesignationStore
    from chalicelib.store.listings import DynamoListingStore
    from chalicelib.store.notifications import DynamoInbox
    from chalicelib.store.orders import DynamoOrderStore
    from chalicelib.store.orgs import DynamoOrgStore
    from chalicelib.store.pavilions import DynamoPavilionStore
    from chalicelib.store.plans import DynamoPlanStore
    from chalicelib.store.ratings import DynamoRatingStore
    from chalicelib.store.report_files import S3ReportFiles
    from chalicelib.store.report_jobs import DynamoReportJobStore
    from chalicelib.store.sites import DynamoSiteStore
    from chalicelib.store.stats import DynamoRollupStore
    from chalicelib.store.supervision import DynamoCreditStore, DynamoInspectionStore, StoreDelister
    from chalicelib.store.suppliers import DynamoSupplierStore
    from chalicelib.store.tickets import DynamoTicketStore


class Stores:
    @cached_property
    def sites(self) -> DynamoSiteStore:
        from chalicelib.store.sites import DynamoSiteStore

        return DynamoSiteStore()

    @cached_property
    def orgs(self) -> DynamoOrgStore:
        from chalicelib.store.orgs import DynamoOrgStore

        return DynamoOrgStore()

    @cached_property
    def suppliers(self) -> DynamoSupplierStore:
        from chalicelib.store.suppliers import DynamoSupplierStore

        return DynamoSupplierStore()

    @cached_property
    def listings(self) -> DynamoListingStore:
        from chalicelib.store.listings import DynamoListingStore

        return DynamoListingStore()

    @cached_property
    def plans(self) -> DynamoPlanStore:
        from chalicelib.store.plans import DynamoPlanStore

        return DynamoPlanStore()

    @cached_property
    def orders(self) -> DynamoOrderStore:
        from chalicelib.store.orders import DynamoOrderStore

        return DynamoOrderStore()

    @cached_property
    def ratings(self) -> DynamoRatingStore:
        from chalicelib.store.ratings import DynamoRatingStore

        return DynamoRatingStore()

    @cached_property
    def rollups(self) -> DynamoRollupStore:
        from chalicelib.store.stats import DynamoRollupStore

        return DynamoRollupStore()

    @cached_property
    def report_jobs(self) -> DynamoReportJobStore:
        from chalicelib.store.report_jobs import DynamoReportJobStore

        return DynamoReportJobStore()

    @cached_property
    def report_files(self) -> S3ReportFiles:
        from chalicelib.store.report_files import S3ReportFiles

        return S3ReportFiles()

    @cached_property
    def audit(self) -> DynamoAuditLog:
        from chalicelib.store.audit_log import DynamoAuditLog

        return DynamoAuditLog()

    @cached_property
    def agreements(self) -> DynamoAgreementStore:
        from chalicelib.store.agreements import DynamoAgreementStore

        return DynamoAgreementStore()

    @cached_property
    def batches(self) -> DynamoBatchStore:
        from chalicelib.store.batches import DynamoBatchStore

        return DynamoBatchStore()

    @cached_property
    def designations(self) -> DynamoDesignationStore:
        from chalicelib.store.designations import DynamoDesignationStore

        return DynamoDesignationStore()

    @cached_property
    def pavilions(self) -> DynamoPavilionStore:
        from chalicelib.store.pavilions import DynamoPavilionStore

        return DynamoPavilionStore()

    @cached_property
    def bulletins(self) -> DynamoBulletinStore:
        from chalicelib.store.bulletins import DynamoBulletinStore

        return DynamoBulletinStore()

    @cached_property
    def alerts(self) -> DynamoAlertStore:
        from chalicelib.store.alerts import DynamoAlertStore

        return DynamoAlertStore()

    @cached_property
    def complaints(self) -> DynamoComplaintStore:
        from chalicelib.store.complaints import DynamoComplaintStore

        return DynamoComplaintStore()

    @cached_property
    def tickets(self) -> DynamoTicketStore:
        from chalicelib.store.tickets import DynamoTicketStore

        return DynamoTicketStore()

    @cached_property
    def inspections(self) -> DynamoInspectionStore:
        from chalicelib.store.supervision import DynamoInspectionStore

        return DynamoInspectionStore()

    @cached_property
    def delister(self) -> StoreDelister:
        from chalicelib.store.supervision import StoreDelister

        return StoreDelister()

    @cached_property
    def credit(self) -> DynamoCreditStore:
        from chalicelib.store.supervision import DynamoCreditStore

        return DynamoCreditStore()

    @cached_property
    def inbox(self) -> DynamoInbox:
        from chalicelib.store.notifications import DynamoInbox

        return DynamoInbox()

    @cached_property
    def timer(self) -> StepFunctionsTimer:
        from chalicelib.store.deadlines import StepFunctionsTimer

        return StepFunctionsTimer()

    @cached_property
    def competitions(self) -> DynamoCompetitionStore:
        from chalicelib.store.competitions import DynamoCompetitionStore

        return DynamoCompetitionStore()

    @cached_property
    def sealer(self) -> KmsSealer:
        from chalicelib.store.competitions import KmsSealer

        return KmsSealer()

    @cached_property
    def competition_timer(self) -> StepFunctionsCompetitionTimer:
        from chalicelib.store.competitions import StepFunctionsCompetitionTimer

        return StepFunctionsCompetitionTimer()

    @cached_property
    def records(self) -> S3RecordWriter:
        from chalicelib.store.competitions import S3RecordWriter

        return S3RecordWriter()


@lru_cache(maxsize=1)
def stores() -> Stores:
    return Stores()


def reset() -> None:
    """Forget every process-wide cache: the stores, AWS clients, settings, the site cache, the token verifier,
    the transaction connection, idempotency and powertools' parameter cache (tests call this per backend)."""
    from aws_lambda_powertools.utilities import parameters

    from chalicelib import auth
    from chalicelib.config import reset_settings_cache
    from chalicelib.store import aws, idempotency, tx
    from chalicelib.store.sites import clear_site_cache

    stores.cache_clear()
    parameters.clear_caches()  # type: ignore[no-untyped-call]
    clear_site_cache()
    reset_settings_cache()
    aws.reset_clients()
    idempotency.reset()
    tx.reset_connection()
    auth.reset_verifier()
