from datetime import UTC, datetime

import pytest

from chalicelib.domain.errors import InvalidInput, RuleViolation
from chalicelib.domain.sites import (
    DistrictKind,
    PurchaseLimits,
    PurchaseMethod,
    public_view,
    site_problems,
    validated_methods,
    with_limits,
)
from chalicelib.store.reference import national_catalog, official_districts
from chalicelib.store.site_files import all_site_configs, read_site_file, site_files

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def test_six_city_sites_are_configured() -> None:
    assert {p.stem for p in site_files()} == {"liaocheng", "weihai", "jinan", "zibo", "rizhao", "linyi"}


@pytest.mark.parametrize("path", site_files(), ids=lambda p: p.stem)
def test_every_site_file_is_sound(path) -> None:  # type: ignore[no-untyped-def]
    site = read_site_file(path)
    assert site.id == path.stem
    assert site_problems(site, national_catalog(), official_districts()) == []


def test_liaocheng_districts_match_the_official_list_and_seed_000() -> None:
    site = {s.id: s for s in all_site_configs()}["liaocheng"]
    official = {
        code: name for code, name in official_districts().items() if code.startswith("3715") and code != "371500"
    }
    counties = {d.code: d.name for d in site.districts if d.kind is DistrictKind.COUNTY}
    assert counties == official
    zones = {d.short_name: d for d in site.districts if d.kind is DistrictKind.FUNCTIONAL_ZONE}
    # Seed 000 reports these three zones; no official code exists, so they are tenant-local.
    assert set(zones) == {"经开区", "高新区", "度假区"}
    assert all(z.code_source == "tenant-local" and z.code.startswith("L") for z in zones.values())
    assert site.district("371500") is not None and site.district("371500").name == "市本级"  # type: ignore[union-attr]


def test_mall_categories_map_to_2022_catalog_codes() -> None:
    catalog = national_catalog()
    site = {s.id: s for s in all_site_configs()}["liaocheng"]
    by_name = {c.name: c for c in site.categories}
    # The 2022 edition: 台式计算机 is A02010105 (A02010104 is 服务器).
    assert by_name["台式计算机"].catalog_code == "A02010105"
    assert catalog.get("A02010104").name == "服务器"  # type: ignore[union-attr]
    for name in ["物业管理服务", "笔记本", "签字笔", "试卷纸", "视频监控设备", "鼓粉盒", "园林绿化工程施工"]:
        assert name in by_name, name
        assert by_name[name].catalog_code in catalog


def test_limits_must_nest_and_be_positive() -> None:
    assert PurchaseLimits(1, 2, 3).problems() == []
    assert [p["field"] for p in PurchaseLimits(0, 2, 3).problems()] == ["per_order_cap_fen"]
    problems = PurchaseLimits(50_000_000, 10_000_000, 200_000_000).problems()
    assert problems[0]["field"] == "per_order_cap_fen"
    assert "50.00 万元" in problems[0]["message"] and "10.00 万元" in problems[0]["message"]


def test_with_limits_bumps_version_and_refuses_bad_limits() -> None:
    site = all_site_configs()[0]
    changed = with_limits(site, PurchaseLimits(1, 2, 3), NOW)
    assert changed.version == site.version + 1 and changed.updated_at == "2026-11-21T08:00:00.000Z"
    with pytest.raises(RuleViolation) as err:
        with_limits(site, PurchaseLimits(3, 2, 1), NOW)
    assert err.value.code == "LIMITS_INVALID"


def test_methods_are_deduplicated_in_a_stable_order() -> None:
    assert validated_methods((PurchaseMethod.BIDDING, PurchaseMethod.DIRECT)) == (
        PurchaseMethod.DIRECT,
        PurchaseMethod.BIDDING,
    )
    with pytest.raises(InvalidInput):
        validated_methods(())
    with pytest.raises(InvalidInput):
        validated_methods((PurchaseMethod.DIRECT, PurchaseMethod.DIRECT))


def test_site_problems_catch_invented_codes() -> None:
    site = all_site_configs()[0]
    bad_category = site.categories[-1]._replace(catalog_code="A99999999")
    broken = site._replace(categories=(*site.categories[:-1], bad_category), look=site.look._replace(theme_color="red"))
    problems = site_problems(broken, national_catalog(), official_districts())
    assert any("A99999999" in p for p in problems)
    assert any("主题色" in p for p in problems)


def test_public_view_names_catalog_items_and_leaves() -> None:
    site = {s.id: s for s in all_site_configs()}["liaocheng"]
    view = public_view(site, national_catalog())
    desktop = next(c for c in view["categories"] if c["name"] == "台式计算机")
    assert desktop["catalog_name"] == "台式计算机" and desktop["is_leaf"] is True
    groups = [c for c in view["categories"] if not c["parent_id"]]
    assert groups and not any(c["is_leaf"] for c in groups)
    direct = {"code": "direct", "label": "直购", "open": True, "enabled": True, "state_label": "已启用"}
    assert direct in view["methods"]
    # Every method works end to end now; one the site has not enabled says so.
    assert all(m["open"] for m in view["all_methods"])
    designated = next(m for m in view["all_methods"] if m["code"] == "designated")
    assert designated["state_label"] == ("已启用" if designated["enabled"] else "未启用")
