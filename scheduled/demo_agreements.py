"""Demo framework agreements (框架协议, stage 1 as the province delivers it) for the local run and the tests.

Seed 000 §(三) names the province-run agreements 聊城 bought under in 2024: 液晶显示器, 复印纸, 空调, 扫描仪 and
碎纸机. Two of them are here, shortlisting demo suppliers, valid from two months ago for ten months (the dates
move with the day the mall is started, so the demo never expires).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from chalicelib.domain.principals import SYSTEM_ACTOR

AGENCY = "山东省政府采购中心"
PLATFORM = "https://www.ccgp-shandong.gov.cn/"
COPY_PAPER_AGREEMENT = "SDKJ-2026-FZ-001"
MONITOR_AGREEMENT = "SDKJ-2026-XSQ-002"


def _product(code: str, name: str, brand: str, model: str, catalog: str, unit: str, cap_fen: int) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "brand": brand,
        "model": model,
        "catalog_code": catalog,
        "unit": unit,
        "cap_fen": cap_fen,
        "spec": "",
    }


def copy_paper_body(uscc_of: Any, today: date, **changes: Any) -> dict[str, Any]:
    """复印纸: three shortlisted suppliers, every stage-2 method, in every city site."""
    body: dict[str, Any] = {
        "number": COPY_PAPER_AGREEMENT,
        "name": "山东省复印纸框架协议采购",
        "agency": AGENCY,
        "catalog_codes": ["A05040101"],
        "sites": [],
        "valid_from": (today - timedelta(days=60)).isoformat(),
        "valid_to": (today + timedelta(days=300)).isoformat(),
        "rules": {"methods": ["direct_select", "secondary_bidding", "rotation"], "min_suppliers": 3},
        "members": [
            {
                "uscc": uscc_of(username),
                "name": name,
                "rank": rank,
                "products": [
                    _product(f"FZ-{rank:02d}", "A4 复印纸 70g（5 包/箱）", brand, model, "A05040101", "箱", cap)
                ],
            }
            for rank, (username, name, brand, model, cap) in enumerate(
                (
                    ("supplier.demo", "聊城市东昌府区鑫诚办公用品有限公司", "得力", "ZL7055", 12_000),
                    ("supplier.lc02", "聊城市百汇文具店", "晨光", "APYVQ959", 11_800),
                    ("supplier.lc04", "聊城市信达电子科技有限公司", "亚太森博", "BX70", 12_500),
                ),
                start=1,
            )
        ],
        "documents": [
            {"title": "中标（成交）结果公告（山东省政府采购信息公开平台）", "url": PLATFORM},
            {"title": "框架协议文本（山东省政府采购信息公开平台）", "url": PLATFORM},
        ],
    }
    body.update(changes)
    return body


def monitor_body(uscc_of: Any, today: date) -> dict[str, Any]:
    """液晶显示器: 直接选定 and 二次竞价 only."""
    return {
        "number": MONITOR_AGREEMENT,
        "name": "山东省液晶显示器框架协议采购",
        "agency": AGENCY,
        "catalog_codes": ["A02021104"],
        "sites": [],
        "valid_from": (today - timedelta(days=60)).isoformat(),
        "valid_to": (today + timedelta(days=300)).isoformat(),
        "rules": {"methods": ["direct_select", "secondary_bidding"], "min_suppliers": 3},
        "members": [
            {
                "uscc": uscc_of(username),
                "name": name,
                "rank": rank,
                "products": [
                    _product(f"XSQ-{rank:02d}", f"{brand} 23.8 英寸液晶显示器", brand, model, "A02021104", "台", cap)
                ],
            }
            for rank, (username, name, brand, model, cap) in enumerate(
                (
                    ("supplier.lc04", "聊城市信达电子科技有限公司", "联想", "T24i-30", 109_900),
                    ("supplier.lc12", "山东鲁信电器销售有限公司", "戴尔", "P2422H", 119_900),
                    ("supplier.demo", "聊城市东昌府区鑫诚办公用品有限公司", "华为", "MateView SE", 99_900),
                ),
                start=1,
            )
        ],
        "documents": [{"title": "中标（成交）结果公告（山东省政府采购信息公开平台）", "url": PLATFORM}],
    }


def seed_demo_agreements(today: date) -> int:
    """Enter the demo agreements as the platform would push them (already there: left as they are)."""
    from chalicelib.domain.clock import utc_now
    from chalicelib.handlers.agreements import new_agreement, receive_agreement
    from chalicelib.schemas.agreements import AgreementBody
    from chalicelib.wiring import stores
    from scheduled.sample_orders import supplier_code

    added = 0
    for build in (copy_paper_body, monitor_body):
        body = AgreementBody.model_validate_json(json.dumps(build(supplier_code, today)))
        if stores().agreements.get(body.number) is not None:
            continue
        receive_agreement(new_agreement(body), "integration", SYSTEM_ACTOR, utc_now())
        added += 1
    return added
