"""Pictures for the demo catalog, drawn here (nothing downloaded): a labelled packshot per product, in a shape
that says what it is (a box, a ream of paper, a monitor, a printer, a pen), with its brand, name and model.

Each picture goes the way an upload does after its checks: re-encoded with its thumbnail by the same code as the
image consumer (chalicelib/store/pictures.py), stored under media/, recorded as a ready image of its supplier.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

from scheduled.demo_catalog import Product

SIZE = 800
FONT_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
)
PALETTE = (
    ((183, 28, 28), (244, 226, 226)),
    ((21, 101, 192), (225, 236, 250)),
    ((46, 125, 50), (228, 242, 229)),
    ((239, 108, 0), (253, 236, 220)),
    ((106, 27, 154), (240, 228, 246)),
    ((0, 105, 92), (222, 240, 238)),
)


def _shape(category: str) -> str:
    if not category.endswith("机") and any(w in category for w in ("纸", "本册", "便签", "信封")):
        return "ream"
    if any(w in category for w in ("计算机", "显示器", "一体机", "笔记本", "监控")):
        return "monitor"
    if any(w in category for w in ("打印", "复印", "扫描", "碎纸", "多功能")):
        return "printer"
    if category.endswith("笔"):
        return "pen"
    return "box"


@lru_cache(maxsize=8)
def _font(size: int, bold: bool = False) -> Any:
    from PIL import ImageFont

    path = FONT_FILES[1 if bold else 0]
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)  # without the CJK fonts (scripts/system-deps.sh installs them)


def _colours(product: Product) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    digest = int(hashlib.sha256(product.brand.encode()).hexdigest()[:4], 16)
    return PALETTE[digest % len(PALETTE)]


def _darker(colour: tuple[int, int, int], by: float) -> tuple[int, int, int]:
    r, g, b = colour
    return int(r * by), int(g * by), int(b * by)


def _wrapped(draw: Any, text: str, font: Any, width: int, most: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for ch in text:
        if draw.textlength(current + ch, font=font) > width:
            lines.append(current)
            current = ch.lstrip()
        else:
            current += ch
    if current:
        lines.append(current)
    if len(lines) > most:
        lines = [*lines[: most - 1], lines[most - 1][:-1] + "…"]
    return lines


def packshot(product: Product, category: str) -> bytes:
    """A PNG packshot of the product."""
    from PIL import Image, ImageDraw

    strong, soft = _colours(product)
    image = Image.new("RGB", (SIZE, SIZE), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, SIZE, SIZE), fill=soft)
    draw.ellipse((150, 640, 650, 720), fill=_darker(soft, 0.88))  # the floor shadow
    shape = _shape(category)
    label_box = _draw_shape(draw, shape, strong)
    x0, y0, x1, _ = label_box
    draw.text((x0 + 24, y0 + 18), product.brand, font=_font(56, bold=True), fill=(255, 255, 255))
    for i, line in enumerate(_wrapped(draw, product.name, _font(26), x1 - x0 - 48, 3)):
        draw.text((x0 + 24, y0 + 92 + i * 36), line, font=_font(26), fill=(255, 255, 255))
    draw.text((40, 36), category, font=_font(30, bold=True), fill=_darker(strong, 0.9))
    draw.text((40, SIZE - 64), f"型号 {product.model}", font=_font(26), fill=(96, 98, 102))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _draw_shape(draw: Any, shape: str, colour: tuple[int, int, int]) -> tuple[int, int, int, int]:
    """Draws the product's outline; returns the area its label goes in."""
    dark, darker = _darker(colour, 0.8), _darker(colour, 0.65)
    if shape == "monitor":
        draw.rounded_rectangle((120, 150, 680, 520), radius=18, fill=(40, 44, 52))
        draw.rectangle((140, 170, 660, 500), fill=colour)
        draw.polygon([(360, 520), (440, 520), (470, 620), (330, 620)], fill=(70, 74, 82))
        draw.rounded_rectangle((260, 610, 540, 640), radius=10, fill=(70, 74, 82))
        return 140, 190, 660, 500
    if shape == "printer":
        draw.rectangle((230, 140, 570, 260), fill=(236, 236, 236), outline=(200, 200, 200), width=3)
        draw.rounded_rectangle((130, 240, 670, 560), radius=24, fill=colour)
        draw.rectangle((200, 520, 600, 600), fill=(245, 245, 245), outline=(200, 200, 200), width=3)
        draw.rectangle((130, 240, 670, 270), fill=dark)
        return 130, 280, 670, 520
    if shape == "pen":
        draw.rounded_rectangle((100, 330, 640, 410), radius=36, fill=colour)
        draw.polygon([(640, 340), (720, 370), (640, 400)], fill=(60, 60, 60))
        draw.rectangle((150, 300, 190, 340), fill=dark)
        draw.rounded_rectangle((110, 450, 690, 610), radius=16, fill=darker)
        return 110, 450, 690, 610
    if shape == "ream":
        for i in range(4):
            draw.rectangle(
                (150 + i * 6, 230 - i * 10, 650 + i * 6, 620 - i * 10), fill=(255, 255, 255), outline=(210, 210, 210)
            )
        draw.rectangle((150, 300, 650, 560), fill=colour)
        return 150, 300, 650, 560
    draw.polygon([(140, 240), (230, 170), (700, 170), (610, 240)], fill=dark)  # top
    draw.polygon([(610, 240), (700, 170), (700, 560), (610, 630)], fill=darker)  # side
    draw.rectangle((140, 240, 610, 630), fill=colour)  # front
    return 140, 260, 610, 630


def picture_keys(site_id: str, uscc: str, seed: str, product: Product, category: str) -> tuple[str, ...]:
    """Draws, stores and records the listing's main picture; returns its upload key (what a listing names)."""
    from chalicelib.domain.clock import to_iso, utc_now
    from chalicelib.domain.media import ImageStatus, ListingImage
    from chalicelib.store import media
    from chalicelib.store.pictures import Processed

    image = ListingImage(
        site_id=site_id,
        uscc=uscc,
        image_id=uuid.uuid5(uuid.NAMESPACE_URL, seed + "|picture").hex,
        file_name=f"{product.brand}{product.model}.png",
        content_type="image/png",
        size=0,
        status=ImageStatus.READY,
        uploaded_at=to_iso(utc_now()),
    )
    if media.DynamoImageStore().get(site_id, uscc, image.image_id) is not None:
        return (image.upload_key,)  # drawn by an earlier run
    done = _processed(product, category)
    assert isinstance(done, Processed)
    media.put_media(image.main_key, done.main)
    media.put_media(image.thumb_key, done.thumb)
    media.DynamoImageStore().save(image._replace(size=len(done.main), width=done.width, height=done.height))
    return (image.upload_key,)


@lru_cache(maxsize=512)
def _processed(product: Product, category: str) -> Any:
    from chalicelib.store.pictures import process

    return process(packshot(product, category))
