"""Checkout that cannot half-fail: before anything is placed, each supplier's group is matched to a plan of its own
and held against every rule the order will meet, so that a group certain to be refused is shown with its reason
and blocks submission, instead of failing after the others went through.

The rules are the order's own (orders.place and commit): the plan's 二级品目, the item its line lists, its
balance and quantity left, the per-order cap, the annual cap of the 二级品目 (the groups of one checkout add
up), the listings' state, stock and delivery districts, the supplier's standing. Placing still checks all of
it again: this is a forecast made from the same reads, not a reservation.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from chalicelib.domain.listings import Listing
from chalicelib.domain.money import format_wan, format_yuan
from chalicelib.domain.orders import covers, line_problem
from chalicelib.domain.plans import Plan, PlanStatus, level2_of
from chalicelib.domain.sites import SiteConfig
from chalicelib.domain.suppliers import Supplier


class Group(NamedTuple):
    supplier_uscc: str
    lines: tuple[tuple[str, int], ...]  # (listing id, quantity)
    plan_no: str | None = None  # the buyer's choice; None: propose one


class Problem(NamedTuple):
    code: str
    message: str


class PlanFit(NamedTuple):
    plan: Plan
    fits: bool
    reason: str  # why it does not fit ("" when it does)


class GroupForecast(NamedTuple):
    group: Group
    total_fen: int
    quantity: int
    level2_code: str
    plan_no: str | None
    proposed: bool  # the plan was chosen by the mall, not the buyer
    fits: tuple[PlanFit, ...]
    problems: tuple[Problem, ...]

    @property
    def blocked(self) -> bool:
        return bool(self.problems)


class Inputs(NamedTuple):
    site: SiteConfig
    district: str
    plans: tuple[Plan, ...]  # the buyer's accepted plans
    listings: dict[str, Listing]
    suppliers: dict[str, Supplier]
    spent_fen: dict[str, int]  # this year's orders by 二级品目


def _line_problems(inputs: Inputs, group: Group) -> list[Problem]:
    found: list[Problem] = []
    supplier = inputs.suppliers.get(group.supplier_uscc)
    if supplier is None or not supplier.can_trade_in(inputs.site.id):
        found.append(Problem("SUPPLIER_NOT_ACTIVE", "该供应商当前不可交易"))
    for listing_id, quantity in group.lines:
        listing = inputs.listings.get(listing_id)
        problem = line_problem(inputs.site.id, listing, group.supplier_uscc, quantity, inputs.district, None)
        if problem is not None:
            found.append(Problem(*problem))
    return found


def plan_fit(plan: Plan, listings: list[Listing], total: int, quantity: int, used_fen: int, used_qty: int) -> PlanFit:
    """Whether the plan pays for the group, after what earlier groups of this checkout take of it."""
    if plan.status is not PlanStatus.ACCEPTED:
        return PlanFit(plan, False, f"计划状态为“{plan.status.label}”")
    foreign = [x for x in listings if level2_of(x.catalog_code) != plan.level2_code]
    if foreign:
        return PlanFit(plan, False, f"品目不符：“{foreign[0].draft.name}”不属于计划的二级品目 {plan.level2_code}")
    if plan.line is not None:
        other = [x for x in listings if not covers(plan.line.catalog_code, x.catalog_code)]
        if other:
            return PlanFit(plan, False, f"计划所列品目为{plan.line.catalog_name}，不含“{other[0].draft.name}”")
        left = (plan.quantity_left or 0) - used_qty
        if plan.counts_units and quantity > left:
            return PlanFit(plan, False, f"数量不足：计划还可采购 {max(left, 0)} {plan.line.unit}，本单 {quantity}")
    balance = plan.balance_fen - used_fen
    if total > balance:
        return PlanFit(plan, False, f"余额不足：可用 {format_yuan(max(balance, 0))} 元，本单 {format_yuan(total)} 元")
    return PlanFit(plan, True, "")


def forecast(inputs: Inputs, groups: list[Group]) -> list[GroupForecast]:
    """Each group with its plan (chosen or proposed), the plans that fit, and what would refuse it."""
    site = inputs.site
    used_fen: dict[str, int] = {}
    used_qty: dict[str, int] = {}
    spent = dict(inputs.spent_fen)
    taken: set[str] = set()
    results: dict[int, GroupForecast] = {}
    # The buyer's choices first, then the largest groups: they have the fewest plans that fit.
    order = sorted(range(len(groups)), key=lambda i: (groups[i].plan_no is None, -_total(inputs, groups[i])))
    for index in order:
        group = groups[index]
        listings = [inputs.listings[lid] for lid, _ in group.lines if lid in inputs.listings]
        total = _total(inputs, group)
        quantity = sum(q for _, q in group.lines)
        level2s = {level2_of(x.catalog_code) for x in listings}
        level2 = next(iter(level2s)) if len(level2s) == 1 else ""
        problems = _line_problems(inputs, group)
        fits = tuple(
            sorted(
                (
                    plan_fit(p, listings, total, quantity, used_fen.get(p.plan_no, 0), used_qty.get(p.plan_no, 0))
                    for p in inputs.plans
                ),
                key=lambda f: (not f.fits, f.plan.plan_no in taken, f.plan.balance_fen, f.plan.plan_no),
            )
        )
        chosen, plan_problems = _choose(group, fits)
        problems.extend(plan_problems)
        plan_level2 = chosen.plan.level2_code if chosen else level2
        problems.extend(_limit_problems(site, total, plan_level2, spent.get(plan_level2, 0)))
        proposed = group.plan_no is None
        plan_no = chosen.plan.plan_no if chosen else group.plan_no
        if chosen is not None and not problems:
            used_fen[chosen.plan.plan_no] = used_fen.get(chosen.plan.plan_no, 0) + total
            if chosen.plan.counts_units:
                used_qty[chosen.plan.plan_no] = used_qty.get(chosen.plan.plan_no, 0) + quantity
            spent[plan_level2] = spent.get(plan_level2, 0) + total
            taken.add(chosen.plan.plan_no)
        results[index] = GroupForecast(group, total, quantity, level2, plan_no, proposed, fits, tuple(problems))
    return [results[i] for i in range(len(groups))]


def _choose(group: Group, fits: tuple[PlanFit, ...]) -> tuple[PlanFit | None, list[Problem]]:
    """The buyer's plan if it fits; else, with no choice made, the best that fits (a plan of its own first)."""
    if group.plan_no:
        chosen = next((f for f in fits if f.plan.plan_no == group.plan_no), None)
        if chosen is None:
            return None, [Problem("PLAN_NOT_FOUND", "所选采购计划不存在或未接收")]
        if not chosen.fits:
            return chosen, [Problem("PLAN_DOES_NOT_FIT", f"所选计划不能用于该订单：{chosen.reason}")]
        return chosen, []
    best = next((f for f in fits if f.fits), None)
    if best is None:
        why = fits[0].reason if fits else "没有已接收的采购计划"
        return None, [Problem("NO_FITTING_PLAN", f"没有可用于该订单的采购计划（{why}）")]
    return best, []


