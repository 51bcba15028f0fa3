"""The front page's notices, training material and FAQ: anyone reads them, the site's operator publishes."""

from __future__ import annotations

from tests.conftest import Api

SITE = "liaocheng"
NOTICE = {
    "kind": "notice",
    "title": "关于网上商城春节期间订单处理的通知",
    "body": "春节期间（2月9日至2月17日）订单确认时限顺延，请各供应商及时处理待确认订单。",
    "pinned": True,
}


def audit_actions(api: Api, entity_id: str) -> list[str]:
    status, body = api.call("GET", f"/sites/{SITE}/audit?entity_id={entity_id}", as_user="liaocheng.center")
    assert status == 200, body
    return [e["action"] for e in body["items"]]


def test_the_centre_publishes_and_anyone_reads(api: Api) -> None:
    status, made = api.call("POST", f"/sites/{SITE}/bulletins", NOTICE, as_user="liaocheng.center")
    assert status == 201, made
    assert made["kind_label"] == "通知公告" and made["status_label"] == "已发布"
    faq = {"kind": "faq", "title": "如何修改收货地址？", "body": "在结算页点击收货信息即可修改，提交后不可更改。"}
    assert api.call("POST", f"/sites/{SITE}/bulletins", faq, as_user="liaocheng.center")[0] == 201

    # Without signing in (阳光采购).
    status, listed = api.call("GET", f"/sites/{SITE}/bulletins?kind=notice")
    assert status == 200
    assert listed["items"][0]["title"] == NOTICE["title"]
    assert "body" not in listed["items"][0] and listed["items"][0]["excerpt"].startswith("春节期间")
    status, one = api.call("GET", f"/sites/{SITE}/bulletins/{made['id']}")
    assert status == 200 and one["body"] == NOTICE["body"]
    # Search by words of the body, every word must be there.
    status, found = api.call("GET", f"/sites/{SITE}/bulletins?q=收货地址")
    assert [b["kind"] for b in found["items"]] == ["faq"] and found["total"] == 1
    assert api.call("GET", f"/sites/{SITE}/bulletins?q=收货地址 发票")[1]["total"] == 0
    # Another site does not show it.
    assert api.call("GET", "/sites/weihai/bulletins?q=春节期间")[1]["total"] == 0

    # Revised, then withdrawn: gone from the public, kept for the operator, every step audited.
    revised = {**NOTICE, "title": "关于网上商城春节期间订单确认的通知", "version": 1}
    status, body = api.call("PUT", f"/sites/{SITE}/bulletins/{made['id']}", revised, as_user="liaocheng.center")
    assert status == 200 and body["version"] == 2
    stale = api.call("PUT", f"/sites/{SITE}/bulletins/{made['id']}", revised, as_user="liaocheng.center")
    assert stale[0] == 409 and stale[1]["code"] == "BULLETIN_CHANGED"
    assert api.call("POST", f"/sites/{SITE}/bulletins/{made['id']}/withdraw", {}, as_user="liaocheng.center")[0] == 200
    status, body = api.call("GET", f"/sites/{SITE}/bulletins/{made['id']}")
    assert status == 404 and body["code"] == "BULLETIN_NOT_FOUND"
    status, managed = api.call("GET", f"/sites/{SITE}/bulletins/manage", as_user="liaocheng.center")
    assert status == 200
    withdrawn = next(b for b in managed["items"] if b["id"] == made["id"])
    assert withdrawn["status_label"] == "已撤回"
    assert sorted(audit_actions(api, made["id"])) == ["bulletin.published", "bulletin.updated", "bulletin.withdrawn"]
    status, log = api.call("GET", f"/sites/{SITE}/audit?entity_id={made['id']}", as_user="liaocheng.center")
    assert {e["entity_label"] for e in log["items"]} == {"公告"}


