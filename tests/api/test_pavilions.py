"""特色场馆 on moto: the centre opens pavilions and puts listings in them; the catalog projection gives each its own
partition, so the front page's shelves and a pavilion's page (searched, filtered) are one Query each; audited."""

from __future__ import annotations

from chalicelib.store.models import AuditItem
from tests.api.orders_support import COPY_PAPER, PEN, SITE, add_listing
from tests.conftest import Api, Projection

CENTER = "liaocheng.center"


def test_pavilions_curated_shown_and_browsed(api: Api, suppliers_seeded: int, projection: Projection) -> None:
    paper = add_listing("supplier.lc03", COPY_PAPER, "莘县 A4 复印纸 70g", "SX-70", 2_300, 100)
    pen = add_listing("supplier.lc02", PEN, "百汇 中性笔 0.5mm", "BH-05", 150, 500)
    other = add_listing("supplier.demo", PEN, "鑫诚 中性笔 0.7mm", "XC-07", 160, 500)
    for code, name, sort in (("rural-revival", "乡村振兴（扶贫频道）", 20), ("lu-quality", "鲁产精品", 10)):
        status, made = api.call(
            "POST", f"/sites/{SITE}/pavilions", {"code": code, "name": name, "sort": sort}, as_user=CENTER
        )
        assert status == 201, made
    status, answer = api.call(
        "POST", f"/sites/{SITE}/pavilions", {"code": "Bad Code", "name": "坏代码"}, as_user=CENTER
    )
    assert (status, answer["code"]) == (400, "VALIDATION_FAILED")
    status, _ = api.call("POST", f"/sites/{SITE}/pavilions", {"code": "x-y", "name": "越权"}, as_user="liaocheng.buyer")
    assert status == 403

    for listing_id, codes in ((paper, ["rural-revival", "lu-quality"]), (pen, ["lu-quality"])):
        status, placed = api.call(
            "PUT", f"/sites/{SITE}/listings/{listing_id}/pavilions", {"codes": codes}, as_user=CENTER
        )
        assert status == 200 and placed["pavilions"] == codes, placed
    status, answer = api.call(
        "PUT", f"/sites/{SITE}/listings/{other}/pavilions", {"codes": ["no-such"]}, as_user=CENTER
    )
    assert (status, answer["code"]) == (400, "PAVILION_NOT_FOUND")
    projection.drain()

    # The front page: shown pavilions in their order, each with its products (no sign-in needed).
    status, shelves = api.call("GET", f"/sites/{SITE}/pavilions")
    assert status == 200 and [p["name"] for p in shelves["items"]] == ["鲁产精品", "乡村振兴（扶贫频道）"]
    assert {c["id"] for c in shelves["items"][0]["items"]} == {paper, pen}
    assert [c["id"] for c in shelves["items"][1]["items"]] == [paper]
    assert set(shelves["items"][0]["items"][0]["pavilions"]) <= {"lu-quality", "rural-revival"}

    # A pavilion's page: searched by words, filtered by scale.
    base = f"/sites/{SITE}/pavilions/lu-quality/listings"
    status, found = api.call("GET", f"{base}?q=中性笔")
    assert status == 200 and [c["id"] for c in found["items"]] == [pen] and found["pavilion"]["name"] == "鲁产精品"
    status, found = api.call("GET", f"{base}?scale=micro")
    assert {c["id"] for c in found["items"]} == {paper, pen}  # 莘县宏远 and 百汇 are both micro
    status, answer = api.call("GET", f"/sites/{SITE}/pavilions/no-such/listings")
    assert (status, answer["code"]) == (404, "PAVILION_NOT_FOUND")

    # Hidden from the front page, still browsable; taking a product out leaves the pavilion's partition.
    status, managed = api.call("GET", f"/sites/{SITE}/pavilions/manage", as_user=CENTER)
    rural = next(p for p in managed["items"] if p["code"] == "rural-revival")
    status, hidden = api.call(
        "PUT",
        f"/sites/{SITE}/pavilions/rural-revival",
        {"name": rural["name"], "intro": "", "sort": 20, "shown": False, "version": rural["version"]},
        as_user=CENTER,
    )
    assert status == 200 and hidden["shown_label"] == "不展示"
    api.call("PUT", f"/sites/{SITE}/listings/{pen}/pavilions", {"codes": []}, as_user=CENTER)
    projection.drain()
    status, shelves = api.call("GET", f"/sites/{SITE}/pavilions")
    assert [p["code"] for p in shelves["items"]] == ["lu-quality"]
    assert [c["id"] for c in shelves["items"][0]["items"]] == [paper]
    actions = [a.data["action"] for a in AuditItem.scan() if a.data["entity_type"] in ("pavilion", "listing")]
    assert actions.count("pavilion.created") == 2 and actions.count("listing.pavilions_changed") == 3
    assert actions.count("pavilion.revised") == 1