def _limit_problems(site: SiteConfig, total: int, level2: str, already: int) -> list[Problem]:
    found: list[Problem] = []
    cap = site.limits.per_order_cap_fen
    if total > cap:
        found.append(
            Problem("LIMIT_EXCEEDED", f"超出单笔订单限额：限额 {format_wan(cap)} 万元，本订单 {format_wan(total)} 万元")
        )
    annual = site.limits.annual_category_cap_fen
    if level2 and already + total > annual:
        found.append(
            Problem(
                "LIMIT_EXCEEDED",
                f"超出本年度该品目采购限额：限额 {format_wan(annual)} 万元，已采购（含本次其他订单）"
                f"{format_wan(already)} 万元，本订单 {format_wan(total)} 万元",
            )
        )
    return found


def _total(inputs: Inputs, group: Group) -> int:
    return sum(
        inputs.listings[lid].draft.price_fen * quantity for lid, quantity in group.lines if lid in inputs.listings
    )


def forecast_view(result: GroupForecast) -> dict[str, Any]:
    return {
        "supplier_uscc": result.group.supplier_uscc,
        "total_fen": result.total_fen,
        "quantity": result.quantity,
        "level2_code": result.level2_code,
        "plan_no": result.plan_no,
        "proposed": result.proposed,
        "blocked": result.blocked,
        "problems": [p._asdict() for p in result.problems],
        "plans": [
            {
                "plan_no": f.plan.plan_no,
                "name": f.plan.name,
                "level2_code": f.plan.level2_code,
                "balance_fen": f.plan.balance_fen,
                "quantity_left": f.plan.quantity_left,
                "unit": f.plan.line.unit if f.plan.line else "",
                "fits": f.fits,
                "reason": f.reason,
            }
            for f in result.fits
        ],
    }