def test_markup_is_kept_as_text(api: Api) -> None:
    sneaky = {
        "kind": "notice",
        "title": "<script>alert(1)</script>通知",
        "body": '<img src=x onerror="alert(1)">正文内容很长',
    }
    status, made = api.call("POST", f"/sites/{SITE}/bulletins", sneaky, as_user="liaocheng.center")
    assert status == 201
    assert api.call("GET", f"/sites/{SITE}/bulletins/{made['id']}")[1]["title"] == sneaky["title"]


def test_who_may_publish_and_bad_input(api: Api) -> None:
    for user in ("liaocheng.buyer", "liaocheng.finance", "supplier.demo"):
        assert api.call("POST", f"/sites/{SITE}/bulletins", NOTICE, as_user=user)[0] == 403
    assert api.call("POST", f"/sites/{SITE}/bulletins", NOTICE)[0] == 401
    assert api.call("POST", "/sites/weihai/bulletins", NOTICE, as_user="liaocheng.center")[0] == 403
    bad = [
        {**NOTICE, "title": "通知"},
        {**NOTICE, "body": "太短"},
        {**NOTICE, "kind": "news"},
        {**NOTICE, "link": "javascript:alert(1)"},
        {**NOTICE, "title": "长" * 81},
        {**NOTICE, "extra": 1},
    ]
    for body in bad:
        status, reply = api.call("POST", f"/sites/{SITE}/bulletins", body, as_user="liaocheng.center")
        assert status == 400, (body, reply)
        assert reply["code"] == "VALIDATION_FAILED" and reply["message"]
    assert api.call("GET", f"/sites/{SITE}/bulletins/manage", as_user="liaocheng.center")[1]["total"] == 0
    assert api.call("GET", f"/sites/{SITE}/bulletins/GG2024", as_user="liaocheng.center")[0] == 404
    assert api.call("GET", f"/sites/{SITE}/bulletins?limit=500")[0] == 400


def _upload(api: Api, data: bytes, content_type: str, name: str) -> str:
    import requests

    status, started = api.call(
        "POST",
        f"/sites/{SITE}/bulletins/files",
        {"file_name": name, "content_type": content_type, "size": len(data)},
        as_user="liaocheng.center",
    )
    assert status == 201, started
    form = started["upload"]
    posted = requests.post(form["url"], data=form["fields"], files={"file": (name, data, content_type)}, timeout=10)
    assert posted.status_code in (200, 204), posted.text
    return str(started["file_id"])


def test_training_material_carries_its_video(api: Api) -> None:
    video = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    file_id = _upload(api, video, "video/mp4", "定制类供应商如何上架服务.mp4")
    training = {
        "kind": "training",
        "title": "政策小视频：网上商城定制类供应商如何上架服务",
        "body": "讲解定制类服务供应商上架服务的操作步骤。",
        "files": [file_id],
    }
    status, made = api.call("POST", f"/sites/{SITE}/bulletins", training, as_user="liaocheng.center")
    assert status == 201, made
    status, shown = api.call("GET", f"/sites/{SITE}/bulletins/{made['id']}")  # anyone
    [attached] = shown["files"]
    assert attached["file_name"].endswith(".mp4") and attached["content_type"] == "video/mp4"
    assert attached["url"].startswith("http") and "key" not in attached
    # A file whose bytes are not what it claims, one never uploaded, one too large: refused, nothing written.
    fake = _upload(api, b"<html><script>alert(1)</script></html>", "video/mp4", "假视频.mp4")
    for files in ([fake], ["0" * 32]):
        status, body = api.call(
            "POST", f"/sites/{SITE}/bulletins", {**training, "files": files}, as_user="liaocheng.center"
        )
        assert status == 400 and body["code"] in ("FILE_TYPE_MISMATCH", "UPLOAD_NOT_FOUND"), body
    status, body = api.call(
        "POST",
        f"/sites/{SITE}/bulletins/files",
        {"file_name": "大.pdf", "content_type": "application/pdf", "size": 50 * 1024 * 1024},
        as_user="liaocheng.center",
    )
    assert status == 400 and body["code"] == "FILE_TOO_LARGE"
    assert api.call("GET", f"/sites/{SITE}/bulletins/manage?kind=training", as_user="liaocheng.center")[1]["total"] == 1
