"""In-memory twins of the store ports, for rule tests that need no AWS (the Dynamo stores are tested on moto)."""

from __future__ import annotations

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import Conflict
from chalicelib.domain.listings import Listing
from chalicelib.domain.orders import Order, OrderInputs, Release
from chalicelib.domain.suppliers import Supplier


class MemoryOrderStore:
    """Satisfies domain.orders.OrderStore: a save succeeds only on the version it read, like the conditional write."""

    def __init__(self, inputs: OrderInputs | None = None) -> None:
        self.inputs_ = inputs
        self.orders: dict[tuple[str, str], Order] = {}
        self.audit: list[AuditEvent] = []
        self.released: list[Release] = []
        self.nonces: list[tuple[str, int]] = []

    def inputs(
        self, site_id: str, plan_no: str, supplier_uscc: str, listing_ids: list[str], buyer_uscc: str, year: int
    ) -> OrderInputs:
        assert self.inputs_ is not None
        return self.inputs_

    def place(
        self,
        order: Order,
        annual_cap_fen: int,
        plan_budget_fen: int,
        audit: AuditEvent,
        reserved_fen: int = 0,
        plan_quantity: int | None = None,
        guard: object = None,
    ) -> None:
        self.orders[(order.site_id, order.order_no)] = order
        self.audit.append(audit)

    def get(self, site_id: str, order_no: str) -> Order | None:
        return self.orders.get((site_id, order_no))

    def transition(
        self,
        order: Order,
        previous: Order,
        audit: AuditEvent,
        release: Release | None = None,
        nonce: tuple[str, int] | None = None,
    ) -> None:
        stored = self.orders.get((order.site_id, order.order_no), previous)
        if stored.version != previous.version:
            raise Conflict("订单已被他人修改，请刷新后重试", code="VERSION_CONFLICT")
        self.orders[(order.site_id, order.order_no)] = order
        self.audit.append(audit)
        if release is not None:
            self.released.append(release)
        if nonce is not None:
            self.nonces.append(nonce)


class MemorySupplierStore:
    """Satisfies domain.suppliers.SupplierStore."""

    def __init__(self, *suppliers: Supplier, trading_sites: tuple[str, ...] = (), home: str | None = None) -> None:
        self.suppliers = {s.uscc: s for s in suppliers}
        self.audit: list[AuditEvent] = []
        self.sites = list(trading_sites)
        self.home = home

    def get(self, uscc: str) -> Supplier | None:
        return self.suppliers.get(uscc)

    def create(self, supplier: Supplier, audit: AuditEvent, also: tuple[AuditEvent, ...] = ()) -> None:
        if supplier.uscc in self.suppliers:
            raise Conflict("已注册", code="SUPPLIER_EXISTS")
        self.suppliers[supplier.uscc] = supplier
        self.audit.extend([audit, *also])

    def save(
        self, supplier: Supplier, expected_version: int, audit: AuditEvent, also: tuple[AuditEvent, ...] = ()
    ) -> None:
        if self.suppliers[supplier.uscc].version != expected_version:
            raise Conflict("供应商信息已被他人修改，请刷新后重试", code="VERSION_CONFLICT")
        self.suppliers[supplier.uscc] = supplier
        self.audit.extend([audit, *also])

    def due_reinstatements(self, now_iso: str) -> list[Supplier]:
        return [s for s in self.suppliers.values() if s.next_due and s.next_due <= now_iso]

    def trading_sites(self, uscc: str) -> list[str]:
        return self.sites

    def home_site(self, district: str) -> str | None:
        return self.home


class MemoryTimer:
    def __init__(self) -> None:
        self.started: list[dict[str, object]] = []

    def start(self, name: str, due_at: str, payload: dict[str, object]) -> None:
        self.started.append({"name": name, "due_at": due_at, "payload": payload})


class MemoryListingStore:
    """Satisfies domain.listings.ListingStore."""

    def __init__(self, *listings: Listing) -> None:
        self.listings = {(x.site_id, x.id): x for x in listings}
        self.audit: list[AuditEvent] = []

    def get(self, site_id: str, listing_id: str) -> Listing | None:
        return self.listings.get((site_id, listing_id))

    def create(self, listing: Listing, audit: AuditEvent) -> None:
        self.listings[(listing.site_id, listing.id)] = listing
        self.audit.append(audit)

    def save(self, listing: Listing, previous: Listing, audit: AuditEvent) -> None:
        if self.listings[(listing.site_id, listing.id)].version != previous.version:
            raise Conflict("商品信息已被他人修改，请刷新后重试", code="VERSION_CONFLICT")
        self.listings[(listing.site_id, listing.id)] = listing
        self.audit.append(audit)
