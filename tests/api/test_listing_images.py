"""Product images: uploaded by presigned POST, checked on arrival (type by content, size), made into a main
picture and a thumbnail by the queued image consumer, and shown by the listing, its review and the catalog."""

from __future__ import annotations

import io
from typing import Any

import boto3
import requests
from PIL import Image

from chalicelib.config import get_settings
from tests.api.test_listings_api import PEN
from tests.conftest import Api, Projection

SITE = "liaocheng"


def picture(width: int = 800, height: int = 600, fmt: str = "PNG", alpha: bool = False) -> bytes:
    mode = "RGBA" if alpha else "RGB"
    out = io.BytesIO()
    Image.new(mode, (width, height), (30, 120, 200, 128) if alpha else (30, 120, 200)).save(out, format=fmt)
    return out.getvalue()


def upload(api: Api, data: bytes, content_type: str = "image/png", name: str = "主图.png") -> tuple[int, Any]:
    status, started = api.call(
        "POST",
        f"/sites/{SITE}/listings/images",
        {"file_name": name, "content_type": content_type, "size": len(data)},
        as_user="supplier.demo",
    )
    assert status == 201, started
    form = started["upload"]
    posted = requests.post(form["url"], data=form["fields"], files={"file": (name, data, content_type)}, timeout=10)
    assert posted.status_code in (200, 204), posted.text
    return api.call("POST", f"/sites/{SITE}/listing-images/{started['image_id']}/confirm", {}, as_user="supplier.demo")


def media_object(key: str) -> bytes:
    body: bytes = boto3.client("s3").get_object(Bucket=get_settings().media_bucket, Key=key)["Body"].read()
    return body


def test_an_image_becomes_a_picture_and_a_thumbnail(api: Api, suppliers_seeded: int, projection: Projection) -> None:
    status, image = upload(api, picture(1600, 1200, alpha=True))
    assert status == 200, image
    assert image["status"] == "pending" and image["status_label"] == "处理中"
    # Not ready yet: a listing cannot show it.
    status, body = api.call(
        "POST", f"/sites/{SITE}/listings", {**PEN, "images": [image["key"]]}, as_user="supplier.demo"
    )
    assert status == 400 and body["code"] == "IMAGE_NOT_READY" and "处理中" in body["message"]
    projection.drain()
    status, ready = api.call("GET", f"/sites/{SITE}/listing-images/{image['image_id']}", as_user="supplier.demo")
    assert ready["status"] == "ready" and (ready["width"], ready["height"]) == (1600, 1200)
    main = Image.open(io.BytesIO(media_object("media/" + image["key"] + ".jpg")))
    thumb = Image.open(
        io.BytesIO(media_object("media/thumbs/" + image["key"].removeprefix("listing-images/") + ".jpg"))
    )
    assert (main.format, main.size, thumb.size) == ("JPEG", (1200, 900), (320, 240))
    assert not main.info.get("exif")
    assert ready["thumb_url"].endswith(".jpg") and "/thumbs/" in ready["thumb_url"]

    status, listing = api.call(
        "POST", f"/sites/{SITE}/listings", {**PEN, "images": [image["key"]]}, as_user="supplier.demo"
    )
    assert status == 201, listing
    assert listing["image_urls"][0]["url"] == ready["url"]
    status, review = api.call("GET", f"/sites/{SITE}/listings/{listing['id']}/review", as_user="liaocheng.center")
    assert review["image_urls"][0]["thumb_url"] == ready["thumb_url"]
    api.call(
        "POST", f"/sites/{SITE}/listings/{listing['id']}/review", {"decision": "approve"}, as_user="liaocheng.center"
    )
    projection.drain()
    status, page = api.call("GET", f"/sites/{SITE}/catalog?category=LC-0101")
    card = next(c for c in page["items"] if c["id"] == listing["id"])
    assert card["image"] == ready["thumb_url"]


def test_what_is_not_an_image_is_refused_and_not_kept(api: Api, suppliers_seeded: int, projection: Projection) -> None:
    s3 = boto3.client("s3")

    def uploads_kept() -> int:
        return int(
            s3.list_objects_v2(Bucket=get_settings().uploads_bucket, Prefix="listing-images/").get("KeyCount", 0)
        )

    before = uploads_kept()
    status, body = upload(api, b"%PDF-1.4\n%%EOF\n", "image/png", "营业执照.png")
    assert status == 400 and body["code"] == "IMAGE_NOT_IMAGE" and "不是图片" in body["message"]
    status, body = upload(api, picture(fmt="JPEG"), "image/png", "伪装.png")  # a JPEG declared as PNG
    assert status == 400 and body["code"] == "IMAGE_TYPE_MISMATCH"
    assert uploads_kept() == before
    status, body = api.call(
        "POST",
        f"/sites/{SITE}/listings/images",
        {"file_name": "大图.png", "content_type": "image/png", "size": 6 * 1024 * 1024},
        as_user="supplier.demo",
    )
    assert status == 400 and body["code"] == "VALIDATION_FAILED"
    status, body = api.call(
        "POST",
        f"/sites/{SITE}/listings/images",
        {"file_name": "图.gif", "content_type": "image/gif", "size": 100},
        as_user="supplier.demo",
    )
    assert status == 400
    # A PNG header over rubbish passes the first check and is refused by the consumer; so is a tiny picture.
    status, broken = upload(api, b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    assert status == 200
    status, tiny = upload(api, picture(120, 90))
    projection.drain()
    for image, reason in ((broken, "损坏"), (tiny, "过小")):
        status, state = api.call("GET", f"/sites/{SITE}/listing-images/{image['image_id']}", as_user="supplier.demo")
        assert state["status"] == "rejected" and reason in state["reason"], state
    status, body = api.call(
        "POST", f"/sites/{SITE}/listings", {**PEN, "images": [tiny["key"]]}, as_user="supplier.demo"
    )
    assert status == 400 and body["code"] == "IMAGE_NOT_READY" and "过小" in body["message"]
    # Another supplier's image, or a key made up, is not this listing's.
    other = tiny["key"].replace("/liaocheng/", "/weihai/")
    status, body = api.call("POST", f"/sites/{SITE}/listings", {**PEN, "images": [other]}, as_user="supplier.demo")
    assert status == 400
    assert api.call("GET", f"/sites/{SITE}/listing-images/nothing", as_user="supplier.demo")[0] == 404
    assert api.call("POST", f"/sites/{SITE}/listing-images/{'0' * 32}/confirm", {}, as_user="supplier.demo")[0] == 404
