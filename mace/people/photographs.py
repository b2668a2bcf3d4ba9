"""Checking and re-encoding a child's photograph (issue 20 point 3), with Pillow.

What is uploaded is never kept as it came: it must be a JPEG, PNG or WebP image that Pillow
recognises by its content (not its name), within the size and pixel limits (a decompression
bomb is refused before it is decoded), and it is decoded in full and drawn again as a new
JPEG, turned upright, no larger than PHOTOGRAPH_LONGEST_SIDE on its longest side and without
any of the original's metadata (EXIF, with its GPS position and camera serial, XMP, IPTC,
comments, colour profiles). HEIC is not offered: the Pillow MACE runs has no HEIC decoder.
"""

import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPT = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"
JPEG_QUALITY = 85

NOT_AN_IMAGE = "The photograph must be a JPG, PNG or WebP image"
DAMAGED = "The photograph could not be read: it may be damaged. Save it again, then upload it"


def too_big_message() -> str:
    return f"The photograph must be smaller than {settings.PHOTOGRAPH_MAX_UPLOAD_MB} MB"


def too_many_pixels_message() -> str:
    megapixels = settings.PHOTOGRAPH_MAX_PIXELS // 1_000_000
    return (
        f"The photograph must be smaller than {megapixels} megapixels: save a smaller copy, "
        "then upload it"
    )


@dataclass(frozen=True)
class Reencoded:
    content: bytes
    width: int
    height: int


def _refuse(message: str) -> ValidationError:
    return ValidationError({"image": message})


def check_size(size: int | None) -> None:
    """Refuse a file over the limit before anything reads it."""
    if size is not None and size > settings.PHOTOGRAPH_MAX_UPLOAD_MB * 1024 * 1024:
        raise _refuse(too_big_message())


def reencode(upload: IO[bytes], size: int | None = None) -> Reencoded:
    """The upload as MACE keeps it, or a ValidationError on `image` saying what to fix."""
    check_size(size)
    data = upload.read(settings.PHOTOGRAPH_MAX_UPLOAD_MB * 1024 * 1024 + 1)
    check_size(len(data))
    if not data:
        raise _refuse("The selected file is empty")
    with warnings.catch_warnings():
        # Pillow warns of a possible decompression bomb; MACE refuses it.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=FORMATS) as probe:
                _check_pixels(probe.size)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                _check_pixels(image.size)
                image.seek(0)
                image.load()
                upright = ImageOps.exif_transpose(image)
                drawn = _rgb(upright)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(too_many_pixels_message()) from None
        except UnidentifiedImageError:
            raise _refuse(NOT_AN_IMAGE) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise _refuse(DAMAGED) from None
    longest = settings.PHOTOGRAPH_LONGEST_SIDE
    drawn.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    # A new image of the pixels only: nothing of the original's metadata comes along.
    clean = Image.new("RGB", drawn.size)
    clean.paste(drawn)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return Reencoded(out.getvalue(), clean.width, clean.height)


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width < 1 or height < 1:
        raise _refuse(DAMAGED)
    if width * height > settings.PHOTOGRAPH_MAX_PIXELS:
        raise _refuse(too_many_pixels_message())


def _rgb(image: Image.Image) -> Image.Image:
    """The image in RGB, anything transparent on white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
