"""Decoding and re-encoding product pictures with Pillow: only the image consumer imports this (MediaLayer)."""

from __future__ import annotations

import io
from typing import NamedTuple

from chalicelib.domain.media import MAIN_EDGE, THUMB_EDGE, decode_problem, fitted

# A picture of more pixels than this is refused before it is decoded (a "decompression bomb" is a small file
# that inflates to gigabytes): 40 megapixels is more than any product photo needs.
MAX_PIXELS = 40_000_000


class Processed(NamedTuple):
    main: bytes
    thumb: bytes
    width: int
    height: int


def process(raw: bytes) -> Processed | str:
    """The main picture and its thumbnail as JPEG without metadata, or why the bytes are refused."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(raw)) as opened:
            opened.load()
            picture = ImageOps.exif_transpose(opened) or opened
            width, height = picture.size
            problem = decode_problem(width, height)
            if problem:
                return problem
            flat = _on_white(picture)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError):
        return "图片文件已损坏或无法识别"
    return Processed(_jpeg(flat, MAIN_EDGE, 85), _jpeg(flat, THUMB_EDGE, 80), width, height)


def _on_white(picture: object) -> object:
    from PIL import Image

    assert isinstance(picture, Image.Image)
    if picture.mode in ("RGBA", "LA") or (picture.mode == "P" and "transparency" in picture.info):
        rgba = picture.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return picture.convert("RGB")


def _jpeg(picture: object, edge: int, quality: int) -> bytes:
    from PIL import Image

    assert isinstance(picture, Image.Image)
    resized = picture.resize(fitted(*picture.size, edge), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # Saved fresh: no EXIF, GPS or comments of the original travel on.
    resized.save(out, format="JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()
